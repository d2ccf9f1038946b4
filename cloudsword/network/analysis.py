"""Analysis of an extracted ego network (small: at most a few thousand entities): search, key
players, what enforcement has already hit, provinces spanned, hit rate. Rings are not found
here: they belong to the dataset (rings.py) and a view only reads them.

networkx is used here only, on the small extracted network; the whole graph stays in CSR form
(graph.py).
"""

from __future__ import annotations

import io
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pypinyin import lazy_pinyin
from pypinyin.constants import PHRASES_DICT
from rapidfuzz import fuzz, process

from cloudsword.network import graph as network
from cloudsword.network.graph import KINDS, Ego, Graph, induced_links
from cloudsword.network.rings import RingIndex, ring_columns

UPSTREAM_KINDS = ("factory", "warehouse")
# Entities gathered for one network view (graph.ego's limit): the page draws 250 of them and the
# key-player tab samples shortest paths over all of them. Past this, a hop keeps its best connected
# and the walk stops there: a courier's million-entity two hops would take the page with it.
ANALYSED = 2000
PARTED = 100_000  # distinct names past which the search index is asked in one part per core
_ID_LIKE = re.compile(r"^[A-Za-z]{1,3}\d{3,}$")


# -- search -------------------------------------------------------------------------------------
@dataclass
class SearchIndex:
    """The entities' names, each distinct name once (1e7 entities have 1.4e6 names), with its
    pinyin; `code` is each entity's name among them. Searching tests each distinct name once, in
    Arrow's compute kernels, and reads the entities off `code`."""

    names: list[str]  # distinct names, in the order of their first entity
    pinyin: list[str]  # full pinyin, no tones, no spaces: "changshunxiangbao..."
    initials: list[str]  # first letters: "csxb..."
    code: np.ndarray  # int32 per entity: its name's position in `names`
    arrays: tuple[pa.Array, pa.Array, pa.Array]  # names, pinyin and initials for Arrow's kernels
    bearers: np.ndarray  # entity positions by name, each name's in order (`starts` delimits them)
    starts: np.ndarray  # int64, one more than names
    parts: list[tuple[pa.Array, pa.Array, pa.Array]]  # `arrays` cut in one part per core

    def entities(self, name: int) -> np.ndarray:
        """The positions of the entities bearing distinct name `name`, in order."""
        return self.bearers[self.starts[name] : self.starts[name + 1]]


