"""Seller network (/network): who is behind this shop, where are they, and what has enforcement
already hit? Search, the network as a graph and on the map (linked), analysis, clue package and
exports. The page's own parameters (cloudsword.network.params.NetworkParams) live in the URL."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cloudsword import export
from cloudsword.geo import PROVINCE_GEOJSON_URL
from cloudsword.i18n import format_date, format_money, format_number, join, md, t
from cloudsword.network import analysis, cluepack, graph, rings
from cloudsword.network import charts as cn
from cloudsword.network.graph import KINDS
from cloudsword.network.params import CAP, HOPS, TABS, Focus, NetworkParams, focus
from cloudsword.schema import RELATIONS
from components import url
from components.access import audited
from components.cache import network as cached
from components.context import view
from components.downloads import chart_downloads
from components.records import case_records

v = view()
store, lang, who = v.store, v.lang, v.principal
g = cached.graph(store)
enf = cached.enforcement(store)
ss = st.session_state
WIDGETS = {
    "hops": "network_hops",
    "relations": "network_rel",
    "kinds": "network_kinds",
    "stop_hubs": "network_hubs",
    "click": "network_click",
}
GRAPH_HEIGHT = 560  # px, as the map beside it: with its legend it ends above 900 px
SELECTION = ("network_selected", "network_last_click", "network_last_pick")


def open_entity(entity_id: str) -> None:
    """Show another seller's network: nothing expanded or selected yet."""
    url.update("network", entity=entity_id, clue=None, expanded=())
    for key in SELECTION:
        ss.pop(key, None)
    st.rerun()


def choose(matches: pd.DataFrame, key: str) -> None:
    """A list of entities to pick from; picking one opens its network."""
    labels = {
        r.entity_id: md(cn.entity_label(r, lang)) for r in matches.itertuples()
    }  # radio labels are markdown
    pick = st.radio(t("network.search.pick", lang), list(labels), format_func=labels.get, index=None, key=key)
    if pick and pick != url.current("network").entity:
        open_entity(pick)


def search() -> None:
    """Find a seller by id, name or pinyin. Each search replaces the last one's results."""
    url.hold("network_q", "network_pack_prov")
    query = st.text_input(
        t("network.search", lang), key="network_q", placeholder=t("network.search.hint", lang)
    )
    if not query:
        return
    if ss.get("network_found", (None,))[0] != query:
        found = analysis.search(g, cached.search_index(store), query)
        ss["network_found"] = (query, found)
        if found.status == "exact":
            if found.matches.entity_id.iloc[0] != url.current("network").entity:
                open_entity(found.matches.entity_id.iloc[0])
            return
    found = ss["network_found"][1]
    if found.status == "unknown_id":
        st.warning(md(t("network.search.unknown", lang, query=query)))
        choose(found.matches, "network_pick_unknown")
    elif found.status == "none":
        st.warning(md(t("network.search.none", lang, query=query)))
    elif found.status == "matches":
        st.info(md(t("network.search.many", lang, n=len(found.matches), query=query)))
        choose(found.matches, "network_pick_many")


def seller(p: NetworkParams) -> Focus:
    """The seller shown: named, the one a clue is about, or the example, saying which."""
    shown = focus(p, g, enf["clues"], cached.example(store))
    if shown.problem is not None:
        key, values = shown.problem
        st.warning(md(t(key, lang, **values)))
        if p.entity is not None:
            choose(analysis.search(g, cached.search_index(store), p.entity).matches, "network_pick_param")
    if shown.example:
        st.caption(md(t("network.example", lang, id=shown.entity)))
    return shown


