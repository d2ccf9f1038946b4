"""Decks as a principal may hold them: the views a slide names rewritten so that no entity id the
principal may not receive survives in the editor or the saved JSON.

A view names entities (`network?entity=E0000036&expand=E1,E2`). For a masked role a personal
entity's id becomes its pseudonym, the same one the role's scoped store gives it, so the slide
still resolves; for an officer an entity outside their reach becomes a pseudonym too, which their
store does not know: the slide says the seller cannot be shown, and the id is gone. Slide titles
and notes are the author's own words and pass as written.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl, urlencode

from cloudsword import privacy
from cloudsword.access.scope import Scoped, networks, visible_entities
from cloudsword.deck.spec import SlideSpec

ENTITY_PARAMS = ("entity", "expand")  # view parameters holding entity ids (expand: a comma list)


def _id_for(entity: str, store: Scoped, seen: set[str] | None) -> str:
    who = store.principal
    if who.masked and entity in networks(store).personal:
        return privacy.pseudonym(entity)
    if who.restricted and seen is not None and entity not in seen:
        return privacy.pseudonym(entity)
    return entity


def view_for(view: str, store: Scoped) -> str:
    """One slide's view with the entity ids the principal may not hold replaced."""
    who = store.principal
    if not (who.masked or who.restricted) or "?" not in view:
        return view
    page, query = view.split("?", 1)
    if page.strip("/") != "network":
        return view
    seen = set(visible_entities(store, who.provinces)) if who.restricted else None
    pairs = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key in ENTITY_PARAMS:
            value = ",".join(_id_for(x, store, seen) for x in value.split(",") if x)
        pairs.append((key, value))
    return f"{page}?{urlencode(pairs, safe=',')}"


def specs_for(specs: list[SlideSpec], store: Scoped) -> list[SlideSpec]:
    """A deck as the principal may hold it (unchanged for the administrator)."""
    return [replace(s, view=view_for(s.view, store)) for s in specs]
