"""The overview cuts its sums from the monthly aggregate in memory (cloudsword.cube), as the map
does: every figure must equal the Ibis query it stands for, "no data" included (a dataset with a
missing seizure is refused when it opens: tests/shell/test_app_damaged.py)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from cloudsword import cube as monthly_cube
from cloudsword.overview import queries
from cloudsword.store import DEFAULT_DATA_DIR, Store

VIEWS = [
    {},
    {"metric": "clues"},
    {"metric": "seizure", "categories": ("apparel", "toys")},
    {"metric": "suspects", "provinces": ("330000", "440000")},
    {"provinces": ("110000",), "date_from": date(2014, 1, 1), "date_to": date(2014, 6, 30)},
    {"metric": "clues", "date_from": date(2015, 3, 1), "date_to": date(2016, 5, 31)},
    {"provinces": ("540000",), "categories": ("toys",)},  # Tibet: a view with little or no data
    {"date_from": date(2012, 1, 1), "date_to": date(2013, 6, 30)},  # before the data: no rows at all
]


def _same(store: Store, cube: monthly_cube.MonthlyCube, view: dict) -> None:
    f = store.default_filters().with_(**view)
    for fn, args in [
        (queries.alliance_totals, ()),
        (queries.previous_totals, ()),
        (queries.monthly_series, (True,)),
        (queries.monthly_series, (False,)),
        (queries.alliance_series, ()),
        (queries.by_province, (f.metric,)),
        (queries.by_province, (f.metric, False)),
    ]:
        asked, cut = fn(store, f, *args), fn(store, f, *args, cube=cube)
        if isinstance(asked, pd.DataFrame):
            pd.testing.assert_frame_equal(asked, cut, obj=f"{fn.__name__}{args} {view}")
        elif asked is None:
            assert cut is None
        else:
            assert asked.keys() == cut.keys()
            for k in asked:
                a, b = asked[k], cut[k]
                assert (np.isnan(a) and np.isnan(b)) or a == pytest.approx(b, rel=1e-12), (
                    fn.__name__,
                    k,
                    view,
                )


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(DEFAULT_DATA_DIR)


@pytest.mark.parametrize("view", VIEWS)
def test_the_overview_cut_in_memory_equals_its_queries(store, view):
    _same(store, monthly_cube.monthly_cube(store), view)
