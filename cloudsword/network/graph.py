"""The seller network: the whole graph as a compact CSR adjacency, and ego networks cut from it.

The whole graph (1e6 entities, 3e6 links and more) is held as numpy arrays: entity attributes
by integer index, a scipy-style CSR adjacency (`indptr`, `nbr`, `eid`: each link appears once
in each direction) and the link attributes by link index. Nothing here is a networkx graph:
networkx is only used on the small extracted ego network (network_analysis.py).

Ego extraction is a breadth-first search whose frontier is expanded with vectorised numpy
gathers over the CSR rows, filtered by relation and entity kind. Ground floor plus schema:
imports nothing that imports streamlit.
"""

from __future__ import annotations

import queue
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cloudsword.schema import ENTITY_KINDS, HUB_KINDS, RELATIONS

KINDS = ENTITY_KINDS
_EPOCH = np.datetime64("1970-01-01", "D")


def days(values: pd.Series) -> np.ndarray:
    """Dates (date objects, strings or timestamps) as int32 days since 1970-01-01."""
    return (pd.to_datetime(values).to_numpy().astype("datetime64[D]") - _EPOCH).astype(np.int32)


@dataclass
class Graph:
    """The whole network, compact. Entities and links are addressed by integer index."""

    ids: np.ndarray  # entity_id (object), index i
    names: np.ndarray  # entity name (object)
    kind: np.ndarray  # int8 code into KINDS
    province: np.ndarray  # province adcode (object)
    city: np.ndarray  # city adcode (object)
    lon: np.ndarray  # float32
    lat: np.ndarray  # float32
    indptr: np.ndarray  # int64, n + 1
    nbr: np.ndarray  # int32, 2m: neighbour of row i
    eid: np.ndarray  # int32, 2m: link index of that adjacency entry
    out_degree: np.ndarray  # int32, n: a row's first out_degree entries are the links it "owns"
    src: np.ndarray  # int32, m
    dst: np.ndarray  # int32, m
    relation: np.ndarray  # int8 code into RELATIONS, m
    evidence: np.ndarray  # int32, m
    first_seen: np.ndarray  # int32 days, m
    last_seen: np.ndarray  # int32 days, m
    index: pd.Index = field(repr=False, default=None)
    _hubs: np.ndarray | None = field(repr=False, default=None, compare=False)
    _degrees: np.ndarray | None = field(repr=False, default=None, compare=False)
    _scratch: queue.SimpleQueue = field(repr=False, default_factory=queue.SimpleQueue, compare=False)

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return len(self.src)

    @property
    def degree(self) -> np.ndarray:
        """Each entity's links, computed once (1e7 of them were computed again on every use)."""
        if self._degrees is None:
            self._degrees = np.diff(self.indptr)
        return self._degrees

    @property
    def nbytes(self) -> int:
        """Memory held by the numeric arrays (object id/name/place arrays count pointers only)."""
        return sum(
            getattr(self, k).nbytes
            for k in self.__dataclass_fields__
            if not k.startswith("_") and k != "index"
        )

    def hubs(self) -> np.ndarray:
        """Shared providers (logistics, payment accounts) whose degree dwarfs everyone else's
        (found once: the median degree of 1e7 entities takes a tenth of a second)."""
        if self._hubs is None:
            self._hubs = hub_mask(self.kind, self.degree)
        return self._hubs

    def lookup(self, entity_ids: list[str] | np.ndarray) -> np.ndarray:
        """Integer indices of entity ids; -1 for unknown ids."""
        return self.index.get_indexer(pd.Index(entity_ids, dtype=object)).astype(np.int64)

    def find(self, entity_id: str) -> int | None:
        i = int(self.lookup([entity_id])[0])
        return None if i < 0 else i


def hub_mask(kind: np.ndarray, degree: np.ndarray) -> np.ndarray:
    """The hub rule, one for the page and the rings: an entity of a hub kind (int8 codes into
    KINDS) whose degree is at least 50 and 20 times the median degree."""
    limit = max(50.0, 20.0 * float(np.median(degree))) if len(degree) else 50.0
    hub_codes = [KINDS.index(k) for k in HUB_KINDS]
    return np.isin(kind, hub_codes) & (degree >= limit)


