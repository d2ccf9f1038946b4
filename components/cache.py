"""The one module that owns Streamlit caching.

The store (a DuckDB connection and its aggregates) is a shared resource; query results are
cached per (dataset version, Filters): small keys, never big frames.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from cloudsword.filters import Filters
from cloudsword.store import DEFAULT_DATA_DIR, Store, stamp

_HASH = {Filters: lambda f: f.to_query_string()}


def data_dir() -> str:
    """The dataset the app shows: $CLOUDSWORD_DATA when set, else the shipped demo data."""
    return str(Path(os.environ.get("CLOUDSWORD_DATA") or DEFAULT_DATA_DIR).resolve())


@st.cache_resource(show_spinner=False, max_entries=4)
def store(path: str, version_stamp: str) -> Store:
    return Store(path)


def current_store() -> Store:
    """The opened dataset; reopened when its files are regenerated (the stamp changes)."""
    path = data_dir()
    return store(path, stamp(path))


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs=_HASH)
def alliance_totals(version: str, f: Filters) -> dict[str, float]:
    return current_store().alliance_totals(f)


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs=_HASH)
def previous_totals(version: str, f: Filters) -> dict[str, float] | None:
    return current_store().previous_totals(f)


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs=_HASH)
def monthly_series(version: str, f: Filters, alliance_only: bool = True) -> pd.DataFrame:
    return current_store().monthly_series(f, alliance_only)


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs=_HASH)
def by_province(version: str, f: Filters, metric: str, alliance_only: bool = True) -> pd.DataFrame:
    return current_store().by_province(f, metric, alliance_only)


@st.cache_data(show_spinner=False, max_entries=8)
def memberships(version: str) -> pd.DataFrame:
    return current_store().memberships()
