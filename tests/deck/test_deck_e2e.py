"""The take-home deck end to end: `python -m cloudsword deck` writes PPTX, PDF and HTML from a saved
deck (the default story plus a view that no longer resolves), and no personal data is in the files."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from cloudsword import privacy
from cloudsword import story as deck
from cloudsword.deck import saved
from cloudsword.deck.spec import SlideSpec
from cloudsword.store import DEFAULT_DATA_DIR, Store

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not shutil.which("chromium"), reason="charts render through chromium")
GONE = "network?entity=E9999999"  # a seller that is not in the data


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """zh PPTX, PDF and HTML of the default story + one dead view, written by the CLI."""
    out = tmp_path_factory.mktemp("deck")
    specs = deck.default_story(Store(DEFAULT_DATA_DIR)) + [SlideSpec(GONE, title="已删除的卖家")]
    deck_json = out / "deck.json"
    deck_json.write_text(saved.dumps(specs), encoding="utf-8")
    files = {}
    for fmt in ("pptx", "pdf", "html"):
        path = out / f"deck.{fmt}"
        cmd = [sys.executable, "-m", "cloudsword", "deck", "--views", str(deck_json), "--lang", "zh"]
        cmd += ["--out", str(path)]
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        files[fmt] = path
    return files


def _pptx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _texts(decks: dict[str, Path]) -> dict[str, str]:
    return {
        "pptx": _pptx_text(decks["pptx"]),
        "pdf": _pdf_text(decks["pdf"]),
        "html": decks["html"].read_text(encoding="utf-8"),
    }


def test_every_format_has_one_slide_per_view_and_says_which_view_is_gone(decks: dict[str, Path]) -> None:
    from pptx import Presentation
    from pypdf import PdfReader

    pres = Presentation(str(decks["pptx"]))
    assert len(pres.slides) == 6
    for slide in list(pres.slides)[:5]:
        assert slide.shapes.title.text.strip()
        assert any(s.shape_type == 13 for s in slide.shapes), "each story slide carries a chart picture"
        assert slide.notes_slide.notes_text_frame.text.strip(), "speaker notes in the notes pane"
    assert len(PdfReader(decks["pdf"]).pages) == 6
    texts = _texts(decks)
    for fmt, text in texts.items():
        assert "E9999999" in text and "已删除的卖家" in text, f"{fmt}: the dead view's slide says which"


def test_no_personal_data_in_any_exported_file(decks: dict[str, Path]) -> None:
    e = pd.read_parquet(DEFAULT_DATA_DIR / "entities.parquet")
    s = pd.read_parquet(DEFAULT_DATA_DIR / "suspects.parquet")
    names = (set(s.name) | set(e.loc[e.kind == "operator", "name"])) - {""}
    ids = set(s.suspect_id) | set(e.loc[e.kind.isin(privacy.PERSONAL_KINDS), "entity_id"])
    accounts = {m for n in e.loc[e.kind == "payment_account", "name"] for m in re.findall(r"\d{4}", n)}
    # one pattern per kind (longest first): a scan of 5 MB of HTML per name would take seconds
    names_re = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
    ids_re = re.compile("|".join(map(re.escape, sorted(ids))))
    for fmt, text in _texts(decks).items():
        leaked = sorted(set(names_re.findall(text)))
        assert not leaked, f"{fmt} shows suspects' or operators' names: {leaked[:5]}"
        assert not ids_re.search(text), f"{fmt} shows personal ids"
        assert not [a for a in accounts if f"尾号{a}" in text], f"{fmt} shows account digits"


def test_html_deck_names_no_outside_address_outside_plotly_js(decks: dict[str, Path]) -> None:
    """plotly.js itself holds inert URL strings (basemap styles we never use); the browser test in
    test_deck_files.py opens the file with every outside request recorded: none is made."""
    from cloudsword.export import plotly_js

    html = decks["html"].read_text(encoding="utf-8")
    ours = html.replace(plotly_js(), "")
    assert len(ours) < len(html), "plotly.js is inlined"
    assert not re.search(r"https?://", ours), "our own markup, styles and figures name no outside URL"
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", ours)
