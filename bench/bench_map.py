"""How long /map takes to rerun, with the shipped demo data and with 1e7 cases; how many bytes the
province map sends to the browser; and the ratio to the same page computed with naive pandas.

Prints, does not assert: timings depend on the machine. Targets: a /map rerun of at most 250 ms,
at most 1 MB for the province map figure. Reruns are measured with Streamlit's AppTest (the
server-side script run: queries, figure building, serialisation; not the browser's drawing):

- cold: the first run of /map in the process (store open, network components, the monthly
  aggregate read into memory, queries);
- cache hit: the same view again;
- cache miss: the month slider moved to a month not shown before (with the Guangdong panel open,
  so the city, trend, category and chain queries miss too), as a user playing through months;
- every cache misses: the sidebar's date range and the month changed together, so every cached
  figure of the page (map, panel, before/after, flows) is computed and built again.

The page's per-month figures are also timed alone: cut from the in-memory monthly aggregate (what
the page runs: mapcube.MonthlyCube), queried through Ibis (one query each), and computed with naive
pandas on the raw tables held in memory (filter, group by; no pre-aggregation), in the same run.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import _common as c
import numpy as np
import pandas as pd

from cloudsword import geo
from cloudsword.filters import Filters, month_end, month_start
from cloudsword.map import charts as charts_map
from cloudsword.map import cube as mapcube
from cloudsword.map import flows as charts_flows
from cloudsword.map import queries as mapview
from cloudsword.schema import HUB_KINDS
from cloudsword.store import Manifest, Store

TARGET_S = 0.250
TARGET_BYTES = 1_000_000
RUNS = 10
PROVINCE = "440000"


def line(what: str, samples: list[float], target: float | None = TARGET_S) -> None:
    med, p90 = c.median_p90(samples)
    goal = f" (target {c.ms(target)})" if target else ""
    flag = "" if target is None or med <= target else "  <-- over target"
    print(f"{what}: median {c.ms(med)}, p90 {c.ms(p90)}{goal}{flag}", flush=True)


def _check(at: object) -> None:
    problems = [e.value for e in at.exception] + [e.value for e in at.error]
    if problems:
        raise RuntimeError(str(problems[0])[:600])


def bench_app(data: Path, label: str) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["CLOUDSWORD_DATA"] = str(data)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(c.ROOT / "app.py"), default_timeout=300)
        at.query_params["lang"] = "zh"
        at.query_params["province"] = PROVINCE
        at.switch_page("views/map.py")
        cold, _ = c.timed(at.run)
        _check(at)
        print(f"/map first run (cold: store open, networks, queries), {label}: {c.ms(cold)}", flush=True)
        hits = []
        for _ in range(RUNS):
            seconds, _ = c.timed(at.run)
            _check(at)
            hits.append(seconds)
        line(f"/map rerun, {label}, cache hit (Guangdong panel open)", hits)
        options = list(at.select_slider(key="map_month").options)
        months = [date(2017, 6, 1), *[date(2016, m, 1) for m in range(1, RUNS)]][:RUNS]
        assert len(options) > RUNS
        miss = []
        for m in months:
            at.select_slider(key="map_month").set_value(m)
            seconds, _ = c.timed(at.run)
            _check(at)
            miss.append(seconds)
        line(f"/map rerun, {label}, cache miss (new month, Guangdong panel open)", miss)
        miss = []
        m = Manifest.read(data / "manifest.json")
        for f in date_ranges(Filters(month_start(m.start), month_end(m.end))):
            at.select_slider(key="months").set_value((f.date_from, f.date_to.replace(day=1)))
            at.select_slider(key="map_month").set_value(f.date_to.replace(day=1))
            seconds, _ = c.timed(at.run)
            _check(at)
            miss.append(seconds)
        line(f"/map rerun, {label}, cache miss (new date range in the sidebar: every query)", miss)
        print(
            f"  of each rerun above, AppTest compiling app.py and views/map.py: {c.ms(compile_seconds())}"
            " (a running server compiles them once)",
            flush=True,
        )
    except RuntimeError as err:
        print(f"/map on {label}: the app failed, timings skipped:\n  {err}", flush=True)
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def compile_seconds() -> float:
    """What AppTest pays on every run and a server does not: it compiles the scripts afresh."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    def compile_scripts() -> None:
        cache = ScriptCache()
        for script in ("app.py", "views/map.py"):
            cache.get_bytecode(str(c.ROOT / script))

    return c.median_p90([c.timed(compile_scripts)[0] for _ in range(5)])[0]


