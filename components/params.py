"""Page-specific URL parameters (province, entity, month, ...), so every page view is a permalink.

The shared filters live in the sidebar; a page's own parameters ride along in `Filters.extra`.
A page reads one with `page_param` (a string, or the default) and validates it itself; when its
widget changes it calls `set_page_param`, which updates the URL at once.
"""

from __future__ import annotations

import streamlit as st


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
