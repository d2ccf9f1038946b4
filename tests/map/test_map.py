"""The map's queries and figure builders agree with the store, and with plain pandas on the raw tables."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pydeck as pdk
import pytest

from cloudsword import cube as mapcube
from cloudsword import export, geo
from cloudsword.charts_style import FONT
from cloudsword.filters import month_end
from cloudsword.i18n import format_number, t
from cloudsword.map import charts as charts_map
from cloudsword.map import compare as charts_compare
from cloudsword.map import flows as charts_flows
from cloudsword.map import queries as mapview
from cloudsword.map.params import CLASSIFIERS, NORMS
from cloudsword.overview import queries as overview_queries
from cloudsword.schema import HUB_KINDS
from cloudsword.store import DEFAULT_DATA_DIR, Store


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def raw() -> dict[str, pd.DataFrame]:
    return {
        n: pd.read_parquet(DEFAULT_DATA_DIR / f"{n}.parquet") for n in ("cases", "clues", "entities", "links")
    }


JUL = (date(2017, 7, 1), date(2017, 7, 31))


@pytest.mark.parametrize("metric", ["clues", "cases", "suspects", "seizure"])
def test_province_totals_equal_the_store(store, metric):
    f = store.default_filters().with_(metric=metric)
    ours = mapview.province_values(store, f, f.date_from, f.date_to, alliance_only=True)
    theirs = overview_queries.by_province(store, f, metric)
    merged = ours.merge(theirs, on="adcode")
    assert len(merged) == 31 and len(ours) == 34, "every division on the map, 31 with data"
    assert np.allclose(merged.raw.fillna(-1), merged.value_y.fillna(-1))


def test_month_values_equal_pandas_on_the_raw_cases(store, raw):
    f = store.default_filters().with_(metric="cases", categories=("apparel", "toys"))
    ours = mapview.province_values(store, f, *JUL).set_index("adcode").raw
    c = raw["cases"]
    opened = pd.to_datetime(c.opened_on)
    part = c[(opened >= "2017-07-01") & (opened <= "2017-07-31") & c.category.isin(["apparel", "toys"])]
    expected = part.groupby("province_adcode").size()
    assert ours.dropna().astype(int).to_dict() == expected.to_dict()


def test_normalisation_per_head_and_per_gdp(store):
    f = store.default_filters()
    total = mapview.province_values(store, f, *JUL, norm="total").set_index("adcode")
    pop = mapview.province_values(store, f, *JUL, norm="pop").set_index("adcode")
    gdp = mapview.province_values(store, f, *JUL, norm="gdp").set_index("adcode")
    prov = geo.load_provinces().set_index("adcode")
    zj = "330000"
    assert pop.at[zj, "value"] == pytest.approx(total.at[zj, "raw"] / prov.at[zj, "population"] * 1e7)
    assert gdp.at[zj, "value"] == pytest.approx(total.at[zj, "raw"] / prov.at[zj, "gdp_cny"] * 1e11)


def test_no_data_stays_missing_not_zero(store):
    f = store.default_filters().with_(metric="clues")
    v = mapview.province_values(store, f, date(2014, 1, 1), date(2014, 1, 31))
    assert v.raw.isna().all(), "no clues before the alliance: no data, not zero"
    bins = mapview.classify(v.value, "quantiles")
    assert bins == [] and (mapview.class_of(v.value, bins) == -1).all()
    fig = charts_map.map_figure(v, mapview.class_of(v.value, bins), bins, "clues", "total", {}, "x", "en")
    nodata = fig.data[0]
    assert len(nodata.locations) == 34 and all(c[2] == "No data" for c in nodata.customdata)


@pytest.mark.parametrize("method", CLASSIFIERS)
def test_classes_cover_every_value(store, method):
    f = store.default_filters()
    v = mapview.province_values(store, f, *JUL)
    for counts in (False, True):
        bins = mapview.classify(v.value, method, counts=counts)
        assert 2 <= len(bins) <= 5 and bins[-1] == v.value.max()
        assert not counts or all(b == int(b) for b in bins), "counts break at whole numbers"
        cls = mapview.class_of(v.value, bins)
        edges = [-np.inf, *bins]
        for value, k in zip(v.value, cls):
            if pd.isna(value):
                assert k == -1, "no data is no class"
                continue
            assert edges[k] < value <= edges[k + 1] or (k == 0 and value == edges[1])


def test_count_classes_do_not_share_their_edges():
    labels = charts_map.class_labels([45.0, 63.0, 99.0], 1.0, "cases", "total", "en", counts=True)
    assert labels == ["1 – 45", "46 – 63", "64 – 99"]


def test_map_figure_shows_the_store_values_by_class_and_membership(store):
    f = store.default_filters()
    v = mapview.province_values(store, f, *JUL)
    bins = mapview.classify(v.value, "jenks")
    cls = mapview.class_of(v.value, bins)
    members = {a: d for a, d in zip(*store.memberships()[["province_adcode", "joined_on"]].T.values)}
    fig = charts_map.map_figure(
        v, cls, bins, "cases", "total", members, "t", "en", boundaries=geo.PROVINCE_GEOJSON_URL
    )
    shown = {}
    for trace in fig.data[1 : 1 + len(bins)]:
        for loc, c in zip(trace.locations, trace.customdata):
            shown[loc] = c[2]
    expected = {
        a: charts_map.fmt("cases", x, "total", "en") for a, x in zip(v.adcode, v.value) if pd.notna(x)
    }
    assert shown == expected
    names = [tr.name for tr in fig.data]
    assert any("Alliance member" in n for n in names) and any("Not a member" in n for n in names)
    member_trace = next(tr for tr in fig.data if "Alliance member" in tr.name)
    assert set(member_trace.locations) == set(members)
    assert fig.layout.legend.title.text == "Classes (count)"
    assert isinstance(fig.data[0].geojson, str), "the app's figure carries the boundaries by URL"


def test_members_follow_the_month(store):
    mem = store.memberships()
    gd = mem.set_index("province_adcode").joined_on["440000"]
    assert "440000" not in {
        a for a, d in zip(mem.province_adcode, mem.joined_on) if d <= month_end(date(2017, 4, 1))
    }
    assert gd <= month_end(date(2017, 5, 1))


def test_city_values_and_trend_sum_to_the_province(store):
    f = store.default_filters()
    start, end = f.date_from, f.date_to
    cities = mapview.city_values(store, f, "440000", start, end)
    total = mapview.province_values(store, f, start, end).set_index("adcode").raw["440000"]
    assert cities.value.sum() == pytest.approx(total)
    assert set(cities.adcode) == set(geo.load_cities().query("province_adcode == '440000'").adcode)
    trend = mapview.province_trend(store, f, "440000")
    assert len(trend) == f.months and trend.value.sum() == pytest.approx(total)
    cats = mapview.top_categories(store, f, "440000", start, end)
    assert len(cats) == 5 and cats.value.is_monotonic_decreasing


@pytest.fixture(scope="module")
def cube(store) -> mapcube.MonthlyCube:
    return mapcube.monthly_cube(store)


_VIEWS = [
    {},
    {"metric": "clues"},
    {"metric": "seizure", "categories": ("apparel", "toys")},
    {"metric": "suspects", "provinces": ("330000", "440000")},
    {"provinces": ("110000",)},
    {"metric": "clues", "date_from": date(2015, 3, 1), "date_to": date(2016, 5, 31)},
]
_PERIODS = [
    JUL,
    (date(2014, 1, 1), date(2014, 1, 31)),
    (date(2013, 1, 1), date(2013, 3, 31)),
    (date(2015, 1, 1), date(2018, 12, 31)),
]


@pytest.mark.parametrize("alliance_only", [False, True])
@pytest.mark.parametrize("view", _VIEWS)
def test_the_in_memory_cut_equals_the_queries(store, cube, view, alliance_only):
    """The page cuts its sums from the cube; they must equal the Ibis queries, "no data" included."""
    f = store.default_filters().with_(**view)

    def same(fn, *args, **kw):
        a, b = fn(store, f, *args, **kw), fn(store, f, *args, **kw, cube=cube)
        pd.testing.assert_frame_equal(a, b, check_dtype=False)
        return b

    for start, end in _PERIODS:
        for norm in NORMS:
            same(mapview.province_values, start, end, norm, alliance_only)
        for province in ("440000", "540000"):
            same(mapview.city_values, province, start, end, alliance_only)
            same(mapview.top_categories, province, start, end, alliance_only)
    same(mapview.province_trend, "440000", alliance_only)
    points = same(mapview.city_points, alliance_only)
    assert len(points) or f.provinces, "the comparison compared something"


def test_the_cube_holds_the_whole_aggregate(store, cube):
    totals = store.run(
        store.table("monthly").aggregate(**{c: store.table("monthly")[c].sum() for c in mapcube.CHANNELS[1:]})
    )
    for i, column in enumerate(mapcube.CHANNELS):
        if column != "rows":
            assert cube.place[i].sum() == cube.province[i].sum() == float(totals[column].iloc[0])
    assert cube.place[0].sum() == float(store.run(store.table("monthly").count()))


def test_chain_crossing_matches_pandas(store, raw):
    f = store.default_filters()
    got = mapview.chain_crossing(store, f, "330000", f.date_from, f.date_to)
    ents, links, clues = raw["entities"], raw["links"], raw["clues"]
    hubs = set(ents.entity_id[ents.kind.isin(HUB_KINDS)])
    lk = links[~links.src_id.isin(hubs) & ~links.dst_id.isin(hubs)]
    both = pd.concat(
        [lk.rename(columns={"src_id": "a", "dst_id": "b"}), lk.rename(columns={"dst_id": "a", "src_id": "b"})]
    )
    k = clues[clues.handed_to == "330000"]
    nb = k.merge(both[["a", "b"]], left_on="entity_id", right_on="a").merge(
        ents[["entity_id", "province_adcode"]].rename(columns={"entity_id": "b"}), on="b"
    )
    crossing = nb[nb.province_adcode != nb.handed_to].clue_id.nunique()
    assert got["clues"] == len(k) and got["crossing"] == crossing
    assert 0 < got["share"] < 1


def test_flows_count_distinct_shop_supplier_pairs(store, raw):
    f = store.default_filters()
    got = mapview.flows(store, f)
    ents, links = raw["entities"].set_index("entity_id"), raw["links"]
    lk = links[links.relation.isin(["supplies", "stores_for"])]
    lk = lk[
        (ents.kind.reindex(lk.dst_id).values == "shop")
        & ents.kind.reindex(lk.src_id).isin(mapview.SUPPLIER_KINDS).values
    ]
    pairs = pd.DataFrame(
        {
            "src": ents.province_adcode.reindex(lk.dst_id).values,
            "dst": ents.province_adcode.reindex(lk.src_id).values,
        }
    )
    pairs = pairs.assign(s=lk.dst_id.values, p=lk.src_id.values).drop_duplicates()
    pairs = pairs[pairs.src != pairs.dst]
    expected = pairs.groupby(["src", "dst"]).size()
    assert got.set_index(["src", "dst"]).chains.sort_index().to_dict() == expected.sort_index().to_dict()
    zhejiang = got.chains[got.src == "330000"].sum() / got.chains.sum()
    assert zhejiang > 0.5, "shops mostly registered in Zhejiang"


def test_flow_deck_is_offline_and_small(store):
    f = store.default_filters()
    deck = charts_flows.flows_deck(mapview.flows(store, f), mapview.city_points(store, f), "cases", "zh")
    assert isinstance(deck, pdk.Deck)
    js = deck.to_json()
    assert "__MAP_STYLE__" in js and "cartocdn" not in js and "mapbox" not in js.lower()
    assert len(js) < 1_000_000
    assert "{name}" in deck._tooltip["html"] and "{value_text}" in deck._tooltip["html"]
    pickable = [layer for layer in deck.layers if layer.pickable]
    assert len(pickable) == 2
    for layer in pickable:
        assert layer.data and {"name", "value_text"} <= set(layer.data[0]), "one tooltip serves every layer"


def test_flow_deck_json_is_made_once_and_the_same_every_time(store):
    f = store.default_filters()
    build = lambda: charts_flows.flows_deck(
        mapview.flows(store, f), mapview.city_points(store, f), "cases", "en"
    )
    deck = build()
    js = deck.to_json()
    assert deck.to_json() is js, "Streamlit asks on every rerun of the cached deck: serialised once"
    assert js == build().to_json(), "fixed layer ids: the same view gives the same JSON"
    assert json.loads(js)["layers"][2]["data"][0].keys() >= {"name", "value_text", "width"}


def test_flows_figure_draws_every_chain_offline(store):
    """The flow view as a plotly picture for exports: one curve per route with chains, from the
    shops' province to the suppliers', wider with more chains, on embedded boundaries only."""
    flows = mapview.flows(store, store.default_filters())
    fig = charts_flows.flows_figure(flows, "zh", "跨省链条流向")
    lines = [tr for tr in fig.data if tr.type == "scattermap" and tr.mode == "lines"]
    where = charts_flows.province_points()
    ends = set()
    for tr in lines:
        xy = list(zip(tr.lon, tr.lat))
        cuts = [-1] + [i for i, p in enumerate(xy) if p[0] is None]
        ends |= {(xy[a + 1], xy[b - 1]) for a, b in zip(cuts, cuts[1:])}
    assert sum(list(tr.lon).count(None) for tr in lines) == len(ends) == (flows.chains > 0).sum() > 0
    expected = {tuple(tuple(np.round(where[p], 3)) for p in r) for r in zip(flows.src, flows.dst)}
    assert ends == expected
    widths = [tr.line.width for tr in lines]
    assert widths == sorted(set(widths)) and fig.layout.legend.title.text == t("map.flows.width", "zh")
    busiest = t("map.flows.chains", "zh", n=format_number(int(flows.chains.max()), "zh"))
    assert any(busiest in (x or "") for x in lines[-1].text), "the widest class holds the busiest route"
    assert fig.data[0].type == "choroplethmap" and isinstance(fig.data[0].geojson, dict)
    assert fig.layout.map.style == "white-bg" and "http" not in fig.to_json()
    assert charts_flows.chain_classes(1549) == [1, 5, 20, 100, 500] and charts_flows.chain_classes(1) == [1]
    empty = charts_flows.flows_figure(flows.iloc[:0], "en", "t")
    assert len(empty.data) == 1 and t("map.flows.empty", "en") in empty.layout.title.text
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("kaleido needs Debian's chromium")
    pngs = export.images([fig, empty], "png")
    assert all(png.startswith(b"\x89PNG") and len(png) > 10_000 for png in pngs)


def _builder_figures(store) -> dict[str, object]:
    f = store.default_filters()
    v = mapview.province_values(store, f, *JUL, norm="pop")
    bins = mapview.classify(v.value, "jenks")
    mem = store.memberships()
    members = dict(zip(mem.province_adcode, mem.joined_on))
    cities = mapview.city_values(store, f, "440000", *JUL)
    cats = mapview.top_categories(store, f, "440000", *JUL)
    trend = mapview.province_trend(store, f, "440000")
    cls = mapview.class_of(v.value, bins)
    before, after = charts_compare.compare_figures(v, v, JUL, JUL, "cases", "pop", "jenks", mem, "zh")
    return {
        "map": charts_map.map_figure(v, cls, bins, "cases", "pop", members, "t", "zh", selected="440000"),
        "map by URL": charts_map.map_figure(
            v, cls, bins, "cases", "pop", members, "t", "zh", boundaries=geo.PROVINCE_GEOJSON_URL
        ),
        "cities": charts_map.city_figure(cities, "440000", "cases", "t", "zh"),
        "cities by URL": charts_map.city_figure(
            cities, "440000", "cases", "t", "zh", boundaries=geo.CITY_GEOJSON_URL
        ),
        "trend": charts_map.trend_figure(trend, "cases", date(2016, 3, 15), JUL[0], "t", "zh"),
        "categories": charts_map.categories_figure(cats, "seizure", "t", "zh"),
        "before": before,
        "after": after,
    }


def test_builders_make_figures_plotly_accepts(store):
    """The builders skip plotly's validation for speed; here every figure goes through it."""
    for name, fig in _builder_figures(store).items():
        spec = fig.to_dict()
        checked = go.Figure(spec)  # raises on any property plotly does not know
        assert len(checked.data) == len(fig.data), name
        assert spec["layout"]["title"]["text"] and spec["layout"]["font"]["family"] == FONT["family"], name
        assert spec["layout"]["template"], f"{name}: the default template still applies"


