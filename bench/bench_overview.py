"""How long the overview takes to rerun, with the shipped demo data and with 1e7 cases.

Prints, does not assert: timings depend on the machine. The design target is an overview
rerun of at most 250 ms. Reruns are measured with Streamlit's AppTest (the server-side
script run: queries, figure building, serialisation; not the browser's drawing):

- cold: the first run in the process (store open and validation, aggregate build, queries);
- warm: the same filters again (every query a cache hit);
- cache miss: a different date range each time (the real query cost).

The store's queries are also timed alone, and against the same figures computed with naive
pandas (read the Parquet files, filter, group by; no pre-aggregation), in the same run.
"""

from __future__ import annotations

import os
import random
import sys
from datetime import date
from pathlib import Path

import _common as c
import pandas as pd

from cloudsword.filters import Filters, month_end, month_start
from cloudsword.geo import PROVINCE_GEOJSON_URL
from cloudsword.overview import queries as overview_queries
from cloudsword.store import Manifest, Store

TARGET_S = 0.250
RUNS = 10


def filter_ranges(f: Filters, n: int, seed: int = 7) -> list[Filters]:
    """`n` distinct whole-month date ranges inside `f`, none equal to `f` itself."""
    months = [d.date() for d in pd.date_range(f.date_from, f.date_to, freq="MS")]
    rng, seen, out = random.Random(seed), {(f.date_from, month_start(f.date_to))}, []
    while len(out) < n:
        a, b = sorted(rng.sample(range(len(months)), 2))
        if (months[a], months[b]) not in seen and b - a >= 2:
            seen.add((months[a], months[b]))
            out.append(f.with_(date_from=months[a], date_to=month_end(months[b])))
    return out


def line(what: str, samples: list[float], target: float | None = TARGET_S) -> None:
    med, p90 = c.median_p90(samples)
    goal = f" (target {c.ms(target)})" if target else ""
    flag = "" if target is None or med <= target else "  <-- over target"
    print(f"{what}: median {c.ms(med)}, p90 {c.ms(p90)}{goal}{flag}", flush=True)


# -- the app, through AppTest -------------------------------------------------------------------
def _rerun(at: object, months: tuple[date, date]) -> float:
    """One rerun with the date slider moved to `months`, as a user would; raises if the app failed."""
    at.select_slider(key="months").set_value(months)
    seconds, _ = c.timed(at.run)
    problems = [e.value for e in at.exception] + [e.value for e in at.error]
    if problems or len(at.metric) != 4:
        raise RuntimeError(f"overview rerun failed: {(problems or ['no KPI cards'])[0][:600]}")
    return seconds


def bench_app(data: Path, label: str, ranges: list[Filters]) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["CLOUDSWORD_DATA"] = str(data)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(c.ROOT / "app.py"), default_timeout=60)
        cold, _ = c.timed(at.run)
        problems = [e.value for e in at.exception] + [e.value for e in at.error]
        if problems:
            raise RuntimeError(problems[0][:600])
        print(f"overview first run (cold: store open + queries), {label}: {c.ms(cold)}", flush=True)
        months = at.session_state["months"]
        line(f"overview rerun, {label}, cache hit", [_rerun(at, months) for _ in range(RUNS)])
        miss = [_rerun(at, (f.date_from, month_start(f.date_to))) for f in ranges]
        line(f"overview rerun, {label}, cache miss", miss)
    except RuntimeError as err:
        print(f"overview on {label}: the app failed, timings skipped:\n  {err}", flush=True)
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()  # free the app's store before the next measurements


# -- the store's queries alone, and naive pandas ---------------------------------------------------
def store_queries(s: Store, f: Filters) -> dict[str, float]:
    now = overview_queries.alliance_totals(s, f)
    overview_queries.previous_totals(s, f)
    overview_queries.monthly_series(s, f)
    overview_queries.by_province(s, f, f.metric)
    s.memberships()
    return now


