"""The take-home deck: resolved, masked slides saved as PPTX, PDF or one interactive HTML file.

The writers only lay slides out (deck_layout, deck_pptx, deck_pdf, deck_html); they never query
or mask. `write_deck` picks the format from the file name and writes atomically, so a failed
export never leaves a half-written deck where the presenter expects the old one or none.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from cloudsword.deck.html import html_bytes
from cloudsword.deck.layout import DeckFileError
from cloudsword.deck.pdf import pdf_bytes
from cloudsword.deck.pptx import pptx_bytes
from cloudsword.deck.spec import Slide

__all__ = ["FORMATS", "DeckFileError", "deck_bytes", "html_bytes", "pdf_bytes", "pptx_bytes", "write_deck"]

FORMATS: dict[str, Callable[[list[Slide], str], bytes]] = {
    ".pptx": pptx_bytes,
    ".pdf": pdf_bytes,
    ".html": html_bytes,
}
MIME = {
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".pdf": "application/pdf",
    ".html": "text/html",
}


def _writer(path: Path) -> Callable[[list[Slide], str], bytes]:
    suffix = path.suffix.lower()
    if suffix == ".htm":
        suffix = ".html"
    if suffix not in FORMATS:
        raise DeckFileError(
            "deckfiles.error.suffix", file=path.name, suffix=path.suffix or "-", allowed=list(FORMATS)
        )
    return FORMATS[suffix]


def deck_bytes(slides: list[Slide], fmt: str, lang: str) -> bytes:
    """The deck in `fmt` ("pptx", "pdf" or "html"), e.g. for a download button."""
    if not slides:
        raise DeckFileError("deckfiles.error.empty")
    return _writer(Path(f"deck.{fmt.lstrip('.')}"))(slides, lang)


def write_deck(slides: list[Slide], path: Path, lang: str) -> Path:
    """Render, then write via a temporary file in the same folder and os.replace: a failure at
    any step leaves the target as it was (absent or the previous deck) and no temporary file."""
    path = Path(path)
    writer = _writer(path)
    if not slides:
        raise DeckFileError("deckfiles.error.empty")
    data = writer(slides, lang)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, 0o644)  # mkstemp's 0600 would hide the deck from other users
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise DeckFileError(
            "deckfiles.error.write", file=str(path), detail=exc.strerror or str(exc)
        ) from None
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)
    return path
