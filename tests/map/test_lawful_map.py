"""Every map of China we draw is a lawful map: all 34 provincial-level divisions (Taiwan, Hong
Kong and Macao among them, with no data where the data has none) and the South China Sea islands,
in every figure the pages show and every file they export (embedded boundaries, slides for the
PPTX/PDF/HTML decks); the key (legend, colour bar) sits off the land; count classes break at
whole numbers; membership is drawn in outlines, so the class colours are the legend's only ones."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import pytest

from cloudsword import geo
from cloudsword.charts_style import CHINA_BOUNDS, MapKey, china_frame
from cloudsword.deck.spec import SlideSpec
from cloudsword.filters import month_end
from cloudsword.map import charts as charts_map
from cloudsword.map import compare, flows, queries
from cloudsword.network import analysis, graph
from cloudsword.network import charts as cn
from cloudsword.network.params import NetworkParams
from cloudsword.overview import charts as charts_overview
from cloudsword.overview import queries as overview_queries
from cloudsword.store import DEFAULT_DATA_DIR, Store
from cloudsword.story import build_slide, default_story

ALL = set(geo.load_provinces().adcode)
OUTSIDE_MAINLAND = {"710000", "810000", "820000"}
BEFORE, AFTER = (date(2017, 2, 1), date(2017, 4, 30)), (date(2017, 5, 1), date(2017, 7, 31))


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(DEFAULT_DATA_DIR)


def _drawn(fig: go.Figure) -> set[str]:
    """The divisions the figure's area layers draw, checked against their embedded boundaries."""
    drawn: set[str] = set()
    for tr in fig.data:
        if tr.type != "choroplethmap":
            continue
        locations = {str(x) for x in tr.locations or ()} - {charts_map.EMPTY, "none"}
        if isinstance(tr.geojson, dict):
            inline = {ft["properties"]["adcode"] for ft in tr.geojson["features"]}
            assert locations <= inline, "every drawn division carries its boundary in the file"
        drawn |= locations
    return drawn


def _key_off_the_land(fig: go.Figure) -> None:
    """The legend and colour bars lie outside the map's domain: beside it or below it."""
    dom = fig.layout.map.domain
    x1, y0 = (dom.x or (0, 1))[1], (dom.y or (0, 1))[0]
    assert x1 < 1 or y0 > 0, "the map leaves room for its key"
    keys = [fig.layout.legend] if fig.layout.showlegend is not False else []
    bars = [tr for tr in fig.data if tr.type == "choroplethmap" and tr.showscale is not False]
    keys += [tr.colorbar for tr in bars if tr.colorbar]
    for key in keys:
        if key.x is None and key.y is None:
            continue
        beside = key.x is not None and (key.x >= x1 or (key.xanchor == "right" and key.x == 1 and x1 < 1))
        below = key.y is not None and key.y + 1e-9 < y0 and key.yanchor in ("bottom", None)
        assert beside or below, f"key at x={key.x}, y={key.y} over the map (domain x<{x1}, y>{y0})"


def _figures(store: Store, lang: str) -> dict[str, go.Figure]:
    f = store.default_filters()
    m = (date(2017, 6, 1), month_end(date(2017, 6, 1)))
    mem = store.memberships()
    members = {a: d for a, d in zip(mem.province_adcode, mem.joined_on) if d <= m[1]}
    out: dict[str, go.Figure] = {}
    for norm in ("total", "pop"):
        v = queries.province_values(store, f.over(*m), *m, norm)
        bins = queries.classify(v.value, "quantiles", counts=queries.whole("cases", norm))
        cls = queries.class_of(v.value, bins)
        for where, gj in (("page", geo.PROVINCE_GEOJSON_URL), ("file", None)):
            out[f"map {norm} {where}"] = charts_map.map_figure(
                v, cls, bins, "cases", norm, members, "t", lang, 720, gj, selected="440000"
            )
    b, a = (queries.province_values(store, f.over(*p), *p, "total") for p in (BEFORE, AFTER))
    pair = compare.compare_figures(b, a, BEFORE, AFTER, "cases", "total", "jenks", mem, lang)
    out["before"], out["after"] = pair
    diff = compare.difference_frame(b, a, BEFORE, AFTER)
    out["difference"] = compare.difference_figure(diff, "cases", "total", mem, date(2017, 5, 1), lang)
    out["overview map"] = charts_overview.province_map_figure(
        overview_queries.by_province(store, f, "cases"), "cases", set(members), f.date_to, lang
    )
    out["flows"] = flows.flows_figure(queries.flows(store, f), lang, "t")
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_map_figure_draws_all_34_divisions_with_its_key_off_the_land(store, lang):
    for name, fig in _figures(store, lang).items():
        assert _drawn(fig) == ALL, f"{name}: {sorted(ALL - _drawn(fig))} missing"
        _key_off_the_land(fig)
        go.Figure(fig.to_dict())  # valid against plotly's schema


