"""What the entry point hands to every page: the opened store (as the signed-in principal may
read it), the shared filters, the language, who is looking, and which page runs (`arrived`: the
first run of this page since another page or a new session)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cloudsword.access import ADMIN, Principal
from cloudsword.filters import Filters
from cloudsword.store import Store

_KEY = "_view"


@dataclass(frozen=True)
class View:
    store: Store
    filters: Filters
    lang: str
    page: str  # "overview", "map", "network", "trends", "present"
    arrived: bool
    principal: Principal = ADMIN  # who is looking: `store` is already cut to what they may see


def set_view(view: View) -> None:
    st.session_state[_KEY] = view


def view() -> View:
    return st.session_state[_KEY]
