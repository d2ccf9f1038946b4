"""Page-specific URL parameters (province, entity, month, ...), so every page view is a permalink.

The shared filters live in the sidebar; a page's own parameters ride along in `Filters.extra`.
A page reads one with `page_param` (a string, or the default) and validates it itself; when its
widget changes it calls `set_page_param`, which updates the URL at once.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from cloudsword.i18n import t


def page_param(name: str, default: str | None = None) -> str | None:
    return st.session_state.get("extra", {}).get(name, default)


def set_page_param(name: str, value: object | None) -> None:
    """Set (or, with None, remove) a page parameter in the session and in the URL."""
    extra = dict(st.session_state.get("extra", {}))
    if value is None or value == "":
        extra.pop(name, None)
        if name in st.query_params:
            del st.query_params[name]
    else:
        extra[name] = str(value)
        st.query_params[name] = str(value)
    st.session_state["extra"] = extra


def seed_widget(
    key: str,
    param: str,
    options: list | tuple,
    default: object,
    parse: Callable[[str], object] = lambda x: x,
    *,
    lang: str,
) -> None:
    """Seed widget `key` from URL parameter `param` once per session; a value the page cannot use
    warns in the user's language and falls back to `default`. A seeded value that has left the
    options (they depend on other choices) quietly returns to `default`."""
    if key in st.session_state:
        if st.session_state[key] not in options:
            st.session_state[key] = default
        return
    raw = page_param(param)
    value = parse(raw) if raw is not None else None
    if raw is not None and value not in options:
        st.warning(t("filters.url_problem", lang, param=param, value=raw))
        value = None
    st.session_state[key] = default if value is None else value


def sync_param(param: str, value: object, default: object = None) -> None:
    """Write a widget's value to the URL (left out when it is `default`), only when it changed."""
    want = None if default is not None and value == default else str(value)
    if page_param(param) != want:
        set_page_param(param, want)
