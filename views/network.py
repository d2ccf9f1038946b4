"""Seller network (/network): who is behind this shop, where are they, and what has enforcement
already hit? Search, the ego network as a graph and on the map (linked), analysis, clue package,
exports. Page params: entity, hops, rel, kinds, hubs, expand, click."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from cloudsword.geo import PROVINCE_GEOJSON_URL
from cloudsword.i18n import format_date, format_money, format_number, t
from cloudsword.network import analysis as network_analysis
from cloudsword.network import charts as cn
from cloudsword.network import cluepack
from cloudsword.network import graph as network
from cloudsword.network.analysis import EgoQuery
from cloudsword.schema import RELATIONS
from components import cache
from components.context import view
from components.downloads import chart_downloads
from components.params import page_param, set_page_param

CAP = 250
v = view()
lang, version = v.lang, v.version
SEP = "、" if lang == "zh" else ", "
g = cache.network_graph(version)


def warn_param(name: str, value: str) -> None:
    st.warning(t("filters.url_problem", lang, param=name, value=value))


def list_param(name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    raw = page_param(name)
    if not raw:
        return ()
    items = tuple(x for x in raw.split(",") if x)
    if any(x not in allowed for x in items):
        warn_param(name, raw)
        set_page_param(name, None)
        return ()
    return items


def choose(matches: pd.DataFrame, key: str) -> None:
    """A list of entities to pick from; picking one opens its network."""
    labels = {
        r.entity_id: f"{r.name} · {r.entity_id} · {cn.kind_label(r.kind, lang)} · "
        f"{cn.place(r.province_adcode, lang, short=True)}"
        for r in matches.itertuples()
    }
    pick = st.radio(t("network.search.pick", lang), list(labels), format_func=labels.get, index=None, key=key)
    if pick and pick != page_param("entity"):
        open_entity(pick)


def open_entity(entity_id: str) -> None:
    set_page_param("entity", entity_id)
    set_page_param("expand", None)
    for key in ("network_selected", "network_last_click", "network_last_pick"):
        st.session_state.pop(key, None)
    st.rerun()


st.header(t("network.title", lang))
st.caption(t("network.caption", lang))

# -- find a seller ---------------------------------------------------------------------------------
query = st.text_input(t("network.search", lang), key="network_q", placeholder=t("network.search.hint", lang))
if query and query != st.session_state.get("network_q_done"):
    st.session_state["network_q_done"] = query
    found = network_analysis.search(g, cache.network_search_index(version), query)
    if found.status == "exact" and found.matches.entity_id.iloc[0] != page_param("entity"):
        open_entity(found.matches.entity_id.iloc[0])
    st.session_state["network_found"] = found
found = st.session_state.get("network_found") if query else None
if found is not None and found.status == "unknown_id":
    st.warning(t("network.search.unknown", lang, query=query))
    choose(found.matches, "network_pick_unknown")
elif found is not None and found.status == "none":
    st.warning(t("network.search.none", lang, query=query))
elif found is not None and found.status == "matches":
    st.info(t("network.search.many", lang, n=len(found.matches), query=query))
    choose(found.matches, "network_pick_many")

entity = page_param("entity")
clue = page_param("clue")
if entity is None and clue:  # arriving from a clue: open the network of the entity it is about
    clues = cache.network_enforcement(version)["clues"]
    about = clues.loc[clues.clue_id == clue, "entity_id"]
    if len(about):
        entity = str(about.iloc[0])
    else:
        st.warning(t("network.clue.unknown", lang, clue=clue))
if entity is not None and g.find(entity) is None:
    st.warning(t("network.search.unknown", lang, query=entity))
    choose(
        network_analysis.search(g, cache.network_search_index(version), entity).matches, "network_pick_param"
    )
    entity = None
if entity is None:
    enf = cache.network_enforcement(version)
    example = enf["clues"].merge(
        pd.DataFrame({"entity_id": g.ids, "kind": np.asarray(network.KINDS)[g.kind]})
    )
    example = example[example.kind == "shop"].entity_id.value_counts()
    entity = str(example.index[0]) if len(example) else str(g.ids[0])
    st.caption(t("network.example", lang, id=entity))

# -- what to show -------------------------------------------------------------------------------------
raw_hops = page_param("hops", "2")
hops = int(raw_hops) if raw_hops in ("1", "2", "3") else None
if hops is None:
    warn_param("hops", raw_hops)
    hops = 2
relations, kinds = list_param("rel", RELATIONS), list_param("kinds", network.KINDS)
stop_hubs = page_param("hubs", "stop") != "expand"
expanded = tuple(x for x in (page_param("expand") or "").split(",") if x and g.find(x) is not None)
click = page_param("click", "expand") if page_param("click", "expand") in ("expand", "focus") else "expand"

c1, c2, c3, c4 = st.columns([1, 2, 2, 1])
new_hops = c1.segmented_control(t("network.hops", lang), [1, 2, 3], default=hops, key="network_hops")
new_rel = c2.multiselect(
    t("network.relations", lang),
    RELATIONS,
    default=list(relations),
    format_func=lambda r: cn.relation_label(r, lang),
    placeholder=t("network.all", lang),
)
new_kinds = c3.multiselect(
    t("network.kinds", lang),
    network.KINDS,
    default=list(kinds),
    format_func=lambda k: cn.kind_label(k, lang),
    placeholder=t("network.all", lang),
)
new_stop = c4.toggle(t("network.stop_hubs", lang), value=stop_hubs, help=t("network.stop_hubs.help", lang))
new_click = st.segmented_control(
    t("network.click", lang),
    ["expand", "focus"],
    default=click,
    format_func=lambda c: t(f"network.click.{c}", lang),
    key="network_click",
)
if new_hops and new_hops != hops:
    set_page_param("hops", None if new_hops == 2 else new_hops)
    hops = new_hops
if tuple(new_rel) != relations:
    set_page_param("rel", ",".join(new_rel) or None)
    relations = tuple(new_rel)
if tuple(new_kinds) != kinds:
    set_page_param("kinds", ",".join(new_kinds) or None)
    kinds = tuple(new_kinds)
if new_stop != stop_hubs:
    set_page_param("hubs", None if new_stop else "expand")
    stop_hubs = new_stop
if new_click and new_click != click:
    set_page_param("click", None if new_click == "expand" else new_click)
    click = new_click

if relations and len(relations) == len(RELATIONS):
    relations = ()
query = EgoQuery(entity, hops, relations, kinds, stop_hubs, expanded, CAP)
data = cache.network_view(version, query)
nodes, links, full_nodes, full_links = data["nodes"], data["links"], data["full_nodes"], data["full_links"]
enf = cache.network_enforcement(version)
me = nodes[nodes.entity_id == entity].iloc[0]
selected = st.session_state.get("network_selected")
if selected not in set(nodes.entity_id):
    selected = None

st.subheader(
    f"{me['name']} · {entity} · {cn.kind_label(me['kind'], lang)} · "
    f"{cn.place(me['province_adcode'], lang, short=True)}"
)
hit, total = network_analysis.hit_rate(full_nodes, enf)
m1, m2, m3, m4 = st.columns(4)
m1.metric(t("network.kpi.entities", lang), format_number(len(full_nodes), lang), border=True)
m2.metric(t("network.kpi.links", lang), format_number(data["total_links"], lang), border=True)
m3.metric(
    t("network.kpi.provinces", lang), format_number(full_nodes.province_adcode.nunique(), lang), border=True
)
m4.metric(
    t("network.kpi.hit_rate", lang),
    f"{hit / total:.0%}" if total else "–",
    help=t("network.kpi.hit_rate.help", lang, hit=hit, total=total),
    border=True,
)
if len(full_nodes) == 1:
    st.info(t("network.isolated", lang))
if expanded:
    st.caption(t("network.expanded", lang, ids=", ".join(expanded)))
hidden = data["hidden"]
if len(hidden):
    n_hidden = int(hidden["count"].sum())
    with st.expander(t("network.more", lang, n=format_number(n_hidden, lang), cap=CAP), expanded=False):
        h = hidden.assign(
            kind=[cn.kind_label(k, lang) for k in hidden.kind],
            province_adcode=[cn.place(p, lang, short=True) for p in hidden.province_adcode],
        ).rename(
            columns={
                "kind": t("network.col.kind", lang),
                "province_adcode": t("network.col.province", lang),
                "count": t("network.col.count", lang),
            }
        )
        st.dataframe(h, hide_index=True, height=240)

# -- two linked views ---------------------------------------------------------------------------------
# the shortest path (chosen in its tab below) is drawn on the graph: computed before the graph so the
# figure does not change between reruns (a changed figure would drop the user's click selection)
path_options = list(full_nodes.entity_id)
path_a = st.session_state.get("network_path_a")
path_a = path_a if path_a in path_options else path_options[0]
path_b = st.session_state.get("network_path_b")
path_b = path_b if path_b in path_options else path_options[min(len(path_options) - 1, 1)]
path = network.shortest_path(g, g.find(path_a), g.find(path_b), relations or None, kinds or None)
path_ids = [str(g.ids[i]) for i in path] if path and len(path) > 1 else None
fmt = (
    st.segmented_control(t("network.image_format", lang), ["png", "svg"], default="png", key="network_fmt")
    or "png"
)
left, right = st.columns([1, 1])
with left:
    fig = cn.graph_figure(
        nodes,
        links,
        lang,
        t("network.graph.title", lang),
        focus=entity,
        selected=selected,
        path=path_ids,
        positions=data["positions"],
    )
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {"format": fmt, "filename": f"network-{entity}", "scale": 2},
    }
    event = st.plotly_chart(
        fig, key="network_graph", on_select="rerun", selection_mode="points", config=config
    )
    chart_downloads(fig, nodes, f"network-{entity}", "network_graph_dl", lang)
with right:
    st.markdown(f"**{t('network.map.title', lang)}**")
    deck_event = st.pydeck_chart(
        cn.map_deck(nodes, links, lang, selected),
        key="network_map",
        on_select="rerun",
        selection_mode="single-object",
        height=560,
    )
    st.caption(t("network.map.note", lang))

clicked = None
points = (event or {}).get("selection", {}).get("points", []) if event else []
ids = []
for p in points:  # the clicked entity: the trace's customdata at the point's index
    tr = fig.data[p["curve_number"]] if p.get("curve_number", -1) < len(fig.data) else None
    ix = p.get("point_index", p.get("point_number"))
    if tr is not None and tr.customdata is not None and ix is not None and ix < len(tr.customdata):
        ids.append(str(tr.customdata[ix]))
if ids and ids[0] != st.session_state.get("network_last_click"):
    clicked = ids[0]
    st.session_state["network_last_click"] = clicked
    st.session_state["network_selected"] = clicked
    if click == "focus" and clicked != entity:
        open_entity(clicked)
    elif click == "expand" and clicked != entity and clicked not in expanded:
        set_page_param("expand", ",".join((*expanded, clicked)))
    st.rerun()
objs = ((deck_event or {}).get("selection", {}) or {}).get("objects", {}) or {}
picked = [o.get("entity_id") for o in objs.get("entities", []) if o.get("entity_id")]
if picked and picked[0] != st.session_state.get("network_last_pick"):
    st.session_state["network_last_pick"] = picked[0]
    st.session_state["network_selected"] = picked[0]
    st.rerun()
if selected:
    row = nodes[nodes.entity_id == selected].iloc[0]
    s1, s2 = st.columns([4, 1])
    s1.info(
        t(
            "network.selected",
            lang,
            name=row["name"],
            id=selected,
            kind=cn.kind_label(row["kind"], lang),
            province=cn.place(row["province_adcode"], lang, short=True),
        )
    )
    if selected != entity and s2.button(t("network.make_focus", lang), key="network_focus_btn"):
        open_entity(selected)

# -- analysis ---------------------------------------------------------------------------------------
tabs = st.tabs(
    [
        t(f"network.tab.{k}", lang)
        for k in ("rings", "players", "path", "provinces", "timeline", "package", "export")
    ]
)
analysis = cache.network_analysis_view(version, query)
with tabs[0]:
    rings = analysis["rings"]
    rings = rings.merge(full_nodes[["entity_id", "name", "kind", "province_adcode"]], on="entity_id")
    n_rings = rings.loc[rings.ring > 0, "ring"].nunique()
    st.markdown(t("network.rings.summary", lang, n=n_rings, hubs=int((rings.ring == 0).sum())))
    by_ring = (
        rings[rings.ring > 0]
        .groupby("ring")
        .agg(
            entities=("entity_id", "size"),
            provinces=(
                "province_adcode",
                lambda s: SEP.join(sorted({cn.place(p, lang, short=True) for p in s})),
            ),
            members=("name", lambda s: SEP.join(list(s)[:6]) + ("…" if len(s) > 6 else "")),
        )
        .reset_index()
    )
    st.dataframe(
        by_ring.rename(columns={k: t(f"network.col.{k}", lang) for k in by_ring.columns}), hide_index=True
    )
with tabs[1]:
    st.markdown(t("network.players.explain", lang))
    players = analysis["players"].merge(full_nodes[["entity_id", "name", "kind"]], on="entity_id")
    players["kind"] = [cn.kind_label(k, lang) for k in players.kind]
    players["betweenness"] = players.betweenness.round(3)
    st.dataframe(
        players.rename(columns={k: t(f"network.col.{k}", lang) for k in players.columns}), hide_index=True
    )
with tabs[2]:
    names = dict(zip(full_nodes.entity_id, full_nodes.name))
    options = path_options
    p1, p2 = st.columns(2)
    a = p1.selectbox(
        t("network.path.from", lang),
        options,
        index=0,
        format_func=lambda i: f"{names[i]} · {i}",
        key="network_path_a",
    )
    b = p2.selectbox(
        t("network.path.to", lang),
        options,
        index=min(len(options) - 1, 1),
        format_func=lambda i: f"{names[i]} · {i}",
        key="network_path_b",
    )
    if path is None:
        st.warning(t("network.path.none", lang))
    else:
        st.markdown(t("network.path.found", lang, n=len(path) - 1))
        st.markdown(
            " → ".join(
                f"{g.names[i]} ({g.ids[i]}, {cn.kind_label(network.KINDS[g.kind[i]], lang)})" for i in path
            )
        )
        st.caption(t("network.path.note", lang))
with tabs[3]:
    prov = analysis["provinces"]
    shown = prov.assign(
        province_adcode=[cn.place(p, lang) for p in prov.province_adcode],
        seizure=[format_money(x, lang) for x in prov.seizure],
    )
    st.dataframe(
        shown.rename(columns={k: t(f"network.col.{k}", lang) for k in shown.columns}), hide_index=True
    )
    st.caption(t("network.provinces.note", lang))
with tabs[4]:
    if len(full_links):
        timeline = cn.timeline_figure(full_links, lang)
        st.plotly_chart(timeline, key="network_timeline", config=config)
        chart_downloads(timeline, full_links, f"network-{entity}-timeline", "network_timeline_dl", lang)
        lo, hi = pd.to_datetime(full_links.first_seen).min(), pd.to_datetime(full_links.last_seen).max()
        st.caption(
            t(
                "network.timeline.span",
                lang,
                start=format_date(lo.date(), lang),
                end=format_date(hi.date(), lang),
            )
        )
    else:
        st.info(t("network.isolated", lang))
with tabs[5]:
    provs = list(full_nodes.province_adcode.value_counts().index)
    pick = st.selectbox(
        t("network.package.province", lang),
        provs,
        format_func=lambda p: cn.place(p, lang),
        key="network_pack_prov",
    )

    def zbytes(pick: str = pick) -> bytes:  # built only when the button is clicked
        m = v.store.manifest
        return cluepack.clue_package(pick, entity, full_nodes, full_links, enf, lang, m.as_of, m.synthetic)

    st.download_button(
        t("network.package.download", lang),
        zbytes,
        file_name=f"clue-package-{entity}-{pick}.zip",
        mime="application/zip",
        key="network_pack_dl",
    )
    st.caption(t("network.package.note", lang))
with tabs[6]:
    e1, e2, e3 = st.columns(3)
    with st.expander(t("network.map.export", lang)):
        static_map = cn.map_figure(
            nodes, links, lang, t("network.map.title", lang), selected, boundaries=PROVINCE_GEOJSON_URL
        )
        st.plotly_chart(
            static_map,
            key="network_map_static",
            config={
                "displaylogo": False,
                "toImageButtonOptions": {"format": fmt, "filename": f"network-map-{entity}", "scale": 2},
            },
        )
        chart_downloads(
            lambda: cn.map_figure(nodes, links, lang, t("network.map.title", lang), selected),
            nodes,
            f"network-{entity}-map",
            "network_map_dl",
            lang,
        )
    e1.download_button(
        t("network.export.nodes", lang),
        lambda: full_nodes.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"network-{entity}-nodes.csv",
        mime="text/csv",
        key="network_dl_nodes",
    )
    e2.download_button(
        t("network.export.links", lang),
        lambda: full_links.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"network-{entity}-links.csv",
        mime="text/csv",
        key="network_dl_links",
    )
    e3.download_button(
        t("network.export.graphml", lang),
        lambda: network_analysis.graphml(full_nodes, full_links),
        file_name=f"network-{entity}.graphml",
        mime="application/xml",
        key="network_dl_graphml",
    )
    st.caption(t("network.export.note", lang))