def test_changing_one_figure_changes_nothing_else(store):
    """Unvalidated figures keep the dicts they are given: none may be shared with another place."""
    figs = _builder_figures(store)
    for name, fig in figs.items():
        fig.update_layout(font=dict(size=30))
        assert fig.layout.hoverlabel.font.size == FONT["size"], name
    assert FONT["size"] == 14 and figs["map"].layout.title.font.size == 17
    again = _builder_figures(store)["map"]
    assert again.layout.font.size == FONT["size"]


def test_embedded_boundaries_hold_each_layers_own_provinces(store):
    fig = _builder_figures(store)["map"]
    for trace in fig.data:
        inline = {ft["properties"]["adcode"] for ft in trace.geojson["features"]}
        assert inline == set(trace.locations) - {charts_map.EMPTY}
    classed = [a for tr in fig.data[:-3] for a in tr.locations if a != charts_map.EMPTY]
    assert sorted(classed) == sorted(geo.load_provinces().adcode), "each division once"
    assert len(pio.to_json(fig)) < 1_000_000


def test_the_city_map_by_url_sends_no_boundaries(store):
    figs = _builder_figures(store)
    by_url, inline = figs["cities by URL"], figs["cities"]
    assert all(tr.geojson == geo.CITY_GEOJSON_URL for tr in by_url.data)
    # served next to the province boundaries (static/geo), which the app already fetches by URL
    assert geo.CITY_GEOJSON_URL.rsplit("/", 1)[0] == geo.PROVINCE_GEOJSON_URL.rsplit("/", 1)[0]
    assert (geo.BOUNDARY_DIR / geo.CITY_GEOJSON_URL.rsplit("/", 1)[1]).exists()
    assert [list(tr.locations) for tr in by_url.data] == [list(tr.locations) for tr in inline.data]
    assert len(pio.to_json(by_url)) < 20_000 < len(pio.to_json(inline))


