import pandas as pd
import pytest

from cloudsword.schema import TABLES, SchemaError, validate_frame


def _cases(**overrides):
    df = pd.DataFrame(
        {
            "case_id": ["K1", "K2"],
            "clue_id": ["C1", None],
            "source": ["alliance_clue", "complaint"],
            "province_adcode": ["330000", "440000"],
            "city_adcode": ["330100", "440100"],
            "opened_on": pd.to_datetime(["2016-01-05", "2016-02-07"]),
            "category": ["apparel", "footwear"],
            "suspects_caught": [2, 0],
            "seizure_cny": [1.0e6, 0.0],
            "facilities_closed": [1, 0],
        }
    )
    for k, v in overrides.items():
        df[k] = v
    return df


def test_a_good_frame_passes():
    validate_frame("cases", _cases())


def test_every_problem_is_listed_with_its_column():
    df = _cases(category=["apparel", "guns"], suspects_caught=[1.5, 2.0], case_id=["K1", "K1"])
    df = df.drop(columns=["facilities_closed"])
    with pytest.raises(SchemaError) as exc:
        validate_frame("cases", df, source="cases.parquet")
    msg = str(exc.value)
    assert "cases.parquet" in msg and "facilities_closed" in msg
    assert "suspects_caught" in msg and "guns" in msg and "key (case_id) must be unique" in msg
    assert len(exc.value.problems) == 4


def test_nulls_only_where_allowed():
    validate_frame("cases", _cases(clue_id=[None, None]))
    with pytest.raises(SchemaError, match="province_adcode"):
        validate_frame("cases", _cases(province_adcode=["330000", None]))


def test_every_table_of_the_design_is_defined():
    for name in ("provinces", "cities", "memberships", "entities", "links", "clues", "cases", "suspects"):
        assert name in TABLES and TABLES[name].key


def test_data_model_doc_is_generated_from_the_schema():
    from pathlib import Path

    from cloudsword.schema import markdown

    doc = Path(__file__).resolve().parents[2] / "docs" / "data-model.md"
    assert doc.read_text(encoding="utf-8") == markdown(), "regenerate docs/data-model.md (see its first line)"
