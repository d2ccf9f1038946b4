"""Access rules where data leaves the store (cloudsword/access/scope.py): for each role, every query
the pages, downloads, clue package, decks and command-line export run is run through a scoped
store that records what leaves it, and nothing recorded (nor any file built from it) holds a row
or column the role may not receive. The officer's allowed records are worked out here again,
independently (networkx on the raw tables), so a wrong rule fails the test."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import networkx as nx
import pandas as pd
import pytest

from cloudsword import privacy, story
from cloudsword.access import Principal, Role, Scoped
from cloudsword.access.scope import AccessError
from cloudsword.deck import files
from cloudsword.ingest import quality
from cloudsword.map import queries as map_queries
from cloudsword.network import analysis, cluepack, rings
from cloudsword.network import graph as network
from cloudsword.network.params import NetworkParams, focus
from cloudsword.overview import queries as overview_queries
from cloudsword.schema import HUB_KINDS
from cloudsword.store import DEFAULT_DATA_DIR, Store
from cloudsword.trends import analysis as trends_analysis

ZJ = "330000"
OFFICER = Principal("officer.zj@cloudsword.example", Role.OFFICER, {ZJ})
ANALYST = Principal("analyst@cloudsword.example", Role.ANALYST)
PRESENTER = Principal("presenter@cloudsword.example", Role.PRESENTER)


class Recording(Scoped):
    """A scoped store that keeps everything its `run` hands out."""

    def __init__(self, store: Store, principal: Principal):
        super().__init__(store, principal)
        self.__dict__["left"] = []

    def run(self, expr):
        out = super().run(expr)
        self.__dict__["left"].append(out)
        return out


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def raw(store: Store) -> dict[str, pd.DataFrame]:
    return {n: store.run(store.table(n)) for n in ("entities", "links", "clues", "cases", "suspects")}


@pytest.fixture(scope="module")
def allowed(raw: dict[str, pd.DataFrame]) -> dict[str, set[str]]:
    """What the Zhejiang officer may receive, from the rule's words: entities of Zhejiang (registered
    there, targeted by its clues, workplaces of suspects its cases caught) and every entity linked
    to one of them through non-hub entities; the clues about those; Zhejiang's cases and the cases
    opened from those clues; the suspects working at those entities or caught without one by
    Zhejiang's cases."""
    e, lk, cl, ca, su = (raw[n] for n in ("entities", "links", "clues", "cases", "suspects"))
    hubs = set(e.entity_id[e.kind.isin(HUB_KINDS)])
    G = nx.Graph()
    G.add_nodes_from(e.entity_id)
    G.add_edges_from((a, b) for a, b in zip(lk.src_id, lk.dst_id) if a not in hubs and b not in hubs)
    zj_cases = set(ca.case_id[ca.province_adcode == ZJ])
    home = set(e.entity_id[e.province_adcode == ZJ]) | set(cl.entity_id[cl.handed_to == ZJ])
    home |= set(su.entity_id[su.case_id.isin(zj_cases)].dropna())
    entities = set()
    for x in home:
        entities |= {x} if x in hubs else nx.node_connected_component(G, x)
    clues = set(cl.clue_id[cl.entity_id.isin(entities)])
    cases = zj_cases | set(ca.case_id[ca.clue_id.isin(clues)])
    caught_here = su.entity_id.isna() & su.case_id.isin(zj_cases)
    suspects = set(su.suspect_id[su.entity_id.isin(entities) | caught_here])
    return {"entities": entities, "clues": clues, "cases": cases, "suspects": suspects}


def every_query(s: Scoped) -> list[bytes]:
    """Every query the pages, downloads, clue package, deck and CLI export run, as each runs it;
    returns the files they build (clue package, GraphML, CSV, deck HTML)."""
    f = s.default_filters()
    overview_queries.alliance_totals(s, f)
    overview_queries.by_province(s, f, "cases")
    trends_analysis.build_panel(s, trends_analysis.panel_filters(f))
    map_queries.province_values(s, f, f.date_from, f.date_to, "none", False)
    comps, targets = map_queries.network_components(s), map_queries.clue_targets(s)
    for p in ("330000", "440000", "110000"):
        map_queries.networks_touching(comps, targets, p)
    for check in (quality.coverage, quality.missing, quality.duplicates, quality.outliers):
        check(s)
    g = network.graph_from_store(s)
    enf = analysis.enforcement(s)
    ring_of = rings.ring_index(g, rings.from_store(s))
    entity = focus(NetworkParams(), g, s.run(s.table("clues").select("clue_id", "entity_id"))).entity
    view = analysis.ego_view(g, NetworkParams().ego(entity, g), ring_of)
    analysis.analysis_view(view, enf)
    nodes, links = view["full_nodes"], view["full_links"]
    made = [analysis.graphml(nodes, links), nodes.to_csv().encode(), links.to_csv().encode()]
    made += [
        cluepack.clue_package(p, entity, nodes, links, enf, "en", date(2024, 1, 1))
        for p in nodes.province_adcode.unique()[:3]
    ]
    slides = story.build_deck(s, story.default_story(s), "en")
    made.append(files.deck_bytes(slides, "html", "en"))
    return made


