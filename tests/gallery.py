"""One of every chart the app exports, built by the features' own builders over the demo data:
what the export tests render and measure."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

from cloudsword.filters import month_end
from cloudsword.map import charts as map_charts
from cloudsword.map import compare, flows
from cloudsword.map import queries as map_queries
from cloudsword.network import analysis as network_analysis
from cloudsword.network import charts as network_charts
from cloudsword.network import graph
from cloudsword.network.params import NetworkParams
from cloudsword.overview import charts as overview_charts
from cloudsword.overview import queries as overview_queries
from cloudsword.store import Store
from cloudsword.story import default_story
from cloudsword.trends import analysis as trends_analysis
from cloudsword.trends import charts as trends_charts

BEFORE, AFTER = (date(2017, 2, 1), date(2017, 4, 30)), (date(2017, 5, 1), date(2017, 7, 31))


def every_chart(store: Store, lang: str) -> dict[str, go.Figure]:
    f = store.default_filters()
    mem = store.memberships()
    june = (date(2017, 6, 1), month_end(date(2017, 6, 1)))
    out: dict[str, go.Figure] = {
        "overview-funnel": overview_charts.funnel_figure(overview_queries.alliance_totals(store, f), lang),
        "overview-members": overview_charts.timeline_figure(mem, store.manifest.as_of, lang),
        "overview-monthly": overview_charts.monthly_figure(overview_queries.alliance_series(store, f), lang),
        "overview-map": overview_charts.province_map_figure(
            overview_queries.by_province(store, f, "cases"),
            "cases",
            set(mem.province_adcode),
            f.date_to,
            lang,
        ),
    }
    v = map_queries.province_values(store, f.over(*june), *june, "pop")
    bins = map_queries.classify(v.value, "quantiles")
    members = {a: d for a, d in zip(mem.province_adcode, mem.joined_on) if d <= june[1]}
    out["map"] = map_charts.map_figure(
        v,
        map_queries.class_of(v.value, bins),
        bins,
        "cases",
        "pop",
        members,
        "t",
        lang,
        720,
        None,
        width=1280,
    )
    gd = "440000"
    out["map-cities"] = map_charts.city_figure(
        map_queries.city_values(store, f.over(*june), gd, *june), gd, "cases", "cities", lang
    )
    out["map-trend"] = map_charts.trend_figure(
        map_queries.province_trend(store, f, gd), "cases", date(2017, 5, 1), june[0], "trend", lang
    )
    cats = map_queries.top_categories(store, f, gd, f.date_from, f.date_to)
    out["map-categories"] = map_charts.categories_figure(cats, "cases", "categories", lang)
    b, a = (map_queries.province_values(store, f.over(*p), *p, "total") for p in (BEFORE, AFTER))
    out["map-before"], out["map-after"] = compare.compare_figures(
        b, a, BEFORE, AFTER, "cases", "total", "quantiles", mem, lang
    )
    diff = compare.difference_frame(b, a, BEFORE, AFTER)
    out["map-change"] = compare.difference_figure(
        diff, "cases", "total", mem, AFTER[0], lang, periods=(BEFORE, AFTER)
    )
    out["map-flows"] = flows.flows_figure(map_queries.flows(store, f), lang, "flows")
    panel = trends_analysis.build_panel(store, trends_analysis.panel_filters(f))
    est = trends_analysis.estimate(panel, "cases")
    out["trends-event-study"] = trends_charts.event_study_figure(est, lang)
    out["trends-aligned"] = trends_charts.aligned_figure(
        trends_analysis.aligned_series(panel, "cases"), "cases", lang
    )
    out["trends-provinces"] = trends_charts.province_series_figure(panel, "cases", lang)
    g = graph.graph_from_store(store)
    entity = default_story(store)[3].view.split("entity=")[1].split("&")[0]
    shown = network_analysis.ego_view(g, NetworkParams(entity=entity).ego(entity, g))
    out["network-graph"] = network_charts.graph_figure(shown["nodes"], shown["links"], lang, "graph", entity)
    out["network-timeline"] = network_charts.timeline_figure(shown["full_links"], lang)
    out["network-map"] = network_charts.map_figure(shown["nodes"], shown["links"], lang, "map")
    return out