# -- the page's per-month figures: in memory, through Ibis, and with naive pandas -------------------
def store_month(
    s: Store,
    f: Filters,
    month: date,
    cube: mapcube.MonthlyCube | None = None,
    crossings: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """What a month change asks of the store (scope: all cases, metric: cases): cut from `cube` as
    the page does, or one Ibis query per figure without it."""
    start, end = month, month_end(month)
    values = mapview.province_values(s, f, start, end, "pop", cube=cube)
    mapview.classify(values.value, "jenks")
    mapview.city_values(s, f, PROVINCE, start, end, cube=cube)
    mapview.top_categories(s, f, PROVINCE, start, end, cube=cube)
    mapview.chain_crossing(s, f, PROVINCE, start, end, crossings)
    return values


def pandas_load(data: Path) -> dict[str, pd.DataFrame]:
    fr = {n: pd.read_parquet(data / f"{n}.parquet") for n in ("cases", "clues", "entities", "links")}
    fr["cases"]["opened_on"] = pd.to_datetime(fr["cases"]["opened_on"])
    fr["clues"]["issued_on"] = pd.to_datetime(fr["clues"]["issued_on"])
    fr["provinces"] = geo.load_provinces()
    return fr


def pandas_month(fr: dict[str, pd.DataFrame], f: Filters, month: date) -> pd.DataFrame:
    """The same figures as a pandas user would compute them from the raw tables."""
    lo, hi = pd.Timestamp(month), pd.Timestamp(month_end(month))
    cases, prov = fr["cases"], fr["provinces"]
    cs = cases[cases.opened_on.between(lo, hi)]
    by_prov = cs.groupby("province_adcode").size().rename("raw").astype(float)
    values = prov.loc[prov.mainland, ["adcode", "population", "gdp_cny"]].merge(
        by_prov, left_on="adcode", right_index=True, how="left"
    )
    values["value"] = values.raw / values.population * mapview.PER_POP
    mapview.classify(values.value, "jenks")
    gd = cs[cs.province_adcode == PROVINCE]
    gd.groupby("city_adcode").size()
    gd.groupby("category").size().sort_values(ascending=False).head(5)
    ents, links, clues = fr["entities"], fr["links"], fr["clues"]
    k = clues[(clues.handed_to == PROVINCE) & clues.issued_on.between(lo, hi)]
    hubs = ents.entity_id[ents.kind.isin(HUB_KINDS)]
    lk = links[~links.src_id.isin(hubs) & ~links.dst_id.isin(hubs)]
    both = pd.concat(
        [
            lk[["src_id", "dst_id"]].set_axis(["a", "b"], axis=1),
            lk[["dst_id", "src_id"]].set_axis(["a", "b"], axis=1),
        ]
    )
    nb = k.merge(both, left_on="entity_id", right_on="a").merge(
        ents[["entity_id", "province_adcode"]].rename(columns={"entity_id": "b"}), on="b"
    )
    nb[nb.province_adcode != nb.handed_to].clue_id.nunique()
    return values


def date_ranges(f: Filters, n: int = RUNS) -> list[Filters]:
    """`n` different whole-month ranges inside `f` (what moving the sidebar's date slider asks)."""
    months = pd.date_range(f.date_from, f.date_to, freq="MS").date
    return [f.with_(date_from=months[i], date_to=month_end(months[-1 - i])) for i in range(1, n + 1)]


def bench_figure_bytes(s: Store, label: str, cube: mapcube.MonthlyCube) -> None:
    import plotly.io as pio

    f = s.default_filters()
    values = mapview.province_values(s, f, date(2017, 7, 1), date(2017, 7, 31))
    bins = mapview.classify(values.value, "quantiles")
    classes = mapview.class_of(values.value, bins)
    mem = s.memberships()
    members = dict(zip(mem.province_adcode, mem.joined_on))
    parts = []
    for name, boundaries in (("app, boundaries by URL", geo.PROVINCE_GEOJSON_URL), ("export, inline", None)):
        build = lambda b=boundaries: charts_map.map_figure(
            values, classes, bins, "cases", "total", members, "t", "zh", boundaries=b
        )
        build()
        t_build, fig = c.timed(build)
        t_json, js = c.timed(lambda fig=fig: pio.to_json(fig, validate=False))
        n = len(js.encode("utf-8"))
        flag = "" if boundaries is None or n <= TARGET_BYTES else "  <-- over target"
        parts.append(f"{name}: {n / 1e3:,.1f} kB ({c.ms(t_build)} build + {c.ms(t_json)} JSON){flag}")
    print(
        f"province map figure bytes, {label} (target {TARGET_BYTES / 1e6:g} MB for the app): "
        + "; ".join(parts)
    )
    deck = charts_flows.flows_deck(mapview.flows(s, f), mapview.city_points(s, f, cube=cube), "cases", "zh")
    print(
        f"flow view (pydeck JSON), {label}: {len(deck.to_json().encode('utf-8')) / 1e3:,.1f} kB", flush=True
    )
    t_pic, pic = c.timed(lambda: charts_flows.flows_figure(mapview.flows(s, f), "zh", "t"))
    n = len(pio.to_json(pic, validate=False).encode("utf-8"))
    print(f"flow picture for exports (plotly, boundaries inline), {label}: {n / 1e3:,.1f} kB ({c.ms(t_pic)})")


def bench_queries(data: Path, label: str) -> None:
    opened, s = c.timed(lambda: Store(data))
    print(f"store open, {label}: {c.ms(opened)}", flush=True)
    t_net, _ = c.timed(lambda: mapview.network_components(s))
    t_links, links = c.timed(lambda: mapview.flow_links(s))
    t_flow = [c.timed(lambda f=f: mapview.flows(s, f, links))[0] for f in date_ranges(s.default_filters())]
    print(
        f"once per dataset: network components {c.ms(t_net)}, cross-province links {c.ms(t_links)}, {label}",
        flush=True,
    )
    line(f"flows for a new date range (sidebar change), {label}", t_flow, target=None)
    t_cube, cube = c.timed(lambda: mapcube.monthly_cube(s))
    t_cross, crossings = c.timed(lambda: mapview.clue_crossings(s))
    mb = (cube.place.nbytes + cube.province.nbytes) / 2**20
    print(
        f"once per dataset: monthly aggregate in memory {c.ms(t_cube)} ({mb:,.0f} MB), "
        f"clue crossings {c.ms(t_cross)}, {label}",
        flush=True,
    )
    rss0 = c.rss_mb()
    loaded, fr = c.timed(lambda: pandas_load(data))
    print(f"pandas read of the Parquet files, {label}: {c.ms(loaded)}, +{c.rss_mb() - rss0:,.0f} MB RSS")
    f = s.default_filters()
    months = [date(2016, m, 1) for m in range(1, RUNS + 1)]
    # warm up, and compare: the page's cut, the Ibis queries and pandas give the same map values
    a, q, b = (
        store_month(s, f, months[0], cube, crossings),
        store_month(s, f, months[0], crossings=crossings),
        pandas_month(fr, f, months[0]),
    )
    agree = all(
        np.allclose(a.set_index("adcode").value.fillna(-1), x.set_index("adcode").value.fillna(-1))
        for x in (q, b)
    )
    t_cube = [c.timed(lambda m=m: store_month(s, f, m, cube, crossings))[0] for m in months]
    t_store = [c.timed(lambda m=m: store_month(s, f, m, crossings=crossings))[0] for m in months]
    t_pandas = [c.timed(lambda m=m: pandas_month(fr, f, m))[0] for m in months]
    line(
        f"one month (map + Guangdong panel) as the page computes it, in memory, {label}", t_cube, target=None
    )
    line(f"the same as one Ibis query per figure, {label}", t_store, target=None)
    line(f"naive pandas, same figures on in-memory frames, {label}", t_pandas, target=None)
    med = {k: c.median_p90(v)[0] for k, v in (("cube", t_cube), ("store", t_store), ("pandas", t_pandas))}
    print(
        f"ratio pandas/page, {label}: {med['pandas'] / med['cube']:,.1f}x (pandas/Ibis queries "
        f"{med['pandas'] / med['store']:,.1f}x; map values agree: {'yes' if agree else 'NO'})",
        flush=True,
    )
    bench_figure_bytes(s, label, cube)


def main() -> None:
    c.quiet_streamlit()
    import components.cache  # noqa: F401 - import cost is not part of a "cold" run

    for data, label in c.demo_and_large(sys.argv[1] if sys.argv[1:] else None):
        bench_app(data, label)
        bench_queries(data, label)
        print(flush=True)


if __name__ == "__main__":
    sys.exit(main())
