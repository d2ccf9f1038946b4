"""/present through Streamlit's AppTest: the editor lists, reorders, retitles and deletes slides,
loads and saves decks (a wrong file keeps the deck); the projector turns pages in step with the
URL, never shows speaker notes, shows unresolvable views as a message; the console follows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from apptest import open_page, shown_all
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from cloudsword import story as deck
from cloudsword.deck import saved
from cloudsword.deck.spec import SlideSpec
from cloudsword.i18n import t
from cloudsword.store import DEFAULT_DATA_DIR, Store
from components.cache import present as cached

PAGE = "views/present.py"


@pytest.fixture(autouse=True)
def fresh_board():
    """The board is shared by every session of the process: each test starts with an empty one."""
    cached.board.clear()
    yield
    cached.board.clear()


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def story(store: Store) -> dict[str, list[SlideSpec]]:
    return {lang: deck.default_story(store) for lang in ("zh", "en")}


def _run(lang: str = "en", specs: list[SlideSpec] | None = None, **params: str) -> AppTest:
    return open_page(PAGE, lang, timeout=180, state=None if specs is None else {"deck": specs}, **params)


def _everything(node: object) -> str:
    """Every element's message as the browser receives it (figures included), in readable UTF-8."""
    out = []
    proto = getattr(node, "proto", None)
    if proto is not None:
        out.append(text_format.MessageToString(proto, as_utf8=True))
    for child in getattr(node, "children", {}).values():
        out.append(_everything(child))
    return "\n".join(out)


def _html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def _counter(at: AppTest, n: int, total: int, lang: str = "en") -> bool:
    return f'class="cs-counter">{t("present.counter", lang, n=n, total=total)}<' in _html(at)


def _gen(at: AppTest) -> int:
    return at.session_state["_present_gen"] if "_present_gen" in at.session_state else 0


def _deck(at: AppTest) -> list[SlideSpec]:
    return list(at.session_state["deck"])


def _title(store: Store, spec: SlideSpec, lang: str) -> str:
    return spec.title or deck.build_slide(store, SlideSpec(spec.view), lang).title


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_editor_lists_the_default_story(story, lang):
    at = _run(lang)
    assert not at.exception, at.exception
    assert t("present.title", lang) in [h.value for h in at.header]
    rows = [w for w in at.text_input if str(w.key).startswith("present_title_")]
    assert len(rows) == len(story[lang]) >= 5
    notes = [w.value for w in at.text_area if str(w.key).startswith("present_notes_")]
    assert notes == [s.notes for s in story[lang]]
    assert _deck(at) == story[lang]
    assert "mode" not in at.query_params


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_next_and_previous_turn_the_page_and_the_url(store, story, lang):
    specs, n = story[lang], len(story[lang])
    at = _run(lang, mode="show")
    assert not at.exception, at.exception
    assert _counter(at, 1, n, lang)
    assert at.button(key="present_prev").disabled
    at.button(key="present_next").click().run()
    assert not at.exception
    assert at.query_params["slide"] == "2" and _counter(at, 2, n, lang)
    assert _title(store, specs[1], lang) in _html(at)
    at.button(key="present_next").click().run()
    assert at.query_params["slide"] == "3" and _counter(at, 3, n, lang)
    at.button(key="present_prev").click().run()
    assert at.query_params["slide"] == "2" and _counter(at, 2, n, lang)
    assert _title(store, specs[1], lang) in _html(at)


def test_a_slide_is_a_permalink(store, story):
    at = _run("en", mode="show", slide="3")
    assert not at.exception and not at.warning
    assert _counter(at, 3, len(story["en"]))
    assert _title(store, story["en"][2], "en") in _html(at)
    slide = deck.build_slide(store, story["en"][2], "en")
    assert len(at.get("plotly_chart")) == len(slide.figures)
    assert slide.footer and slide.footer in _html(at), "the synthetic-data notice is on the slide"


def test_the_last_slide_has_no_next(story):
    n = len(story["en"])
    at = _run("en", mode="show", slide=str(n))
    assert _counter(at, n, n) and at.button(key="present_next").disabled


@pytest.mark.parametrize(("params", "bad"), [({"slide": "99"}, "slide"), ({"slide": "two"}, "slide")])
def test_a_bad_slide_number_opens_the_first_with_a_notice(story, params, bad):
    at = _run("zh", mode="show", **params)
    assert not at.exception
    assert t("filters.url_problem", "zh", param=bad, value=params[bad]) in shown_all(at.warning)
    assert _counter(at, 1, len(story["zh"]), "zh")
    assert "slide" not in at.query_params, "the first slide: the default, not written"


def test_a_bad_mode_opens_the_editor_with_a_notice():
    at = _run("en", mode="slideshow")
    assert not at.exception
    assert t("filters.url_problem", "en", param="mode", value="slideshow") in shown_all(at.warning)
    assert t("present.title", "en") in [h.value for h in at.header]
    assert "mode" not in at.query_params


