"""Data quality of one dataset version, each measure a tidy frame to show and download: coverage
by province x month, missing values per column, duplicate ids, outlying seizure values, and the
import history. Pure functions of the store (and the dataset's list of versions).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
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
    themselves), largest first."""
    c = store.table("cases")
    cases = store.run(c.select("case_id", "province_adcode", "category", "opened_on", "seizure_cny"))
    pos = cases[cases.seizure_cny > 0].copy()
    if pos.empty:
        return pos.assign(typical=[], deviations=[])
    pos["log"] = np.log10(pos.seizure_cny)
    grouped = pos.groupby("category")["log"]
    med = grouped.transform("median")
    mad = grouped.transform(lambda s: (s - s.median()).abs().median()).replace(0, np.nan)
    pos["deviations"] = (pos["log"] - med) / (1.4826 * mad)
    pos["typical"] = 10**med
    out = pos[pos.deviations > OUTLIER_MADS].sort_values("seizure_cny", ascending=False)
    cols = ["case_id", "province_adcode", "category", "opened_on", "seizure_cny", "typical", "deviations"]
    return out[cols].head(limit).reset_index(drop=True)


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
