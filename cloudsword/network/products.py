"""The network feature's dataset products (collected by cloudsword.build), built once on the whole
network when a dataset version is written and stored with it: the rings, and the graph's arrays
(the CSR adjacency and the link attributes, memory-mapped when the page opens).

Both are built from Arrow columns read one at a time, with each link's ends turned into entity
positions in Arrow's C++ hash lookup: at 1e7 entities and 3e7 links, reading the links as pandas
strings took the rings past 7 GB, and the graph's arrays 168 s and 4.6 GB more than the arrays."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cloudsword.dataset import Product, Tables, return_freed_memory
from cloudsword.network import graph, rings
from cloudsword.schema import RELATIONS


class ArrowTables:
    """Tables already in memory as Arrow, read the way a version's `Tables` are: the warehouse
    job's one Spark task hands `build_rings` the whole graph this way."""

    def __init__(self, **tables: pa.Table):
        self._tables = tables

    def arrow(self, name: str, columns: list[str] | None = None) -> pa.Table:
        table = self._tables[name]
        return table.select(list(columns)) if columns else table


def build_rings(tables: Tables | ArrowTables) -> pa.Table:
    """Each entity's ring on this version's tables: the same rings as `rings.detect` on the two
    tables (pure: the same tables give the same rings)."""
    ids, kind, _ = _entities(tables)
    src, dst = _ends(tables, ids)
    del ids  # 1e7 strings are not held through Leiden: read again for the answer
    evidence = _link_numpy(tables, "evidence_count", lambda a: a.to_numpy(zero_copy_only=False))
    edges, weight, hub = rings.hubless_links(kind, src, dst, evidence)
    del src, dst, evidence  # not held beside igraph's graph and Leiden: 480 MB at 3e7 links
    ring, size = rings.leiden_of_links(len(kind), edges, weight)
    del edges, weight
    return_freed_memory()  # igraph's graphs, for the ids read again
    ids = _entities(tables)[0]
    return pa.table({"entity_id": ids, "ring": ring, "ring_size": size, "hub": hub})


def build_graph_arrays(tables: Tables) -> dict:
    """The whole graph's numeric arrays (graph.ARRAYS), entities in id order: the CSR from the
    links' ends first, then each column read, filtered and stored in turn (at 3e7 links, holding
    them all through the CSR's sort took the build to 4 GB)."""
    ids, kind, order = _entities(tables)
    src, dst = _ends(tables, ids)
    del ids
    ok = (src >= 0) & (dst >= 0) & (src != dst)  # the store's checks make both ends known
    src, dst = src[ok], dst[ok]
    arrays = graph.csr(len(kind), src, dst)
    return_freed_memory()
    arrays |= {"kind": graph.stored("kind", kind), "src": src, "dst": dst}
    for c in ("lon", "lat"):
        column = tables.arrow("entities", [c])[c].combine_chunks().take(order)
        arrays[c] = graph.stored(c, column.to_numpy(zero_copy_only=False))
    for name, column, convert in (
        ("relation", "relation", lambda a: _codes(a, RELATIONS)),
        ("evidence", "evidence_count", lambda a: a.to_numpy(zero_copy_only=False)),
        ("first_seen", "first_seen", _days),
        ("last_seen", "last_seen", _days),
    ):
        arrays[name] = graph.stored(name, _link_numpy(tables, column, convert)[ok])
    return {name: arrays[name] for name in graph.ARRAYS}


def _entities(tables: Tables) -> tuple[pa.Array, np.ndarray, pa.Array]:
    """Entity ids in id order, their kinds (codes into graph.KINDS) and the sorting order."""
    t = tables.arrow("entities", ["entity_id", "kind"])
    ids = t["entity_id"].combine_chunks()
    order = pc.sort_indices(ids)
    return ids.take(order), _codes(t["kind"].combine_chunks().take(order), graph.KINDS), order


def _ends(tables: Tables, ids: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Each link's source and target as positions in the sorted ids (int32, -1: unknown id),
    one column in memory at a time."""

    def positions(column: pa.Array) -> np.ndarray:
        return pc.index_in(column, value_set=ids).fill_null(-1).to_numpy().astype(np.int32)

    return tuple(_link_numpy(tables, c, positions) for c in ("src_id", "dst_id"))


def _link_numpy(tables: Tables, name: str, convert: Callable[[pa.Array], np.ndarray]) -> np.ndarray:
    """One link column as numpy through `convert`, the read's buffers handed back at once: Arrow's
    pool keeps them otherwise (at 3e7 links, 0.8 GB more for the relation words alone)."""
    out = convert(tables.arrow("links", [name])[name].combine_chunks())
    return_freed_memory()
    return out


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
