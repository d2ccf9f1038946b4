"""What the entry point hands to every page: the opened store and the current Filters."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cloudsword.filters import Filters
from cloudsword.store import Store

_KEY = "_view"


@dataclass(frozen=True)
class View:
    store: Store
    filters: Filters

    @property
    def lang(self) -> str:
        return self.filters.lang

    @property
    def version(self) -> str:
        return self.store.version


def set_view(view: View) -> None:
    st.session_state[_KEY] = view


def view() -> View:
    return st.session_state[_KEY]
