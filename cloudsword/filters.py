"""`Filters`: the one description of what the user is looking at.

It is a frozen value so it can key caches, and it round-trips to URL query parameters so
every view is a permalink. Parsing a URL never fails: each parameter that cannot be read is
reported back and replaced by its default, so an old or hand-edited link still opens.
Ground floor: imports nothing of ours.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

METRICS = ("clues", "cases", "suspects", "seizure")
LANGS = ("zh", "en")
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
    date_from: date
    date_to: date
    provinces: tuple[str, ...] = ()  # adcodes; empty means all
    categories: tuple[str, ...] = ()  # empty means all
    metric: str = "cases"
    lang: str = "zh"
    extra: tuple[tuple[str, str], ...] = field(default=())  # page-specific params, e.g. province

    def __post_init__(self) -> None:
        if self.date_from > self.date_to:
            raise ValueError(f"date_from {self.date_from} is after date_to {self.date_to}")
        if self.metric not in METRICS:
            raise ValueError(f"unknown metric {self.metric!r}")
        if self.lang not in LANGS:
            raise ValueError(f"unknown language {self.lang!r}")
        object.__setattr__(self, "provinces", tuple(sorted(set(self.provinces))))
        object.__setattr__(self, "categories", tuple(sorted(set(self.categories))))
        object.__setattr__(self, "extra", tuple(sorted(self.extra)))

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    @property
    def months(self) -> int:
        return (self.date_to.year - self.date_from.year) * 12 + self.date_to.month - self.date_from.month + 1

    def previous_period(self) -> tuple[date, date]:
        """The run of whole months of equal length that ends just before this one starts."""
        start = add_months(self.date_from, -self.months)
        return start, month_end(add_months(self.date_from, -1))

    def over(self, start: date, end: date) -> Filters:
        """The same view over whole months start..end: the key for a query that sums over an
        explicit period, so moving the sidebar's range does not miss its cache."""
        return replace(self, date_from=month_start(start), date_to=month_end(end))

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)

    def get(self, name: str, default: str | None = None) -> str | None:
        return dict(self.extra).get(name, default)

    def to_query_params(self) -> dict[str, str | list[str]]:
        """URL parameters; lists become repeated parameters (?prov=330000&prov=440000)."""
        params: dict[str, str | list[str]] = {
            "lang": self.lang,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "metric": self.metric,
        }
        if self.provinces:
            params["prov"] = list(self.provinces)
        if self.categories:
            params["cat"] = list(self.categories)
        params.update(dict(self.extra))
        return params

    def to_query_string(self) -> str:
        from urllib.parse import urlencode

        return urlencode(self.to_query_params(), doseq=True)

    @classmethod
    def from_query_params(
        cls,
        params: Mapping[str, object],
        defaults: Filters,
        provinces: Collection[str] = (),
        categories: Collection[str] = (),
        extra_keys: Collection[str] = (),
    ) -> tuple[Filters, list[tuple[str, str]]]:
        """Parse URL parameters over `defaults`; returns the Filters and (param, value) problems.

        `provinces` and `categories`, when given, are the allowed values; `extra_keys` are
        page-specific parameters kept verbatim for the page to interpret.
        """
        problems: list[tuple[str, str]] = []

        def values(key: str) -> list[str]:
            raw = params.get(key)
            items = raw if isinstance(raw, (list, tuple)) else [] if raw is None else [raw]
            return [p.strip() for item in items for p in str(item).split(",") if p.strip()]

        def one(key: str) -> str | None:
            v = values(key)
            return v[-1] if v else None

        def parse_date(key: str, fallback: date) -> date:
            v = one(key)
            if v is None:
                return fallback
            try:
                return date.fromisoformat(v)
            except ValueError:
                problems.append((key, v))
                return fallback

        lang = one("lang") or defaults.lang
        if lang not in LANGS:
            problems.append(("lang", lang))
            lang = defaults.lang
        metric = one("metric") or defaults.metric
        if metric not in METRICS:
            problems.append(("metric", metric))
            metric = defaults.metric
        lo, hi = defaults.date_from, defaults.date_to
        # The dashboard works in whole months (its aggregates are monthly): snap to them.
        d_from, d_to = month_start(parse_date("from", lo)), month_end(parse_date("to", hi))
        if not (lo <= d_from <= hi):
            problems.append(("from", d_from.isoformat()))
            d_from = lo
        if not (lo <= d_to <= hi):
            problems.append(("to", d_to.isoformat()))
            d_to = hi
        if d_from > d_to:
            problems.append(("from", d_from.isoformat()))
            d_from, d_to = lo, hi
        provs = []
        for p in values("prov"):
            if _ADCODE.match(p) and (not provinces or p in provinces):
                provs.append(p)
            else:
                problems.append(("prov", p))
        cats = []
        for c in values("cat"):
            if not categories or c in categories:
                cats.append(c)
            else:
                problems.append(("cat", c))
        extra = tuple((k, v) for k in extra_keys if (v := one(k)) is not None)
        filters = cls(d_from, d_to, tuple(provs), tuple(cats), metric, lang, extra)
        return filters, problems
