"""The shared sidebar: language and filters.

On a session's first run the URL (a permalink) seeds the widgets; after that the widgets are the
source of truth and components.url writes what they describe back to the URL.
"""

from __future__ import annotations

import streamlit as st

from cloudsword import geo
from cloudsword.filters import METRICS, Filters, month_end
from cloudsword.i18n import LANGS, format_month, md, t
from cloudsword.params import read_lang
from cloudsword.schema import CATEGORIES
from components import url

_LANG_LABEL = {"zh": "中文", "en": "English"}
_SEEDED = "_filters_seeded"


def language(default: str = "zh") -> str:
    """The language chosen in this session, else the one the URL asks for."""
    if "lang" in st.session_state:
        return st.session_state["lang"]
    return read_lang(url.query(), default)[0]


def _seed_from_url(defaults: Filters) -> list[tuple[str, str]]:
    """Put the URL's view into the widgets, once per session; return what could not be read."""
    query = url.query()
    lang, problems = read_lang(query)
    f, more = Filters.from_query(query, defaults, set(geo.load_provinces().adcode), CATEGORIES)
    st.session_state.update(
        lang=lang,
        _months_initial=(f.date_from, f.date_to.replace(day=1)),
        provinces=list(f.provinces),
        categories=list(f.categories),
        metric=f.metric,
    )
    st.session_state[_SEEDED] = True
    return problems + more


def switching_language() -> None:
    """Before the run in the other language: every filter and page setting stays as it is. The
    date range is a slider given its value (`_months_initial`), so that value follows too."""
    ss = st.session_state
    if "months" in ss:
        ss["_months_initial"] = tuple(ss.pop("months"))
    url.keep_widgets()


def sidebar(defaults: Filters) -> tuple[Filters, str]:
    """Draw the sidebar; return the Filters it describes and the language."""
    problems = [] if st.session_state.get(_SEEDED) else _seed_from_url(defaults)
    url.hold("provinces", "categories", "metric")
    with st.sidebar:
        st.segmented_control(
            t("filters.language", st.session_state["lang"]),
            LANGS,
            key="lang",
            format_func=_LANG_LABEL.get,
            required=True,
            on_change=switching_language,
        )
        lang = st.session_state["lang"]
        st.subheader(t("filters.header", lang))
        st.select_slider(  # a range slider only when `value` is a pair, so it is passed, not seeded
            t("filters.dates", lang),
            options=defaults.month_starts(),
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
            t("filters.metric", lang), METRICS, key="metric", format_func=lambda m: t(f"metric.{m}", lang)
        )
        st.button(t("filters.reset", lang), on_click=_reset, args=(defaults,))
    start, end = st.session_state["months"]
    f = Filters(
        start,
        month_end(end),
        tuple(st.session_state["provinces"]),
        tuple(st.session_state["categories"]),
        st.session_state["metric"],
    )
    for param, value in problems:
        st.warning(md(t("filters.url_problem", lang, param=param, value=value)))
    return f, lang


def _reset(defaults: Filters) -> None:
    st.session_state.pop("months", None)
    st.session_state.update(
        _months_initial=(defaults.date_from, defaults.date_to.replace(day=1)),
        provinces=[],
        categories=[],
        metric=defaults.metric,
    )
