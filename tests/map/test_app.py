"""/map through Streamlit's AppTest: the widgets change the figure's values, page params round-trip,
`?province=440000` opens the Guangdong panel, bad links fall back to the default view."""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from apptest import download_keys, open_page, shown_all
from streamlit.testing.v1 import AppTest

from cloudsword import geo
from cloudsword.i18n import t


def _run(lang: str = "en", **params: str) -> AppTest:
    return open_page("views/map.py", lang, timeout=60, **params)


def _map(at: AppTest) -> dict:
    """The province map's figure as the browser receives it."""
    charts = [c for c in at.get("plotly_chart") if '"choroplethmap"' in c.proto.spec]
    return json.loads(charts[0].proto.spec)


def _values(fig: dict) -> dict[str, str]:
    """adcode -> the value shown on hover, from every class trace and the no-data trace."""
    out = {}
    for tr in fig["data"]:
        for c in tr.get("customdata") or []:
            out[c[0]] = c[2]
    return out


def _subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_page_runs(lang):
    at = _run(lang)
    assert not at.exception, at.exception
    assert at.header[0].value == t("map.title", lang)
    fig = _map(at)
    assert fig["data"][0]["geojson"] == geo.PROVINCE_GEOJSON_URL
    assert len(json.dumps(fig)) < 1_000_000
    assert "norm" not in at.query_params, "a default is not written"
    assert at.query_params["month"] == "2017-07"


def test_metric_normalisation_and_month_change_the_values():
    at = _run("en")
    base = _values(_map(at))
    at.radio(key="metric").set_value("suspects").run()
    suspects = _values(_map(at))
    assert not at.exception and suspects != base
    at.segmented_control(key="map_norm").set_value("pop").run()
    per_head = _values(_map(at))
    assert per_head != suspects and at.query_params["norm"] == "pop"
    at.select_slider(key="map_month").set_value(date(2017, 3, 1)).run()
    earlier = _values(_map(at))
    assert earlier != per_head
    assert not at.exception


def test_classification_changes_the_classes():
    at = _run("en")
    names = [tr["name"] for tr in _map(at)["data"]]
    at.segmented_control(key="map_cls").set_value("equal").run()
    assert [tr["name"] for tr in _map(at)["data"]] != names
    assert at.query_params["cls"] == "equal"


def test_province_param_opens_the_guangdong_panel():
    at = _run("en", province="440000")
    assert not at.exception
    assert geo.province_name("440000", "en", short=True) in _subheaders(at)
    labels = [m.label for m in at.metric]
    assert t("map.panel.cross", "en") in labels
    links = "\n".join(m.value for m in at.markdown)
    urls = re.findall(r"\]\((\./network\?[^)]+)\)", links)
    assert len(urls) == 5 and all(re.search(r"[?&]entity=E\d+", u) and "lang=en" in u for u in urls)


def test_the_panel_sends_no_boundaries_on_a_rerun():
    """Boundaries travel by URL (fetched once, cached by the browser), so every chart of the page
    with Guangdong's panel open stays small; the city map shows Guangdong's cities."""
    at = _run("en", province="440000")
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    maps = [s for s in specs if any(tr["type"] == "choroplethmap" for tr in s["data"])]
    assert len(maps) == 4, "province map, city map, before and after"
    for spec in maps:
        assert all(isinstance(tr["geojson"], str) for tr in spec["data"])
    assert sum(len(json.dumps(s)) for s in specs) < 200_000
    cities = next(s for s in maps if s["data"][0]["geojson"].endswith("/cities.geojson"))
    shown = {loc for tr in cities["data"] for loc in tr["locations"]}
    assert shown == set(geo.load_cities().query("province_adcode == '440000'").adcode)


def test_province_panel_in_chinese():
    at = _run("zh", province="440000")
    assert not at.exception
    assert "广东" in _subheaders(at)


def test_permalink_restores_the_view():
    at = _run(
        "en", metric="seizure", norm="gdp", cls="jenks", span="cumul", month="2016-06", scope="alliance"
    )
    assert not at.exception and not at.warning
    assert at.segmented_control(key="map_norm").value == "gdp"
    assert at.segmented_control(key="map_cls").value == "jenks"
    assert at.segmented_control(key="map_scope").value == "alliance"
    assert at.segmented_control(key="map_span").value == "cumul"
    assert str(at.select_slider(key="map_month").value) == "2016-06-01"
    title = _map(at)["layout"]["title"]["text"]
    assert t("map.norm.gdp", "en") in title and "Jun 2016" in title


