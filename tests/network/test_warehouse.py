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
