"""Overview (/): the alliance's own work, and what came of its clues."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cloudsword.geo import PROVINCE_GEOJSON_URL
from cloudsword.i18n import format_date, t
from cloudsword.overview import charts
from components import cache
from components.context import view
from components.downloads import chart_downloads
from components.kpi import kpi_row

v = view()
f, lang, version = v.filters, v.lang, v.version
as_of = v.store.manifest.as_of

st.header(t("overview.title", lang))
st.caption(
    t("overview.kpi_scope", lang, start=format_date(f.date_from, lang), end=format_date(f.date_to, lang))
    + " "
    + t("asof", lang, date=format_date(as_of, lang))
)
now = cache.alliance_totals(version, f)
kpi_row(now, cache.previous_totals(version, f), f)

if not any(now.values()):
    st.warning(t("overview.empty", lang))

left, right = st.columns([1, 1])
with left:
    funnel = charts.funnel_figure(now, lang)
    st.plotly_chart(funnel, key="funnel")
    st.caption(t("overview.funnel.note", lang))
    stages = pd.DataFrame({"stage": funnel.data[0].y, "value": funnel.data[0].x})  # what the chart draws
    chart_downloads(funnel, stages, "overview-funnel", "dl_funnel", lang)
with right:
    members = cache.memberships(version)
    timeline = charts.timeline_figure(members, as_of, lang)
    st.plotly_chart(timeline, key="timeline")
    chart_downloads(timeline, members, "overview-members", "dl_timeline", lang)

left, right = st.columns([1, 1])
with left:
    values = cache.by_province(version, f, f.metric)
    member_codes = set(members.loc[members.joined_on <= f.date_to, "province_adcode"])
    fig = charts.province_map_figure(
        values, f.metric, member_codes, f.date_to, lang, boundaries=PROVINCE_GEOJSON_URL
    )
    st.plotly_chart(fig, key="map")
    chart_downloads(
        lambda: charts.province_map_figure(values, f.metric, member_codes, f.date_to, lang, boundaries=None),
        values,
        "overview-map",
        "dl_map",
        lang,
    )
with right:
    series = cache.monthly_series(version, f)
    founded = pd.Timestamp(members.joined_on.min()).to_period("M").to_timestamp()
    series = series[series.month >= founded]  # no alliance clues can predate the alliance
    monthly = charts.monthly_figure(series, lang)
    st.plotly_chart(monthly, key="monthly")
    chart_downloads(monthly, series, "overview-monthly", "dl_monthly", lang)
