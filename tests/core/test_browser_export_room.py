"""Exported charts are not clipped: every chart type the app exports, and every picture of the
default deck, rendered as the files are (kaleido SVG) and measured in Chromium: every tick label,
axis title, chart title and legend text lies inside the picture, no axis title sits on the numbers
and the title does not run into the legend."""

from __future__ import annotations

import pytest
from gallery import every_chart

from cloudsword import export
from cloudsword.deck.layout import geometry, picture_figures
from cloudsword.i18n import t
from cloudsword.store import DEFAULT_DATA_DIR, Store
from cloudsword.story import build_deck, default_story

_MEASURE_JS = """
() => {
  const svg = document.querySelector('svg');
  const W = parseFloat(svg.getAttribute('width')), H = parseFloat(svg.getAttribute('height'));
  const origin = svg.getBoundingClientRect();
  const rect = e => { const r = e.getBoundingClientRect();
    return {x0: r.left - origin.left, y0: r.top - origin.top, x1: r.right - origin.left,
            y1: r.bottom - origin.top, text: e.textContent.trim()}; };
  const all = sel => Array.from(svg.querySelectorAll(sel)).filter(e => e.textContent.trim()
      && e.getBoundingClientRect().width > 0).map(rect);
  const legend = svg.querySelector('g.legend');
  return {W, H,
    ticks: all('g.xtick text, g.ytick text, g.x2tick text, g.y2tick text'),
    titles: all('text[class$="title"]:not(.gtitle):not(.legendtitletext)'),
    title: all('text.gtitle'),
    texts: all('g.legend text, text.gtitle, g.annotation text, text[class$="title"], '
               + 'g.xtick text, g.ytick text'),
    legend: legend && legend.getBoundingClientRect().width ? rect(legend) : null};
}
"""


def _overlap(a: dict, b: dict, tol: float = 1.0) -> bool:
    return (
        a["x0"] + tol < b["x1"]
        and b["x0"] + tol < a["x1"]
        and a["y0"] + tol < b["y1"]
        and b["y0"] + tol < a["y1"]
    )


def _check(page: object, name: str, svg: bytes) -> None:
    page.set_content(f"<html><body style='margin:0'>{svg.decode('utf-8')}</body></html>")
    m = page.evaluate(_MEASURE_JS)
    for x in m["texts"]:
        inside = x["x0"] >= -1 and x["y0"] >= -1 and x["x1"] <= m["W"] + 1 and x["y1"] <= m["H"] + 1
        assert inside, f"{name}: '{x['text']}' is cut at the edge ({x}, picture {m['W']}x{m['H']})"
    for title in m["titles"]:
        for tick in m["ticks"]:
            assert not _overlap(title, tick), f"{name}: axis title '{title['text']}' on '{tick['text']}'"
    if m["legend"]:
        for title in m["title"]:
            assert not _overlap(title, m["legend"]), f"{name}: the title runs into the legend"


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(DEFAULT_DATA_DIR)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_exported_chart_has_room_for_its_labels(browser, store, lang):
    charts = every_chart(store, lang)
    svgs = export.images(list(charts.values()), "svg")
    page = browser.new_page()
    for name, svg in zip(charts, svgs, strict=True):
        _check(page, name, svg)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_deck_picture_has_room_for_its_labels(browser, store, lang):
    slides = build_deck(store, default_story(store), lang)
    figs, _, _ = picture_figures(slides, [geometry(s, t("deckfiles.problem", lang)) for s in slides])
    page = browser.new_page()
    for i, svg in enumerate(export.images(figs, "svg")):
        _check(page, f"deck picture {i + 1}", svg)
