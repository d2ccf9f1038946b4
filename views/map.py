"""Province map (/map): where enforcement happens, how it moves month by month, where chains cross
provinces. Thin: reads widgets and page params, calls the core through the cache, places results.

Page params (all in the URL, checked, with a short notice and the default on a bad value):
norm, cls, scope, span, month (YYYY-MM), province (adcode), pivot (YYYY-MM), window, cmp (pair | diff).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from cloudsword import geo
from cloudsword.filters import add_months, month_end, month_start
from cloudsword.i18n import format_date, format_month, format_number, t
from cloudsword.map import charts as charts_map
from cloudsword.map import compare as charts_compare
from cloudsword.map import flows as charts_flows
from cloudsword.map import queries as mapview
from components import cache
from components.context import view
from components.downloads import chart_downloads
from components.params import page_param, seed_widget, set_page_param, sync_param

v = view()
lang, version, store = v.lang, v.version, v.store
f = v.filters.with_(extra=())  # page params stay out of the cache keys
months = mapview.months(f)
members_all = cache.memberships(version)
joined = dict(zip(members_all.province_adcode, members_all.joined_on))
illustrative = dict(zip(members_all.province_adcode, members_all.illustrative))
MAINLAND = set(geo.load_provinces().query("mainland").adcode)
WINDOWS = (1, 3, 6, 12)
CMP_VIEWS = ("pair", "diff")  # before/after: two maps side by side, or one map of the change


def _parse_month(raw: str | None) -> date | None:
    try:
        d = date.fromisoformat(f"{raw}-01") if raw and len(raw) == 7 else date.fromisoformat(str(raw))
    except ValueError:
        return None
    return month_start(d)


# -- controls -------------------------------------------------------------------------------------
seed_widget("map_norm", "norm", mapview.NORMS, "total", lang=lang)
seed_widget("map_cls", "cls", mapview.CLASSIFIERS, "quantiles", lang=lang)
seed_widget("map_scope", "scope", mapview.SCOPES, "all", lang=lang)
seed_widget("map_span", "span", mapview.SPANS, "month", lang=lang)
seed_widget("map_month", "month", months, months[-1], _parse_month, lang=lang)

raw_province = page_param("province")
if raw_province is not None and raw_province not in MAINLAND:
    st.warning(t("map.panel.unknown", lang, value=raw_province))
    set_page_param("province", None)

st.header(t("map.title", lang))
c1, c2, _ = st.columns([1.25, 0.75, 0.5])
c3, c4, c5 = st.columns([1.25, 0.75, 0.5], vertical_alignment="bottom")
CHOICES = {"norm": mapview.NORMS, "cls": mapview.CLASSIFIERS, "scope": mapview.SCOPES, "span": mapview.SPANS}
for col, (name, options) in zip((c1, c2, c3, c4), CHOICES.items()):
    col.segmented_control(
        t(f"map.{name}", lang),
        options,
        key=f"map_{name}",
        required=True,
        format_func=lambda x, name=name: t(f"map.{name}.{x}", lang),
    )
mv = mapview.MapView(
    st.session_state["map_norm"],
    st.session_state["map_cls"],
    st.session_state["map_scope"],
    st.session_state["map_span"],
)
for name in ("norm", "cls", "scope", "span"):
    sync_param(name, getattr(mv, name))
playing = c5.toggle(t("map.play", lang), key="map_play")


def _select(points: list[dict]) -> None:
    for p in points:
        code = (p.get("customdata") or [None])[0] or p.get("location")
        if code in MAINLAND:
            set_page_param("province", code)
            return


def _on_select() -> None:
    state = st.session_state.get("map_chart")
    sel = getattr(state, "selection", None) or (state or {}).get("selection", {})
    _select(list(sel.get("points", [])) if sel else [])


def _close() -> None:
    set_page_param("province", None)


def _fragment_only_run() -> bool:
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        return bool(ctx and ctx.fragment_ids_this_run)
    except Exception:  # noqa: BLE001 - an internal API: without it, play still advances on full runs
        return False


def export_row(
    values: pd.DataFrame, classes: pd.Series, bins: list[float], members: dict, title: str, month_key: str
) -> None:
    """The map's download menu (image, interactive file, its data) and the permalink."""
    labels = charts_map.class_labels(bins, float(values.value.min()), f.metric, mv.norm, lang) if bins else []
    table = pd.DataFrame(
        {
            t("map.col.province", lang): list(values.adcode.map(charts_map.province_names(lang))),
            "adcode": values.adcode,
            t("map.col.raw", lang): values.raw,
            t("map.col.value", lang): values.value,
            t("map.col.cls", lang): [labels[c] if c >= 0 else t("map.legend.no_data", lang) for c in classes],
            t("map.col.member", lang): [x in members for x in values.adcode],
        }
    )

    def _export_figure():  # files carry their boundaries (the page's figure loads them by URL)
        return charts_map.map_figure(
            values, classes, bins, f.metric, mv.norm, members, title, lang, boundaries=None, zoom=3.15
        )

    e1, e2 = st.columns([1, 5], vertical_alignment="center")
    with e1:
        chart_downloads(_export_figure, table, f"map-{f.metric}-{mv.norm}-{month_key}", "map_dl", lang, title)
    query = urlencode({k: st.query_params.get_all(k) for k in st.query_params}, doseq=True)
    base = (getattr(st.context, "url", None) or "").split("?")[0]
    e2.popover(t("map.export.permalink", lang)).code(
        f"{base}?{query}" if base else f"/map?{query}", language=None
    )