def test_notes_stay_off_the_projector_and_show_in_the_console():
    specs = [
        SlideSpec("overview", notes="SECRET NOTE one: thank Zhejiang first"),
        SlideSpec("trends", title="After joining", notes="SECRET NOTE two"),
    ]
    at = _run("en", specs, mode="show")
    assert not at.exception, at.exception
    assert "SECRET NOTE" not in _everything(at.main)
    at.button(key="present_next").click().run()
    assert "After joining" in _html(at) and "SECRET NOTE" not in _everything(at.main)

    console = _run("en", specs, mode="notes")
    assert not console.exception, console.exception
    html = _html(console)
    assert "SECRET NOTE two" in html, "the console opens on the projector's slide"
    assert "SECRET NOTE one" not in html
    assert not console.get("plotly_chart"), "the console shows no slide"


def test_the_console_shows_the_next_title_and_follows_the_projector():
    specs = [
        SlideSpec("overview", "First", "n1"),
        SlideSpec("map", "Second", "n2"),
        SlideSpec("trends", "Third"),
    ]
    console = _run("zh", specs, mode="notes")
    assert "n1" in _html(console) and "Second" in _html(console)
    projector = _run("zh", specs, mode="show", slide="2")
    assert _counter(projector, 2, 3, "zh")
    console.run()  # the polling fragment sees the page turn made in the other window
    assert not console.exception
    assert console.query_params["slide"] == "2"
    assert "n2" in _html(console) and "Third" in _html(console)
    console.button(key="present_next").click().run()  # and the console can drive the projector
    assert t("present.notes.last", "zh") in _html(console)
    projector.run()
    assert projector.query_params["slide"] == "3" and _counter(projector, 3, 3, "zh")


def test_auto_advance_turns_the_page_when_due():
    specs = [SlideSpec("overview", "One"), SlideSpec("map", "Two")]
    at = _run("en", specs, mode="show", auto="10")
    assert not at.exception and _counter(at, 1, 2)
    at.run()
    assert _counter(at, 1, 2), "not yet due"
    at.session_state["_present_shown_at"] = 0.0  # ten seconds have long passed
    at.run()
    assert not at.exception
    assert _counter(at, 2, 2) and at.query_params["slide"] == "2"


def test_a_bad_auto_interval_is_turned_off_with_a_notice():
    at = _run("en", mode="show", auto="7")
    assert t("filters.url_problem", "en", param="auto", value="7") in shown_all(at.warning)
    assert "auto" not in at.query_params


def test_the_language_switch_keeps_the_slide(story):
    at = _run("en", mode="show", slide="2")
    at.button(key="present_lang").click().run()
    assert not at.exception
    assert at.query_params["lang"] == "zh" and at.query_params["slide"] == "2"
    assert _counter(at, 2, len(story["zh"]), "zh")
    assert at.session_state["deck"] == story["zh"], "the untouched default story follows the language"


def test_a_view_that_no_longer_resolves_says_so_and_the_rest_still_show(store):
    gone = SlideSpec("network?entity=E9999999")
    problem = deck.build_slide(store, gone, "en").problem
    assert problem, "precondition: this entity is not in the demo data"
    specs = [SlideSpec("overview"), gone, SlideSpec("trends")]
    at = _run("en", specs, mode="show", slide="2")
    assert not at.exception
    assert t("present.problem", "en") in _html(at) and problem in _html(at)
    assert not at.get("plotly_chart")
    at.button(key="present_next").click().run()
    assert not at.exception and at.get("plotly_chart")
    editor = _run("en", specs)
    assert t("present.problems", "en", n=1) in [w.value for w in editor.warning]


def test_editor_reorders_retitles_and_deletes(story):
    at = _run("en")
    first, second = story["en"][0], story["en"][1]
    at.button(key=f"present_down_{_gen(at)}_0").click().run()
    assert _deck(at)[:2] == [second, first]
    at.button(key=f"present_up_{_gen(at)}_1").click().run()
    assert _deck(at)[:2] == [first, second]
    at.text_input(key=f"present_title_{_gen(at)}_0").input("Our first year").run()
    assert _deck(at)[0].title == "Our first year" and _deck(at)[0].view == first.view
    at.text_area(key=f"present_notes_{_gen(at)}_1").input("Say it slowly").run()
    assert _deck(at)[1].notes == "Say it slowly"
    at.button(key=f"present_del_{_gen(at)}_0").click().run()
    assert _deck(at)[0] == SlideSpec(second.view, second.title, "Say it slowly")
    assert len(_deck(at)) == len(story["en"]) - 1
    assert at.query_params["deck"], "a changed deck gets an id in the URL"
    at.button(key="present_start").click().run()
    assert not at.exception and at.query_params["mode"] == "show"
    assert _counter(at, 1, len(story["en"]) - 1)
    at.button(key="present_exit").click().run()
    assert "mode" not in at.query_params and t("present.title", "en") in [h.value for h in at.header]
    at.button(key="present_restore").click().run()
    assert _deck(at) == story["en"] and "deck" not in at.query_params


