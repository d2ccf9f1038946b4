"""The network feature's dataset products (collected by cloudsword.build), built once on the whole
network when a dataset version is written and stored with it: the rings, and the graph's arrays
(the CSR adjacency and the link attributes, memory-mapped when the page opens)."""

from __future__ import annotations

import pandas as pd

from cloudsword.dataset import Product, Tables
from cloudsword.network import graph, rings


def build_rings(tables: Tables) -> pd.DataFrame:
    """Each entity's ring on this version's tables (rings.detect: pure, the same tables give the
    same rings)."""
    return rings.detect(
        tables.frame("entities", ["entity_id", "kind"]),
        tables.frame("links", ["src_id", "dst_id", "evidence_count"]),
    )


def build_graph_arrays(tables: Tables) -> dict:
    """The whole graph's numeric arrays (graph.ARRAYS), entities in id order."""
    g = graph.build_from_tables(
        tables.frame("entities", list(graph.ENTITY_COLUMNS)),
        tables.frame("links", ["src_id", "dst_id", "relation", "first_seen", "last_seen", "evidence_count"]),
    )
    return graph.graph_arrays(g)


PRODUCTS = [
    Product(rings.PRODUCT, rings.VERSION, build_rings, "each entity's ring on the whole network"),
    Product(graph.PRODUCT, graph.VERSION, build_graph_arrays, "the whole graph's CSR arrays"),
]
