"""Entry point: page config, shared sidebar (language, filters), navigation, then the page, and
the URL written once for the run.

Errors a user can fix (a missing or damaged data file, a wrong config) are shown as a message
in the user's language; anything else is logged on the server and shown as a short notice,
never as a stack trace.
"""

from __future__ import annotations

import logging
import os
import time

import streamlit as st

from cloudsword.access import scoped
from cloudsword.access.scope import prepare
from cloudsword.errors import CloudSwordError
from cloudsword.i18n import error_text, format_date, md, t
from components import access, url
from components.cache import current_store, dataset_notices
from components.cache.warm import warm
from components.context import View, set_view
from components.deck_button import add_to_deck_button
from components.sidebar import language, sidebar
from components.streamlit_fixes import pin_deferred_downloads

log = logging.getLogger("cloudsword")
pin_deferred_downloads()  # downloads survive other sessions' runs (components/streamlit_fixes.py)

st.set_page_config(page_title="Cloud Sword · 云剑联盟", page_icon="🛡️", layout="wide")


def _fail(err: Exception, lang: str) -> None:
    if isinstance(err, CloudSwordError):  # its values (names, rows quoted from a file) stay text
        st.error(f"**{md(t('error.title', lang))}**\n\n{md(error_text(err, lang))}")
    else:
        log.exception("unexpected error")
        st.error(md(error_text(err, lang)))
    st.stop()


# The app's title, subtitle and demonstration notice take one line each, so the first screen at
# 1440x900 reaches each page's main chart.
_HEADER_CSS = """<style>
[data-testid="stMainBlockContainer"] {padding-top: 2.2rem;}
[data-testid="stMain"] h1 {font-size: 1.75rem; padding: 0 0 0.1rem 0;}
[data-testid="stMain"] h2 {font-size: 1.6rem; padding: 0.4rem 0 0.3rem 0;}
[data-testid="stMain"] h3 {font-size: 1.35rem; padding: 0.2rem 0 0.1rem 0;}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {gap: 0.75rem;}
[data-testid="stMain"] [data-testid="stAlertContainer"] {padding: 0.35rem 0.8rem;}
[data-testid="stMain"] [data-testid="stAlertContentInfo"] p {font-size: 0.85rem;}
</style>"""


def _pages(lang: str) -> list[st.Page]:
    nav = lambda key: t(f"nav.{key}", lang)
    return [
        st.Page("views/overview.py", title=nav("overview"), icon=":material/dashboard:", default=True),
        st.Page("views/map.py", title=nav("map"), icon=":material/map:", url_path="map"),
        st.Page("views/network.py", title=nav("network"), icon=":material/hub:", url_path="network"),
        st.Page("views/trends.py", title=nav("trends"), icon=":material/timeline:", url_path="trends"),
        st.Page("views/present.py", title=nav("present"), icon="▶️", url_path="present"),
        st.Page("views/data.py", title=nav("data"), icon=":material/database:", url_path="data"),
    ]


_STARTED = time.perf_counter()
lang = language()
try:  # the sidebar runs inside the friendly handler too: no interaction shows Streamlit's box
    who = access.principal(lang)  # stops here with the sign-in screen until someone is signed in
    store = scoped(current_store(), who)  # every page reads the data as this principal may
    if st.session_state.get("_access_cut") != store.scope_key():  # an officer's cuts, made ahead
        prepare(store)
        st.session_state["_access_cut"] = store.scope_key()
    warm(store)  # the network page's graph, rings and search index, built in the background
    filters, lang = sidebar(store.default_filters())
    page = st.navigation(_pages(lang))
    name = page.url_path or "overview"
    set_view(View(store, filters, lang, name, arrived=st.session_state.get("_page") != name, principal=who))
    st.session_state["_page"] = name
    if name not in ("present", "data"):  # no slide of these
        add_to_deck_button()

    st.html(_HEADER_CSS)
    st.title(t("app.title", lang))
    st.caption(t("app.subtitle", lang))
    for key, params in dataset_notices():
        if key == "dataset.newer":
            st.info(t(key, lang), icon=":material/update:")
            st.button(t("dataset.newer.use", lang), on_click=access.switch_version, key="use_newest_version")
        else:
            reason = error_text(params["reason"], lang)
            st.warning(t(key, lang, reason=reason, version=params["version"]), icon=":material/warning:")
    if store.manifest.synthetic:
        st.info(
            t("demo.notice", lang, as_of=format_date(store.manifest.as_of, lang)), icon=":material/science:"
        )
    for warning in store.warnings_for(
        name
    ):  # rows the figures leave out, empty tables: every page they touch
        st.warning(md(error_text(warning, lang)), icon=":material/rule:")
    page.run()
    url.write()
    with st.sidebar:
        access.badge(who, lang)
        url.history()
except Exception as err:  # shown to the user, logged in _fail
    _fail(err, lang)
finally:  # bench/bench_browser.py sets the variable to put the server's time beside the browser's
    if os.environ.get("CLOUDSWORD_RUN_LOG"):
        with open(os.environ["CLOUDSWORD_RUN_LOG"], "a", encoding="utf-8") as log_file:
            log_file.write(
                f"{st.session_state.get('_page', '?')}\t{(time.perf_counter() - _STARTED) * 1000:.1f}\n"
            )
