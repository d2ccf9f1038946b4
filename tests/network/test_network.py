"""Seller network core: extraction, filters, caps, paths (property test against networkx), hit
rate, search, clue package, exports (rings: test_rings.py)."""

from __future__ import annotations

import io
import zipfile

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cloudsword.network import analysis as network_analysis
from cloudsword.network import charts as charts_network
from cloudsword.network import cluepack
from cloudsword.network import graph as network
from cloudsword.schema import RELATIONS
from cloudsword.store import DEFAULT_DATA_DIR, Store


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def g(store: Store) -> network.Graph:
    return network.graph_from_store(store)


@pytest.fixture(scope="module")
def enf(store: Store) -> dict:
    return network_analysis.enforcement(store)


@pytest.fixture(scope="module")
def nxg(g: network.Graph) -> nx.Graph:
    G = nx.Graph()
    G.add_nodes_from(range(g.n))
    G.add_edges_from(zip(g.src.tolist(), g.dst.tolist()))
    return G


def _toy(
    edges: list[tuple[int, int]], n: int, relations: list[str] | None = None, kinds=None
) -> network.Graph:
    entities = pd.DataFrame(
        {
            "entity_id": [f"E{i:04d}" for i in range(n)],
            "kind": kinds or ["shop"] * n,
            "name": [f"n{i}" for i in range(n)],
            "province_adcode": ["330000"] * n,
            "city_adcode": ["330100"] * n,
            "lon": [120.0] * n,
            "lat": [30.0] * n,
        }
    )
    links = pd.DataFrame(
        {
            "src_id": [f"E{a:04d}" for a, _ in edges],
            "dst_id": [f"E{b:04d}" for _, b in edges],
            "relation": relations or ["supplies"] * len(edges),
            "first_seen": ["2015-01-01"] * len(edges),
            "last_seen": ["2016-01-01"] * len(edges),
            "evidence_count": [1] * len(edges),
        }
    )
    return network.build_graph(entities, links)


# -- extraction ------------------------------------------------------------------------------------
def test_csr_is_compact_and_complete(g: network.Graph) -> None:
    assert g.n == 10_000 and g.m > 30_000
    assert len(g.nbr) == 2 * g.m and g.indptr[-1] == 2 * g.m
    assert g.nbr.dtype == np.int32 and g.kind.dtype == np.int8
    assert int(g.out_degree.sum()) == g.m  # every link owned by exactly one end


def test_ego_matches_networkx_ego_graph(g: network.Graph, nxg: nx.Graph) -> None:
    rng = np.random.default_rng(3)
    for seed in list(rng.integers(0, g.n, 25)) + list(np.argsort(-g.degree)[:3]):
        for hops in (1, 2, 3):
            e = network.ego(g, int(seed), hops)
            ref = nx.ego_graph(nxg, int(seed), hops)
            assert set(e.nodes.tolist()) == set(ref)
            dist = nx.single_source_shortest_path_length(nxg, int(seed), cutoff=hops)
            assert all(dist[n] == h for n, h in zip(e.nodes.tolist(), e.hop.tolist()))
            pairs = {tuple(sorted(p)) for p in zip(g.src[e.links].tolist(), g.dst[e.links].tolist())}
            assert pairs == {tuple(sorted(p)) for p in ref.edges()}


def test_relation_and_kind_filters() -> None:
    # 0 -supplies- 1 -operates- 2 ; 0 -supplies- 3(factory) -supplies- 4
    kinds = ["shop", "shop", "shop", "factory", "shop"]
    g = _toy([(0, 1), (1, 2), (0, 3), (3, 4)], 5, ["supplies", "operates", "supplies", "supplies"], kinds)
    assert set(network.ego(g, 0, 2).nodes.tolist()) == {0, 1, 2, 3, 4}
    e = network.ego(g, 0, 2, relations=("supplies",))
    assert set(e.nodes.tolist()) == {0, 1, 3, 4}
    assert set(network.links_frame(g, e.links).relation) == {"supplies"}
    e = network.ego(g, 0, 3, kinds=("shop",))  # the factory is not crossed
    assert set(e.nodes.tolist()) == {0, 1, 2}
    stop = np.zeros(5, dtype=bool)
    stop[3] = True
    assert set(network.ego(g, 0, 2, stop_at=stop).nodes.tolist()) == {0, 1, 2, 3}


