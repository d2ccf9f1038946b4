"""The overview's record-level drill-down (issue 13) through AppTest: the "largest seizures"
expander lists the view's 20 cases of largest seized value as a pandas computation on the case
table finds them, with their provinces by name, in both languages, follows the sidebar's filters,
and gives each role what it may see (an officer: their rows; a presenter: no table)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from apptest import case_table, download_keys, open_page, shown_all, yuan_shown

from cloudsword import geo
from cloudsword.access.scope import visible_entities
from cloudsword.i18n import format_date, t
from cloudsword.store import DEFAULT_DATA_DIR, Store

GD = "440000"
OFFICER_GD, ANALYST, PRESENTER = (f"{u}@cloudsword.example" for u in ("officer.gd", "analyst", "presenter"))
FROM, TO = "2016-01-01", "2016-12-31"


def _top(view: pd.DataFrame, k: int = 20) -> pd.DataFrame:
    view = view.dropna(subset=["seizure_cny"])
    return view.sort_values(["seizure_cny", "case_id"], ascending=[False, True]).head(k)


def _in(cases: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    return cases[cases.opened_on.between(pd.Timestamp(start), pd.Timestamp(end))]


def _open(lang: str = "en", opened: bool = True, **params: str):
    state = {"overview_seizures": True} if opened else {}
    at = open_page(None, lang, timeout=120, state=state, **params)
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_largest_seizures_of_the_view(cases, lang):
    at = _open(lang, **{"from": FROM, "to": TO})
    shown = case_table(at, lang)
    want = _top(_in(cases, FROM, TO))
    col = lambda c: list(shown[t(f"records.col.{c}", lang)])
    assert col("case_id") == list(want.case_id) and len(want) == 20
    assert col("province") == [geo.province_name(a, lang, short=True) for a in want.province_adcode]
    assert col("seizure_cny") == [yuan_shown(x, lang) for x in want.seizure_cny]
    assert col("opened_on") == [format_date(d.date(), lang) for d in want.opened_on]
    assert col("category") == [t(f"category.{c}", lang) for c in want.category]
    assert col("clue_id") == [c if isinstance(c, str) else t("records.no_clue", lang) for c in want.clue_id]
    cells = " ".join(shown.astype(str).to_numpy().ravel())
    assert not re.search(r"\b(nan|NaN|None|True|False|NaT)\b", cells)
    assert not re.search(r"\b\d{6}\b", cells), "provinces by name, not by code"
    assert {"overview_seizures_csv", "overview_seizures_xlsx"} <= download_keys(at)
    assert t("overview.seizures", lang, k=20) in [e.label for e in at.expander]


def test_the_sidebars_provinces_and_categories_narrow_the_list(cases):
    at = _open("en", **{"from": FROM, "to": TO, "prov": GD, "cat": "toys"})
    view = _in(cases, FROM, TO)
    want = _top(view[(view.province_adcode == GD) & (view.category == "toys")])
    assert list(case_table(at, "en")["Case"]) == list(want.case_id)
    assert set(case_table(at, "en")["Province"]) == {"Guangdong"}


def test_the_table_is_built_only_when_opened():
    at = _open("en", opened=False)
    assert case_table(at, "en") is None
    assert not {"overview_seizures_csv", "overview_seizures_xlsx"} & download_keys(at)


@pytest.fixture
def as_user(monkeypatch, tmp_path):
    monkeypatch.setenv("CLOUDSWORD_AUDIT", str(tmp_path / "audit.jsonl"))
    return lambda user: monkeypatch.setenv("CLOUDSWORD_DEMO_USER", user)


def test_an_officer_sees_only_the_cases_they_may_see(cases, as_user):
    """Guangdong's officer: the largest of Guangdong's cases and of the cases opened on clues about
    networks that touch Guangdong, nothing else."""
    as_user(OFFICER_GD)
    at = _open("en", **{"from": FROM, "to": TO})
    clues = pd.read_parquet(DEFAULT_DATA_DIR / "clues.parquet")
    seen = set(visible_entities(Store(DEFAULT_DATA_DIR), frozenset({GD})))
    their_clues = set(clues.clue_id[clues.entity_id.isin(seen)])
    view = _in(cases, FROM, TO)
    mine = view[(view.province_adcode == GD) | view.clue_id.isin(their_clues)]
    want = _top(mine)
    assert list(want.case_id) != list(_top(view).case_id), "the officer's list differs from the whole view's"
    assert list(case_table(at, "en")["Case"]) == list(want.case_id)
    assert t("records.officer_note", "en") in [c.value for c in at.caption]


def test_an_analyst_gets_the_table_and_a_presenter_the_message(as_user):
    as_user(ANALYST)
    at = _open("en")
    assert case_table(at, "en") is not None and "overview_seizures_csv" in download_keys(at)
    as_user(PRESENTER)
    at = _open("en")
    files = {"overview_seizures_csv", "overview_seizures_xlsx"}
    assert case_table(at, "en") is None and not files & download_keys(at)
    assert t("records.not_for_role", "en") in shown_all(at.info)
