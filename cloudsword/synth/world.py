"""The generator's fixed surroundings: the 31 mainland provinces and their cities, the monthly
calendar with its shopping seasons, and fast weighted sampling of places.

Kept apart from the chain and case logic so both draw places and months the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from cloudsword import geo
from cloudsword.errors import ConfigError
from cloudsword.synth.config import AllianceConfig

EPOCH = date(1970, 1, 1)
# Spring Festival (lunar new year's day): online sales and enforcement dip around it.
SPRING_FESTIVAL = {
    2010: (2, 14),
    2011: (2, 3),
    2012: (1, 23),
    2013: (2, 10),
    2014: (1, 31),
    2015: (2, 19),
    2016: (2, 8),
    2017: (1, 28),
    2018: (2, 16),
    2019: (2, 5),
    2020: (1, 25),
    2021: (2, 12),
    2022: (2, 1),
    2023: (1, 22),
    2024: (2, 10),
    2025: (1, 29),
    2026: (2, 17),
    2027: (2, 6),
    2028: (1, 26),
    2029: (2, 13),
    2030: (2, 3),
}
# Month-of-year shape of counterfeit enforcement: 618 (June) and Double 11 (November) sales peaks.
MONTH_SHAPE = np.array([1.0, 1.0, 0.97, 0.98, 1.0, 1.1, 0.98, 0.97, 1.0, 1.05, 1.4, 1.15])


def day(d: date) -> int:
    """Days since 1970-01-01 (Arrow date32)."""
    return (d - EPOCH).days


@dataclass(frozen=True)
class Calendar:
    """The months of the data range, as date32 day numbers."""

    month_start: np.ndarray  # int32, first day of each month
    month_days: np.ndarray  # int32, days in each month (clipped to the range)
    start: int
    end: int
    as_of: int

    @classmethod
    def build(cls, config: AllianceConfig) -> Calendar:
        starts, m = [], date(config.start.year, config.start.month, 1)
        while m <= config.end:
            starts.append(m)
            m = date(m.year + m.month // 12, m.month % 12 + 1, 1)
        first = np.array([day(s) for s in starts], dtype=np.int32)
        nxt = np.r_[first[1:], day(config.end) + 1].astype(np.int32)
        first[0] = day(config.start)
        return cls(first, nxt - first, day(config.start), day(config.end), day(config.as_of))

    @property
    def months(self) -> int:
        return len(self.month_start)

    def month_of(self, days: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.month_start, days, side="right") - 1

    def seasonality(self) -> np.ndarray:
        """Relative case volume per month: sales peaks and the Spring Festival dip."""
        out = np.empty(self.months)
        for i, (s, n) in enumerate(zip(self.month_start, self.month_days, strict=True)):
            d0 = EPOCH + timedelta(days=int(s))
            mo, dd = SPRING_FESTIVAL.get(d0.year, (2, 5))
            fest = day(date(d0.year, mo, dd))
            overlap = max(0, min(s + n, fest + 15) - max(s, fest - 5))
            out[i] = MONTH_SHAPE[d0.month - 1] * (1 - 0.55 * overlap / n)
        return out


@dataclass(frozen=True)
class Places:
    """Mainland provinces (index 0..30) and their cities, with the weights sampling needs."""

    adcode: np.ndarray  # province adcodes (str)
    name_zh: np.ndarray
    economy: np.ndarray  # share of people and output, sums to 1
    population: np.ndarray  # share of people, sums to 1
    city_adcode: np.ndarray  # cities grouped by province
    city_province: np.ndarray  # province index per city
    city_short: np.ndarray  # Chinese name without 市, for company names
    city_lon: np.ndarray
    city_lat: np.ndarray
    city_base: np.ndarray  # capital-heavy base weight per city

    @classmethod
    def load(cls, config: AllianceConfig) -> Places:
        prov = geo.load_provinces()
        prov = prov[prov["mainland"].astype(bool)].sort_values("adcode").reset_index(drop=True)
        adcode = prov["adcode"].astype(str).to_numpy()
        pop = prov["population"].astype(float).fillna(0).to_numpy()
        gdp = prov["gdp_cny"].astype(float).fillna(0).to_numpy()
        pop, gdp = pop / pop.sum(), gdp / gdp.sum()
        index = {a: i for i, a in enumerate(adcode)}
        cities = geo.load_cities()
        cities = cities[cities["province_adcode"].astype(str).isin(index)].copy()
        cities["p"] = cities["province_adcode"].astype(str).map(index)
        cities = cities.sort_values(["p", "adcode"]).reset_index(drop=True)
        missing = sorted(set(adcode) - set(cities["province_adcode"].astype(str)))
        if missing:
            raise ConfigError(
                "error.config_value",
                file=config.file,
                field="geography",
                detail=f"no cities for provinces {', '.join(missing)}",
            )
        city_adcode = cities["adcode"].astype(str).to_numpy()
        # The provincial capital (xx01xx) is the busiest place; municipalities' districts are equal.
        capital = pd.Series(city_adcode).str.slice(2, 4).eq("01").to_numpy()
        short = cities["name_zh"].astype(str).map(geo.short_zh)  # 杭州市 -> 杭州, for company names
        return cls(
            adcode=adcode,
            name_zh=prov["name_zh"].astype(str).to_numpy(),
            economy=0.5 * pop + 0.5 * gdp,
            population=pop,
            city_adcode=city_adcode,
            city_province=cities["p"].to_numpy(np.int64),
            city_short=short.to_numpy(),
            city_lon=cities["lon"].to_numpy(float),
            city_lat=cities["lat"].to_numpy(float),
            city_base=np.where(capital, 4.0, 1.0),
        )

    @property
    def count(self) -> int:
        return len(self.adcode)

    def index(self, adcodes: list[str] | tuple[str, ...]) -> np.ndarray:
        lookup = {a: i for i, a in enumerate(self.adcode)}
        return np.array([lookup[a] for a in adcodes], dtype=np.int64)

    def weights(self, pairs: tuple[tuple[str, float], ...], others: float) -> np.ndarray:
        """Province weights from (adcode, weight) pairs; every other province gets `others`."""
        w = np.full(self.count, others, dtype=float)
        for a, v in pairs:
            w[self.index([a])[0]] = v
        return w / w.sum()

    def sample_cities(
        self, rng: np.random.Generator, province: np.ndarray, boost: np.ndarray | None = None
    ) -> np.ndarray:
        """A city index for each province index, capital heavier (times `boost` per city)."""
        return sample_within(
            rng, province, self.city_province, self.city_base * (1 if boost is None else boost)
        )


def sample_within(
    rng: np.random.Generator, group: np.ndarray, item_group: np.ndarray, item_weight: np.ndarray
) -> np.ndarray:
    """For each row's group, draw an item of that group by weight (items sorted by group).

    One searchsorted over a cumulative array where group g occupies [g, g+1): O(n log m).
    """
    w = item_weight.astype(float)
    totals = np.bincount(item_group, weights=w, minlength=int(item_group.max()) + 1)
    cum = np.cumsum(w)
    before = np.r_[0.0, np.cumsum(totals)[:-1]][item_group]
    frac = (cum - before) / totals[item_group]
    key = item_group + np.minimum(frac, 1.0)
    last = np.r_[item_group[1:] != item_group[:-1], True]
    key[last] = item_group[last] + 1  # exact group boundaries, whatever the float rounding
    u = rng.random(len(group))
    return np.minimum(np.searchsorted(key, group + u, side="right"), len(item_group) - 1)


def weighted_choice(rng: np.random.Generator, p: np.ndarray, n: int) -> np.ndarray:
    """n draws from a probability vector (inverse CDF; faster than rng.choice for large n)."""
    cum = np.cumsum(p)
    return np.minimum(np.searchsorted(cum / cum[-1], rng.random(n), side="right"), len(p) - 1)


def grouped_choice(rng: np.random.Generator, group: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """For each row, draw a column index from row `group` of the (groups x k) probability table."""
    g, k = probs.shape
    return sample_within(rng, group, np.repeat(np.arange(g), k), probs.ravel()) - group * k
