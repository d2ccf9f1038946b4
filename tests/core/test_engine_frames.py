"""The DuckDB engine runs an expression's SQL compiled once and turns plain results into pandas
through Arrow (engine.DuckDBEngine.execute): what every page gets must be what Ibis' own
`execute` gives, frame for frame, dtype for dtype."""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd
import pytest

from cloudsword.page_queries import QUERIES, Recorder, views
from cloudsword.store import DEFAULT_DATA_DIR, Store


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(DEFAULT_DATA_DIR)


def _ibis(store: Store, expr):
    with store.engine.connection() as con:
        return con.execute(expr)


def _same(got, want) -> None:
    assert type(got) is type(want)
    if isinstance(want, pd.DataFrame):  # rows of an unordered query come in any order
        assert list(got.columns) == list(want.columns)
        pd.testing.assert_frame_equal(_sorted(got), _sorted(want), check_exact=True)
    elif isinstance(want, pd.Series):
        pd.testing.assert_series_equal(got, want, check_exact=True)
    else:
        assert got == want or (pd.isna(got) and pd.isna(want))


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(list(df.columns), kind="stable").reset_index(drop=True) if len(df.columns) else df


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q.page}.{q.name}")
def test_every_page_query_gets_what_ibis_execute_gives(store: Store, query) -> None:
    rec = Recorder(store)
    for f in views(store):
        query.run(rec, f)
    assert rec.exprs, "the page query sent nothing to the store"
    for expr in rec.exprs:
        _same(store.run(expr), _ibis(store, expr))


def test_results_with_nulls_times_and_decimals_take_ibis_own_steps(store: Store) -> None:
    t = ibis.memtable(
        {
            "day": [dt.date(2020, 1, 1), None, dt.date(2021, 5, 3)],
            "at": [dt.datetime(2020, 1, 1, 8), dt.datetime(2020, 1, 2), None],
            "name": ["甲", None, "C"],
            "n": [1, None, 3],
            "ok": [True, None, False],
            "x": [0.5, 1.5, None],
        }
    )
    exprs = [
        t,
        t.filter(t.n.notnull()),
        t.select(t.day, t.name).filter(t.name.notnull()),
        t.select(amount=t.x.cast("decimal(18, 2)")),
        t.n.sum(),
        t.name,
        t.filter(t.n > 100),  # no rows
    ]
    for expr in exprs:
        _same(store.run(expr), _ibis(store, expr))


def test_sql_is_compiled_once_per_expression_and_never_shared_across_values(store: Store) -> None:
    compiled = store.engine._compiled
    c = store.table("cases")

    def of(province: str):
        return c.filter(c.province_adcode == province).count()

    store.run(of("330000"))
    n = len(compiled)
    assert store.run(of("330000")) == _ibis(store, of("330000"))  # built again: the same SQL
    assert len(compiled) == n
    assert store.run(of("440000")) == _ibis(store, of("440000")) != store.run(of("330000"))
    assert len(compiled) == n + 1


def test_ibis_hooks_are_skipped_only_for_queries_on_the_stores_own_tables(store: Store) -> None:
    """The plan skips Ibis' pre-execute walk only where it has nothing to do: a query joining an
    in-memory table still gets it registered, each new table in turn."""
    c = store.table("cases")
    mine = c.group_by("province_adcode").agg(n=c.count())
    store.run(mine)
    assert store.engine._compiled[mine.op()].hooks is False
    for codes in (["330000"], ["440000", "330000"]):
        wanted = ibis.memtable({"province_adcode": codes})
        joined = mine.join(wanted, "province_adcode").order_by("province_adcode")
        got = store.run(joined)
        assert store.engine._compiled[joined.op()].hooks is True
        assert sorted(got.province_adcode) == sorted(codes)
        _same(got, _ibis(store, joined))


def test_a_kept_relation_reads_its_tables_afresh(tmp_path) -> None:
    """A cursor keeps the relation it bound for each SQL text (no parsing and binding again), yet
    each run reads the tables as they are then: a Parquet file rewritten under its view is read
    anew, on the same cursor, through the same kept relation."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from cloudsword.engine import DuckDBEngine

    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"n": [1, 2, 3]}), path)
    engine = DuckDBEngine()
    engine.attach("t", path)
    t = ibis.table({"n": "int64"}, name="t")
    total = t.aggregate(total=t.n.sum(), rows=t.count())
    assert engine.execute(total).to_dict("records") == [{"total": 6, "rows": 3}]
    pq.write_table(pa.table({"n": [10, 20]}), path)
    assert engine.execute(total).to_dict("records") == [{"total": 30, "rows": 2}]
    (cursor,) = [engine._pool.get_nowait()]  # one query at a time: one cursor, its relation kept
    assert len(cursor._relations) == 1
