"""The deck's identity and the board the server's sessions share (/present).

The presenter console in a second window is a separate Streamlit session: it finds the projector's
deck and the slide it is on here, through one `Board` per server (components.cache.present_board).
Plain Python, no streamlit: a deck is known by a hash of its content, so two windows showing the
same slides meet on the same board entry.

A deck belongs to the users who put it on the board (its authors) and to those they share it with
(or everyone, by choice): knowing a deck's id opens nothing (`get` asks who is asking).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from cloudsword.access import Principal
from cloudsword.deck.spec import SlideSpec

EVERYONE = "*"


def deck_key(specs: list[SlideSpec]) -> str:
    """The deck as canonical JSON: a cache key and the input of its id."""
    return json.dumps([s.to_dict() for s in specs], ensure_ascii=False, sort_keys=True)


def deck_id(specs: list[SlideSpec]) -> str:
    return hashlib.sha1(deck_key(specs).encode()).hexdigest()[:10]


@dataclass(frozen=True)
class Position:
    slide: int  # 0-based
    seq: int  # bumped on every page turn, so a session can tell what it has already seen
    started: float  # time.time() the show started: the console's clock


@dataclass
class Entry:
    specs: list[SlideSpec]
    authors: set[str] = field(default_factory=set)
    shared: set[str] = field(default_factory=set)  # users (lower case), or EVERYONE

    def open_to(self, who: Principal) -> bool:
        user = who.user.lower()
        return user in self.authors or user in self.shared or EVERYONE in self.shared


class Board:
    """Decks by id and the slide each is on, shared by the server's sessions (bounded, locked)."""

    def __init__(self, size: int = 64) -> None:
        self._lock = threading.Lock()
        self._size = size
        self._decks: OrderedDict[str, Entry] = OrderedDict()
        self._pos: dict[str, Position] = {}

    def put(self, specs: list[SlideSpec], author: Principal) -> str:
        """Register a deck by `author` (who becomes one of its owners); returns its id."""
        did = deck_id(specs)
        with self._lock:
            entry = self._decks.get(did) or Entry(list(specs))
            entry.authors.add(author.user.lower())
            self._decks[did] = entry
            self._decks.move_to_end(did)
            while len(self._decks) > self._size:
                old, _ = self._decks.popitem(last=False)
                self._pos.pop(old, None)
        return did

    def get(self, did: str, who: Principal) -> list[SlideSpec] | None:
        """The deck, if `who` wrote it or it was shared with them; else None, as for no deck."""
        with self._lock:
            found = self._decks.get(did)
            return None if found is None or not found.open_to(who) else list(found.specs)

    def exists(self, did: str) -> bool:
        with self._lock:
            return did in self._decks

    def share(self, did: str, author: Principal, users: set[str]) -> bool:
        """Its author shares a deck with these users (EVERYONE: every signed-in user); replaces
        the earlier choice. False when `author` is not one of its authors."""
        with self._lock:
            found = self._decks.get(did)
            if found is None or author.user.lower() not in found.authors:
                return False
            found.shared = {u.strip().lower() for u in users if u.strip()}
            return True

    def shared_with(self, did: str) -> set[str]:
        with self._lock:
            found = self._decks.get(did)
            return set(found.shared) if found else set()

    def publish(self, did: str, slide: int) -> int:
        with self._lock:
            old = self._pos.get(did)
            seq = (old.seq if old else 0) + 1
            self._pos[did] = Position(slide, seq, old.started if old else time.time())
            return seq

    def restart(self, did: str) -> None:
        with self._lock:
            old = self._pos.get(did)
            self._pos[did] = Position(old.slide if old else 0, old.seq if old else 0, time.time())

    def position(self, did: str) -> Position | None:
        with self._lock:
            return self._pos.get(did)
