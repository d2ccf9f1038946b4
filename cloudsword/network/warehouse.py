"""Ego networks as a bounded-hop query, for an entity graph that lives in a warehouse.

The page cuts ego networks from the whole graph held in memory (graph.py). When the graph is a
warehouse's `entities` and `links` tables, too big for one machine's memory, the same network is
one Ibis query of at most `hops` joins that returns only the neighbourhood: each hop joins the
previous hop's entities to the links (both directions), keeps the relations and entity kinds
asked for, and drops entities already reached; shared hubs (graph.hub_mask's rule: a logistics or
payment entity of degree at least 50 and 20 times the median) are reached but not expanded. The
links returned are every link among the entities reached (the induced subgraph), as in memory.

`hubs(store)` reads every link once (degrees and their median): a warehouse keeps its result as a
table (the Spark job, cloudsword/warehouse.py, writes `graph_hubs`) and passes it in.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd

from cloudsword.schema import HUB_KINDS

HUB_MIN_DEGREE, HUB_MEDIAN_FACTOR = 50.0, 20.0
HUBS, HUBS_VERSION = "graph_hubs", "1"  # the warehouse job's product (cloudsword/warehouse.py)


def _links(store) -> ir.Table:
    """Links the in-memory graph keeps: two different ends, both known entities."""
    links, ents = store.table("links"), store.table("entities")
    return links.filter(
        links.src_id != links.dst_id, links.src_id.isin(ents.entity_id), links.dst_id.isin(ents.entity_id)
    )


def degrees(store) -> ir.Table:
    """entity_id, kind, degree (0 for an entity without links): links at either end."""
    lk = _links(store)
    ends = lk.select(entity_id=lk.src_id).union(lk.select(entity_id=lk.dst_id), distinct=False)
    per = ends.group_by("entity_id").aggregate(degree=ends.count())
    ents = store.table("entities").select("entity_id", "kind")
    j = ents.left_join(per, "entity_id")
    return j.select(ents.entity_id, ents.kind, degree=j.degree.fill_null(0))


def hubs(store) -> ir.Table:
    """entity_id of every hub (the in-memory rule, graph.hub_mask, as a query)."""
    d = degrees(store)
    limit = ibis.greatest(HUB_MIN_DEGREE, HUB_MEDIAN_FACTOR * d.degree.median().as_scalar())
    return d.filter(d.kind.isin(HUB_KINDS), d.degree >= limit).select("entity_id")


def hub_table(store) -> ir.Table:
    """The hubs to pass to `ego_query`: the warehouse job's `graph_hubs` when the store reads its
    products (cloudsword.shelf), else the rule computed over every link."""
    stored = store.product_table(HUBS, HUBS_VERSION)
    return stored.select("entity_id") if stored is not None else hubs(store)


def ego_query(
    store,
    seed: str,
    hops: int = 2,
    relations: tuple[str, ...] | None = None,
    kinds: tuple[str, ...] | None = None,
    hub_table: ir.Table | None = None,
) -> tuple[ir.Table, ir.Table]:
    """(nodes: entity_id, hop; links: src_id, dst_id, relation, evidence_count, first_seen,
    last_seen) of `seed`'s network to `hops`, as two Ibis expressions. `hub_table` (entity_id)
    marks the entities reached but not expanded; None expands every entity."""
    lk = _links(store)
    if relations:
        lk = lk.filter(lk.relation.isin(relations))
    both = lk.select(a=lk.src_id, b=lk.dst_id).union(lk.select(a=lk.dst_id, b=lk.src_id), distinct=False)
    ents = store.table("entities")
    allowed = ents.filter(ents.kind.isin(kinds)) if kinds else ents
    allowed = allowed.select(nbr=allowed.entity_id)
    level = ibis.memtable({"entity_id": [seed], "hop": [0]}).cast({"hop": "int64"})
    reached = level
    for hop in range(1, hops + 1):
        frontier = level
        if hub_table is not None and hop > 1:  # the seed is expanded even when it is a hub
            frontier = frontier.filter(~frontier.entity_id.isin(hub_table.entity_id))
        step = both.filter(both.a.isin(frontier.entity_id), both.b.isin(allowed.nbr))
        nxt = step.select(entity_id=step.b).distinct()
        nxt = nxt.filter(~nxt.entity_id.isin(reached.entity_id)).mutate(hop=ibis.literal(hop, "int64"))
        reached = reached.union(nxt, distinct=False)
        level = nxt
    inside = lk.filter(lk.src_id.isin(reached.entity_id), lk.dst_id.isin(reached.entity_id))
    cols = ("src_id", "dst_id", "relation", "evidence_count", "first_seen", "last_seen")
    return reached, inside.select(*cols)


def ego(
    store,
    seed: str,
    hops: int = 2,
    relations: tuple[str, ...] | None = None,
    kinds: tuple[str, ...] | None = None,
    hub_table: ir.Table | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`ego_query` run on the store's engine: (nodes, links) frames, sorted."""
    nodes, links = ego_query(store, seed, hops, relations, kinds, hub_table)
    n = store.run(nodes).sort_values(["hop", "entity_id"], kind="stable").reset_index(drop=True)
    k = store.run(links).sort_values(["src_id", "dst_id", "relation"], kind="stable").reset_index(drop=True)
    return n, k