def options(p: NetworkParams) -> NetworkParams:
    url.seed_all(p, WIDGETS)
    c1, c2, c3, c4, c5 = st.columns([1.15, 1.6, 1.6, 1.2, 2.2], vertical_alignment="bottom")
    c1.segmented_control(t("network.hops", lang), HOPS, key="network_hops", required=True)
    c2.multiselect(
        t("network.relations", lang),
        RELATIONS,
        key="network_rel",
        format_func=lambda r: cn.relation_label(r, lang),
        placeholder=t("network.all", lang),
    )
    c3.multiselect(
        t("network.kinds", lang),
        KINDS,
        key="network_kinds",
        format_func=lambda k: cn.kind_label(k, lang),
        placeholder=t("network.all", lang),
    )
    c4.toggle(t("network.stop_hubs", lang), key="network_hubs", help=t("network.stop_hubs.help", lang))
    c5.segmented_control(
        t("network.click", lang),
        ["expand", "focus"],
        key="network_click",
        required=True,
        format_func=lambda c: t(f"network.click.{c}", lang),
    )
    p = url.read_all(p, WIDGETS)
    url.keep("network", p)
    return p


def headline(entity: str, data: dict) -> None:
    nodes = data["nodes"]
    st.subheader(md(cn.entity_label(nodes[nodes.entity_id == entity].iloc[0], lang)))


def summary(data: dict) -> None:
    full_nodes = data["full_nodes"]
    hit, total = analysis.hit_rate(full_nodes, enf)
    m1, m2, m3, m4 = st.columns(4)
    cut = data["cut_hop"] > 0
    m1.metric(
        t("network.kpi.entities", lang),
        format_number(data["reached"], lang),
        help=t("network.cut.help", lang, hop=data["cut_hop"]) if cut else None,
        border=True,
    )
    m2.metric(t("network.kpi.links", lang), format_number(data["total_links"], lang), border=True)
    m3.metric(t("network.kpi.provinces", lang), format_number(data["reached_provinces"], lang), border=True)
    m4.metric(
        t("network.kpi.hit_rate", lang),
        f"{hit / total:.0%}" if total else "–",
        help=t("network.kpi.hit_rate.help", lang, hit=hit, total=total),
        border=True,
    )
    if len(full_nodes) == 1:
        st.info(t("network.isolated", lang))
    if cut:
        n, hop = format_number(len(full_nodes), lang), data["cut_hop"]
        st.info(t("network.cut", lang, n=n, hop=hop, reached=format_number(data["reached"], lang)))
    hidden = data["hidden"]
    if len(hidden):
        n_hidden = format_number(int(hidden["count"].sum()), lang)
        with st.expander(t("network.more", lang, n=n_hidden, cap=CAP), expanded=False):
            h = hidden.assign(
                kind=[cn.kind_label(k, lang) for k in hidden.kind],
                province_adcode=[cn.place(p, lang) for p in hidden.province_adcode],
            )
            names = {
                "kind": "network.col.kind",
                "province_adcode": "network.col.province",
                "count": "network.col.count",
            }
            st.dataframe(
                h.rename(columns={k: t(x, lang) for k, x in names.items()}), hide_index=True, height=240
            )


def shortest_path(p: NetworkParams, full_nodes: pd.DataFrame) -> tuple[list[int] | None, list[str]]:
    """The path chosen in its tab, computed before the graph so the figure does not change between
    reruns (a changed figure would drop the user's click selection)."""
    options = list(full_nodes.entity_id)
    url.seed("network_path_a", options[0], options)
    url.seed("network_path_b", options[min(len(options) - 1, 1)], options)
    a, b = g.find(ss["network_path_a"]), g.find(ss["network_path_b"])
    path = graph.shortest_path(g, a, b, p.relations or None, p.kinds or None)
    return path, options


