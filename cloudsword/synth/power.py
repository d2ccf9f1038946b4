"""Size and power of the pre-trend test, on datasets the generator makes (issue 11).

A test that passes says little unless it could have failed. So the generator plants a pre-trend
(config `[pretrend]`: a linear drift, an oscillation) and the test is run on many seeds of each
scenario: with none planted it should rarely reject (false alarms at most 10%), with the drift of
0.3 log points over the year before joining, or with the +/- 0.15 oscillation, it should reject
in at least 80% of seeds. bench/bench_pretrend.py runs 50 seeds per scenario; the tests run a
few. Above the features: it joins the generator and the before/after estimate.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from cloudsword.filters import Filters, month_end, month_start
from cloudsword.synth.config import AllianceConfig, Pretrend
from cloudsword.synth.generate import case_table
from cloudsword.trends.analysis import Panel, estimate, panel_from_cases
from cloudsword.trends.params import TrendsParams

SCENARIOS = {
    "none": Pretrend(),
    "drift": Pretrend(drift=0.3),  # +0.3 log points over the 12 months before joining
    "oscillation": Pretrend(oscillation=0.15),  # +/- 0.15 log points in alternate months
}
LEVEL = 0.05


def scenario(config: AllianceConfig, name: str) -> AllianceConfig:
    """The config with the scenario's pre-trend planted (or none)."""
    return replace(config, pretrend=SCENARIOS[name])


def case_panel(config: AllianceConfig, seed: int) -> Panel:
    """The province x month panel of the dataset generated with `seed` (scale 1), built in memory."""
    columns = ["province_adcode", "opened_on", "suspects_caught", "seizure_cny"]
    cases = case_table(config, seed).select(columns)
    members = pd.DataFrame(
        {
            "province_adcode": [m.adcode for m in config.members],
            "joined_on": [m.joined_on for m in config.members],
            "illustrative": [m.illustrative for m in config.members],
        }
    )
    f = Filters(month_start(config.start), month_end(config.end))
    return panel_from_cases(cases.to_pandas(), members, f)


@dataclass(frozen=True)
class Trial:
    seed: int
    p: float
    drift: float  # the drift the test would detect 80% of the time, log points

    @property
    def rejects(self) -> bool:
        return self.p < LEVEL


def trial(config: AllianceConfig, seed: int) -> Trial:
    """The page's pre-trend test (its default options) on the cases of one generated dataset."""
    est = estimate(case_panel(config, seed), "cases", TrendsParams())
    return Trial(seed, est.pretrend["p"], est.pretrend["drift"])


def rejection_rate(config: AllianceConfig, name: str, seeds: range) -> tuple[float, list[Trial]]:
    """Share of seeds in which the test rejects, with the scenario planted."""
    trials = [trial(scenario(config, name), seed) for seed in seeds]
    return sum(t.rejects for t in trials) / len(trials), trials
