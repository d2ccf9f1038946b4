"""The before/after page's own parameters (/trends and its slide): how the event study is run and
drawn. One frozen value: it reads and writes the URL, keys the caches and configures the estimate."""

from __future__ import annotations

from dataclasses import dataclass, replace

from cloudsword.params import Problem, Query, Reader, drop_defaults

COMPARISONS = ("notyet", "never")
ANTICIPATION = (0, 1, 2, 3)
WINDOWS = (6, 9, 12, 18, 24)
BINS = ("month", "quarter")
BASES = ("fixed", "varying")  # the reference of the months before joining: one fixed month, or R's default


@dataclass(frozen=True)
class TrendsParams:
    comparison: str = "notyet"  # "notyet": not-yet-joined and never-joined provinces; "never"
    anticipation: int = 0  # months before joining that may already be affected
    window: int = 12  # months shown either side of joining
    quarters: bool = False  # average the months into three-month bins
    uniform: bool = False  # add simultaneous 95% bands
    base: str = "fixed"  # "fixed": every month against the month before joining; "varying": R's default

    def __post_init__(self) -> None:
        if self.comparison not in COMPARISONS:
            raise ValueError(f"unknown comparison group {self.comparison!r}")
        if self.base not in BASES:
            raise ValueError(f"unknown base period {self.base!r}")
        if not 0 <= self.anticipation <= 6 or not 1 <= self.window <= 36:
            raise ValueError("anticipation must be 0..6 and window 1..36 months")

    @property
    def base_period(self) -> str:
        """The estimator's name for the base: "universal" (fixed) or "varying"."""
        return "universal" if self.base == "fixed" else "varying"

    def fitting(self) -> TrendsParams:
        """Only what changes the estimator's fit (the drawing options at their defaults): the key
        of the fit a new window, quarters or bands are drawn from."""
        d = TrendsParams()
        return replace(self, window=d.window, quarters=d.quarters, uniform=d.uniform)

    @classmethod
    def from_query(cls, query: Query) -> tuple[TrendsParams, list[Problem]]:
        r, d = Reader(query), cls()
        p = cls(
            comparison=str(r.choice("compare", COMPARISONS, d.comparison)),
            anticipation=int(r.choice("anticipation", ANTICIPATION, d.anticipation)),
            window=int(r.choice("es_window", WINDOWS, d.window)),
            quarters=r.choice("es_bin", BINS, "month") == "quarter",
            uniform=r.flag("es_band", d.uniform),
            base=str(r.choice("es_base", BASES, d.base)),
        )
        return p, r.problems

    def to_query(self) -> dict[str, str]:
        return drop_defaults(self._text(), TrendsParams()._text())

    def _text(self) -> dict[str, str]:
        return {
            "compare": self.comparison,
            "anticipation": str(self.anticipation),
            "es_window": str(self.window),
            "es_bin": "quarter" if self.quarters else "month",
            "es_band": "1" if self.uniform else "0",
            "es_base": self.base,
        }
