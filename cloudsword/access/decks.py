"""Decks as a principal may hold them: the views a slide names rewritten so that no entity id the
principal may not receive survives in the editor or the saved JSON, nor any person's name.

A view names entities (`network?entity=E0000036&expand=E1,E2`). For a masked role a personal
entity's id becomes its pseudonym, the same one the role's scoped store gives it, so the slide
still resolves; for an officer an entity outside their reach becomes a pseudonym too, which their
store does not know: the slide says the seller cannot be shown, and the id is gone.

Slide titles and notes are the author's own words, shared with whoever the deck is shared with:
the ids in them are replaced the same way, and the names of people (operators, suspects) and
payment accounts the principal may not read are masked as the pages mask them.
"""

from __future__ import annotations

import re
import threading
import weakref
from dataclasses import replace
from urllib.parse import parse_qsl, urlencode

from cloudsword import privacy
from cloudsword.access.scope import Scoped, base, networks, visible_entities
from cloudsword.deck.spec import SlideSpec

ENTITY_PARAMS = ("entity", "expand")  # view parameters holding entity ids (expand: a comma list)
ENTITY_ID = re.compile(r"\bE\d{7}\b")
SUSPECT_ID = re.compile(r"\bSU\d{6,}\b")
ACCOUNT_TAIL = re.compile(r"尾号\s*\d+|ending (?:in )?\d{3,}", re.IGNORECASE)
_PEOPLE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store -> names
_HIDDEN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store -> scope -> hidden names
_LOCK = threading.Lock()


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
    return [
        replace(
            s, view=view_for(s.view, store), title=text_for(s.title, store), notes=text_for(s.notes, store)
        )
        for s in specs
    ]


def _people(store) -> dict[str, tuple[frozenset[str], str]]:
    """Every person's and payment account's name -> (the entities bearing it or a suspect's workplace,
    "" for none, and its masked form), once per dataset version: operators and accounts, and suspects."""
    unrestricted = base(store)
    with _LOCK:
        found = _PEOPLE.get(unrestricted)
    if found is not None:
        return found
    e = unrestricted.table("entities")
    personal = e.filter(e.kind.isin(list(privacy.PERSONAL_KINDS)))
    rows = unrestricted.run(personal.select("entity_id", "kind", "name"))
    holders: dict[str, set[str]] = {}
    masked: dict[str, str] = {}
    su = unrestricted.table("suspects")
    suspects = unrestricted.run(su.select("name", "entity_id").distinct())
    for name, eid in zip(suspects["name"], suspects.entity_id):  # a suspect is known by their workplace
        if isinstance(name, str) and len(name) > 1:
            holders.setdefault(name, set()).add(eid if isinstance(eid, str) else "")
            masked[name] = privacy.mask_person(name)
    for eid, kind, name in zip(rows.entity_id, rows.kind, rows["name"]):
        if isinstance(name, str) and len(name) > 1:
            holders.setdefault(name, set()).add(eid)
            masked[name] = privacy.mask_name(name, kind)
    found = {name: (frozenset(ids), masked[name]) for name, ids in holders.items()}
    with _LOCK:
        _PEOPLE[unrestricted] = found
    return found


def _hidden(store: Scoped, seen: set[str] | None) -> tuple[dict[str, str], list[int]]:
    """The names this principal may not read -> their masked forms, and their lengths (longest
    first), once per dataset version and scope."""
    who = store.principal
    key = (who.masked, tuple(sorted(who.provinces)) if who.restricted else ())
    with _LOCK:
        found = _HIDDEN.get(base(store), {}).get(key)
    if found is not None:
        return found
    people = _people(store)
    # an officer: a name also borne by anyone outside their reach is masked
    hidden = {n: m for n, (ids, m) in people.items() if who.masked or not ids <= seen}
    found = (hidden, sorted({len(n) for n in hidden}, reverse=True))
    with _LOCK:
        _HIDDEN.setdefault(base(store), {})[key] = found
    return found


def text_for(text: str, store: Scoped) -> str:
    """A slide's title or notes as the principal may read them: entity ids as in `view_for`;
    for a masked role every person's and account's name masked, suspects' ids pseudonymised and
    account numbers starred; for an officer the names of people outside their reach masked."""
    who = store.principal
    if not (who.masked or who.restricted) or not text:
        return text
    seen = set(visible_entities(store, who.provinces)) if who.restricted else None
    out = ENTITY_ID.sub(lambda m: _id_for(m.group(), store, seen), text)
    if who.masked:
        out = SUSPECT_ID.sub(lambda m: privacy.pseudonym(m.group()), out)
        out = ACCOUNT_TAIL.sub(lambda m: privacy.mask_account(m.group()), out)
    hidden, lengths = _hidden(store, seen)
    parts, i = [], 0
    while i < len(out):  # longest name first at each place: "欧阳娜娜" before "欧阳娜"
        hit = next((out[i : i + n] for n in lengths if out[i : i + n] in hidden), None)
        parts.append(hidden[hit] if hit else out[i])
        i += len(hit) if hit else 1
    return "".join(parts)
