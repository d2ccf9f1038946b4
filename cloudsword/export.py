"""Files out: every chart as PNG, SVG or stand-alone HTML, and its data as CSV or Excel.

The app's download buttons, the presenter deck and the CLI share these, so a chart looks the same
wherever it is saved. Images go through kaleido, which drives the machine's Chromium: each call
starts a browser (about a second), so `images` renders a whole batch through one. kaleido is
called directly rather than through plotly.io, which cannot turn MathJax off (kaleido would put
a CDN's MathJax in its page), and it starts Chromium through cloudsword.chromium: offline.
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from cloudsword import chromium
from cloudsword.charts_style import roomy
from cloudsword.errors import CloudSwordError

IMAGE_FORMATS = ("png", "svg")
# China Standard Time: the alliance's clock, whatever zone the server runs in (no daylight saving
# since 1991, so a fixed offset is exact). A file saved at 07:00 in Beijing carries that day.
CHINA = timezone(timedelta(hours=8), "CST")


class ExportError(CloudSwordError):
    """An image could not be rendered (no Chromium on the server, a figure kaleido rejects)."""


def today() -> date:
    """Today in China Standard Time: the day every saved file is stamped with."""
    return datetime.now(CHINA).date()


def file_name(view: str, ext: str, on: date | None = None) -> str:
    """`cloudsword-<view>-<YYYY-MM-DD>.<ext>`: the view and the day it was saved (in China Standard
    Time), safe on every OS."""
    slug = re.sub(r"[^0-9A-Za-z_-]+", "-", view).strip("-").lower() or "chart"
    return f"cloudsword-{slug}-{(on or today()).isoformat()}.{ext}"


def images(
    figs: Sequence[go.Figure],
    fmt: str = "png",
    width: int = 1600,
    height: int = 900,
    scale: float = 1.0,
) -> list[bytes]:
    """Render figures through ONE kaleido browser session; raises ExportError when it cannot."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unknown image format {fmt!r}")
    if not figs:
        return []
    import kaleido

    figs = [roomy(go.Figure(f)) for f in figs]  # copies: the shown figure is not changed
    with tempfile.TemporaryDirectory(prefix="cloudsword-img-") as tmp:
        paths = [Path(tmp) / f"{i}.{fmt}" for i in range(len(figs))]
        specs = [
            {
                "fig": fig.to_dict(),
                "path": path,
                "opts": {"format": fmt, "width": w, "height": h, "scale": scale},
            }
            for fig, path, (w, h) in zip(figs, paths, (_size(f, width, height) for f in figs), strict=True)
        ]
        try:
            kopts = {"mathjax": False, "path": chromium.launcher()}
            kaleido.write_fig_from_object_sync(specs, kopts=kopts)
        except Exception as exc:  # kaleido raises several types when no browser can start
            raise ExportError("export.image_failed", reason=f"{type(exc).__name__}: {exc}") from None
        return [p.read_bytes() for p in paths]


def _size(fig: go.Figure, width: int, height: int) -> tuple[int, int]:
    """The figure's own size; without a width, about 16:9 of its height (a map drawn for a page
    column would otherwise float in a wide empty canvas)."""
    h = int(fig.layout.height or height)
    return int(fig.layout.width or min(width, max(900, round(h * 16 / 9)))), h


def image(
    fig: go.Figure, fmt: str = "png", width: int = 1600, height: int = 900, scale: float = 2.0
) -> bytes:
    """One figure as PNG (scaled for sharp slides and print) or SVG."""
    return images([fig], fmt, width, height, scale if fmt == "png" else 1.0)[0]


# Chromium refuses module workers from blob: URLs on file:// pages, and maplibre (inside plotly.js)
# starts its worker that way, so map charts stay blank in a deck opened from disk. On file:// only,
# read the module (following maplibre's one-line `import "blob:..."` wrapper), drop its `export {...}`
# and start it as a classic worker. Anywhere else, and for any other worker, nothing changes.
FILE_WORKER_SHIM = r"""
(function () {
  if (location.protocol !== "file:" || !window.Worker) return;
  var Native = window.Worker;
  function read(url) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url, false);
    xhr.send();
    return xhr.responseText;
  }
  function classic(url) {
    var code = read(url), inner = /^\s*import\s*("blob:[^"]+")\s*;?\s*$/.exec(code);
    if (inner) code = read(JSON.parse(inner[1]));
    code = code.replace(/(^|[;}\n])\s*export\s*\{[^}]*\}\s*;?/g, "$1");
    return URL.createObjectURL(new Blob([code], {type: "text/javascript"}));
  }
  window.Worker = function (url, options) {
    if (options && options.type === "module" && String(url).indexOf("blob:") === 0) {
      try { return new Native(classic(String(url))); } catch (e) { /* fall through */ }
    }
    return new Native(url, options);
  };
  window.Worker.prototype = Native.prototype;
})();
"""


