"""The province map's own parameters (/map and its slide): one frozen value, read from and
written to the URL, and the periods it implies (the month shown, the before/after windows)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from cloudsword import geo
from cloudsword.filters import Filters, add_months, month_end, month_start
from cloudsword.params import Problem, Query, Reader, drop_defaults

NORMS = ("total", "pop", "gdp")
CLASSIFIERS = ("quantiles", "jenks", "equal")
SCOPES = ("all", "alliance")
SPANS = ("month", "cumul")
SHOWS = ("map", "compare")  # what a slide of the page shows
WINDOWS = (1, 3, 6, 12)  # months either side of the before/after pivot
CMP_VIEWS = ("pair", "diff")  # before/after: two maps side by side, or one map of the change

Period = tuple[date, date]


def months(f: Filters) -> list[date]:
    """The first day of every month in the view's range: the months the map can show."""
    return f.month_starts()


@dataclass(frozen=True)
class MapParams:
    """norm, cls, scope, span: how the map measures and classes; month: the month shown (None:
    the latest); province: the open province panel; pivot and window: the before/after
    comparison (pivot None: the province's join, else the latest join in range); cmp: side by
    side or one map of the change; show: what a slide of the view shows."""

    norm: str = "total"
    cls: str = "quantiles"
    scope: str = "all"
    span: str = "month"
    month: date | None = None
    province: str | None = None
    show: str = "map"
    pivot: date | None = None
    window: int = 3
    cmp: str = "pair"

    @property
    def alliance_only(self) -> bool:
        return self.scope == "alliance"

    @classmethod
    def from_query(
        cls, query: Query, months: Sequence[date] | None = None
    ) -> tuple[MapParams, list[Problem]]:
        r, d = Reader(query), cls()
        province = r.text("province")
        if province is not None and province not in _mainland():
            r.reject("province", province)
            province = None
        p = cls(
            norm=r.choice("norm", NORMS, d.norm),
            cls=r.choice("cls", CLASSIFIERS, d.cls),
            scope=r.choice("scope", SCOPES, d.scope),
            span=r.choice("span", SPANS, d.span),
            month=r.month("month", months),
            province=province,
            show=r.choice("show", SHOWS, d.show),
            pivot=r.month("pivot", months),
            window=r.choice("window", WINDOWS, d.window),
            cmp=r.choice("cmp", CMP_VIEWS, d.cmp),
        )
        return p, r.problems

    def to_query(self) -> dict[str, str]:
        return drop_defaults(self._text(), MapParams()._text())

    def _text(self) -> dict[str, str | None]:
        month = lambda d: None if d is None else f"{d:%Y-%m}"
        return {
            "norm": self.norm,
            "cls": self.cls,
            "scope": self.scope,
            "span": self.span,
            "month": month(self.month),
            "province": self.province,
            "show": self.show,
            "pivot": month(self.pivot),
            "window": str(self.window),
            "cmp": self.cmp,
        }

    def within(self, months: Sequence[date]) -> MapParams:
        """The same choices with the month and pivot moved back to their defaults when they lie
        outside `months` (the sidebar's range changed)."""
        return replace(
            self,
            month=self.month if self.month in months else None,
            pivot=self.pivot if self.pivot in months else None,
        )

    def shown_month(self, months: Sequence[date]) -> date:
        return self.month if self.month in months else months[-1]

    def period(self, months: Sequence[date]) -> Period:
        """The months the map sums over: the month shown alone, or from the range's start to it."""
        month = self.shown_month(months)
        return (months[0] if self.span == "cumul" else month), month_end(month)

    def pivot_in(self, months: Sequence[date], joined: Mapping[str, date]) -> date:
        """The before/after pivot: as chosen, else the open province's join month, else the
        latest join in range, else the middle of the range."""
        if self.pivot in months:
            return self.pivot
        own = month_start(joined[self.province]) if self.province in joined else None
        if own in months:
            return own
        later = [month_start(d) for d in joined.values() if month_start(d) in months]
        return max(later) if later else months[len(months) // 2]

    def windows(self, months: Sequence[date], joined: Mapping[str, date]) -> tuple[Period, Period, bool]:
        """(before, after, clipped): `window` months either side of the pivot, cut to the range;
        clipped says a side is shorter than asked."""
        pivot = self.pivot_in(months, joined)
        b_start, b_end = max(add_months(pivot, -self.window), months[0]), month_end(add_months(pivot, -1))
        a_start, a_end = pivot, month_end(min(add_months(pivot, self.window - 1), months[-1]))
        if b_end < b_start:
            b_start, b_end = months[0], month_end(months[0])
        clipped = b_start > add_months(pivot, -self.window) or a_end < month_end(
            add_months(pivot, self.window - 1)
        )
        return (b_start, b_end), (a_start, a_end), clipped


def _mainland() -> set[str]:
    provinces = geo.load_provinces()
    return set(provinces.loc[provinces.mainland, "adcode"])
