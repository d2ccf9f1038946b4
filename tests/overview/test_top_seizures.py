"""The overview's largest seizures read from the `top_seizures` product (cloudsword/overview/
products.py) for a view's whole months and from the case table for the days of a month it cuts
through (issue 13): always the plain top k of the view (pandas on the Parquet case table, ties by
case id), on the flat demo (no product: the plain query), on small generated versions (with the
product; one with deep cells whose seizures tie), and as an officer sees it (the officer's cut of
the case table, never the product)."""

from __future__ import annotations

from datetime import date, timedelta

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cloudsword import build
from cloudsword.access import Principal, Role, Scoped
from cloudsword.filters import Filters
from cloudsword.overview import queries
from cloudsword.overview.products import candidates
from cloudsword.overview.queries import CASE_COLUMNS, TOP_DEPTH, TOP_SEIZURES, TOP_SEIZURES_VERSION
from cloudsword.store import DEFAULT_DATA_DIR, Store

ZJ, GD = "330000", "440000"
OFFICER = Principal("officer.zj@cloudsword.example", Role.OFFICER, {ZJ})
ANALYST = Principal("analyst@cloudsword.example", Role.ANALYST)
PRODUCT_TABLE = f"product_{TOP_SEIZURES}"
CAP = 5_000.0  # the dense dataset's seizures are cut to this


class Spy:
    """A store that records the SQL of every query it runs."""

    def __init__(self, store):
        self.store, self.sql = store, []

    def __getattr__(self, name):
        return getattr(self.store, name)

    def run(self, expr):
        self.sql.append(ibis.to_sql(expr, dialect="duckdb"))
        return self.store.run(expr)


def plain(cases: pd.DataFrame, f: Filters, k: int) -> pd.DataFrame:
    """The view's k largest seizures by pandas: the answer every path must give."""
    v = cases[
        (cases.opened_on >= pd.Timestamp(f.date_from))
        & (cases.opened_on <= pd.Timestamp(f.date_to))
        & cases.seizure_cny.notna()
    ]
    if f.provinces:
        v = v[v.province_adcode.isin(f.provinces)]
    if f.categories:
        v = v[v.category.isin(f.categories)]
    v = v.sort_values(["seizure_cny", "case_id"], ascending=[False, True], kind="stable").head(k)
    return v[list(CASE_COLUMNS)].reset_index(drop=True)


def assert_same(got: pd.DataFrame, want: pd.DataFrame, where: str) -> None:
    assert list(got.columns) == list(CASE_COLUMNS), where
    assert list(got.case_id) == list(want.case_id), where
    if len(want):
        got = got.assign(opened_on=pd.to_datetime(got.opened_on))
        pd.testing.assert_frame_equal(got, want, check_dtype=False, obj=where)


def read_cases(store: Store) -> pd.DataFrame:
    c = pd.read_parquet(store.dataset.dir / "cases.parquet")
    return c.assign(opened_on=pd.to_datetime(c.opened_on))


def random_views(cases: pd.DataFrame, seed: int, n: int) -> list[tuple[Filters, int]]:
    """Views at day granularity: days cutting through months (a few weeks to years, sometimes past
    the data's end), within one month, whole months, one cell, wholly before the data; no, one or
    several provinces (the two busiest often: their cells are the deepest; Tibet: few or no cases)
    and categories; k from 1 to beyond the product's depth."""
    rng = np.random.default_rng(seed)
    lo, hi = cases.opened_on.min().date(), cases.opened_on.max().date()
    span = (hi - lo).days
    provinces, categories = sorted(cases.province_adcode.unique()), sorted(cases.category.unique())
    busiest, second = cases.province_adcode.value_counts().index[:2]
    out = []
    for i in range(n):
        start = lo + timedelta(days=int(rng.integers(-40, span + 10)))
        kind = i % 6
        if kind == 0:  # within one month
            end = start + timedelta(days=int(rng.integers(0, 20)))
        elif kind == 1:  # whole months
            start = start.replace(day=1)
            end = (pd.Timestamp(start) + pd.offsets.MonthEnd(int(rng.integers(1, 14)))).date()
        elif kind == 2:  # wholly before the data
            start, end = lo - timedelta(days=400), lo - timedelta(days=int(rng.integers(1, 300)))
        elif kind == 3:  # a few weeks to a few months
            end = start + timedelta(days=int(rng.integers(20, 120)))
        elif kind == 4:  # up to the whole range, sometimes past its end
            end = start + timedelta(days=int(rng.integers(20, span + 60)))
        else:  # one cell: a whole month of the busiest province in one category
            start = start.replace(day=1)
            end = (pd.Timestamp(start) + pd.offsets.MonthEnd(1)).date()
        some = list(rng.choice(provinces, int(rng.integers(2, 5)), replace=False))
        provs = [some, [busiest], [second], [busiest, second], ["540000"], []][int(rng.integers(0, 6))]
        cats = list(rng.choice(categories, int(rng.integers(1, 3)), replace=False)) if i % 3 == 0 else []
        if kind == 5:
            provs, cats = [busiest], [categories[i % len(categories)]]
        k = int(rng.choice([1, 5, 15, TOP_DEPTH, TOP_DEPTH, TOP_DEPTH + 1]))
        out.append((Filters(start, end, tuple(provs), tuple(cats)), k))
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Store:
    """A small generated dataset (1e5 cases) in the versioned layout, its products written with it:
    most of its cells hold fewer cases than the product's depth, the busiest hundreds."""
    from cloudsword.synth.config import load_config
    from cloudsword.synth.generate import generate

    root = tmp_path_factory.mktemp("top") / "data"
    generate(load_config(), 11, 1.0, root, write=build.write_version)
    return Store(root)


