"""The presentation in this session (/present): its deck, the slide shown and the board it shares
with a presenter console in another window.

The deck is `st.session_state["deck"]` (a list of SlideSpec; the sidebar's "add this view" button
appends to it). The page's own parameters (mode, slide, auto, deck: cloudsword.deck.params) live
in the URL. The `Board` shared by the server's sessions (components.present.board) holds decks by
content id and the slide each is on, so the console turns pages with the projector.
"""

from __future__ import annotations

import time
from dataclasses import replace
from urllib.parse import urlsplit

import streamlit as st

from cloudsword.access import Scoped
from cloudsword.access.decks import specs_for
from cloudsword.deck.spec import PAGES, Slide, SlideSpec
from cloudsword.errors import CloudSwordError
from cloudsword.i18n import md, t
from cloudsword.store import Store
from components import url
from components.cache import present as cached
from components.context import view
from components.present.board import deck_id
from components.sidebar import switching_language

DECK = "deck"  # session key shared with components/deck_button.py


# -- the deck in this session -----------------------------------------------------------------------
def session_deck(store: Store) -> tuple[list[SlideSpec], list[str]]:
    """This session's deck, and notices to show. Starts from the URL's `deck` (a deck another
    window registered) or the default story (the same specs in either language)."""
    ss, notices, lang, who = st.session_state, [], view().lang, view().principal
    default = cached.default_story(store)
    board = cached.board()
    if DECK not in ss:
        did = url.current("present").deck
        found = (
            board.get(did, who) if did else None
        )  # a deck opens to its authors and those it is shared with
        if did and found is None:
            notices.append(
                md(t("access.deck_not_yours" if board.exists(did) else "present.deck_missing", lang))
            )
        ss[DECK] = found if found is not None else list(default)
    if isinstance(store, Scoped):  # no entity id the principal may not hold, in the editor or the JSON
        ss[DECK] = specs_for(ss[DECK], store)
    specs = list(ss[DECK])
    custom = specs != default
    if custom:
        board.put(specs, who)
    url.update("present", deck=deck_id(specs) if custom else None)
    return specs, notices


def set_deck(specs: list[SlideSpec]) -> None:
    """Replace the deck; the editor's row widgets are re-created from it (new generation)."""
    st.session_state[DECK] = list(specs)
    st.session_state["_present_gen"] = st.session_state.get("_present_gen", 0) + 1


def resolved(store: Store, spec: SlideSpec, lang: str) -> Slide:
    """The slide for `spec`: the view is built once per (dataset, view, language) and shared,
    so retitling or annotating a slide does not query again."""
    base = cached.slide(store, spec.view, lang)
    return replace(base, spec=spec, title=spec.title or base.title, notes=spec.notes or base.notes)


def parse_view(text: str) -> str:
    """A pasted link or path as a slide view ("map?metric=cases"); CloudSwordError if it is not
    a page a slide can show."""
    raw = text.strip()
    if not raw:
        raise CloudSwordError("present.error.empty_view")
    parts = urlsplit(raw if "://" in raw else "http://x/" + raw.lstrip("/"))
    page = parts.path.strip("/").rsplit("/", 1)[-1] or "overview"
    if page not in PAGES:
        raise CloudSwordError("present.error.unknown_page", view=raw, pages=", ".join(PAGES))
    return page + (f"?{parts.query}" if parts.query else "")


# -- moving through the show -------------------------------------------------------------------------
def go_to(index: int) -> None:
    url.update("present", slide=index + 1)


def start_show(auto: int, did: str) -> None:
    """From the editor, in this session (a new window would be a new session without the deck)."""
    url.update("present", mode="show", slide=1, auto=auto)
    st.session_state.pop("_present_last", None)
    cached.board().restart(did)  # the console's clock starts with the show


def leave_show() -> None:
    url.update("present", mode="edit", slide=1, auto=0)


def switch_language(lang: str) -> None:
    switching_language()  # every setting stays, as with the sidebar's switch
    st.session_state["lang"] = "en" if lang == "zh" else "zh"  # the sidebar's widget; the slide stays


def sync(did: str, index: int, follow_first: bool) -> None:
    """Tell the board which slide this session shows, once per change. A console opening
    (`follow_first`) takes the projector's slide instead of announcing its own."""
    ss, board = st.session_state, cached.board()
    if ss.get("_present_last") == (did, index):
        return
    pos = board.position(did)
    if follow_first and pos is not None and (ss.get("_present_last") or ("",))[0] != did:
        ss.update(_present_last=(did, pos.slide), _present_seen=pos.seq, _present_shown_at=time.time())
        if pos.slide != index:
            go_to(pos.slide)
            st.rerun()
        return
    ss.update(_present_last=(did, index), _present_seen=board.publish(did, index))
    ss["_present_shown_at"] = time.time()


def follow(did: str, index: int, total: int, auto: int) -> None:
    """Called by the polling fragment: take a page turn made in the other window, or advance
    the slide when auto-advance is due."""
    ss = st.session_state
    pos = cached.board().position(did)
    if pos is not None and pos.seq > ss.get("_present_seen", 0):
        ss["_present_seen"] = pos.seq
        if pos.slide != index and 0 <= pos.slide < total:
            ss.update(_present_last=(did, pos.slide), _present_shown_at=time.time())
            go_to(pos.slide)
            st.rerun()
    if auto and index < total - 1 and time.time() - ss.get("_present_shown_at", time.time()) >= auto:
        go_to(index + 1)
        st.rerun()
