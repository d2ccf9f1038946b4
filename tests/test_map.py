"""The map's queries and figure builders agree with the store, and with plain pandas on the raw tables."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pydeck as pdk
import pytest

from cloudsword import charts_map, geo, mapview
from cloudsword.filters import month_end
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
    f = store.default_filters("en").with_(metric=metric)
    ours = mapview.province_values(store, f, f.date_from, f.date_to, alliance_only=True)
    theirs = store.by_province(f, metric)
    merged = ours.merge(theirs, on="adcode")
    assert len(merged) == 31
    assert np.allclose(merged.raw.fillna(-1), merged.value_y.fillna(-1))


def test_month_values_equal_pandas_on_the_raw_cases(store, raw):
    f = store.default_filters("en").with_(metric="cases", categories=("apparel", "toys"))
    ours = mapview.province_values(store, f, *JUL).set_index("adcode").raw
    c = raw["cases"]
    opened = pd.to_datetime(c.opened_on)
    part = c[(opened >= "2017-07-01") & (opened <= "2017-07-31") & c.category.isin(["apparel", "toys"])]
    expected = part.groupby("province_adcode").size()
    assert ours.dropna().astype(int).to_dict() == expected.to_dict()


def test_normalisation_per_head_and_per_gdp(store):
    f = store.default_filters("en")
    total = mapview.province_values(store, f, *JUL, norm="total").set_index("adcode")
    pop = mapview.province_values(store, f, *JUL, norm="pop").set_index("adcode")
    gdp = mapview.province_values(store, f, *JUL, norm="gdp").set_index("adcode")
    prov = geo.load_provinces().set_index("adcode")
    zj = "330000"
    assert pop.at[zj, "value"] == pytest.approx(total.at[zj, "raw"] / prov.at[zj, "population"] * 1e7)
    assert gdp.at[zj, "value"] == pytest.approx(total.at[zj, "raw"] / prov.at[zj, "gdp_cny"] * 1e11)


def test_no_data_stays_missing_not_zero(store):
    f = store.default_filters("en").with_(metric="clues")
    v = mapview.province_values(store, f, date(2014, 1, 1), date(2014, 1, 31))
    assert v.raw.isna().all(), "no clues before the alliance: no data, not zero"
    bins = mapview.classify(v.value, "quantiles")
    assert bins == [] and (mapview.class_of(v.value, bins) == -1).all()
    fig = charts_map.map_figure(v, mapview.class_of(v.value, bins), bins, "clues", "total", {}, "x", "en")
    nodata = fig.data[0]
    assert len(nodata.locations) == 31 and all(c[2] == "No data" for c in nodata.customdata)


@pytest.mark.parametrize("method", mapview.CLASSIFIERS)
def test_classes_cover_every_value(store, method):
    f = store.default_filters("en")
    v = mapview.province_values(store, f, *JUL)
    bins = mapview.classify(v.value, method)
    assert 2 <= len(bins) <= 5 and bins[-1] == v.value.max()
    cls = mapview.class_of(v.value, bins)
    edges = [-np.inf, *bins]
    for value, k in zip(v.value, cls):
        assert edges[k] < value <= edges[k + 1] or (k == 0 and value == edges[1])


def test_map_figure_shows_the_store_values_by_class_and_membership(store):
    f = store.default_filters("en")
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
    assert fig.data[1].legendgrouptitle.text == "Classes (count)"
    assert isinstance(fig.data[0].geojson, str), "the app's figure carries the boundaries by URL"


def test_members_follow_the_month(store):
    mem = store.memberships()
    gd = mem.set_index("province_adcode").joined_on["440000"]
    assert "440000" not in {
        a for a, d in zip(mem.province_adcode, mem.joined_on) if d <= month_end(date(2017, 4, 1))
    }
    assert gd <= month_end(date(2017, 5, 1))


def test_city_values_and_trend_sum_to_the_province(store):
    f = store.default_filters("en")
    start, end = f.date_from, f.date_to
    cities = mapview.city_values(store, f, "440000", start, end)
    total = mapview.province_values(store, f, start, end).set_index("adcode").raw["440000"]
    assert cities.value.sum() == pytest.approx(total)
    assert set(cities.adcode) == set(geo.load_cities().query("province_adcode == '440000'").adcode)
    trend = mapview.province_trend(store, f, "440000")
    assert len(trend) == f.months and trend.value.sum() == pytest.approx(total)
    cats = mapview.top_categories(store, f, "440000", start, end)
    assert len(cats) == 5 and cats.value.is_monotonic_decreasing


def test_chain_crossing_matches_pandas(store, raw):
    f = store.default_filters("en")
    got = mapview.chain_crossing(store, f, "330000", f.date_from, f.date_to)
    ents, links, clues = raw["entities"], raw["links"], raw["clues"]
    hubs = set(ents.entity_id[ents.kind.isin(mapview.HUB_KINDS)])
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
    f = store.default_filters("en")
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
    f = store.default_filters("zh")
    deck = charts_map.flows_deck(mapview.flows(store, f), mapview.city_points(store, f), "cases", "zh")
    assert isinstance(deck, pdk.Deck)
    js = deck.to_json()
    assert "__MAP_STYLE__" in js and "cartocdn" not in js and "mapbox" not in js.lower()
    assert len(js) < 1_000_000
    assert "{name}" in deck._tooltip["html"] and "{value_text}" in deck._tooltip["html"]
    pickable = [layer for layer in deck.layers if layer.pickable]
    assert len(pickable) == 2
    for layer in pickable:
        assert layer.data and {"name", "value_text"} <= set(layer.data[0]), "one tooltip serves every layer"


def test_networks_touching_a_province(store):
    comps = mapview.network_components(store)
    clues = mapview.clue_targets(store)
    nets = mapview.networks_touching(comps, clues, "440000")
    assert 1 <= len(nets) <= 5 and nets.entities.is_monotonic_decreasing
    for r in nets.itertuples():
        members = comps[comps.network == r.network]
        assert "440000" in set(members.province_adcode)
        assert r.entity_id in set(members.entity_id)
    assert not set(comps.kind) & set(mapview.HUB_KINDS)


def test_view_params_are_checked():
    with pytest.raises(ValueError):
        mapview.MapView(norm="bogus")
    assert mapview.MapView().alliance_only is False


def _export_fig(store, lang="zh"):
    f = store.default_filters(lang)
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
