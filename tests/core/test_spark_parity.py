"""Engine parity (issue 13): every page query (cloudsword.page_queries) gives the same answer on
DuckDB and on Apache Spark in local mode, on a small generated dataset.

One SparkSession for the whole suite (cloudsword.engine keeps one per process), bound to
127.0.0.1 with no web UI. Marked `spark` by its file name: `make quick` skips it, `make test`
runs it. Floats are compared to 1e-9 relative (Spark and DuckDB add in different orders); every
other value, and the set of rows, exactly.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pandas as pd
import pytest

from cloudsword import build, engine
from cloudsword.filters import Filters
from cloudsword.network import warehouse
from cloudsword.network.graph import Graph, graph_from_store, links_frame
from cloudsword.overview import queries as overview_queries
from cloudsword.overview.queries import TOP_SEIZURES, TOP_SEIZURES_VERSION, largest_seizures
from cloudsword.page_queries import GD, QUERIES, views
from cloudsword.page_queries import ZHEJIANG as ZJ
from cloudsword.store import DEFAULT_DATA_DIR
from cloudsword.synth.config import load_config
from cloudsword.synth.generate import generate
from cloudsword.warehouse import build_products


@pytest.fixture(scope="module")
def dataset_dir(tmp_path_factory):
    """A small generated dataset (scale 0.2) in the versioned layout, products and checks stored."""
    root = tmp_path_factory.mktemp("parity") / "data"
    config = load_config(DEFAULT_DATA_DIR.parent / "alliance.toml")
    generate(config, 7, 0.2, root, write=build.write_version)
    return root


@pytest.fixture(scope="module")
def stores(dataset_dir, monkeypatch_module):
    from cloudsword.store import Store

    monkeypatch_module.setenv("CLOUDSWORD_ENGINE", "duckdb")
    duck = Store(dataset_dir)
    monkeypatch_module.setenv("CLOUDSWORD_ENGINE", "spark")
    spark = Store(dataset_dir)
    assert (duck.engine.name, spark.engine.name) == ("duckdb", "spark")
    return duck, spark


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def canonical(x: object) -> object:
    """A value as order-free as the query promises: frames sorted by every column, categoricals
    as plain values, a graph as its entity and link frames."""
    if isinstance(x, Graph):
        ents = pd.DataFrame({"entity_id": x.ids, "name": x.names, "kind": x.kind, "province": x.province})
        ents = ents.assign(city=x.city, lon=x.lon, lat=x.lat, degree=x.degree)
        return {"entities": canonical(ents), "links": canonical(links_frame(x, np.arange(x.m)))}
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {f.name: canonical(getattr(x, f.name)) for f in dataclasses.fields(x)}
    if isinstance(x, pd.Series):
        return canonical(x.to_frame())
    if isinstance(x, pd.DataFrame):
        df = x.reset_index(drop=True)
        df = df.astype({c: object for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)})
        return df.sort_values(list(df.columns), kind="stable").reset_index(drop=True) if len(df) else df
    if isinstance(x, dict):
        return {k: canonical(v) for k, v in x.items()}
    if isinstance(x, tuple):
        return {str(i): canonical(v) for i, v in enumerate(x)}
    return x


def assert_same(a: object, b: object, where: str) -> None:
    if isinstance(a, pd.DataFrame):
        assert isinstance(b, pd.DataFrame), where
        assert list(a.columns) == list(b.columns), where
        pd.testing.assert_frame_equal(a, b, check_dtype=False, rtol=1e-9, obj=where)
    elif isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), f"{where}: {a.keys()} vs {b}"
        for k in a:
            assert_same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, (np.ndarray, pd.Index)):
        a, b = np.asarray(a), np.asarray(b)
        if a.dtype.kind == "f":
            np.testing.assert_allclose(a, b, rtol=1e-9, err_msg=where)
        else:
            np.testing.assert_array_equal(a, b, err_msg=where)
    elif isinstance(a, float) and isinstance(b, float):
        assert (np.isnan(a) and np.isnan(b)) or a == pytest.approx(b, rel=1e-9), where
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q.page}.{q.name}")
def test_every_page_query_gives_the_same_answer_on_duckdb_and_spark(stores, query):
    duck, spark = stores
    for i, f in enumerate(views(duck)):
        assert_same(canonical(query.run(duck, f)), canonical(query.run(spark, f)), f"{query.name}[{i}]")


def test_an_officers_records_are_the_same_on_spark(stores):
    """The access rules' cut (cloudsword.access.scope: written once as Parquet by the engine, then
    read by every query) holds the same rows on Spark as on DuckDB."""
    from cloudsword.access import Principal, Role, Scoped
    from cloudsword.access.scope import RECORD_TABLES

    officer = Principal("o@x", Role.OFFICER, {"330000"})
    duck, spark = (Scoped(s, officer) for s in stores)
    for name in RECORD_TABLES:
        want, got = duck.run(duck.table(name)), spark.run(spark.table(name))
        assert 0 < len(want) < duck.run(duck.unrestricted.table(name).count()), name
        assert_same(canonical(want), canonical(got), name)


def test_the_largest_seizures_of_days_cutting_through_months_are_the_same_on_spark(stores):
    """The overview's largest seizures read a view's whole months from the version's `top_seizures`
    product and the days of the months it cuts through from the case table, in one query: the same
    rows in the same order on Spark, and the same as the case table alone (a k beyond the
    product's depth reads only the case table)."""
    duck, spark = stores
    assert duck.product_table(TOP_SEIZURES, TOP_SEIZURES_VERSION) is not None
    views = [
        Filters(date(2015, 3, 17), date(2016, 11, 4)),
        Filters(date(2014, 1, 15), date(2017, 7, 30), (GD, ZJ), ("apparel", "toys")),
        Filters(date(2016, 2, 10), date(2016, 2, 20), (GD,)),
    ]
    for f in views:
        want = largest_seizures(duck, f, 20)
        assert len(want) > 5
        for got in (largest_seizures(spark, f, 20), largest_seizures(spark, f, 40).head(20)):
            assert list(got.case_id) == list(want.case_id), f
            assert_same(canonical(want), canonical(got), str(f))


def test_local_spark_listens_on_the_loopback_address_only(stores):
    conf = engine.spark_session().sparkContext.getConf()
    assert conf.get("spark.driver.host") == "127.0.0.1"
    assert conf.get("spark.driver.bindAddress") == "127.0.0.1"
    assert conf.get("spark.ui.enabled") == "false"
    assert conf.get("spark.master").startswith("local")


def test_the_bounded_hop_ego_query_gives_the_same_network_on_spark(stores):
    """The warehouse's ego query (cloudsword/network/warehouse.py) on Spark, against DuckDB (which
    tests/network/test_warehouse.py holds to the in-memory extraction)."""
    duck, spark = stores
    g = graph_from_store(duck)
    for seed in [g.ids[np.argmax(g.degree)]]:  # the busiest entity, a hub: one seed keeps the suite short
        want = warehouse.ego(duck, seed, 2, None, None, warehouse.hubs(duck))
        got = warehouse.ego(spark, seed, 2, None, None, warehouse.hubs(spark))
        assert len(want[0]) > 1
        for a, b in zip(want, got):
            assert_same(canonical(a), canonical(b), seed)


def test_the_spark_job_builds_the_products_the_version_stores(dataset_dir, stores, tmp_path, monkeypatch):
    """The warehouse job (cloudsword/warehouse.py) on Spark: its monthly aggregate and rings are the
    version's own products (built on DuckDB as it was written), its hubs the in-memory rule; a
    store pointed at its output (cloudsword.shelf) reads them on either engine."""
    import pyarrow.parquet as pq

    from cloudsword import shelf
    from cloudsword.store import Store

    duck, _ = stores
    record = build_products(duck.dataset.dir, tmp_path / "products")
    assert set(record["products"]) == {"monthly", "graph_hubs", "rings"}
    assert record["source"] == duck.dataset.id
    monkeypatch.setenv(shelf.ENV, str(tmp_path / "products"))
    f = duck.default_filters()
    for name in ("duckdb", "spark"):
        monkeypatch.setenv("CLOUDSWORD_ENGINE", name)
        shelved = Store(dataset_dir)
        assert set(shelved._shelf) == {"monthly", "graph_hubs", "rings"}
        totals = overview_queries.alliance_totals(shelved, f)
        assert_same(canonical(totals), canonical(overview_queries.alliance_totals(duck, f)), name)
    built = {n: pq.read_table(tmp_path / "products" / n).to_pandas() for n in record["products"]}
    monthly = duck.run(duck.product_table("monthly", record["products"]["monthly"]["version"]))
    assert_same(canonical(built["monthly"][list(monthly.columns)]), canonical(monthly), "monthly")
    rings = duck.run(duck.product_table("rings", record["products"]["rings"]["version"]))
    assert_same(canonical(built["rings"][list(rings.columns)]), canonical(rings), "rings")
    g = graph_from_store(duck)
    assert set(built["graph_hubs"].entity_id) == set(g.ids[g.hubs()]) != set()


@pytest.mark.parametrize("page", [None, "views/map.py", "views/network.py", "views/trends.py"])
def test_the_pages_run_unchanged_on_spark(dataset_dir, stores, monkeypatch, page):
    """The app itself on CLOUDSWORD_ENGINE=spark: each page runs to the end with no error, on a
    store whose engine is Spark (no page knows which engine runs)."""
    from apptest import open_page

    from components.cache import STORES, data_dir

    monkeypatch.setenv("CLOUDSWORD_ENGINE", "spark")
    monkeypatch.setenv("CLOUDSWORD_DATA", str(dataset_dir))
    at = open_page(page, timeout=600)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    store = STORES.cached(data_dir(), stores[1].version)
    assert store is not None and store.engine.name == "spark"
