"""/map's record-level drill-down (issue 13) through AppTest: the province panel's "cases in the
map's month" expander lists the cases a pandas computation on the case table finds, largest seizure
first, in both languages, says "showing N of M" when it cuts, follows the map's alliance scope,
and gives each role what it may see (an officer: their rows; a presenter: no table)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from apptest import case_table, download_keys, open_page, shown_all, yuan_shown

from cloudsword import records
from cloudsword.access.scope import visible_entities
from cloudsword.i18n import format_date, format_number, t
from cloudsword.store import DEFAULT_DATA_DIR, Store

JUNE = "2017-06"
GD, ZJ = "440000", "330000"
OFFICER_GD, PRESENTER = "officer.gd@cloudsword.example", "presenter@cloudsword.example"


def _june(cases: pd.DataFrame, province: str) -> pd.DataFrame:
    month = cases[(cases.province_adcode == province) & (cases.opened_on.dt.strftime("%Y-%m") == JUNE)]
    return month.sort_values(["seizure_cny", "case_id"], ascending=[False, True])


def _open(lang: str = "en", opened: bool = True, **params: str):
    state = {"map_cases": True} if opened else {}
    at = open_page("views/map.py", lang, timeout=120, state=state, month=JUNE, **params)
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_panel_lists_the_provinces_cases_in_the_maps_month(cases, lang):
    at = _open(lang, province=GD)
    shown = case_table(at, lang)
    want = _june(cases, GD)
    assert len(want) > 500, "the demo's Guangdong June is larger than one table"
    assert list(shown[t("records.col.case_id", lang)]) == list(want.case_id.head(500))
    top = want.head(500)
    assert list(shown[t("records.col.seizure_cny", lang)]) == [yuan_shown(x, lang) for x in top.seizure_cny]
    assert list(shown[t("records.col.opened_on", lang)]) == [
        format_date(d.date(), lang) for d in top.opened_on
    ]
    assert list(shown[t("records.col.category", lang)]) == [t(f"category.{c}", lang) for c in top.category]
    clues = [c if isinstance(c, str) else t("records.no_clue", lang) for c in top.clue_id]
    assert list(shown[t("records.col.clue_id", lang)]) == clues
    assert set(shown.columns) == {
        t(f"records.col.{c}", lang)
        for c in ("case_id", "clue_id", "opened_on", "category", "suspects_caught", "seizure_cny")
    }
    cells = " ".join(shown.astype(str).to_numpy().ravel())
    assert not re.search(r"\b(nan|NaN|None|True|False|NaT)\b", cells)
    count = t("records.showing", lang, n=format_number(500, lang), total=format_number(len(want), lang))
    assert count in [c.value for c in at.caption]
    assert {"map_cases_csv", "map_cases_xlsx"} <= download_keys(at)


def test_a_month_that_fits_says_how_many_and_lists_them_all(cases):
    at = _open("en", province="650000")  # Xinjiang: a few cases a month
    want = _june(cases, "650000")
    assert 0 < len(want) < 500
    shown = case_table(at, "en")
    assert list(shown["Case"]) == list(want.case_id)
    assert t("records.count", "en", total=format_number(len(want), "en")) in [c.value for c in at.caption]


def test_the_table_is_built_only_when_opened():
    at = _open("en", opened=False, province=GD)
    assert case_table(at, "en") is None and not {"map_cases_csv", "map_cases_xlsx"} & download_keys(at)
    assert [e.label for e in at.expander if e.label.startswith("Cases in")] == [
        "Cases in Guangdong, Jun 2017"
    ]


def test_the_alliance_scope_lists_only_cases_from_alliance_clues(cases):
    at = _open("en", province=GD, scope="alliance")
    want = _june(cases, GD).dropna(subset=["clue_id"])
    shown = case_table(at, "en")
    assert list(shown["Case"]) == list(want.case_id.head(500))
    assert "Not from a clue" not in set(shown["Clue"])
    assert t("map.panel.cases_alliance", "en") in [c.value for c in at.caption]


@pytest.fixture
def as_user(monkeypatch, tmp_path):
    monkeypatch.setenv("CLOUDSWORD_AUDIT", str(tmp_path / "audit.jsonl"))
    return lambda user: monkeypatch.setenv("CLOUDSWORD_DEMO_USER", user)


def test_an_officer_sees_only_the_cases_they_may_see(cases, as_user):
    """Guangdong's officer: every Guangdong case, and of Zhejiang's only those opened on a clue
    about a network that touches Guangdong."""
    as_user(OFFICER_GD)
    own = case_table(_open("en", province=GD), "en")
    assert list(own["Case"]) == list(_june(cases, GD).case_id.head(500))
    other = _open("en", province=ZJ)
    clues = pd.read_parquet(DEFAULT_DATA_DIR / "clues.parquet")
    seen = set(visible_entities(Store(DEFAULT_DATA_DIR), frozenset({GD})))
    their_clues = set(clues.clue_id[clues.entity_id.isin(seen)])
    zj = _june(cases, ZJ)
    want = zj[zj.clue_id.isin(their_clues)]
    assert 0 < len(want) < len(zj)
    shown = case_table(other, "en")
    assert list(shown["Case"]) == list(want.case_id.head(500))
    count = records.shown_of(min(len(want), 500), len(want), "en")
    assert count in [c.value for c in other.caption]
    assert t("records.officer_note", "en") in [c.value for c in other.caption]


def test_a_presenter_gets_the_message_not_the_table(as_user):
    as_user(PRESENTER)
    at = _open("zh", province=GD)
    assert case_table(at, "zh") is None and not {"map_cases_csv", "map_cases_xlsx"} & download_keys(at)
    assert t("records.not_for_role", "zh") in shown_all(at.info)
