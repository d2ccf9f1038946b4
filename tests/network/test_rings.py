"""Rings as the page shows them: detected once on the whole graph, stored with the dataset, read by
every view; checked against the generator's planted rings on the whole network and on 40 random
two-hop seller views (issue 11)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from sklearn.metrics import adjusted_rand_score

from cloudsword.errors import DataError
from cloudsword.i18n import error_text
from cloudsword.network import analysis, rings
from cloudsword.network import charts as cn
from cloudsword.network import graph as network
from cloudsword.network.params import NetworkParams
from cloudsword.store import DEFAULT_DATA_DIR, Store

VIEWS = 40


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def g(store: Store) -> network.Graph:
    return network.graph_from_store(store)


@pytest.fixture(scope="module")
def table(store: Store) -> pd.DataFrame:
    return rings.from_store(store)


@pytest.fixture(scope="module")
def truth(store: Store) -> pd.Series:
    return store.run(store.table("truth_rings")).set_index("entity_id").ring_id


def _frames(edges: list[tuple[int, int]], kinds: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    entities = pd.DataFrame({"entity_id": [f"E{i:03d}" for i in range(len(kinds))], "kind": kinds})
    links = pd.DataFrame(
        {
            "src_id": [f"E{a:03d}" for a, _ in edges],
            "dst_id": [f"E{b:03d}" for _, b in edges],
            "evidence_count": [1] * len(edges),
        }
    )
    return entities, links


# -- detection ------------------------------------------------------------------------------------------
def test_two_cliques_a_hub_and_a_loner() -> None:
    """Two dense groups tied by one link are two rings; a courier linked to 60 shops is set aside;
    an entity with no ring-mates belongs to none."""
    big = [(a, b) for a in range(0, 8) for b in range(a + 1, 8)]
    small = [(a, b) for a in range(8, 13) for b in range(a + 1, 13)]
    hub = 13
    shops = list(range(14, 74))
    edges = big + small + [(7, 8)] + [(hub, s) for s in shops] + [(hub, 0), (hub, 9)]
    kinds = ["shop"] * 13 + ["logistics"] + ["shop"] * 60 + ["factory"]  # E074: linked to nothing
    found = rings.detect(*_frames(edges, kinds)).set_index("entity_id")
    ring = found.ring.to_numpy()
    assert set(ring[:8]) == {1} and set(ring[8:13]) == {2}, "numbered by size, largest first"
    assert found.ring_size.iloc[0] == 8 and found.ring_size.iloc[8] == 5
    assert found.hub.iloc[hub] and ring[hub] == 0 and found.ring_size.iloc[hub] == 0
    assert (ring[14:] == 0).all(), "shops tied only to the hub, and the loner, are in no ring"
    assert found.hub.sum() == 1


def test_detection_is_deterministic_whatever_the_row_order(store: Store) -> None:
    e = store.run(store.table("entities").select("entity_id", "kind"))
    lk = store.run(store.table("links").select("src_id", "dst_id", "evidence_count"))
    once = rings.detect(e, lk)
    shuffled = rings.detect(e.sample(frac=1, random_state=1), lk.sample(frac=1, random_state=2))
    pd.testing.assert_frame_equal(once, shuffled)
    assert list(once.columns) == list(rings.COLUMNS)


def test_whole_evidence_counts_are_handed_to_igraph_compactly(store: Store) -> None:
    """Counts go to igraph as int16 (60 MB for 3e7 links, not 240): the same rings as with
    floats; counts that do not fit, or fractions, stay floats."""
    e = store.run(store.table("entities").select("entity_id", "kind"))
    lk = store.run(store.table("links").select("src_id", "dst_id", "evidence_count"))
    assert rings._compact(lk.evidence_count.to_numpy()).dtype == np.int16
    floats = rings.detect(e, lk.assign(evidence_count=lk.evidence_count.astype(float)))
    pd.testing.assert_frame_equal(rings.detect(e, lk), floats)
    assert rings._compact(np.array([1, 40_000])).dtype == np.float64
    assert rings._compact(np.array([1.5, 2.0])).dtype == np.float64


def test_a_large_network_detected_in_runs_of_components_gets_the_same_rings(
    store: Store, truth: pd.Series, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past rings.RUN entities (at 1e7 one Leiden run took 3.9 GB) the components are detected in
    runs, each with modularity's resolution scaled to its share of the weight. Here with runs of
    2,000 entities on the demo network: several runs, none larger than allowed, and rings as good
    as one run's: the whole network's modularity as high, the planted rings as well recovered."""
    e = store.run(store.table("entities").select("entity_id", "kind"))
    lk = store.run(store.table("links").select("src_id", "dst_id", "evidence_count"))
    whole = rings.detect(e, lk)
    sizes: list[int] = []
    leiden = rings._leiden

    def counted(graph, weight, resolution=1.0):
        sizes.append(graph.vcount())
        assert resolution < 1.0
        return leiden(graph, weight, resolution)

    monkeypatch.setattr(rings, "RUN", 2_000)
    monkeypatch.setattr(rings, "_leiden", counted)
    runs = rings.detect(e, lk)
    assert len(whole) > 4 * 2_000 and len(sizes) >= 4 and max(sizes) <= 2_000 + 500
    assert (runs.entity_id == whole.entity_id).all() and (runs.hub == whole.hub).all()

    kind = pd.Categorical(
        e.set_index("entity_id").kind.reindex(whole.entity_id), categories=network.KINDS
    ).codes
    position = pd.Series(np.arange(len(whole)), index=whole.entity_id)
    src, dst = (position.reindex(lk[c]).fillna(-1).to_numpy(np.int64) for c in ("src_id", "dst_id"))
    edges, weight, _ = rings.hubless_links(kind, src, dst, lk.evidence_count.to_numpy())
    graph = rings.igraph_of(len(whole), edges)

    def modularity(found: pd.DataFrame) -> float:
        label = np.where(found.ring > 0, found.ring, -np.arange(1, len(found) + 1))  # no ring: alone
        return graph.modularity(pd.factorize(label)[0], weights=weight)

    assert modularity(runs) >= modularity(whole) - 0.005
    planted = [
        adjusted_rand_score(truth.to_numpy(), f.set_index("entity_id").ring.reindex(truth.index))
        for f in (whole, runs)
    ]
    assert planted[1] >= 0.9 and planted[1] >= planted[0] - 0.02, planted