def build_graph(entities: pd.DataFrame, links: pd.DataFrame) -> Graph:
    """Entities (entity_id, kind, name, province_adcode, city_adcode, lon, lat) and links
    (src_id, dst_id, relation, first_seen, last_seen, evidence_count) -> Graph."""
    ids = entities["entity_id"].to_numpy(dtype=object)
    index = pd.Index(ids, dtype=object)
    src = index.get_indexer(links["src_id"].to_numpy(dtype=object)).astype(np.int32)
    dst = index.get_indexer(links["dst_id"].to_numpy(dtype=object)).astype(np.int32)
    ok = (src >= 0) & (dst >= 0) & (src != dst)  # the store's checks make both ends known
    links = links.loc[ok]
    arrays = numeric_arrays(
        kind=pd.Categorical(entities["kind"], categories=KINDS).codes.astype(np.int8),
        lon=entities["lon"].to_numpy(dtype=np.float32),
        lat=entities["lat"].to_numpy(dtype=np.float32),
        src=src[ok],
        dst=dst[ok],
        relation=pd.Categorical(links["relation"], categories=RELATIONS).codes.astype(np.int8),
        evidence=links["evidence_count"].to_numpy(dtype=np.int32),
        first_seen=days(links["first_seen"]),
        last_seen=days(links["last_seen"]),
    )
    return Graph(
        ids=ids,
        names=entities["name"].to_numpy(dtype=object),
        province=entities["province_adcode"].to_numpy(dtype=object),
        city=entities["city_adcode"].to_numpy(dtype=object),
        index=index,
        **arrays,
    )


def numeric_arrays(
    *,
    kind: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    relation: np.ndarray,
    evidence: np.ndarray,
    first_seen: np.ndarray,
    last_seen: np.ndarray,
) -> dict[str, np.ndarray]:
    """The graph's ARRAYS from columns already numeric: entities in id order, links with both ends
    known (positions, no self-links). The stored product builds the same arrays from Arrow
    (network/products.py), the CSR first and each link column after it."""
    columns = dict(kind=kind, lon=lon, lat=lat, src=src, dst=dst, relation=relation, evidence=evidence)
    columns |= dict(first_seen=first_seen, last_seen=last_seen)
    return {**csr(len(kind), src, dst), **{k: stored(k, v) for k, v in columns.items()}}


# The entity and link columns as the graph holds them (the CSR's arrays are csr's own).
DTYPES = {
    "kind": np.int8, "lon": np.float32, "lat": np.float32, "src": np.int32, "dst": np.int32,
    "relation": np.int8, "evidence": np.int32, "first_seen": np.int32, "last_seen": np.int32,
}  # fmt: skip


def stored(name: str, values: np.ndarray) -> np.ndarray:
    """A column of the graph in its stored type (no copy when it already is)."""
    return np.asarray(values, DTYPES[name])


def csr(n: int, src: np.ndarray, dst: np.ndarray) -> dict[str, np.ndarray]:
    """The adjacency of n entities and these links (positions) as CSR: indptr, nbr, eid (the link
    of each entry) and out_degree.

    Each link is listed once from each end, rows sorted by entity index. Each link is also "owned"
    by one end, the one of lower degree (ties: lower index), and a row lists the links it owns
    first: the links among a set of entities are then found by scanning only owned entries, so a
    courier with 19,000 links costs almost nothing (its links are owned by the shops). Keys and
    link numbers stay int32 (at 3e7 links an int64 key and `order % m` cost a gigabyte more)."""
    m = len(src)
    ends = np.concatenate([src, dst]).astype(np.int32, copy=False)
    other = np.concatenate([dst, src]).astype(np.int32, copy=False)
    degree = np.bincount(ends, minlength=n).astype(np.int32)
    owns = degree[ends] < degree[other]
    owns |= (degree[ends] == degree[other]) & (ends < other)
    out_degree = np.bincount(ends[owns], minlength=n).astype(np.int32)
    key = ends * np.int32(2)  # row first, owned entries before the rest (int32: up to 1e9 entities)
    key += ~owns
    del ends, owns
    order = np.argsort(key, kind="stable")
    del key
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(degree, out=indptr[1:])
    nbr = other[order]
    del other
    eid = order.astype(np.int32)  # entry k < m is link k, entry m + k its other end
    del order
    eid[eid >= m] -= m
    return {"indptr": indptr, "nbr": nbr, "eid": eid, "out_degree": out_degree}


# The graph's numeric arrays: a dataset product (network/products.py), stored with each version as
# memory-mapped .npy files, so opening the network page reads them instead of rebuilding the CSR.
PRODUCT, VERSION = "graph", "1"
ARRAYS = (
    "kind", "lon", "lat", "indptr", "nbr", "eid", "out_degree",
    "src", "dst", "relation", "evidence", "first_seen", "last_seen",
)  # fmt: skip
ENTITY_COLUMNS = ("entity_id", "kind", "name", "province_adcode", "city_adcode", "lon", "lat")


