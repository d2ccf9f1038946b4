"""Figure builders draw exactly the store's numbers."""

from datetime import date

import pytest

from cloudsword.filters import Filters
from cloudsword.overview import charts
from cloudsword.overview import queries as overview_queries
from cloudsword.store import DEFAULT_DATA_DIR, Store


def store_provinces() -> list[str]:
    from cloudsword.geo import load_provinces

    return list(load_provinces().adcode)


@pytest.fixture(scope="module")
def store():
    return Store(DEFAULT_DATA_DIR)


def test_funnel_narrows_and_shows_the_totals(store):
    totals = overview_queries.alliance_totals(store, store.default_filters())
    fig = charts.funnel_figure(totals, "en")
    x = list(fig.data[0].x)
    assert x == [totals[k] for k in ("clues", "clues_with_case", "cases_with_suspects", "cases_with_seizure")]
    assert x == sorted(x, reverse=True), "each stage is a subset of the one above"
    assert "880 suspects caught" in fig.data[0].y[2], "with the stage name, never cut in a narrow bar"


@pytest.mark.parametrize("metric", ["clues", "cases", "suspects", "seizure"])
def test_province_map_values_equal_the_store(store, metric):
    f = Filters(date(2016, 1, 1), date(2017, 7, 31), metric=metric)
    values = overview_queries.by_province(store, f, metric)
    fig = charts.province_map_figure(values, metric, _members_on(store, f.date_to), f.date_to, "zh")
    base, shaded, members = fig.data
    assert sorted([*base.locations, *shaded.locations]) == sorted(store_provinces())  # all 34, once each
    drawn = dict(zip(shaded.locations, shaded.z))
    expected = values.dropna().set_index("adcode").value.to_dict()
    assert drawn.keys() == expected.keys()
    assert all(drawn[k] == pytest.approx(v) for k, v in expected.items())
    assert set(members.locations) == _members_on(store, f.date_to)
    light, dark = shaded.colorscale[0][1], shaded.colorscale[-1][1]
    assert (light, dark) == ("rgb(255,255,217)", "rgb(8,29,88)"), "more is darker, as the colour bar says"
    assert fig.layout.map.style == "white-bg"  # no tiles fetched
    assert isinstance(fig.data[0].geojson, dict)  # exports embed the boundaries


def test_app_map_loads_boundaries_by_url(store):
    from cloudsword.geo import PROVINCE_GEOJSON_URL

    f = store.default_filters()
    fig = charts.province_map_figure(
        overview_queries.by_province(store, f, "cases"),
        "cases",
        set(),
        f.date_to,
        "en",
        boundaries=PROVINCE_GEOJSON_URL,
    )
    assert all(trace.geojson == PROVINCE_GEOJSON_URL for trace in fig.data)
    assert len(fig.to_json()) < 60_000  # the figure itself stays small


def test_map_marks_no_data_instead_of_zero(store):
    f = store.default_filters().with_(provinces=("440000",))
    fig = charts.province_map_figure(
        overview_queries.by_province(store, f, "cases"), "cases", set(), f.date_to, "en"
    )
    assert list(fig.data[1].locations) == ["440000"]
    hover = dict(zip(fig.data[0].locations, (c[1] for c in fig.data[0].customdata)))
    assert hover["330000"] == "No data"


def test_timeline_marks_illustrative_dates(store):
    fig = charts.timeline_figure(store.memberships(), date(2017, 8, 1), "en")
    public, illustrative = fig.data
    assert set(public.y) == {"Zhejiang", "Guangdong"}
    assert len(illustrative.y) == 11 and illustrative.marker.symbol == "circle-open"


def test_monthly_figure_draws_the_series(store):
    f = store.default_filters()
    series = overview_queries.monthly_series(store, f)
    fig = charts.monthly_figure(series, "zh")
    assert list(fig.data[0].y) == list(series.cases) and list(fig.data[1].y) == list(series.clues)
    assert fig.data[0].name == "案件"


def _members_on(store: Store, day: date) -> set[str]:
    mem = store.memberships()
    return set(mem.loc[mem.joined_on <= day, "province_adcode"])
