"""Every chart carries a download menu, and any view can be added to the presentation (AppTest)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from apptest import open_page
from streamlit.testing.v1 import AppTest

from cloudsword.deck.spec import SlideSpec
from cloudsword.i18n import t


def _run(lang: str, page: str | None = None, **params: str) -> AppTest:
    return open_page(page, lang, **params)


def _downloads(at: AppTest) -> dict[str, object]:
    return {b.key: b for b in at.get("download_button") if b.key}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_charts_each_have_five_downloads(lang: str) -> None:
    at = _run(lang)
    assert not at.exception
    keys = _downloads(at)
    for chart in ("dl_funnel", "dl_timeline", "dl_map", "dl_monthly"):
        for fmt in ("png", "svg", "html", "csv", "xlsx"):
            assert f"{chart}_{fmt}" in keys, f"{chart} lacks {fmt}"
    labels = {b.proto.label for b in keys.values()}
    assert t("export.xlsx", lang) in labels and t("export.png", lang) in labels


def test_trends_and_network_charts_have_downloads() -> None:
    at = open_page("views/trends.py", "en", state={"trends_series_box": True})  # the panels opened
    assert not at.exception
    keys = _downloads(at)
    assert {"trends_event_dl_png", "trends_event_dl_xlsx", "trends_series_dl_csv"} <= set(keys)
    at = _run("en", "views/network.py", entity="E0000000")
    assert not at.exception
    assert {"network_graph_dl_svg", "network_graph_dl_xlsx"} <= set(_downloads(at))


def test_add_to_presentation_appends_this_exact_view() -> None:
    at = _run("en", "views/map.py", metric="seizure")
    assert not at.exception
    at.button(key="add_to_deck").click().run()
    deck = at.session_state["deck"]
    assert all(isinstance(s, SlideSpec) for s in deck)
    last = deck[-1]
    assert last.page == "map" and "metric=seizure" in last.query and "lang=en" in last.query
    assert len(deck) >= 2  # the default story comes first


def test_map_charts_have_downloads_and_the_panel_too() -> None:
    at = open_page("views/map.py", "en", state={"map_flows_box": True}, province="440000")  # flows opened
    assert not at.exception
    keys = set(_downloads(at))
    charts = ("map_dl", "map_cities_dl", "map_trend_dl", "map_cats_dl", "map_before_dl", "map_after_dl")
    for chart in (*charts, "map_flows_dl"):
        assert {f"{chart}_{fmt}" for fmt in ("png", "svg", "html", "csv", "xlsx")} <= keys, chart


@pytest.mark.parametrize(
    ("page", "params"),
    [
        (None, {}),
        ("views/network.py", {"entity": "E0000000", "tab": "export"}),
        ("views/network.py", {"entity": "E0000000", "tab": "package"}),
        ("views/data.py", {}),
    ],
)
def test_no_download_reruns_the_page(page: str | None, params: dict) -> None:
    """A click that reran the page would register the file's builder again under a new id, and a
    second click landing on the button before it is redrawn would ask for the old id: Streamlit's
    "Failed to generate file for download", as a user clicking two downloads in a row would see."""
    at = open_page(page, "en", timeout=180, **params)
    assert not at.exception
    buttons = at.get("download_button")
    assert len(buttons) >= (3 if params.get("tab") == "export" else 1)
    assert [b.key for b in buttons if not b.proto.ignore_rerun] == []


def test_every_download_button_in_the_code_is_told_not_to_rerun() -> None:
    """The pages above show what they draw today; every call written, shown or not, says so too."""
    root = Path(__file__).resolve().parents[2]
    rerunning = []
    for path in [
        root / "app.py",
        *sorted((root / "views").rglob("*.py")),
        *sorted((root / "components").rglob("*.py")),
    ]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "download_button":
                told = {k.arg: k.value for k in node.keywords}.get("on_click")
                if not (isinstance(told, ast.Constant) and told.value == "ignore"):
                    rerunning.append(f"{path.relative_to(root)}:{node.lineno}")
    assert rerunning == []
