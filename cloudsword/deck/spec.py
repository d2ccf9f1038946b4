"""The presenter deck's two values: what was saved (`SlideSpec`) and what is shown (`Slide`).

A spec is a permalink plus a title and notes, so any view of any page can become a slide and a
saved deck is a small JSON file. A slide is that view resolved against one dataset in one
language, with personal data already masked: the projector, PPTX, PDF and HTML writers only lay
it out, they never query or mask anything themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

import pandas as pd
import plotly.graph_objects as go

from cloudsword import geo
from cloudsword.charts_style import roomy
from cloudsword.errors import CloudSwordError
from cloudsword.filters import Filters
from cloudsword.i18n import format_date, format_month, join, t
from cloudsword.params import Problem

P = TypeVar("P")

PAGES = ("overview", "map", "network", "trends")  # pages a slide can show (url paths; "" = overview)


@dataclass(frozen=True)
class SlideSpec:
    """A saved view: `view` is a page path and query, e.g. "map?metric=cases&month=2017-06"."""

    view: str
    title: str = ""  # empty: the view's own title in the deck's language
    notes: str = ""  # speaker notes, never on the projected slide

    @property
    def page(self) -> str:
        path = self.view.split("?", 1)[0].strip("/")
        return path or "overview"

    @property
    def query(self) -> str:
        return self.view.split("?", 1)[1] if "?" in self.view else ""

    def to_dict(self) -> dict[str, str]:
        return {"view": self.view, "title": self.title, "notes": self.notes}

    @classmethod
    def from_dict(cls, raw: dict[str, object]) -> SlideSpec:
        return cls(str(raw.get("view", "")), str(raw.get("title") or ""), str(raw.get("notes") or ""))


@dataclass
class Slide:
    """One resolved slide, ready to lay out. `problem` set means the view no longer resolves."""

    spec: SlideSpec
    title: str
    subtitle: str = ""  # what is shown, in words: period, provinces, metric
    notes: str = ""
    figures: list[go.Figure] = field(default_factory=list)  # 0-2 charts, laid out side by side
    facts: list[tuple[str, str]] = field(default_factory=list)  # big numbers: (label, formatted value)
    problem: str = ""  # in the deck's language, e.g. "Seller E0000123 is not in this dataset"
    footer: str = ""  # demonstration data or the source, and the data's date: on every slide
    source: str = ""  # the data's full provenance (generator, seed): the deck file's metadata

    @property
    def ok(self) -> bool:
        return not self.problem


# -- what every feature's slide builder uses ------------------------------------------------------
FULL = (1760, 800)  # one figure across the slide
HALF = (870, 800)  # two side by side
UNDER_FACTS = (1760, 600)  # one figure below a row of big numbers
SLIDE_FONT = 20
SLIDE_LEGEND = 18  # legends and colour bars on a slide (maps frame their key for it)


@dataclass
class Built:
    title: str
    subtitle: str = ""
    notes: str = ""
    figures: list[go.Figure] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)


class SlideProblem(CloudSwordError):
    """The view does not resolve: `key` names a message (deck strings or a page's), `params` fill it."""


def is_map(fig: go.Figure) -> bool:
    """A map of China: framed for its own size in px (its zoom, its key off the land)."""
    return any(tr.type in ("choroplethmap", "scattermap") for tr in fig.data)


def for_slide(fig: go.Figure, size: tuple[int, int]) -> go.Figure:
    """A figure at projector size with type readable from the back of the room. Maps keep the
    margins they were framed with (their builders take the slide's size and legend font)."""
    w, h = size
    fig.update_layout(
        width=w,
        height=h,
        font=dict(size=SLIDE_FONT),
        title=dict(font=dict(size=24 if is_map(fig) else 28), x=0.01),
        legend=dict(font=dict(size=SLIDE_LEGEND)),
        hoverlabel=dict(font=dict(size=18)),
    )
    if is_map(fig):  # its own margins: the title's top pinned inside them
        fig.update_layout(title=dict(yref="container", y=1, yanchor="top", pad=dict(t=18)))
    elif fig.layout.legend.orientation == "h" and fig.layout.legend.y == 1.0:
        fig.update_layout(margin=dict(l=30, r=30, t=110, b=40))  # a title, then a row of legend
    else:
        fig.update_layout(margin=dict(l=30, r=30, t=80, b=40))
    roomy(fig)
    fig.update_annotations(font_size=18)
    fig.update_xaxes(tickfont_size=18, title_font_size=20)
    fig.update_yaxes(tickfont_size=18, title_font_size=20)
    return fig


def trim_boundaries(fig: go.Figure) -> go.Figure:
    """Each map trace keeps only the boundaries of its own locations: a class layer of five
    provinces need not carry all 34 (the map page's traces each embed the whole GeoJSON, which
    made one slide map 2.4 MB of JSON in the take-home HTML)."""
    for trace in fig.data:
        gj = getattr(trace, "geojson", None)
        if trace.type != "choroplethmap" or not isinstance(gj, dict) or "features" not in gj:
            continue
        path = (trace.featureidkey or "id").split(".")
        wanted = {str(x) for x in (trace.locations or ())}

        def key(feature: dict, path: list[str] = path) -> str:
            for part in path:
                feature = feature.get(part, {}) if isinstance(feature, dict) else {}
            return str(feature)

        trace.geojson = {
            "type": "FeatureCollection",
            "features": [x for x in gj["features"] if key(x) in wanted],
        }
    return fig


def sized(figs: list[go.Figure], facts: bool = False) -> list[go.Figure]:
    size = HALF if len(figs) > 1 else UNDER_FACTS if facts else FULL
    return [for_slide(trim_boundaries(f), size) for f in figs]


def province_list(codes: tuple[str, ...] | list[str], lang: str, in_sentence: bool = False) -> str:
    if not codes:
        return t("deck.all_provinces" if in_sentence else "filters.provinces.all", lang)
    return join((geo.province_name(a, lang, short=True) for a in codes), lang)


def no_data(f: Filters, start: date, end: date, lang: str) -> SlideProblem:
    """The slide's problem when the view's provinces have no data in the period."""
    return SlideProblem(
        "deck.problem.no_data",
        provinces=province_list(f.provinces, lang, in_sentence=True),
        start=format_date(start, lang),
        end=format_date(end, lang),
    )


def subtitle(f: Filters, lang: str, *more: str) -> str:
    parts = [
        t("deck.sub.period", lang, start=format_month(f.date_from, lang), end=format_month(f.date_to, lang)),
        province_list(f.provinces, lang),
    ]
    if f.categories:
        parts.append(join((t(f"category.{c}", lang) for c in f.categories), lang))
    parts.append(t(f"metric.{f.metric}", lang))
    return " · ".join([*parts, *[m for m in more if m]])


def checked(read: tuple[P, list[Problem]]) -> P:
    """A page's parameters as a slide reads them: the first value that cannot be used is the
    slide's problem (a saved view is shown as it was saved, or says why it cannot be)."""
    value, problems = read
    for param, raw in problems:
        if param == "province":
            raise SlideProblem("deck.problem.province", value=raw)
        raise SlideProblem("deck.problem.param", param=param, value=raw)
    return value


def mean(s: pd.Series) -> float:
    return float(s.mean()) if len(s) else float("nan")