def search_index(g: Graph) -> SearchIndex:
    encoded = pc.fill_null(pa.array(g.names, pa.string()), "").dictionary_encode()
    names = encoded.dictionary.to_pylist()
    full, first = _pinyin(names)
    arrays = (encoded.dictionary, pa.array(full, pa.string()), pa.array(first, pa.string()))
    code = encoded.indices.to_numpy().astype(np.int32)
    starts = np.concatenate([[0], np.cumsum(np.bincount(code, minlength=len(names)))])
    cores = (os.cpu_count() or 1) if len(names) >= PARTED else 1
    step = -(-len(names) // cores) if names else 1
    parts = [tuple(a.slice(i, step) for a in arrays) for i in range(0, max(len(names), 1), step)]
    return SearchIndex(names, full, first, code, arrays, np.argsort(code, kind="stable"), starts, parts)


def _pinyin(names: list[str]) -> tuple[list[str], list[str]]:
    """Each name's full pinyin and initials, as pypinyin's lazy_pinyin(errors="ignore") reads it,
    at a 1e8 dataset's scale: reading 1e7 names whole took 25 minutes. A name is read character
    by character from a table of its characters' own readings, unless it holds a phrase whose
    reading differs from them (商行 hang, 长沙 chang: 3.5% of the names at 1e8), which is read
    whole; lazy_pinyin's phrases are the only readings that differ from the characters' own."""
    chars = set("".join(names))
    own = {c: "".join(lazy_pinyin(c, errors="ignore")).lower() for c in chars}
    readings = [
        (ph, "".join(lazy_pinyin(ph, errors="ignore")).lower()) for ph in PHRASES_DICT if set(ph) <= chars
    ]
    phrases = [ph for ph, read in readings if len(ph) > 1 and read != "".join(own[c] for c in ph)]
    whole = re.compile("|".join(map(re.escape, sorted(phrases, key=len, reverse=True)))) if phrases else None
    full_table = {ord(c): r or None for c, r in own.items()}
    first_table = {ord(c): r[:1] or None for c, r in own.items()}
    full, first = [], []
    for name in names:
        if whole is not None and whole.search(name):
            syllables = [x.lower() for x in lazy_pinyin(name, errors="ignore")]
            full.append("".join(syllables))
            first.append("".join(x[:1] for x in syllables))
        else:
            full.append(name.translate(full_table))
            first.append(name.translate(first_table))
    return full, first


@dataclass
class SearchResult:
    status: str  # "exact" (one entity), "matches" (a list to choose from), "unknown_id", "none"
    matches: pd.DataFrame  # entity_id, name, kind, province_adcode, score


def search(g: Graph, index: SearchIndex, query: str, limit: int = 12) -> SearchResult:
    """Find entities by id or name: exact id, Chinese substring, pinyin (full or initials), fuzzy.
    Entities of one score are listed in id order."""
    q = (query or "").strip()
    if not q:
        return SearchResult("none", _frame(g, [], []))
    hit = g.find(q.upper()) if _ID_LIKE.match(q) else g.find(q)
    if hit is not None:
        return SearchResult("exact", _frame(g, [hit], [100.0]))
    if _ID_LIKE.match(q):  # looks like an id that does not exist: the closest ids
        best = _closest(q.upper(), g.ids, 5, fuzz.ratio, 0)
        return SearchResult("unknown_id", _frame(g, [i for i, _ in best], [s for _, s in best]))
    key = re.sub(r"[\s'’-]+", "", q.lower())
    names, pinyin, initials = index.arrays
    score = np.zeros(len(index.names), dtype=np.float64)  # per distinct name; 0: no match
    hits = np.flatnonzero(_across(index, lambda n, p, i: pc.match_substring(n, q)))
    score[hits] = np.where(_true(pc.equal(names.take(pa.array(hits)), q)), 100.0, 95.0)
    if key.isascii() and len(key) >= 2:
        inside = _across(index, lambda _, py, ini: pc.or_(*(pc.match_substring(a, key) for a in (py, ini))))
        new = np.flatnonzero(inside & (score == 0))
        taken = pa.array(new)  # which of them lead with the key: asked of the new matches alone
        leading = pc.or_(pc.starts_with(pinyin.take(taken), key), pc.starts_with(initials.take(taken), key))
        score[new] = np.where(_true(leading), 92.0, 90.0)
    bearing = np.diff(index.starts)  # entities per distinct name
    if bearing[score > 0].sum() < limit:  # fuzzy, on characters and on pinyin
        for choices in (index.names, index.pinyin) if key.isascii() else (index.names,):
            for i, s in _closest(key if choices is index.pinyin else q, choices, limit, fuzz.WRatio, 60):
                score[i] = score[i] or s * 0.9
    found = int(bearing[score > 0].sum())
    if not found:
        return SearchResult("none", _frame(g, [], []))
    if bearing[score >= 100.0].sum() == 1:  # the full name of exactly one entity
        return SearchResult("exact", _frame(g, index.entities(int(np.argmax(score))).tolist(), [100.0]))
    shown: list[int] = []
    levels: list[float] = []
    for level in np.unique(score[score > 0])[::-1]:  # best first; within a score, by position
        # a name's first bearer comes before the next name's: the first positions of a score are
        # among the bearers of its first `limit` names
        first = np.flatnonzero(score == level)[: limit - len(shown)]
        take = np.sort(np.concatenate([index.entities(n) for n in first]))[: limit - len(shown)]
        shown += take.tolist()
        levels += [float(level)] * len(take)
        if len(shown) >= limit:
            break
    return SearchResult("exact" if found == 1 else "matches", _frame(g, shown, levels))


def _closest(target: str, choices, limit: int, scorer, cutoff: float) -> list[tuple[int, float]]:
    """The `limit` choices most like `target` by a rapidfuzz scorer (at least `cutoff`), best
    first, ties in order: scored on every core (1.4e6 names, 1e7 ids at 1e8)."""
    row = process.cdist([target], choices, scorer=scorer, score_cutoff=cutoff, dtype=np.float64, workers=-1)
    row = row[0]
    hits = np.flatnonzero(row >= cutoff)
    best = hits[np.lexsort((hits, -row[hits]))][:limit]
    return [(int(i), float(row[i])) for i in best]


_CORES: ThreadPoolExecutor | None = None


def _across(index: SearchIndex, ask) -> np.ndarray:
    """ask(names, pinyin, initials) -> an Arrow mask, asked of every part of the index at once:
    Arrow's kernels let go of the GIL, and at 1e8 one pass over the names took 36 ms."""
    global _CORES
    if len(index.parts) == 1:
        return _true(ask(*index.parts[0]))
    if _CORES is None:
        _CORES = ThreadPoolExecutor(os.cpu_count() or 1, thread_name_prefix="search")
    return np.concatenate([_true(m) for m in _CORES.map(lambda part: ask(*part), index.parts)])


def _true(mask: pa.Array) -> np.ndarray:
    """An Arrow boolean result as a numpy mask (null: false)."""
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)


