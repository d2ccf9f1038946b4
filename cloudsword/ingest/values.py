"""Cells as bureaus write them, read into the schema's types, every failure kept by row.

Each parser takes a column of text (or of values a typed file already holds) and returns the
parsed column and, per rule, a mask of the rows that broke it: a value is never guessed into
shape, and an empty cell stays empty (missing, never zero). Vectorised over the column, so a
million rows take seconds.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa

# Excel counts days from 1899-12-30 (its 1900 leap-year bug included); 20000-80000 is 1954-2119.
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_YMD = re.compile(
    r"^(?P<y>\d{4})\s*(?:年|/|\.|-)\s*(?P<m>\d{1,2})\s*(?:月|/|\.|-)\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[T\s]+\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")
EARLIEST = date(1990, 1, 1)  # earlier dates in these records are typing errors

# Money: an optional currency sign, a number with thousands separators, an optional unit.
_UNITS = {"": 1.0, "元": 1.0, "块": 1.0, "千元": 1e3, "万": 1e4, "万元": 1e4, "亿": 1e8, "亿元": 1e8}
_UNITS_EN = {"yuan": 1.0, "cny": 1.0, "rmb": 1.0}
_MONEY = re.compile(
    r"^(?P<sign>[-−])?\s*(?:[¥￥]|rmb|cny)?\s*(?P<num>(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?|\.\d+)\s*"
    r"(?P<unit>千元|万元|亿元|万|亿|元|块|yuan|cny|rmb)?$",
    re.IGNORECASE,
)
_COUNT = re.compile(r"^(?P<num>\d+(?:\.0+)?)\s*(?:人|个|处|家|条|起|件|次)?$")
_NUMBER = re.compile(r"^[-−+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")
_NEUTRALISED = r"^'(?=[=+\-@\t\r])"
_TRUE = {"true", "yes", "y", "1", "是", "对", "示意", "t"}
_FALSE = {"false", "no", "n", "0", "否", "不", "公开", "f"}


@dataclass
class Parsed:
    """A parsed column and the rows that broke each rule (masks aligned with the column)."""

    values: pd.Series
    problems: dict[str, pd.Series] = field(default_factory=dict)
    notes: dict[str, pd.Series] = field(default_factory=dict)  # rows read with a warning


def _by_distinct(parse: Callable[..., Parsed]) -> Callable[..., Parsed]:
    """Parse each distinct cell once and spread the result back: a million rows of dates or
    amounts hold a few thousand distinct texts."""

    @functools.wraps(parse)
    def run(raw: pd.Series, *args: object) -> Parsed:
        if pd.api.types.is_numeric_dtype(raw) or pd.api.types.is_datetime64_any_dtype(raw):
            return parse(raw, *args)
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
        if len(uniques) > len(raw) // 2:  # mostly distinct: nothing to gain
            return parse(raw, *args)
        once = parse(pd.Series(uniques, dtype=raw.dtype if len(uniques) else "string"), *args)
        missing = codes < 0
        take = np.where(missing, 0, codes)

        def spread(col: pd.Series, fill: object) -> pd.Series:
            if not len(col):
                return pd.Series(fill, index=raw.index, dtype=col.dtype)
            out = pd.Series(col.to_numpy()[take] if len(col) else [], index=raw.index, dtype=col.dtype)
            return out.mask(missing, fill) if missing.any() else out

        return Parsed(
            spread(once.values, None),
            {k: spread(m.astype(bool), False).astype(bool) for k, m in once.problems.items()},
        )

    return run


def text(raw: pd.Series) -> pd.Series:
    """Cells as text, trimmed; '' becomes missing. Whatever the text says (a formula, HTML) it
    stays text, as written (names keep their full-width brackets)."""
    s = raw.astype("string").str.strip()
    quoted = s.str.startswith("'").fillna(False)
    if quoted.any():  # our own exports' apostrophe before a formula (export.neutralise)
        s[quoted] = s[quoted].str.replace(_NEUTRALISED, "", regex=True)
    return s.mask(s == "")


def plain(raw: pd.Series) -> pd.Series:
    """Text to read a value from: NFKC makes full-width digits and signs plain (１２万 -> 12万)."""
    s = text(raw)
    wide = s.str.contains("[\u3000\uff01-\uff5e]").fillna(False)  # full-width forms only
    if wide.any():
        s[wide] = s[wide].map(lambda v: unicodedata.normalize("NFKC", v))
    return s


def identifier(raw: pd.Series) -> pd.Series:
    """Ids as text; a number Excel stored as 10001.0 is the id 10001."""
    if pd.api.types.is_float_dtype(raw):
        whole = raw.notna() & (raw == raw.round())
        out = raw.astype("string")
        return out.mask(whole, raw[whole].astype("int64").astype("string"))
    if pd.api.types.is_integer_dtype(raw):
        return raw.astype("string")
    s = text(raw)
    return s.str.replace(r"^(\d+)\.0$", r"\1", regex=True)


@_by_distinct
def dates(raw: pd.Series, today: date) -> Parsed:
    """2017年8月1日, 2017/8/1, 2017.08.01, 2017-08-01 (a time after it is dropped), 20170801 and
    Excel serial days (42948). Impossible days (2017-02-30), dates in the future and before 1990
    are problems; empty stays empty."""
    if pd.api.types.is_datetime64_any_dtype(raw):
        out = pd.to_datetime(raw).dt.normalize().astype("datetime64[ms]")
        return _date_rules(out, raw.isna() & False, today)
    if pd.api.types.is_numeric_dtype(raw):  # a typed file's serial days
        out = (_EXCEL_EPOCH + pd.to_timedelta(raw.astype("float64").round(), unit="D")).astype(
            "datetime64[ms]"
        )
        bad = raw.notna() & ~raw.between(20000, 80000)
        return _date_rules(out.mask(bad), bad, today)
    s = plain(raw)
    if s.isna().all():
        return _date_rules(pd.Series(pd.NaT, index=s.index, dtype="datetime64[ms]"), s.notna(), today)
    parts = s.str.extract(_YMD)
    compact = s.str.extract(_COMPACT)
    for col in ("y", "m", "d"):
        parts[col] = parts[col].fillna(compact[col])
    ymd = parts.astype("float64")
    out = pd.to_datetime(pd.DataFrame({"year": ymd.y, "month": ymd.m, "day": ymd.d}), errors="coerce").astype(
        "datetime64[ms]"
    )
    serial = s.str.fullmatch(_SERIAL).fillna(False) & out.isna()
    if serial.any():
        days = s[serial].astype("float64").round()
        out[serial] = (_EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).to_numpy()
    bad = s.notna() & out.isna()
    return _date_rules(out, bad, today)


def _date_rules(out: pd.Series, bad: pd.Series, today: date) -> Parsed:
    future = out > pd.Timestamp(today)
    early = out < pd.Timestamp(EARLIEST)
    problems = {
        "date.invalid": bad,
        "date.future": future.fillna(False),
        "date.too_early": early.fillna(False),
    }
    return Parsed(out.mask(future | early), problems)


@_by_distinct
def money(raw: pd.Series, unit: float = 1.0) -> Parsed:
    """Yuan from 1,234.5 / 1,234.5元 / 12.5万 / 12.5万元 / 3亿 / ¥1,234 / 1.2 yuan; `unit` is what a
    bare number means (a header that says 万元). Negative amounts and text are problems."""
    if pd.api.types.is_numeric_dtype(raw):
        values = raw.astype("float64") * unit
        return Parsed(values.mask(values < 0), {"number.negative": (values < 0).fillna(False)})
    s = plain(raw)
    m = s.str.lower().str.extract(_MONEY)
    num = pd.to_numeric(m["num"].str.replace(r"[,，]", "", regex=True), errors="coerce")
    units = m["unit"].fillna("").map(lambda u: _UNITS.get(u, _UNITS_EN.get(u, 1.0)))
    scale = units.where(m["unit"].notna(), unit)
    values = (num * scale.astype("float64")).astype("float64")
    negative = m["sign"].notna() & values.notna()
    bad = s.notna() & values.isna()
    return Parsed(values.mask(negative), {"number.invalid": bad, "number.negative": negative})


@_by_distinct
def count(raw: pd.Series) -> Parsed:
    """Whole non-negative counts: 3, 3人, 3.0."""
    if pd.api.types.is_numeric_dtype(raw):
        v = raw.astype("float64")
        frac = v.notna() & (v != v.round())
        neg = (v < 0).fillna(False)
        return Parsed(v.mask(frac | neg).astype("Int64"), {"number.not_whole": frac, "number.negative": neg})
    s = plain(raw)
    m = s.str.extract(_COUNT)
    values = pd.to_numeric(m["num"], errors="coerce")
    negative = s.str.match(r"^[-−]\s*\d").fillna(False) & values.isna()
    frac = s.str.fullmatch(r"\d+\.\d*[1-9]\d*").fillna(False)
    bad = s.notna() & values.isna() & ~negative & ~frac
    return Parsed(
        values.astype("Int64"), {"number.invalid": bad, "number.negative": negative, "number.not_whole": frac}
    )


@_by_distinct
def number(raw: pd.Series) -> Parsed:
    """A plain decimal number (coordinates)."""
    if pd.api.types.is_numeric_dtype(raw):
        return Parsed(raw.astype("float64"))
    s = plain(raw).str.replace("−", "-")
    ok = s.str.fullmatch(_NUMBER).fillna(False)
    values = pd.to_numeric(s.where(ok), errors="coerce").astype("float64")
    return Parsed(values, {"number.invalid": s.notna() & ~ok})


@_by_distinct
def flag(raw: pd.Series) -> Parsed:
    """Yes/no in either language: 是/否, true/false, 1/0."""
    if pd.api.types.is_bool_dtype(raw):
        return Parsed(raw.astype("boolean"))
    s = plain(raw).str.casefold()
    values = pd.Series(pd.NA, index=s.index, dtype="boolean")
    values[s.isin(_TRUE)] = True
    values[s.isin(_FALSE)] = False
    return Parsed(values, {"choice.unknown": s.notna() & values.isna()})


def choice(raw: pd.Series, allowed: tuple[str, ...], synonyms: Mapping[str, str]) -> Parsed:
    """One of `allowed`, written as the code itself or any synonym (服装 -> apparel)."""
    s = plain(raw)
    lookup = {_key(k): v for k, v in synonyms.items()} | {_key(a): a for a in allowed}
    distinct = pd.Series(s.dropna().unique())
    mapped = dict(zip(distinct, distinct.map(lambda v: lookup.get(_key(v)))))
    values = s.map(mapped, na_action="ignore").astype("string")
    return Parsed(values, {"choice.unknown": s.notna() & values.isna()})


def _key(value: str) -> str:
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", str(value)).casefold())


# Cells a spreadsheet would run (=, +, -, @, tab, carriage return) or a page would render (tags).
_FORMULA = r"^[=+\-@\t\r]"
_MARKUP = r"(?i)<\s*/?\s*[a-z!][^>]*>|javascript:|\[[^\]]*\]\([^)]*\)"  # RE2: run by Arrow


def hostile(s: pd.Series) -> dict[str, pd.Series]:
    """Rows whose text would act if pasted elsewhere: kept as text, noted as warnings."""
    if not (pd.api.types.is_string_dtype(s) or pd.api.types.is_object_dtype(s)):
        return {}
    s = s.astype(pd.ArrowDtype(pa.string()))  # Arrow's regular expressions run in C++
    formula = s.str.contains(_FORMULA).fillna(False) & ~s.str.fullmatch(r"[-+]?\d[\d,.]*").fillna(False)
    markup = s.str.contains(_MARKUP).fillna(False)
    formula, markup = formula.astype(bool), markup.astype(bool)
    return {"text.formula": formula, "text.markup": markup}


def as_date(values: pd.Series) -> pd.Series:
    """datetime64 -> date32-ready Python dates (missing stays missing)."""
    return pd.Series(np.where(values.notna(), values.dt.date, None), index=values.index, dtype=object)


# Values in the words bureaus use, for the schema's closed lists (the codes themselves always work).
CHOICES: dict[str, dict[str, str]] = {
    "category": {
        "服装": "apparel",
        "服饰": "apparel",
        "衣服": "apparel",
        "鞋": "footwear",
        "鞋类": "footwear",
        "鞋靴": "footwear",
        "shoes": "footwear",
        "箱包": "bags",
        "包": "bags",
        "皮具": "bags",
        "化妆品": "cosmetics",
        "美妆": "cosmetics",
        "电子产品": "electronics",
        "数码": "electronics",
        "电子": "electronics",
        "汽车配件": "auto_parts",
        "汽配": "auto_parts",
        "auto parts": "auto_parts",
        "食品": "food",
        "药品": "medicine",
        "医药": "medicine",
        "玩具": "toys",
        "珠宝首饰": "jewellery",
        "珠宝": "jewellery",
        "首饰": "jewellery",
        "jewelry": "jewellery",
    },
    "source": {
        "联盟线索": "alliance_clue",
        "平台线索": "alliance_clue",
        "线索": "alliance_clue",
        "alliance clue": "alliance_clue",
        "本地执法": "local_enforcement",
        "自主查办": "local_enforcement",
        "日常执法": "local_enforcement",
        "主动查办": "local_enforcement",
        "local": "local_enforcement",
        "local enforcement": "local_enforcement",
        "举报": "complaint",
        "投诉": "complaint",
        "举报投诉": "complaint",
    },
    "status": {
        "已立案": "case_opened",
        "立案": "case_opened",
        "case opened": "case_opened",
        "opened": "case_opened",
        "侦查中": "under_investigation",
        "调查中": "under_investigation",
        "核查中": "under_investigation",
        "在查": "under_investigation",
        "under investigation": "under_investigation",
        "未立案": "no_case",
        "不立案": "no_case",
        "无案件": "no_case",
        "no case": "no_case",
    },
    "kind": {
        "店铺": "shop",
        "网店": "shop",
        "经营者": "operator",
        "店主": "operator",
        "运营者": "operator",
        "工厂": "factory",
        "生产窝点": "factory",
        "加工厂": "factory",
        "仓库": "warehouse",
        "仓储窝点": "warehouse",
        "经销商": "dealer",
        "批发商": "dealer",
        "代理商": "dealer",
        "物流": "logistics",
        "快递": "logistics",
        "支付账户": "payment_account",
        "收款账户": "payment_account",
        "账户": "payment_account",
        "payment account": "payment_account",
    },
    "relation": {
        "经营": "operates",
        "运营": "operates",
        "供货": "supplies",
        "供应": "supplies",
        "仓储": "stores_for",
        "代储": "stores_for",
        "stores for": "stores_for",
        "发货": "ships_to",
        "运输": "ships_to",
        "ships to": "ships_to",
        "支付": "pays",
        "付款": "pays",
        "共用标识": "shares_identifier",
        "关联标识": "shares_identifier",
        "共享身份": "shares_identifier",
        "shares identifier": "shares_identifier",
    },
    "role": {
        "经营者": "operator",
        "组织者": "operator",
        "生产者": "manufacturer",
        "制假者": "manufacturer",
        "仓管": "warehouse_keeper",
        "仓库管理员": "warehouse_keeper",
        "warehouse keeper": "warehouse_keeper",
        "经销商": "dealer",
        "销售者": "dealer",
        "同伙": "accomplice",
        "帮助者": "accomplice",
        "从犯": "accomplice",
    },
}
