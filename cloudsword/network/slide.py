"""The seller-network slide: one entity's ego network as a graph and on the map, masked.

The page (views/network.py) shows up to 250 entities; a projected slide shows fewer (SLIDE_CAP)
so labels and shapes stay readable, while the counts in the subtitle and notes cover the whole
network. Operators' names and personal ids are masked and places coarsened to the city before
any figure is drawn, so nothing personal reaches the figure JSON.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cloudsword import privacy
from cloudsword.deck.spec import Built, SlideProblem, choice, sized
from cloudsword.filters import Filters
from cloudsword.i18n import format_number, join, t
from cloudsword.network import analysis as network_analysis
from cloudsword.network import charts as cn
from cloudsword.network import graph as network
from cloudsword.network.analysis import EgoQuery
from cloudsword.schema import RELATIONS
from cloudsword.store import Store

SLIDE_CAP = 120


def _list(params: dict[str, str], name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    items = tuple(x for x in (params.get(name) or "").split(",") if x)
    if any(x not in allowed for x in items):
        raise SlideProblem("deck.problem.param", param=name, value=params[name])
    return () if set(items) == set(allowed) else items


def example_entity(store: Store, g: network.Graph) -> str:
    """The page's example when no entity is named: the shop with the most clues."""
    clues = store.run(store.table("clues").select("entity_id"))
    kinds = pd.Series(np.asarray(network.KINDS, dtype=object)[g.kind], index=g.ids)
    counts = clues.entity_id[clues.entity_id.map(kinds).eq("shop")].value_counts()
    return str(counts.index[0]) if len(counts) else str(g.ids[0])


def network_page(store: Store, f: Filters, params: dict[str, str], lang: str) -> Built:
    g = network.graph_from_store(store)
    entity, clue = params.get("entity") or None, params.get("clue") or None
    if entity is None and clue:  # a view that arrived from a clue: the entity it is about
        cl = store.table("clues")
        about = store.run(cl.filter(cl.clue_id == clue).select("entity_id"))
        if about.empty:
            raise SlideProblem("deck.problem.clue", id=clue)
        entity = str(about.entity_id.iloc[0])
    entity = entity or example_entity(store, g)
    if g.find(entity) is None:
        raise SlideProblem("deck.problem.entity", id=entity)
    hops = choice(params, "hops", (1, 2, 3), 2)
    relations, kinds = _list(params, "rel", RELATIONS), _list(params, "kinds", network.KINDS)
    stop_hubs = choice(params, "hubs", ("stop", "expand"), "stop") == "stop"
    expanded = tuple(x for x in (params.get("expand") or "").split(",") if x and g.find(x) is not None)
    data = network_analysis.ego_view(
        g, EgoQuery(entity, hops, relations, kinds, stop_hubs, expanded, SLIDE_CAP)
    )
    nodes, links, full_nodes = data["nodes"], data["links"], data["full_nodes"]

    positions = cn.layout_positions(nodes, links)  # laid out before masking: same picture as the page
    shown = privacy.mask_nodes(nodes)
    masked_id = dict(zip(nodes.entity_id, shown.entity_id))
    shown_links = privacy.mask_links(links, nodes)
    positions = {masked_id[k]: v for k, v in positions.items()}
    focus = masked_id[entity]
    graph = cn.graph_figure(
        shown, shown_links, lang, t("network.graph.title", lang), focus=focus, positions=positions
    )
    where = cn.map_figure(shown, shown_links, lang, t("network.map.title", lang), boundaries=None)
    where.update_layout(map_zoom=where.layout.map.zoom - 0.4)  # half a slide is narrower than the page

    me = shown[shown.entity_id == focus].iloc[0]
    n, n_links, n_prov = len(full_nodes), int(data["total_links"]), int(full_nodes.province_adcode.nunique())
    sub = t(
        "deck.sub.network",
        lang,
        n=format_number(n, lang),
        links=format_number(n_links, lang),
        p=n_prov,
        name=me["name"],
        hops=hops,
    )
    if len(nodes) < n:
        sub += " · " + t("deck.sub.network_cap", lang, shown=len(nodes))
    sub += " · " + t("deck.sub.masked", lang)

    enf = network_analysis.enforcement(store)
    prov = network_analysis.province_summary(full_nodes, enf)
    hit, total = network_analysis.hit_rate(full_nodes, enf)
    cases = enf["entity_cases"][enf["entity_cases"].entity_id.isin(set(full_nodes.entity_id))]
    notes = [
        t(
            "deck.notes.network",
            lang,
            name=me["name"],
            kind=cn.kind_label(me["kind"], lang),
            province=cn.place(me["province_adcode"], lang),
            n=format_number(n, lang),
            links=format_number(n_links, lang),
            p=n_prov,
            provinces=join((cn.place(a, lang) for a in prov.province_adcode), lang),
            clues=format_number(int(prov.clues.sum()), lang),
            cases=format_number(cases.case_id.nunique(), lang),
            suspects=format_number(int(prov.suspects.sum()), lang),
        )
    ]
    if total:
        notes.append(t("deck.notes.network_hits", lang, total=total, hit=hit))
    notes.append(t("deck.notes.masked", lang))
    title = t("deck.title.network", lang, name=me["name"])
    return Built(title, sub, ("" if lang == "zh" else " ").join(notes), sized([graph, where]))
