"""The deck as one self-contained interactive HTML file, and the slide markup the PDF prints.

Positions come from deck_layout in canvas px and are multiplied by the CSS length `--px`:
1 canvas px is a fixed length on a PDF page and min(100vw/1920, 100vh/1080) in the browser, so
the slide keeps its 16:9 layout at any window size. The file opens with no internet: plotly.js
is inlined once, fonts are the machine's own, and nothing names an outside address.
"""

from __future__ import annotations

import json
from html import escape

from cloudsword import export
from cloudsword.deck.layout import (
    COLOURS,
    FONT_STACK,
    Box,
    Geometry,
    TextBox,
    geometry,
    interactive_figure,
    shown_figures,
)
from cloudsword.deck.spec import Slide
from cloudsword.i18n import t

SLIDE_CSS = f"""
*{{box-sizing:border-box;margin:0;padding:0}}
.slide{{position:relative;width:calc(1920*var(--px));height:calc(1080*var(--px));overflow:hidden;
  background:#fff;color:#{COLOURS["text"]};font-family:{FONT_STACK}}}
.b{{position:absolute;left:calc(var(--x)*var(--px));top:calc(var(--y)*var(--px));
  width:calc(var(--w)*var(--px))}}
.sized{{height:calc(var(--h)*var(--px))}}
.t{{font-size:calc(var(--fs)*var(--px));line-height:1.25;overflow-wrap:anywhere;white-space:pre-line}}
.title{{font-weight:700;color:#{COLOURS["title"]}}}
.card{{background:#{COLOURS["card"]};border-radius:calc(18*var(--px))}}
.value{{font-weight:700;color:#{COLOURS["accent"]};white-space:nowrap}}
.problem{{background:#{COLOURS["problem"]};border:calc(5*var(--px)) solid #{COLOURS["problem_edge"]};
  border-radius:calc(24*var(--px))}}
.problem-head{{font-weight:700;color:#{COLOURS["muted"]}}}
.problem-text{{color:#{COLOURS["title"]}}}
.footer{{color:#{COLOURS["muted"]}}}
.fig img{{display:block;width:100%;height:100%}}
.fig>div{{width:100%;height:100%}}
.notes{{display:none}}
"""

DECK_CSS = """
html,body{height:100%;overflow:hidden;background:#1b1f27}
:root{--px:min(calc(100vw / 1920),calc(100vh / 1080))}
#stage{position:absolute;left:calc((100vw - 1920*var(--px))/2);top:calc((100vh - 1080*var(--px))/2);
  width:calc(1920*var(--px));height:calc(1080*var(--px))}
#stage .slide{position:absolute;left:0;top:0;visibility:hidden}
#stage .slide.current{visibility:visible}
#controls{position:fixed;right:12px;bottom:10px;display:flex;gap:8px;align-items:center;z-index:10;
  font:16px/1 FONTS;color:#fff;background:rgba(27,31,39,.72);padding:6px 10px;border-radius:8px;
  opacity:.45;transition:opacity .2s}
#controls:hover,#controls:focus-within{opacity:1}
#controls button{font:inherit;color:inherit;background:none;border:1px solid rgba(255,255,255,.5);
  border-radius:6px;padding:4px 10px;cursor:pointer}
#notes-panel{position:fixed;left:0;right:0;bottom:0;max-height:40vh;overflow:auto;z-index:9;
  background:rgba(20,24,31,.95);color:#f4f6f8;font:22px/1.5 FONTS;padding:18px 28px 56px;
  white-space:pre-line}
#notes-panel h2{font-size:16px;text-transform:uppercase;letter-spacing:.08em;opacity:.7;margin-bottom:8px}
""".replace("FONTS", FONT_STACK)


def _style(box: Box, size: float | None = None, sized: bool = False) -> str:
    parts = [f"--x:{box.x:.1f}", f"--y:{box.y:.1f}", f"--w:{box.w:.1f}"]
    if sized:
        parts.append(f"--h:{box.h:.1f}")
    if size is not None:
        parts.append(f"--fs:{size:g}")
    return ";".join(parts)


def _text(tb: TextBox, cls: str, tag: str = "div") -> str:
    return f'<{tag} class="b t {cls}" style="{_style(tb.box, tb.size)}">{escape(tb.text)}</{tag}>'


def _block(box: Box, cls: str, inner: str = "") -> str:
    return f'<div class="b sized {cls}" style="{_style(box, sized=True)}">{inner}</div>'


def slide_section(slide: Slide, geo: Geometry, figures: list[str], index: int, notes: bool = True) -> str:
    """One slide as a <section>; `figures` are ready-made inner HTML (an <img> or a plotly div).
    Notes ride along hidden (for the N panel) unless `notes` is False (the PDF has none)."""
    parts = [_text(geo.title, "title", "h1")]
    if geo.subtitle:
        parts.append(_text(geo.subtitle, "subtitle", "p"))
    for card, value, label in geo.facts:
        parts += [_block(card, "card"), _text(value, "value"), _text(label, "label")]
    parts += [_block(box, "fig", html) for box, html in zip(geo.figures, figures, strict=False)]
    if geo.problem:
        panel, head, body = geo.problem
        parts += [_block(panel, "problem"), _text(head, "problem-head"), _text(body, "problem-text", "p")]
    if geo.footer:
        parts.append(_text(geo.footer, "footer", "footer"))
    if notes and slide.notes:
        parts.append(f'<aside class="notes">{escape(slide.notes)}</aside>')
    label = escape(slide.title, quote=True)
    return f'<section class="slide" id="slide-{index + 1}" aria-label="{label}">{"".join(parts)}</section>'


