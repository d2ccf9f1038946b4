"""Where the graph's names go: beside their entity, never over another name.

A spring layout puts an operator, its factories and its warehouses close together, so names
written above every key entity print over each other. Each name, most important first, takes the
first place around its marker where its box (estimated from its characters at the font size)
overlaps no name already placed, preferring places that cover fewer other markers; a name with no
free place is left off (hovering the entity still names it). Boxes are in pixels of the smallest
plot the figure is drawn at, so at any larger size the names stand further apart.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

PLACES = ("top center", "bottom center", "middle right", "middle left")  # plotly textposition, in order
GAP = 4.0  # px plotly leaves between a marker's edge and a name beside or above it (Chromium)
PAD = 3.0  # px kept clear around a name

Box = tuple[float, float, float, float]  # left, top, right, bottom in px (y down)


def text_width(text: str, font_px: float) -> float:
    """Chinese characters are square, Latin letters about 0.6 of the font size."""
    return sum(font_px if ord(ch) >= 0x2E80 else 0.6 * font_px for ch in text)


def box_at(place: str, x: float, y: float, radius: float, width: float, height: float) -> Box:
    """The box of a name written at `place` around a marker of `radius` centred at (x, y)."""
    vertical, horizontal = place.split()
    r = radius + GAP
    if vertical == "top":
        top = y - r - height
    elif vertical == "bottom":
        top = y + radius  # below, plotly leaves no gap
    else:
        top = y - height / 2
    if horizontal == "center":
        left = x - width / 2
    elif horizontal == "right":
        left = x + r
    else:
        left = x - width - r
    return left - PAD, top - PAD, left + width + PAD, top + height + PAD


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(
    xy_px: np.ndarray,
    radii_px: np.ndarray,
    labelled: Sequence[int],
    texts: Sequence[str],
    font_px: float = 11.0,
    frame: tuple[float, float] | None = None,
) -> list[str | None]:
    """For each of `labelled` (indices into the markers, most important first) with its text, a
    textposition, or None when every place would print over a name already placed (or leave
    `frame` = (width, height), the plot's size in px)."""
    height = 1.45 * font_px  # the line box Chromium draws
    xy_px = np.asarray(xy_px, dtype=float)
    markers = [(x - r, y - r, x + r, y + r) for (x, y), r in zip(xy_px, radii_px, strict=True)]
    taken: list[Box] = []
    out: list[str | None] = []
    for i, text in zip(labelled, texts, strict=True):
        x, y = xy_px[i]
        width = text_width(text, font_px)
        best, best_cover = None, None
        for place in PLACES:
            box = box_at(place, x, y, radii_px[i], width, height)
            if any(overlap(box, other) for other in taken):
                continue
            if frame is not None and (box[0] < 0 or box[1] < 0 or box[2] > frame[0] or box[3] > frame[1]):
                continue
            cover = sum(overlap(box, m) for j, m in enumerate(markers) if j != i)
            if best_cover is None or cover < best_cover:
                best, best_cover = (place, box), cover
            if cover == 0:
                break
        out.append(best[0] if best else None)
        if best:
            taken.append(best[1])
    return out
