"""Saved decks: a deck is a small JSON file of slide specs (views, titles, notes)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from cloudsword.deck.spec import SlideSpec
from cloudsword.errors import CloudSwordError

VERSION = 1


class DeckError(CloudSwordError):
    """A saved deck file that cannot be read, or a deck command asked for something unknown."""


def dumps(specs: Sequence[SlideSpec]) -> str:
    """A deck as JSON text: {"version": 1, "slides": [{"view", "title", "notes"}, ...]}."""
    return json.dumps(
        {"version": VERSION, "slides": [s.to_dict() for s in specs]}, ensure_ascii=False, indent=2
    )


def loads(text: str | bytes, source: str = "deck.json") -> list[SlideSpec]:
    """The specs of a saved deck; DeckError naming what is wrong for anything that is not one."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        raw = json.loads(text)
    except UnicodeDecodeError:
        raise DeckError("deck.error.not_text", file=source) from None
    except json.JSONDecodeError as exc:
        raise DeckError("deck.error.not_json", file=source, line=exc.lineno, col=exc.colno) from None
    if not isinstance(raw, dict) or "slides" not in raw or "version" not in raw:
        raise DeckError("deck.error.not_deck", file=source)
    if raw["version"] != VERSION or isinstance(raw["version"], bool):
        raise DeckError("deck.error.version", file=source, version=raw["version"])
    if not isinstance(raw["slides"], list):
        raise DeckError("deck.error.slides", file=source)
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
        data = path.read_bytes()
    except FileNotFoundError:
        raise DeckError("deck.error.missing", file=str(path)) from None
    except OSError as exc:
        raise DeckError(
            "deck.error.file", file=str(path), detail=exc.strerror or type(exc).__name__
        ) from None
    return loads(data, source=str(path))
