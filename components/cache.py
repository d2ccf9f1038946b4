"""The one module that owns Streamlit caching.

The store (a DuckDB connection and its aggregates) is a shared resource; query results are
cached per (dataset version, Filters): small keys, never big frames.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pandas as pd
import streamlit as st

from cloudsword.filters import Filters
from cloudsword.overview import queries as overview_queries
from cloudsword.store import DEFAULT_DATA_DIR, Store, stamp

if TYPE_CHECKING:  # imported lazily below: networkx is only needed on /network
    from cloudsword.network.analysis import EgoQuery

_HASH = {Filters: lambda f: f.to_query_string()}
R = TypeVar("R")


def _long_lived(build: Callable[..., R]) -> Callable[..., R]:
    """For once-per-dataset st.cache_resource builders: what they build lives as long as the
    process, yet Python's collector walks it again in every full collection (at 1e7 cases one took
    135 ms in the middle of a /map rerun). Once built, it is moved out of the collector's way
    (gc.freeze); unfreezing first lets a replaced dataset be freed. Not for per-view resources:
    the collection here costs as much as the pause it prevents."""

    @functools.wraps(build)
    def settle(*args: object, **kwargs: object) -> R:
        out = build(*args, **kwargs)
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        return out

    return settle


def data_dir() -> str:
    """The dataset the app shows: $CLOUDSWORD_DATA when set, else the shipped demo data."""
    return str(Path(os.environ.get("CLOUDSWORD_DATA") or DEFAULT_DATA_DIR).resolve())


@st.cache_resource(show_spinner=False, max_entries=4)
@_long_lived
def store(path: str, version_stamp: str) -> Store:
    return Store(path)


def current_store() -> Store:
    """The opened dataset; reopened when its files are regenerated (the stamp changes)."""
    path = data_dir()
    return store(path, stamp(path))


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs=_HASH)
def alliance_totals(version: str, f: Filters) -> dict[str, float]:
    return overview_queries.alliance_totals(current_store(), f)


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs=_HASH)
def previous_totals(version: str, f: Filters) -> dict[str, float] | None:
    return overview_queries.previous_totals(current_store(), f)


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs=_HASH)
def monthly_series(version: str, f: Filters, alliance_only: bool = True) -> pd.DataFrame:
    return overview_queries.monthly_series(current_store(), f, alliance_only)


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs=_HASH)
def by_province(version: str, f: Filters, metric: str, alliance_only: bool = True) -> pd.DataFrame:
    return overview_queries.by_province(current_store(), f, metric, alliance_only)


@st.cache_data(show_spinner=False, max_entries=8)
def memberships(version: str) -> pd.DataFrame:
    return current_store().memberships()


# -- province map (/map): keyed by the version and a Filters without page params -----------------
@st.cache_resource(show_spinner=False, max_entries=4)
@_long_lived
def map_cube(version: str):  # noqa: ANN201 - cloudsword.mapcube.MonthlyCube
    """The monthly aggregate as arrays, once per dataset (read-only, shared by every session): the
    map's sums are cut from it in memory instead of one query each."""
    from cloudsword.map import cube as mapcube

    return mapcube.monthly_cube(current_store())


@st.cache_data(show_spinner=False, max_entries=1024, hash_funcs=_HASH)
def map_province_values(version: str, f: Filters, start, end, norm: str, alliance_only: bool) -> pd.DataFrame:
    from cloudsword.map import queries as mapview

    return mapview.province_values(current_store(), f, start, end, norm, alliance_only, map_cube(version))


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=_HASH)
def map_city_values(version: str, f: Filters, province: str, start, end, alliance_only: bool) -> pd.DataFrame:
    from cloudsword.map import queries as mapview

    return mapview.city_values(current_store(), f, province, start, end, alliance_only, map_cube(version))


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=_HASH)
def map_trend(version: str, f: Filters, province: str, alliance_only: bool) -> pd.DataFrame:
    from cloudsword.map import queries as mapview

    return mapview.province_trend(current_store(), f, province, alliance_only, map_cube(version))


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=_HASH)
def map_categories(version: str, f: Filters, province: str, start, end, alliance_only: bool) -> pd.DataFrame:
    from cloudsword.map import queries as mapview

    return mapview.top_categories(
        current_store(), f, province, start, end, alliance_only, cube=map_cube(version)
    )


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=_HASH)
def map_crossing(version: str, f: Filters, province: str, start, end) -> dict[str, float]:
    from cloudsword.map import queries as mapview

    return mapview.chain_crossing(current_store(), f, province, start, end, map_clue_crossings(version))


