"""The shared sidebar: language and filters, kept in step with the URL.

On a session's first run the URL (a permalink) seeds the widgets; after that the widgets are
the source of truth and every run writes the resulting `Filters` back to the URL.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cloudsword import geo
from cloudsword.filters import Filters, month_end
from cloudsword.i18n import LANGS, format_month, t
from cloudsword.schema import CATEGORIES

_LANG_LABEL = {"zh": "中文", "en": "English"}
_SEEDED = "_filters_seeded"
SHARED_PARAMS = ("lang", "from", "to", "prov", "cat", "metric")


def url_language(default: str = "zh") -> str:
    """The language asked for by the URL or chosen earlier in this session."""
    if "lang" in st.session_state:
        return st.session_state["lang"]
    lang = st.query_params.get("lang", default)
    return lang if lang in LANGS else default


def _seed_from_url(defaults: Filters) -> list[tuple[str, str]]:
    """Put the URL's view into the widgets, once per session; return what could not be read.

    Parameters that are not shared filters (province, entity, month...) are kept verbatim for
    the pages, which read them with components.params.page_param and check them themselves.
    """
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    extra_keys = tuple(k for k in params if k not in SHARED_PARAMS)
    f, problems = Filters.from_query_params(
        params, defaults, set(geo.load_provinces().adcode), CATEGORIES, extra_keys
    )
    st.session_state.update(
        lang=f.lang,
        _months_initial=(f.date_from, f.date_to.replace(day=1)),
        provinces=list(f.provinces),
        categories=list(f.categories),
        metric=f.metric,
        extra=dict(f.extra),
    )
    st.session_state[_SEEDED] = True
    return problems


def sidebar(defaults: Filters) -> Filters:
    """Draw the sidebar and return the Filters it describes (also written to the URL)."""
    problems = [] if st.session_state.get(_SEEDED) else _seed_from_url(defaults)
    lang = st.session_state["lang"]
    with st.sidebar:
        st.segmented_control(
            t("filters.language", lang), LANGS, key="lang", format_func=_LANG_LABEL.get, required=True
        )
        lang = st.session_state["lang"]
        st.subheader(t("filters.header", lang))
        months = [d.date() for d in pd.date_range(defaults.date_from, defaults.date_to, freq="MS")]
        st.select_slider(  # a range slider only when `value` is a pair, so it is passed, not seeded
            t("filters.dates", lang),
            options=months,
            value=st.session_state["_months_initial"],
            key="months",
            format_func=lambda d: format_month(d, lang),
        )
        provinces = geo.load_provinces()
        names = dict(zip(provinces.adcode, provinces["name_zh" if lang == "zh" else "name_en"]))
        st.multiselect(
            t("filters.provinces", lang),
            sorted(names),
            key="provinces",
            format_func=names.get,
            placeholder=t("filters.provinces.all", lang),
        )
        st.multiselect(
            t("filters.categories", lang),
            CATEGORIES,
            key="categories",
            format_func=lambda c: t(f"category.{c}", lang),
            placeholder=t("filters.categories.all", lang),
        )
        st.radio(
            t("filters.metric", lang),
            ("clues", "cases", "suspects", "seizure"),
            key="metric",
            format_func=lambda m: t(f"metric.{m}", lang),
        )
        st.button(t("filters.reset", lang), on_click=_reset, args=(defaults,))
    start, end = st.session_state["months"]
    f = Filters(
        start,
        month_end(end),
        tuple(st.session_state["provinces"]),
        tuple(st.session_state["categories"]),
        st.session_state["metric"],
        lang,
        tuple(st.session_state.get("extra", {}).items()),
    )
    _write_url(f)
    for param, value in problems:
        st.warning(t("filters.url_problem", lang, param=param, value=value))
    return f


def _reset(defaults: Filters) -> None:
    st.session_state.pop("months", None)
    st.session_state.update(
        _months_initial=(defaults.date_from, defaults.date_to.replace(day=1)),
        provinces=[],
        categories=[],
        metric=defaults.metric,
        extra={},
    )


def _write_url(f: Filters) -> None:
    wanted = f.to_query_params()
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    normal = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normal:
        st.query_params.from_dict(wanted)