def test_isolated_entity_is_alone() -> None:
    g = _toy([(0, 1)], 3)
    e = network.ego(g, 2, 3)
    assert e.nodes.tolist() == [2] and len(e.links) == 0
    assert len(network.nodes_frame(g, e)) == 1


def test_cap_summarises_the_rest(g: network.Graph) -> None:
    hub = int(np.argmax(g.degree))
    e = network.ego(g, hub, 2)
    shown, hidden = network.cap(g, e, 100)
    assert len(shown) == 100 and shown.nodes[0] == hub
    assert int(hidden["count"].sum()) == len(e) - 100
    assert set(hidden.columns) == {"kind", "province_adcode", "count"}
    member = set(shown.nodes.tolist())
    assert all(a in member and b in member for a, b in zip(g.src[shown.links], g.dst[shown.links]))


@pytest.mark.parametrize("limit", [1, 40, 150, 400])
def test_limit_gathers_what_the_cap_shows_and_counts_the_rest(g: network.Graph, limit: int) -> None:
    """A limited walk (the page's: hubs stopped, at most ANALYSED gathered) shows the same entities
    as capping the whole network, keeps the nearest hops whole, and counts every entity it reached
    in the cut hop but did not gather."""
    hubs = g.hubs()
    seeds = [int(s) for s in np.argsort(-g.degree)[:6]] + [
        int(s) for s in np.random.default_rng(5).integers(0, g.n, 20)
    ]
    cut_seen = 0
    for seed in seeds:
        whole = network.ego(g, seed, 2, stop_at=hubs)
        part = network.ego(g, seed, 2, stop_at=hubs, limit=limit)
        assert len(part) == min(len(whole), limit) if part.cut_hop else len(part) == len(whole)
        if not part.cut_hop:
            assert np.array_equal(part.nodes, whole.nodes) and len(part.left_out) == 0
            continue
        cut_seen += 1
        h = part.cut_hop
        reached = set(whole.nodes[whole.hop <= h].tolist())
        got = set(part.nodes.tolist())
        assert got | set(part.left_out.tolist()) == reached and not got & set(part.left_out.tolist())
        assert part.hop.max() <= h
        assert set(part.nodes[part.hop < h].tolist()) == set(whole.nodes[whole.hop < h].tolist())
        assert degree_floor(g, part, h) >= degree_ceiling(g, part.left_out)  # the best connected kept
        for shown in {min(limit, 100), limit}:
            a, hid_a = network.cap(g, part, shown)
            b, _ = network.cap(g, whole, shown)
            assert a.nodes.tolist() == b.nodes.tolist()  # the page draws what it would have drawn
            assert int(hid_a["count"].sum()) == len(reached) - len(a)
        member = np.zeros(g.n, bool)
        member[part.nodes] = True
        assert set(part.links.tolist()) == set(network.induced_links(g, part.nodes, member, None).tolist())
    assert cut_seen >= 6  # the hubs, at least, were cut


def degree_floor(g: network.Graph, e: network.Ego, hop: int) -> int:
    return int(network.degree_of(g, e.nodes[e.hop == hop]).min(initial=10**9))


def degree_ceiling(g: network.Graph, ix: np.ndarray) -> int:
    return int(network.degree_of(g, ix).max(initial=0))


