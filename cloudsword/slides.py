"""The presenter deck's two values: what was saved (`SlideSpec`) and what is shown (`Slide`).

A spec is a permalink plus a title and notes, so any view of any page can become a slide and a
saved deck is a small JSON file. A slide is that view resolved against one dataset in one
language, with personal data already masked: the projector, PPTX, PDF and HTML writers only lay
it out, they never query or mask anything themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go

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
    footer: str = ""  # the synthetic-data notice and data source line, on every slide

    @property
    def ok(self) -> bool:
        return not self.problem
