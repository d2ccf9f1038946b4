"""The demo-data generator: calibration, realism, determinism, atomic writes and the CLI.

The shipped data/demo is checked for the public figures, and regenerated with the default
seed to prove it is not stale. Dates are read as datetime.date objects and converted to
datetime64 before schema.validate_frame, which checks pandas frames.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from sklearn.metrics import adjusted_rand_score

from cloudsword import cli, geo
from cloudsword.errors import ConfigError
from cloudsword.schema import (
    DATASET_TABLES,
    PRODUCT_TABLES,
    RELATIONS,
    SUSPECT_ROLES,
    TABLES,
    validate_frame,
)
from cloudsword.synth import generate as synth
from cloudsword.synth.config import DEFAULT_CONFIG, load_config

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"
AS_OF = pd.Timestamp("2017-08-01")
MONTHS = pd.period_range("2014-01", "2017-07", freq="M")


def read(folder: Path, name: str) -> pd.DataFrame:
    """One table as pandas, date columns as datetime64 (as validate_frame expects)."""
    df = pd.read_parquet(folder / f"{name}.parquet")
    for col in TABLES[name].columns:
        if col.dtype == "date":
            df[col.name] = pd.to_datetime(df[col.name])
    return df


def read_all(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: read(folder, name) for name in (*DATASET_TABLES, *PRODUCT_TABLES)}


@pytest.fixture(scope="session")
def config():
    return load_config()


@pytest.fixture(scope="session")
def demo() -> dict[str, pd.DataFrame]:
    return read_all(DEMO)


@pytest.fixture(scope="session")
def regenerated(config, tmp_path_factory) -> Path:
    """The default dataset generated afresh (seed from the config, scale 1)."""
    out = tmp_path_factory.mktemp("regen") / "demo"
    synth.generate(config, config.seed, 1.0, out)
    return out


@pytest.fixture(scope="session")
def small(config, tmp_path_factory) -> tuple[Path, Path, Path]:
    """Scale 0.2: seed 7 twice, and seed 8."""
    base = tmp_path_factory.mktemp("small")
    outs = (base / "a", base / "b", base / "c")
    for out, seed in zip(outs, (7, 7, 8), strict=True):
        synth.generate(config, seed, 0.2, out)
    return outs


@pytest.fixture(scope="session")
def alliance_cases(demo) -> pd.DataFrame:
    cases = demo["cases"]
    return cases[(cases["source"] == "alliance_clue") & cases["clue_id"].notna()]


# --- the shipped dataset -------------------------------------------------------------------------


def test_demo_is_current(demo, regenerated):
    """data/demo is exactly what the generator makes from data/alliance.toml (not stale)."""
    fresh = read_all(regenerated)
    for name in (*DATASET_TABLES, *PRODUCT_TABLES):
        pd.testing.assert_frame_equal(fresh[name], demo[name], obj=name)
    shipped = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    assert json.loads((regenerated / "manifest.json").read_text(encoding="utf-8")) == shipped


def test_manifest(config):
    m = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    assert m["synthetic"] is True and "synthetic" in m["note"].lower()
    assert (m["seed"], m["scale"], m["config_file"]) == (config.seed, 1.0, "alliance.toml")
    assert m["config_sha256"] == config.sha256
    assert (m["start"], m["end"], m["as_of"]) == ("2014-01-01", "2017-07-31", "2017-08-01")
    assert m["rows"] == {
        name: pq.ParquetFile(DEMO / f"{name}.parquet").metadata.num_rows for name in DATASET_TABLES
    }


def test_demo_is_small():
    assert sum(p.stat().st_size for p in DEMO.iterdir()) < 12 * 2**20


def test_calibration(demo, alliance_cases):
    clues = demo["clues"]
    assert 1150 <= int((clues["issued_on"] < AS_OF).sum()) <= 1199
    assert int(alliance_cases["suspects_caught"].sum()) == 880
    assert 3.0e9 <= alliance_cases["seizure_cny"].sum() <= 3.3e9
    assert len(demo["memberships"]) == 13
    suspects = demo["suspects"]
    assert len(suspects) == 880 and suspects["suspect_id"].is_unique
    per_case = suspects.groupby("case_id").size()
    expected = alliance_cases.set_index("case_id")["suspects_caught"]
    assert per_case.to_dict() == expected[expected > 0].to_dict()


def test_volumes(demo):
    assert 90_000 <= len(demo["cases"]) <= 110_000
    assert len(demo["entities"]) == 10_000
    assert 27_000 <= len(demo["links"]) <= 33_000


def test_tables_validate(demo):
    for name, df in demo.items():
        validate_frame(name, df, source=name)


def test_references_hold(demo):
    provinces, cities = geo.load_provinces(), geo.load_cities()
    ents, cases, clues = demo["entities"], demo["cases"], demo["clues"]
    ids = set(ents["entity_id"])
    assert set(demo["links"]["src_id"]) <= ids and set(demo["links"]["dst_id"]) <= ids
    assert set(clues["entity_id"]) <= ids and set(demo["truth_rings"]["entity_id"]) <= ids
    assert set(demo["suspects"]["entity_id"].dropna()) <= ids
    assert set(demo["suspects"]["case_id"]) <= set(cases["case_id"])
    assert set(cases["clue_id"].dropna()) <= set(clues["clue_id"])
    city_province = dict(zip(cities["adcode"], cities["province_adcode"], strict=True))
    for df, prov in ((ents, "province_adcode"), (cases, "province_adcode")):
        assert (df["city_adcode"].map(city_province) == df[prov]).all()
    assert set(ents["province_adcode"]) <= set(provinces["adcode"])


def test_dates_within_range(demo):
    lo, hi = pd.Timestamp("2014-01-01"), pd.Timestamp("2017-07-31")
    links = demo["links"]
    assert (links["first_seen"] <= links["last_seen"]).all()
    assert links["first_seen"].min() >= lo and links["last_seen"].max() <= hi
    assert (links["evidence_count"] >= 1).all()
    for name, col in (("cases", "opened_on"), ("clues", "issued_on"), ("entities", "first_seen")):
        assert demo[name][col].between(lo, hi).all(), name


# --- realism -------------------------------------------------------------------------------------


def test_case_panel_is_complete(demo, alliance_cases):
    """Every mainland province has non-alliance cases every month; members also alliance ones."""
    cases = demo["cases"]
    mainland = geo.load_provinces().query("mainland")["adcode"]
    other = cases[cases["source"] != "alliance_clue"]
    assert other["clue_id"].isna().all() and set(other["source"]) == {"local_enforcement", "complaint"}
    cells = other.groupby([other["province_adcode"], other["opened_on"].dt.to_period("M")]).size()
    full = pd.MultiIndex.from_product([sorted(mainland), MONTHS])
    assert cells.reindex(full).notna().all(), "a province-month has no cases"
    members = demo["memberships"]
    assert set(alliance_cases["province_adcode"]) == set(members["province_adcode"])
    zj = alliance_cases[alliance_cases["province_adcode"] == "330000"]["opened_on"].dt.to_period("M")
    assert set(pd.period_range("2015-06", "2017-07", freq="M")) <= set(zj)


def test_volume_follows_population(demo):
    counts = demo["cases"].groupby("province_adcode").size()
    assert counts["440000"] > counts["620000"] > counts["540000"]  # Guangdong > Gansu > Tibet


def test_seasonality(demo):
    monthly = demo["cases"].groupby(demo["cases"]["opened_on"].dt.to_period("M")).size()
    for year in (2014, 2015, 2016):
        assert monthly[pd.Period(f"{year}-11")] > 1.2 * monthly[pd.Period(f"{year}-10")]  # Double 11
    assert monthly[pd.Period("2015-02")] < 0.8 * monthly[pd.Period("2015-03")]  # Spring Festival 19 Feb


def test_guangdong_doubled_april_to_june(demo):
    gd = demo["cases"].query("province_adcode == '440000'")
    by_month = gd.groupby(gd["opened_on"].dt.to_period("M")).size()
    assert by_month[pd.Period("2017-06")] >= 2 * by_month[pd.Period("2017-04")]


def test_clues_go_to_members_after_joining(demo, config):
    clues, members, ents = demo["clues"], demo["memberships"], demo["entities"]
    joined = clues["handed_to"].map(dict(zip(members["province_adcode"], members["joined_on"], strict=True)))
    assert joined.notna().all() and (clues["issued_on"] >= joined).all()
    located = clues["entity_id"].map(ents.set_index("entity_id")["province_adcode"])
    assert (located == clues["handed_to"]).all()
    first_seen = clues["entity_id"].map(ents.set_index("entity_id")["first_seen"])
    assert (first_seen <= clues["issued_on"]).all()
    cases = demo["cases"].dropna(subset=["clue_id"]).merge(clues, on="clue_id", suffixes=("", "_clue"))
    assert len(cases) == cases["clue_id"].nunique()
    assert set(cases["clue_id"]) == set(clues.loc[clues["status"] == "case_opened", "clue_id"])
    lag = (cases["opened_on"] - cases["issued_on"]).dt.days
    assert lag.min() >= 0 and lag.max() <= 31 * config.lag_months + 1
    assert (cases["province_adcode"] == cases["handed_to"]).all()
    assert (cases["category"] == cases["category_clue"]).all()
    assert (clues["status"] == "case_opened").mean() > 0.6


def test_chains_cross_provinces(demo):
    ents, rings = demo["entities"], demo["truth_rings"]
    shops = ents[ents["kind"] == "shop"]
    assert (shops["province_adcode"] == "330000").mean() > 0.5  # registered mostly in Zhejiang
    spread = rings.merge(ents, on="entity_id").groupby("ring_id")["province_adcode"].nunique()
    assert (spread >= 3).mean() > 0.8
    factories = ents[ents["kind"] == "factory"]
    shoes = factories[factories["name"].str.contains("鞋业")]
    assert shoes["province_adcode"].value_counts().index[0] == "350000"  # footwear: Fujian
    phones = factories[factories["name"].str.contains("数码")]
    assert phones["province_adcode"].value_counts().index[0] == "440000"  # electronics: Guangdong


def test_links_join_the_right_kinds(demo):
    kind = demo["entities"].set_index("entity_id")["kind"]
    links = demo["links"].assign(src=lambda d: d["src_id"].map(kind), dst=lambda d: d["dst_id"].map(kind))
    allowed = {
        "operates": ({"operator"}, {"shop", "payment_account"}),
        "supplies": ({"factory", "dealer"}, {"dealer", "warehouse", "shop"}),
        "stores_for": ({"warehouse"}, {"shop"}),
        "ships_to": ({"logistics"}, {"warehouse", "shop"}),
        "pays": ({"payment_account"}, {"factory", "dealer", "payment_account"}),
        "shares_identifier": ({"shop"}, {"shop", "payment_account"}),
    }
    assert set(links["relation"]) == set(RELATIONS)
    for rel, (srcs, dsts) in allowed.items():
        part = links[links["relation"] == rel]
        assert set(part["src"]) <= srcs and set(part["dst"]) <= dsts, rel
    assert (links["src_id"] != links["dst_id"]).all()


def test_rings_and_hubs(demo):
    ents, rings, links = demo["entities"], demo["truth_rings"], demo["links"]
    hubs = set(ents["entity_id"]) - set(rings["entity_id"])
    assert 3 <= len(hubs) <= 20
    assert set(ents.set_index("entity_id").loc[sorted(hubs), "kind"]) <= {"logistics", "payment_account"}
    degree = pd.concat([links["src_id"], links["dst_id"]]).value_counts()
    assert degree[sorted(hubs)].min() >= 100
    sizes = rings.groupby("ring_id").size()
    assert sizes.min() >= 8 and sizes.quantile(0.95) <= 60


def test_stored_rings_recover_the_planted_rings(demo):
    """The rings the generator stores with the dataset (detected on the whole network, hubs set
    aside) are the planted ones: every hub in none, ARI at least 0.9."""
    planted, found = demo["truth_rings"], demo["rings"].set_index("entity_id")
    assert len(found) == len(demo["entities"])
    assert set(found.index[found.hub]) == set(demo["entities"].entity_id) - set(planted.entity_id)
    assert (found.ring[found.hub] == 0).all()
    assert adjusted_rand_score(planted["ring_id"], planted["entity_id"].map(found.ring)) >= 0.9


def test_suspects_are_plausible(demo):
    suspects, ents, cases = demo["suspects"], demo["entities"], demo["cases"]
    assert suspects["name"].str.fullmatch(r"[\u4e00-\u9fff]{2,3}").all()
    assert set(suspects["role"]) <= set(SUSPECT_ROLES)
    kind = suspects["entity_id"].map(ents.set_index("entity_id")["kind"])
    role_kinds = {
        "operator": {"operator", "shop"},
        "manufacturer": {"factory"},
        "warehouse_keeper": {"warehouse"},
        "dealer": {"dealer"},
    }
    for role, kinds in role_kinds.items():
        assert set(kind[suspects["role"] == role]) <= kinds, role
    assert suspects.loc[suspects["role"] == "accomplice", "entity_id"].isna().all()
    opened = suspects["case_id"].map(cases.set_index("case_id")["opened_on"])
    assert (suspects["caught_on"] >= opened).all() and (suspects["caught_on"] < AS_OF).all()


def test_entities_sit_in_their_city(demo):
    cities = geo.load_cities().set_index("adcode")
    ents = demo["entities"]
    assert (ents["lon"] - ents["city_adcode"].map(cities["lon"])).abs().max() <= 0.25
    assert (ents["lat"] - ents["city_adcode"].map(cities["lat"])).abs().max() <= 0.25


def test_truth_effects_match_config(demo, config):
    truth = demo["truth_effects"].set_index("province_adcode")
    for m in config.members:
        assert truth.loc[m.adcode, "log_rate_ratio"] == m.log_rate_ratio
        assert truth.loc[m.adcode, "joined_on"].date() == m.joined_on
    memberships = demo["memberships"].set_index("province_adcode")
    assert not memberships.loc["330000", "illustrative"] and memberships["illustrative"].sum() == 11


# --- determinism, other configs, failure ---------------------------------------------------------


def test_same_seed_same_bytes_other_seed_differs(small):
    a, b, c = small
    for name in (*DATASET_TABLES, *PRODUCT_TABLES):
        assert (a / f"{name}.parquet").read_bytes() == (b / f"{name}.parquet").read_bytes(), name
    assert not read(a, "cases").equals(read(c, "cases"))
    assert not read(a, "links").equals(read(c, "links"))


def test_small_scale_scales_the_targets(small):
    cases, clues = read(small[0], "cases"), read(small[0], "clues")
    ally = cases[cases["source"] == "alliance_clue"]
    assert round(1150 * 0.2) <= len(clues) <= round(1199 * 0.2)
    assert int(ally["suspects_caught"].sum()) == round(880 * 0.2)
    assert 0.2 * 3.0e9 <= ally["seizure_cny"].sum() <= 0.2 * 3.3e9
    for name in DATASET_TABLES:
        validate_frame(name, read(small[0], name))


def test_another_config(tmp_path):
    """Five other members, another range and as_of, at scale 0.3."""
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    head = text[: text.index("[[members]]")]
    head = head.replace("end = 2017-07-31", "end = 2018-12-31").replace(
        "as_of = 2017-08-01", "as_of = 2018-07-01"
    )
    members = [("北京", "2015-03-01"), ("Shandong", "2016-01-01"), ("湖北省", "2016-01-01"),
               ("Shaanxi", "2017-06-15"), ("黑龙江", "2018-02-01")]  # fmt: skip
    for name, joined in members:
        head += f'[[members]]\nprovince = "{name}"\njoined_on = {joined}\n\n'
    path = tmp_path / "other.toml"
    path.write_text(head, encoding="utf-8")
    config = load_config(path)
    out = tmp_path / "out"
    counts = synth.generate(config, 3, 0.3, out)
    assert counts["memberships"] == 5
    clues, cases = read(out, "clues"), read(out, "cases")
    assert set(clues["handed_to"]) == {"110000", "370000", "420000", "610000", "230000"}
    before = clues["issued_on"] < pd.Timestamp("2018-07-01")
    assert round(1150 * 0.3) <= before.sum() <= round(1199 * 0.3)
    assert (~before).sum() > 0  # clues continue after as_of, at the same pace
    ally = cases[(cases["source"] == "alliance_clue") & (cases["opened_on"] < pd.Timestamp("2018-07-01"))]
    assert int(ally["suspects_caught"].sum()) == round(880 * 0.3)
    assert cases["opened_on"].max() <= pd.Timestamp("2018-12-31")
    assert cases["opened_on"].dt.to_period("M").nunique() == 60
    for name in DATASET_TABLES:
        validate_frame(name, read(out, name))


def test_failed_write_leaves_previous_dataset(tmp_path, monkeypatch, config):
    out = tmp_path / "demo"
    out.mkdir()
    (out / "keep.txt").write_text("previous dataset")
    real = synth.write_parquet

    def failing_write(path, table, **kwargs):
        if path.name == "cases.parquet":  # the disk fills halfway through the case stream
            next(iter(table.batches()))
            path.write_bytes(b"PAR1")
            raise OSError("disk full")
        return real(path, table, **kwargs)

    monkeypatch.setattr(synth, "write_parquet", failing_write)
    with pytest.raises(OSError):
        synth.generate(config, 1, 0.05, out)
    assert [p.name for p in tmp_path.iterdir()] == ["demo"]
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_bad_scale_is_a_config_error(config, tmp_path):
    with pytest.raises(ConfigError) as info:
        synth.generate(config, 1, 0.0, tmp_path / "x")
    assert info.value.key == "error.config_value" and info.value.params["field"] == "scale"


# --- command line --------------------------------------------------------------------------------


def test_cli_generates(tmp_path, capsys):
    assert cli.main(["generate", "--seed", "5", "--scale", "0.05", "--out", str(tmp_path / "d")]) == 0
    assert "cases" in capsys.readouterr().out
    assert json.loads((tmp_path / "d" / "manifest.json").read_text())["seed"] == 5


def test_cli_bad_config_is_one_clean_line(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8").replace('"福建"', '"Fujain"'), encoding="utf-8")
    assert cli.main(["generate", "--config", str(bad), "--out", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "bad.toml" in err and "Fujain" in err and "Fujian" in err
    assert not (tmp_path / "d").exists()


def test_module_entry_point_exits_2_without_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "cloudsword", "generate", "--config", str(tmp_path / "missing.toml")],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "LANG": "C", "CLOUDSWORD_LANG": ""},
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"error: Config file {tmp_path / 'missing.toml'} not found."


def test_cli_speaks_the_users_language(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8").replace('"福建"', '"Fujain"'), encoding="utf-8")
    assert cli.main(["--lang", "zh", "generate", "--config", str(bad), "--out", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误") and "未知省份" in err and "Fujain" in err
