"""Every chart's download menu.

One menu for every chart in the app: PNG and SVG rendered on the server through kaleido (only
when clicked: it starts a browser), interactive HTML that opens offline, and the chart's data as
CSV and Excel. File names carry the view and the day (`cloudsword-map-2026-11-28.png`). Each file
taken goes into the audit log (components.access.audited).
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cloudsword import export
from cloudsword.i18n import error_text, t
from components.access import audited

log = logging.getLogger("cloudsword")


def _has_browser() -> bool:
    return any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome", "chrome"))


Figure = go.Figure | Callable[[], go.Figure]  # a builder when the shown figure cannot travel alone


def _built(fig: Figure) -> go.Figure:
    return fig() if callable(fig) else fig


def _image(fig: Figure, fmt: str, lang: str) -> Callable[[], bytes]:
    def render() -> bytes:
        try:
            return export.image(_built(fig), fmt)
        except export.ExportError as err:  # a file that says why, rather than a broken download
            log.warning("image export failed: %s", err)
            return error_text(err, lang).encode("utf-8")

    return render


def chart_downloads(
    fig: Figure,
    data: pd.DataFrame | None,
    view: str,
    key: str,
    lang: str,
    title: str = "",
) -> None:
    """A compact "Download" menu under a chart: PNG, SVG, HTML, and the data as CSV and Excel.

    `view` names the page and chart in file names ("map", "trends-event-study"); `key` must be
    unique on the page. Nothing is rendered until a button is clicked. Pass a builder as `fig`
    when the shown figure loads its boundaries by URL: files must carry them inside.
    """
    with st.popover(t("export.menu", lang), icon=":material/download:"):
        images_ok = _has_browser()
        for fmt, mime in (("png", "image/png"), ("svg", "image/svg+xml")):
            st.download_button(
                t(f"export.{fmt}", lang),
                audited(_image(fig, fmt, lang), export.file_name(view, fmt)),
                file_name=export.file_name(view, fmt),
                mime=mime,
                on_click="ignore",
                key=f"{key}_{fmt}",
                disabled=not images_ok,
                help=None if images_ok else t("export.no_browser", lang),
            )
        st.download_button(
            t("export.html", lang),
            audited(lambda: export.figure_html(_built(fig), title or view), export.file_name(view, "html")),
            file_name=export.file_name(view, "html"),
            mime="text/html",
            on_click="ignore",
            key=f"{key}_html",
        )
        tables = (
            ("csv", export.csv_bytes, "text/csv"),
            ("xlsx", export.xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
        for fmt, write, mime in tables if data is not None else ():
            st.download_button(
                t(f"export.{fmt}", lang),
                audited(lambda write=write: write(export.readable(data, lang)), export.file_name(view, fmt)),
                file_name=export.file_name(view, fmt),
                mime=mime,
                on_click="ignore",
                key=f"{key}_{fmt}",
            )
