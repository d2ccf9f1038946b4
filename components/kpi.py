"""KPI cards: a figure, formatted for the language, with its change against the previous period."""

from __future__ import annotations

import streamlit as st

from cloudsword.filters import Filters
from cloudsword.i18n import format_date, format_metric, format_pct, t

KPI_METRICS = ("clues", "cases", "suspects", "seizure")


def kpi_row(now: dict[str, float], before: dict[str, float] | None, f: Filters) -> None:
    lang = f.lang
    start, end = f.previous_period()
    for col, metric in zip(st.columns(len(KPI_METRICS)), KPI_METRICS):
        value = now.get(metric, 0.0)
        prev = None if before is None else before.get(metric, 0.0)
        if prev:
            delta, arrow = t("overview.delta", lang, pct=format_pct(value / prev - 1, lang)), "auto"
        else:
            no_data = t(
                "overview.delta_none", lang, start=format_date(start, lang), end=format_date(end, lang)
            )
            delta, arrow = no_data, "off"
        col.metric(
            t(f"metric.{metric}", lang),
            format_metric(metric, value, lang),
            delta=delta,
            delta_color="normal" if arrow == "auto" else "off",
            delta_arrow=arrow,
            border=True,
        )
