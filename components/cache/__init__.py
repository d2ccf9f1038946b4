"""Streamlit caching, one module per feature (overview, map, network, trends, present, quality).

Results are keyed by the store (its dataset version: the content id, so a changed dataset is a new
key) and the parameter values, never by big frames, and by the language only where the result is
written in one (a figure, a slide): a language switch recomputes no query. The stores and the
dataset-wide structures are shared resources, built once per version and moved out of the garbage
collector's way; which version a session sees is decided here (`current_store`).
"""

from __future__ import annotations

import functools
import gc
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd
import streamlit as st

from cloudsword import cube, dataset
from cloudsword.access import Scoped, base
from cloudsword.errors import DataError
from cloudsword.filters import Filters
from cloudsword.store import DEFAULT_DATA_DIR, Store

R = TypeVar("R")
# A scoped store (cloudsword.access) keys by version and the principal's scope: two roles never
# share a result, two officers of one province do.
HASH = {Store: lambda s: s.version, Scoped: lambda s: s.scope_key(), Filters: lambda f: f.key()}


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


class _Stores:
    """Opened stores by (dataset, version), shared by every session: a few versions at once
    (sessions keep theirs until they reload), the least recently used closed first. A store whose
    files changed is closed and never handed out again."""

    def __init__(self, size: int = 4):
        self.size, self._open, self._lock = size, OrderedDict(), threading.Lock()
        self._opening: dict[tuple[str, str], threading.Lock] = {}
        self.last_good: dict[str, str] = {}  # dataset -> the last version that opened intact
        # versions that failed to open: their content is their name, so they would fail again
        self.failed: dict[tuple[str, str], DataError] = {}

    def get(self, path: str, version: str) -> Store:
        key = (path, version)
        with self._lock:
            opening = self._opening.setdefault(key, threading.Lock())
        with opening:  # one opener per version; other versions open meanwhile
            with self._lock:
                store = self._open.get(key)
            if store is not None and not store.intact():
                self.drop(path, version)
                problems = dataset.verify(store.dataset) or ["files changed"]
                raise DataError(
                    "error.version_damaged",
                    dataset=dataset.display_name(path),
                    version=version,
                    detail="; ".join(problems),
                )
            if store is None:
                if key in self.failed:
                    raise self.failed[key]
                try:
                    store = _open_store(path, version)
                except DataError as err:
                    if err.key != "error.data_changed":  # the files moved on while opening: not this content
                        with self._lock:
                            self.failed[key] = err
                    raise
            with self._lock:
                self._open[key] = store
                self._open.move_to_end(key)
                while len(self._open) > self.size:
                    self._open.popitem(last=False)
                self.last_good[path] = version
            return store

    def cached(self, path: str, version: str) -> Store | None:
        with self._lock:
            return self._open.get((path, version))

    def drop(self, path: str, version: str) -> None:
        with self._lock:
            self._open.pop((path, version), None)
            if self.last_good.get(path) == version:
                del self.last_good[path]


@long_lived
def _open_store(path: str, version: str) -> Store:
    return Store(path, version)


STORES = _Stores()
_PIN, _NOTICES = "_dataset_version", "_dataset_notices"


def current_store() -> Store:
    """The version this session shows, for the whole rerun and until the page is reloaded: a
    session keeps the version it started with (a notice says when a newer one is current), a
    reload or the notice's button takes the current one. A version that cannot be opened, or whose
    files changed underneath, gives way to the last good one, with a notice saying so."""
    path = data_dir()
    latest = dataset.current_id(path)  # raises DataError: no dataset at all, nothing to fall back on
    pinned = st.session_state.get(_PIN)
    want = pinned[1] if pinned and pinned[0] == path else latest
    notices: list[tuple[str, dict]] = []
    try:
        store = STORES.get(path, want)
    except DataError as err:
        store = _fallback(path, want)
        if store is None:
            raise
        notices.append(("dataset.fallback", {"reason": err, "version": store.version}))
    st.session_state[_PIN] = (path, store.version)
    if store.version != latest and (path, latest) not in STORES.failed:
        notices.append(("dataset.newer", {"version": latest}))
    st.session_state[_NOTICES] = notices
    return store


def _fallback(path: str, failed: str) -> Store | None:
    """The last good version still open, else the newest listed version that opens intact."""
    good = STORES.last_good.get(path)
    if good and good != failed and (store := STORES.cached(path, good)) is not None and store.intact():
        return store
    for v in dataset.versions(path) if dataset.is_versioned(path) else []:
        if v.id != failed:
            try:
                return STORES.get(path, v.id)
            except DataError:
                continue
    return None


def dataset_notices() -> list[tuple[str, dict]]:
    """What `current_store` had to say this rerun: (message key, parameters)."""
    return st.session_state.get(_NOTICES, [])


def use_version(version: str | None = None) -> None:
    """Show `version` (default: the current one) in this session from the next rerun on."""
    path = data_dir()
    st.session_state[_PIN] = (path, version or dataset.current_id(path))


@data(max_entries=8)
def memberships(store: Store) -> pd.DataFrame:
    return store.memberships()


def monthly_cube(store: Store) -> cube.MonthlyCube:
    """The monthly aggregate in memory (/ and /map cut their sums from it): an aggregate, the same
    for every role, so one copy per dataset, read unrestricted."""
    return _monthly_cube(base(store))


@resource(max_entries=4)
@long_lived
def _monthly_cube(store: Store) -> cube.MonthlyCube:
    """Built once per dataset, read-only and shared by every session."""
    return cube.monthly_cube(store)