@pytest.fixture(scope="module")
def dense(generated, tmp_path_factory) -> Store:
    """The same tables made to defeat a wrong split of a view: three categories instead of ten (the
    busy provinces' cells far deeper than the product), the case ids shuffled (no longer in day
    order), and seizures that tie in blocks: the busiest province's by week, falling over time (a
    view starting mid-month wants the month's later days, which its cell's top does not hold),
    the second's by week, rising (the same for a view ending mid-month), the others' cut to 5,000
    yuan (four in five). Ties at cells' tops and across the product's depth: the case id decides."""
    d = generated.dataset.dir
    tables = {n: pq.read_table(d / e["file"]) for n, e in generated.dataset.manifest["tables"].items()}
    cases, suspects = tables["cases"].to_pandas(), tables["suspects"].to_pandas()
    three = {c: ("apparel", "toys", "bags")[i % 3] for i, c in enumerate(sorted(cases.category.unique()))}
    cases["category"] = cases.category.map(three)
    week = (pd.to_datetime(cases.opened_on) - pd.to_datetime(cases.opened_on).min()).dt.days // 7
    first, second = cases.province_adcode.value_counts().index[:2]
    cases["seizure_cny"] = cases.seizure_cny.clip(upper=CAP)
    cases.loc[cases.province_adcode == first, "seizure_cny"] = 1000.0 * (week.max() + 1 - week)
    cases.loc[cases.province_adcode == second, "seizure_cny"] = 1000.0 * (week + 1)
    shuffled = dict(zip(cases.case_id, np.random.default_rng(5).permutation(cases.case_id.to_numpy())))
    cases["case_id"], suspects["case_id"] = cases.case_id.map(shuffled), suspects.case_id.map(shuffled)
    for name, frame in (("cases", cases), ("suspects", suspects)):
        tables[name] = pa.Table.from_pandas(frame, schema=tables[name].schema, preserve_index=False)
    manifest = {k: generated.dataset.manifest[k] for k in ("start", "end", "as_of", "synthetic")}
    root = tmp_path_factory.mktemp("dense") / "data"
    build.write_version(root, tables, manifest)
    return Store(root)


def test_the_product_holds_each_cells_largest_seizures_ties_by_case_id(generated, dense):
    """The stored product is each province x month x category's TOP_DEPTH largest seizures (ties:
    the smaller case id first), as whole case records, against pandas."""
    for store in (generated, dense):
        cases = read_cases(store)
        cases["month"] = cases.opened_on.dt.to_period("M")
        ranked = cases.sort_values(["seizure_cny", "case_id"], ascending=[False, True])
        cells = ranked.groupby(["province_adcode", "month", "category"])
        want = cells.head(TOP_DEPTH)[list(CASE_COLUMNS)].sort_values("case_id").reset_index(drop=True)
        got = store.run(store.product_table(TOP_SEIZURES, TOP_SEIZURES_VERSION))
        assert list(got.columns) == list(CASE_COLUMNS)
        got = got.assign(opened_on=pd.to_datetime(got.opened_on)).sort_values("case_id")
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want, check_dtype=False)
        assert (cells.size() > TOP_DEPTH).sum() > 100, "cells deeper than the product"
    rank = cells.cumcount()
    keys = ["province_adcode", "month", "category"]
    last_in = ranked[rank == TOP_DEPTH - 1].set_index(keys).seizure_cny
    first_out = ranked[rank == TOP_DEPTH].set_index(keys).seizure_cny
    assert (last_in.reindex(first_out.index) == first_out).sum() > 100, "ties across the product's depth"