def graph_arrays(g: Graph) -> dict[str, np.ndarray]:
    """The arrays a version stores (the text columns are read from the entities table)."""
    return {k: getattr(g, k) for k in ARRAYS}


def graph_from_store(store) -> Graph:
    """The whole graph, once per dataset: the version's stored arrays with the entities' ids, names
    and places (in entity id order, as the arrays were built), else built from the tables."""
    e = store.table("entities")
    stored = store.product_arrays(PRODUCT, VERSION)
    if stored is not None:
        text = e.select("entity_id", "name", "province_adcode", "city_adcode")
        ents = store.run(text.order_by("entity_id"))
        ids = ents["entity_id"].to_numpy(dtype=object)
        if len(ids) == len(stored["kind"]):
            return Graph(
                ids=ids,
                names=ents["name"].to_numpy(dtype=object),
                province=ents["province_adcode"].to_numpy(dtype=object),
                city=ents["city_adcode"].to_numpy(dtype=object),
                index=pd.Index(ids, dtype=object),
                **{k: np.asarray(stored[k]) for k in ARRAYS},  # plain views: a memmap's indexing costs more
            )
    entities = store.run(e.select(*ENTITY_COLUMNS).order_by("entity_id"))
    links = store.run(store.table("links"))
    return build_graph(entities, links)


def build_from_tables(entities: pd.DataFrame, links: pd.DataFrame) -> Graph:
    """`build_graph` with the entities in id order, as `graph_from_store` reads them."""
    return build_graph(entities.sort_values("entity_id", kind="stable").reset_index(drop=True), links)


# -- extraction ---------------------------------------------------------------------------------
def _rows(g: Graph, frontier: np.ndarray, owned: bool = False) -> np.ndarray:
    """Positions in nbr/eid of every adjacency entry of the frontier's rows (vectorised); with
    `owned`, only the entries of the links each row owns."""
    starts = g.indptr[frontier]
    lens = g.out_degree[frontier].astype(np.int64) if owned else g.indptr[frontier + 1] - starts
    total = int(lens.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lens) + lens, lens)
    return offsets + np.arange(total, dtype=np.int64)


def _masks(g: Graph, relations, kinds) -> tuple[np.ndarray | None, np.ndarray | None]:
    rel_ok = None
    if relations is not None and set(relations) != set(RELATIONS):
        rel_ok = np.zeros(len(RELATIONS), dtype=bool)
        rel_ok[[RELATIONS.index(r) for r in relations]] = True
    kind_ok = None
    if kinds is not None and set(kinds) != set(KINDS):
        kind_ok = np.zeros(len(KINDS), dtype=bool)
        kind_ok[[KINDS.index(k) for k in kinds]] = True
    return rel_ok, kind_ok


@dataclass
class Ego:
    """An ego network: node indices with their hop distance from the seed, and link indices."""

    seed: int
    nodes: np.ndarray  # int64 entity indices, seed first, in BFS order
    hop: np.ndarray  # int8, same length
    links: np.ndarray  # int64 link indices among the nodes (the induced subgraph)
    left_out: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # reached, not gathered
    cut_hop: int = 0  # the hop at which `limit` stopped the walk (0: it was not stopped)

    def __len__(self) -> int:
        return len(self.nodes)


def ego(
    g: Graph,
    seed: int,
    hops: int = 2,
    relations: tuple[str, ...] | None = None,
    kinds: tuple[str, ...] | None = None,
    stop_at: np.ndarray | None = None,
    with_links: bool = True,
    limit: int | None = None,
) -> Ego:
    """Entities within `hops` links of `seed`, over links of the given relations and through
    entities of the given kinds (the seed is always kept), and the links among them.

    `stop_at` (a boolean mask, e.g. `g.hubs()`) marks entities that are included but not
    expanded further (a shared courier would otherwise pull in thousands of unrelated shops).

    `limit` bounds the work by what a page can use: once a hop would take the network past
    `limit` entities, that hop keeps only its best connected (the order `cap` shows them in:
    highest degree, then first reached), the rest of it is `left_out` (counted, not gathered) and
    the walk stops there (`cut_hop`). A courier with 125,000 shops at 1e7 entities reaches a
    million entities in two hops; with a limit its network costs milliseconds, and `cap` of it
    shows the same entities as `cap` of the whole (for a cap of at most `limit`)."""
    rel_ok, kind_ok = _masks(g, relations, kinds)
    seen, stamp = _borrow(g)
    e = _walk(g, seed, hops, rel_ok, kind_ok, stop_at, with_links, limit, seen, stamp)
    g._scratch.put((seen, stamp))  # only when the walk ended and cleaned `seen` (else dropped)
    return e


