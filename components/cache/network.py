"""The seller network's cached structures (/network): the whole graph, its rings, its search index
and what enforcement has tied to each entity, once per dataset; one view per ego query."""

from __future__ import annotations

import pandas as pd

from cloudsword.network import analysis, charts
from cloudsword.network import rings as network_rings
from cloudsword.network.analysis import EgoQuery, SearchIndex
from cloudsword.network.graph import Graph, graph_from_store
from cloudsword.network.params import example_seller
from cloudsword.network.rings import RingIndex
from cloudsword.store import Store
from components.cache import data, long_lived, resource


@resource(max_entries=2)
@long_lived
def graph(store: Store) -> Graph:
    """The whole entity graph as compact CSR arrays: built once per dataset, shared by sessions."""
    return graph_from_store(store)


@resource(max_entries=2)
@long_lived
def rings(store: Store) -> RingIndex:
    """Each entity's ring: the dataset's rings table, or detected once on the whole graph when
    the dataset has none (data made by hand)."""
    return network_rings.ring_index(graph(store), network_rings.from_store(store))


@resource(max_entries=2)
@long_lived
def search_index(store: Store) -> SearchIndex:
    return analysis.search_index(graph(store))


@resource(max_entries=2)
@long_lived
def enforcement(store: Store) -> dict[str, pd.DataFrame]:
    return analysis.enforcement(store)


@resource(max_entries=2)
def example(store: Store) -> str:
    """The seller a page opens on when none is named (params.example_seller), once per dataset."""
    return example_seller(graph(store), enforcement(store)["clues"])


@data(max_entries=64)
def view(store: Store, q: EgoQuery) -> dict:
    """The ego network as shown: nodes with their rings, links, what the cap hid, and the layout."""
    shown = analysis.ego_view(graph(store), q, rings(store))
    return shown | {"positions": charts.layout_positions(shown["nodes"], shown["links"])}


@data(max_entries=64)
def view_analysis(store: Store, q: EgoQuery) -> dict:
    """Key players and the provinces spanned, for one ego network."""
    return analysis.analysis_view(view(store, q), enforcement(store))


@data(max_entries=256)
def reach(store: Store, q: EgoQuery) -> tuple[int, int]:
    """(entities, provinces) of the network as its page opens it: what a link to it promises."""
    view = analysis.ego_view(graph(store), q)
    return view["reached"], view["reached_provinces"]


@data(max_entries=64)
def seller_cases(store: Store, entity: str) -> tuple[pd.DataFrame, int]:
    """One seller's case records (keyed by the store's version and the principal's scope)."""
    return analysis.entity_case_records(store, enforcement(store), entity)