def document(body: str, head: str, lang: str, title: str, about: str = "") -> str:
    """A whole page; `about` (the data's provenance) goes in its metadata, not on the slides."""
    html_lang = "zh-CN" if lang == "zh" else "en"
    meta = f'<meta name="generator" content="{escape(t("app.title", lang), quote=True)}">'
    if about:
        meta += f'<meta name="description" content="{escape(about, quote=True)}">'
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">{meta}'
        f"<title>{escape(title)}</title>{head}</head>{body}</html>\n"
    )


NAV_JS = """
(function () {
  var slides = Array.prototype.slice.call(document.querySelectorAll("#stage .slide"));
  var counter = document.getElementById("counter"), panel = document.getElementById("notes-panel");
  var notesText = document.getElementById("notes-text"), cfg = JSON.parse(document.body.dataset.deck);
  var cur = -1;
  function resize(s) {
    if (!window.Plotly) return;
    s.querySelectorAll(".js-plotly-plot").forEach(function (d) { window.Plotly.Plots.resize(d); });
  }
  function show(i) {
    i = Math.max(0, Math.min(slides.length - 1, i));
    if (i === cur) return;
    if (cur >= 0) slides[cur].classList.remove("current");
    cur = i;
    var s = slides[cur], n = s.querySelector(".notes");
    s.classList.add("current");
    counter.textContent = cfg.counter.replace("{n}", cur + 1).replace("{total}", slides.length);
    notesText.textContent = n && n.textContent.trim() ? n.textContent : cfg.noNotes;
    try { history.replaceState(null, "", "#" + (cur + 1)); } catch (e) { /* file: without history */ }
    resize(s);
  }
  function toggleNotes() { panel.hidden = !panel.hidden; }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var k = e.key;
    if (k === "ArrowRight" || k === "PageDown" || k === " ") show(cur + 1);
    else if (k === "ArrowLeft" || k === "PageUp") show(cur - 1);
    else if (k === "Home") show(0);
    else if (k === "End") show(slides.length - 1);
    else if (k === "n" || k === "N") toggleNotes();
    else return;
    e.preventDefault();
  });
  document.getElementById("prev").addEventListener("click", function () { show(cur - 1); });
  document.getElementById("next").addEventListener("click", function () { show(cur + 1); });
  document.getElementById("notes-button").addEventListener("click", toggleNotes);
  document.getElementById("stage").addEventListener("click", function (e) {
    if (!e.target.closest(".fig")) show(cur + 1);  // a click on a chart is for the chart
  });
  window.addEventListener("resize", function () { if (cur >= 0) resize(slides[cur]); });
  var start = parseInt((location.hash || "#1").slice(1), 10);
  show(isNaN(start) ? 0 : start - 1);
})();
"""


def html_bytes(slides: list[Slide], lang: str) -> bytes:
    """One .html file: every slide with its interactive charts, keyboard and click navigation,
    speaker notes behind the N key. Opens offline: plotly.js is inside, no outside address."""
    sections = []
    for i, slide in enumerate(slides):
        geo = geometry(slide, t("deckfiles.problem", lang))
        divs = [
            export.figure_html_div(interactive_figure(fig, box), div_id=f"fig-{i + 1}-{j + 1}")
            for j, (fig, box) in enumerate(zip(shown_figures(slide), geo.figures, strict=False))
        ]
        sections.append(slide_section(slide, geo, divs, i))
    cfg = json.dumps({"counter": t("deckfiles.counter", lang), "noNotes": t("deckfiles.no_notes", lang)})
    keys = escape(t("deckfiles.keys", lang), quote=True)
    controls = (
        f'<nav id="controls" title="{keys}">'
        f'<button id="prev" type="button" aria-label="{escape(t("deckfiles.prev", lang))}">‹</button>'
        f'<span id="counter" aria-live="polite"></span>'
        f'<button id="next" type="button" aria-label="{escape(t("deckfiles.next", lang))}">›</button>'
        f'<button id="notes-button" type="button" title="{keys}">{escape(t("deckfiles.notes", lang))}'
        "</button></nav>"
    )
    notes = (
        f'<div id="notes-panel" hidden><h2>{escape(t("deckfiles.notes", lang))}</h2>'
        '<div id="notes-text"></div></div>'
    )
    head = f"<style>{SLIDE_CSS}{DECK_CSS}</style><script>{export.FILE_WORKER_SHIM}</script>" + (
        f"<script>{export.plotly_js()}</script>"
    )
    body = (
        f'<body data-deck="{escape(cfg, quote=True)}"><main id="stage">{"".join(sections)}</main>'
        f"{controls}{notes}<script>{NAV_JS}</script></body>"
    )
    about = slides[0].source if slides else ""
    return document(body, head, lang, t("deckfiles.doc_title", lang), about).encode("utf-8")