def pandas_load(data: Path) -> dict[str, pd.DataFrame]:
    """What a pandas user would keep in memory: the raw tables, dates parsed."""
    frames = {
        "cases": pd.read_parquet(data / "cases.parquet"),
        "clues": pd.read_parquet(data / "clues.parquet"),
        "memberships": pd.read_parquet(data / "memberships.parquet"),
    }
    frames["cases"]["opened_on"] = pd.to_datetime(frames["cases"]["opened_on"])
    frames["clues"]["issued_on"] = pd.to_datetime(frames["clues"]["issued_on"])
    from cloudsword import geo

    frames["provinces"] = geo.load_provinces()
    return frames


def _pandas_period(fr: dict[str, pd.DataFrame], f: Filters, lo: date, hi: date):
    cases, clues = fr["cases"], fr["clues"]
    lo_ts, hi_ts = pd.Timestamp(month_start(lo)), pd.Timestamp(month_end(hi))
    cs = cases[cases.clue_id.notna() & cases.opened_on.between(lo_ts, hi_ts)]
    ks = clues[clues.issued_on.between(lo_ts, hi_ts)]
    if f.provinces:
        cs, ks = cs[cs.province_adcode.isin(f.provinces)], ks[ks.handed_to.isin(f.provinces)]
    if f.categories:
        cs, ks = cs[cs.category.isin(f.categories)], ks[ks.category.isin(f.categories)]
    return cs, ks


def _pandas_totals(fr: dict[str, pd.DataFrame], f: Filters, lo: date, hi: date) -> dict[str, float]:
    cs, ks = _pandas_period(fr, f, lo, hi)
    with_case = ks.clue_id.isin(fr["cases"].clue_id.dropna().unique())
    return {
        "clues": float(len(ks)),
        "clues_with_case": float(with_case.sum()),
        "cases": float(len(cs)),
        "cases_with_suspects": float((cs.suspects_caught > 0).sum()),
        "cases_with_seizure": float(((cs.suspects_caught > 0) & (cs.seizure_cny > 0)).sum()),  # funnel
        "suspects": float(cs.suspects_caught.sum()),
        "seizure": float(cs.seizure_cny.sum()),
    }


_CASE_COLUMN = {"suspects": "suspects_caught", "seizure": "seizure_cny"}


def pandas_queries(fr: dict[str, pd.DataFrame], f: Filters) -> dict[str, float]:
    """The overview's five queries as a pandas user would write them on the raw tables."""
    now = _pandas_totals(fr, f, f.date_from, f.date_to)
    start, end = f.previous_period()
    if start >= month_start(fr["cases"].opened_on.min().date()):
        _pandas_totals(fr, f, start, end)
    cs, ks = _pandas_period(fr, f, f.date_from, f.date_to)
    monthly = (
        cs.groupby(cs.opened_on.dt.to_period("M"))[["suspects_caught", "seizure_cny"]]
        .sum()
        .join(cs.groupby(cs.opened_on.dt.to_period("M")).size().rename("cases"), how="outer")
        .join(ks.groupby(ks.issued_on.dt.to_period("M")).size().rename("clues"), how="outer")
        .reindex(pd.period_range(f.date_from, f.date_to, freq="M"), fill_value=0)
    )
    assert len(monthly) == f.months
    if f.metric == "clues":
        by_prov = ks.groupby("handed_to").size()
    elif f.metric == "cases":
        by_prov = cs.groupby("province_adcode").size()
    else:
        by_prov = cs.groupby("province_adcode")[_CASE_COLUMN[f.metric]].sum()
    prov = fr["provinces"]
    prov.loc[prov.mainland, ["adcode"]].merge(by_prov.rename("value"), left_on="adcode", right_index=True)
    fr["memberships"].merge(
        prov[["adcode", "name_zh", "name_en"]], left_on="province_adcode", right_on="adcode"
    ).sort_values(["joined_on", "province_adcode"])
    return now


