"""Record-level drill-downs (issue 13), each against naive pandas on the raw case table: the
largest seizures of a view, one province's cases in one month, one seller's cases."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from cloudsword.filters import Filters
from cloudsword.map import queries as map_queries
from cloudsword.network import analysis
from cloudsword.overview import queries
from cloudsword.store import DEFAULT_DATA_DIR, Store


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(DEFAULT_DATA_DIR)


def test_largest_seizures_are_the_views_top_cases(store, cases):
    f = Filters(date(2016, 1, 1), date(2016, 12, 31), ("440000", "330000"), ("apparel", "toys"))
    got = queries.largest_seizures(store, f, k=15)
    view = cases[
        cases.opened_on.between(pd.Timestamp(f.date_from), pd.Timestamp(f.date_to))
        & cases.province_adcode.isin(f.provinces)
        & cases.category.isin(f.categories)
    ]
    want = view.sort_values(["seizure_cny", "case_id"], ascending=[False, True]).head(15)
    assert list(got.case_id) == list(want.case_id) and len(got) == 15
    assert got.seizure_cny.is_monotonic_decreasing


def test_one_provinces_cases_in_one_month(store, cases):
    f = Filters(date(2014, 1, 1), date(2017, 7, 31), categories=("apparel",))
    got, n = map_queries.province_month_cases(store, f, "440000", date(2017, 6, 1), limit=10)
    month = cases[
        (cases.province_adcode == "440000")
        & (cases.opened_on.dt.to_period("M") == pd.Period("2017-06"))
        & (cases.category == "apparel")
    ]
    assert n == len(month) > 10 and len(got) == 10
    want = month.sort_values(["seizure_cny", "case_id"], ascending=[False, True]).head(10)
    assert list(got.case_id) == list(want.case_id)


def test_one_sellers_cases_are_those_its_clues_and_suspects_lead_to(store):
    enf = analysis.enforcement(store)
    busiest = enf["entity_cases"].entity_id.value_counts().index[0]
    got = analysis.seller_cases(store, busiest)
    want = enf["entity_cases"].loc[enf["entity_cases"].entity_id == busiest, "case_id"]
    assert sorted(got.case_id) == sorted(want) and len(got) > 1
