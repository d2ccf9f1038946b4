"""The corpus of damaged datasets through every page, in both languages (AppTest): a refused
dataset is a translated error naming the dataset and file, never a traceback or the server's
path; a dataset that opens with warnings shows each on every page it affects, and every page
still runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest import open_page
from corpus import DAMAGES, damaged

from cloudsword.i18n import t

PAGES = [None, "views/map.py", "views/network.py", "views/trends.py", "views/present.py"]
NAMES = {None: "overview", "views/map.py": "map", "views/network.py": "network", "views/trends.py": "trends"}
AFFECTS = {  # which pages warn about which file (cloudsword.store.AFFECTS)
    "memberships.parquet": {"overview", "map", "trends", "present"},
    "links.parquet": {"map", "network", "present"},
    "clues.parquet": {"overview", "map", "trends", "network", "present"},
    "cases.parquet": {"overview", "map", "trends", "network", "present"},
}


@pytest.fixture(scope="module")
def datasets(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("damaged")
    return {d.name: damaged(d.name, base) for d in DAMAGES}


def _plain(text: str) -> str:
    """A message as the reader sees it (markdown escapes removed)."""
    return text.replace("\\", "")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("damage", [d for d in DAMAGES if not d.opens], ids=lambda d: d.name)
def test_a_refused_dataset_is_explained_on_the_page(damage, lang, datasets, monkeypatch):
    monkeypatch.setenv("CLOUDSWORD_DATA", str(datasets[damage.name]))
    at = open_page(None, lang)
    assert not at.exception
    (error,) = at.error
    text = _plain(error.value)
    assert t("error.title", lang) in text and damage.name in text and damage.file in text
    assert damage.column in text and str(datasets[damage.name].parent) not in text


@pytest.mark.parametrize("page", PAGES[1:])
def test_a_refused_dataset_stops_every_page_the_same_way(page, datasets, monkeypatch):
    monkeypatch.setenv("CLOUDSWORD_DATA", str(datasets["nan-seizure"]))
    at = open_page(page, "zh")
    assert not at.exception and len(at.error) == 1
    assert "seizure_cny" in _plain(at.error[0].value) and "NaN" in at.error[0].value


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("damage", [d for d in DAMAGES if d.opens], ids=lambda d: d.name)
def test_a_dataset_with_warnings_shows_them_on_every_page_they_affect(damage, lang, datasets, monkeypatch):
    monkeypatch.setenv("CLOUDSWORD_DATA", str(datasets[damage.name]))
    for page in PAGES:
        at = open_page(page, lang, timeout=180)
        name = NAMES.get(page, "present")
        assert not at.exception, (page, [e.value for e in at.exception])
        warned = [_plain(w.value) for w in at.warning if damage.name in _plain(w.value)]
        expected = name in AFFECTS[damage.file]
        assert any(damage.file in w for w in warned) == expected, (page, warned)
        assert not any(str(datasets[damage.name].parent) in w for w in warned)