def test_bad_params_open_the_default_view_with_a_notice():
    at = _run("en", metric="bogus", norm="weird", month="2099-01", province="999999")
    assert not at.exception
    warnings = " ".join(shown_all(at.warning))
    for bad in ("bogus", "weird", "2099-01", "999999"):
        assert bad in warnings
    assert at.segmented_control(key="map_norm").value == "total"
    assert "province" not in at.query_params
    assert not [s for s in _subheaders(at) if s == geo.province_name("440000", "en", short=True)]


def test_narrower_dates_move_the_month_quietly():
    at = _run("en", month="2014-03")
    assert str(at.select_slider(key="map_month").value) == "2014-03-01"
    at.select_slider(key="months").set_value((date(2016, 1, 1), date(2016, 12, 1))).run()
    assert not at.exception and not at.warning
    assert str(at.select_slider(key="map_month").value) == "2016-12-01"
    assert at.query_params["month"] == "2016-12"


# -- the difference map -------------------------------------------------------------------------------
def _specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _is_diff(spec: dict) -> bool:
    return any("zmid" in tr for tr in spec["data"])


def test_cmp_diff_shows_the_difference_map_with_downloads():
    at = _run("en", cmp="diff", pivot="2017-05", window="6")
    assert not at.exception and not at.warning
    assert at.segmented_control(key="map_cmp").value == "diff"
    diffs = [s for s in _specs(at) if _is_diff(s)]
    assert len(diffs) == 1 and all(isinstance(tr["geojson"], str) for tr in diffs[0]["data"])
    assert "May 2017" in diffs[0]["layout"]["title"]["text"]
    assert not [s for s in _specs(at) if s["layout"]["title"]["text"].startswith("Before:")]
    keys = download_keys(at)
    assert {f"map_diff_dl_{x}" for x in ("png", "svg", "html", "csv", "xlsx")} <= keys
    assert "map_before_dl_png" not in keys
    assert any("6 months" in c.value and "3 months" in c.value for c in at.caption)
    at.segmented_control(key="map_cmp").set_value("pair").run()
    assert not at.exception and "cmp" not in at.query_params
    assert not [s for s in _specs(at) if _is_diff(s)]


def test_choosing_difference_goes_into_the_url():
    at = _run("zh")
    at.segmented_control(key="map_cmp").set_value("diff").run()
    assert not at.exception and at.query_params["cmp"] == "diff"
    assert len([s for s in _specs(at) if _is_diff(s)]) == 1


def test_bad_cmp_shows_a_notice_and_the_pair():
    at = _run("en", cmp="bogus")
    assert not at.exception
    assert t("filters.url_problem", "en", param="cmp", value="bogus") in shown_all(at.warning)
    assert at.segmented_control(key="map_cmp").value == "pair"
    titles = [s["layout"]["title"]["text"] for s in _specs(at)]
    assert any(x.startswith("Before:") for x in titles) and any(x.startswith("After:") for x in titles)
    assert not [s for s in _specs(at) if _is_diff(s)] and "cmp" not in at.query_params


def test_the_panel_counts_the_network_its_link_opens() -> None:
    """The province panel's network row and the network page count the same entities."""
    at = open_page("views/map.py", "en", province="440000")
    assert not at.exception
    rows = [m.value for m in at.markdown if "within 2 links" in m.value]
    assert rows, "the panel lists the networks reaching Guangdong"
    link = re.search(r"\]\(([^)]+)\)", rows[0]).group(1)
    entity = parse_qs(urlsplit(link).query)["entity"][0]
    entities, provinces = (int(x.replace(",", "")) for x in re.search(
        r"\): ([\d,]+) entities in (\d+) provinces", rows[0]).groups())  # fmt: skip
    page = open_page("views/network.py", "en", entity=entity)
    shown = {m.label: m.value for m in page.metric}
    assert int(shown["Entities in the network"].replace(",", "")) == entities
    assert int(shown["Provinces spanned"]) == provinces