def _borrow(g: Graph) -> tuple[np.ndarray, np.ndarray]:
    """Scratch arrays of the graph's size for one walk (`seen` all False), reused: at 1e7 entities
    allocating them took a millisecond or more a walk. One pair per walk in flight (threads)."""
    try:
        return g._scratch.get_nowait()
    except queue.Empty:
        return np.zeros(g.n, dtype=bool), np.empty(g.n, dtype=np.int32)


def _walk(g, seed, hops, rel_ok, kind_ok, stop_at, with_links, limit, seen, stamp) -> Ego:
    """`ego`'s breadth-first walk on borrowed scratch arrays, leaving `seen` all False again."""
    seen[seed] = True
    levels, frontier = [np.array([seed], dtype=np.int64)], np.array([seed], dtype=np.int64)
    left_out, cut_hop, total = np.empty(0, np.int64), 0, 1
    for h in range(1, hops + 1):
        if stop_at is not None and len(levels) > 1:
            frontier = frontier[~stop_at[frontier]]
        pos = _rows(g, frontier)
        if rel_ok is not None:
            pos = pos[rel_ok[g.relation[g.eid[pos]]]]
        nxt = g.nbr[pos]
        if kind_ok is not None:
            nxt = nxt[kind_ok[g.kind[nxt]]]
        nxt = nxt[~seen[nxt]]
        if len(nxt) == 0:
            break
        nxt = _distinct(nxt, stamp)
        if limit is not None and total + len(nxt) > limit:
            nxt, left_out = _best_connected(g, nxt, max(limit - total, 0))
            cut_hop = h
        seen[nxt] = True
        levels.append(nxt)
        total += len(nxt)
        if cut_hop:
            break
        frontier = nxt
    nodes = np.concatenate(levels)
    hop = np.concatenate([np.full(len(lv), h, dtype=np.int8) for h, lv in enumerate(levels)])
    links = induced_links(g, nodes, seen, rel_ok) if with_links else np.empty(0, dtype=np.int64)
    seen[nodes] = False  # handed back clean
    return Ego(seed, nodes, hop, links, left_out, cut_hop)


def degree_of(g: Graph, ix: np.ndarray) -> np.ndarray:
    """Degrees of some entities: one gather from the degrees the graph keeps."""
    return g.degree[ix]


def _best_connected(g: Graph, level: np.ndarray, room: int) -> tuple[np.ndarray, np.ndarray]:
    """The `room` entities of a hop `cap` would show first (highest degree, ties: first reached),
    in reaching order, and the rest."""
    key = -degree_of(g, level) * len(level) + np.arange(len(level))  # distinct: a strict order
    if room < len(level):
        part = np.argpartition(key, room)[:room] if room else np.empty(0, np.int64)
    else:
        part = np.arange(len(level))
    keep = np.zeros(len(level), dtype=bool)
    keep[part] = True
    return level[keep], level[~keep]


def _distinct(values: np.ndarray, stamp: np.ndarray) -> np.ndarray:
    """The distinct values in order of first appearance, in linear time (no sort): `stamp` is
    scratch space of the graph's size whose content does not matter."""
    pos = np.arange(len(values), dtype=np.int32)
    stamp[values[::-1]] = pos[::-1]  # the first occurrence writes last
    return values[stamp[values] == pos].astype(np.int64)


def induced_links(g: Graph, nodes: np.ndarray, member: np.ndarray, rel_ok: np.ndarray | None) -> np.ndarray:
    """Link indices with both ends in `nodes` (member = boolean mask of nodes over all entities)."""
    pos = _rows(g, nodes, owned=True)  # each link once, from the row of the end that owns it
    pos = pos[member[g.nbr[pos]]]
    e = g.eid[pos]
    if rel_ok is not None:
        e = e[rel_ok[g.relation[e]]]
    return e.astype(np.int64)


