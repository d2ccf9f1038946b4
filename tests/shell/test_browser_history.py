"""Back and Forward in a real browser: a change of setting replaces the page's history entry,
a change of page adds one, so Back and Forward walk the pages a user visited."""

from __future__ import annotations

from types import ModuleType
from urllib.parse import parse_qs, urlsplit


def _go(page: object, name: str, helpers: ModuleType) -> None:
    page.locator(f'[data-testid="stSidebarNav"] a[href$="/{name}"]').first.click()
    page.wait_for_function(f"location.pathname.endsWith('/{name}')", timeout=30_000)
    helpers.wait_rendered(page)


def _where(page: object) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(page.evaluate("location.href"))
    return parts.path.rstrip("/").rsplit("/", 1)[-1] or "overview", parse_qs(parts.query)


def _walk(page: object, step: str, helpers: ModuleType) -> None:
    (page.go_back if step == "back" else page.go_forward)(wait_until="commit")
    helpers.wait_rendered(page)


def test_back_and_forward_walk_the_pages_visited(
    browser_context: object, streamlit_server: str, browser_helpers: ModuleType
):
    page = browser_context.new_page()
    page.goto(f"{streamlit_server}/?lang=en")
    browser_helpers.wait_rendered(page)
    start = page.evaluate("history.length")
    _go(page, "map", browser_helpers)
    assert page.evaluate("history.length") == start + 1, "opening the map adds one entry"
    page.get_by_text("Per 10 million people", exact=True).click()
    browser_helpers.wait_rendered(page)
    page.get_by_text("Natural breaks", exact=True).click()
    browser_helpers.wait_rendered(page)
    assert _where(page)[1]["norm"] == ["pop"] and _where(page)[1]["cls"] == ["jenks"]
    assert page.evaluate("history.length") == start + 1, "a setting replaces the entry"
    _go(page, "network", browser_helpers)
    assert page.evaluate("history.length") == start + 2

    _walk(page, "back", browser_helpers)
    name, q = _where(page)
    assert name == "map" and q["norm"] == ["pop"] and q["cls"] == ["jenks"], "Back: the map as it was left"
    chosen = page.locator('[data-testid="stButtonGroup"] button[aria-checked="true"]').all_inner_texts()
    assert "Per 10 million people" in chosen and "Natural breaks" in chosen, chosen
    _walk(page, "back", browser_helpers)
    assert _where(page)[0] == "overview"
    _walk(page, "forward", browser_helpers)
    assert _where(page)[0] == "map"
    _walk(page, "forward", browser_helpers)
    assert _where(page)[0] == "network"
    assert page.evaluate("history.length") == start + 2, "walking adds no entry"


def test_opening_a_permalink_adds_one_entry(
    browser_context: object, streamlit_server: str, browser_helpers: ModuleType
):
    page = browser_context.new_page()
    page.goto(f"{streamlit_server}/map?lang=zh&province=440000")
    browser_helpers.wait_rendered(page)
    assert page.evaluate("history.length") == 2, "about:blank, then the map: no entry per write"
    assert _where(page)[1]["province"] == ["440000"] and "month" in _where(page)[1]
