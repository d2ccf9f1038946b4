"""The seller-network slide: one entity's ego network as a graph and on the map, masked.

The page (views/network.py) shows up to 250 entities; a projected slide shows fewer (SLIDE_CAP)
so labels and shapes stay readable, while the counts in the subtitle and notes cover the whole
network. Operators' names and personal ids are masked and places coarsened to the city before
any figure is drawn, so nothing personal reaches the figure JSON.
"""

from __future__ import annotations

from cloudsword import privacy
from cloudsword.deck.spec import Built, SlideProblem, checked, sized
from cloudsword.filters import Filters
from cloudsword.i18n import format_number, join, sentences, t
from cloudsword.network import analysis, graph, rings
from cloudsword.network import charts as cn
from cloudsword.network.params import NetworkParams, focus
from cloudsword.params import Query
from cloudsword.store import Store

SLIDE_CAP = 120


def slide(store: Store, f: Filters, query: Query, lang: str) -> Built:
    p = checked(NetworkParams.from_query(query))
    g = graph.graph_from_store(store)
    found = focus(p, g, store.run(store.table("clues").select("clue_id", "entity_id")))
    if found.problem is not None:  # a saved view of a seller (or clue) that is gone says so
        raise SlideProblem("deck.problem.entity" if p.entity else "deck.problem.clue", id=p.entity or p.clue)
    entity = found.entity
    ring_of = rings.ring_index(g, rings.from_store(store))
    data = analysis.ego_view(g, p.ego(entity, g, SLIDE_CAP), ring_of)
    nodes, links, full_nodes = data["nodes"], data["links"], data["full_nodes"]

    positions = cn.layout_positions(nodes, links)  # laid out before masking: same picture as the page
    shown = privacy.mask_nodes(nodes)
    masked_id = dict(zip(nodes.entity_id, shown.entity_id))
    shown_links = privacy.mask_links(links, nodes)
    positions = {masked_id[k]: v for k, v in positions.items()}
    masked_focus = masked_id[entity]
    picture = cn.graph_figure(
        shown, shown_links, lang, t("network.graph.title", lang), focus=masked_focus, positions=positions
    )
    where = cn.map_figure(shown, shown_links, lang, t("network.map.title", lang), boundaries=None)
    where.update_layout(map_zoom=where.layout.map.zoom - 0.4)  # half a slide is narrower than the page

    me = shown[shown.entity_id == masked_focus].iloc[0]
    n, n_links, n_prov = data["reached"], int(data["total_links"]), data["reached_provinces"]
    sub = t(
        "deck.sub.network",
        lang,
        n=format_number(n, lang),
        links=format_number(n_links, lang),
        p=n_prov,
        name=me["name"],
        hops=p.hops,
    )
    if len(nodes) < n:
        sub += " · " + t("deck.sub.network_cap", lang, shown=len(nodes))
    sub += " · " + t("deck.sub.masked", lang)

    enf = analysis.enforcement(store)
    prov = analysis.province_summary(full_nodes, enf)
    hit, total = analysis.hit_rate(full_nodes, enf)
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
    return Built(title, sub, sentences(notes, lang), sized([picture, where]))