def test_networks_touching_a_province(store):
    comps = mapview.network_components(store)
    clues = mapview.clue_targets(store)
    nets = mapview.networks_touching(comps, clues, "440000")
    assert 1 <= len(nets) <= 5 and nets.entities.is_monotonic_decreasing
    for r in nets.itertuples():
        members = comps[comps.network == r.network]
        assert "440000" in set(members.province_adcode)
        assert r.entity_id in set(members.entity_id)
    assert not set(comps.kind) & set(HUB_KINDS)


def _export_fig(store, lang="zh"):
    f = store.default_filters()
    v = mapview.province_values(store, f, *JUL)
    bins = mapview.classify(v.value, "quantiles")
    return charts_map.map_figure(
        v, mapview.class_of(v.value, bins), bins, "cases", "total", {}, "各省案件", lang
    )


def test_export_html_stands_alone(store):
    fig = _export_fig(store)
    assert isinstance(fig.data[0].geojson, dict), "exports embed the boundaries"
    html = charts_map.export_bytes(fig, "html").decode("utf-8")
    assert '<script src="http' not in html
    assert "各省案件" in html or json.dumps("各省案件")[1:-1] in html


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="kaleido needs Debian's chromium")
def test_export_svg_renders_offline(store):
    svg = charts_map.export_bytes(_export_fig(store), "svg").decode("utf-8")
    assert svg.startswith("<svg") and "各省案件" in svg and "分级" in svg