def linked_views(p: NetworkParams, entity: str, data: dict, path: list[int] | None) -> None:
    """The graph and the map; a click selects an entity on both and expands or opens it."""
    nodes, links = data["nodes"], data["links"]
    selected = ss.get("network_selected") if ss.get("network_selected") in set(nodes.entity_id) else None
    path_ids = [str(g.ids[i]) for i in path] if path and len(path) > 1 else None
    players = list(cached.view_analysis(store, p.ego(entity, g))["players"].entity_id[:5])
    left, right = st.columns(2)
    with left:

        def graph_figure(height: int = 680) -> go.Figure:  # the page's shorter, the files' as before
            return cn.graph_figure(
                nodes, links, lang, t("network.graph.title", lang), focus=entity, selected=selected,
                path=path_ids, positions=data["positions"], players=players, height=height,
            )  # fmt: skip

        fig = graph_figure(GRAPH_HEIGHT)
        config = {"displaylogo": False, "toImageButtonOptions": {"filename": f"network-{entity}", "scale": 2}}
        event = st.plotly_chart(
            fig, key="network_graph", on_select="rerun", selection_mode="points", config=config
        )
        records = nodes if who.takes_records else None  # a presenter takes the picture, not the table
        chart_downloads(graph_figure, records, f"network-{entity}", "network_graph_dl", lang)
    with right:  # the same plotly map as the files (maplibre): deck.gl's first frame took ~5 s
        title = t("network.map.title", lang)  # to draw on a machine without a GPU

        def map_figure(boundaries: str | None = None) -> go.Figure:  # the page's served, files' embedded
            return cn.map_figure(
                nodes, links, lang, title, selected, boundaries=boundaries, height=GRAPH_HEIGHT
            )

        where = map_figure(PROVINCE_GEOJSON_URL)
        map_event = st.plotly_chart(
            where,
            key="network_map",
            on_select="rerun",
            selection_mode="points",
            config={"displaylogo": False},
        )
        chart_downloads(map_figure, records, f"network-{entity}-map", "network_map_dl", lang)
        st.caption(t("network.map.note", lang))
    clicked = cn.clicked_entities(fig, (event or {}).get("selection", {}).get("points", []))
    if clicked and clicked[0] != ss.get("network_last_click"):
        ss["network_last_click"] = ss["network_selected"] = clicked[0]
        if p.click == "focus" and clicked[0] != entity:
            open_entity(clicked[0])
        elif p.click == "expand" and clicked[0] != entity and clicked[0] not in p.expanded:
            url.update("network", expanded=(*p.expanded, clicked[0]))
        st.rerun()
    picked = cn.clicked_entities(where, (map_event or {}).get("selection", {}).get("points", []))
    if picked and picked[0] != ss.get("network_last_pick"):
        ss["network_last_pick"] = ss["network_selected"] = picked[0]
        st.rerun()
    if selected:
        row = nodes[nodes.entity_id == selected].iloc[0]
        s1, s2 = st.columns([4, 1])
        kind, province = cn.kind_label(row["kind"], lang), cn.place(row["province_adcode"], lang)
        s1.info(md(t("network.selected", lang, name=row["name"], id=selected, kind=kind, province=province)))
        if selected != entity and s2.button(t("network.make_focus", lang), key="network_focus_btn"):
            open_entity(selected)


def open_tab(p: NetworkParams) -> str:
    """The analysis tab shown: the one just clicked, else the page's (a new visit, a language
    switch: the tab's state holds its label, which changes with the language)."""
    labels = {k: t(f"network.tab.{k}", lang) for k in TABS}
    name = {v: k for k, v in labels.items()}.get(ss.get("network_tab"), p.tab)
    ss["network_tab"] = labels[name]
    if name != p.tab:
        url.keep("network", replace(p, tab=name))
    return name


def analysis_tabs(
    p: NetworkParams, entity: str, data: dict, path: list[int] | None, path_options: list[str]
) -> None:
    """Only the open tab is computed and sent: the others cost nothing until clicked."""
    full_nodes, full_links = data["full_nodes"], data["full_links"]
    name = open_tab(p)
    labels = [t(f"network.tab.{k}", lang) for k in TABS]
    tab = dict(zip(TABS, st.tabs(labels, key="network_tab", on_change="rerun")))[name]
    url.persist("network_path_a", "network_path_b", "network_pack_prov")
    with tab:
        if name == "rings":
            rings_tab(full_nodes)
        elif name == "players":
            players_tab(p, entity, full_nodes)
        elif name == "path":
            path_tab(path, path_options, full_nodes)
        elif name == "provinces":
            provinces_tab(p, entity)
        elif name == "cases":
            cases_tab(entity)
        elif name == "timeline":
            timeline_tab(entity, full_links)
        elif name == "package":
            package_tab(entity, full_nodes, full_links)
        else:
            export_tab(entity, data)