def test_ego_view_reports_what_the_limit_left_out(g: network.Graph, monkeypatch) -> None:
    """The page's counts (entities, provinces) are of everything reached, not of what it analysed."""
    hub = int(np.argmax(g.degree))
    entity = str(g.ids[hub])
    q = network_analysis.EgoQuery(entity, 2, (), (), True, (), 50)
    monkeypatch.setattr(network_analysis, "ANALYSED", 10**7)
    whole = network_analysis.ego_view(g, q)
    assert whole["cut_hop"] == 0 and whole["left_out"] == 0
    assert whole["reached"] == len(whole["full_nodes"])
    monkeypatch.setattr(network_analysis, "ANALYSED", 120)
    part = network_analysis.ego_view(g, q)
    assert part["cut_hop"] >= 1 and len(part["full_nodes"]) == 120
    e = network.ego(g, hub, 2, stop_at=g.hubs())
    reached = e.nodes[e.hop <= part["cut_hop"]]
    assert part["reached"] == len(reached) == len(part["full_nodes"]) + part["left_out"]
    assert part["reached_provinces"] == len(set(g.province[reached]))
    assert int(part["hidden"]["count"].sum()) == part["reached"] - len(part["nodes"])
    expanded = str(g.ids[int(np.argsort(-g.degree)[1])])
    q2 = network_analysis.EgoQuery(entity, 1, (), (), True, (expanded,), 50)
    view = network_analysis.ego_view(g, q2)
    assert len(view["full_nodes"]) <= 120 * 2 and view["reached"] >= len(view["full_nodes"])


def test_expansion_adds_neighbours(g: network.Graph) -> None:
    e = network.ego(g, 0, 1)
    far = [int(x) for x in e.nodes[1:2]]
    more = network_analysis.with_expansions(g, e, far)
    expected = set(e.nodes.tolist()) | set(network.ego(g, far[0], 1).nodes.tolist())
    assert set(more.nodes.tolist()) == expected


# -- paths: property test against networkx ----------------------------------------------------------
@st.composite
def random_graphs(draw):
    n = draw(st.integers(2, 30))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    edges = draw(st.lists(pairs, max_size=60, unique_by=lambda p: tuple(sorted(p))))
    a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
    return n, edges, a, b


@settings(max_examples=200, deadline=None)
@given(random_graphs(), st.integers(1, 4))
def test_paths_and_hops_agree_with_networkx(case, hops) -> None:
    n, edges, a, b = case
    g = _toy(edges, n)
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from(edges)
    path = network.shortest_path(g, a, b)
    if nx.has_path(G, a, b):
        assert path is not None and path[0] == a and path[-1] == b
        assert len(path) - 1 == nx.shortest_path_length(G, a, b)
        assert all(G.has_edge(x, y) for x, y in zip(path, path[1:]))
    else:
        assert path is None
    e = network.ego(g, a, hops)
    dist = nx.single_source_shortest_path_length(G, a, cutoff=hops)
    assert dict(zip(e.nodes.tolist(), e.hop.tolist())) == dist


# -- analysis ---------------------------------------------------------------------------------------
def test_key_players_betweenness() -> None:
    G = nx.path_graph(["a", "b", "c", "d", "e"])
    kp = network_analysis.key_players(G, 2)
    assert kp.entity_id.iloc[0] == "c" and kp.betweenness.iloc[0] > kp.betweenness.iloc[1]


def test_hit_rate_and_province_summary() -> None:
    nodes = pd.DataFrame(
        {
            "entity_id": ["F1", "F2", "W1", "S1"],
            "kind": ["factory", "factory", "warehouse", "shop"],
            "province_adcode": ["440000", "440000", "350000", "330000"],
        }
    )
    enf = {
        "clues": pd.DataFrame({"clue_id": ["C1", "C2"], "entity_id": ["F1", "S1"]}),
        "suspects": pd.DataFrame({"suspect_id": ["P1"], "case_id": ["K2"], "entity_id": ["W1"]}),
        "entity_cases": pd.DataFrame(
            {
                "entity_id": ["F1", "W1", "S1"],
                "case_id": ["K1", "K2", "K3"],
                "seizure_cny": [100.0, 50.0, 7.0],
            }
        ),
    }
    assert network_analysis.hit_rate(nodes, enf) == (2, 3)
    prov = network_analysis.province_summary(nodes, enf).set_index("province_adcode")
    assert prov.loc["440000", ["entities", "clues", "cases", "suspects"]].tolist() == [2, 1, 1, 0]
    assert prov.loc["350000", "suspects"] == 1 and prov.loc["350000", "seizure"] == 50.0


