"""A language switch in a real browser, on every page with every filter set: nothing reaches
Streamlit's generic error box, every filter and page setting stays, the figures show the same
numbers in the other language, and the page still works when the user moves on."""

from __future__ import annotations

from types import ModuleType
from urllib.parse import parse_qs, urlsplit

import pytest

from cloudsword import geo

FILTERS = "from=2015-01-01&to=2017-07-31&prov=330000&prov=440000&cat=bags&metric=suspects"
PAGES = {  # path, the page's own settings, where to go next
    "overview": ("", "", "map"),
    "map": ("map", "norm=pop&month=2017-06&province=440000", "trends"),
    "network": ("network", "hops=1&rel=supplies,operates", "map"),
    "trends": ("trends", "compare=never&window=12", "network"),
}
GENERIC = "This app has encountered an error"

# The numbers every chart draws (numeric arrays and map locations; labels change with the language).
_NUMBERS_JS = """
() => Array.from(document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')).map(el =>
  (el.data || []).map(tr => {
    const out = {};
    for (const k of ['x', 'y', 'z', 'values', 'locations', 'lon', 'lat']) {
      const v = tr[k];
      if (!v || !v.length) continue;
      const arr = Array.from(v);
      if (k === 'locations' || arr.every(x => x === null || typeof x === 'number')) out[k] = arr;
    }
    return out;
  }))
"""


def _query(page: object) -> dict[str, list[str]]:
    q = parse_qs(urlsplit(page.evaluate("location.href")).query)
    q.pop("lang", None)
    return q


def _no_generic_error(page: object) -> None:
    body = page.locator('[data-testid="stApp"]').inner_text()
    assert GENERIC not in body and not page.locator('[data-testid="stException"]').count(), body[:600]


def _switch(page: object, to: str, helpers: ModuleType) -> None:
    label = {"zh": "中文", "en": "English"}[to]
    page.locator('[data-testid="stSidebar"] button', has_text=label).first.click()
    page.wait_for_function(f"location.search.includes('lang={to}')", timeout=30_000)
    helpers.wait_rendered(page)


@pytest.mark.parametrize("name", list(PAGES))
def test_a_language_switch_keeps_the_view_and_translates_it(
    name: str, browser_context: object, streamlit_server: str, browser_helpers: ModuleType
):
    path, own, then = PAGES[name]
    page = browser_context.new_page()
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{streamlit_server}/{path}?lang=zh&{FILTERS}{'&' + own if own else ''}")
    browser_helpers.wait_rendered(page)
    _no_generic_error(page)
    before, numbers = _query(page), page.evaluate(_NUMBERS_JS)
    for lang in ("en", "zh", "en"):
        _switch(page, lang, browser_helpers)
        _no_generic_error(page)
        assert _query(page) == before, f"{name}: a filter or setting changed with the language"
        assert page.evaluate(_NUMBERS_JS) == numbers, f"{name}: the figures changed with the language"
        boxes = page.locator('[data-testid="stMultiSelectTagsContainer"]').all_inner_texts()
        tags = {line.strip() for box in boxes for line in box.splitlines()}
        wanted = {geo.province_name(a, lang) for a in ("330000", "440000")}
        assert wanted <= tags, f"province tags in {lang}: {tags}"
    page.locator(f'[data-testid="stSidebarNav"] a[href$="/{then}"]').first.click()
    page.wait_for_function(f"location.pathname.endsWith('/{then}')", timeout=30_000)
    browser_helpers.wait_rendered(page)
    _no_generic_error(page)
    after = _query(page)
    for shared in ("from", "to", "prov", "cat", "metric"):
        assert after[shared] == before[shared], f"{shared} lost on the way from {name} to {then}"
