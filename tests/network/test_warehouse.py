"""The bounded-hop ego query (cloudsword/network/warehouse.py) against the in-memory extraction
(graph.ego): the same entities at the same hops and the same links, for hubs and ordinary
entities, every hop count, relation and kind filters, with and without the hub cut-off."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cloudsword.network import graph as network
from cloudsword.network import warehouse
from cloudsword.store import DEFAULT_DATA_DIR, Store


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def g(store) -> network.Graph:
    return network.graph_from_store(store)


@pytest.fixture(scope="module")
def hub_table(store):
    return store.run(warehouse.hubs(store))


def in_memory(g, seed, hops, relations, kinds, stop_hubs):
    e = network.ego(g, g.find(seed), hops, relations, kinds, g.hubs() if stop_hubs else None)
    nodes = pd.DataFrame({"entity_id": g.ids[e.nodes], "hop": e.hop.astype(int)})
    links = network.links_frame(g, e.links)[["src_id", "dst_id", "relation", "evidence_count"]]
    return (
        nodes.sort_values(["hop", "entity_id"]).reset_index(drop=True),
        links.sort_values(["src_id", "dst_id", "relation", "evidence_count"]).reset_index(drop=True),
    )


def test_the_hubs_are_the_in_memory_rule(g, hub_table):
    assert set(hub_table.entity_id) == set(g.ids[g.hubs()])
    assert len(hub_table) > 0


def _seeds(g) -> list[str]:
    rng = np.random.default_rng(0)
    hub = g.ids[np.flatnonzero(g.hubs())[:1]]
    busiest_shop = g.ids[np.argmax(np.where(g.kind == network.KINDS.index("shop"), g.degree, -1))]
    return [*hub, busiest_shop, *g.ids[rng.choice(g.n, 4, replace=False)]]


CASES = [
    (1, None, None, True),
    (2, None, None, True),
    (2, None, None, False),
    (3, None, None, True),
    (2, ("supplies", "stores_for", "operates"), None, True),
    (3, None, ("shop", "operator", "factory", "warehouse"), True),
]


@pytest.mark.parametrize(("hops", "relations", "kinds", "stop_hubs"), CASES)
def test_the_bounded_hop_query_returns_the_in_memory_network(
    store, g, hub_table, hops, relations, kinds, stop_hubs
):
    hubs = store.table("entities").filter(lambda e: e.entity_id.isin(list(hub_table.entity_id)))
    hubs = hubs.select("entity_id") if stop_hubs else None
    sizes = []
    for seed in _seeds(g):
        want_nodes, want_links = in_memory(g, seed, hops, relations, kinds, stop_hubs)
        nodes, links = warehouse.ego(store, seed, hops, relations, kinds, hubs)
        pd.testing.assert_frame_equal(nodes[["entity_id", "hop"]], want_nodes, check_dtype=False, obj=seed)
        got = links[["src_id", "dst_id", "relation", "evidence_count"]]
        got = got.sort_values(list(got.columns)).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want_links, check_dtype=False, obj=seed)
        sizes.append(len(want_nodes))
    assert max(sizes) > 10  # networks worth comparing, not only lone seeds


def test_a_version_stores_the_graph_arrays_and_the_page_reads_them(tmp_path, g, monkeypatch):
    """Issue 13: the graph's arrays are a product written with the version; the page's graph is
    then read from them (memory-mapped, nothing rebuilt) and equals the one built from the tables."""
    import json

    import pyarrow.parquet as pq

    from cloudsword import build
    from cloudsword.schema import DATASET_TABLES

    tables = {n: pq.read_table(DEFAULT_DATA_DIR / f"{n}.parquet") for n in DATASET_TABLES}
    manifest = json.loads((DEFAULT_DATA_DIR / "manifest.json").read_text(encoding="utf-8"))
    build.write_version(tmp_path / "d", tables, manifest)
    store = Store(tmp_path / "d")
    assert store.product_arrays(network.PRODUCT, network.VERSION) is not None

    def no_rebuild(*args, **kwargs):
        raise AssertionError("the graph was rebuilt from the tables")

    monkeypatch.setattr(network, "build_graph", no_rebuild)
    stored = network.graph_from_store(store)
    assert isinstance(stored.nbr.base, np.memmap)  # a plain view of the mapped file, not a copy
    for name in ("ids", "names", "province", "city", *network.ARRAYS):
        np.testing.assert_array_equal(getattr(stored, name), getattr(g, name), err_msg=name)