def texts(made: list[bytes]) -> str:
    """The files' text, a ZIP's members unpacked."""
    out = []
    for blob in made:
        if blob[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(blob)) as z:
                out += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        else:
            out.append(blob.decode("utf-8", "replace"))
    return "\n".join(out)


def frames(left: list) -> list[pd.DataFrame]:
    return [x for x in left if isinstance(x, pd.DataFrame)]


def _text_column(col: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col))


def column_values(left: list, names: tuple[str, ...]) -> set[str]:
    """Every value of these columns in the frames that left (text columns: a count of empty values
    per column, /data's quality table, is named after its column but holds numbers)."""
    got: set[str] = set()
    for df in frames(left):
        for c in names:
            if c in df.columns and _text_column(df[c]):
                got |= set(df[c].dropna().astype(str))
    return got


def test_an_officer_receives_only_their_provinces_records_and_the_networks_touching_them(store, raw, allowed):
    s = Recording(store, OFFICER)
    made = every_query(s)
    left = s.left
    ids = column_values(left, ("entity_id", "src_id", "dst_id"))
    assert ids and ids <= allowed["entities"]
    assert column_values(left, ("clue_id",)) <= allowed["clues"]
    assert column_values(left, ("case_id",)) <= allowed["cases"]
    assert column_values(left, ("suspect_id",)) <= allowed["suspects"]
    # the rule is not empty-handed: the officer gets all of it, other provinces' networks included
    got_entities = set(s.run(s.table("entities")).entity_id)
    assert got_entities == allowed["entities"]
    assert raw["entities"].set_index("entity_id").loc[list(got_entities), "province_adcode"].nunique() > 1
    # nor does a file built from them carry an entity it may not see
    forbidden = set(raw["entities"].entity_id) - allowed["entities"]
    text = texts(made)
    assert not [x for x in forbidden if x in text]


def test_an_officer_still_sees_every_province_as_aggregates(store):
    s = Scoped(store, OFFICER)
    f = store.default_filters()
    whole = overview_queries.by_province(store, f, "cases")
    assert overview_queries.by_province(s, f, "cases").equals(whole)
    assert len(whole) > 20


@pytest.mark.parametrize("who", [ANALYST, PRESENTER], ids=lambda p: p.role.value)
def test_masked_roles_receive_no_personal_name_id_or_exact_place(store, raw, who):
    s = Recording(store, who)
    made = every_query(s)
    e, su = raw["entities"], raw["suspects"]
    personal = e[e.kind.isin(privacy.PERSONAL_KINDS)]
    raw_ids = set(personal.entity_id) | set(su.suspect_id)
    raw_names = {n for n, k in zip(personal.name, personal.kind) if privacy.mask_name(n, k) != n}
    raw_names |= {n for n in su.name if privacy.mask_person(n) != n}
    cells: set[str] = set()
    for df in frames(s.left):
        for c in df.columns:
            if _text_column(df[c]):
                cells |= set(df[c].dropna().astype(str))
    assert not cells & raw_ids
    assert not cells & raw_names
    text = texts(made)
    assert not [x for x in raw_ids if x in text]
    exact = set(zip(personal.lon.round(5), personal.lat.round(5)))
    for df in frames(s.left):
        if {"entity_id", "lon", "lat"} <= set(df.columns):
            assert not set(zip(df.lon.round(5), df.lat.round(5))) & exact
    # the rows are all there (masked, not dropped): analysts work on the whole network
    assert len(s.run(s.table("entities"))) == len(e)