def _pairs(a: dict[str, float], b: dict[str, float]) -> dict[str, tuple[float, float]]:
    return {k: (a.get(k, float("nan")), b.get(k, float("nan"))) for k in a.keys() | b.keys()}


def bench_figures(s: Store, label: str) -> None:
    """Where a cache-hit rerun goes: building the four figures and turning them into JSON."""
    import plotly.io as pio

    from cloudsword.overview import charts

    f = s.default_filters()
    now, members = overview_queries.alliance_totals(s, f), s.memberships()
    builders = {
        "funnel": lambda: charts.funnel_figure(now, "zh"),
        "timeline": lambda: charts.timeline_figure(members, s.manifest.as_of, "zh"),
        "map (app: boundaries by URL)": lambda: charts.province_map_figure(
            overview_queries.by_province(s, f, f.metric),
            f.metric,
            set(members.province_adcode),
            f.date_to,
            "zh",
            boundaries=PROVINCE_GEOJSON_URL,
        ),
        "map (export: boundaries inline)": lambda: charts.province_map_figure(
            overview_queries.by_province(s, f, f.metric),
            f.metric,
            set(members.province_adcode),
            f.date_to,
            "zh",
        ),
        "monthly": lambda: charts.monthly_figure(overview_queries.monthly_series(s, f), "zh"),
    }
    parts = []
    for name, build in builders.items():
        build()  # warm
        t_build, fig = c.timed(build)
        t_json, js = c.timed(lambda fig=fig: pio.to_json(fig, validate=False))
        parts.append(f"{name} {c.ms(t_build)} + {c.ms(t_json)} JSON ({len(js) / 1e3:,.0f} kB)")
    print(f"figures (build + JSON), {label}: " + "; ".join(parts), flush=True)


def bench_queries(data: Path, label: str, ranges: list[Filters]) -> None:
    rss0 = c.rss_mb()
    opened, s = c.timed(lambda: Store(data))
    print(f"store open, {label}: {c.ms(opened)}, +{c.rss_mb() - rss0:,.0f} MB RSS", flush=True)
    rss0 = c.rss_mb()
    loaded, fr = c.timed(lambda: pandas_load(data))
    print(f"pandas read of the Parquet files, {label}: {c.ms(loaded)}, +{c.rss_mb() - rss0:,.0f} MB RSS")
    differ = sorted(
        {
            k
            for f in (s.default_filters(), ranges[0])  # also warms both up
            for k, (a, b) in _pairs(store_queries(s, f), pandas_queries(fr, f)).items()
            if abs(a - b) > 1e-6 * max(1.0, abs(a))
        }
    )
    t_store = [c.timed(lambda f=f: store_queries(s, f))[0] for f in ranges]
    t_pandas = [c.timed(lambda f=f: pandas_queries(fr, f))[0] for f in ranges]
    bench_figures(s, label)
    line(f"store queries (5 overview queries), {label}", t_store, target=None)
    line(f"naive pandas, same queries on in-memory frames, {label}", t_pandas, target=None)
    ratio = c.median_p90(t_pandas)[0] / c.median_p90(t_store)[0]
    agree = "yes" if not differ else "NO: " + ", ".join(differ)
    print(f"ratio pandas/store, {label}: {ratio:,.1f}x (totals agree: {agree})", flush=True)


def main() -> None:
    c.quiet_streamlit()
    import cloudsword.overview.charts  # noqa: F401 - import cost is not part of a "cold" run
    import components.cache  # noqa: F401

    for data, label in c.demo_and_large():
        m = Manifest.read(data / "manifest.json")
        ranges = filter_ranges(Filters(month_start(m.start), month_end(m.end)), RUNS)
        bench_app(data, label, ranges)
        bench_queries(data, label, ranges)
        print(flush=True)


if __name__ == "__main__":
    sys.exit(main())
