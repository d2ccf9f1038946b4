"""Entry point: page config, shared sidebar (language, filters), navigation, then the page, and
the URL written once for the run.

Errors a user can fix (a missing or damaged data file, a wrong config) are shown as a message
in the user's language; anything else is logged on the server and shown as a short notice,
never as a stack trace.
"""

from __future__ import annotations

import logging

import streamlit as st

from cloudsword.errors import CloudSwordError
from cloudsword.i18n import error_text, format_date, t
from components import url
from components.cache import current_store, dataset_notices, use_version
from components.context import View, set_view
from components.deck_button import add_to_deck_button
from components.sidebar import language, sidebar

log = logging.getLogger("cloudsword")

st.set_page_config(page_title="Cloud Sword · 云剑联盟", page_icon="🛡️", layout="wide")


def _fail(err: Exception, lang: str) -> None:
    if isinstance(err, CloudSwordError):
        st.error(f"**{t('error.title', lang)}**\n\n{error_text(err, lang)}")
    else:
        log.exception("unexpected error")
        st.error(error_text(err, lang))
    st.stop()


lang = language()
try:
    store = current_store()
except Exception as err:  # shown to the user, logged above
    _fail(err, lang)

filters, lang = sidebar(store.default_filters())
pages = [
    st.Page("views/overview.py", title=t("nav.overview", lang), icon=":material/dashboard:", default=True),
    st.Page("views/map.py", title=t("nav.map", lang), icon=":material/map:", url_path="map"),
    st.Page("views/network.py", title=t("nav.network", lang), icon=":material/hub:", url_path="network"),
    st.Page("views/trends.py", title=t("nav.trends", lang), icon=":material/timeline:", url_path="trends"),
    st.Page("views/present.py", title=t("nav.present", lang), icon="▶️", url_path="present"),
    st.Page("views/data.py", title=t("nav.data", lang), icon=":material/database:", url_path="data"),
]
page = st.navigation(pages)
name = page.url_path or "overview"
set_view(View(store, filters, lang, name, arrived=st.session_state.get("_page") != name))
st.session_state["_page"] = name
if name not in ("present", "data"):  # no slide of these
    add_to_deck_button()

st.title(t("app.title", lang))
st.caption(t("app.subtitle", lang))
for key, params in dataset_notices():
    if key == "dataset.newer":
        st.info(t(key, lang), icon=":material/update:")
        st.button(t("dataset.newer.use", lang), on_click=use_version, key="use_newest_version")
    else:
        reason = error_text(params["reason"], lang)
        st.warning(t(key, lang, reason=reason, version=params["version"]), icon=":material/warning:")
if store.manifest.synthetic:
    st.info(t("demo.notice", lang, as_of=format_date(store.manifest.as_of, lang)), icon=":material/science:")

try:
    page.run()
    url.write()
except Exception as err:
    _fail(err, lang)
