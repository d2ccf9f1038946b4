from datetime import date

import pytest

from cloudsword.filters import Filters, add_months, month_end

DEFAULTS = Filters(date(2014, 1, 1), date(2017, 7, 31))
PROVS = {"330000", "440000", "310000"}
CATS = {"apparel", "footwear"}


def parse(params):
    return Filters.from_query(params, DEFAULTS, PROVS, CATS)


def test_round_trip_through_url_params():
    f = Filters(date(2016, 8, 1), date(2017, 7, 31), ("440000", "330000"), ("footwear",), "seizure")
    back, problems = parse(f.to_query())
    assert problems == []
    assert back == f
    assert back.provinces == ("330000", "440000")  # order does not matter


def test_round_trip_through_query_string():
    from urllib.parse import parse_qs

    f = Filters(date(2015, 5, 1), date(2016, 4, 30), ("330000",), (), "clues")
    back, problems = parse(parse_qs(f.key()))
    assert (back, problems) == (f, [])


def test_the_language_and_page_parameters_are_not_filters():
    f, problems = parse({"lang": "en", "province": "440000", "month": "2017-06"})
    assert (f, problems) == (DEFAULTS, [])
    assert set(DEFAULTS.to_query()) == {"from", "to", "metric"}


def test_comma_lists_keep_every_item():
    f, problems = parse({"prov": "330000,440000", "cat": ["apparel", "footwear"]})
    assert (f.provinces, f.categories, problems) == (("330000", "440000"), ("apparel", "footwear"), [])


def test_empty_params_give_defaults():
    assert parse({}) == (DEFAULTS, [])


def test_bad_values_are_reported_and_defaulted():
    f, problems = parse(
        {
            "metric": "bogus",
            "from": "2016-13-01",
            "prov": ["330000", "999999", "x"],
            "cat": ["apparel", "guns"],
        }
    )
    assert f.metric == "cases" and f.date_from == DEFAULTS.date_from
    assert f.provinces == ("330000",) and f.categories == ("apparel",)
    assert set(problems) == {
        ("metric", "bogus"),
        ("from", "2016-13-01"),
        ("prov", "999999"),
        ("prov", "x"),
        ("cat", "guns"),
    }


def test_dates_outside_data_or_reversed_fall_back():
    f, problems = parse({"from": "2010-01-01", "to": "2030-01-01"})
    assert (f.date_from, f.date_to) == (DEFAULTS.date_from, DEFAULTS.date_to)
    assert len(problems) == 2
    f, problems = parse({"from": "2017-01-01", "to": "2016-01-01"})
    assert (f.date_from, f.date_to) == (DEFAULTS.date_from, DEFAULTS.date_to) and problems


def test_dates_snap_to_whole_months():
    f, _ = parse({"from": "2016-03-15", "to": "2016-05-02"})
    assert (f.date_from, f.date_to) == (date(2016, 3, 1), date(2016, 5, 31))


def test_previous_period_has_equal_length():
    f = Filters(date(2016, 8, 1), date(2017, 7, 31))
    assert f.months == 12
    assert f.previous_period() == (date(2015, 8, 1), date(2016, 7, 31))
    g = Filters(date(2016, 1, 1), date(2016, 3, 31))
    assert g.previous_period() == (date(2015, 10, 1), date(2015, 12, 31))


def test_month_helpers():
    assert month_end(date(2016, 2, 10)) == date(2016, 2, 29)
    assert add_months(date(2016, 11, 20), 3) == date(2017, 2, 1)
    assert add_months(date(2016, 1, 1), -1) == date(2015, 12, 1)


def test_filters_reject_invalid_values_at_construction():
    with pytest.raises(ValueError):
        Filters(date(2017, 1, 1), date(2016, 1, 1))
    with pytest.raises(ValueError):
        Filters(date(2016, 1, 1), date(2017, 1, 1), metric="nope")


def test_filters_are_hashable_cache_keys():
    a = Filters(date(2016, 1, 1), date(2017, 1, 31), ("440000", "330000"))
    b = Filters(date(2016, 1, 1), date(2017, 1, 31), ("330000", "440000"))
    assert hash(a) == hash(b) and a == b


def test_over_replaces_only_the_period():
    f = Filters(date(2014, 1, 1), date(2017, 7, 31), ("330000",), ("bags",), "seizure")
    g = f.over(date(2016, 3, 9), date(2016, 5, 2))
    assert (g.date_from, g.date_to) == (date(2016, 3, 1), date(2016, 5, 31))
    assert g.with_(date_from=f.date_from, date_to=f.date_to) == f
    assert f.with_(date_from=date(2015, 1, 1)).over(date(2016, 3, 1), date(2016, 5, 1)) == g