def test_masked_ids_are_the_same_pseudonym_wherever_they_appear(store):
    s = Scoped(store, ANALYST)
    g = network.graph_from_store(s)
    links = s.run(s.table("links"))
    assert set(links.src_id) | set(links.dst_id) <= set(g.ids)
    suspects = s.run(s.table("suspects"))
    assert set(suspects.entity_id.dropna()) <= set(g.ids)


def test_the_administrator_receives_everything_unmasked(store, raw):
    s = Scoped(store, Principal("admin@cloudsword.example", Role.ADMIN))
    assert s.run(s.table("entities")).equals(raw["entities"])
    assert s.run(s.table("suspects")).equals(raw["suspects"])


def test_a_table_the_rules_do_not_know_is_refused_to_an_officer(store):
    s = Scoped(store, OFFICER)
    with pytest.raises(AccessError) as err:
        s._rows("a_new_table", store.table("cases").select("category"))
    assert err.value.key == "access.unknown_table"


def test_stored_arrays_are_not_handed_to_restricted_or_masked_roles(store):
    for who in (OFFICER, ANALYST, PRESENTER):
        assert Scoped(store, who).product_arrays("anything", "1") is None


def test_an_entity_outside_an_officers_reach_is_unknown_to_their_graph_even_by_id(store, allowed, raw):
    s = Scoped(store, OFFICER)
    g = network.graph_from_store(s)
    outside = sorted(set(raw["entities"].entity_id) - allowed["entities"])[0]
    assert g.find(outside) is None
    found = analysis.search(g, analysis.search_index(g), outside)
    assert outside not in set(found.matches.entity_id)
    assert json.dumps(list(found.matches.entity_id)).count(outside) == 0


def test_an_officers_cut_is_made_once_off_the_data_folder_and_holds_exactly_their_rows(allowed):
    """The officer's record tables are cut once (ahead of the first page, by `prepare`) into
    files of the server's own, private and outside the dataset; each holds exactly the rows the
    rule allows, and every later query reads the cut, not the whole table."""
    from cloudsword.access.scope import RECORD_TABLES, _cut_dir, prepare

    officer = Scoped(Store(DEFAULT_DATA_DIR), Principal("o@x", Role.OFFICER, {ZJ}))
    prepare(officer).join(timeout=120)
    keys = {"entities": "entity_id", "clues": "clue_id", "cases": "case_id", "suspects": "suspect_id"}
    for name in RECORD_TABLES:
        t = officer.table(name)
        assert t.get_name().startswith("access_"), name  # the cut, not the rule over the whole table
        if name in keys:
            assert set(officer.run(t)[keys[name]]) == allowed[name], name
    folder = _cut_dir()
    assert folder.stat().st_mode & 0o077 == 0  # nobody else's to read
    assert not folder.is_relative_to(DEFAULT_DATA_DIR.resolve())
    assert len([p for p in folder.iterdir() if p.name.startswith(t.get_name().rsplit("_", 1)[0])]) >= 5


def test_an_officers_cut_goes_with_the_version_it_was_made_from():
    """A version left behind (an import, a switch) takes its cuts with it: the files do not pile up."""
    import gc

    from cloudsword.access.scope import _cut_dir

    opened = Store(DEFAULT_DATA_DIR)
    Scoped(opened, Principal("o@x", Role.OFFICER, {"440000"})).table("clues")
    made = {p for p in _cut_dir().iterdir() if "_clues-" in p.name}
    assert made
    del opened
    gc.collect()
    left = {p for p in _cut_dir().iterdir() if "_clues-" in p.name}
    assert len(left) == len(made) - 1


def test_a_made_cut_is_read_while_another_officers_is_being_made():
    """Cutting one set of provinces (tens of seconds at 1e7 cases) holds a lock; an officer whose
    cut is made reads it without waiting for that lock."""
    import threading

    from cloudsword.access import scope

    officer = Scoped(Store(DEFAULT_DATA_DIR), Principal("o@x", Role.OFFICER, {ZJ}))
    officer.table("clues")
    holding, release = threading.Event(), threading.Event()

    def another_cut() -> None:
        with scope._TABLES:
            holding.set()
            release.wait(30)

    other = threading.Thread(target=another_cut)
    other.start()
    holding.wait(10)
    read = threading.Thread(target=lambda: officer.table("clues"))
    read.start()
    read.join(5)
    done = not read.is_alive()
    release.set()
    other.join()
    read.join()
    assert done, "the made cut waited for another officer's cut"