def players_tab(p: NetworkParams, entity: str, full_nodes: pd.DataFrame) -> None:
    st.markdown(t("network.players.explain", lang), help=t("network.players.method", lang))
    found = cached.view_analysis(store, p.ego(entity, g))["players"]
    players = found.merge(full_nodes[["entity_id", "name", "kind"]], on="entity_id")
    players = players.assign(
        kind=[cn.kind_label(k, lang) for k in players.kind], betweenness=players.betweenness.round(3)
    )
    st.dataframe(
        players.rename(columns={k: t(f"network.col.{k}", lang) for k in players.columns}), hide_index=True
    )


def provinces_tab(p: NetworkParams, entity: str) -> None:
    prov = cached.view_analysis(store, p.ego(entity, g))["provinces"]
    shown = prov.assign(
        province_adcode=[cn.place(a, lang) for a in prov.province_adcode],
        seizure=[format_money(x, lang) for x in prov.seizure],
    )
    st.dataframe(
        shown.rename(columns={k: t(f"network.col.{k}", lang) for k in shown.columns}), hide_index=True
    )
    st.caption(t("network.provinces.note", lang))


def cases_tab(entity: str) -> None:
    if not who.takes_records:
        st.info(t("records.not_for_role", lang))
        return
    st.caption(t("network.cases.explain", lang))
    rows, total = cached.seller_cases(store, entity)
    case_records(rows, total, f"network-{entity}-cases", "network_cases", lang, who, with_province=True)


def rings_tab(full_nodes: pd.DataFrame) -> None:
    """The rings this view holds, from the dataset's rings table, and how much of each lies
    outside the view."""
    found = rings.view_rings(full_nodes)
    none = int((full_nodes.ring == 0).sum())
    st.markdown(
        t("network.rings.summary", lang, n=len(found), none=format_number(none, lang)),
        help=t("network.rings.method", lang),
    )
    cut = found[found.outside > 0].sort_values("outside", ascending=False, kind="stable")
    for r in cut.head(3).itertuples():
        ring, share = t("network.ring.label", lang, n=int(r.ring)), f"{r.share_outside:.0%}"
        cut_text = t("network.rings.cut", lang, ring=ring, outside=r.outside, size=r.size, share=share)
        st.markdown("- " + cut_text)
    if len(cut) > 3:
        st.caption(t("network.rings.more_cut", lang, n=len(cut) - 3))
    elif len(found) and cut.empty:
        st.caption(t("network.rings.whole", lang))
    st.dataframe(cn.ring_table(full_nodes, lang), hide_index=True)


def path_tab(path: list[int] | None, options: list[str], full_nodes: pd.DataFrame) -> None:
    names = dict(zip(full_nodes.entity_id, full_nodes.name))
    p1, p2 = st.columns(2)
    label = lambda i: f"{names[i]} · {i}"
    p1.selectbox(t("network.path.from", lang), options, format_func=label, key="network_path_a")
    p2.selectbox(t("network.path.to", lang), options, format_func=label, key="network_path_b")
    if path is None:
        st.warning(t("network.path.none", lang))
        return
    st.markdown(t("network.path.found", lang, n=len(path) - 1))
    st.markdown(
        md(" → ".join(f"{g.names[i]} ({g.ids[i]}, {cn.kind_label(KINDS[g.kind[i]], lang)})" for i in path))
    )
    st.caption(t("network.path.note", lang))


