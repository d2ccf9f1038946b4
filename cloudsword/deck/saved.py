"""Saved decks: a deck is a small JSON file of slide specs (views, titles, notes).

A deck comes from anyone (an upload, a file on the command line), and every slide costs seconds
of rendering, so a deck file is refused before it is parsed when it is larger than
$CLOUDSWORD_DECK_MAX_BYTES (default 1 MB), and a deck with more slides than
$CLOUDSWORD_DECK_MAX_SLIDES (default 40) is refused wherever one is loaded, added to or built.
Every way a file can fail to be a deck is a DeckError naming the file, never a traceback.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from cloudsword.deck.spec import SlideSpec
from cloudsword.errors import CloudSwordError

VERSION = 1
MAX_BYTES, MAX_SLIDES = 1_000_000, 40


class DeckError(CloudSwordError):
    """A saved deck file that cannot be read, or a deck command asked for something unknown."""


def dumps(specs: Sequence[SlideSpec]) -> str:
    """A deck as JSON text: {"version": 1, "slides": [{"view", "title", "notes"}, ...]}."""
    return json.dumps(
        {"version": VERSION, "slides": [s.to_dict() for s in specs]}, ensure_ascii=False, indent=2
    )


def _limit(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def max_bytes() -> int:
    """The largest deck file read ($CLOUDSWORD_DECK_MAX_BYTES)."""
    return _limit("CLOUDSWORD_DECK_MAX_BYTES", MAX_BYTES)


def max_slides() -> int:
    """The most slides a deck may have ($CLOUDSWORD_DECK_MAX_SLIDES)."""
    return _limit("CLOUDSWORD_DECK_MAX_SLIDES", MAX_SLIDES)


def check_size(specs: Sequence[object], source: str = "") -> None:
    """DeckError when a deck has more slides than allowed."""
    if len(specs) > max_slides():
        raise DeckError("deck.error.too_many", source=source or "deck", n=len(specs), limit=max_slides())


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.0f} kB"


def loads(text: str | bytes, source: str = "deck.json") -> list[SlideSpec]:
    """The specs of a saved deck; DeckError naming what is wrong for anything that is not one."""
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > max_bytes():
        raise DeckError("deck.error.too_big", file=source, size=_size(size), limit=_size(max_bytes()))
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        raw = json.loads(text)
    except UnicodeDecodeError:
        raise DeckError("deck.error.not_text", file=source) from None
    except json.JSONDecodeError as exc:
        raise DeckError("deck.error.not_json", file=source, line=exc.lineno, col=exc.colno) from None
    except RecursionError:  # [[[[... nested deeper than Python's parser goes
        raise DeckError("deck.error.nested", file=source) from None
    if not isinstance(raw, dict) or "slides" not in raw or "version" not in raw:
        raise DeckError("deck.error.not_deck", file=source)
    if raw["version"] != VERSION or isinstance(raw["version"], bool):
        raise DeckError("deck.error.version", file=source, version=raw["version"])
    if not isinstance(raw["slides"], list):
        raise DeckError("deck.error.slides", file=source)
    check_size(raw["slides"], source)
    specs = []
    for n, item in enumerate(raw["slides"], start=1):
        if not isinstance(item, dict) or not isinstance(item.get("view"), str) or not item["view"].strip():
            raise DeckError("deck.error.slide", file=source, n=n)
        for name in ("title", "notes"):
            if item.get(name) is not None and not isinstance(item[name], str):
                raise DeckError("deck.error.slide_field", file=source, n=n, field=name)
        specs.append(SlideSpec.from_dict({**item, "view": item["view"].strip()}))
    return specs


def load(path: Path | str) -> list[SlideSpec]:
    """A saved deck file (loads, with the file's name in any message)."""
    path = Path(path)
    try:
        if path.stat().st_size > max_bytes():  # refused before it is read whole
            raise DeckError(
                "deck.error.too_big",
                file=str(path),
                size=_size(path.stat().st_size),
                limit=_size(max_bytes()),
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise DeckError("deck.error.missing", file=str(path)) from None
    except OSError as exc:
        raise DeckError(
            "deck.error.file", file=str(path), detail=exc.strerror or type(exc).__name__
        ) from None
    return loads(data, source=str(path))
