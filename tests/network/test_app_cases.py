"""The network page's Cases tab: one seller's case records (issue 13's third drill-down), as the
case table holds them, in both languages, for the roles that may read records."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest
from apptest import case_table, download_keys, open_page, shown_all

from cloudsword import records
from cloudsword.i18n import format_date, t
from cloudsword.store import DEFAULT_DATA_DIR

pytestmark = pytest.mark.app


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {
        n: pq.read_table(DEFAULT_DATA_DIR / f"{n}.parquet").to_pandas()
        for n in ("clues", "cases", "suspects")
    }


def _sellers_cases(tables: dict[str, pd.DataFrame], entity: str) -> pd.DataFrame:
    """From the words of the rule: cases opened on a clue about it, or with a suspect tied to it."""
    cl, ca, su = tables["clues"], tables["cases"], tables["suspects"]
    mine = ca.clue_id.isin(cl.clue_id[cl.entity_id == entity]) | ca.case_id.isin(
        su.case_id[su.entity_id == entity]
    )
    return ca[mine].sort_values(["seizure_cny", "case_id"], ascending=[False, True], na_position="last")


def _busiest(tables: dict[str, pd.DataFrame]) -> str:
    cl = tables["clues"]
    return cl.entity_id.value_counts().sort_index().sort_values(ascending=False, kind="stable").index[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cases_tab_lists_the_sellers_cases_largest_seizure_first(tables, lang):
    entity = _busiest(tables)
    want = _sellers_cases(tables, entity)
    assert len(want) > 1
    at = open_page("views/network.py", lang, timeout=180, entity=entity, tab="cases")
    assert not at.exception and not at.error
    shown = case_table(at, lang)
    assert list(shown[t("records.col.case_id", lang)]) == list(want.case_id)
    days = [format_date(pd.Timestamp(d).date(), lang) for d in want.opened_on]
    assert list(shown[t("records.col.opened_on", lang)]) == days
    assert t("network.cases.explain", lang) in [c.value for c in at.caption]
    assert records.shown_of(len(want), len(want), lang) in [c.value for c in at.caption]
    assert {"network_cases_csv", "network_cases_xlsx"} <= download_keys(at)


def test_a_seller_no_case_touched_says_so(tables):
    cases = tables["cases"]
    tied = set(tables["clues"].entity_id[tables["clues"].clue_id.isin(cases.clue_id)])
    tied |= set(tables["suspects"].entity_id.dropna())
    quiet = sorted(set(tables["clues"].entity_id) - tied)[0]  # clues about it, no case yet
    at = open_page("views/network.py", "en", timeout=180, entity=quiet, tab="cases")
    assert not at.exception and case_table(at, "en") is None
    assert t("records.none", "en") in shown_all(at.info)


def test_a_presenter_is_told_records_are_not_for_their_role(monkeypatch, tables):
    monkeypatch.setenv("CLOUDSWORD_DEMO_USER", "presenter@cloudsword.example")
    monkeypatch.setenv("CLOUDSWORD_ROLES", str(DEFAULT_DATA_DIR.parent / "roles.toml"))
    at = open_page("views/network.py", "en", timeout=180, entity=_busiest(tables), tab="cases")
    assert not at.exception and case_table(at, "en") is None
    assert t("records.not_for_role", "en") in shown_all(at.info)
    assert not {"network_cases_csv", "network_cases_xlsx"} & download_keys(at)