@st.cache_resource(show_spinner=False, max_entries=4)
@_long_lived
def map_clue_crossings(version: str) -> pd.DataFrame:
    """Which clues' chains cross provinces, once per dataset (read-only, shared by every session)."""
    from cloudsword.map import queries as mapview

    return mapview.clue_crossings(current_store())


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=_HASH)
def map_flows(version: str, f: Filters) -> pd.DataFrame:
    from cloudsword.map import queries as mapview

    return mapview.flows(current_store(), f, map_flow_links(version))


@st.cache_resource(show_spinner=False, max_entries=4)
@_long_lived
def map_flow_links(version: str) -> pd.DataFrame:
    """Cross-province shop-supplier links, once per dataset (read-only, shared by every session)."""
    from cloudsword.map import queries as mapview

    return mapview.flow_links(current_store())


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=_HASH)
def map_city_points(version: str, f: Filters, alliance_only: bool) -> pd.DataFrame:
    from cloudsword.map import queries as mapview

    return mapview.city_points(current_store(), f, alliance_only, map_cube(version))


@st.cache_resource(show_spinner=False, max_entries=4)
@_long_lived
def map_components(version: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(entity network components, clue targets): large, read-only, shared by every session."""
    from cloudsword.map import queries as mapview

    s = current_store()
    return mapview.network_components(s), mapview.clue_targets(s)


@st.cache_data(show_spinner=False, max_entries=128)
def map_networks(version: str, province: str) -> pd.DataFrame:
    from cloudsword.map import queries as mapview

    components, clues = map_components(version)
    return mapview.networks_touching(components, clues, province)


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=_HASH)
def map_difference(
    version: str, f: Filters, before: tuple, after: tuple, norm: str, alliance_only: bool
) -> pd.DataFrame:
    """Monthly averages before and after and their change per province (charts_compare)."""
    from cloudsword.map import compare as charts_compare

    b = map_province_values(version, f.over(*before), *before, norm, alliance_only)
    a = map_province_values(version, f.over(*after), *after, norm, alliance_only)
    return charts_compare.difference_frame(b, a, before, after)


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=_HASH)
def map_difference_figure(
    version: str, f: Filters, before: tuple, after: tuple, pivot, norm: str, alliance_only: bool, lang: str
) -> object:
    """The /map difference map (a plotly figure, read-only), boundaries by URL."""
    from cloudsword.geo import PROVINCE_GEOJSON_URL
    from cloudsword.map import compare as charts_compare

    diff = map_difference(version, f, before, after, norm, alliance_only)
    return charts_compare.difference_figure(
        diff, f.metric, norm, memberships(version), pivot, lang, PROVINCE_GEOJSON_URL, (before, after)
    )


# -- seller network (/network, issue 4) -----------------------------------------------------------
@st.cache_resource(show_spinner=False, max_entries=2)
@_long_lived
def network_graph(version: str):  # noqa: ANN201 - cloudsword.network.Graph
    """The whole entity graph as compact CSR arrays: built once per dataset, shared by sessions."""
    from cloudsword.network import graph as network

    return network.graph_from_store(current_store())


@st.cache_resource(show_spinner=False, max_entries=2)
@_long_lived
def network_search_index(version: str):  # noqa: ANN201 - cloudsword.network_analysis.SearchIndex
    from cloudsword.network import analysis as network_analysis

    return network_analysis.search_index(network_graph(version))


@st.cache_resource(show_spinner=False, max_entries=2)
@_long_lived
def network_enforcement(version: str) -> dict[str, pd.DataFrame]:
    from cloudsword.network import analysis as network_analysis

    return network_analysis.enforcement(current_store())


@st.cache_data(show_spinner=False, max_entries=64)
def network_view(version: str, q: EgoQuery) -> dict:
    """The ego network as shown: nodes, links, what the cap hid, and the layout."""
    from cloudsword.network import analysis as network_analysis
    from cloudsword.network import charts as charts_network

    view = network_analysis.ego_view(network_graph(version), q)
    return view | {"positions": charts_network.layout_positions(view["nodes"], view["links"])}


# -- before and after joining (/trends, issue 5) ----------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=_HASH)
def trends_panel(version: str, f: Filters):  # noqa: ANN201 - cloudsword.trends.Panel
    """The province x month panel; pass trends.panel_filters(f) so page params don't split it."""
    from cloudsword.trends import analysis as trends

    return trends.build_panel(current_store(), f)


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=_HASH)
def trends_estimate(version: str, f: Filters, outcome: str, options_key: str):  # noqa: ANN201
    """The event study per (dataset, panel filters, outcome, TrendOptions.key())."""
    from cloudsword.trends import analysis as trends

    options = trends.TrendOptions.from_key(options_key)
    return trends.estimate(trends_panel(version, f), outcome, options)


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=_HASH)
def trends_guangdong(version: str, f: Filters) -> dict:
    from cloudsword.trends import analysis as trends

    return trends.guangdong_check(current_store(), f)


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=_HASH)
def map_flows_deck(version: str, f: Filters, alliance_only: bool, lang: str) -> object:
    """The /map flow view (a pydeck Deck, read-only): rebuilt only when the filters change."""
    from cloudsword.map import flows as charts_flows

    points = map_city_points(version, f, alliance_only)
    return charts_flows.flows_deck(map_flows(version, f), points, f.metric, lang)


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=_HASH)
def map_compare_figures(
    version: str, f: Filters, before: tuple, after: tuple, norm: str, cls: str, alliance_only: bool, lang: str
) -> tuple[object, object]:
    """The /map before/after pair (plotly figures, read-only), sharing one set of classes."""
    from cloudsword.geo import PROVINCE_GEOJSON_URL
    from cloudsword.map import compare as charts_compare

    b = map_province_values(version, f.over(*before), *before, norm, alliance_only)
    a = map_province_values(version, f.over(*after), *after, norm, alliance_only)
    joined = memberships(version)
    return charts_compare.compare_figures(
        b, a, before, after, f.metric, norm, cls, joined, lang, boundaries=PROVINCE_GEOJSON_URL
    )


