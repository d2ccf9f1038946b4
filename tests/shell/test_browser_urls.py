"""A page's URL carries the shared filters, the language and its own parameters, never another
page's, in a real browser: moving between pages through the navigation, and in the permalink a
page offers to copy."""

from __future__ import annotations

from types import ModuleType
from urllib.parse import parse_qs, urljoin, urlsplit

from cloudsword.map.params import MapParams
from cloudsword.network.params import NetworkParams

SHARED = {"lang", "from", "to", "prov", "cat", "metric"}
EVERY_CHOICE = MapParams("gdp", "jenks", "alliance", "cumul", None, "440000", "compare", None, 6, "diff")
MAP_NAMES = set(EVERY_CHOICE.to_query()) | {"month", "pivot"}
NETWORK_NAMES = set(NetworkParams("E1", "C1", 3, ("pays",), ("shop",), False, ("E2",), "focus").to_query())


def _query(page: object) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.evaluate("location.href")).query)


def _go(page: object, name: str, helpers: ModuleType) -> None:
    """Move to another page the way a user does: its link in the navigation."""
    page.locator(f'[data-testid="stSidebarNav"] a[href$="/{name}"]').first.click()
    page.wait_for_function(f"location.pathname.endsWith('/{name}')", timeout=30_000)
    helpers.wait_rendered(page)


def test_moving_from_the_map_to_trends_leaves_the_map_parameters_behind(
    browser_context: object, streamlit_server: str, browser_helpers: ModuleType
):
    page = browser_context.new_page()
    page.goto(f"{streamlit_server}/map?lang=en&province=440000&norm=pop&metric=suspects")
    browser_helpers.wait_rendered(page)
    on_map = _query(page)
    assert on_map["province"] == ["440000"] and on_map["norm"] == ["pop"]
    _go(page, "trends", browser_helpers)
    on_trends = _query(page)
    assert not MAP_NAMES & set(on_trends), on_trends
    assert on_trends["lang"] == ["en"] and on_trends["metric"] == ["suspects"], "shared filters stay"
    _go(page, "map", browser_helpers)
    back = _query(page)
    assert back["province"] == ["440000"] and back["norm"] == ["pop"], "the map comes back as it was left"


def test_the_network_permalink_carries_no_map_parameter(
    browser_context: object, streamlit_server: str, browser_helpers: ModuleType
):
    page = browser_context.new_page()
    page.goto(f"{streamlit_server}/map?lang=en&province=440000&month=2017-06")
    browser_helpers.wait_rendered(page)
    link = page.locator('[data-testid="stMarkdownContainer"] a[href*="network?"]').first
    href = link.get_attribute("href")
    linked = parse_qs(urlsplit(href).query)
    assert "entity" in linked and not MAP_NAMES & set(linked), href
    page.goto(urljoin(page.url, href))  # the link opens a new tab: follow it here
    browser_helpers.wait_rendered(page)
    on_network = _query(page)
    assert not MAP_NAMES & set(on_network), on_network
    assert on_network["entity"] == linked["entity"]
    assert set(on_network) <= SHARED | NETWORK_NAMES
