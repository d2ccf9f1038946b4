"""Overview (/): the alliance's own work, and what came of its clues."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cloudsword import charts
from cloudsword.geo import PROVINCE_GEOJSON_URL
from cloudsword.i18n import format_date, t
from components import cache
from components.context import view
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
    st.plotly_chart(charts.funnel_figure(now, lang), key="funnel")
    st.caption(t("overview.funnel.note", lang))
with right:
    members = cache.memberships(version)
    st.plotly_chart(charts.timeline_figure(members, as_of, lang), key="timeline")

left, right = st.columns([1, 1])
with left:
    values = cache.by_province(version, f, f.metric)
    member_codes = set(members.loc[members.joined_on <= f.date_to, "province_adcode"])
    fig = charts.province_map_figure(
        values, f.metric, member_codes, f.date_to, lang, boundaries=PROVINCE_GEOJSON_URL
    )
    st.plotly_chart(fig, key="map")
with right:
    series = cache.monthly_series(version, f)
    founded = pd.Timestamp(members.joined_on.min()).to_period("M").to_timestamp()
    series = series[series.month >= founded]  # no alliance clues can predate the alliance
    st.plotly_chart(charts.monthly_figure(series, lang), key="monthly")