# -- map, month slider and province panel (a fragment: play reruns only this part) ---------------
def map_section() -> None:
    shown = st.session_state["map_month"]
    if playing and _fragment_only_run() and shown == st.session_state.get("_map_month_shown"):
        # a timer tick (not the user moving the slider): one month on, round to the start at the end
        i = months.index(shown) if shown in months else -1
        st.session_state["map_month"] = months[(i + 1) % len(months)]
    st.select_slider(
        t("map.month", lang), options=months, key="map_month", format_func=lambda d: format_month(d, lang)
    )
    month = st.session_state["map_month"]
    st.session_state["_map_month_shown"] = month
    sync_param("month", month.strftime("%Y-%m"))
    start, end = mapview.period(f, month, mv.span)
    values = cache.map_province_values(version, f.over(start, end), start, end, mv.norm, mv.alliance_only)
    bins = mapview.classify(values.value, mv.cls)
    classes = mapview.class_of(values.value, bins)
    members = {a: d for a, d in joined.items() if d <= month_end(month)}
    month_text = format_month(month, lang)
    if mv.span == "cumul":
        month_text = t("map.figure.cumul", lang, month=month_text)
    title = t(
        "map.figure",
        lang,
        metric=t(f"metric.{f.metric}", lang),
        norm=t(f"map.norm.{mv.norm}", lang),
        month=month_text,
    )
    fig = charts_map.map_figure(
        values,
        classes,
        bins,
        f.metric,
        mv.norm,
        members,
        title,
        lang,
        height=720,
        boundaries=geo.PROVINCE_GEOJSON_URL,
        zoom=3.35,
        selected=page_param("province"),
    )
    st.caption(
        t(
            "map.caption",
            lang,
            metric=t(f"metric.{f.metric}", lang),
            scope=t(f"map.scope.{mv.scope}", lang),
            start=format_date(start, lang),
            end=format_date(end, lang),
        )
    )
    if values.raw.isna().all():
        st.info(t("map.empty", lang))
    st.plotly_chart(
        fig,
        key="map_chart",
        on_select=_on_select,
        selection_mode="points",
        config={
            "displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": "cloudsword-map"},
        },
    )
    export_row(values, classes, bins, members, title, month.strftime("%Y-%m"))
    province = page_param("province")
    if province in MAINLAND:
        province_panel(province, month, start, end)


