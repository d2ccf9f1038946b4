"""KPI cards: a figure, formatted for the language, with its change against the previous period."""

from __future__ import annotations

import streamlit as st

from cloudsword.filters import METRICS, Filters
from cloudsword.i18n import format_date, format_metric, format_pct, t


def kpi_row(now: dict[str, float], before: dict[str, float] | None, f: Filters, lang: str) -> None:
    start, end = f.previous_period()
    help_text = t("overview.delta_help", lang, start=format_date(start, lang), end=format_date(end, lang))
    for col, metric in zip(st.columns(len(METRICS)), METRICS):
        value = now.get(metric, 0.0)
        prev = None if before is None else before.get(metric, 0.0)
        if prev:
            col.metric(
                t(f"metric.{metric}", lang),
                format_metric(metric, value, lang),
                delta=format_pct(value / prev - 1, lang),
                delta_description=t("overview.delta_vs", lang, months=f.months),
                help=help_text,
                border=True,
            )
        else:  # no earlier data (before the data starts, or nothing then): say so, no arrow
            col.metric(
                t(f"metric.{metric}", lang),
                format_metric(metric, value, lang),
                delta=t("overview.delta_na", lang),
                delta_color="off",
                delta_arrow="off",
                help=help_text
                if before is not None
                else t(
                    "overview.delta_none", lang, start=format_date(start, lang), end=format_date(end, lang)
                ),
                border=True,
            )