def test_the_demo_dataset_stores_the_rings_detection_finds(store: Store, table: pd.DataFrame) -> None:
    """data/demo/rings.parquet is what the detection gives on data/demo now: not stale."""
    assert (DEFAULT_DATA_DIR / "rings.parquet").exists() and store.has("rings")
    e = store.run(store.table("entities").select("entity_id", "kind"))
    lk = store.run(store.table("links").select("src_id", "dst_id", "evidence_count"))
    fresh = rings.detect(e, lk)
    stored = table.sort_values("entity_id").reset_index(drop=True)
    assert (stored.entity_id.to_numpy() == fresh.entity_id.to_numpy()).all()
    assert (stored.ring.to_numpy() == fresh.ring.to_numpy()).all()
    assert (stored.hub.to_numpy() == fresh.hub.to_numpy()).all()


def test_whole_network_recovers_the_planted_rings(g: network.Graph, table: pd.DataFrame, truth) -> None:
    hubs = set(table.entity_id[table.hub])
    assert hubs == set(g.ids[g.hubs()]), "one hub rule for the page and the rings"
    assert hubs.isdisjoint(truth.index) and len(hubs) + len(truth) == g.n
    found = table.set_index("entity_id").ring
    ari = adjusted_rand_score(truth.to_numpy(), found.reindex(truth.index).to_numpy())
    assert ari >= 0.9, ari


def test_views_as_the_page_shows_them_recover_the_planted_rings(
    store: Store, g: network.Graph, table: pd.DataFrame, truth
) -> None:
    """40 random two-hop seller views with the page's defaults: the median ARI between the rings
    the view shows (its nodes' ring column) and the planted rings is at least 0.9."""
    index = rings.ring_index(g, table)
    shops = np.flatnonzero(g.kind == network.KINDS.index("shop"))
    sellers = np.random.default_rng(11).choice(shops, VIEWS, replace=False)
    scores, counts = [], []
    for i in sellers:
        view = analysis.ego_view(g, NetworkParams().ego(str(g.ids[i]), g), index)
        nodes = view["full_nodes"]
        planted = nodes.entity_id.map(truth)
        known = planted.notna()
        scores.append(adjusted_rand_score(planted[known], nodes.ring[known]))
        counts.append(int(nodes.ring[nodes.ring > 0].nunique()))
    assert np.median(scores) >= 0.9, sorted(scores)
    assert np.median(counts) <= 2, counts  # not "two to seven rings" per view any more


# -- rings in a view --------------------------------------------------------------------------------------
def test_a_view_says_how_much_of_a_ring_lies_outside_it(g: network.Graph, table: pd.DataFrame) -> None:
    index = rings.ring_index(g, table)
    big = int(table.ring_size.max())
    member = str(table.entity_id[table.ring == 1].iloc[0])
    view = analysis.ego_view(g, NetworkParams(hops=1).ego(member, g), index)
    nodes = view["full_nodes"]
    assert {"ring", "ring_size"} <= set(nodes.columns)
    found = rings.view_rings(nodes).set_index("ring")
    assert found.loc[1, "size"] == big
    assert found.loc[1, "in_view"] == int((nodes.ring == 1).sum())
    assert found.loc[1, "outside"] == big - found.loc[1, "in_view"] > 0
    shown = cn.ring_table(nodes, "en")
    assert {"Ring", "In this view", "Ring size", "Outside the view", "Share outside"} <= set(shown.columns)
    assert "Ring 1" in set(shown["Ring"])


