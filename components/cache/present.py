"""The presentation, cached (/present): the default story per dataset, each view resolved as a
slide per language, the take-home files, and the board every session shares."""

from __future__ import annotations

import json

from cloudsword import story
from cloudsword.deck import files
from cloudsword.deck.spec import Slide, SlideSpec
from cloudsword.store import Store
from components.cache import data, resource
from components.present.board import Board


@data(max_entries=8)
def default_story(store: Store) -> list[SlideSpec]:
    return story.default_story(store)


@resource(max_entries=256)
def slide(store: Store, view: str, lang: str) -> Slide:
    """One view resolved as a slide (masked), keyed by the view alone so a new title or new notes
    do not query again. Shared and read-only: the page copies figures before resizing them."""
    return story.build_slide(store, SlideSpec(view), lang)


@data(max_entries=6)
def deck_file(store: Store, deck_json: str, lang: str, fmt: str) -> bytes:
    """The take-home deck (pptx, pdf or html) for the deck as canonical JSON; built on click."""
    specs = [SlideSpec.from_dict(d) for d in json.loads(deck_json)]
    return files.deck_bytes(story.build_deck(store, specs, lang), fmt, lang)


@resource()
def board() -> Board:
    """Decks and slide positions shared by every session, so the presenter console follows the
    projector in another window."""
    return Board()
