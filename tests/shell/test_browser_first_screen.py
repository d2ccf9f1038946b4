"""The first screen at 1440x900: each page's main chart is on it, whole, in both languages.

An official opens a page on a laptop and sees its chart without scrolling: the main chart's plot
area, legend and colour bar end above the viewport's bottom, and the app's title and the
demonstration notice take one line each. Measured in Chromium with getBoundingClientRect
against a real server with the shipped demo data.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1440, "height": 900}

# page: (path, the elements that make its main chart). The overview's first row holds two charts
# side by side; /present's main element is its first slide; /data's is the import's file uploader.
PAGES: dict[str, tuple[str, list[str]]] = {
    "overview": ("/", [".st-key-funnel", ".st-key-timeline"]),
    "map": ("/map", [".st-key-map_chart"]),
    "network": ("/network", [".st-key-network_graph"]),
    "trends": ("/trends", [".st-key-trends_event"]),
    "present": ("/present", ['[class*="st-key-present_row_"]']),
    "data": ("/data", ['[data-testid="stMain"] [data-testid="stFileUploader"]']),
}

# For each target: the bottom of what a reader needs (a plotly chart's plot areas, maps, legends
# and colour bars; any other element whole), and the number of lines of the app's title and of
# the demonstration notice (distinct line tops of their text, from a Range's client rects).
MEASURE_JS = """
(targets) => {
  const lines = (el) => {
    if (!el) return null;
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0 && r.height > 0)
      .map(r => Math.round(r.top / 4)));
    return tops.size;
  };
  const bottoms = targets.map(sel => {
    const el = document.querySelector(sel);
    if (!el) return {selector: sel, found: false};
    const plot = el.querySelector('.js-plotly-plot');
    const parts = plot ? [...plot.querySelectorAll(
      '.nsewdrag, g.geo .bg, .mapboxgl-map, .maplibregl-map, g.legend, g.colorbar')] : [el];
    const visible = parts.map(p => p.getBoundingClientRect()).filter(r => r.height > 0);
    return {selector: sel, found: visible.length > 0,
            bottom: Math.max(...visible.map(r => r.bottom)),
            element_bottom: el.getBoundingClientRect().bottom};
  });
  const main = document.querySelector('[data-testid="stMain"]');
  const title = main.querySelector('h1');
  const notice = [...main.querySelectorAll('[data-testid="stAlert"]')]
    .find(a => a.querySelector('[data-testid="stAlertContentInfo"]')
               && a.innerText.includes(document.body.dataset.demoPrefix || '\u0000'));
  return {bottoms, title_lines: lines(title && title.querySelector('span') || title),
          notice_lines: lines(notice && notice.querySelector('[data-testid="stMarkdownContainer"]')),
          notice_found: !!notice, height: window.innerHeight};
}
"""


def measure(page: object, targets: list[str], demo_prefix: str) -> dict:
    page.evaluate("p => { document.body.dataset.demoPrefix = p; }", demo_prefix)
    return page.evaluate(MEASURE_JS, targets)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_main_chart_on_first_screen(
    name: str, lang: str, browser: object, streamlit_server: str, browser_helpers: object
) -> None:
    from cloudsword.i18n import t

    path, targets = PAGES[name]
    prefix = t("demo.notice", lang, as_of="").split("{")[0][:8]
    ctx = browser.new_context(viewport=VIEWPORT)
    try:
        page = ctx.new_page()
        page.goto(f"{streamlit_server}{path}?lang={lang}", wait_until="domcontentloaded")
        wait: Callable[[object], None] = browser_helpers.wait_rendered
        wait(page)
        for target in targets:  # drawn, with its plot (a chart's SVG or map canvas comes last)
            page.wait_for_selector(target, timeout=30_000)
        wait(page)
        m = measure(page, targets, prefix)
    finally:
        ctx.close()
    assert m["title_lines"] == 1, f"the app's title takes {m['title_lines']} lines on {path} ({lang})"
    assert m["notice_found"], f"no demonstration notice on {path} ({lang})"
    assert m["notice_lines"] == 1, f"the demo notice takes {m['notice_lines']} lines on {path} ({lang})"
    for b in m["bottoms"]:
        assert b["found"], f"{b['selector']} not drawn on {path} ({lang})"
        assert b["bottom"] <= VIEWPORT["height"], (
            f"{b['selector']} on {path} ({lang}) ends at {b['bottom']:.0f} px, below the first screen"
        )
