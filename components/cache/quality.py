"""The data page's cached quality measures (/data), per dataset version."""

from __future__ import annotations

import pandas as pd

from cloudsword.ingest import quality
from cloudsword.store import Store
from components.cache import data


@data(max_entries=8)
def coverage(store: Store) -> pd.DataFrame:
    return quality.coverage(store)


@data(max_entries=8)
def missing(store: Store) -> pd.DataFrame:
    return quality.missing(store)


@data(max_entries=8)
def duplicates(store: Store) -> pd.DataFrame:
    return quality.duplicates(store)


@data(max_entries=8)
def outliers(store: Store) -> pd.DataFrame:
    return quality.outliers(store)
