"""The province map's cached queries and figures (/map). Sums are cut from the monthly cube held
in memory once per dataset; queries over an explicit period take `f.over(start, end)` so moving
the sidebar's range does not miss them."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk

from cloudsword.access import base
from cloudsword.filters import Filters
from cloudsword.geo import PROVINCE_GEOJSON_URL
from cloudsword.map import compare, flows, queries
from cloudsword.store import Store
from components.cache import data, long_lived, memberships, monthly_cube, resource

Period = tuple[date, date]


@data(max_entries=1024)
def province_values(
    store: Store, f: Filters, start: date, end: date, norm: str, alliance_only: bool
) -> pd.DataFrame:
    return queries.province_values(store, f, start, end, norm, alliance_only, monthly_cube(store))


@data(max_entries=256)
def city_values(
    store: Store, f: Filters, province: str, start: date, end: date, alliance_only: bool
) -> pd.DataFrame:
    return queries.city_values(store, f, province, start, end, alliance_only, monthly_cube(store))


@data(max_entries=256)
def trend(store: Store, f: Filters, province: str, alliance_only: bool) -> pd.DataFrame:
    return queries.province_trend(store, f, province, alliance_only, monthly_cube(store))


@data(max_entries=256)
def categories(
    store: Store, f: Filters, province: str, start: date, end: date, alliance_only: bool
) -> pd.DataFrame:
    return queries.top_categories(store, f, province, start, end, alliance_only, cube=monthly_cube(store))


def clue_crossings(store: Store) -> pd.DataFrame:
    """An aggregate, the same for every role: one copy per dataset, read unrestricted."""
    return _clue_crossings(base(store))


@resource(max_entries=4)
@long_lived
def _clue_crossings(store: Store) -> pd.DataFrame:
    """Which clues' chains cross provinces, once per dataset (read-only, shared by every session)."""
    return queries.clue_crossings(store)  # only counts by province leave the map's cache


@data(max_entries=256)
def crossing(store: Store, f: Filters, province: str, start: date, end: date) -> dict[str, float]:
    return queries.chain_crossing(store, f, province, start, end, clue_crossings(store))


def flow_links(store: Store) -> pd.DataFrame:
    """An aggregate, the same for every role: one copy per dataset, read unrestricted."""
    return _flow_links(base(store))


@resource(max_entries=4)
@long_lived
def _flow_links(store: Store) -> pd.DataFrame:
    """Cross-province shop-supplier links, once per dataset (read-only, shared by every session)."""
    return queries.flow_links(store)  # only counts by province pair leave the map's cache


@data(max_entries=64)
def chain_flows(store: Store, f: Filters) -> pd.DataFrame:
    return queries.flows(store, f, flow_links(store))


@data(max_entries=64)
def city_points(store: Store, f: Filters, alliance_only: bool) -> pd.DataFrame:
    return queries.city_points(store, f, alliance_only, monthly_cube(store))


@resource(max_entries=4)
@long_lived
def network_components(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(entity network components, clue targets): large, read-only, shared by every session."""
    return queries.network_components(store), queries.clue_targets(store)


@data(max_entries=128)
def networks(store: Store, province: str) -> pd.DataFrame:
    components, clues = network_components(store)
    return queries.networks_touching(components, clues, province)


@data(max_entries=256)
def difference(
    store: Store, f: Filters, before: Period, after: Period, norm: str, alliance_only: bool
) -> pd.DataFrame:
    """Monthly averages before and after and their change per province."""
    b = province_values(store, f.over(*before), *before, norm, alliance_only)
    a = province_values(store, f.over(*after), *after, norm, alliance_only)
    return compare.difference_frame(b, a, before, after)


@resource(max_entries=64)
def difference_figure(
    store: Store,
    f: Filters,
    before: Period,
    after: Period,
    pivot: date,
    norm: str,
    alliance_only: bool,
    lang: str,
) -> go.Figure:
    """The difference map (read-only, shared), boundaries by URL."""
    diff = difference(store, f, before, after, norm, alliance_only)
    return compare.difference_figure(
        diff, f.metric, norm, memberships(store), pivot, lang, PROVINCE_GEOJSON_URL, (before, after)
    )


@resource(max_entries=64)
def compare_figures(
    store: Store,
    f: Filters,
    before: Period,
    after: Period,
    norm: str,
    cls: str,
    alliance_only: bool,
    lang: str,
) -> tuple[go.Figure, go.Figure]:
    """The before/after pair (read-only, shared), one set of classes, boundaries by URL."""
    b = province_values(store, f.over(*before), *before, norm, alliance_only)
    a = province_values(store, f.over(*after), *after, norm, alliance_only)
    return compare.compare_figures(
        b, a, before, after, f.metric, norm, cls, memberships(store), lang, boundaries=PROVINCE_GEOJSON_URL
    )


@resource(max_entries=64)
def flows_deck(store: Store, f: Filters, alliance_only: bool, lang: str) -> pdk.Deck:
    """The flow view (a pydeck Deck, read-only): rebuilt only when the filters change."""
    points = city_points(store, f, alliance_only)
    return flows.flows_deck(chain_flows(store, f), points, f.metric, lang)


@data(max_entries=256)
def month_cases(
    store: Store, f: Filters, province: str, month: date, alliance_only: bool, limit: int = 500
) -> tuple[pd.DataFrame, int]:
    """One province's cases in one month (records: keyed by the store's version and the
    principal's scope, so each role gets only its own rows)."""
    return queries.province_month_cases(store, f, province, month, limit, alliance_only)
