"""Where things go on a take-home slide, shared by the PPTX, PDF and HTML writers.

One geometry on a 1920x1080 canvas ("px") serves all three files, so they look alike: PPTX
converts px to EMU (a 13.33 in slide: 1 px = 0.5 pt, so a 72 px title is 36 pt), the HTML and
PDF multiply by a CSS length. Text is sized for the back of a room (title >= 64 px = 32 pt, body
>= 40 px = 20 pt); line counts are estimated from character widths so a long title wraps
instead of running into the charts. Figures are rendered here, all in one kaleido batch.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

import plotly.graph_objects as go

from cloudsword.charts_style import reframe
from cloudsword.deck.spec import Slide, is_map
from cloudsword.errors import CloudSwordError

W, H = 1920, 1080
MARGIN = 80
CONTENT_W = W - 2 * MARGIN
GAP = 28
TITLE_PX, TITLE_MIN_PX = 72, 64
SUBTITLE_PX = 40
FACT_VALUE_PX, FACT_VALUE_MIN_PX, FACT_LABEL_PX = 80, 48, 40
FACT_PAD = 20  # above the value and below the label, inside a card
PROBLEM_HEAD_PX, PROBLEM_PX = 40, 60
FOOTER_PX = 22
LINE = 1.25  # line height as a multiple of the font size
# Figures are drawn smaller than their box and scaled up, so chart text reaches ~TEXT_PX on the
# slide (app charts use 14 px) without re-styling each chart; at most by ZOOM.
TEXT_PX, ZOOM = 22, 1.6
SHARPNESS = 1.25  # image pixels per canvas px: crisp on a 1920 projector and in print
FONT_STACK = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
CJK_FONT = "Noto Sans CJK SC"
COLOURS = {
    "title": "1A2433", "text": "3A4556", "muted": "6B7380", "accent": "0072B2",
    "card": "EEF4FA", "problem": "FFF4E0", "problem_edge": "E69F00",
}  # fmt: skip


class DeckFileError(CloudSwordError):
    """A deck file cannot be made or saved (unknown suffix, no slides, renderer failed)."""


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class TextBox:
    box: Box
    text: str
    size: float  # font size in canvas px


@dataclass
class Geometry:
    """The boxes of one slide; absent parts are None or empty."""

    title: TextBox
    subtitle: TextBox | None = None
    facts: list[tuple[Box, TextBox, TextBox]] = field(default_factory=list)  # card, value, label
    figures: list[Box] = field(default_factory=list)
    problem: tuple[Box, TextBox, TextBox] | None = None  # panel, heading, text
    footer: TextBox | None = None


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width in px: CJK characters are one em wide, Latin about 0.56 em (0.6 bold)."""
    narrow = 0.6 if bold else 0.56
    em = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else narrow for c in text)
    return em * size


def lines(text: str, size: float, width: float, bold: bool = False) -> int:
    """Estimated wrapped line count; explicit newlines count too."""
    parts = text.split("\n") or [""]
    return sum(max(1, math.ceil(text_width(p, size, bold) / width * 1.04)) for p in parts)


def _text(text: str, x: float, y: float, w: float, size: float, bold: bool = False) -> TextBox:
    return TextBox(Box(x, y, w, lines(text, size, w, bold) * size * LINE), text, size)


def geometry(slide: Slide, problem_heading: str) -> Geometry:
    """Lay out one slide: title, subtitle, fact cards, 0-2 figures side by side, footer."""
    title_size = TITLE_PX if text_width(slide.title, TITLE_PX, True) <= CONTENT_W else TITLE_MIN_PX
    title = _text(slide.title or " ", MARGIN, 52, CONTENT_W, title_size, bold=True)
    geo = Geometry(title=title)
    y = title.box.y + title.box.h + 8
    if slide.subtitle:
        geo.subtitle = _text(slide.subtitle, MARGIN, y, CONTENT_W, SUBTITLE_PX)
        y += geo.subtitle.box.h
    bottom = H - 36
    if slide.footer:
        h = lines(slide.footer, FOOTER_PX, CONTENT_W) * FOOTER_PX * LINE  # bottom-aligned
        geo.footer = TextBox(Box(MARGIN, bottom - h, CONTENT_W, h), slide.footer, FOOTER_PX)
        bottom -= h + 20
    y += GAP
    if not slide.ok:
        head = _text(problem_heading, MARGIN + 48, y + 44, CONTENT_W - 96, PROBLEM_HEAD_PX, bold=True)
        body = _text(slide.problem, MARGIN + 48, head.box.y + head.box.h + 20, CONTENT_W - 96, PROBLEM_PX)
        panel = Box(MARGIN, y, CONTENT_W, min(body.box.y + body.box.h + 52, bottom) - y)
        geo.problem = (panel, head, body)
        return geo
    if slide.facts:
        geo.facts = _fact_cards(slide.facts, y)
        y += geo.facts[0][0].h + GAP
    n = min(len(slide.figures), 2)
    if n:
        fig_w = (CONTENT_W - GAP * (n - 1)) / n
        geo.figures = [Box(MARGIN + i * (fig_w + GAP), y, fig_w, max(bottom - y, 240)) for i in range(n)]
    return geo


