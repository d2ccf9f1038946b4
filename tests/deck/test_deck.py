"""The presenter deck's core (cloudsword.deck): default story, slide resolution, problem slides,
masking in every figure, saved decks and the `deck` command."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cloudsword import cli, geo, privacy
from cloudsword import story as deck
from cloudsword.deck import saved
from cloudsword.deck.spec import Slide, SlideSpec
from cloudsword.filters import add_months, month_start
from cloudsword.i18n import STRINGS, error_text, format_date, format_money, format_number, t
from cloudsword.overview import queries as overview_queries
from cloudsword.store import DEFAULT_DATA_DIR, Store

LANGS = ("zh", "en")
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def store() -> Store:
    return Store()


@pytest.fixture(scope="module")
def story(store: Store) -> list[SlideSpec]:
    return deck.default_story(store)


@pytest.fixture(scope="module")
def slides(store: Store, story: list[SlideSpec]) -> dict[str, list[Slide]]:
    return {lang: deck.build_deck(store, story, lang) for lang in LANGS}


@pytest.fixture(scope="module")
def personal() -> dict[str, set[str]]:
    """Names and ids that must never reach a slide."""
    e = pd.read_parquet(DEFAULT_DATA_DIR / "entities.parquet")
    s = pd.read_parquet(DEFAULT_DATA_DIR / "suspects.parquet")
    return {
        "names": set(s.name) | set(e.loc[e.kind == "operator", "name"]),
        "ids": set(s.suspect_id) | set(e.loc[e.kind.isin(privacy.PERSONAL_KINDS), "entity_id"]),
    }


def numbers(values: object) -> list:
    """A trace's array, whether a list or plotly's base64 typed-array form {"dtype", "bdata"}."""
    if isinstance(values, dict) and "bdata" in values:
        return list(np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]))
    return list(values)


def slide_text(slide: Slide) -> str:
    """Everything a slide carries, figures decoded from JSON (\\u escapes) so CJK is searchable."""
    figs = [json.dumps(json.loads(f.to_json()), ensure_ascii=False) for f in slide.figures]
    facts = [f"{a} {b}" for a, b in slide.facts]
    return "\n".join([slide.title, slide.subtitle, slide.notes, slide.footer, *facts, *figs])


# -- the default story --------------------------------------------------------------------------------
def test_story_is_the_five_part_arc_chosen_from_the_data(store: Store, story: list[SlideSpec]) -> None:
    assert [s.page for s in story] == ["overview", "overview", "map", "network", "trends"]
    assert all(not s.title and not s.notes for s in story)  # written per language at build time
    mem = store.memberships()
    latest_public = mem[~mem.illustrative].iloc[-1]
    params = dict(p.split("=") for p in story[2].query.split("&"))
    assert params["province"] == latest_public.province_adcode
    assert params["month"] == f"{add_months(month_start(latest_public.joined_on), 1):%Y-%m}"
    entity = dict(p.split("=") for p in story[3].query.split("&"))["entity"]
    kinds = store.run(store.table("entities").select("entity_id", "kind"))
    assert kinds.set_index("entity_id").kind[entity] == "shop"


@pytest.mark.parametrize("lang", LANGS)
def test_story_resolves_with_figures_and_talking_points(slides: dict, lang: str) -> None:
    for s in slides[lang]:
        assert s.ok, s.problem
        assert s.figures or s.facts
        assert s.title and s.notes and s.subtitle
        as_of = format_date(Store().manifest.as_of, lang)
        assert s.footer == t("deck.footer.demo", lang, as_of=as_of), "demo data and its date, for the room"
        assert "20170801" not in s.footer and "20170801" in s.source  # the seed: in the file's metadata
        for fig in s.figures:
            assert fig.layout.width >= 800 and fig.layout.height >= 500
            assert fig.layout.font.size >= 20
    # English notes are English apart from the data's own (Chinese) business names
    assert all(bool(CJK.search(s.notes)) == (lang == "zh") for s in slides[lang] if s.spec.page != "network")
    network = slides[lang][3]
    assert len(network.figures) == 2 and re.search(r"\d+", network.notes)


def test_languages_give_different_titles(slides: dict) -> None:
    zh, en = ([s.title for s in slides[lang]] for lang in LANGS)
    assert all(a != b for a, b in zip(zh, en))
    assert len(set(en)) == len(en)


@pytest.mark.parametrize("lang", LANGS)
def test_headline_values_equal_the_alliance_totals(store: Store, slides: dict, lang: str) -> None:
    totals = overview_queries.alliance_totals(store, store.default_filters())
    assert totals["clues"] > 0 and totals["seizure"] > 0
    expected = [
        (t("metric.clues", lang), format_number(totals["clues"], lang)),
        (t("metric.cases", lang), format_number(totals["cases"], lang)),
        (t("metric.suspects", lang), format_number(totals["suspects"], lang)),
        (t("metric.seizure", lang), format_money(totals["seizure"], lang)),
    ]
    assert slides[lang][0].facts == expected
    assert format_number(totals["clues"], lang) in slides[lang][0].notes


def test_masking_reaches_every_figure(slides: dict, personal: dict) -> None:
    for lang in LANGS:
        for s in slides[lang]:
            text = slide_text(s)
            cjk = "|".join(re.findall(r"[\u3400-\u9fff]+", text))
            assert [n for n in personal["names"] if n in cjk] == [], s.title
            ids = set(re.findall(r"\b(?:E\d{7}|SU\d{6})\b", text))
            assert ids & personal["ids"] == set(), s.title
            assert not re.search(r"尾号\d", text)
    network = slides["zh"][3]
    graph = json.loads(network.figures[0].to_json())
    shown = [x for tr in graph["data"] for x in (tr.get("hovertext") or []) if isinstance(x, str)]
    assert any("*" in x for x in shown)  # operators are in the network, masked
    assert any("ID-" in x for x in shown)  # and their ids replaced


def test_network_places_are_city_centroids(slides: dict) -> None:
    cities = geo.load_cities()
    centres = set(zip(cities.lon.round(4), cities.lat.round(4)))
    where = slides["en"][3].figures[1]
    points = [
        (round(float(lon), 4), round(float(lat), 4))
        for tr in where.data
        if tr.type == "scattermap" and tr.mode == "markers"
        for lon, lat in zip(numbers(tr.lon), numbers(tr.lat))
    ]
    assert points and set(points) <= centres


# -- views that no longer resolve ---------------------------------------------------------------------
BAD = {
    "network?entity=E9999999": ("deck.problem.entity", "E9999999"),
    "map?prov=990000": ("deck.problem.province", "990000"),
    "map?province=990000": ("deck.problem.province", "990000"),
    "overview?prov=710000": ("deck.problem.no_data", None),  # a known province the data never covers
    "trends?metric=nonsense": ("deck.problem.param", "nonsense"),
    "map?month=2031-01": ("deck.problem.param", "2031-01"),
    "network?hops=9": ("deck.problem.param", "9"),
    "%%% gibberish ???": ("deck.problem.page", "gibberish"),
    "present": ("deck.problem.page", "present"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_bad_specs_become_problem_slides_and_the_rest_still_resolves(store: Store, lang: str) -> None:
    specs = [SlideSpec("overview"), *(SlideSpec(v, title="Mine") for v in BAD), SlideSpec("trends")]
    out = deck.build_deck(store, specs, lang)
    assert out[0].ok and out[-1].ok and out[-1].figures
    for s, (view, (key, value)) in zip(out[1:-1], BAD.items()):
        assert not s.ok and not s.figures and not s.facts, view
        assert s.title == "Mine" and s.footer
        assert bool(CJK.search(s.problem)) == (lang == "zh"), s.problem
        first = STRINGS[key][lang].split("{")[0].strip("“‘'")[:4]
        assert first in s.problem, (view, s.problem)
        if value:
            assert value in s.problem, (view, s.problem)


def test_a_failing_builder_is_isolated(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("broken")

    monkeypatch.setitem(deck.BUILDERS, "map", boom)
    out = deck.build_deck(store, [SlideSpec("map"), SlideSpec("overview")], "en")
    assert not out[0].ok and "RuntimeError" in out[0].problem and out[1].ok


def test_spec_title_and_notes_win(store: Store) -> None:
    s = deck.build_slide(store, SlideSpec("overview?show=growth", "我的标题", "我的备注"), "en")
    assert s.ok and (s.title, s.notes) == ("我的标题", "我的备注")


# -- saved decks ----------------------------------------------------------------------------------------
def test_dumps_loads_round_trip(story: list[SlideSpec]) -> None:
    specs = [*story, SlideSpec("map?month=2017-06", "六月的地图", "说：广东加入\n第二行")]
    text = saved.dumps(specs)
    raw = json.loads(text)
    assert raw["version"] == 1 and raw["slides"][-1] == specs[-1].to_dict()
    assert saved.loads(text) == specs
    assert saved.loads(text.encode("utf-8")) == specs


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("garbage", "deck.error.not_json"),
        (b"\xff\xfe\x00garbage", "deck.error.not_text"),
        ("[1, 2]", "deck.error.not_deck"),
        ('{"slides": []}', "deck.error.not_deck"),
        ('{"version": 2, "slides": []}', "deck.error.version"),
        ('{"version": 1, "slides": {"view": "map"}}', "deck.error.slides"),
        ('{"version": 1, "slides": [{"title": "no view"}]}', "deck.error.slide"),
        (
            '{"version": 1, "slides": [{"view": "map"}, {"view": "map", "notes": 3}]}',
            "deck.error.slide_field",
        ),
    ],
)
def test_loads_on_garbage_raises_a_bilingual_error(text: str | bytes, key: str) -> None:
    with pytest.raises(saved.DeckError) as err:
        saved.loads(text, source="upload.json")
    assert err.value.key == key
    zh, en = error_text(err.value, "zh"), error_text(err.value, "en")
    assert "upload.json" in zh and "upload.json" in en
    assert CJK.search(zh) and not CJK.search(en)
    assert t("error.unexpected", "en", detail="DeckError") != en


# -- the command line -------------------------------------------------------------------------------------
def test_cli_deck_renders_story_and_saved_decks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cloudsword.deck.files as deck_files

    calls = []

    def fake_write(slides: list[Slide], path: Path, lang: str) -> Path:
        calls.append((slides, path, lang))
        return path

    monkeypatch.setattr(deck_files, "write_deck", fake_write)
    assert cli.main(["deck", "--story", "default", "--lang", "en", "--out", str(tmp_path / "d.pptx")]) == 0
    slides, path, lang = calls[-1]
    assert (len(slides), path.suffix, lang) == (5, ".pptx", "en") and all(s.ok for s in slides)
    deck_json = tmp_path / "deck.json"
    deck_json.write_text(saved.dumps([SlideSpec("trends"), SlideSpec("network?entity=E9999999")]), "utf-8")
    args = ["deck", "--views", str(deck_json), "--lang", "zh", "--out", str(tmp_path / "d.html")]
    assert cli.main([*args, "--data", str(DEFAULT_DATA_DIR)]) == 0
    slides, path, lang = calls[-1]
    assert [s.ok for s in slides] == [True, False] and lang == "zh" and path.suffix == ".html"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--out", "deck.doc", "--lang", "en"], ".doc"),
        (["--out", "deck.pptx", "--story", "fancy", "--lang", "en"], "fancy"),
        (["--out", "deck.pdf", "--views", "missing.json", "--lang", "en"], "missing.json"),
        (["--out", "deck.pdf", "--data", "no/such/dir", "--lang", "en"], "Dataset 'dir'"),
        (["--out", "deck.doc", "--lang", "zh"], "不支持"),
    ],
)
def test_cli_deck_errors_are_one_line_exit_2(
    args: list[str], needle: str, capsys: pytest.CaptureFixture
) -> None:
    assert cli.main(["deck", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and needle in err and "Traceback" not in err
