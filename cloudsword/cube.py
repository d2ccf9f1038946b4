"""The store's monthly aggregate held in memory, for the pages that sum it (/ and /map).

Every overview figure and every map figure is a sum of the `monthly` aggregate over a period, some
categories and provinces: `monthly_cube(store)` loads the aggregate once per dataset as dense arrays,
and `MonthlyCube.sums` and `.totals` cut the same figures the pages' Ibis queries return, in well
under a millisecond instead of 5-25 ms of compilation and DuckDB each. The queries stay the pages'
portable definition (and what runs on Spark); tests hold the two equal. Never imports streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from cloudsword.filters import Filters, month_start
from cloudsword.store import METRIC_COLUMN, Store

# The column each grouping of a sum is keyed by, in mapview's frames and in the cube's.
GROUP_KEY = {"province": "province_adcode", "city": "city_adcode", "category": "category", "month": "month"}
# rows: how many aggregate rows a sum covers (0: no data); then the metrics, and the overview's funnel
CHANNELS = ("rows", *METRIC_COLUMN.values(), "clues_with_case", "cases_with_suspects", "cases_with_seizure")


@dataclass(frozen=True, eq=False)
class MonthlyCube:
    """The store's `monthly` aggregate as dense arrays, built once per dataset by `monthly_cube`.

    Every overview and map figure is a sum over a period, the view's categories and provinces, and
    maybe alliance rows only: an Ibis query for it costs 5-25 ms of compilation and DuckDB, the same
    cut of these arrays well under a millisecond. Axes: channel (CHANNELS), unit, month, category,
    alliance (0/1); a unit is a province in `province`, a (province, city) pair of the aggregate in
    `place`."""

    province: np.ndarray
    place: np.ndarray
    provinces: np.ndarray  # adcode of each province unit
    place_province: np.ndarray  # province adcode of each place
    place_city: np.ndarray  # city adcode of each place ("" where the rows have no city)
    months: pd.DatetimeIndex
    categories: np.ndarray

    def sums(
        self,
        f: Filters,
        column: str,
        start: date,
        end: date,
        alliance_only: bool,
        by: str,
        province: str | None = None,
    ) -> pd.DataFrame:
        """What `map.queries._sums` queries, cut from the arrays: `column` summed by province, city,
        category or month over `monthly(f, start, end)`, one row per group that has rows (no data is
        not zero)."""
        city = by == "city"
        owner = self.place_province if city else self.provinces
        keep = np.ones(len(owner), dtype=bool)
        if f.provinces:
            keep &= np.isin(owner, f.provinces)
        if province is not None:
            keep &= owner == province
        if city:
            keep &= self.place_city != ""
        units = slice(None) if keep.all() else np.flatnonzero(keep)
        lo, hi, cats, alliance = self._cut(f, start, end, alliance_only)
        axes = {"province": (1, 2, 3), "city": (1, 2, 3), "category": (0, 1, 3), "month": (0, 2, 3)}[by]
        cube = self.place if city else self.province

        def total(channel: str) -> np.ndarray:
            part = cube[CHANNELS.index(channel), :, lo:hi, :, alliance][units]  # a view until cut
            return (part if isinstance(cats, slice) else part[:, :, cats]).sum(axis=axes)

        rows, value = total("rows"), total(column)
        if by == "month":
            keys = np.asarray(self.months[lo:hi])
        elif by == "category":
            keys = self.categories[cats]
        else:
            keys = (self.place_city if city else self.provinces)[units]
        has = rows > 0
        out = pd.DataFrame({GROUP_KEY[by]: keys[has], "value": value[has]})
        if city and province is None and not out.city_adcode.is_unique:  # a city in two provinces' rows
            out = out.groupby("city_adcode", as_index=False, sort=False).sum()
        return out

    def totals(
        self, f: Filters, columns: tuple[str, ...], start: date, end: date, alliance_only: bool
    ) -> dict[str, float]:
        """`columns` summed over `monthly(f, start, end)` (alliance rows only, or all), and `rows`:
        how many aggregate rows the sums cover (0: the period has no data)."""
        lo, hi, cats, alliance = self._cut(f, start, end, alliance_only)
        units = np.flatnonzero(np.isin(self.provinces, f.provinces)) if f.provinces else slice(None)
        out = {}
        for column in ("rows", *columns):
            part = self.province[CHANNELS.index(column), units, lo:hi, :, alliance]
            out[column] = float((part if isinstance(cats, slice) else part[:, :, cats]).sum())
        return out

    def _cut(self, f: Filters, start: date, end: date, alliance_only: bool) -> tuple[int, int, object, slice]:
        """The months (lo:hi), categories and alliance rows of a view, as indices into the arrays."""
        lo = self.months.searchsorted(pd.Timestamp(month_start(start)))
        hi = self.months.searchsorted(pd.Timestamp(month_start(end)), side="right")
        cats = np.flatnonzero(np.isin(self.categories, f.categories)) if f.categories else slice(None)
        return lo, hi, cats, slice(1, 2) if alliance_only else slice(0, 2)


def monthly_cube(store: Store) -> MonthlyCube:
    """The store's whole `monthly` aggregate as a MonthlyCube (CHANNELS x places x months x categories
    x 2 floats: about 25 MB for 450 cities, 43 months and 10 categories, at any number of cases)."""
    m = store.table("monthly")
    df = store.run(m.select("province_adcode", "city_adcode", "month", "category", "alliance", *CHANNELS[1:]))
    place, places = pd.factorize(df.province_adcode + "|" + df.city_adcode.fillna(""), sort=True)
    month, month_values = pd.factorize(pd.to_datetime(df.month), sort=True)
    cat, categories = pd.factorize(df.category, sort=True)
    shape = (len(places), len(month_values), len(categories), 2)
    flat = np.ravel_multi_index((place, month, cat, df.alliance.to_numpy(np.int64)), shape)
    size = int(np.prod(shape))
    weights = {ch: None if ch == "rows" else df[ch].to_numpy(np.float64) for ch in CHANNELS}
    cube = np.stack([np.bincount(flat, w, size).astype(np.float64).reshape(shape) for w in weights.values()])
    pairs = [str(p).split("|") for p in places]
    place_province = np.array([p for p, _ in pairs], dtype=object)
    place_city = np.array([c for _, c in pairs], dtype=object)
    unit, provinces = pd.factorize(place_province, sort=True)
    by_province = np.zeros((len(CHANNELS), len(provinces), *shape[1:]))
    for i in range(len(provinces)):
        by_province[:, i] = cube[:, unit == i].sum(axis=1)
    return MonthlyCube(
        province=by_province,
        place=cube,
        provinces=np.asarray(provinces, dtype=object),
        place_province=place_province,
        place_city=place_city,
        months=pd.DatetimeIndex(month_values),
        categories=np.asarray(categories, dtype=object),
    )