def _frame(g: Graph, ix: list[int], scores: list[float]) -> pd.DataFrame:
    ix_arr = np.asarray(ix, dtype=np.int64)
    return pd.DataFrame(
        {
            "entity_id": g.ids[ix_arr],
            "name": g.names[ix_arr],
            "kind": np.asarray(KINDS, dtype=object)[g.kind[ix_arr]],
            "province_adcode": g.province[ix_arr],
            "score": np.asarray(scores, dtype=float),
        }
    )


# -- expansion ----------------------------------------------------------------------------------
def with_expansions(
    g: Graph, e: Ego, expanded: list[int], relations=None, kinds=None, limit: int | None = None
) -> Ego:
    """The ego network plus the direct neighbours of each expanded entity (clicked in the graph),
    at most `limit` of each (its best connected: graph.ego), the rest counted as left out."""
    from cloudsword.network.graph import _masks, ego

    if not expanded:
        return e
    nodes, hops, left = [e.nodes], [e.hop], [e.left_out]
    member = np.zeros(g.n, dtype=bool)
    member[e.nodes] = True
    for x in expanded:
        more = ego(g, x, 1, relations, kinds, with_links=False, limit=limit)
        new = more.nodes[~member[more.nodes]]
        member[new] = True
        nodes.append(new)
        hops.append(np.full(len(new), int(e.hop.max(initial=0)) + 1, dtype=np.int8))
        left.append(more.left_out)
    all_nodes = np.concatenate(nodes)
    out = np.unique(np.concatenate(left))
    out = out[~member[out]]
    rel_ok, _ = _masks(g, relations, kinds)
    links = induced_links(g, all_nodes, member, rel_ok)
    return Ego(e.seed, all_nodes, np.concatenate(hops), links, out, e.cut_hop or (1 if len(out) else 0))


# -- key players ------------------------------------------------------------------------------------
def to_networkx(nodes: pd.DataFrame, links: pd.DataFrame) -> nx.Graph:
    G = nx.Graph()
    G.add_nodes_from(nodes["entity_id"])
    for s, d, w in zip(links["src_id"], links["dst_id"], links["evidence_count"]):
        if G.has_edge(s, d):
            G[s][d]["weight"] += int(w)
        else:
            G.add_edge(s, d, weight=int(w))
    return G


def key_players(G: nx.Graph, top: int = 10) -> pd.DataFrame:
    """Betweenness centrality: the share of shortest paths between other entities that pass
    through an entity (sampled over 300 sources on networks larger than that, seed 0)."""
    if G.number_of_nodes() < 3:
        return pd.DataFrame({"entity_id": list(G), "betweenness": [0.0] * G.number_of_nodes()})
    k = 300 if G.number_of_nodes() > 300 else None
    bc = nx.betweenness_centrality(G, k=k, seed=0 if k else None, normalized=True)
    out = pd.Series(bc, name="betweenness").rename_axis("entity_id").reset_index()
    return (
        out.sort_values(["betweenness", "entity_id"], ascending=[False, True])
        .head(top)
        .reset_index(drop=True)
    )


