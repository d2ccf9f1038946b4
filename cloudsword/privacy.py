"""Personal data masking for everything shown in presenter mode or exported from it.

Who is a person: operators (an operator entity's `name` is a person's name, often a suspect's)
and suspects. Their names become surname plus asterisks, their ids a keyed-hash pseudonym, and
payment accounts lose their digits. Every entity's exact coordinates are replaced by its city's
centroid. Businesses (shops, factories...) keep their names: they are what the slides are about.

Pseudonyms are an HMAC under a key drawn once per process (or $CLOUDSWORD_PSEUDONYM_KEY): stable
within a deck and a session, but with a public salt the ~1e4 entity ids could be reversed by
trying them all, so the key is not derived from anything a viewer could know.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from functools import lru_cache

import pandas as pd

from cloudsword import geo

PERSON_KINDS = ("operator",)  # entities whose `name` is a person's
ACCOUNT_KINDS = ("payment_account",)  # names carry account digits
PERSONAL_KINDS = PERSON_KINDS + ACCOUNT_KINDS  # entities whose id is replaced
_KEY = (os.environ.get("CLOUDSWORD_PSEUDONYM_KEY") or secrets.token_hex(16)).encode()
_DIGITS = re.compile(r"\d")
_LATIN = re.compile(r"[A-Za-z]")
# Two-character surnames (复姓): a name of three or more characters that starts with one keeps both.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 端木 独孤 南宫 西门 "
    "万俟 闻人 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 赫连 呼延 拓跋 百里 东郭 左丘 司空 第五 鲜于 "
    "闾丘 亓官 仲孙 羊舌 梁丘 谷梁 段干 南门 公羊 微生 乐正 漆雕 壤驷 公西 巫马 司寇 子车 颛孙 东门 "
    "歐陽 司馬 諸葛 尉遲 長孫 軒轅 鍾離 獨孤".split()  # the last few: traditional spellings
)


def mask_person(name: str) -> str:
    """Surname plus one asterisk per remaining character: "王慧" -> "王*", "欧阳娜娜" -> "欧阳**";
    latin names keep their first token ("Zhang Wei" -> "Zhang ***"); "·"-joined names (e.g.
    Uyghur names) their first part. A lone character is fully hidden: it would be the whole name."""
    name = str(name or "").strip()
    if not name:
        return ""
    for sep in ("·", "•", "・"):
        if sep in name:
            first, rest = name.split(sep, 1)
            return f"{first}{sep}" + "*" * len(re.sub(rf"[\s{sep}]", "", rest))
    if _LATIN.search(name):
        first, *rest = name.split()
        if not rest:
            return first[0] + "*" * (len(first) - 1)
        return first + " " + "*" * sum(len(r) for r in rest)
    if len(name) == 1:
        return "*"
    keep = 2 if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES else 1
    return name[:keep] + "*" * (len(name) - keep)


def mask_account(name: str) -> str:
    """Every digit of a payment account's name becomes an asterisk ("尾号4243" -> "尾号****")."""
    return _DIGITS.sub("*", str(name or ""))


def pseudonym(entity_or_person_id: str, key: bytes | None = None) -> str:
    """A stable replacement id ("ID-K7F3A2C9", 40 bits) that does not reveal the original."""
    digest = hmac.new(key or _KEY, str(entity_or_person_id).encode("utf-8"), hashlib.sha256).digest()
    return "ID-" + base64.b32encode(digest[:5]).decode("ascii")


def mask_name(name: str, kind: str) -> str:
    """An entity's name as presenter mode shows it, by kind."""
    if kind in PERSON_KINDS:
        return mask_person(name)
    if kind in ACCOUNT_KINDS:
        return mask_account(name)
    return str(name)


def mask_id(entity_id: str, kind: str, key: bytes | None = None) -> str:
    return pseudonym(entity_id, key) if kind in PERSONAL_KINDS else str(entity_id)


@lru_cache(maxsize=1)
def _city_centres() -> tuple[dict[str, float], dict[str, float]]:
    cities = geo.load_cities()
    provinces = geo.load_provinces()
    lon = {**dict(zip(provinces.adcode, provinces.lon)), **dict(zip(cities.adcode, cities.lon))}
    lat = {**dict(zip(provinces.adcode, provinces.lat)), **dict(zip(cities.adcode, cities.lat))}
    return lon, lat


def coarsen(df: pd.DataFrame) -> pd.DataFrame:
    """lon/lat replaced by the centroid of `city_adcode` (else of `province_adcode`); rows with
    neither lose their coordinates (NaN) rather than keep the exact ones."""
    if "lon" not in df.columns and "lat" not in df.columns:
        return df
    lon, lat = _city_centres()
    out = df.copy()
    known = set(lon)
    where = pd.Series(pd.NA, index=out.index, dtype=object)
    for col in ("province_adcode", "city_adcode"):  # the city wins where both are known
        if col in out.columns:
            where = out[col].astype(object).where(out[col].astype(object).isin(known), where)
    out["lon"] = where.map(lon).astype(float)
    out["lat"] = where.map(lat).astype(float)
    return out


def personal_ids(nodes: pd.DataFrame) -> set[str]:
    """Ids (in an unmasked node frame) that mask_nodes replaces."""
    return set(nodes.loc[nodes["kind"].isin(PERSONAL_KINDS), "entity_id"].astype(str))


def mask_nodes(nodes: pd.DataFrame, key: bytes | None = None) -> pd.DataFrame:
    """A network node frame (network_analysis.ego_view: entity_id, name, kind, province_adcode,
    city_adcode, lon, lat, ...) as presenter mode may show it: personal names masked, personal
    ids pseudonymised, coordinates at the city centroid."""
    out = coarsen(nodes)
    kinds = out["kind"].astype(str)
    if "name" in out.columns:
        out["name"] = [mask_name(n, k) for n, k in zip(out["name"], kinds)]
    if "entity_id" in out.columns:
        out["entity_id"] = [mask_id(i, k, key) for i, k in zip(out["entity_id"], kinds)]
    return out


def mask_links(links: pd.DataFrame, nodes: pd.DataFrame, key: bytes | None = None) -> pd.DataFrame:
    """A link frame (src_id, dst_id, ...) whose ends are in the UNMASKED `nodes`: personal ids
    replaced by the same pseudonyms as mask_nodes gives them."""
    personal = personal_ids(nodes)
    out = links.copy()
    for col in ("src_id", "dst_id"):
        if col in out.columns:
            out[col] = [pseudonym(i, key) if i in personal else str(i) for i in out[col].astype(str)]
    return out


def mask_suspects(df: pd.DataFrame, key: bytes | None = None) -> pd.DataFrame:
    """A suspects frame (suspect_id, case_id, entity_id, name, role, caught_on): names masked,
    suspect and entity ids pseudonymised (a suspect's entity is where they worked: identifying)."""
    out = df.copy()
    if "name" in out.columns:
        out["name"] = [mask_person(n) for n in out["name"]]
    for col in ("suspect_id", "entity_id"):
        if col in out.columns:
            out[col] = [None if pd.isna(i) else pseudonym(i, key) for i in out[col]]
    return coarsen(out)
