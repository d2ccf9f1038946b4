"""Parts of a page built only once the reader opens them: what is heavy to build or to draw in
the browser (a third WebGL map, 31 small charts, record queries) and read by few visits."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def opened(label: str, key: str, expanded: bool = False) -> DeltaGenerator | None:
    """An expander, or None while it is closed: nothing in it is built or sent until it is
    opened (the click reruns the page, which then builds it). `expanded`: open at first."""
    box = st.expander(label, expanded=expanded, key=key, on_change="rerun")
    return box if box.open else None