def timeline_tab(entity: str, full_links: pd.DataFrame) -> None:
    if not len(full_links):
        st.info(t("network.isolated", lang))
        return
    timeline = cn.timeline_figure(full_links, lang)
    st.plotly_chart(timeline, key="network_timeline", config={"displaylogo": False})
    records = full_links if who.takes_records else None
    chart_downloads(timeline, records, f"network-{entity}-timeline", "network_timeline_dl", lang)
    lo, hi = pd.to_datetime(full_links.first_seen).min(), pd.to_datetime(full_links.last_seen).max()
    st.caption(
        t("network.timeline.span", lang, start=format_date(lo.date(), lang), end=format_date(hi.date(), lang))
    )


def package_tab(entity: str, full_nodes: pd.DataFrame, full_links: pd.DataFrame) -> None:
    if not who.takes_records:
        st.info(t("access.no_records", lang))
        return
    provinces = list(full_nodes.province_adcode.value_counts().index)
    pick = st.selectbox(
        t("network.package.province", lang),
        provinces,
        format_func=lambda a: cn.place(a, lang),
        key="network_pack_prov",
    )

    def zipped() -> bytes:  # built only when the button is clicked
        m = store.manifest
        return cluepack.clue_package(pick, entity, full_nodes, full_links, enf, lang, m.as_of, m.synthetic)

    name = export.file_name(f"clue-package-{entity}-{pick}", "zip")
    st.download_button(
        t("network.package.download", lang),
        audited(zipped, name, "clue package"),
        file_name=name,
        mime="application/zip",
        key="network_pack_dl",
        on_click="ignore",
    )
    st.caption(t("network.package.note", lang))


def export_tab(entity: str, data: dict) -> None:
    full_nodes, full_links = data["full_nodes"], data["full_links"]
    if not who.takes_records:
        st.info(t("access.no_records", lang))
        return
    files = (
        ("nodes", lambda: export.csv_bytes(full_nodes), "csv", "text/csv"),
        ("links", lambda: export.csv_bytes(full_links), "csv", "text/csv"),
        ("graphml", lambda: analysis.graphml(full_nodes, full_links), "graphml", "application/xml"),
    )
    for col, (name, build, ext, mime) in zip(st.columns(3), files):
        suffix = "" if name == "graphml" else f"-{name}"
        file_name = export.file_name(f"network-{entity}{suffix}", ext)
        col.download_button(
            t(f"network.export.{name}", lang),
            audited(build, file_name),
            file_name=file_name,
            mime=mime,
            key=f"network_dl_{name}",
            on_click="ignore",
        )
    st.caption(t("network.export.note", lang))


st.header(t("network.title", lang))
st.caption(t("network.caption", lang))
if who.restricted:
    st.caption(t("access.officer_note", lang))
elif who.masked:
    st.caption(t("access.masked_note", lang))
find, chosen = st.columns([3, 2], vertical_alignment="bottom")  # the search and who is shown, one row
with find:
    search()
params, unknown = url.page_params("network", NetworkParams.from_query).known_to(g)
for name, value in unknown:
    st.warning(md(t("filters.url_problem", lang, param=name, value=value)))
url.keep("network", params)
with chosen:
    entity = seller(params).entity
views_area, options_area = st.container(), st.container()  # the graph first, its options under it
with options_area:
    params = options(params)
shown = cached.view(store, params.ego(entity, g))
path, path_options = shortest_path(params, shown["full_nodes"])
with views_area:
    if params.expanded:
        found = {i: g.find(i) for i in params.expanded}
        named = [
            t("network.entity_named", lang, name=g.names[x], id=i) for i, x in found.items() if x is not None
        ]
        st.caption(md(t("network.expanded", lang, ids=join(named, lang))))
    headline(entity, shown)
    linked_views(params, entity, shown, path)
with options_area:
    summary(shown)
analysis_tabs(params, entity, shown, path, path_options)
