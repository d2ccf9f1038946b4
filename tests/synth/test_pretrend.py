"""The planted pre-trend (config [pretrend], truth_pretrends) and a small-seed version of the
pre-trend test's size and power study (bench/bench_pretrend.py runs 50 seeds per scenario)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cloudsword.errors import ConfigError
from cloudsword.store import Store
from cloudsword.synth import power
from cloudsword.synth.cases import pretrend_panel
from cloudsword.synth.config import DEFAULT_CONFIG, Pretrend, load_config
from cloudsword.synth.generate import generate
from cloudsword.synth.world import Calendar, Places

SEEDS = range(4)


@pytest.fixture(scope="module")
def config():
    return load_config()


def _with(tmp_path: Path, section: str) -> Path:
    path = tmp_path / "alliance.toml"
    path.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8") + "\n" + section, encoding="utf-8")
    return path


def test_the_config_plants_a_pretrend_only_when_asked(tmp_path, config) -> None:
    assert config.pretrend == Pretrend() and not config.pretrend.planted
    planted = load_config(_with(tmp_path, "[pretrend]\ndrift = 0.3\noscillation = 0.15\nmonths = 12\n"))
    assert planted.pretrend == Pretrend(0.3, 0.15, 12) and planted.pretrend.planted
    with pytest.raises(ConfigError) as err:
        load_config(_with(tmp_path, "[pretrend]\noscillation = -1\n"))
    assert err.value.params["field"] == "pretrend.oscillation"
    with pytest.raises(ConfigError) as err:
        load_config(_with(tmp_path, "[pretrend]\nslope = 1\n"))
    assert err.value.params["field"] == "pretrend.slope"


def test_the_drift_rises_over_the_year_before_joining_and_the_swings_alternate(config) -> None:
    places, cal = Places.load(config), Calendar.build(config)
    zhejiang = places.index(["330000"])[0]
    joined = cal.month_of(np.array([(pd.Timestamp("2015-05-01") - pd.Timestamp("1970-01-01")).days]))[0]
    drift = pretrend_panel(power.scenario(config, "drift"), places, cal)[zhejiang]
    assert drift[joined - 13] == 0 and drift[joined - 12] == pytest.approx(0.3 / 12)
    assert drift[joined - 1] == pytest.approx(0.3) and drift[joined + 5] == pytest.approx(0.3)
    swings = pretrend_panel(power.scenario(config, "oscillation"), places, cal)[zhejiang]
    assert swings[joined - 1] == -0.15 and swings[joined - 2] == 0.15 and swings[joined - 12] == 0.15
    assert swings[joined] == 0 and swings[joined - 13] == 0
    beijing = places.index(["110000"])[0]
    assert not pretrend_panel(power.scenario(config, "drift"), places, cal)[beijing].any(), "members only"


def test_a_planted_pretrend_is_written_to_its_truth_table(tmp_path, config) -> None:
    out = tmp_path / "data"
    counts = generate(power.scenario(config, "drift"), 5, 0.2, out)
    truth = pd.read_parquet(out / "truth_pretrends.parquet")
    assert counts["truth_pretrends"] == len(config.members) == len(truth)
    assert (truth.drift == 0.3).all() and (truth.oscillation == 0).all() and (truth.months == 12).all()
    assert Store(out).has("truth_pretrends")  # checked against the schema on open


def test_case_panel_is_the_generated_datasets(tmp_path, config) -> None:
    """The in-memory panel of the power study equals the one the store builds from the files."""
    from cloudsword.trends.analysis import build_panel

    out = tmp_path / "data"
    generate(config, 3, 1.0, out)
    store = Store(out)
    on_disk = build_panel(store, store.default_filters())
    in_memory = power.case_panel(config, 3)
    pd.testing.assert_frame_equal(
        on_disk.frame[["province_adcode", "month", "cases", "suspects"]],
        in_memory.frame[["province_adcode", "month", "cases", "suspects"]],
    )
    assert on_disk.joins == in_memory.joins


@pytest.mark.parametrize(("scenario", "lo", "hi"), [("none", 0, 1), ("drift", 3, 4), ("oscillation", 3, 4)])
def test_size_and_power_on_a_few_seeds(config, scenario, lo, hi) -> None:
    """Four seeds each: no planted pre-trend is rarely flagged, the drift of 0.3 log points over
    the year before joining and the +/- 0.15 swings nearly always."""
    rate, trials = power.rejection_rate(config, scenario, SEEDS)
    assert lo <= sum(t.rejects for t in trials) <= hi, [round(t.p, 4) for t in trials]
    assert all(0.05 < t.drift < 0.5 for t in trials)
