"""Province map (/map): where enforcement happens, how it moves month by month, where chains cross
provinces. The page's own parameters (cloudsword.map.params.MapParams) live in the URL."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from cloudsword import geo
from cloudsword.i18n import format_date, format_month, format_number, md, t
from cloudsword.map import charts, compare, flows, queries
from cloudsword.map.params import CLASSIFIERS, CMP_VIEWS, NORMS, SCOPES, SPANS, WINDOWS, MapParams, months
from cloudsword.network.params import NetworkParams
from components import url
from components.cache import map as cached
from components.cache import memberships
from components.cache import network as network_cache
from components.context import view
from components.downloads import chart_downloads
from components.lazy import opened
from components.records import case_records, records_box

v = view()
store, f, lang, who = v.store, v.filters, v.lang, v.principal
in_range = months(f)
members_all = memberships(store)
joined = dict(zip(members_all.province_adcode, members_all.joined_on))
illustrative = dict(zip(members_all.province_adcode, members_all.illustrative))
MAINLAND = set(geo.load_provinces().query("mainland").adcode)  # the provinces with data and a panel
CHOICES = {"norm": NORMS, "cls": CLASSIFIERS, "scope": SCOPES, "span": SPANS}
WIDGETS = {name: f"map_{name}" for name in CHOICES}
MAP_HEIGHT = 590  # px: under the app's header, the month slider and the caption, it ends above 900 px


def controls() -> tuple[MapParams, bool]:
    """How the map measures and classes, and the play toggle."""
    p = url.page_params("map", MapParams.from_query, in_range).within(in_range)
    url.seed_all(p, WIDGETS)
    c1, c2, _ = st.columns([1.15, 1, 0.4])  # wide enough for "Equal intervals" at 1440 px
    c3, c4, c5 = st.columns([1.15, 1, 0.4], vertical_alignment="bottom")
    for col, (name, options) in zip((c1, c2, c3, c4), CHOICES.items()):
        col.segmented_control(
            t(f"map.{name}", lang),
            options,
            key=WIDGETS[name],
            required=True,
            format_func=lambda x, name=name: t(f"map.{name}.{x}", lang),
        )
    playing = c5.toggle(t("map.play", lang), key="map_play")
    p = url.read_all(p, WIDGETS)
    url.keep("map", p)
    return p, playing


def _on_select() -> None:
    state = st.session_state.get("map_chart")
    sel = getattr(state, "selection", None) or (state or {}).get("selection", {})
    province = charts.clicked_province(list(sel.get("points", [])) if sel else [], MAINLAND)
    if province is not None:
        url.update("map", province=province)


def _timer_tick(shown: date) -> bool:
    """A run of the playing fragment by its timer, not by the user moving the slider."""
    ctx = get_script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run) and shown == st.session_state.get("_map_month_shown")


# -- map, month slider and province panel (a fragment: play reruns only this part) ---------------
def map_section(playing: bool) -> None:
    p = url.current("map")
    url.seed("map_month", p.shown_month(in_range), in_range)
    if playing and _timer_tick(st.session_state["map_month"]):  # one month on, back to the start at the end
        i = in_range.index(st.session_state["map_month"])
        st.session_state["map_month"] = in_range[(i + 1) % len(in_range)]
    st.select_slider(
        t("map.month", lang), options=in_range, key="map_month", format_func=lambda d: format_month(d, lang)
    )
    month = st.session_state["_map_month_shown"] = st.session_state["map_month"]
    url.update("map", month=month)
    url.write()  # a fragment's run does not reach the end of app.py
    p = url.current("map")
    start, end = p.period(in_range)
    values = cached.province_values(store, f.over(start, end), start, end, p.norm, p.alliance_only)
    bins = queries.classify(values.value, p.cls, counts=queries.whole(f.metric, p.norm))
    classes = queries.class_of(values.value, bins)
    members = {a: d for a, d in joined.items() if d <= end}
    title = charts.map_title(f.metric, p.norm, month, p.span, lang)
    scope = t(f"map.scope.{p.scope}", lang)
    metric = t(f"metric.{f.metric}", lang)
    period = dict(start=format_date(start, lang), end=format_date(end, lang))
    st.caption(t("map.caption", lang, metric=metric, scope=scope, **period))
    if values.raw.isna().all():
        st.info(t("map.empty", lang))
    fig = charts.map_figure(
        values, classes, bins, f.metric, p.norm, members, title, lang,
        height=MAP_HEIGHT, boundaries=geo.PROVINCE_GEOJSON_URL, selected=p.province,
    )  # fmt: skip
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": "cloudsword-map"}}
    st.plotly_chart(fig, key="map_chart", on_select=_on_select, selection_mode="points", config=config)

    def export_figure() -> object:  # files carry their boundaries (the page's figure loads them by URL)
        return charts.map_figure(
            values, classes, bins, f.metric, p.norm, members, title, lang, 720, None, width=1280
        )

    e1, e2 = st.columns([1, 5], vertical_alignment="center")
    with e1:
        table = charts.class_table(values, classes, bins, members, f.metric, p.norm, lang)
        chart_downloads(export_figure, table, f"map-{f.metric}-{p.norm}-{month:%Y-%m}", "map_dl", lang, title)
    e2.popover(t("map.export.permalink", lang)).code(url.absolute(), language=None)
    if p.province in MAINLAND:
        province_panel(p, month, start, end)


def province_panel(p: MapParams, month: date, start: date, end: date) -> None:
    province = p.province
    name = geo.province_name(province, lang, short=True)
    metric = t(f"metric.{f.metric}", lang)
    head, close = st.columns([4, 1])
    head.subheader(name)
    close.button(t("map.panel.close", lang), on_click=url.update, args=("map",), kwargs={"province": None})
    d = joined.get(province)
    if d is not None:
        note = t("map.panel.member", lang, date=format_date(d, lang))
        st.caption(note + (t("map.panel.illustrative", lang) if illustrative.get(province) else ""))
    else:
        st.caption(t("map.panel.nonmember", lang))
    month_cases(p, province, name, month)
    left, right = st.columns(2)
    with left:
        cities = cached.city_values(store, f.over(start, end), province, start, end, p.alliance_only)
        title = t("map.panel.cities", lang, province=name, metric=metric)
        fig = charts.city_figure(cities, province, f.metric, title, lang, boundaries=geo.CITY_GEOJSON_URL)
        st.plotly_chart(fig, key="map_cities")
        chart_downloads(
            lambda: charts.city_figure(cities, province, f.metric, title, lang),
            cities,
            f"map-{province}-cities",
            "map_cities_dl",
            lang,
        )
        crossing_share(province, start, end)
    with right:
        trend = cached.trend(store, f, province, p.alliance_only)
        title = t("map.panel.trend", lang, province=name, metric=metric)
        trend_fig = charts.trend_figure(trend, f.metric, d, month, title, lang)
        st.plotly_chart(trend_fig, key="map_trend")
        chart_downloads(trend_fig, trend, f"map-{province}-trend", "map_trend_dl", lang)
        cats = cached.categories(store, f.over(start, end), province, start, end, p.alliance_only)
        if len(cats):
            title = t("map.panel.categories", lang, province=name)
            cats_fig = charts.categories_figure(cats, f.metric, title, lang)
            st.plotly_chart(cats_fig, key="map_cats")
            chart_downloads(cats_fig, cats, f"map-{province}-categories", "map_cats_dl", lang)
    networks(province)


def month_cases(p: MapParams, province: str, name: str, month: date) -> None:
    """The province's cases in the map's month, largest seizure first: built only when opened."""
    label = t("map.panel.cases", lang, province=name, month=format_month(month, lang))
    box = records_box(label, "map_cases", lang, who)
    if box is None:
        return
    with box:
        rows, total = cached.month_cases(store, f, province, month, p.alliance_only)
        if p.alliance_only:
            st.caption(t("map.panel.cases_alliance", lang))
        case_records(rows, total, f"map-{province}-{month:%Y-%m}-cases", "map_cases", lang, who)


def crossing_share(province: str, start: date, end: date) -> None:
    crossing = cached.crossing(store, f.over(start, end), province, start, end)
    if not crossing["clues"]:
        st.metric(t("map.panel.cross", lang), "—", help=t("map.panel.cross_none", lang), border=True)
        return
    counts = dict(n=format_number(crossing["crossing"], lang), total=format_number(crossing["clues"], lang))
    share = f"{crossing['share'] * 100:.0f}%"
    st.metric(t("map.panel.cross", lang), share, help=t("map.panel.cross_help", lang, **counts), border=True)
    st.caption(t("map.panel.cross_count", lang, **counts))


def networks(province: str) -> None:
    """The largest seller networks that reach the province, each a link to its network page."""
    st.markdown(f"**{t('map.panel.networks', lang)}**", help=t("map.panel.networks_help", lang))
    nets = cached.networks(store, province)
    if nets.empty:
        st.caption(t("map.panel.no_networks", lang))
        return
    graph = network_cache.graph(store)

    def row(r: object) -> str:
        """The counts of the network as the link opens it, and of the whole linked group."""
        opened = NetworkParams(entity=r.entity_id)
        entities, provinces = network_cache.reach(store, opened.ego(r.entity_id, graph))
        return "- " + t(
            "map.panel.network_row",
            lang,
            name=md(str(r.name)),
            url=url.link("network", opened),
            entities=format_number(entities, lang),
            provinces=provinces,
            hops=opened.hops,
            group=format_number(r.entities, lang),
            group_provinces=int(r.provinces),
            clues=format_number(r.clues, lang),
        )

    rows = [row(r) for r in nets.itertuples()]
    st.markdown("\n".join(rows))


# -- before and after ---------------------------------------------------------------------------------
def comparison() -> None:
    st.divider()
    st.subheader(t("map.compare.title", lang))
    p = url.current("map")
    url.seed("map_pivot", p.pivot_in(in_range, joined), in_range)
    url.seed("map_window", p.window)
    url.seed("map_cmp", p.cmp)
    st.segmented_control(
        t("map.compare.view", lang),
        CMP_VIEWS,
        key="map_cmp",
        required=True,
        format_func=lambda x: t(f"map.compare.view.{x}", lang),
    )
    a, b = st.columns([3, 1])
    a.select_slider(
        t("map.compare.pivot", lang), in_range, key="map_pivot", format_func=lambda d: format_month(d, lang)
    )
    b.selectbox(t("map.compare.window", lang), WINDOWS, key="map_window")
    ss = st.session_state
    url.update("map", pivot=ss["map_pivot"], window=ss["map_window"], cmp=ss["map_cmp"])
    p = url.current("map")
    before, after, clipped = p.windows(in_range, joined)
    if clipped:
        st.caption(t("map.compare.short", lang))
    (difference if p.cmp == "diff" else side_by_side)(p, before, after)


def side_by_side(p: MapParams, before: tuple[date, date], after: tuple[date, date]) -> None:
    """The two periods side by side, one set of classes."""

    def values_in(period: tuple[date, date]) -> pd.DataFrame:
        return cached.province_values(store, f.over(*period), *period, p.norm, p.alliance_only)

    key = (store, f.over(before[0], after[1]), before, after, p.norm)
    figs = cached.compare_figures(*key, p.cls, p.alliance_only, lang)
    for which, (col, when, period) in enumerate(zip(st.columns(2), ("before", "after"), (before, after))):
        col.plotly_chart(figs[which], key=f"map_{when}")

        def export_figure(which: int = which) -> object:  # files carry their boundaries
            b, a = (
                cached.province_values(store, f.over(*x), *x, p.norm, p.alliance_only)
                for x in (before, after)
            )
            args = (b, a, before, after, f.metric, p.norm, p.cls, members_all, lang)
            return compare.compare_figures(*args, boundaries=None)[which]

        with col:
            name = f"map-{when}-{p.pivot:%Y-%m}-{p.window}m"
            chart_downloads(export_figure, values_in(period), name, f"map_{when}_dl", lang)
    st.caption(t("map.compare.note", lang))


def difference(p: MapParams, before: tuple[date, date], after: tuple[date, date]) -> None:
    """One map of the change per month from before to after (monthly averages, so periods clipped
    at the data's ends still compare)."""
    key = (store, f.over(before[0], after[1]), before, after)
    diff = cached.difference(*key, p.norm, p.alliance_only)
    if diff.change.isna().all():
        st.info(t("map.diff.empty", lang))
    pivot = p.pivot_in(in_range, joined)
    st.plotly_chart(
        cached.difference_figure(*key, pivot, p.norm, p.alliance_only, lang),
        key="map_diff",
        config={"displaylogo": False},
    )

    def export_figure() -> object:  # files carry their boundaries; the page's map loads them by URL
        return compare.difference_figure(
            diff, f.metric, p.norm, members_all, pivot, lang, boundaries=None, periods=(before, after)
        )

    table = compare.difference_table(diff, lang)
    chart_downloads(export_figure, table, f"map-change-{pivot:%Y-%m}-{p.window}m", "map_diff_dl", lang)
    st.caption(compare.difference_note(before, after, f.metric, p.norm, lang))


# -- flows ----------------------------------------------------------------------------------------
def chain_flows(p: MapParams) -> None:
    """Built only once opened: a third WebGL view under the page's maps, deck.gl's first frame took
    seconds of the browser's drawing on every visit, for a view few visits ask for."""
    box = opened(t("map.flows.title", lang), "map_flows_box")
    if box is not None:
        with box:
            flow_view(p)


def flow_view(p: MapParams) -> None:
    st.caption(t("map.flows.caption", lang, metric=t(f"metric.{f.metric}", lang)))
    routes = cached.chain_flows(store, f)
    if routes.empty:
        st.caption(t("map.flows.empty", lang))
    st.pydeck_chart(cached.flows_deck(store, f, p.alliance_only, lang), key="map_flows")
    chart_downloads(  # the deck.gl view cannot be saved as a picture: files carry its plotly twin
        lambda: flows.flows_figure(routes, lang, t("map.flows.title", lang)),
        routes,
        "map-flows",
        "map_flows_dl",
        lang,
    )


st.header(t("map.title", lang))
chart_area, controls_area = st.container(), st.container()  # the map first, its controls under it
with controls_area:
    params, playing = controls()
with chart_area:
    st.fragment(run_every=1.5 if playing else None)(map_section)(playing)
comparison()
chain_flows(url.current("map"))