# -- enforcement --------------------------------------------------------------------------------
def enforcement(store) -> dict[str, pd.DataFrame]:
    """Everything enforcement has tied to an entity, for the whole dataset (small tables):
    clues (clue_id, entity_id, handed_to, issued_on), suspects (suspect_id, case_id, entity_id)
    and entity_cases (entity_id, case_id, province_adcode, opened_on, suspects_caught, seizure_cny),
    a case being tied to an entity through its clue or through a suspect; `charged`, the ids of
    the entities with a case, as a hashed index (at 1e8 cases a set of them took seconds a run)."""
    cl, su, ca = (store.table(n) for n in ("clues", "suspects", "cases"))
    clues = store.run(cl.select("clue_id", "entity_id", "handed_to", "issued_on", "status"))
    suspects = store.run(su.select("suspect_id", "case_id", "entity_id"))
    case_cols = ("case_id", "clue_id", "province_adcode", "opened_on", "suspects_caught", "seizure_cny")
    by_clue = cl.select("clue_id", "entity_id").join(ca.select(*case_cols), "clue_id")
    by_suspect = su.select("case_id", "entity_id").distinct().join(ca.select(*case_cols), "case_id")
    cols = ["entity_id", *[c for c in case_cols if c != "clue_id"]]
    cases = pd.concat(
        [store.run(by_clue.select(*cols)), store.run(by_suspect.select(*cols))], ignore_index=True
    )
    cases = cases.drop_duplicates(["entity_id", "case_id"]).reset_index(drop=True)
    ids = cases.entity_id.dropna().to_numpy(dtype=object)
    charged = pd.Index(np.sort(pd.unique(ids)), dtype=object)  # sorted: the same on any engine
    return {"clues": clues, "suspects": suspects, "entity_cases": cases, "charged": charged}


