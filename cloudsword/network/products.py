"""The network feature's dataset products (collected by cloudsword.build), built once on the whole
network when a dataset version is written and stored with it: the rings, and the graph's arrays
(the CSR adjacency and the link attributes, memory-mapped when the page opens).

Both are built from Arrow columns read one at a time, with each link's ends turned into entity
positions in Arrow's C++ hash lookup: at 1e7 entities and 3e7 links, reading the links as pandas
strings took the rings past 7 GB, and the graph's arrays 168 s and 4.6 GB more than the arrays."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cloudsword.dataset import Product, Tables, return_freed_memory
from cloudsword.network import graph, rings
from cloudsword.schema import RELATIONS


def build_rings(tables: Tables) -> pa.Table:
    """Each entity's ring on this version's tables: the same rings as `rings.detect` on the two
    tables (pure: the same tables give the same rings)."""
    ids, kind, _ = _entities(tables)
    src, dst = _ends(tables, ids)
    del ids  # 1e7 strings are not held through Leiden: read again for the answer
    evidence = _link_column(tables, "evidence_count").to_numpy(zero_copy_only=False)
    edges, weight, hub = rings.hubless_links(kind, src, dst, evidence)
    del src, dst, evidence  # not held beside igraph's graph and Leiden: 480 MB at 3e7 links
    network = rings.igraph_of(len(kind), edges)
    del edges
    ring, size = rings.leiden_rings(network, weight)
    del network, weight
    return_freed_memory()  # igraph's graph, for the ids read again
    ids = _entities(tables)[0]
    return pa.table({"entity_id": ids, "ring": ring, "ring_size": size, "hub": hub})


def build_graph_arrays(tables: Tables) -> dict:
    """The whole graph's numeric arrays (graph.ARRAYS), entities in id order."""
    ids, kind, order = _entities(tables)
    lon, lat = (
        tables.arrow("entities", [c])[c].combine_chunks().take(order).to_numpy(zero_copy_only=False)
        for c in ("lon", "lat")
    )
    src, dst = _ends(tables, ids)
    ok = (src >= 0) & (dst >= 0) & (src != dst)  # the store's checks make both ends known
    relation = _codes(_link_column(tables, "relation"), RELATIONS)
    return graph.numeric_arrays(
        kind=kind,
        lon=lon,
        lat=lat,
        src=src[ok],
        dst=dst[ok],
        relation=relation[ok],
        evidence=_link_column(tables, "evidence_count").to_numpy(zero_copy_only=False)[ok],
        first_seen=_days(_link_column(tables, "first_seen"))[ok],
        last_seen=_days(_link_column(tables, "last_seen"))[ok],
    )


def _entities(tables: Tables) -> tuple[pa.Array, np.ndarray, pa.Array]:
    """Entity ids in id order, their kinds (codes into graph.KINDS) and the sorting order."""
    t = tables.arrow("entities", ["entity_id", "kind"])
    ids = t["entity_id"].combine_chunks()
    order = pc.sort_indices(ids)
    return ids.take(order), _codes(t["kind"].combine_chunks().take(order), graph.KINDS), order


def _ends(tables: Tables, ids: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Each link's source and target as positions in the sorted ids (int32, -1: unknown id),
    one column in memory at a time."""
    return tuple(
        pc.index_in(_link_column(tables, c), value_set=ids).fill_null(-1).to_numpy().astype(np.int32)
        for c in ("src_id", "dst_id")
    )


def _link_column(tables: Tables, name: str) -> pa.Array:
    return tables.arrow("links", [name])[name].combine_chunks()


def _codes(values: pa.Array, categories: tuple[str, ...]) -> np.ndarray:
    """Positions of the values in `categories` (int8, -1 for anything else), as pandas'
    Categorical codes would give them."""
    found = pc.index_in(values.cast(pa.string()), value_set=pa.array(categories, pa.string()))
    return found.fill_null(-1).to_numpy().astype(np.int8)


def _days(values: pa.Array) -> np.ndarray:
    """Dates as int32 days since 1970-01-01 (stored tables hold date32; anything else goes the
    page's way, through pandas)."""
    if pa.types.is_date32(values.type):
        return values.cast(pa.int32()).fill_null(0).to_numpy()
    return graph.days(values.to_pandas())


PRODUCTS = [
    Product(rings.PRODUCT, rings.VERSION, build_rings, "each entity's ring on the whole network"),
    Product(graph.PRODUCT, graph.VERSION, build_graph_arrays, "the whole graph's CSR arrays"),
]