def test_a_changed_deck_opens_in_another_window_by_its_id():
    specs = [SlideSpec("trends", "Only the trend", "note")]
    at = _run("en", specs)
    did = at.query_params["deck"]
    other = _run("en", mode="show", deck=did)
    assert not other.exception and "Only the trend" in _html(other) and _counter(other, 1, 1)
    cached.board.clear()  # the server restarted
    lost = _run("en", mode="show", deck=did)
    assert t("present.deck_missing", "en") in shown_all(lost.warning)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_adding_a_view_by_link(lang, story):
    at = _run(lang)
    at.text_input(key="present_add").input("http://127.0.0.1:8501/map?metric=suspects&lang=en").run()
    at.button(key="present_add_button").click().run()
    assert _deck(at)[-1] == SlideSpec("map?metric=suspects&lang=en")
    assert len(_deck(at)) == len(story[lang]) + 1
    at.text_input(key="present_add").input("/reports?x=1").run()
    at.button(key="present_add_button").click().run()
    want = t("present.error.unknown_page", lang, view="/reports?x=1", pages="overview, map, network, trends")
    assert want in shown_all(at.error)
    assert len(_deck(at)) == len(story[lang]) + 1, "nothing added, nothing lost"
    assert at.text_input(key="present_add").value == "/reports?x=1", "the pasted text is kept to correct"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("content", [b"this is not json", b"\xff\xfe\x00garbage", b'{"slides": 3}'])
def test_loading_a_wrong_file_names_the_problem_and_keeps_the_deck(story, lang, content):
    at = _run(lang)
    at.text_input(key=f"present_title_{_gen(at)}_0").input("Kept").run()
    before = _deck(at)
    at.file_uploader(key="present_upload").set_value(("minutes.json", content, "application/json")).run()
    assert not at.exception
    errors = shown_all(at.error)
    assert len(errors) == 1 and "minutes.json" in errors[0]
    assert t("present.load.failed", lang, detail="X").split("X")[-1] in errors[0]
    assert _deck(at) == before


def test_a_saved_deck_loads_back():
    specs = [SlideSpec("map?metric=cases", "Where", "n"), SlideSpec("overview", "", "")]
    at = _run("en")
    at.file_uploader(key="present_upload").set_value(
        ("mine.json", saved.dumps(specs).encode(), "application/json")
    )
    at.run()
    assert not at.exception and _deck(at) == specs
    assert t("present.load.done", "en", file="mine.json", n=2) in shown_all(at.success)
    assert len([w for w in at.text_input if str(w.key).startswith("present_title_")]) == 2


def test_take_home_files_are_offered_by_date():
    at = _run("en")
    keys = {str(b.key) for b in at.get("download_button")}
    assert {"present_save", "present_pptx", "present_pdf", "present_html"} <= keys


def test_projector_shows_no_suspect_name(story):
    """Everything sent to the browser in presenter mode, slide by slide, figures included."""
    names = set(pd.read_parquet(Path(DEFAULT_DATA_DIR) / "suspects.parquet").name)
    operators = pd.read_parquet(Path(DEFAULT_DATA_DIR) / "entities.parquet").query("kind == 'operator'").name
    names = {n for n in names | set(operators) if len(n) >= 3}
    assert len(names) > 100
    specs = story["zh"]
    at = _run("zh", mode="show")
    for i in range(len(specs)):
        assert not at.exception
        sent = _everything(at.main)
        assert _counter(at, i + 1, len(specs), "zh")
        leaked = sorted(n for n in names if n in sent)
        assert not leaked, (specs[i].view, leaked[:5])
        if i + 1 < len(specs):
            at.button(key="present_next").click().run()


def test_the_editor_starts_the_show_with_auto_advance_and_it_can_be_stopped():
    at = _run("en")
    assert at.selectbox(key="present_auto").value == 0, "off by default"
    at.selectbox(key="present_auto").set_value(20).run()
    at.button(key="present_start").click().run()
    assert not at.exception
    assert at.query_params["mode"] == "show" and at.query_params["auto"] == "20"
    assert at.button(key="present_auto_stop").proto.help == t("present.auto.on", "en", s=20)
    at.button(key="present_auto_stop").click().run()
    assert "auto" not in at.query_params and at.query_params["mode"] == "show"


def test_the_editor_lists_slides_by_title_not_by_path() -> None:
    at = open_page("views/present.py", "en")
    assert not at.exception
    rows = [m.value for m in at.markdown if "](./" in m.value]
    assert rows and all("?" not in m.split("](")[0] for m in rows), rows
    assert any("The alliance in numbers" in m for m in rows), rows
