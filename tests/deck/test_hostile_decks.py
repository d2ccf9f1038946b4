"""Deck files from anyone: size and slide limits (configurable), every parse failure a DeckError,
hostile titles and notes kept as text in every writer, and a command line that never prints a
traceback, whatever the deck or the dataset (issue 16)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from corpus import DAMAGES, HOSTILE, OUTSIDE, damaged

from cloudsword import cli, story
from cloudsword.deck import html as deck_html
from cloudsword.deck import saved
from cloudsword.deck.saved import DeckError
from cloudsword.deck.spec import SlideSpec
from cloudsword.i18n import error_text
from cloudsword.store import Store


def _deck(n: int, **slide: str) -> str:
    return json.dumps({"version": 1, "slides": [{"view": "overview", **slide} for _ in range(n)]})


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ("[" * 100_000, "deck.error.nested"),
        ('{"version": 1, "slides": ' + "[" * 100_000 + "]" * 100_000 + "}", "deck.error.nested"),
        (_deck(1000), "deck.error.too_many"),
        (_deck(1, notes="x" * 1_100_000), "deck.error.too_big"),
        (b"\xff\xfe garbage", "deck.error.not_text"),
        ("", "deck.error.not_json"),
        ("null", "deck.error.not_deck"),
    ],
    ids=["100k-brackets", "nested-slides", "1000-slides", "1.1MB", "not-utf8", "empty", "null"],
)
def test_every_way_a_file_is_not_a_deck_is_a_deck_error(content, key):
    t0 = time.perf_counter()
    with pytest.raises(DeckError) as exc:
        saved.loads(content, source="upload.json")
    assert exc.value.key == key and time.perf_counter() - t0 < 5
    for lang in ("zh", "en"):
        assert "upload.json" in error_text(exc.value, lang)


def test_the_limits_are_configurable(monkeypatch):
    monkeypatch.setenv("CLOUDSWORD_DECK_MAX_SLIDES", "3")
    assert len(saved.loads(_deck(3))) == 3
    with pytest.raises(DeckError, match="too_many"):
        saved.loads(_deck(4))
    monkeypatch.setenv("CLOUDSWORD_DECK_MAX_BYTES", "200")
    with pytest.raises(DeckError, match="too_big"):
        saved.loads(_deck(3, notes="n" * 200))


def test_building_a_deck_over_the_limit_is_refused_before_any_slide(monkeypatch):
    monkeypatch.setenv("CLOUDSWORD_DECK_MAX_SLIDES", "2")
    monkeypatch.setattr(story, "build_slide", lambda *a: pytest.fail("a slide was built"))
    with pytest.raises(DeckError, match="too_many"):
        story.build_deck(None, [SlideSpec("overview")] * 3, "en")


def test_hostile_titles_and_notes_stay_text_in_the_html_deck():
    store = Store()
    specs = [SlideSpec("overview", title=v, notes=v) for v in HOSTILE[:5]]
    slides = story.build_deck(store, specs, "en")
    page = deck_html.html_bytes(slides, "en").decode()
    assert f"<img src=http://{OUTSIDE}" not in page and f'href="http://{OUTSIDE}' not in page
    assert f"&lt;img src=http://{OUTSIDE}/x.png&gt;" in page


# -- the command line ------------------------------------------------------------------------------
def _cli(args: list[str], capsys: pytest.CaptureFixture) -> tuple[int, str]:
    code = cli.main(args)
    return code, capsys.readouterr().err.strip()


@pytest.mark.parametrize("content", ["[" * 100_000, _deck(1000), "\ufeff{"])
def test_the_command_line_refuses_a_bad_deck_in_one_line(content, tmp_path, capsys):
    path = tmp_path / "deck.json"
    path.write_text(content, encoding="utf-8")
    t0 = time.perf_counter()
    code, err = _cli(
        ["--lang", "en", "deck", "--views", str(path), "--out", str(tmp_path / "d.html")], capsys
    )
    assert code == 2 and len(err.splitlines()) == 1 and "deck.json" in err and "Traceback" not in err
    assert time.perf_counter() - t0 < 30 and not (tmp_path / "d.html").exists()


@pytest.mark.parametrize("damage", [d for d in DAMAGES if not d.opens], ids=lambda d: d.name)
def test_the_command_line_names_a_damaged_dataset_without_a_traceback(damage, tmp_path, capsys):
    data = damaged(damage.name, tmp_path)
    for lang in ("zh", "en"):
        code, err = _cli(
            ["deck", "--lang", lang, "--data", str(data), "--out", str(tmp_path / "d.html")], capsys
        )
        assert code == 2 and damage.name in err and damage.file in err and "Traceback" not in err
        assert err.startswith("错误" if lang == "zh" else "error")


def test_an_unexpected_failure_is_one_line_too(monkeypatch, tmp_path, capsys):
    def boom(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(story, "build_deck", boom)
    code, err = _cli(["--lang", "en", "deck", "--out", str(tmp_path / "d.html")], capsys)
    assert code == 1 and len(err.splitlines()) == 1 and "RuntimeError" in err and "Traceback" not in err


def test_a_deck_file_too_large_is_refused_before_it_is_read(monkeypatch, tmp_path, capsys):
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * 2_000_000)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read whole"))
    with pytest.raises(DeckError, match="too_big"):
        saved.load(path)