def province_panel(province: str, month: date, start: date, end: date) -> None:
    name = geo.province_name(province, lang, short=True)
    metric = t(f"metric.{f.metric}", lang)
    head, close = st.columns([4, 1])
    head.subheader(name)
    close.button(t("map.panel.close", lang), on_click=_close, key="map_close")
    d = joined.get(province)
    if d is not None:
        note = t("map.panel.member", lang, date=format_date(d, lang))
        st.caption(note + (t("map.panel.illustrative", lang) if illustrative.get(province) else ""))
    else:
        st.caption(t("map.panel.nonmember", lang))
    left, right = st.columns(2)
    with left:
        cities = cache.map_city_values(version, f.over(start, end), province, start, end, mv.alliance_only)
        title = t("map.panel.cities", lang, province=name, metric=metric)
        fig = charts_map.city_figure(cities, province, f.metric, title, lang, boundaries=geo.CITY_GEOJSON_URL)
        st.plotly_chart(fig, key="map_cities")
        chart_downloads(
            lambda: charts_map.city_figure(cities, province, f.metric, title, lang),
            cities,
            f"map-{province}-cities",
            "map_cities_dl",
            lang,
        )
        crossing = cache.map_crossing(version, f.over(start, end), province, start, end)
        if crossing["clues"]:
            st.metric(
                t("map.panel.cross", lang),
                f"{crossing['share'] * 100:.0f}%",
                help=t(
                    "map.panel.cross_help",
                    lang,
                    n=format_number(crossing["crossing"], lang),
                    total=format_number(crossing["clues"], lang),
                ),
                border=True,
            )
            st.caption(
                t(
                    "map.panel.cross_count",
                    lang,
                    n=format_number(crossing["crossing"], lang),
                    total=format_number(crossing["clues"], lang),
                )
            )
        else:
            st.metric(t("map.panel.cross", lang), "—", help=t("map.panel.cross_none", lang), border=True)
    with right:
        trend = cache.map_trend(version, f, province, mv.alliance_only)
        title = t("map.panel.trend", lang, province=name, metric=metric)
        trend_fig = charts_map.trend_figure(trend, f.metric, d, month, title, lang)
        st.plotly_chart(trend_fig, key="map_trend")
        chart_downloads(trend_fig, trend, f"map-{province}-trend", "map_trend_dl", lang)
        cats = cache.map_categories(version, f.over(start, end), province, start, end, mv.alliance_only)
        if len(cats):
            title = t("map.panel.categories", lang, province=name)
            cats_fig = charts_map.categories_figure(cats, f.metric, title, lang)
            st.plotly_chart(cats_fig, key="map_cats")
            chart_downloads(cats_fig, cats, f"map-{province}-categories", "map_cats_dl", lang)
    st.markdown(f"**{t('map.panel.networks', lang)}**", help=t("map.panel.networks_help", lang))
    nets = cache.map_networks(version, province)
    if nets.empty:
        st.caption(t("map.panel.no_networks", lang))
    rows = [
        "- "
        + t(
            "map.panel.network_row",
            lang,
            name=str(r.name).replace("[", "(").replace("]", ")"),
            url="/network?" + urlencode({**f.to_query_params(), "entity": r.entity_id}, doseq=True),
            entities=format_number(r.entities, lang),
            provinces=int(r.provinces),
            clues=format_number(r.clues, lang),
        )
        for r in nets.itertuples()
    ]
    if rows:
        st.markdown("\n".join(rows))


st.fragment(run_every=1.5 if playing else None)(map_section)()


