"""A file's headers matched to the schema's columns, from Chinese and English synonyms.

The match is a suggestion the user can change (`ColumnMap` is what they confirm). Headers are
compared as written by people: full-width forms, spaces, punctuation and a unit in brackets
(涉案金额（万元）) do not matter, and the unit is kept, because it says what a bare number means.
Beside each table's own columns there is one helper target, `address`: a free-text address the
province and city can be read from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cloudsword.schema import TABLES

IMPORTABLE = ("cases", "clues", "entities", "links", "suspects", "memberships")
ADDRESS = "address"  # helper target: not a column, a source of province and city

_ID = {
    "case_id": ("案件编号", "案件号", "案号", "案件id", "案件代码", "case id", "case no", "case number"),
    "clue_id": ("线索编号", "线索号", "线索id", "clue id", "clue no", "clue number"),
    "entity_id": (
        "主体编号",
        "主体id",
        "实体编号",
        "节点编号",
        "对象编号",
        "涉案主体编号",
        "entity id",
        "entity",
    ),
    "suspect_id": ("嫌疑人编号", "嫌疑人id", "人员编号", "suspect id", "suspect no"),
}
_PLACE = {
    "province_adcode": (
        "省份",
        "省",
        "所在省份",
        "省份名称",
        "省级行政区",
        "案发省份",
        "立案省份",
        "所属省份",
        "省份代码",
        "省级代码",
        "province",
        "province name",
        "province code",
    ),
    "city_adcode": (
        "城市",
        "市",
        "地市",
        "所在城市",
        "所在地市",
        "案发城市",
        "立案城市",
        "所属城市",
        "城市代码",
        "city",
        "prefecture",
        "city name",
        "city code",
    ),
}
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "cases": {
        "case_id": _ID["case_id"] + ("编号",),
        "clue_id": _ID["clue_id"] + ("来源线索", "线索"),
        "source": ("案件来源", "来源", "线索来源", "source", "case source"),
        **_PLACE,
        "opened_on": (
            "立案日期",
            "立案时间",
            "立案日",
            "案发日期",
            "案发时间",
            "受理日期",
            "opened on",
            "date opened",
            "open date",
            "filing date",
            "opened",
        ),
        "category": (
            "商品类别",
            "类别",
            "品类",
            "涉案商品类别",
            "涉案品类",
            "商品类型",
            "category",
            "product category",
        ),
        "suspects_caught": (
            "抓获人数",
            "抓获嫌疑人数",
            "嫌疑人数",
            "抓获犯罪嫌疑人",
            "抓获犯罪嫌疑人数",
            "到案人数",
            "suspects caught",
            "suspects",
            "arrests",
            "people caught",
        ),
        "seizure_cny": (
            "涉案金额",
            "案值",
            "查获金额",
            "涉案价值",
            "查扣金额",
            "金额",
            "seizure",
            "seizure cny",
            "seized value",
            "value seized",
            "amount",
            "value",
        ),
        "facilities_closed": (
            "捣毁窝点",
            "捣毁窝点数",
            "窝点数",
            "捣毁窝点个数",
            "facilities closed",
            "dens destroyed",
            "facilities",
        ),
    },
    "clues": {
        "clue_id": _ID["clue_id"] + ("编号",),
        "issued_on": (
            "移交日期",
            "下发日期",
            "线索日期",
            "推送日期",
            "移交时间",
            "issued on",
            "issue date",
            "date issued",
            "issued",
        ),
        "entity_id": _ID["entity_id"] + ("涉案主体", "线索对象", "target", "target id"),
        "handed_to": (
            "移交省份",
            "接收省份",
            "移交地",
            "承办省份",
            "handed to",
            "receiving province",
            "province",
        ),
        "category": ("商品类别", "类别", "品类", "category", "product category"),
        "status": ("状态", "处理状态", "办理状态", "线索状态", "status"),
    },
    "entities": {
        "entity_id": _ID["entity_id"] + ("编号",),
        "kind": ("类型", "主体类型", "节点类型", "角色类型", "kind", "type", "entity kind", "entity type"),
        "name": ("名称", "主体名称", "店铺名称", "名字", "name", "entity name"),
        **_PLACE,
        "lon": ("经度", "lon", "lng", "longitude"),
        "lat": ("纬度", "lat", "latitude"),
        "first_seen": ("首次发现", "首次发现日期", "首次出现", "发现日期", "first seen", "first seen on"),
    },
    "links": {
        "src_id": ("起点", "起点编号", "源主体", "来源主体", "主体a", "src id", "source id", "from", "src"),
        "dst_id": ("终点", "终点编号", "目标主体", "关联主体", "主体b", "dst id", "target id", "to", "dst"),
        "relation": ("关系", "关系类型", "关联关系", "relation", "relationship", "relation type"),
        "first_seen": ("首次发现", "首次发现日期", "开始日期", "first seen"),
        "last_seen": ("最后发现", "最近发现", "最后发现日期", "结束日期", "last seen"),
        "evidence_count": ("证据数", "证据条数", "证据数量", "evidence count", "evidence"),
    },
    "suspects": {
        "suspect_id": _ID["suspect_id"] + ("编号",),
        "case_id": _ID["case_id"] + ("所属案件",),
        "entity_id": _ID["entity_id"] + ("关联主体",),
        "name": ("嫌疑人姓名", "姓名", "名字", "嫌疑人", "name", "suspect name", "full name"),
        "role": ("角色", "身份", "作用", "涉案角色", "role"),
        "caught_on": ("抓获日期", "抓获时间", "到案日期", "caught on", "arrest date", "date caught"),
    },
    "memberships": {
        "province_adcode": _PLACE["province_adcode"] + ("成员省份", "member"),
        "joined_on": ("加入日期", "加入时间", "入盟日期", "joined on", "join date", "date joined"),
        "illustrative": ("示意", "日期为示意", "示意日期", "illustrative", "illustrative date"),
    },
}
ADDRESS_SYNONYMS = (
    "地址",
    "案发地址",
    "详细地址",
    "案发地点",
    "地点",
    "注册地址",
    "经营地址",
    "住址",
    "address",
    "location",
    "full address",
)

_UNIT = re.compile(r"[（(\[【]\s*(?P<unit>[^）)\]】]*)\s*[）)\]】]\s*$")
_UNIT_SCALE = {
    "元": 1.0,
    "人民币元": 1.0,
    "yuan": 1.0,
    "cny": 1.0,
    "万元": 1e4,
    "万": 1e4,
    "亿元": 1e8,
    "亿": 1e8,
    "千元": 1e3,
}
_DROP = re.compile(r"[\s_\-:：/\\.,，。·'\"“”‘’()（）\[\]【】*#]+")


def _clean(header: str) -> tuple[str, float | None]:
    """(comparison key, the unit the header names or None)."""
    s = unicodedata.normalize("NFKC", str(header)).strip().casefold()
    unit = None
    m = _UNIT.search(s)
    if m:
        unit = _UNIT_SCALE.get(m["unit"].replace(" ", ""))
        s = s[: m.start()]
    return _DROP.sub("", s), unit


def _targets(table: str) -> dict[str, tuple[str, ...]]:
    own = {c: (c, c.replace("_", " "), *SYNONYMS[table].get(c, ())) for c in TABLES[table].column_names}
    if "province_adcode" in own or table == "clues":
        own[ADDRESS] = ADDRESS_SYNONYMS
    return own


@dataclass(frozen=True)
class ColumnMap:
    """Which header feeds which target (a column of the table, or `address`), and what a bare
    number means in each money column (the header's unit). What the user confirms."""

    table: str
    columns: Mapping[str, str] = field(default_factory=dict)  # target -> header
    units: Mapping[str, float] = field(default_factory=dict)  # target -> yuan per unit
    exact: frozenset[str] = frozenset()  # targets matched by a synonym (the others are guesses)

    def with_column(self, target: str, header: str | None) -> ColumnMap:
        cols = {k: v for k, v in self.columns.items() if k != target}
        if header:
            cols[target] = header
        return ColumnMap(self.table, cols, self.units, self.exact - {target})

    def unmapped(self) -> list[str]:
        return [c for c in TABLES[self.table].column_names if c not in self.columns]


def suggest(table: str, headers: Sequence[str]) -> ColumnMap:
    """The best header for each target: a synonym match first, then a close spelling (rapidfuzz),
    each header used once."""
    from rapidfuzz import fuzz

    targets = _targets(table)
    keys = {h: _clean(h) for h in headers}
    # a header built from merged cells ("案件信息 案件编号") also matches by its last part
    leaves = {h: _clean(str(h).split()[-1])[0] if str(h).split() else "" for h in headers}
    synonyms = {t: {_clean(s)[0] for s in names} for t, names in targets.items()}
    columns, units, exact, used = {}, {}, set(), set()
    for target, names in synonyms.items():  # exact matches, in the table's column order
        for h in headers:
            if h not in used and (keys[h][0] in names or leaves[h] in names):
                columns[target], used = h, used | {h}
                exact.add(target)
                break
    for target, names in synonyms.items():  # close spellings for what is left
        if target in columns:
            continue
        scored = [(max(fuzz.ratio(keys[h][0], n) for n in names), h) for h in headers if h not in used]
        best = max(scored, default=(0, None))
        if best[0] >= 85:
            columns[target], used = best[1], used | {best[1]}
    for target, h in columns.items():
        if keys[h][1] is not None:
            units[target] = keys[h][1]
    return ColumnMap(table, columns, units, frozenset(exact))


def unit_of(header: str) -> float | None:
    return _clean(header)[1]


def table_fit(headers: Sequence[str]) -> dict[str, float]:
    """For each importable table, the share of its columns these headers match by synonym."""
    out = {}
    for table in IMPORTABLE:
        m = suggest(table, headers)
        cols = TABLES[table].column_names
        out[table] = sum(c in m.exact for c in cols) / len(cols)
    return out
