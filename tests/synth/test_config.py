"""The alliance config: the shipped file's content, and every mistake reported with its key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cloudsword.errors import ConfigError
from cloudsword.synth.config import DEFAULT_CONFIG, load_config

DEFAULT_TEXT = DEFAULT_CONFIG.read_text(encoding="utf-8")


def variant(tmp_path: Path, old: str, new: str) -> Path:
    """The default config with one piece of text replaced, written to a temporary file."""
    assert old in DEFAULT_TEXT, old
    path = tmp_path / "alliance.toml"
    path.write_text(DEFAULT_TEXT.replace(old, new, 1), encoding="utf-8")
    return path


def error_of(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return info.value


def test_default_config_holds_the_public_facts():
    c = load_config()
    assert (c.start, c.end, c.as_of) == (date(2014, 1, 1), date(2017, 7, 31), date(2017, 8, 1))
    assert len(c.members) == 13
    public = {m.adcode: m.joined_on for m in c.members if not m.illustrative}
    assert public == {"330000": date(2015, 5, 1), "440000": date(2017, 5, 1)}
    assert c.calibration.suspects_caught == 880
    assert 1150 <= c.calibration.clues[0] <= c.calibration.clues[1] <= 1199
    assert 3.0e9 <= c.calibration.seized_cny[0] <= c.calibration.seized_cny[1] <= 3.3e9
    illustrative = [m.joined_on for m in c.members if m.illustrative]
    assert all(date(2015, 5, 1) <= d <= date(2017, 5, 1) for d in illustrative)
    assert len({m.joined_on for m in c.members}) >= 3  # a staggered roll-out
    assert sum((c.end - m.joined_on).days >= 365 for m in c.members) >= 3
    assert c.member("440000").log_rate_ratio >= 0.9  # June >= 2 x April in Guangdong
    assert len(c.sha256) == 64


def test_chinese_and_english_names_resolve_alike(tmp_path):
    c = load_config(variant(tmp_path, 'province = "浙江"', 'province = "Zhejiang Province"'))
    assert c.members[0].adcode == "330000" and c.members[0].name == "Zhejiang Province"


def test_unknown_province_suggests_names(tmp_path):
    err = error_of(variant(tmp_path, 'province = "福建"', 'province = "Fujain"'))
    assert err.key == "error.unknown_province"
    assert err.params["name"] == "Fujain" and err.params["file"].endswith("alliance.toml")
    assert any("Fujian" in s for s in err.params["suggestions"])


def test_join_date_outside_range(tmp_path):
    err = error_of(variant(tmp_path, "joined_on = 2017-03-01", "joined_on = 2018-03-01"))
    assert err.key == "error.join_outside_range"
    assert err.params["date"] == "2018-03-01" and err.params["province"] == "云南"
    assert (err.params["start"], err.params["end"]) == ("2014-01-01", "2017-07-31")


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("joined_on = 2015-11-01", 'joined_on = "2015-13-01"', "members[2].joined_on"),
        ("start = 2014-01-01", 'start = "1 Jan 2014"', "dataset.start"),
        ("as_of = 2017-08-01", "as_of = 2017-08-01T09:00:00", "dataset.as_of"),
    ],
)
def test_malformed_dates(tmp_path, old, new, field):
    err = error_of(variant(tmp_path, old, new))
    assert err.key == "error.bad_date" and err.params["field"] == field


def test_missing_file(tmp_path):
    err = error_of(tmp_path / "nope.toml")
    assert err.key == "error.config_missing" and err.params["file"].endswith("nope.toml")


def test_invalid_toml(tmp_path):
    err = error_of(variant(tmp_path, "[effect]", "[effect"))
    assert err.key == "error.config_invalid" and err.params["detail"]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('province = "江西"', 'province = "Zhejiang"', "members"),  # duplicate member
        ("cases = 100000", "cases = -5", "scale.cases"),
        ("entities = 10000", "entities = 1.5", "scale.entities"),
        ("case_rate = 0.8", "case_rate = 1.5", "clues.case_rate"),
        ("apparel = 18", "clothes = 18", "categories.clothes"),
        ("illustrative = false\nlog_rate_ratio = 0.4", "illustrativ = false", "members[1].illustrativ"),
        ("suspects_caught = 880", "suspects_caught = [880]", "calibration.suspects_caught"),
        ("seized_cny = [3.0e9, 3.3e9]", "seized_cny = [3.3e9, 3.0e9]", "calibration.seized_cny"),
        ("end = 2017-07-31", "end = 2013-07-31", "dataset.end"),
        ('cities = ["汕头"]', 'cities = ["Gotham"]', "specialisms.toys.cities"),
    ],
)
def test_bad_values(tmp_path, old, new, field):
    err = error_of(variant(tmp_path, old, new))
    assert err.key == "error.config_value"
    assert err.params["field"] == field and err.params["detail"]


def test_members_sorted_by_join_date_and_overrides_applied():
    c = load_config()
    assert [m.joined_on for m in c.members] == sorted(m.joined_on for m in c.members)
    gd = c.member("440000")
    assert gd.ramp_months == 1 and gd.log_rate_ratio == 1.1
    assert c.member("350000").log_rate_ratio == c.log_rate_ratio  # default when not overridden