@st.cache_data(show_spinner=False, max_entries=64)
def network_analysis_view(version: str, q: EgoQuery) -> dict:
    """Rings (Louvain), key players (betweenness) and the provinces spanned, for one ego network."""
    from cloudsword.network import analysis as network_analysis

    data = network_view(version, q)
    return network_analysis.analysis_view(network_graph(version), data, network_enforcement(version))


# -- presenter deck (/present) ----------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=8)
def present_default_story(version: str, lang: str) -> list:  # list[cloudsword.slides.SlideSpec]
    from cloudsword import story as deck

    return deck.default_story(current_store(), lang)


@st.cache_resource(show_spinner=False, max_entries=256)
def present_slide(version: str, view: str, lang: str):  # noqa: ANN201 - cloudsword.slides.Slide
    """One view resolved as a slide (masked), keyed by the view alone so a new title or new notes
    do not query again. Shared and read-only: the page copies figures before resizing them."""
    from cloudsword import story as deck
    from cloudsword.deck.spec import SlideSpec

    return deck.build_slide(current_store(), SlideSpec(view), lang)


@st.cache_data(show_spinner=False, max_entries=6)
def present_file(version: str, deck_json: str, lang: str, fmt: str) -> bytes:
    """The take-home deck (pptx, pdf or html) for the deck as canonical JSON; built on click."""
    import json

    from cloudsword import story as deck
    from cloudsword.deck import files as deck_files
    from cloudsword.deck.spec import SlideSpec

    specs = [SlideSpec.from_dict(d) for d in json.loads(deck_json)]
    slides = deck.build_deck(current_store(), specs, lang)
    writer = {"pptx": deck_files.pptx_bytes, "pdf": deck_files.pdf_bytes, "html": deck_files.html_bytes}[fmt]
    return writer(slides, lang)


@st.cache_resource(show_spinner=False)
def present_board():  # noqa: ANN201 - components.present_board.Board
    """Decks and slide positions shared by every session, so the presenter console follows the
    projector in another window."""
    from components.present_board import Board

    return Board()
