"""The overview's cached queries (/ and its slides' neighbours): language-free, per filters; the
sums cut from the monthly aggregate held in memory (components.cache.monthly_cube)."""

from __future__ import annotations

import pandas as pd

from cloudsword.filters import Filters
from cloudsword.overview import queries
from cloudsword.store import Store
from components.cache import data, monthly_cube


@data(max_entries=512)
def alliance_totals(store: Store, f: Filters) -> dict[str, float]:
    return queries.alliance_totals(store, f, cube=monthly_cube(store))


@data(max_entries=512)
def previous_totals(store: Store, f: Filters) -> dict[str, float] | None:
    return queries.previous_totals(store, f, monthly_cube(store))


@data(max_entries=512)
def alliance_series(store: Store, f: Filters) -> pd.DataFrame:
    return queries.alliance_series(store, f, monthly_cube(store))


@data(max_entries=512)
def by_province(store: Store, f: Filters, metric: str) -> pd.DataFrame:
    return queries.by_province(store, f, metric, cube=monthly_cube(store))


@data(max_entries=256)
def largest_seizures(store: Store, f: Filters, k: int = 20) -> pd.DataFrame:
    """The view's largest seizures (records: keyed by the store's version and the principal's
    scope, so each role gets only its own rows)."""
    return queries.largest_seizures(store, f, k)