def test_enforcement_ties_cases_through_clues_and_suspects(store: Store, enf: dict) -> None:
    cases = enf["entity_cases"]
    assert len(cases) and cases.case_id.notna().all()
    assert set(enf["suspects"].case_id) <= set(cases.case_id)


# -- search -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def index(g: network.Graph) -> network_analysis.SearchIndex:
    return network_analysis.search_index(g)


def test_search_by_id_name_and_pinyin(g: network.Graph, index) -> None:
    first_id, first_name = str(g.ids[0]), str(g.names[0])
    assert network_analysis.search(g, index, first_id.lower()).matches.entity_id.tolist() == [first_id]
    r = network_analysis.search(g, index, first_name)
    assert r.status == "exact" and r.matches.entity_id.iloc[0] == first_id
    py = index.pinyin[index.code[0]]
    r = network_analysis.search(g, index, py)
    assert first_id in r.matches.entity_id.tolist()
    r = network_analysis.search(g, index, first_name[:2])  # a common prefix: many sellers to pick
    assert r.status == "matches" and len(r.matches) > 1


def test_the_index_reads_each_name_as_pypinyin_does(g: network.Graph, index) -> None:
    """Names are read character by character from a table, and whole only where a phrase reads
    otherwise (商行 hang, 长沙 chang): every name of the demo, and a few made to be hard, read
    exactly as pypinyin reads them whole; each entity's name is found under its code."""
    from pypinyin import Style, lazy_pinyin

    def whole(name: str) -> tuple[str, str]:
        full = "".join(lazy_pinyin(name, errors="ignore")).lower()
        return full, "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()

    assert [whole(n) for n in index.names] == list(zip(index.pinyin, index.initials))
    hard = ["长沙达达仓储", "达佳数码贸易商行", "重庆银行行长", "ABC 贸易3号", "乐清乐器行", "", "Zhang 张"]
    assert [whole(n) for n in hard] == list(zip(*network_analysis._pinyin(hard)))
    assert [index.names[c] for c in index.code] == [str(x) for x in g.names]
    for name in (0, len(index.names) // 2, len(index.names) - 1):
        assert {index.names[name]} == {str(x) for x in g.names[index.entities(name)]}


@pytest.mark.parametrize("query", ["贸易", "商行", "maoyi", "my", "changsha", "hang", "zzzqqq", "仓", "xb"])
def test_search_by_distinct_name_lists_what_a_search_of_every_entity_lists(g, index, query) -> None:
    """The index tests each distinct name once; the list is the one a test of every entity in
    turn gives (its score, then its position), fuzzy matches aside (one query here has none)."""
    names = [str(x) for x in g.names]
    key = query.lower()
    scored = {}
    for i, name in enumerate(names):
        full, first = index.pinyin[index.code[i]], index.initials[index.code[i]]
        if query in name:
            scored[i] = 100.0 if query == name else 95.0
        elif key.isascii() and len(key) >= 2 and (key in full or key in first):
            scored[i] = 92.0 if full.startswith(key) or first.startswith(key) else 90.0
    got = network_analysis.search(g, index, query)
    if len(scored) < 12:  # fuzzy matches join: the ones found first still lead
        assert query == "zzzqqq" and got.status == "none" and not scored
        return
    ranked = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:12]
    assert got.matches.entity_id.tolist() == [str(g.ids[i]) for i, _ in ranked]
    assert got.matches.score.tolist() == [s for _, s in ranked]


