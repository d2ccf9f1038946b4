"""The overview's own parameter: which part of it a slide shows (the page shows them all)."""

from __future__ import annotations

from dataclasses import dataclass

from cloudsword.params import Problem, Query, Reader, drop_defaults

SHOWS = ("headline", "growth", "map")  # totals and funnel | members and monthly | map and monthly


@dataclass(frozen=True)
class OverviewParams:
    show: str = "headline"

    @classmethod
    def from_query(cls, query: Query) -> tuple[OverviewParams, list[Problem]]:
        r = Reader(query)
        return cls(str(r.choice("show", SHOWS, "headline"))), r.problems

    def to_query(self) -> dict[str, str]:
        return drop_defaults({"show": self.show}, {"show": "headline"})
