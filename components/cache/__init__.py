"""Streamlit caching, one module per feature (overview, map, network, trends, present).

Results are keyed by the store (its dataset version) and the parameter values, never by big
frames, and by the language only where the result is written in one (a figure, a slide): a
language switch recomputes no query. The store and the dataset-wide structures are shared
resources, built once per dataset and moved out of the garbage collector's way.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd
import streamlit as st

from cloudsword.filters import Filters
from cloudsword.store import DEFAULT_DATA_DIR, Store, stamp

R = TypeVar("R")
HASH = {Store: lambda s: s.version, Filters: lambda f: f.key()}


def data(max_entries: int) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """st.cache_data keyed by store version and parameter values (results are copied per hit)."""
    return st.cache_data(show_spinner=False, max_entries=max_entries, hash_funcs=HASH)


def resource(max_entries: int | None = None) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """st.cache_resource with the same keys: one shared, read-only object (figures, decks)."""
    return st.cache_resource(show_spinner=False, max_entries=max_entries, hash_funcs=HASH)


def long_lived(build: Callable[..., R]) -> Callable[..., R]:
    """For once-per-dataset builders: what they build lives as long as the process, yet Python's
    collector walks it again in every full collection (at 1e7 cases one took 135 ms in the middle
    of a /map rerun). Once built, it is moved out of the collector's way (gc.freeze); unfreezing
    first lets a replaced dataset be freed. Not for per-view results: the collection here costs
    as much as the pause it prevents."""

    @functools.wraps(build)
    def settle(*args: object, **kwargs: object) -> R:
        out = build(*args, **kwargs)
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        return out

    return settle


def data_dir() -> str:
    """The dataset the app shows: $CLOUDSWORD_DATA when set, else the shipped demo data."""
    return str(Path(os.environ.get("CLOUDSWORD_DATA") or DEFAULT_DATA_DIR).resolve())


@st.cache_resource(show_spinner=False, max_entries=4)
@long_lived
def _store(path: str, version_stamp: str) -> Store:
    return Store(path)


def current_store() -> Store:
    """The opened dataset; reopened when its files are regenerated (the stamp changes)."""
    path = data_dir()
    return _store(path, stamp(path))


@data(max_entries=8)
def memberships(store: Store) -> pd.DataFrame:
    return store.memberships()
