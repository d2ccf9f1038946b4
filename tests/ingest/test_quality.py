"""The data page's outlying seized values (issue 13): one query in the engine that returns only the
outliers gives the answer of the pandas computation it replaced (tests/outlier_cases.py keeps it),
on the demo data, a small generated dataset and datasets planted with its edge cases."""

from __future__ import annotations

import numpy as np
import pytest
from outlier_cases import TIE, assert_same, generate_small, planted, reference

from cloudsword.ingest import quality
from cloudsword.store import DEFAULT_DATA_DIR, Store


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return generate_small(tmp_path_factory.mktemp("outliers") / "small")


@pytest.fixture(scope="module")
def planted_store(small, tmp_path_factory):
    return Store(planted(small, tmp_path_factory.mktemp("outliers") / "planted", "outliers"))


def test_the_demo_datas_outliers_are_the_pandas_answer():
    store = Store(DEFAULT_DATA_DIR)
    want = reference(store)
    assert len(want) > 20
    assert_same(quality.outliers(store), want)


def test_a_generated_datasets_outliers_are_the_pandas_answer(small):
    store = Store(small)
    want = reference(store)
    assert len(want) > 0
    assert_same(quality.outliers(store), want)


def test_planted_edge_cases_give_the_pandas_answer(planted_store):
    """Interpolated medians, equal values, a category whose MAD is 0, one with no positive value."""
    store = planted_store
    cases = store.run(store.table("cases"))
    positive = cases[cases.seizure_cny > 0]
    counts = positive.groupby("category").size()
    assert "toys" not in counts and (counts.drop("bags") % 2 == 0).all()
    log = np.log10(positive[positive.category == "medicine"].seizure_cny.sort_values().to_numpy())
    assert log[len(log) // 2 - 1] < log[len(log) // 2]  # medicine's median lies between two values
    bags = positive[positive.category == "bags"].seizure_cny
    assert (bags == 20_000).mean() > 0.5 and (bags == 2e9).sum() == 3

    want = reference(store)
    assert (abs(want.deviations - quality.OUTLIER_MADS) > 1e-6).all()  # none on the edge
    got = quality.outliers(store)
    assert_same(got, want)
    assert "bags" not in set(got.category) and "toys" not in set(got.category)  # MAD 0; nothing seized
    assert {"apparel", "footwear", "cosmetics", "medicine"} <= set(got.category)
    tied = got[got.seizure_cny == TIE]
    assert len(tied) == 3 and tied.case_id.is_monotonic_increasing
    assert got.seizure_cny.is_monotonic_decreasing


@pytest.mark.parametrize("limit", [1, 2, 4, 6])
def test_the_limit_cuts_the_same_rows_even_through_equal_values(planted_store, limit):
    want = reference(planted_store, limit)
    assert len(want) == limit
    assert_same(quality.outliers(planted_store, limit), want)


def test_a_dataset_that_seizes_nothing_has_no_outliers(small, tmp_path):
    store = Store(planted(small, tmp_path / "nothing", "nothing"))
    got = quality.outliers(store)
    assert got.empty
    assert_same(got, reference(store))
