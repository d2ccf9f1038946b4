"""Hostile values stay values: markdown and HTML from outside render as text, formulas never reach
a spreadsheet live, dates beyond the calendar and bad list items get the same notice as any bad
value, and a deck file cannot take the server down (issue 16)."""

from __future__ import annotations

import html
import io
import re
import zipfile
from datetime import date

import openpyxl
import pandas as pd
import pytest
from corpus import DATES, FORMULAS, HOSTILE, MARKDOWN, markdown_problems
from markdown_it import MarkdownIt

from cloudsword import export
from cloudsword.filters import Filters
from cloudsword.i18n import html_text, md
from cloudsword.network import cluepack
from cloudsword.network.params import NetworkParams
from cloudsword.params import Reader


# -- markdown ------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [*MARKDOWN, "a\nb\r\n# c", "**bold** _it_ `code` ~~x~~ | t |"])
def test_outside_text_renders_as_exactly_itself(value):
    shown = md(value)
    assert markdown_problems(shown) == []
    rendered = MarkdownIt("commonmark").render(shown)
    text = re.sub(r"<br ?/?>\n?", "\n", rendered).removeprefix("<p>").removesuffix("</p>\n")
    assert "<" not in text.replace("&lt;", "")  # no element but the paragraph and line breaks
    assert html.unescape(text) == value.replace("\r\n", "\n").replace("\r", "\n")


def test_the_corpus_check_does_see_live_markdown():
    assert markdown_problems(MARKDOWN[0])[0].startswith("image")
    assert markdown_problems(MARKDOWN[1]) == ["link_open http://203.0.113.9/login", "bare address http://"]
    assert markdown_problems("[ours](./map?x=1)") == []
    assert markdown_problems(MARKDOWN[2]) and markdown_problems(MARKDOWN[4])


def test_plotly_and_tooltip_labels_keep_tags_as_text():
    assert html_text("<a href='http://203.0.113.9'>x</a>") == "&lt;a href='http://203.0.113.9'&gt;x&lt;/a&gt;"


# -- spreadsheets --------------------------------------------------------------------------------
def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"name": [*FORMULAS, "ok", None], "n": range(-1, len(FORMULAS) + 1), "=header": "x"}
    ).astype({"name": object})


def test_csv_cells_that_would_be_formulas_start_with_an_apostrophe():
    back = pd.read_csv(io.BytesIO(export.csv_bytes(_frame())), encoding="utf-8-sig", keep_default_na=False)
    assert list(back.columns) == ["name", "n", "'=header"]
    assert list(back.name) == [f"'{v}" for v in FORMULAS] + ["ok", ""]
    assert back.n.iloc[0] == -1  # a negative number is a number


def test_excel_has_no_formula_and_shows_the_text_as_written():
    raw = export.xlsx_bytes({"data": _frame()})
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    ws = openpyxl.load_workbook(io.BytesIO(raw)).active
    cells = {c.value: c for c in ws["A"][1:] if c.value is not None}
    assert set(cells) == {*FORMULAS, "ok"}
    assert all(cells[v].data_type == "s" and cells[v].quotePrefix for v in FORMULAS)
    assert ws["C1"].value == "=header" and ws["C1"].data_type == "s"


def test_the_clue_package_csvs_are_neutralised_too():
    nodes = pd.DataFrame(
        {"entity_id": ["E1", "E2"], "name": [FORMULAS[0], "@SUM(1)"], "kind": ["shop", "factory"],
         "province_adcode": ["330000", "330000"], "city_adcode": ["330100", "330100"]}
    )  # fmt: skip
    links = pd.DataFrame({"src_id": ["E1"], "dst_id": ["E2"], "relation": ["supplies"]})
    enf = {
        "clues": pd.DataFrame({"clue_id": ["C1"], "entity_id": ["E1"], "handed_to": ["330000"]}),
        "entity_cases": pd.DataFrame({"entity_id": ["E1"], "case_id": ["K1"], "seizure_cny": [1.0]}),
    }
    raw = cluepack.clue_package("330000", "E1", nodes, links, enf, "en", date(2017, 8, 1))
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        entities = z.read("entities.csv").decode("utf-8-sig")
        summary = z.read("summary.html").decode()
    assert "'=HYPERLINK" in entities and "'@SUM(1)" in entities
    assert "\n=" not in entities and ",=" not in entities and ",@" not in entities
    assert "=HYPERLINK(&quot;" in summary  # HTML-escaped in the summary


# -- URL values ----------------------------------------------------------------------------------
DEFAULTS = Filters(date(2014, 1, 1), date(2017, 7, 31))


@pytest.mark.parametrize("value", DATES)
@pytest.mark.parametrize("param", ["from", "to"])
def test_dates_beyond_the_calendar_are_a_notice_not_a_crash(param, value):
    f, problems = Filters.from_query({param: value}, DEFAULTS)
    assert f == DEFAULTS and problems == [(param, value)]


def test_a_month_beyond_the_calendar_is_rejected():
    r = Reader({"month": "9999-12", "pivot": "10000-01"})
    assert r.month("month", [date(2017, 1, 1)]) is None and r.month("pivot") is None
    assert r.problems == [("month", "9999-12"), ("pivot", "10000-01")]


def test_comma_lists_keep_every_item():
    p, problems = NetworkParams.from_query(
        {"rel": "operates,supplies", "kinds": ["shop", "factory,warehouse"], "expand": "E1,E2"}
    )
    assert problems == []
    assert p.relations == ("operates", "supplies") and p.kinds == ("shop", "factory", "warehouse")
    assert p.expanded == ("E1", "E2")


@pytest.mark.parametrize(
    ("query", "param"),
    [({"hubs": "maybe"}, "hubs"), ({"click": MARKDOWN[1]}, "click"), ({"rel": "operates,bribes"}, "rel"),
     ({"kinds": "shop,ghost"}, "kinds"), ({"hops": "9"}, "hops")],
)  # fmt: skip
def test_bad_network_values_are_named(query, param):
    p, problems = NetworkParams.from_query(query)
    assert [name for name, _ in problems] == [param] and p == NetworkParams()


def test_expansions_not_in_the_graph_are_named_not_dropped_silently(store_graph):
    p, _ = NetworkParams.from_query({"expand": f"{store_graph.ids[0]},E-GHOST,{HOSTILE[0]}"})
    kept, problems = p.known_to(store_graph)
    assert kept.expanded == (str(store_graph.ids[0]),)
    assert problems == [("expand", f"E-GHOST,{HOSTILE[0]}")]


@pytest.fixture(scope="module")
def store_graph():
    from cloudsword.network import graph
    from cloudsword.store import Store

    return graph.graph_from_store(Store())
