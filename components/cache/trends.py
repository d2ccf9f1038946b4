"""Before and after joining, cached (/trends): the panel per filters (its metric left out: the
panel holds every outcome), the estimator's fits per panel, outcome and fitting parameters, and the
event study drawn from them per page parameters."""

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


@data(max_entries=64)
def fitted(store: Store, f: Filters, params: TrendsParams) -> analysis.Fitted:
    """The estimator's fits for the sidebar's metric, per the parameters that change them."""
    return analysis.fit(panel(store, f), f.metric, params)


@data(max_entries=256)
def estimate(store: Store, f: Filters, params: TrendsParams) -> TrendEstimate:
    """The event study of the sidebar's metric: a new window, quarters or bands are drawn from the
    fits already made (the estimator's 0.1-0.3 s is paid per comparison, anticipation and base)."""
    return analysis.drawn(fitted(store, f, params.fitting()), params)


@data(max_entries=64)
def guangdong(store: Store, f: Filters) -> dict:
    return analysis.guangdong_check(store, analysis.panel_filters(f))
