"""Every query the pages send to the store, by page, each with representative views: one list
that the engine parity suite (tests/core/test_spark_parity.py) runs on DuckDB and Spark and
bench/bench_engines.py times on both.

Each entry calls the feature's own query function, unchanged: what runs here is exactly what a
page runs. Above the features (it names every one), like story.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import ibis

from cloudsword import cube as monthly_cube
from cloudsword import story
from cloudsword.filters import Filters
from cloudsword.ingest import quality
from cloudsword.map import queries as map_queries
from cloudsword.network import analysis as network_analysis
from cloudsword.network import graph as network_graph
from cloudsword.network import rings as network_rings
from cloudsword.overview import queries as overview_queries
from cloudsword.store import Store
from cloudsword.trends import analysis as trends_analysis

GD, ZHEJIANG = "440000", "330000"


@dataclass(frozen=True)
class PageQuery:
    """One query of one page: `run(store, filters)` returns what the page gets back."""

    page: str
    name: str
    run: Callable[[Store, Filters], object]


class Recorder:
    """A store that keeps every expression a page's query function sends to it (and runs it): the
    expressions a page sends, for the engine tests and bench/bench_engines.py."""

    def __init__(self, store: Store):
        self._store, self.exprs = store, []

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    def run(self, expr):
        self.exprs.append(expr)
        return self._store.run(expr)


def views(store: Store) -> list[Filters]:
    """The dataset's default view, and one cut to two provinces, two categories, one year and
    another metric (every filter the queries take)."""
    whole = store.default_filters()
    year = Filters(date(2016, 1, 1), date(2016, 12, 31), (GD, ZHEJIANG), ("apparel", "cosmetics"))
    return [whole, Filters(year.date_from, year.date_to, year.provinces, year.categories, "seizure")]


def _busiest_seller(store: Store) -> str:
    """The shop that most clues are about (a seller with cases to show)."""
    k = store.table("clues")
    top = k.group_by("entity_id").aggregate(n=k.count()).order_by([ibis.desc("n"), "entity_id"]).limit(1)
    return str(store.run(top).entity_id.iloc[0])


def _seller_case_records(store: Store) -> tuple[object, int]:
    """The network page's Cases tab for the busiest seller (its case ids from `enforcement`)."""
    return network_analysis.entity_case_records(
        store, network_analysis.enforcement(store), _busiest_seller(store)
    )


def _year(f: Filters) -> tuple[date, date]:
    return f.date_from, f.date_to


QUERIES: list[PageQuery] = [
    PageQuery("overview", "alliance_totals", overview_queries.alliance_totals),
    PageQuery("overview", "previous_totals", overview_queries.previous_totals),
    PageQuery("overview", "monthly_series", overview_queries.monthly_series),
    PageQuery("overview", "monthly_series_all", lambda s, f: overview_queries.monthly_series(s, f, False)),
    PageQuery("overview", "by_province", lambda s, f: overview_queries.by_province(s, f, f.metric)),
    PageQuery("overview", "alliance_series", overview_queries.alliance_series),
    PageQuery("overview", "largest_seizures", overview_queries.largest_seizures),
    PageQuery("map", "province_values", lambda s, f: map_queries.province_values(s, f, *_year(f), "pop")),
    PageQuery("map", "city_values", lambda s, f: map_queries.city_values(s, f, GD, *_year(f), True)),
    PageQuery("map", "province_trend", lambda s, f: map_queries.province_trend(s, f, GD)),
    PageQuery("map", "top_categories", lambda s, f: map_queries.top_categories(s, f, GD, *_year(f))),
    PageQuery("map", "city_points", map_queries.city_points),
    PageQuery("map", "month_cases", lambda s, f: map_queries.province_month_cases(s, f, GD, f.date_from)),
    PageQuery("map", "monthly_cube", lambda s, f: monthly_cube.monthly_cube(s)),
    PageQuery("map", "clue_crossings", lambda s, f: map_queries.clue_crossings(s)),
    PageQuery("map", "flows", map_queries.flows),
    PageQuery("map", "network_components", lambda s, f: map_queries.network_components(s)),
    PageQuery("map", "clue_targets", lambda s, f: map_queries.clue_targets(s)),
    PageQuery("network", "graph", lambda s, f: network_graph.graph_from_store(s)),
    PageQuery("network", "rings", lambda s, f: network_rings.from_store(s)),
    PageQuery("network", "enforcement", lambda s, f: network_analysis.enforcement(s)),
    PageQuery("network", "seller_cases", lambda s, f: network_analysis.seller_cases(s, _busiest_seller(s))),
    PageQuery("network", "seller_case_records", lambda s, f: _seller_case_records(s)),
    PageQuery("trends", "panel", trends_analysis.build_panel),
    PageQuery("trends", "guangdong_check", trends_analysis.guangdong_check),
    PageQuery("present", "has_data", story._has_data),
    PageQuery("data", "coverage", lambda s, f: quality.coverage(s)),
    PageQuery("data", "missing", lambda s, f: quality.missing(s)),
    PageQuery("data", "duplicates", lambda s, f: quality.duplicates(s)),
    PageQuery("data", "outliers", lambda s, f: quality.outliers(s)),
]