def plotly_js() -> str:
    """plotly.min.js, to inline once in a self-contained file (no CDN)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def figure_html_div(fig: go.Figure, div_id: str | None = None) -> str:
    """One figure as a <div> and its script, without plotly.js (the page inlines it once)."""
    return fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        div_id=div_id,
        config={"displaylogo": False, "responsive": True},
    )


def figure_html(fig: go.Figure, title: str = "") -> bytes:
    """One interactive chart as a stand-alone page: plotly.js inside, opens with no internet."""
    html = roomy(go.Figure(fig)).to_html(
        full_html=True,
        include_plotlyjs=True,
        include_mathjax=False,
        config={"displaylogo": False, "responsive": True},
        default_width="100%",
        default_height="100vh",
    )
    head = f"<head><meta charset='utf-8'><title>{_escape(title)}</title><script>{FILE_WORKER_SHIM}</script>"
    return html.replace("<head>", head, 1).encode("utf-8")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# A text cell starting with one of these is a formula to a spreadsheet (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell (and header) a spreadsheet would run as a formula prefixed
    with an apostrophe, as OWASP advises for CSV: a shop called "=HYPERLINK(...)" stays a name.
    Numbers are never touched (-3 is a number, not a formula)."""
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        if s.dtype == object or isinstance(s.dtype, pd.StringDtype):
            risky = s.map(_formula_like).astype(bool)
            if risky.any():
                out[col] = s.astype(object).where(~risky, "'" + s.astype(str))
    out.columns = ["'" + c if _formula_like(c) else c for c in out.columns]
    return out


def readable(data: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table as people read it in the page's language: known column heads translated (i18n
    `col.*`), yes/no for true/false, "no data" where a value is missing (never NaN), product
    categories by name. Codes (adcodes, ids) stay as they are, for joining."""
    from cloudsword.i18n import STRINGS, t

    out = data.copy()
    for col in out.columns:
        values = out[col]
        if pd.api.types.is_bool_dtype(values) or (
            values.dtype == object and values.dropna().map(type).isin([bool]).all() and values.notna().any()
        ):
            out[col] = values.map({True: t("value.yes", lang), False: t("value.no", lang)})
        elif col == "category":
            out[col] = values.map(lambda c: t(f"category.{c}", lang) if f"category.{c}" in STRINGS else c)
        if out[col].isna().any():
            out[col] = out[col].astype(object).where(out[col].notna(), t("value.no_data", lang))
    heads = {c: t(f"col.{c}", lang) for c in out.columns if f"col.{c}" in STRINGS}
    return out.rename(columns=heads)


def csv_bytes(data: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel on a Chinese Windows opens it without mojibake;
    formula-like text neutralised; CRLF line ends (RFC 4180), so a value holding a carriage
    return is quoted rather than breaking the row."""
    return neutralise(data).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(sheets: pd.DataFrame | dict[str, pd.DataFrame]) -> bytes:
    """One workbook; a dict gives one sheet per frame (sheet names cut to Excel's 31 characters).
    Text that looks like a formula is stored as text with Excel's quote prefix: it shows as
    written and stays text even when the cell is edited."""
    frames = sheets if isinstance(sheets, dict) else {"data": sheets}
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in frames.items():
            safe = re.sub(r"[\[\]:*?/\\]", "-", str(name))[:31] or "data"
            _excel_ready(frame).to_excel(writer, sheet_name=safe, index=False)
            _text_not_formulas(writer.sheets[safe])
    return buf.getvalue()


def _text_not_formulas(sheet: object) -> None:
    """openpyxl turns every string starting with "=" into a formula: make each such cell, and
    any other formula-like text, a quoted text cell."""
    for row in sheet.iter_rows():
        for cell in row:
            if _formula_like(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True


def _excel_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel has no time zones or pandas extension strings: plain values only (formula-like text
    is made a quoted text cell after writing, by _text_not_formulas)."""
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_localize(None)
    return out
