"""Presentation (/present): the editor (default), the projector (?mode=show&slide=N) and the
presenter console (?mode=notes&slide=N, a second window).

The deck is this session's (components.present.state), slides are built and masked by
cloudsword.story through the cache, components.present.stage lays them out. The page's own
parameters: cloudsword.deck.params.PresentParams.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import streamlit as st

from cloudsword import export
from cloudsword.deck import saved
from cloudsword.deck.files import MIME
from cloudsword.deck.params import AUTO, PresentParams
from cloudsword.deck.spec import SlideSpec
from cloudsword.errors import CloudSwordError
from cloudsword.i18n import error_text, md, t
from components import url
from components.access import audited
from components.cache import present as cached
from components.context import view
from components.present import stage
from components.present import state as P
from components.present.board import EVERYONE, deck_id, deck_key

log = logging.getLogger("cloudsword")
v = view()
store, lang = v.store, v.lang
notices: list[str] = []
params = url.page_params("present", PresentParams.from_query, notices=notices)
specs, more = P.session_deck(store)
notices += more
ss = st.session_state


# -- editor actions (callbacks: they run before the page, so the page draws the new deck) -----------
def _flash(kind: str, text: str) -> None:
    ss["_present_flash"] = (kind, text)


def _edit(i: int, field: str, key: str) -> None:
    deck_now = list(ss[P.DECK])
    deck_now[i] = SlideSpec(**(deck_now[i].to_dict() | {field: ss[key]}))
    ss[P.DECK] = deck_now


def _move(i: int, step: int) -> None:
    deck_now = list(ss[P.DECK])
    deck_now[i], deck_now[i + step] = deck_now[i + step], deck_now[i]
    P.set_deck(deck_now)


def _delete(i: int) -> None:
    P.set_deck([s for k, s in enumerate(ss[P.DECK]) if k != i])


def _restore() -> None:
    P.set_deck(cached.default_story(store))
    _flash("success", t("present.restored", lang, n=len(ss[P.DECK])))


def _add() -> None:
    if len(ss[P.DECK]) >= saved.max_slides():
        _flash("error", t("deck.error.full", lang, limit=saved.max_slides()))
        return
    try:
        spec = SlideSpec(P.parse_view(ss.get("present_add", "")))
    except CloudSwordError as err:  # the pasted text stays in the box to be corrected
        _flash("error", error_text(err, lang))
        return
    P.set_deck([*ss[P.DECK], spec])
    ss["present_add"] = ""
    _flash("success", t("present.add.done", lang, n=len(ss[P.DECK])))


def _load() -> None:
    upload = ss.get("present_upload")
    if upload is None:
        return
    try:
        loaded = saved.loads(upload.getvalue(), source=upload.name)
    except CloudSwordError as err:  # names the file and what is wrong with it
        _flash("error", t("present.load.failed", lang, detail=error_text(err, lang)))
        return
    P.set_deck(loaded)
    _flash("success", t("present.load.done", lang, file=upload.name, n=len(loaded)))


def _file(fmt: str, deck_json: str) -> Callable[[], bytes]:
    def render() -> bytes:  # runs only when the button is clicked
        try:
            return cached.deck_file(store, deck_json, lang, fmt)
        except Exception:  # rendering needs Chromium: logged, never a trace in the page
            log.exception("presentation export failed (%s)", fmt)
            return b""

    return render


def editor() -> None:
    for note in notices:
        st.warning(note)
    st.header(t("present.title", lang))
    st.caption(t("present.intro", lang))
    if flash := ss.pop("_present_flash", None):
        getattr(st, flash[0])(md(flash[1]))  # it may quote a file's name or a pasted link
    gen = ss.get("_present_gen", 0)

    # -- starting the show --
    c1, c2, c3 = st.columns([1, 1.4, 1], vertical_alignment="bottom")
    c3.selectbox(
        t("present.auto", lang),
        AUTO,
        key="present_auto",
        format_func=lambda s: t("present.auto.every", lang, s=s) if s else t("present.auto.off", lang),
    )
    c1.button(
        "▶ " + t("present.start", lang),
        key="present_start",
        type="primary",
        on_click=lambda: P.start_show(ss.get("present_auto", 0), deck_id(specs)),
        disabled=not specs,
    )
    c2.link_button(
        t("present.console", lang),
        url.link("present", PresentParams(mode="notes", deck=url.current("present").deck)),
        help=t("present.console.help", lang),
    )
    st.caption(t("present.keys", lang))

    # -- the slides --
    slides = [P.resolved(store, s, lang) for s in specs]
    broken = sum(not s.ok for s in slides)
    if broken:
        st.warning(t("present.problems", lang, n=broken))
    if not specs:
        st.info(t("present.empty", lang))
    for i, (spec, slide) in enumerate(zip(specs, slides)):
        with st.container(border=True, key=f"present_row_{gen}_{i}"):
            c = st.columns([0.45, 4, 2.2, 0.42, 0.42, 0.42], vertical_alignment="bottom")
            c[0].markdown(f"**{i + 1}**")
            key = f"present_title_{gen}_{i}"
            c[1].text_input(
                t("present.field.title", lang),
                spec.title,
                key=key,
                on_change=_edit,
                args=(i, "title", key),
                placeholder=cached.slide(store, spec.view, lang).title,  # the view's own title
            )
            shown = md(slide.title)  # the view by its title, not its path
            c[2].markdown(
                f"[{shown}]({url.href(spec.view)})  \n{md(slide.subtitle)}",
                help=t("present.open_view", lang) + f": {md(spec.view)}",
            )
            c[3].button(
                "↑",
                key=f"present_up_{gen}_{i}",
                on_click=_move,
                args=(i, -1),
                disabled=i == 0,
                help=t("present.up", lang),
            )
            c[4].button(
                "↓",
                key=f"present_down_{gen}_{i}",
                on_click=_move,
                args=(i, 1),
                disabled=i == len(specs) - 1,
                help=t("present.down", lang),
            )
            c[5].button(
                "✕", key=f"present_del_{gen}_{i}", on_click=_delete, args=(i,), help=t("present.delete", lang)
            )
            key = f"present_notes_{gen}_{i}"
            st.text_area(
                t("present.field.notes", lang),
                spec.notes,
                key=key,
                placeholder=cached.slide(store, spec.view, lang).notes,  # written for the view
                on_change=_edit,
                args=(i, "notes", key),
            )
            if slide.problem:
                st.warning(md(slide.problem))

    a1, a2 = st.columns([4, 1], vertical_alignment="bottom")
    a1.text_input(
        t("present.add.label", lang), key="present_add", placeholder=t("present.add.placeholder", lang)
    )
    a2.button(t("present.add.button", lang), key="present_add_button", on_click=_add)

    # -- files --
    st.subheader(t("present.files", lang))
    f1, f2 = st.columns([1, 2], vertical_alignment="bottom")
    f1.download_button(
        t("present.save", lang),
        audited(lambda: saved.dumps(specs).encode("utf-8"), export.file_name("deck", "json"), "saved deck"),
        export.file_name("deck", "json"),
        "application/json",
        key="present_save",
        on_click="ignore",
    )
    f2.file_uploader(t("present.load", lang), type=["json"], key="present_upload", on_change=_load)
    st.button("↺ " + t("present.restore", lang), key="present_restore", on_click=_restore)
    if url.current("present").deck:  # a deck of one's own (the default story is everyone's)
        share(url.current("present").deck)

    st.subheader(t("present.export", lang))
    st.caption(t("present.export.note", lang))
    key = deck_key(specs)
    with st.container(horizontal=True):
        for suffix, mime in MIME.items():
            fmt = suffix.lstrip(".")
            st.download_button(
                t(f"present.export.{fmt}", lang),
                audited(_file(fmt, key), export.file_name("deck", fmt), "deck"),
                export.file_name("deck", fmt),
                mime,
                key=f"present_{fmt}",
                on_click="ignore",
                disabled=not specs,
            )


def share(did: str) -> None:
    """Its author shares the deck with named users or everyone signed in (components.present.board)."""
    board = cached.board()
    with st.expander(t("access.share.header", lang)):
        st.caption(t("access.share.note", lang))
        now = board.shared_with(did)
        users = st.text_input(
            t("access.share.users", lang), ", ".join(sorted(now - {EVERYONE})), key="present_share_users"
        )
        everyone = st.checkbox(t("access.share.everyone", lang), EVERYONE in now, key="present_share_all")
        if st.button(t("access.share.button", lang), key="present_share_button"):
            chosen = {u for u in users.replace(";", ",").split(",")} | ({EVERYONE} if everyone else set())
            if board.share(did, v.principal, chosen):
                st.success(t("access.share.done", lang))


def _ticker(did: str, index: int, total: int, auto: int, clock: bool) -> None:
    P.follow(did, index, total, auto)
    if clock:
        pos = cached.board().position(did)
        since = pos.started if pos else ss.setdefault("_present_console_since", time.time())
        st.html(
            f'<div class="cs-label">{t("present.notes.elapsed", lang)}</div>'
            f'<div class="cs-clock">{stage.elapsed_text(time.time() - since)}</div>'
        )


def show(console: bool) -> None:
    """The projector, or (`console`) the presenter's notes screen; both fill the window."""
    stage.stage_css()
    with st.container(key=stage.STAGE):
        index, auto = params.slide - 1, params.auto
        if index >= max(len(specs), 1):  # a slide beyond the deck's end: the first, with a notice
            notices.append(md(t("filters.url_problem", lang, param="slide", value=str(params.slide))))
            index = 0
            P.go_to(0)
        for note in notices:
            st.warning(note)
        if not specs:
            st.info(t("present.no_slides", lang))
            st.button(
                "✕ " + t("present.exit", lang), key="present_exit", on_click=P.leave_show, shortcut="Esc"
            )
            return
        did = deck_id(specs)
        P.sync(did, index, follow_first=console)
        slide = P.resolved(store, specs[index], lang)
        if console:
            after = P.resolved(store, specs[index + 1], lang) if index + 1 < len(specs) else None
            left, right = st.columns([3, 1])
            left.html(stage.console_html(slide, after, index, len(specs), lang))
            with right:
                st.fragment(_ticker, run_every=1)(did, index, len(specs), 0, True)
                st.button(
                    t("present.notes.reset", lang),
                    key="present_clock",
                    on_click=cached.board().restart,
                    args=(did,),
                )
                st.caption(t("present.notes.sync", lang))
            with st.container(key="present_controls", horizontal=True):
                stage.nav_buttons(index, len(specs), lang)
            return
        stage.render_slide(slide, index, len(specs), lang)
        stage.controls(index, len(specs), lang, auto)
        st.fragment(_ticker, run_every=1 if auto else 2)(did, index, len(specs), auto, False)


if params.mode == "edit":
    editor()
else:
    show(console=params.mode == "notes")
