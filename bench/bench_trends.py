"""Before/after joining (/trends): estimation time and the placebo coverage of its intervals.

Prints, does not assert (tests/test_trends.py asserts the coverage on the same 50 seeds):

- the panel query (31 provinces x 43 months from the store) and the staggered estimate with
  analytic standard errors, R's group and calendar aggregates and the wild-bootstrap pre-trend
  test (target: at most 1 s), cold (first call: imports the estimator) and warm, for each option
  set the page offers; the page caches each per (dataset, Filters, options);
- placebo: the real members dropped, invented join months for a random half of the non-members,
  50 seeds; the share of 95% intervals of the overall effect that cover zero (target: >= 90%).
"""

from __future__ import annotations

import sys

import _common as c

from cloudsword.store import DEFAULT_DATA_DIR, Store
from cloudsword.trends import analysis as trends
from cloudsword.trends.params import TrendsParams

TARGET_S = 1.0
RUNS = 10
SEEDS = 50


def main() -> None:
    store = Store(DEFAULT_DATA_DIR)
    f = store.default_filters()
    t_panel, panel = c.timed(lambda: trends.build_panel(store, f))
    size = f"{len(panel.provinces)} provinces x {len(panel.months)} months"
    print(f"panel query ({size}): {c.ms(t_panel)}", flush=True)
    cold, _ = c.timed(lambda: trends.estimate(panel, "cases"))
    print(f"estimate, first call (imports the estimator): {c.ms(cold)}", flush=True)
    for label, options in (
        ("default (not yet joined, monthly)", TrendsParams()),
        ("never joined", TrendsParams(comparison="never")),
        ("quarters + simultaneous bands", TrendsParams(quarters=True, uniform=True)),
        ("window 24, anticipation 2", TrendsParams(window=24, anticipation=2)),
        ("R's varying base + simultaneous bands", TrendsParams(base="varying", uniform=True)),
    ):
        samples = [c.timed(lambda o=options: trends.estimate(panel, "cases", o))[0] for _ in range(RUNS)]
        med, p90 = c.median_p90(samples)
        flag = "" if med <= TARGET_S else "  <-- over target"
        print(
            f"estimate ({size}), {label}: median {c.ms(med)}, p90 {c.ms(p90)} (target {c.ms(TARGET_S)}){flag}"
        )
    for outcome in ("cases", "suspects", "seizure"):
        seconds, rate = c.timed(lambda o=outcome: trends.placebo_coverage(panel, o, seeds=SEEDS))
        flag = "" if rate >= 0.9 else "  <-- below 90%"
        what = f"placebo coverage of 95% intervals, {outcome}, {SEEDS} seeds"
        print(f"{what}: {rate:.0%}{flag} ({c.ms(seconds)})", flush=True)


if __name__ == "__main__":
    sys.exit(main())