# -- before and after ---------------------------------------------------------------------------------
st.divider()
st.subheader(t("map.compare.title", lang))
province = page_param("province")
default_pivot = month_start(joined[province]) if province in joined else None
if default_pivot not in months:
    later = [month_start(d) for d in joined.values() if month_start(d) in months]
    default_pivot = max(later) if later else months[len(months) // 2]
seed_widget("map_pivot", "pivot", months, default_pivot, _parse_month, lang=lang)
seed_widget("map_window", "window", WINDOWS, 3, lambda x: int(x) if str(x).isdigit() else None, lang=lang)
seed_widget("map_cmp", "cmp", CMP_VIEWS, "pair", lang=lang)
view_label = lambda x: t(f"map.compare.view.{x}", lang)  # noqa: E731
st.segmented_control(
    t("map.compare.view", lang), CMP_VIEWS, key="map_cmp", required=True, format_func=view_label
)
cmp_view = st.session_state["map_cmp"]
sync_param("cmp", cmp_view, "pair")
a, b = st.columns([3, 1])
a.select_slider(
    t("map.compare.pivot", lang), options=months, key="map_pivot", format_func=lambda d: format_month(d, lang)
)
b.selectbox(t("map.compare.window", lang), WINDOWS, key="map_window")
pivot, window = st.session_state["map_pivot"], st.session_state["map_window"]
sync_param("pivot", pivot.strftime("%Y-%m"))
sync_param("window", str(window))
b_start, b_end = max(add_months(pivot, -window), months[0]), month_end(add_months(pivot, -1))
a_start, a_end = pivot, month_end(min(add_months(pivot, window - 1), months[-1]))
if b_end < b_start:
    b_start, b_end = months[0], month_end(months[0])
if b_start > add_months(pivot, -window) or a_end < month_end(add_months(pivot, window - 1)):
    st.caption(t("map.compare.short", lang))
before, after = (b_start, b_end), (a_start, a_end)


def _period_values(period: tuple[date, date]) -> pd.DataFrame:
    return cache.map_province_values(version, f.over(*period), *period, mv.norm, mv.alliance_only)


def _compare_file(which: int):  # noqa: ANN202 - a figure builder for the download menu
    def build():  # noqa: ANN202 - files carry their boundaries; the page's figures load them by URL
        b, a = _period_values(before), _period_values(after)
        args = (b, a, before, after, f.metric, mv.norm, mv.cls, members_all, lang)
        return charts_compare.compare_figures(*args, boundaries=None)[which]

    return build


def pair_section() -> None:
    """The two periods side by side, one set of classes."""
    args = (version, f.over(b_start, a_end), before, after, mv.norm, mv.cls, mv.alliance_only, lang)
    before_fig, after_fig = cache.map_compare_figures(*args)
    left, right = st.columns(2)
    for which, (col, fig, period, when) in enumerate(
        ((left, before_fig, before, "before"), (right, after_fig, after, "after"))
    ):
        col.plotly_chart(fig, key=f"map_{when}")
        with col:
            name = f"map-{when}-{pivot:%Y-%m}-{window}m"
            chart_downloads(_compare_file(which), _period_values(period), name, f"map_{when}_dl", lang)
    st.caption(t("map.compare.note", lang))


def difference_section() -> None:
    """One map of the change per month from before to after (monthly averages, so periods clipped
    at the data's ends still compare)."""
    args = (version, f.over(b_start, a_end), before, after)
    diff = cache.map_difference(*args, mv.norm, mv.alliance_only)
    if diff.change.isna().all():
        st.info(t("map.diff.empty", lang))
    fig = cache.map_difference_figure(*args, pivot, mv.norm, mv.alliance_only, lang)
    st.plotly_chart(fig, key="map_diff", config={"displaylogo": False})

    def _export_figure():  # noqa: ANN202 - files carry their boundaries; the page's map loads them by URL
        return charts_compare.difference_figure(
            diff, f.metric, mv.norm, members_all, pivot, lang, boundaries=None, periods=(before, after)
        )

    table = charts_compare.difference_table(diff, lang)
    chart_downloads(_export_figure, table, f"map-change-{pivot:%Y-%m}-{window}m", "map_diff_dl", lang)
    st.caption(charts_compare.difference_note(before, after, f.metric, mv.norm, lang))


if cmp_view == "diff":
    difference_section()
else:
    pair_section()


# -- flows ----------------------------------------------------------------------------------------
st.divider()
st.subheader(t("map.flows.title", lang))
st.caption(t("map.flows.caption", lang, metric=t(f"metric.{f.metric}", lang)))
flows = cache.map_flows(version, f)
if flows.empty:
    st.caption(t("map.flows.empty", lang))
st.pydeck_chart(cache.map_flows_deck(version, f, mv.alliance_only, lang), key="map_flows")
chart_downloads(  # the deck.gl view cannot be saved as a picture: files carry its plotly twin
    lambda: charts_flows.flows_figure(flows, lang, t("map.flows.title", lang)),
    flows,
    "map-flows",
    "map_flows_dl",
    lang,
)
