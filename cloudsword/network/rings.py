"""Rings: the criminal organisations in the seller network, found once on the whole graph.

A ring is a property of the dataset, not of the view: detected on a small ego network, one ring of
32 entities came out as four (issue 11). So rings are detected once on the whole graph, with the
shared hubs (couriers, payment providers that serve many rings) set aside by the same rule as the
page's "stop at hubs", and stored with the dataset as the `rings` table. Every view then shows
each entity's ring from that table, and says how much of a ring lies outside it.

`detect(entities, links)` is one pure function of the two tables (no Streamlit, no store): a
versioned dataset builds it as a registered product when a version is written (products.py), the
generator's flat layout writes it as rings.parquet, and a dataset with neither gets it detected
once, when first needed (`from_store`). It maximises modularity with igraph's Leiden method
(Louvain's successor, whose communities are always connected), weighted by evidence, with a
fixed seed: 1e6 entities and 3e6 links take seconds of CPU where networkx's Louvain takes far
longer (bench/bench_rings.py). Past `RUN` entities the network, whose hubless components are small
(the largest of 1e6 entities: 181), is detected in runs of whole components (`leiden_of_links`).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cloudsword.dataset import return_freed_memory
from cloudsword.network.graph import KINDS, Graph, hub_mask

if TYPE_CHECKING:
    import igraph as ig

SEED = 0
COLUMNS = ("entity_id", "ring", "ring_size", "hub")
PRODUCT, VERSION = "rings", "2"  # the dataset product (network/products.py); bump VERSION when detect changes
_IGRAPH_RNG = threading.Lock()  # igraph draws from one process-wide generator
RUN = 2_000_000  # entities per Leiden run: a larger network is detected component group by group


def detect(entities: pd.DataFrame, links: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """entities (entity_id, kind) and links (src_id, dst_id, evidence_count) -> one row per entity:
    entity_id, ring (1 = the largest; 0 = none: a hub, or an entity with no ring-mates),
    ring_size (entities in its ring; 0 for none) and hub (set aside as a shared provider).

    The same tables give the same rings whatever their row order: entities are taken in id order,
    rings are numbered by size, ties by their first member's id."""
    ids = _strings(entities["entity_id"])
    order = pc.sort_indices(ids)
    ids = ids.take(order)
    kind = pd.Categorical(np.asarray(entities["kind"])[order.to_numpy()], categories=KINDS).codes
    src, dst = (_positions(links[c], ids) for c in ("src_id", "dst_id"))  # -1: unknown id
    edges, weight, hub = hubless_links(kind, src, dst, np.asarray(links["evidence_count"], np.float64))
    del src, dst
    ring, size = leiden_of_links(len(kind), edges, weight, seed)
    return pd.DataFrame(
        {"entity_id": ids.to_numpy(zero_copy_only=False), "ring": ring, "ring_size": size, "hub": hub}
    )


