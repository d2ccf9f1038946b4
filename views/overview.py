"""Overview (/): the alliance's own work, and what came of its clues."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cloudsword.geo import PROVINCE_GEOJSON_URL
from cloudsword.i18n import format_date, t
from cloudsword.overview import charts
from components.cache import memberships
from components.cache import overview as cached
from components.context import view
from components.downloads import chart_downloads
from components.kpi import kpi_row
from components.records import case_records, records_box

v = view()
store, f, lang, who = v.store, v.filters, v.lang, v.principal
TOP = 20  # the largest seizures listed


def headline() -> dict[str, float]:
    st.header(t("overview.title", lang))
    scope = t(
        "overview.kpi_scope", lang, start=format_date(f.date_from, lang), end=format_date(f.date_to, lang)
    )
    st.caption(scope + " " + t("asof", lang, date=format_date(store.manifest.as_of, lang)))
    now = cached.alliance_totals(store, f)
    kpi_row(now, cached.previous_totals(store, f), f, lang)
    if not any(now.values()):
        st.warning(t("overview.empty", lang))
    return now


def funnel(now: dict[str, float]) -> None:
    fig = charts.funnel_figure(now, lang)
    st.plotly_chart(fig, key="funnel")
    st.caption(t("overview.funnel.note", lang))
    drawn = fig.to_dict()["data"][0]  # what the chart draws (as a dict: no plotly objects built)
    stages = pd.DataFrame({"stage": [y.replace("<br>", " · ") for y in drawn["y"]], "value": drawn["x"]})
    chart_downloads(fig, stages, "overview-funnel", "dl_funnel", lang)


def members(joined: pd.DataFrame) -> None:
    fig = charts.timeline_figure(joined, store.manifest.as_of, lang)
    st.plotly_chart(fig, key="timeline")
    chart_downloads(fig, joined, "overview-members", "dl_timeline", lang)


def province_map(joined: pd.DataFrame) -> None:
    values = cached.by_province(store, f, f.metric)
    codes = set(joined.loc[joined.joined_on <= f.date_to, "province_adcode"])

    def draw(boundaries: str | None = None) -> go.Figure:  # files carry their boundaries, the page loads them
        return charts.province_map_figure(values, f.metric, codes, f.date_to, lang, boundaries=boundaries)

    st.plotly_chart(draw(PROVINCE_GEOJSON_URL), key="map")
    chart_downloads(draw, values, "overview-map", "dl_map", lang)


def monthly() -> None:
    series = cached.alliance_series(store, f)
    fig = charts.monthly_figure(series, lang)
    st.plotly_chart(fig, key="monthly")
    chart_downloads(fig, series, "overview-monthly", "dl_monthly", lang)


def largest_seizures() -> None:
    """The view's largest seizures as records: built only when opened."""
    box = records_box(t("overview.seizures", lang, k=TOP), "overview_seizures", lang, who)
    if box is None:
        return
    with box:
        period = dict(start=format_date(f.date_from, lang), end=format_date(f.date_to, lang))
        st.caption(t("overview.seizures.scope", lang, **period))
        rows = cached.largest_seizures(store, f, TOP)
        case_records(rows, None, "overview-largest-seizures", "overview_seizures", lang, who, True)


now = headline()
largest_seizures()
joined = memberships(store)
left, right = st.columns(2)
with left:
    funnel(now)
with right:
    members(joined)
left, right = st.columns(2)
with left:
    province_map(joined)
with right:
    monthly()
