"""Case records as people read them: the record-level drill-downs of /map (one province's cases in
one month) and / (the view's largest seizures) show the same columns the same way, so the table
and its file are built here, once, for both pages.

The page's table has its values written in the page's language (dates, categories, yuan); the
file keeps numbers as numbers and dates as dates, with translated headings, and goes through
`cloudsword.export` (CSV/Excel writers that neutralise formula-like text)."""

from __future__ import annotations

import pandas as pd

from cloudsword import geo
from cloudsword.i18n import format_date, format_number, t

COLUMNS = ("case_id", "clue_id", "opened_on", "category", "suspects_caught", "seizure_cny")


def yuan(value: float, lang: str) -> str:
    """A case's seized value to the yuan (a record, not a total: 4,298,500元 / ¥4,298,500)."""
    if pd.isna(value):
        return "—"
    return f"{value:,.0f}元" if lang == "zh" else f"¥{value:,.0f}"


def _clues(rows: pd.DataFrame, lang: str) -> list[str]:
    """A case opened without a clue says so, instead of an empty cell."""
    return [str(c) if pd.notna(c) else t("records.no_clue", lang) for c in rows.clue_id]


def _provinces(rows: pd.DataFrame, lang: str) -> list[str]:
    return [geo.province_name(a, lang, short=True) for a in rows.province_adcode]


def _columns(with_province: bool) -> list[str]:
    cols = list(COLUMNS)
    return cols[:2] + ["province"] + cols[2:] if with_province else cols


def case_table(rows: pd.DataFrame, lang: str, with_province: bool = False) -> pd.DataFrame:
    """The cases for the page: every cell text in `lang` (no NaN, None or True/False shown)."""
    values = {
        "case_id": rows.case_id.astype(str).tolist(),
        "clue_id": _clues(rows, lang),
        "province": _provinces(rows, lang) if with_province else None,
        "opened_on": [format_date(pd.Timestamp(d).date(), lang) for d in rows.opened_on],
        "category": [t(f"category.{c}", lang) for c in rows.category],
        "suspects_caught": [format_number(n, lang) if pd.notna(n) else "—" for n in rows.suspects_caught],
        "seizure_cny": [yuan(x, lang) for x in rows.seizure_cny],
    }
    cols = _columns(with_province)
    return pd.DataFrame({t(f"records.col.{c}", lang): values[c] for c in cols})


def case_file(rows: pd.DataFrame, lang: str, with_province: bool = False) -> pd.DataFrame:
    """The same cases for a CSV or Excel file: headings in `lang`, category and province by name,
    counts and yuan as numbers, days as dates (missing values as the language's "no data")."""
    values = {
        "case_id": rows.case_id.astype(str).tolist(),
        "clue_id": _clues(rows, lang),
        "province": _provinces(rows, lang) if with_province else None,
        "opened_on": [pd.Timestamp(d).date() for d in rows.opened_on],
        "category": [t(f"category.{c}", lang) for c in rows.category],
        "suspects_caught": rows.suspects_caught.tolist(),
        "seizure_cny": rows.seizure_cny.tolist(),
    }
    heads = {c: t(f"records.col.{c}", lang) for c in _columns(with_province)}
    heads["seizure_cny"] = t("col.seizure", lang)  # the unit, for bare numbers
    out = pd.DataFrame({head: values[c] for c, head in heads.items()})
    return out.astype(object).where(out.notna(), t("value.no_data", lang))


def shown_of(shown: int, total: int, lang: str) -> str:
    """The count line: "Showing 500 of 1,234 cases" when the table is cut, else "1,234 cases"."""
    if total > shown:
        return t("records.showing", lang, n=format_number(shown, lang), total=format_number(total, lang))
    return t("records.count", lang, total=format_number(total, lang))