def test_outside_the_mainland_is_no_data_not_zero(store):
    fig = _figures(store, "en")["map total file"]
    grey = fig.data[0]
    assert OUTSIDE_MAINLAND <= set(grey.locations), "Taiwan, Hong Kong, Macao: the no-data swatch"
    assert all(c[2] == "No data" for c in grey.customdata if c[0] in OUTSIDE_MAINLAND)


def test_one_palette_membership_in_outlines(store):
    fig = _figures(store, "en")["map total file"]
    fills = {tr.colorscale[0][1] for tr in fig.data if tr.type == "choroplethmap"}
    classes = set(charts_map.CLASS_COLOURS[5]) | {charts_map.NO_DATA}
    assert fills - classes <= {"rgba(0,0,0,0)"}, f"colours outside the legend's swatches: {fills - classes}"
    texts = " ".join(tr.name for tr in fig.data)
    assert "Alliance member (bold outline)" in texts and "Not a member (thin outline)" in texts


def test_count_classes_are_whole_numbers(store):
    fig = _figures(store, "en")["before"]
    for tr in fig.data[1:6]:
        lo, _, hi = tr.name.partition(" – ")
        for part in (lo, hi):
            if part:
                assert part.replace(",", "").isdigit(), f"class '{tr.name}' is not a count"


def test_the_frame_fits_the_whole_country_whatever_the_key():
    for width, height in ((1040, 720), (510, 520), (1760, 800), (870, 800), (1280, 720)):
        for key in (MapKey(("a" * 30,) * 9, "Classes"), MapKey((), "", ("Change",), ("+400", "-400"))):
            frame = china_frame(width, height, key)
            dom = frame["map"]["domain"]
            w = (width - 20) * (dom["x"][1] - dom["x"][0])
            h = (height - 60) * (dom["y"][1] - dom["y"][0])
            assert frame["map"]["zoom"] == pytest.approx(charts_map.fit(CHINA_BOUNDS, w, h)["zoom"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_exported_map_draws_all_34_divisions(store, lang):
    """The deck's slides (what the PPTX pictures, PDF pages and HTML deck show) and the network
    map's file, each map with every division."""
    specs = default_story(store) + [
        SlideSpec("map?metric=cases&show=compare&window=3"),
        SlideSpec("map?metric=cases&show=compare&cmp=diff"),
        SlideSpec("map?metric=suspects&norm=pop&month=2017-06"),
        SlideSpec("overview?show=map&metric=cases"),
    ]
    maps = 0
    for spec in specs:
        slide = build_slide(store, spec, lang)
        assert slide.ok, (spec.view, slide.problem)
        for fig in slide.figures:
            if any(tr.type == "choroplethmap" for tr in fig.data):
                maps += 1
                assert _drawn(fig) == ALL, f"{spec.view}: {sorted(ALL - _drawn(fig))} missing"
    assert maps >= 6
    g = graph.graph_from_store(store)
    entity = default_story(store)[3].view.split("entity=")[1].split("&")[0]
    shown = analysis.ego_view(g, NetworkParams(entity=entity).ego(entity, g))
    where = cn.map_figure(shown["nodes"], shown["links"], lang, "t")
    assert _drawn(where) == ALL
