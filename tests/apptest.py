"""Open a page of the app in Streamlit's AppTest, the way every app test does."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_page(
    page: str | None = None,
    lang: str | None = "en",
    timeout: float = 90,
    state: dict[str, object] | None = None,
    **params: str,
) -> AppTest:
    """app.py run once on `page` ("views/map.py"; None: the overview) with these URL params and
    session state, as a visitor arriving by a permalink."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if lang is not None:  # None: the app's own default language
        at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    # AppTest runs no browser script: let the first run write its URL at once, as every later run
    # does (in a browser components.url.history puts it in place of the opened address).
    at.session_state["_history_ready"] = True
    for k, v in (state or {}).items():
        at.session_state[k] = v
    if page:
        at.switch_page(page)
    return at.run()


def shown(text: str) -> str:
    """A message as the reader sees it: the markdown escapes the app adds to outside values
    (cloudsword.i18n.md) removed, hard line breaks as newlines."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text).replace("  \n", "\n")


def shown_all(elements: object) -> list[str]:
    """`shown` of each element's value (at.warning, at.error, ...)."""
    return [shown(e.value) for e in elements]


def download_keys(at: AppTest) -> set[str]:
    """The keys of the download buttons the run drew (what a visitor can take away)."""
    return {b.key for b in at.get("download_button") if b.key}


def case_table(at: AppTest, lang: str):
    """The drill-down's case table the run drew (cloudsword.records), or None: at most one."""
    from cloudsword.i18n import t

    head = t("records.col.case_id", lang)
    found = [d.value for d in at.dataframe if head in d.value.columns]
    assert len(found) <= 1
    return found[0] if found else None


def yuan_shown(x: float, lang: str) -> str:
    """A record's seized value to the yuan, as the drill-down tables write it (the oracle the
    tests hold cloudsword.records.yuan to)."""
    return f"{x:,.0f}元" if lang == "zh" else f"¥{x:,.0f}"
