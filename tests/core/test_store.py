"""The store against the shipped demo data: aggregates equal the raw tables, bad files are named."""

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pandas as pd
import pytest

from cloudsword.errors import DataError
from cloudsword.filters import Filters, month_end
from cloudsword.i18n import error_text
from cloudsword.overview import queries as overview_queries
from cloudsword.store import DEFAULT_DATA_DIR, Store

AS_OF = pd.Timestamp("2017-08-01")


@pytest.fixture(scope="module")
def store():
    return Store(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def raw():
    return {n: pd.read_parquet(DEFAULT_DATA_DIR / f"{n}.parquet") for n in ("clues", "cases", "memberships")}


def test_default_view_reads_the_reports_figures(store):
    f = store.default_filters()
    assert (f.date_from, f.date_to) == (date(2014, 1, 1), date(2017, 7, 31))
    totals = overview_queries.alliance_totals(store, f)
    assert 1150 <= totals["clues"] <= 1199
    assert totals["suspects"] == 880
    assert 3.0e9 <= totals["seizure"] <= 3.3e9
    assert store.manifest.as_of == date(2017, 8, 1) and store.manifest.synthetic


def test_aggregate_equals_the_raw_tables(store, raw):
    f = Filters(date(2016, 3, 1), date(2017, 2, 28), ("330000", "440000", "350000"), ("footwear", "apparel"))
    cases, clues = raw["cases"], raw["clues"]
    opened = pd.to_datetime(cases.opened_on)
    c = cases[
        cases.clue_id.notna()
        & (opened >= "2016-03-01")
        & (opened < "2017-03-01")
        & cases.province_adcode.isin(f.provinces)
        & cases.category.isin(f.categories)
    ]
    issued = pd.to_datetime(clues.issued_on)
    k = clues[
        (issued >= "2016-03-01")
        & (issued < "2017-03-01")
        & clues.handed_to.isin(f.provinces)
        & clues.category.isin(f.categories)
    ]
    totals = overview_queries.alliance_totals(store, f)
    assert totals["cases"] == len(c) > 0
    assert totals["clues"] == len(k) > 0
    assert totals["suspects"] == c.suspects_caught.sum()
    assert totals["seizure"] == pytest.approx(c.seizure_cny.sum())
    assert totals["clues_with_case"] == k.clue_id.isin(cases.clue_id).sum()


def test_series_and_map_add_up_to_the_totals(store):
    f = store.default_filters()
    totals = overview_queries.alliance_totals(store, f)
    series = overview_queries.monthly_series(store, f)
    assert len(series) == 43 and series.cases.sum() == totals["cases"]
    for metric in ("clues", "cases", "suspects", "seizure"):
        by_prov = overview_queries.by_province(store, f, metric)
        assert len(by_prov) == 31
        assert by_prov.value.sum() == pytest.approx(totals[metric])
    all_cases = overview_queries.by_province(store, f, "cases", alliance_only=False)
    assert all_cases.value.notna().all() and all_cases.value.sum() > totals["cases"]


def test_provinces_without_data_are_missing_not_zero(store):
    f = store.default_filters().with_(provinces=("330000",))
    by_prov = overview_queries.by_province(store, f, "cases")
    assert by_prov.set_index("adcode").value.notna().sum() == 1
    assert pd.isna(by_prov.set_index("adcode").at["440000", "value"])


def test_previous_period(store):
    f = Filters(date(2016, 8, 1), date(2017, 7, 31))
    assert overview_queries.previous_totals(store, f) == overview_queries.alliance_totals(
        store, Filters(date(2015, 8, 1), date(2016, 7, 31))
    )
    assert overview_queries.previous_totals(store, store.default_filters()) is None


def test_memberships(store):
    mem = store.memberships().set_index("province_adcode")
    assert len(mem) == 13
    assert mem.at["330000", "joined_on"] == date(2015, 5, 1) and not mem.at["330000", "illustrative"]
    assert mem.at["440000", "joined_on"] == date(2017, 5, 1) and not mem.at["440000", "illustrative"]
    assert mem.illustrative.sum() == 11
    assert _members_on(store, date(2015, 6, 1)) >= {"330000"}
    assert len(_members_on(store, date(2017, 7, 31))) == 13


@pytest.fixture
def copy_of_demo(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, dst)
    return dst


def _error(path):
    with pytest.raises(DataError) as exc:
        Store(path)
    return exc.value


def test_missing_directory_and_file_are_named(tmp_path, copy_of_demo):
    err = _error(tmp_path / "nowhere")
    assert err.key == "error.data_dir_missing" and err.params["dataset"] == "nowhere"
    (copy_of_demo / "cases.parquet").unlink()
    err = _error(copy_of_demo)
    assert err.key == "error.data_missing" and err.params["file"] == "cases.parquet"


def test_corrupt_file_is_named(copy_of_demo):
    (copy_of_demo / "links.parquet").write_bytes(b"this is not parquet")
    err = _error(copy_of_demo)
    assert err.key == "error.data_corrupt" and err.params == {"dataset": "data", "file": "links.parquet"}


def _problems(err: DataError, lang: str = "en") -> str:
    assert err.key == "error.dataset_invalid"
    return error_text(err, lang)


def test_schema_mismatch_names_file_and_column(copy_of_demo):
    path = copy_of_demo / "clues.parquet"
    df = pd.read_parquet(path)
    df.loc[df.index[:3], "category"] = "weapons"
    df.drop(columns=["status"]).to_parquet(path)
    text = _problems(_error(copy_of_demo))
    assert "clues.parquet: missing columns status" in text


def test_bad_values_and_references_are_reported(copy_of_demo):
    path = copy_of_demo / "cases.parquet"
    df = pd.read_parquet(path)
    df.loc[df.index[:2], "category"] = "weapons"
    df.loc[df.index[5], "province_adcode"] = "990000"
    df.to_parquet(path)
    text = _problems(_error(copy_of_demo))
    assert "column category allows only apparel" in text and "category=weapons" in text
    assert "column province_adcode must refer to provinces.adcode, yet 1 row is not" in text


def test_unreadable_manifest_is_named(copy_of_demo):
    (copy_of_demo / "manifest.json").write_text("{not json", encoding="utf-8")
    err = _error(copy_of_demo)
    assert err.key == "error.manifest" and err.params["file"] == "manifest.json"
    assert (
        error_text(err, "en")
        == "manifest.json of dataset 'data' cannot be read: it is not valid JSON (line 1, column 2)."
    )


# -- many sessions at once -----------------------------------------------------------------------
def _views(n: int) -> list[Filters]:
    """Different views: years, quarters, one to three provinces, some categories."""
    provinces = ("330000", "440000", "350000", "320000", "310000", "510000", "430000")
    out = []
    for i in range(n):
        year = 2015 + i % 3
        start = date(year, 1 + 3 * (i % 4), 1)
        provs = tuple(provinces[(i + k) % len(provinces)] for k in range(i % 3))
        cats = ("apparel", "footwear")[: i % 3]
        out.append(Filters(start, month_end(date(year, 3 + 3 * (i % 4), 1)), provs, cats))
    return out


def _answers(store: Store, f: Filters) -> tuple:
    cases = store.table("cases")
    picked = cases.filter(cases.opened_on.cast("date").between(f.date_from, f.date_to))
    return (
        overview_queries.alliance_totals(store, f),
        overview_queries.by_province(store, f, "seizure").fillna(-1).value.round(2).tolist(),
        int(store.run(picked.count())),  # a raw table: its schema must never be asked for concurrently
        overview_queries.monthly_series(store, f).cases.tolist(),
    )


def test_many_threads_with_different_filters_share_one_store(store):
    """16 threads, each its own views, against one store at once: every answer is the one a lone
    caller gets (before the store gave each query its own connection, 6 threads failed 81 of 90)."""
    views = _views(48)
    expected = {f: _answers(store, f) for f in views}
    barrier = threading.Barrier(16)

    def session(i: int) -> list[tuple[Filters, tuple]]:
        barrier.wait()
        return [(f, _answers(store, f)) for f in views[i::16] + views[:3]]

    with ThreadPoolExecutor(16) as pool:
        results = [r for part in pool.map(session, range(16)) for r in part]
    assert len(results) == 48 + 16 * 3
    assert all(got == expected[f] for f, got in results)


def _members_on(store: Store, day: date) -> set[str]:
    mem = store.memberships()
    return set(mem.loc[mem.joined_on <= day, "province_adcode"])
