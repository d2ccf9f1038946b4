"""Hostile values through every page in both languages (AppTest): markdown, HTML and formulas in
every URL parameter, in sellers' names and in a loaded deck never become links, images, headings
or formulas on the page; dates beyond the calendar and bad list items get the usual notice."""

from __future__ import annotations

import re

import pytest
from apptest import open_page
from corpus import DATES, HOSTILE, MARKDOWN, OUTSIDE, hostile_names, markdown_problems
from streamlit.testing.v1 import AppTest

from cloudsword.deck import saved
from cloudsword.deck.spec import SlideSpec
from components import url

SHARED = ("metric", "prov", "cat")
PAGES = {
    None: (),
    "views/map.py": ("province", "month", "norm", "cls", "scope", "span", "pivot", "window", "cmp", "show"),
    "views/network.py": ("entity", "clue", "hops", "rel", "kinds", "hubs", "expand", "click"),
    "views/trends.py": ("compare", "anticipation", "es_window", "es_bin", "es_band"),
    "views/present.py": ("mode", "slide", "auto", "deck"),
}
RENDERS_MARKDOWN = ("body", "label", "help")


def _texts(node: object) -> list[str]:
    """Everything on the page that Streamlit renders as markdown: message and heading bodies,
    widget labels and help, radio options."""
    out, proto = [], getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "DESCRIPTOR"):
        names = {f.name for f in proto.DESCRIPTOR.fields}
        out += [getattr(proto, n) for n in RENDERS_MARKDOWN if n in names and getattr(proto, n)]
        if type(node).__name__ == "Radio":
            out += list(proto.options)
    for child in getattr(node, "children", {}).values():
        out += _texts(child)
    return out


def _ours(text: str) -> bool:
    """The app's own history script (components/url.py): the only HTML a page may hold. The
    address it may carry is percent-encoded, so no value of the URL can end its string or tag."""
    if not text.startswith(url._HISTORY_JS):
        return False
    rest = text[len(url._HISTORY_JS) :]
    return (
        not rest
        or re.fullmatch(r"<script>window\.history\.replaceState\([^<>]*\);</script>", rest) is not None
    )


def _live(at: AppTest) -> list[tuple[str, list[str]]]:
    texts = _texts(at.main) + _texts(at.sidebar)
    return [(x, p) for x in texts if not _ours(x) and (p := markdown_problems(x))]


def _hostile_query(page: str | None, turn: int) -> dict[str, str]:
    names = [*SHARED, *PAGES[page]]
    q = {name: MARKDOWN[(i + turn) % len(MARKDOWN)] for i, name in enumerate(names)}
    q["from"], q["to"] = DATES[turn % 2], DATES[(turn + 2) % 4]
    return q


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", list(PAGES), ids=lambda p: p or "overview")
def test_hostile_url_values_are_notices_of_plain_text(page, lang):
    query = _hostile_query(page, turn=0 if lang == "zh" else 1)
    at = open_page(page, lang, timeout=180, **query)
    assert not at.exception, [e.value for e in at.exception]
    assert _live(at) == []
    notices = "\n".join(w.value for w in at.warning).replace("\\", "")
    for name in ("from", "to", "metric", *PAGES[page][:1]):  # named, or its value quoted back
        assert f"'{name}'" in notices or f"“{name}”" in notices or query[name] in notices, name
    assert OUTSIDE in notices  # the value is quoted back, as text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_comma_lists_and_bad_items_on_the_network_page(lang):
    at = open_page("views/network.py", lang, rel="operates,supplies", kinds="shop,factory,warehouse")
    assert not at.exception and not at.warning
    assert list(at.multiselect(key="network_rel").value) == ["operates", "supplies"]
    assert list(at.multiselect(key="network_kinds").value) == ["shop", "factory", "warehouse"]
    at = open_page("views/network.py", lang, rel="operates,bribes", hubs="maybe", click="x", expand="E-GHOST")
    notices = " ".join(w.value for w in at.warning).replace("\\", "")
    assert all(name in notices for name in ("rel", "hubs", "click", "expand", "E-GHOST"))


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory) -> str:
    return str(hostile_names(tmp_path_factory.mktemp("hostile")))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_seller_names_stay_text_on_the_network_page(lang, hostile_data, monkeypatch):
    monkeypatch.setenv("CLOUDSWORD_DATA", hostile_data)
    at = open_page("views/network.py", lang, timeout=180)
    assert not at.exception and _live(at) == []
    heading = at.subheader[0].value.replace("\\", "")
    assert any(h.split(" ")[0] in heading for h in HOSTILE)  # the seller's name is shown, as text
    at.text_input(key="network_q").set_value(MARKDOWN[0]).run()  # a search for a hostile text
    assert not at.exception and _live(at) == []
    at.text_input(key="network_q").set_value("HYPERLINK").run()  # matches many hostile names
    assert not at.exception and _live(at) == [] and at.radio


def test_hostile_seller_names_stay_text_in_the_map_panel(hostile_data, monkeypatch):
    monkeypatch.setenv("CLOUDSWORD_DATA", hostile_data)
    at = open_page("views/map.py", "en", timeout=180, province="330000")
    assert not at.exception and _live(at) == []
    rows = [m.value for m in at.markdown if "network?" in m.value]
    assert rows and OUTSIDE in rows[0].replace("\\", "")  # the list of networks, names escaped


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_loaded_deck_with_hostile_titles_notes_and_views_stays_text(lang):
    specs = [
        SlideSpec(f"overview?x=`{MARKDOWN[0]}`", title=MARKDOWN[1], notes=MARKDOWN[0]),
        SlideSpec(f"network?entity={MARKDOWN[0]}) ![i](http://{OUTSIDE}/i.png", title=HOSTILE[5]),
    ]
    at = open_page("views/present.py", lang, timeout=180)
    at.file_uploader(key="present_upload").set_value(
        ("evil.json", saved.dumps(specs).encode(), "application/json")
    )
    at.run()
    assert not at.exception and _live(at) == []
    links = [m.value for m in at.markdown if "](./" in m.value]
    assert len(links) == 2 and all(
        OUTSIDE not in link.split("](")[1].split(")")[0] or "%" in link for link in links
    )
    assert [w.value for w in at.text_input if str(w.key).startswith("present_title_")] == [
        MARKDOWN[1],
        HOSTILE[5],
    ]