def test_an_index_in_parts_finds_what_one_part_finds(g, index, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past PARTED names (1e8: 1.4e6) the index is asked in one part per core at once."""
    monkeypatch.setattr(network_analysis, "PARTED", 1)
    monkeypatch.setattr(network_analysis.os, "cpu_count", lambda: 3)
    parted = network_analysis.search_index(g)
    assert len(parted.parts) == 3 and sum(len(p[0]) for p in parted.parts) == len(index.names)
    for query in ("贸易", "maoyi", "xb", str(g.names[0]), "zzzqqq"):
        got, want = (network_analysis.search(g, i, query) for i in (parted, index))
        assert got.status == want.status
        pd.testing.assert_frame_equal(got.matches, want.matches)


def test_unknown_id_gets_closest_matches(g: network.Graph, index) -> None:
    r = network_analysis.search(g, index, "E9999999")
    assert r.status == "unknown_id" and 0 < len(r.matches) <= 5


# -- clue package and exports -----------------------------------------------------------------------
def test_clue_package_contents(g: network.Graph, enf: dict, store: Store) -> None:
    e = network.ego(g, 0, 2)
    nodes, links = network.nodes_frame(g, e), network.links_frame(g, e.links)
    province = nodes.province_adcode.iloc[0]
    data = cluepack.clue_package(province, str(g.ids[0]), nodes, links, enf, "zh", store.manifest.as_of)
    z = zipfile.ZipFile(io.BytesIO(data))
    assert set(z.namelist()) == {"summary.html", "entities.csv", "links.csv", "clues.csv", "cases.csv"}
    ents = pd.read_csv(z.open("entities.csv"), encoding="utf-8-sig", dtype=str)
    assert set(ents.province_adcode) == {province}
    assert set(ents.entity_id) == set(nodes.entity_id[nodes.province_adcode == province])
    lk = pd.read_csv(z.open("links.csv"), encoding="utf-8-sig", dtype=str)
    ids = set(ents.entity_id)
    assert len(lk) and (lk.src_id.isin(ids) | lk.dst_id.isin(ids)).all()
    html = z.read("summary.html").decode("utf-8")
    assert "线索包" in html and str(g.ids[0]) in html and "http" not in html


def test_graphml_round_trips(g: network.Graph) -> None:
    e = network.ego(g, 0, 2)
    nodes, links = network.nodes_frame(g, e), network.links_frame(g, e.links)
    G = nx.read_graphml(io.BytesIO(network_analysis.graphml(nodes, links)))
    assert G.number_of_nodes() == len(nodes) and G.number_of_edges() == len(links)
    assert {d["relation"] for *_, d in G.edges(data=True)} <= set(RELATIONS)


def test_figures_build_offline(g: network.Graph) -> None:
    e = network.ego(g, 0, 2)
    nodes, links = network.nodes_frame(g, e), network.links_frame(g, e.links)
    fig = charts_network.graph_figure(
        nodes, links, "en", "t", focus=str(g.ids[0]), selected=nodes.entity_id.iloc[1]
    )
    kinds = {tr.name for tr in fig.data if tr.mode == "markers" and tr.customdata is not None}
    assert kinds == {charts_network.kind_label(k, "en") for k in nodes.kind.unique()}
    symbols = {charts_network.KIND_STYLE[k][1] for k in nodes.kind.unique()}
    assert len(symbols) == nodes.kind.nunique()  # a distinct shape per kind
    go.Figure(fig.to_dict())  # valid against plotly's schema (the builder skips validation)
    where = charts_network.map_figure(
        nodes, links, "zh", "t", selected=str(g.ids[0]), boundaries="/app/static/geo/provinces.geojson"
    )
    js = where.to_json()
    assert where.layout.map.style == "white-bg" and "mapbox" not in js.lower() and "carto" not in js.lower()
    picked = [tr for tr in where.data if tr.customdata is not None]  # what a click on the map selects
    assert sorted(str(i) for tr in picked for i in tr.customdata) == sorted(nodes.entity_id)
    charts_network.timeline_figure(links, "zh")


def test_static_map_for_export_is_offline(g: network.Graph) -> None:
    e = network.ego(g, 0, 2)
    nodes, links = network.nodes_frame(g, e), network.links_frame(g, e.links)
    fig = charts_network.map_figure(nodes, links, "zh", "t", boundaries="/app/static/geo/provinces.geojson")
    assert fig.layout.map.style == "white-bg"
    assert not any(tr.type.endswith("geo") for tr in fig.data)  # plotly geo charts fetch a CDN topojson
