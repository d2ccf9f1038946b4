"""Data quality of one dataset version, each measure a tidy frame to show and download: coverage
by province x month, missing values per column, duplicate ids, outlying seizure values, and the
import history. Pure functions of the store (and the dataset's list of versions).
"""

from __future__ import annotations

from pathlib import Path

import ibis
import pandas as pd
import plotly.graph_objects as go

from cloudsword import dataset, geo
from cloudsword.charts_style import FONT, SEQUENTIAL, styled
from cloudsword.i18n import format_month, t
from cloudsword.schema import DATASET_TABLES, TABLES
from cloudsword.store import Store

OUTLIER_MADS = 4.0  # a seizure more than this many robust deviations above its category's (log) median


def coverage(store: Store) -> pd.DataFrame:
    """Cases per mainland province and month over the dataset's whole range (0 where none)."""
    m = store.table("monthly")
    got = store.run(m.group_by(["province_adcode", "month"]).aggregate(cases=m.cases.sum()))
    provinces = geo.load_provinces().query("mainland").adcode
    months = pd.date_range(store.manifest.start.replace(day=1), store.manifest.end, freq="MS")
    grid = pd.MultiIndex.from_product([provinces, months], names=["province_adcode", "month"])
    got["month"] = pd.to_datetime(got["month"])
    out = got.set_index(["province_adcode", "month"]).cases.reindex(grid, fill_value=0)
    return out.reset_index()


def coverage_figure(frame: pd.DataFrame, lang: str) -> go.Figure:
    wide = frame.pivot(index="province_adcode", columns="month", values="cases")
    names = [geo.province_name(a, lang, short=True) for a in wide.index]
    months = [format_month(m.date(), lang) for m in wide.columns]
    fig = go.Figure(
        go.Heatmap(
            z=wide.to_numpy(),
            x=months,
            y=names,
            colorscale=SEQUENTIAL,
            colorbar=dict(title=t("quality.cases", lang)),
            hovertemplate="%{y} · %{x}: %{z}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=11))
    fig.update_layout(font=FONT)
    return styled(fig, t("quality.coverage.title", lang), height=640)


def missing(store: Store) -> pd.DataFrame:
    """Empty values per column of every table: rows, empty, share."""
    rows = []
    for name in DATASET_TABLES:
        if not store.has(name):
            continue
        tbl = store.table(name)
        aggs = {c: tbl[c].isnull().sum() for c in TABLES[name].column_names if c in tbl.columns}
        got = store.run(tbl.aggregate(n=tbl.count(), **aggs)).iloc[0]
        for col in aggs:
            n, empty = int(got["n"]), int(got[col])
            rows.append((name, col, n, empty, empty / n if n else 0.0))
    return pd.DataFrame(rows, columns=["table", "column", "rows", "empty", "share"])


def duplicates(store: Store) -> pd.DataFrame:
    """Per table: its key and how many rows repeat a key already seen."""
    rows = []
    for name in DATASET_TABLES:
        if not store.has(name):
            continue
        tbl, key = store.table(name), list(TABLES[name].key)
        n = int(store.run(tbl.count()))
        distinct = int(store.run(tbl.select(*key).distinct().count()))
        rows.append((name, ", ".join(key), n, n - distinct))
    return pd.DataFrame(rows, columns=["table", "key", "rows", "duplicates"])


def outliers(store: Store, limit: int = 200) -> pd.DataFrame:
    """Cases whose seized value lies far above their category's: log10(value) more than
    OUTLIER_MADS median absolute deviations above the category's median (robust to the outliers
    themselves), largest first (ties by case id), at most `limit` of them.

    One query in the engine, which returns only the outliers: the median of log10(value) per
    category over the cases with a positive value, the median of the absolute deviations from it
    (MAD, scaled by 1.4826 to a normal's standard deviation), joined back to the cases. A category
    whose MAD is 0 has no deviations, so no outliers. Ibis' `median()` is an exact median on both
    engines (DuckDB `quantile_cont(x, 0.5)`, Spark `percentile(x, 0.5)`: the mean of the middle two
    of an even count), so both give pandas' answer."""
    c = store.table("cases")
    pos = c.filter(c.seizure_cny > 0).mutate(log=c.seizure_cny.log10())
    med = pos.group_by("category").aggregate(median=pos.log.median())
    dev = pos.select("category", "log").join(med, "category")
    dev = dev.mutate(absdev=(dev.log - dev.median).abs())
    mad = dev.group_by(["category", "median"]).aggregate(mad=dev.absdev.median())
    j = pos.join(mad, "category")
    scored = j.mutate(
        typical=ibis.literal(10.0) ** j.median,
        deviations=(j.log - j.median) / (1.4826 * j.mad.nullif(0.0)),
    )
    cols = ["case_id", "province_adcode", "category", "opened_on", "seizure_cny", "typical", "deviations"]
    top = (
        scored.filter(scored.deviations > OUTLIER_MADS)
        .select(*cols)
        .order_by([ibis.desc("seizure_cny"), "case_id"])
        .limit(limit)
    )
    return store.run(top).reset_index(drop=True)


def outliers_shown(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Outliers as people read them: province names, categories in words, dates, whole yuan."""
    out = frame.copy()
    out.insert(1, "province", [geo.province_name(a, lang, short=True) for a in out.pop("province_adcode")])
    out["category"] = [t(f"category.{c}", lang) for c in out["category"]]
    out["opened_on"] = pd.to_datetime(out["opened_on"]).dt.date
    out["typical"] = out["typical"].round(0)
    out["deviations"] = out["deviations"].round(1)
    return out


def history(root: Path | str) -> pd.DataFrame:
    """Every version of the dataset, newest first: when, what made it, its rows, whether current."""
    current = dataset.current_id(root)
    rows = []
    for v in dataset.versions(root):
        origin = v.manifest.get("origin") or {}
        kind = origin.get("kind") or ("generated" if v.manifest.get("generator") else "")
        counts = v.manifest.get("rows", {})
        rows.append(
            {
                "version": v.id,
                "created": v.created,
                "current": v.id == current,
                "origin": kind,
                "table": origin.get("table", ""),
                "mode": origin.get("mode", ""),
                "files": ", ".join(origin.get("files", [])),
                "imported": (origin.get("rows") or {}).get("imported", 0)
                + (origin.get("rows") or {}).get("warned", 0),
                "rejected": (origin.get("rows") or {}).get("rejected", 0),
                "cases": counts.get("cases", 0),
                "synthetic": bool(v.manifest.get("synthetic", False)),
            }
        )
    return pd.DataFrame(rows)