def hubless_links(
    kind: np.ndarray, src: np.ndarray, dst: np.ndarray, evidence: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The network rings are detected on, from positions: entities in id order (`kind`: codes
    into KINDS), each link's ends as positions (-1: unknown) and its evidence. Returns the links
    kept without the hubs' (their ends as int32 pairs), their weights, and which entities are
    hubs. A caller holding 3e7 links' positions lets go of them here, before igraph's allocations
    (at 1e7 entities, 480 MB of the peak)."""
    n = len(kind)
    ok = (src >= 0) & (dst >= 0) & (src != dst)
    degree = np.bincount(src[ok], minlength=n) + np.bincount(dst[ok], minlength=n)
    hub = hub_mask(kind, degree)
    del degree
    keep = ok & ~hub[np.maximum(src, 0)] & ~hub[np.maximum(dst, 0)]
    del ok
    weight = _compact(np.asarray(evidence)[keep])
    edges = np.empty((int(keep.sum()), 2), dtype=np.int32)
    edges[:, 0], edges[:, 1] = src[keep], dst[keep]
    return edges, weight, hub


def igraph_of(n: int, edges: np.ndarray) -> ig.Graph:
    """An igraph graph of n vertices and these links, built from freed memory: igraph's large
    allocations cannot reuse what Arrow's pool and glibc keep."""
    import igraph as ig  # imported when rings are detected, not when a page opens

    return_freed_memory()
    graph = ig.Graph(n=n)
    graph.add_edges(edges)
    return graph


def _compact(weight: np.ndarray) -> np.ndarray:
    """Evidence counts as int16 where they fit: igraph reads whole numbers exactly, and 3e7 links
    then take 60 MB beside igraph's own copy, not 240 MB."""
    whole = weight.dtype.kind in "iu" and (len(weight) == 0 or (weight.min() >= 0 and weight.max() < 2**15))
    return weight.astype(np.int16) if whole else weight.astype(np.float64)


def leiden_rings(graph: ig.Graph, weight: np.ndarray, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Each entity's ring number and the ring's size (`_numbered`) by Leiden modularity."""
    with _seeded(seed):
        return _numbered(_leiden(graph, weight))


def leiden_of_links(
    n: int, edges: np.ndarray, weight: np.ndarray, seed: int = SEED, run: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """leiden_rings of n entities and these links (int32 pairs of positions, their weights). A
    network of more than `run` entities is detected in runs of whole connected components, at most
    `run` entities each besides the component that crosses the limit: Leiden's communities are
    connected, and modularity's terms for the communities of one component depend only on that
    component and the whole network's weight, so runs whose resolution is scaled to their share
    of the weight maximise the same modularity as one run on the whole. The memory is a run's: at
    1e7 entities one run's igraph graph and Leiden took 3.9 GB."""
    run = RUN if run is None else run
    if n <= run:
        return leiden_rings(igraph_of(n, edges), weight, seed)
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    adjacency = coo_array((np.ones(len(edges), dtype=bool), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, component = connected_components(adjacency, directed=False)
    del adjacency
    entity_run = ((np.cumsum(np.bincount(component)) - 1) // run)[component]  # components in order
    del component
    link_run = entity_run[edges[:, 0]]
    total = float(np.sum(weight, dtype=np.float64))
    membership = np.empty(n, dtype=np.int64)
    local = np.empty(n, dtype=np.int32)
    labels = 0
    with _seeded(seed):
        for r in range(int(entity_run.max()) + 1):
            members, links = np.flatnonzero(entity_run == r), np.flatnonzero(link_run == r)
            local[members] = np.arange(len(members), dtype=np.int32)
            w = weight[links]
            if len(links):
                share = float(np.sum(w, dtype=np.float64)) / total if total else 1.0  # the run's resolution
                part = _leiden(igraph_of(len(members), local[edges[links]]), w, share)
            else:
                part = np.arange(len(members), dtype=np.int64)
            membership[members] = part + labels
            labels += int(part.max()) + 1 if len(part) else 0
    return _numbered(membership)


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """igraph's process-wide random generator seeded for this caller alone."""
    import igraph as ig

    with _IGRAPH_RNG:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


def _leiden(graph: ig.Graph, weight: np.ndarray, resolution: float = 1.0) -> np.ndarray:
    """Leiden modularity communities (labels from 0), within `_seeded`."""
    found = graph.community_leiden(objective_function="modularity", weights=weight, resolution=resolution)
    return np.asarray(found.membership, dtype=np.int64)


def _strings(values: pd.Series) -> pa.Array:
    """A column of ids as one Arrow string array; pandas' Arrow-backed strings are handed over as
    they are (going through Python objects would cost seconds at 3e6 links)."""
    to_arrow = getattr(values.array, "__arrow_array__", None)
    arr = to_arrow() if to_arrow is not None else pa.array(values.to_numpy(dtype=object), pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.large_string())


def _positions(values: pd.Series, ids: pa.Array) -> np.ndarray:
    """Positions of `values` in the sorted ids, -1 where absent: hashed in Arrow's C++ (a pandas
    object-string lookup of 3e6 links takes seconds longer)."""
    found = pc.index_in(_strings(values), value_set=ids)
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def _numbered(membership: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Community labels (entities in id order) -> ring numbers by size (ties: first member) and
    ring sizes; communities of one are no ring (0)."""
    if len(membership) == 0:
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    counts = np.bincount(membership)
    _, first = np.unique(membership, return_index=True)
    labels = np.unique(membership)
    first_of = np.zeros(len(counts), dtype=np.int64)
    first_of[labels] = first
    real = labels[counts[labels] > 1]
    ranked = real[np.lexsort((first_of[real], -counts[real]))]
    number = np.zeros(len(counts), dtype=np.int32)
    number[ranked] = np.arange(1, len(ranked) + 1, dtype=np.int32)
    ring = number[membership]
    return ring, np.where(ring > 0, counts[membership], 0).astype(np.int32)


def from_store(store: object) -> pd.DataFrame:
    """The dataset's rings: the version's stored product, else a flat dataset's `rings` table,
    else detected now (data made by hand, or a product of another VERSION). Callers cache the
    result for the dataset's lifetime."""
    stored = store.product_table(PRODUCT, VERSION)
    if stored is not None:
        return store.run(stored.select(*COLUMNS))
    if store.has("rings"):
        return store.run(store.table("rings").select(*COLUMNS))
    e, lk = store.table("entities"), store.table("links")
    return detect(
        store.run(e.select("entity_id", "kind")), store.run(lk.select("src_id", "dst_id", "evidence_count"))
    )


# -- rings as a view shows them ---------------------------------------------------------------------
@dataclass(frozen=True)
class RingIndex:
    """The rings table laid over the graph's entity indices: `label[i]` is entity i's ring (0 for
    none) and `size[r]` ring r's size in the whole dataset."""

    label: np.ndarray  # int32, one per entity index
    size: np.ndarray  # int32, one per ring number (size[0] = 0)

    @property
    def count(self) -> int:
        return len(self.size) - 1


def ring_index(g: Graph, rings: pd.DataFrame) -> RingIndex:
    """Align the rings table with the graph (an entity missing from the table belongs to none)."""
    label = np.zeros(g.n, dtype=np.int32)
    at = g.lookup(rings["entity_id"].to_numpy(dtype=object))
    found = at >= 0
    label[at[found]] = rings["ring"].to_numpy(dtype=np.int32)[found]
    size = np.bincount(label, minlength=1).astype(np.int32)
    size[0] = 0
    return RingIndex(label, size)


def ring_columns(idx: RingIndex, nodes: np.ndarray) -> dict[str, np.ndarray]:
    """ring and ring_size columns for the entities at graph indices `nodes`."""
    ring = idx.label[nodes]
    return {"ring": ring.astype(int), "ring_size": idx.size[ring].astype(int)}


def view_rings(nodes: pd.DataFrame) -> pd.DataFrame:
    """The rings a view shows: one row per ring with a member in it (ring, in_view, size, outside,
    share_outside), largest part in view first. `nodes` gives ring and ring_size columns by name (a
    DataFrame or network.charts.Rows); counted with numpy: a pandas groupby cost ~20 ms a call."""
    ring = np.asarray(nodes["ring"], dtype=np.int64)
    member = ring > 0
    found, first, in_view = np.unique(ring[member], return_index=True, return_counts=True)
    size = np.asarray(nodes["ring_size"], dtype=np.int64)[member][first]
    order = np.lexsort((found, -in_view))  # largest part in view first, then by ring
    out = pd.DataFrame({"ring": found[order], "in_view": in_view[order], "size": size[order]})
    out["outside"] = out["size"] - out["in_view"]
    out["share_outside"] = out["outside"] / out["size"]
    return out
