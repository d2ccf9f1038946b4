"""Before and after joining, cached (/trends): the panel per filters (its metric left out: the
panel holds every outcome), the event study per panel, outcome and page parameters."""

from __future__ import annotations

from cloudsword.filters import Filters
from cloudsword.store import Store
from cloudsword.trends import analysis
from cloudsword.trends.analysis import Panel, TrendEstimate
from cloudsword.trends.params import TrendsParams
from components.cache import data


@data(max_entries=64)
def panel(store: Store, f: Filters) -> Panel:
    return analysis.build_panel(store, analysis.panel_filters(f))


@data(max_entries=256)
def estimate(store: Store, f: Filters, params: TrendsParams) -> TrendEstimate:
    """The event study of the sidebar's metric."""
    return analysis.estimate(panel(store, f), f.metric, params)


@data(max_entries=64)
def guangdong(store: Store, f: Filters) -> dict:
    return analysis.guangdong_check(store, analysis.panel_filters(f))
