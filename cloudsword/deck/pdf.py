"""The deck as PDF: the slide markup of the HTML deck, charts as pictures, printed by Chromium.

Printing HTML keeps the text real (searchable, selectable, CJK glyphs from fonts-noto-cjk that
Chromium embeds) and reuses the one slide layout instead of a second drawing engine. Pages are
13.33 x 7.5 in, PowerPoint's 16:9 size. Speaker notes stay out of the PDF.
"""

from __future__ import annotations

import base64
import io
import subprocess
import tempfile
from pathlib import Path

from cloudsword import chromium
from cloudsword.deck.html import SLIDE_CSS, document, slide_section
from cloudsword.deck.layout import DeckFileError, geometry, render_pictures
from cloudsword.deck.pdf_text import fix_cjk_text
from cloudsword.deck.spec import Slide
from cloudsword.i18n import t

PAGE_CSS = """
@page{size:1280px 720px;margin:0}
:root{--px:calc(1280px / 1920)}
html,body{background:#fff;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.slide{break-after:page}
.slide:last-child{break-after:auto}
"""
# On top of cloudsword.chromium's offline flags (no background services, nothing resolved).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
    "--disable-extensions", "--run-all-compositor-stages-before-draw",
]  # fmt: skip
TIMEOUT_S = 120


def chromium_path() -> str:
    """The browser kaleido uses too, started offline (cloudsword.chromium.launcher)."""
    try:
        return chromium.launcher()
    except chromium.ChromiumMissing:
        raise DeckFileError("deckfiles.error.render", format="PDF", detail="chromium not found") from None


def print_html(html: str) -> bytes:
    """Print an HTML document to PDF with headless Chromium (its own throw-away profile)."""
    with tempfile.TemporaryDirectory(prefix="cloudsword-pdf-") as tmp:
        src, out = Path(tmp) / "deck.html", Path(tmp) / "deck.pdf"
        src.write_text(html, encoding="utf-8")
        cmd = [chromium_path(), *CHROMIUM_ARGS, f"--user-data-dir={tmp}/profile",
               f"--print-to-pdf={out}", src.as_uri()]  # fmt: skip
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise DeckFileError("deckfiles.error.render", format="PDF", detail=type(exc).__name__) from None
        if not out.exists() or out.stat().st_size == 0:
            detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [
                f"exit {proc.returncode}"
            ]
            raise DeckFileError("deckfiles.error.render", format="PDF", detail=detail[0][:200])
        return out.read_bytes()


def print_document(slides: list[Slide], lang: str) -> str:
    """The static HTML that becomes the PDF: real text, charts as PNG data URIs, no notes."""
    geos = [geometry(s, t("deckfiles.problem", lang)) for s in slides]
    pictures = render_pictures(slides, geos)
    sections = []
    for i, (slide, geo, pngs) in enumerate(zip(slides, geos, pictures, strict=True)):
        imgs = [f'<img alt="" src="data:image/png;base64,{base64.b64encode(p).decode()}">' for p in pngs]
        sections.append(slide_section(slide, geo, imgs, i, notes=False))
    head = f"<style>{SLIDE_CSS}{PAGE_CSS}</style>"
    return document(f"<body>{''.join(sections)}</body>", head, lang, t("deckfiles.doc_title", lang))


def with_metadata(pdf: bytes, title: str, creator: str, subject: str) -> bytes:
    """The PDF with its document information set (pypdf): the deck's title, our application as
    its creator (Chromium names itself), the data's provenance as its subject."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_metadata({"/Title": title, "/Creator": creator, "/Subject": subject})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_bytes(slides: list[Slide], lang: str) -> bytes:
    """The deck as a PDF, one landscape 16:9 page per slide."""
    pdf = fix_cjk_text(print_html(print_document(slides, lang)))
    source = slides[0].source if slides else ""
    return with_metadata(pdf, t("deckfiles.doc_title", lang), t("app.title", lang), source)
