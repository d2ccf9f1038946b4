"""The sidebar button on every page but /present: this exact view becomes the deck's next slide."""

from __future__ import annotations

import streamlit as st

from cloudsword.deck import saved
from cloudsword.deck.spec import SlideSpec
from cloudsword.i18n import t
from components import url
from components.cache import present as cached
from components.context import view
from components.present.state import DECK


def _add() -> None:
    v = view()
    deck = st.session_state.get(DECK)
    if deck is None:  # the presentation starts as the default story; this view goes at its end
        deck = list(cached.default_story(v.store))
    if len(deck) >= saved.max_slides():
        st.toast(t("deck.error.full", v.lang, limit=saved.max_slides()), icon=":material/block:")
        return
    deck.append(SlideSpec(url.view_path()))
    st.session_state[DECK] = deck
    st.toast(t("export.added_slide", v.lang, n=len(deck)), icon=":material/add_to_queue:")


def add_to_deck_button() -> None:
    st.sidebar.button(
        t("export.add_slide", view().lang),
        icon=":material/add_to_queue:",
        on_click=_add,
        key="add_to_deck",
        width="stretch",
    )