def test_candidates_keep_every_cells_top_and_leave_out_rows_without_a_value(tmp_path):
    """The numpy prefilter on a case table made to trip it: ties at a cell's threshold, NaN (an
    engine orders it first), nulls (never listed), cells smaller than the depth, days out of order,
    another dictionary in each row group."""
    rng = np.random.default_rng(3)
    n = 5000
    value = rng.choice([1.0, 2.0, 3.0, 5.0, 8.0, np.nan], n)
    no_value, no_day = np.zeros(n, bool), np.zeros(n, bool)
    no_value[rng.choice(n, 50, replace=False)] = True
    no_day[rng.choice(n, 5, replace=False)] = True
    day = rng.integers(16000, 16100, n)
    province = rng.choice(["110000", "330000", "540000"], n, p=[0.6, 0.39, 0.01])
    category = rng.choice(["apparel", "toys", "bags"], n)
    table = pa.table({
        "province_adcode": province,
        "category": category,
        "opened_on": pa.array(day, pa.int32(), mask=no_day).cast(pa.date32()),
        "seizure_cny": pa.array(value, pa.float64(), mask=no_value),
    })  # fmt: skip
    pq.write_table(table, tmp_path / "cases.parquet", row_group_size=1000)
    month = day.astype("datetime64[D]").astype("datetime64[M]")
    rows = pd.DataFrame({"province": province, "category": category, "month": month})
    rows["order"] = np.where(np.isnan(value), np.inf, value)
    known = rows[~no_value & ~no_day]
    ranked = known.sort_values("order", ascending=False, kind="stable")
    cells = ranked.groupby(["province", "month", "category"])
    for depth in (1, 3, 20, 400):
        kept = set(candidates(tmp_path / "cases.parquet", depth).tolist())
        assert set(cells.head(depth).index) <= kept, depth
        assert kept <= set(known.index), "a row without a seizure or a day is never a candidate"
        nth = cells.order.transform(lambda v, d=depth: v.iloc[d - 1] if len(v) >= d else -np.inf)
        assert kept == set(ranked.index[ranked.order >= nth]), "the cell's depth-th value and above"
        assert len(kept) < len(known) or depth == 400


@pytest.mark.parametrize("name", ["demo", "generated", "dense"])
def test_the_largest_seizures_of_any_view_are_the_plain_top_k(name, request):
    store = Store(DEFAULT_DATA_DIR) if name == "demo" else request.getfixturevalue(name)
    cases = read_cases(store)
    spy = Spy(store)
    stored = store.product_table(TOP_SEIZURES, TOP_SEIZURES_VERSION)
    assert (stored is None) == (name == "demo"), "the flat demo has no product; a written version has"
    empty = read = 0
    for f, k in random_views(cases, seed=len(name), n=80):
        spy.sql.clear()
        want = plain(cases, f, k)
        assert_same(queries.largest_seizures(spy, f, k), want, f"{name} {f} k={k}")
        empty += want.empty
        read += any(PRODUCT_TABLE in sql for sql in spy.sql)
    assert empty >= 10, "views with no case were asked"
    assert (read > 20) == (name != "demo"), f"the product was read for {read} views"


def test_the_product_answers_the_pages_views_and_reads_no_case_for_whole_months(generated):
    """The pages' views are whole months: only the product is read; a view cutting through a month
    reads the case table for those days too; no whole month, a k beyond the product's depth or the
    calendar's very end: the case table alone."""
    cases = read_cases(generated)
    views = [  # view, k, reads the product, reads the case table
        (generated.default_filters(), 20, True, False),
        (Filters(date(2016, 1, 1), date(2016, 12, 31), (GD, ZJ), ("apparel", "cosmetics")), 20, True, False),
        (Filters(date(2015, 3, 17), date(2016, 11, 4)), 20, True, True),
        (Filters(date(2015, 3, 1), date(2016, 11, 4), (GD,)), 20, True, True),
        (Filters(date(2016, 2, 10), date(2016, 3, 20), (GD,)), 20, False, True),
        (generated.default_filters(), TOP_DEPTH + 5, False, True),
        (Filters(date.min, date.max), 20, False, True),
    ]
    for f, k, product, table in views:
        spy = Spy(generated)
        assert_same(queries.largest_seizures(spy, f, k), plain(cases, f, k), str(f))
        (sql,) = spy.sql
        assert (PRODUCT_TABLE in sql, '"cases"' in sql) == (product, table), (f, k)


def test_an_officer_gets_the_top_of_their_own_cut_never_the_product(generated):
    """An officer's store hands out no `top_seizures` (its cells' top k cut to the officer's rows
    are not the top k of those rows): the answer is the top k of the officer's cut of the case
    table, which differs from everyone's for a province the officer sees only through clues. An
    analyst (masked, not restricted) reads the product."""
    officer, analyst = Scoped(generated, OFFICER), Scoped(generated, ANALYST)
    assert officer.product_table(TOP_SEIZURES, TOP_SEIZURES_VERSION) is None
    assert analyst.product_table(TOP_SEIZURES, TOP_SEIZURES_VERSION) is not None
    seen = officer.run(officer.table("cases"))
    seen["opened_on"] = pd.to_datetime(seen.opened_on)
    everything = read_cases(generated)
    assert 0 < (seen.province_adcode != ZJ).sum() < (everything.province_adcode != ZJ).sum()
    differs = 0
    views = [(generated.default_filters().with_(provinces=(GD,)), 20), *random_views(everything, 7, 25)]
    for f, k in views:
        spy = Spy(officer)
        got = queries.largest_seizures(spy, f, k)
        assert_same(got, plain(seen, f, k), f"officer {f} k={k}")
        assert set(got.case_id) <= set(seen.case_id)
        assert not any(PRODUCT_TABLE in sql for sql in spy.sql)
        differs += list(got.case_id) != list(plain(everything, f, k).case_id)
        assert_same(queries.largest_seizures(analyst, f, k), plain(everything, f, k), f"analyst {f} k={k}")
    assert differs >= 5, "the officer's answers are their own, not everyone's"