def _fact_cards(facts: list[tuple[str, str]], y: float) -> list[tuple[Box, TextBox, TextBox]]:
    """Equal cards across the width. A value that would not fit its card gets a smaller font; a
    long label wraps, and every card grows to the tallest label so the row stays even."""
    n = len(facts)
    card_w = (CONTENT_W - GAP * (n - 1)) / n
    inner = card_w - 48
    label_lines = max(lines(label, FACT_LABEL_PX, inner) for label, _ in facts)
    label_y = y + FACT_PAD + FACT_VALUE_PX * LINE
    card_h = label_y + label_lines * FACT_LABEL_PX * LINE + FACT_PAD - y
    cards = []
    for i, (label, value) in enumerate(facts):
        x = MARGIN + i * (card_w + GAP)
        size = FACT_VALUE_PX
        while size > FACT_VALUE_MIN_PX and text_width(value, size, True) > inner:
            size -= 4
        value_box = TextBox(Box(x + 24, y + FACT_PAD, inner, size * LINE), value, size)
        label_box = _text(label, x + 24, label_y, inner, FACT_LABEL_PX)
        cards.append((Box(x, y, card_w, card_h), value_box, label_box))
    return cards


def shown_figures(slide: Slide) -> list[go.Figure]:
    """The figures a slide shows: none on a problem slide, at most two side by side."""
    return list(slide.figures[:2]) if slide.ok else []


def _zoom(fig: go.Figure) -> float:
    """How much to enlarge a figure so its base text reaches TEXT_PX on the canvas: app charts
    (14 px) grow by ~1.6, charts already styled for slides (20 px) barely. Maps are drawn at the
    size they were framed for (their zoom and the column their key takes are in px)."""
    if is_map(fig):
        return 1.0
    base = fig.layout.font.size or 12
    return min(max(TEXT_PX / base, 1.0), ZOOM)


def _fit(fig: go.Figure, width: float, height: float) -> go.Figure:
    """A copy of `fig` drawn at width x height. Map subplots keep the area they were designed
    to show: their zoom moves by log2 of the size change (a map's zoom is per pixel, not per
    figure, so a smaller figure would otherwise crop the country)."""
    copy = go.Figure(fig)
    if isinstance(copy.layout.meta, dict) and "china_key" in copy.layout.meta:
        return reframe(copy, width, height)  # the whole country, its key off the land, at this size
    w0, h0 = fig.layout.width, fig.layout.height
    if w0 and h0:
        shift = math.log2(min(width / w0, height / h0))
        for name in [k for k in copy.layout if k.startswith(("map", "mapbox"))]:
            sub = copy.layout[name]
            if getattr(sub, "zoom", None) is not None:
                sub.zoom = sub.zoom + shift
    return copy


def picture_figures(
    slides: list[Slide], geometries: list[Geometry]
) -> tuple[list[go.Figure], list[int], float]:
    """The figures as the deck draws them, the number each slide shows, and the one PNG scale.

    Each figure is drawn at its box size divided by its zoom, so its text lands at about TEXT_PX
    on the slide; the picture is then stretched back to the box."""
    figs: list[go.Figure] = []
    counts: list[int] = []
    zooms = [1.0]
    for slide, geo in zip(slides, geometries, strict=True):
        shown = shown_figures(slide)
        counts.append(len(shown))
        for fig, box in zip(shown, geo.figures, strict=True):
            zooms.append(_zoom(fig))
            w, h = round(box.w / zooms[-1]), round(box.h / zooms[-1])
            copy = _fit(fig, w, h)
            copy.update_layout(width=w, height=h, autosize=False)
            figs.append(copy)
    # one scale for the batch: the most enlarged figure still gets SHARPNESS pixels per canvas px
    return figs, counts, SHARPNESS * max(zooms)


def render_pictures(slides: list[Slide], geometries: list[Geometry]) -> list[list[bytes]]:
    """PNG bytes for every figure of the deck, in ONE kaleido call (one Chromium start)."""
    from cloudsword import export

    figs, counts, scale = picture_figures(slides, geometries)
    pngs = export.images(figs, "png", scale=scale)
    out, at = [], 0
    for n in counts:
        out.append(pngs[at : at + n])
        at += n
    return out


def interactive_figure(fig: go.Figure, box: Box) -> go.Figure:
    """A copy that fills its slide box in the browser, with fonts grown for the room like the
    pictures' (a live chart cannot be scaled as an image; its fonts can)."""
    growth = _zoom(fig)
    copy = _fit(fig, box.w, box.h)
    base = copy.layout.font.size or 12
    title = copy.layout.title.font.size or base * 1.2
    copy.update_layout(
        width=None, height=None, autosize=True,
        font_size=round(base * growth), title_font_size=round(title * growth),
    )  # fmt: skip
    return copy
