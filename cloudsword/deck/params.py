"""The presentation page's own parameters (/present): editor, projector or presenter console, the
slide shown, auto-advance and the deck another window registered."""

from __future__ import annotations

from dataclasses import dataclass

from cloudsword.params import Problem, Query, Reader, drop_defaults

MODES = ("edit", "show", "notes")
AUTO = (0, 10, 20, 30, 60)  # auto-advance choices, seconds; 0 is off


@dataclass(frozen=True)
class PresentParams:
    mode: str = "edit"
    slide: int = 1  # 1-based, as people count slides
    auto: int = 0
    deck: str | None = None  # id of a deck on the server's board (a console in a second window)

    @classmethod
    def from_query(cls, query: Query) -> tuple[PresentParams, list[Problem]]:
        r = Reader(query)
        raw, slide = r.text("slide"), 1
        if raw is not None and raw.isdigit() and int(raw) >= 1:
            slide = int(raw)  # beyond the deck's end: the page says so, knowing its length
        elif raw is not None:
            r.reject("slide", raw)
        p = cls(
            mode=str(r.choice("mode", MODES, "edit")),
            slide=slide,
            auto=int(r.choice("auto", AUTO, 0)),
            deck=r.text("deck"),
        )
        return p, r.problems

    def to_query(self) -> dict[str, str]:
        return drop_defaults(self._text(), PresentParams()._text())

    def _text(self) -> dict[str, str | None]:
        return {"mode": self.mode, "slide": str(self.slide), "auto": str(self.auto), "deck": self.deck}