def shortest_path(
    g: Graph,
    a: int,
    b: int,
    relations: tuple[str, ...] | None = None,
    kinds: tuple[str, ...] | None = None,
    max_hops: int | None = None,
) -> list[int] | None:
    """One shortest path a -> b (entity indices, both ends included), or None. Breadth-first from
    `a` with parent pointers; ties go to the lowest entity index, so the answer is deterministic."""
    if a == b:
        return [a]
    rel_ok, kind_ok = _masks(g, relations, kinds)
    parent = np.full(g.n, -1, dtype=np.int64)
    parent[a] = a
    frontier = np.array([a], dtype=np.int64)
    steps = 0
    while max_hops is None or steps < max_hops:
        steps += 1
        pos = _rows(g, frontier)
        owner = np.repeat(frontier, g.indptr[frontier + 1] - g.indptr[frontier])
        if rel_ok is not None:
            keep = rel_ok[g.relation[g.eid[pos]]]
            pos, owner = pos[keep], owner[keep]
        nxt = g.nbr[pos].astype(np.int64)
        keep = parent[nxt] < 0
        if kind_ok is not None:
            keep &= kind_ok[g.kind[nxt]] | (nxt == b)
        nxt, owner = nxt[keep], owner[keep]
        if len(nxt) == 0:
            return None
        order = np.lexsort((owner, nxt))  # first parent per node = lowest owner index
        nxt, owner = nxt[order], owner[order]
        first = np.r_[True, nxt[1:] != nxt[:-1]]
        nxt, owner = nxt[first], owner[first]
        parent[nxt] = owner
        if parent[b] >= 0:
            path = [b]
            while path[-1] != a:
                path.append(int(parent[path[-1]]))
            return path[::-1]
        frontier = nxt
    return None


# -- frames for the views -----------------------------------------------------------------------
def nodes_frame(g: Graph, e: Ego) -> pd.DataFrame:
    """One row per entity of the ego network, with its hop distance and degree in the whole graph."""
    ix = e.nodes
    return pd.DataFrame(
        {
            "entity_id": g.ids[ix],
            "name": g.names[ix],
            "kind": np.asarray(KINDS, dtype=object)[g.kind[ix]],
            "province_adcode": g.province[ix],
            "city_adcode": g.city[ix],
            "lon": g.lon[ix].astype(float),
            "lat": g.lat[ix].astype(float),
            "hop": e.hop.astype(int),
            "degree": degree_of(g, ix).astype(int),
        }
    )


def links_frame(g: Graph, link_ix: np.ndarray) -> pd.DataFrame:
    """One row per link: ends, relation, evidence count, first and last seen."""
    return pd.DataFrame(
        {
            "src_id": g.ids[g.src[link_ix]],
            "dst_id": g.ids[g.dst[link_ix]],
            "relation": np.asarray(RELATIONS, dtype=object)[g.relation[link_ix]],
            "evidence_count": g.evidence[link_ix].astype(int),
            "first_seen": (g.first_seen[link_ix] + _EPOCH).astype("datetime64[ns]"),
            "last_seen": (g.last_seen[link_ix] + _EPOCH).astype("datetime64[ns]"),
        }
    )


def cap(g: Graph, e: Ego, limit: int) -> tuple[Ego, pd.DataFrame]:
    """At most `limit` entities for display: nearest first, then the best connected. Returns the
    shown ego network and the rest counted by kind and province (kind, province_adcode, count):
    those not shown and those the extraction's own limit left out (`Ego.left_out`)."""
    if len(e) <= limit:
        keep, rest = np.arange(len(e)), np.empty(0, np.int64)
    else:
        order = np.lexsort((-degree_of(g, e.nodes), e.hop))
        keep, rest = np.sort(order[:limit]), order[limit:]
        keep = keep[np.argsort(e.hop[keep], kind="stable")]
    shown_nodes = e.nodes[keep]
    if len(keep) < len(e):
        member = np.zeros(g.n, dtype=bool)
        member[shown_nodes] = True
        links = e.links[member[g.src[e.links]] & member[g.dst[e.links]]]
    else:
        links = e.links
    hidden_ix = np.concatenate([e.nodes[rest], e.left_out])
    hidden = pd.DataFrame(
        {
            "kind": np.asarray(KINDS, dtype=object)[g.kind[hidden_ix]],
            "province_adcode": g.province[hidden_ix],
        }
    )
    summary = (
        hidden.groupby(["kind", "province_adcode"])
        .size()
        .rename("count")
        .reset_index()
        .sort_values("count", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    return Ego(e.seed, shown_nodes, e.hop[keep], links, cut_hop=e.cut_hop), summary
