"""Every page's parameters: one frozen value that round-trips through the URL, reports what it
cannot use, and writes only the choices made; one permalink builder for every view."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs

import pytest

from cloudsword.deck.params import PresentParams
from cloudsword.map.params import MapParams
from cloudsword.network.graph import graph_from_store
from cloudsword.network.params import NetworkParams, example_seller, focus
from cloudsword.overview.params import OverviewParams
from cloudsword.params import Reader, permalink, read_lang
from cloudsword.schema import RELATIONS
from cloudsword.store import DEFAULT_DATA_DIR, Store
from cloudsword.trends.params import TrendsParams

MONTHS = [date(2017, m, 1) for m in range(1, 8)]
CHOSEN = [
    (OverviewParams, OverviewParams(show="growth"), ()),
    (
        MapParams,
        MapParams(
            "gdp",
            "jenks",
            "alliance",
            "cumul",
            date(2017, 6, 1),
            "440000",
            "compare",
            date(2017, 5, 1),
            6,
            "diff",
        ),
        (MONTHS,),
    ),
    (
        NetworkParams,
        NetworkParams(
            "E0001", None, 3, ("operates", "supplies"), ("shop",), False, ("E0002", "E0003"), "focus"
        ),
        (),
    ),
    (TrendsParams, TrendsParams("never", 2, 24, True, True), ()),
    (PresentParams, PresentParams("notes", 3, 20, "abc123"), ()),
]


@pytest.mark.parametrize(("cls", "value", "context"), CHOSEN, ids=lambda x: getattr(x, "__name__", ""))
def test_every_page_round_trips_through_its_url(cls, value, context):
    query = parse_qs(permalink("page", value.to_query()).split("?", 1)[1])
    back, problems = cls.from_query(query, *context)
    assert (back, problems) == (value, [])


@pytest.mark.parametrize(("cls", "value", "context"), CHOSEN, ids=lambda x: getattr(x, "__name__", ""))
def test_defaults_write_nothing_and_read_back_from_nothing(cls, value, context):
    assert cls().to_query() == {}
    assert cls.from_query({}, *context) == (cls(), [])


def test_bad_values_are_reported_and_replaced_by_defaults():
    p, problems = MapParams.from_query(
        {"norm": "bogus", "month": "2019-01", "province": "999999", "window": "5", "pivot": "2017-13"}, MONTHS
    )
    assert p == MapParams()
    assert set(problems) == {
        ("norm", "bogus"),
        ("month", "2019-01"),
        ("province", "999999"),
        ("window", "5"),
        ("pivot", "2017-13"),
    }
    t, problems = TrendsParams.from_query({"compare": "x", "es_band": "2", "anticipation": "9"})
    assert t == TrendsParams() and {p for p, _ in problems} == {"compare", "es_band", "anticipation"}
    s, problems = PresentParams.from_query({"slide": "0", "mode": "dance", "auto": "7"})
    assert s == PresentParams() and {p for p, _ in problems} == {"slide", "mode", "auto"}


def test_lists_keep_every_item_and_an_unknown_item_rejects_the_list():
    p, problems = NetworkParams.from_query({"rel": "operates,supplies", "kinds": ["shop", "factory"]})
    assert (p.relations, p.kinds, problems) == (("operates", "supplies"), ("shop", "factory"), [])
    p, problems = NetworkParams.from_query({"rel": "operates,robs"})
    assert p.relations == () and problems == [("rel", "operates,robs")]
    assert NetworkParams(relations=RELATIONS) == NetworkParams(), (
        "all relations is the same view as none named"
    )


def test_the_map_periods_and_pivot_come_from_its_parameters():
    joined = {"330000": date(2015, 5, 1), "440000": date(2017, 5, 20)}
    p = MapParams(month=date(2017, 6, 1), span="cumul", province="440000", window=3)
    assert p.period(MONTHS) == (date(2017, 1, 1), date(2017, 6, 30))
    assert MapParams().shown_month(MONTHS) == date(2017, 7, 1)
    assert p.pivot_in(MONTHS, joined) == date(2017, 5, 1), "the open province's join"
    before, after, clipped = p.windows(MONTHS, joined)
    assert before == (date(2017, 2, 1), date(2017, 4, 30)) and after == (date(2017, 5, 1), date(2017, 7, 31))
    assert not clipped
    before, after, clipped = MapParams(pivot=date(2017, 2, 1), window=6).windows(MONTHS, joined)
    assert before[0] == date(2017, 1, 1) and clipped
    assert MapParams(month=date(2016, 1, 1)).within(MONTHS).month is None


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def demo_graph(store):
    return graph_from_store(store)


@pytest.fixture(scope="module")
def demo_clues(store):
    return store.run(store.table("clues").select("clue_id", "entity_id"))


def test_the_seller_a_view_opens_on(demo_graph, demo_clues):
    g, clues = demo_graph, demo_clues
    example = example_seller(g, clues)
    assert focus(NetworkParams(), g, clues).entity == example and focus(NetworkParams(), g, clues).example
    some = str(clues.entity_id.iloc[0])
    assert focus(NetworkParams(entity=some), g, clues).entity == some
    clue = clues.iloc[0]
    assert focus(NetworkParams(clue=clue.clue_id), g, clues).entity == clue.entity_id
    gone = focus(NetworkParams(entity="E9999999"), g, clues)
    assert gone.entity == example and gone.problem == ("network.search.unknown", {"query": "E9999999"})
    assert focus(NetworkParams(clue="C-none"), g, clues).problem[0] == "network.clue.unknown"


def test_reader_and_language():
    r = Reader({"a": ["1", "2"], "b": "", "m": "2017-6"})
    assert (
        r.text("a") == "2"
        and r.text("b") is None
        and r.month("m") is None
        and r.problems == [("m", "2017-6")]
    )
    assert read_lang({"lang": "en"}) == ("en", []) and read_lang({"lang": "fr"}) == ("zh", [("lang", "fr")])


def test_one_permalink_builder():
    assert permalink("map", {"lang": "en"}, {"province": "440000"}) == "map?lang=en&province=440000"
    assert permalink("overview") == "overview" and permalink("", {"show": "growth"}) == "overview?show=growth"
    assert permalink("map", {"prov": ["330000", "440000"]}) == "map?prov=330000&prov=440000"