def test_graph_and_exports_carry_the_ring(g: network.Graph, table: pd.DataFrame) -> None:
    index = rings.ring_index(g, table)
    seller = str(table.entity_id[(table.ring == 1)].iloc[0])
    view = analysis.ego_view(g, NetworkParams().ego(seller, g), index)
    nodes, links = view["nodes"], view["links"]
    fig = cn.graph_figure(nodes, links, "zh", "t", focus=seller)
    halos = [tr for tr in fig.data if tr.legendgroup == "rings"]
    assert (
        halos and halos[0].name.startswith("团伙 1") and "在图中" in halos[0].name
    )  # of its size, how many here
    hover = " ".join(str(h) for tr in fig.data if tr.hovertext is not None for h in tr.hovertext)
    assert "团伙 1（共" in hover
    go.Figure(fig.to_dict())  # halos and all, valid against plotly's schema
    assert "ring" in pd.read_csv(io.StringIO(nodes.to_csv(index=False))).columns
    G = nx.read_graphml(io.BytesIO(analysis.graphml(nodes, links)))
    assert G.nodes[seller]["ring"] == 1 and G.nodes[seller]["ring_size"] == int(table.ring_size.max())
    where = cn.map_figure(nodes, links, "en", "t")
    assert any("Ring 1 (" in h for tr in where.data if tr.hovertext is not None for h in tr.hovertext)


# -- stored with the dataset ----------------------------------------------------------------------------
def _copy_demo(tmp_path: Path) -> Path:
    out = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, out, ignore=shutil.ignore_patterns("audit.jsonl*"))  # a local run's log
    return out


def test_hand_made_data_without_the_table_gets_rings_when_opened(tmp_path: Path, table: pd.DataFrame) -> None:
    data = _copy_demo(tmp_path)
    (data / "rings.parquet").unlink()
    s = Store(data)
    assert not s.has("rings")
    found = rings.from_store(s).set_index("entity_id").ring
    assert (found.reindex(table.entity_id).to_numpy() == table.ring.to_numpy()).all()


def test_a_stale_rings_table_is_refused_by_name(tmp_path: Path) -> None:
    data = _copy_demo(tmp_path)
    stale = pd.read_parquet(data / "rings.parquet").iloc[5:]
    stale.to_parquet(data / "rings.parquet", index=False)
    with pytest.raises(DataError) as err:
        Store(data)
    assert err.value.key == "error.dataset_invalid"
    en, zh = error_text(err.value, "en"), error_text(err.value, "zh")
    assert (
        "rings.parquet: must have a row for each entities.entity_id" in en
        and "for 5 rows there is none" in en
    )
    assert "rings.parquet：entities.entity_id 中有 5 行在此没有对应行" in zh


def test_a_versioned_dataset_stores_its_rings_as_a_product(tmp_path: Path) -> None:
    """Written as a version (the CLI's --versioned, an import), the rings are a registered product
    built from the version's tables and read back from it, not detected again."""
    from cloudsword import build
    from cloudsword.network.products import PRODUCTS
    from cloudsword.synth.config import load_config
    from cloudsword.synth.generate import generate

    assert [p.name for p in PRODUCTS] == ["rings", "graph"] and "rings" in [p.name for p in build.products()]
    root = tmp_path / "versioned"
    generate(load_config(), 7, 0.2, root, write=build.write_version)
    s = Store(root)
    assert not s.has("rings"), "not a table of the version: its product"
    assert s.product_table(rings.PRODUCT, rings.VERSION) is not None
    assert s.product_table(rings.PRODUCT, "another version") is None
    stored = rings.from_store(s)
    e = s.run(s.table("entities").select("entity_id", "kind"))
    lk = s.run(s.table("links").select("src_id", "dst_id", "evidence_count"))
    fresh = rings.detect(e, lk)
    assert list(stored.columns) == list(rings.COLUMNS) and len(stored) == len(e)
    stored = stored.sort_values("entity_id").reset_index(drop=True)
    assert (stored.ring.to_numpy() == fresh.ring.to_numpy()).all()
    assert (stored.hub.to_numpy() == fresh.hub.to_numpy()).all()


def test_a_flat_dataset_becomes_a_version_with_its_rings_as_a_product(tmp_path: Path, table) -> None:
    """The flat layout's rings.parquet is copied with its tables when it is opened, and adopting the
    directory as a version builds the product from the same tables: the same rings."""
    from cloudsword import build

    data = _copy_demo(tmp_path)
    version = build.adopt(data)
    assert "rings" in version.manifest["products"]
    s = Store(data)
    found = rings.from_store(s).set_index("entity_id").ring
    assert (found.reindex(table.entity_id).to_numpy() == table.ring.to_numpy()).all()