def province_summary(nodes: pd.DataFrame, enf: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per province the chain spans (where its entities are): entities, clues about them, cases
    tied to them, suspects caught among them, and those cases' seized value."""
    ids = set(nodes["entity_id"])
    where = nodes.set_index("entity_id")["province_adcode"]
    clues = enf["clues"][enf["clues"].entity_id.isin(ids)]
    sus = enf["suspects"][enf["suspects"].entity_id.isin(ids)]
    cases = enf["entity_cases"][enf["entity_cases"].entity_id.isin(ids)]
    out = nodes.groupby("province_adcode").size().rename("entities").to_frame()
    out["clues"] = clues.entity_id.map(where).value_counts()
    out["suspects"] = sus.entity_id.map(where).value_counts()
    c = cases.assign(p=cases.entity_id.map(where)).drop_duplicates(["p", "case_id"])
    out["cases"] = c.groupby("p").size()
    out["seizure"] = c.groupby("p")["seizure_cny"].sum()
    out = out.fillna(0).astype({"clues": int, "suspects": int, "cases": int, "seizure": float})
    return (
        out.reset_index()
        .sort_values(["entities", "province_adcode"], ascending=[False, True])
        .reset_index(drop=True)
    )


def hit_rate(nodes: pd.DataFrame, enf: dict[str, pd.DataFrame]) -> tuple[int, int]:
    """Upstream hit rate as (hit, total): the chain's factories and warehouses, and how many of
    them already have a case (through a clue about them or a suspect caught there)."""
    up = nodes.loc[nodes.kind.isin(UPSTREAM_KINDS), "entity_id"].to_numpy(dtype=object)
    charged = enf.get("charged")  # the entities with a case, hashed once per dataset (enforcement)
    if charged is None:
        charged = pd.Index(
            pd.unique(enf["entity_cases"].entity_id.dropna().to_numpy(dtype=object)), dtype=object
        )
    return int((charged.get_indexer(up) >= 0).sum()), int(len(up))


# -- exports ------------------------------------------------------------------------------------
def graphml(nodes: pd.DataFrame, links: pd.DataFrame) -> bytes:
    """The network as GraphML (a multigraph: two entities may be tied by several relations); each
    entity carries its ring when the nodes do."""
    G = nx.MultiGraph()
    for r in nodes.itertuples(index=False):
        G.add_node(
            r.entity_id,
            name=str(r.name),
            kind=str(r.kind),
            province=str(r.province_adcode),
            city=str(r.city_adcode),
            lon=float(r.lon),
            lat=float(r.lat),
            hop=int(r.hop),
            **({"ring": int(r.ring), "ring_size": int(r.ring_size)} if hasattr(r, "ring") else {}),
        )
    for r in links.itertuples(index=False):
        G.add_edge(
            r.src_id,
            r.dst_id,
            relation=str(r.relation),
            evidence_count=int(r.evidence_count),
            first_seen=str(pd.Timestamp(r.first_seen).date()),
            last_seen=str(pd.Timestamp(r.last_seen).date()),
        )
    buf = io.BytesIO()
    nx.write_graphml(G, buf, encoding="utf-8")
    return buf.getvalue()


@dataclass(frozen=True)
class EgoQuery:
    """What the page asks for: one entity's network to `hops`, filtered, with the entities the user
    expanded, capped at `cap` shown. Frozen and small, so it keys the caches."""

    entity: str
    hops: int
    relations: tuple[str, ...]
    kinds: tuple[str, ...]
    stop_hubs: bool
    expanded: tuple[str, ...]
    cap: int


def ego_view(g: Graph, q: EgoQuery, rings: RingIndex | None = None) -> dict:
    """The ego network as the page shows it: nodes, links and what the cap hid; with `rings`,
    each entity's ring and its ring's size in the whole dataset (ring, ring_size columns).

    `full_*` hold the whole network (beyond the display cap) for the analysis tabs.
    """
    relations, kinds = q.relations or None, q.kinds or None
    stop_at = g.hubs() if q.stop_hubs else None
    e = network.ego(g, g.find(q.entity), q.hops, relations, kinds, stop_at, limit=ANALYSED)
    more = [i for i in g.lookup(list(q.expanded)) if i >= 0]
    e = with_expansions(g, e, more, relations, kinds, limit=ANALYSED)
    shown, hidden = network.cap(g, e, q.cap)

    def frame(part: Ego) -> pd.DataFrame:
        nodes = network.nodes_frame(g, part)
        return nodes if rings is None else nodes.assign(**ring_columns(rings, part.nodes))

    nodes, links = frame(shown), network.links_frame(g, shown.links)
    full = len(shown) == len(e)
    return {
        "nodes": nodes,
        "links": links,
        "full_nodes": nodes if full else frame(e),
        "full_links": links if full else network.links_frame(g, e.links),
        "total_links": len(e.links),
        "hidden": hidden,
        "left_out": len(e.left_out),  # reached but not gathered (ANALYSED): in `hidden`, not in full_*
        "cut_hop": e.cut_hop,
        "reached": len(e) + len(e.left_out),
        "reached_provinces": int(pd.Series(g.province[np.concatenate([e.nodes, e.left_out])]).nunique()),
    }


def analysis_view(view: dict, enforcement: dict[str, pd.DataFrame]) -> dict:
    """Key players (betweenness) and the provinces spanned, for one ego_view (its rings come with
    its nodes, from the dataset's rings table)."""
    nodes, links = view["full_nodes"], view["full_links"]
    return {
        "players": key_players(to_networkx(nodes, links), 10),
        "provinces": province_summary(nodes, enforcement),
    }


CASE_RECORD_COLUMNS = ("case_id", "clue_id", "opened_on", "province_adcode", "category", "suspects_caught",
                       "seizure_cny")  # fmt: skip


def entity_case_records(
    store, enforcement: dict[str, pd.DataFrame], entity_id: str, limit: int = 500
) -> tuple[pd.DataFrame, int]:
    """One entity's cases as records, largest seizure first (as every drill-down lists them), at
    most `limit`, and how many there are: their
    ids from `enforcement` (held in memory by the page), their rows fetched by id. Case ids run in
    day order like the case table's row groups, so the id filter reads only the groups holding them."""
    tied = enforcement["entity_cases"]
    ids = sorted(set(tied.case_id[tied.entity_id == entity_id]))
    if not ids:
        return pd.DataFrame(columns=list(CASE_RECORD_COLUMNS)), 0
    c = store.table("cases")
    c = c.filter(c.case_id.isin(ids)).select(*CASE_RECORD_COLUMNS)
    rows = store.run(c.order_by([c.seizure_cny.desc(), c.case_id]).limit(limit))
    return rows.reset_index(drop=True), len(ids)


def seller_cases(store, entity_id: str) -> pd.DataFrame:
    """One entity's cases straight from the tables (for a warehouse, where `enforcement` is not held
    in memory): those opened on a clue about it or with a suspect tied to it, newest first."""
    cl, su, ca = (store.table(n) for n in ("clues", "suspects", "cases"))
    clue_ids = cl.filter(cl.entity_id == entity_id).clue_id
    case_ids = su.filter(su.entity_id == entity_id).case_id
    c = ca.filter(ca.clue_id.isin(clue_ids) | ca.case_id.isin(case_ids))
    cols = ("case_id", "clue_id", "province_adcode", "opened_on", "suspects_caught", "seizure_cny")
    return store.run(c.select(*cols).order_by([c.opened_on.desc(), c.case_id])).reset_index(drop=True)
