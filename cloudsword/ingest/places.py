"""Province and city adcodes from names in any common form or from a free-text address.

A name (广东, 广东省, Guangdong, 粤, 440000) goes to cloudsword.geo first, which knows our own place
tables; what it cannot place, and every address, goes to `cpca`, a library made for Chinese
addresses, whose answer is then checked against our tables (its codes can be older than ours).
Each distinct value is resolved once, so a million rows cost as much as their distinct places.
A value that cannot be placed keeps its closest matches for the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from cloudsword import geo

# The one-character short names (简称) on number plates and in bureau tables.
ABBREVIATIONS = {
    "京": "110000",
    "津": "120000",
    "冀": "130000",
    "晋": "140000",
    "蒙": "150000",
    "辽": "210000",
    "吉": "220000",
    "黑": "230000",
    "沪": "310000",
    "苏": "320000",
    "浙": "330000",
    "皖": "340000",
    "闽": "350000",
    "赣": "360000",
    "鲁": "370000",
    "豫": "410000",
    "鄂": "420000",
    "湘": "430000",
    "粤": "440000",
    "桂": "450000",
    "琼": "460000",
    "渝": "500000",
    "川": "510000",
    "蜀": "510000",
    "贵": "520000",
    "黔": "520000",
    "云": "530000",
    "滇": "530000",
    "藏": "540000",
    "陕": "610000",
    "秦": "610000",
    "甘": "620000",
    "陇": "620000",
    "青": "630000",
    "宁": "640000",
    "新": "650000",
    "台": "710000",
    "港": "810000",
    "澳": "820000",
}


ADDRESS_HEAD = 24  # characters: the longest province + prefecture + county names fit


@dataclass
class Resolved:
    """Adcodes per row, and what could not be placed (value -> closest matches)."""

    codes: pd.Series
    unknown: dict[str, list[str]] = field(default_factory=dict)
    guessed: pd.Series | None = None  # rows placed from free text by cpca, not by a name


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], dict[str, str]]:
    cities = geo.load_cities()
    return frozenset(geo.load_provinces().adcode), dict(zip(cities.adcode, cities.province_adcode))


def _cpca(texts: list[str]) -> pd.DataFrame:
    import cpca

    return cpca.transform(texts) if texts else pd.DataFrame(columns=["adcode"])


def _city_of(code: object) -> str | None:
    """Our city for a cpca district or city code: municipalities list districts as cities."""
    if not isinstance(code, str) or len(code) != 6:
        return None
    _, city_province = _tables()
    for candidate in (code, code[:4] + "00"):
        if candidate in city_province:
            return candidate
    return None


def provinces(values: pd.Series) -> Resolved:
    """Province adcodes from province names, codes, short names or addresses."""
    known, _ = _tables()
    distinct = [v for v in values.dropna().unique()]
    found: dict[str, str] = {}
    unknown: dict[str, list[str]] = {}
    rest = []
    for v in distinct:
        text = str(v).strip()
        try:
            found[v] = geo.resolve_province(text)
        except geo.UnknownPlaceError as err:
            if text in ABBREVIATIONS:
                found[v] = ABBREVIATIONS[text]
            else:
                rest.append(v)
                unknown[v] = err.suggestions
    if rest:
        parsed = _cpca([str(v) for v in rest])
        for v, code in zip(rest, parsed["adcode"]):
            if isinstance(code, str) and code[:2] + "0000" in known:
                found[v] = code[:2] + "0000"
                unknown.pop(v, None)
    codes = values.map(found, na_action="ignore").astype("string")
    guessed = values.isin(rest) & codes.notna()
    return Resolved(codes, unknown, guessed)


def cities(values: pd.Series, province: pd.Series) -> tuple[Resolved, pd.Series]:
    """City adcodes from city names (within each row's province when it is known) and, second,
    whether the city lies in another province than the row's (a problem for the report)."""
    _, city_province = _tables()
    pairs = pd.DataFrame({"v": values, "p": province}).dropna(subset=["v"]).drop_duplicates()
    found: dict[tuple[str, object], str] = {}
    unknown: dict[str, list[str]] = {}
    rest = []
    for v, p in zip(pairs.v, pairs.p):
        text = str(v).strip()
        within = p if isinstance(p, str) else None
        try:
            found[(v, p)] = geo.resolve_city(text, within)
            continue
        except geo.AmbiguousPlaceError as err:
            unknown[v] = err.suggestions
            continue
        except geo.UnknownPlaceError as err:
            try:  # named, but in another province than the row's: say so rather than guess
                found[(v, p)] = geo.resolve_city(text) if within else ""
            except geo.UnknownPlaceError:
                unknown[v] = err.suggestions
                rest.append((v, p))
    if rest:
        texts = [
            (geo.province_name(p) if isinstance(p, str) else "") + str(v) for v, p in rest
        ]  # the province first, so cpca does not pick a namesake elsewhere
        for (v, p), code in zip(rest, _cpca(texts)["adcode"]):
            city = _city_of(code)
            if city is not None:
                found[(v, p)] = city
                unknown.pop(v, None)
    from_text = set(rest)
    resolved = pd.DataFrame(
        [(v, p, found.get((v, p)) or None, (v, p) in from_text) for v, p in zip(pairs.v, pairs.p)],
        columns=["v", "p", "code", "guessed"],
    )
    rows = pd.DataFrame({"v": values, "p": province}).merge(resolved, on=["v", "p"], how="left")
    codes = pd.Series(rows["code"].to_numpy(), index=values.index, dtype="string").mask(values.isna())
    in_province = codes.map(city_province, na_action="ignore")
    elsewhere = codes.notna() & province.notna() & (in_province != province)
    guessed = (
        pd.Series(rows["guessed"].fillna(False).to_numpy(dtype=bool), index=values.index) & codes.notna()
    )
    return Resolved(codes, unknown, guessed), elsewhere.fillna(False).astype(bool)


def addresses(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(province adcodes, city adcodes) read from free-text addresses by cpca, each distinct
    address once; what cpca cannot place, or places outside our tables, stays missing."""
    known, _ = _tables()
    # the places are named at the start of an address: its head is what cpca needs, and heads
    # repeat far more than whole addresses (street numbers differ)
    heads = values.str.slice(0, ADDRESS_HEAD)
    distinct = list(heads.dropna().unique())
    parsed = _cpca([str(v) for v in distinct])
    prov, city = {}, {}
    for v, code in zip(distinct, parsed["adcode"]):
        if isinstance(code, str) and code[:2] + "0000" in known:
            prov[v] = code[:2] + "0000"
            c = _city_of(code)
            if c is not None:
                city[v] = c
    return (
        heads.map(prov, na_action="ignore").astype("string"),
        heads.map(city, na_action="ignore").astype("string"),
    )


def city_centres() -> pd.DataFrame:
    """adcode, lon, lat of every city (entities without coordinates get their city's)."""
    return geo.load_cities()[["adcode", "lon", "lat"]]
