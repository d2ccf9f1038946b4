"""`Filters`: the one description of what the user is looking at.

It is a frozen value so it can key caches, and it round-trips to URL query parameters so
every view is a permalink. Parsing a URL never fails: each parameter that cannot be read is
reported back and replaced by its default, so an old or hand-edited link still opens.
Ground floor: reads its parameters with cloudsword.params.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urlencode

from cloudsword.params import Reader

METRICS = ("clues", "cases", "suspects", "seizure")
_ADCODE = re.compile(r"^\d{6}$")


def month_start(d: date) -> date:
    return d.replace(day=1)


def month_end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def add_months(d: date, n: int) -> date:
    """The first day of the month `n` months after `d`'s month."""
    k = d.year * 12 + d.month - 1 + n
    return date(k // 12, k % 12 + 1, 1)


@dataclass(frozen=True)
class Filters:
    """What every page shares: the months, provinces, categories and metric. The language is not
    a filter: results that do not depend on it are computed and cached once for both."""

    date_from: date
    date_to: date
    provinces: tuple[str, ...] = ()  # adcodes; empty means all
    categories: tuple[str, ...] = ()  # empty means all
    metric: str = "cases"

    def __post_init__(self) -> None:
        if self.date_from > self.date_to:
            raise ValueError(f"date_from {self.date_from} is after date_to {self.date_to}")
        if self.metric not in METRICS:
            raise ValueError(f"unknown metric {self.metric!r}")
        object.__setattr__(self, "provinces", tuple(sorted(set(self.provinces))))
        object.__setattr__(self, "categories", tuple(sorted(set(self.categories))))

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    @property
    def months(self) -> int:
        return (self.date_to.year - self.date_from.year) * 12 + self.date_to.month - self.date_from.month + 1

    def month_starts(self) -> list[date]:
        """The first day of every month in the view's range."""
        return [add_months(self.date_from, i) for i in range(self.months)]

    def previous_period(self) -> tuple[date, date]:
        """The run of whole months of equal length that ends just before this one starts (at the
        calendar's start, the earliest date: no data is there)."""
        try:
            start = add_months(self.date_from, -self.months)
            return start, month_end(add_months(self.date_from, -1))
        except ValueError:
            return date.min, date.min

    def over(self, start: date, end: date) -> Filters:
        """The same view over whole months start..end: the key for a query that sums over an
        explicit period, so moving the sidebar's range does not miss its cache."""
        return replace(self, date_from=month_start(start), date_to=month_end(end))

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)

    def to_query(self) -> dict[str, str | list[str]]:
        """URL parameters; lists become repeated parameters (?prov=330000&prov=440000)."""
        params: dict[str, str | list[str]] = {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "metric": self.metric,
        }
        if self.provinces:
            params["prov"] = list(self.provinces)
        if self.categories:
            params["cat"] = list(self.categories)
        return params

    def key(self) -> str:
        """A short, stable text of the value: what caches hash."""
        return urlencode(self.to_query(), doseq=True)

    @classmethod
    def from_query(
        cls,
        query: Mapping[str, object],
        defaults: Filters,
        provinces: Collection[str] = (),
        categories: Collection[str] = (),
    ) -> tuple[Filters, list[tuple[str, str]]]:
        """Parse URL parameters over `defaults`; returns the Filters and (param, value) problems.

        `provinces` and `categories`, when given, are the allowed values. Dates snap to whole
        months (the aggregates are monthly) and must lie in the defaults' range.
        """
        r = Reader(query)
        metric = str(r.choice("metric", METRICS, defaults.metric))
        lo, hi = defaults.date_from, defaults.date_to

        def day(name: str, fallback: date) -> date:
            """The date given, if it is one and lies in the data's months (checked before any
            month arithmetic: 9999-12-31 has no month after it)."""
            raw = r.text(name)
            try:
                d = fallback if raw is None else date.fromisoformat(raw)
            except ValueError:
                d = None
            if d is None or not (month_start(lo) <= d <= month_end(hi)):
                r.reject(name, raw)
                return fallback
            return d

        d_from, d_to = month_start(day("from", lo)), month_end(day("to", hi))
        if d_from > d_to:
            r.reject("from", d_from.isoformat())
            d_from, d_to = lo, hi
        provs, cats = [], []
        for p in r.items("prov"):
            if _ADCODE.match(p) and (not provinces or p in provinces):
                provs.append(p)
            else:
                r.reject("prov", p)
        for c in r.items("cat"):
            if not categories or c in categories:
                cats.append(c)
            else:
                r.reject("cat", c)
        return cls(d_from, d_to, tuple(provs), tuple(cats), metric), r.problems
