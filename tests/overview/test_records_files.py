"""The drill-downs' case files (cloudsword.records.case_file through cloudsword.export): headings
in the page's language, numbers as numbers, a case without a clue saying so, formula-like text
neutralised in CSV and stored as text in Excel."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from cloudsword import export, records
from cloudsword.i18n import t


def _rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case_id": ["CA1", '=HYPERLINK("x")'],
            "clue_id": ["CL9", None],
            "opened_on": pd.to_datetime(["2017-06-03", "2017-06-30"]),
            "province_adcode": ["440000", "330000"],
            "category": ["toys", "medicine"],
            "suspects_caught": [2, 0],
            "seizure_cny": [1_250_000.0, float("nan")],
        }
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_file_has_translated_heads_and_plain_values(lang):
    out = records.case_file(_rows(), lang, with_province=True)
    heads = [
        t(f"records.col.{c}", lang)
        for c in ("case_id", "clue_id", "province", "opened_on", "category", "suspects_caught", "seizure_cny")
    ]
    assert list(out.columns) == [*heads[:-1], t("col.seizure", lang)]  # a bare number's unit
    first = out.iloc[0].tolist()
    assert first[0] == "CA1" and first[3] == date(2017, 6, 3) and first[5] == 2 and first[6] == 1_250_000.0
    assert first[2] == ("广东" if lang == "zh" else "Guangdong")
    assert first[4] == t("category.toys", lang)
    second = out.iloc[1].tolist()
    assert second[1] == t("records.no_clue", lang) and second[6] == t("value.no_data", lang)


def test_the_files_neutralise_formula_like_text():
    out = records.case_file(_rows(), "en")
    text = export.csv_bytes(out).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text
    sheet = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(out))).active
    cell = sheet.cell(row=3, column=1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK") and cell.quotePrefix
    assert (
        sheet.cell(row=1, column=6).value == "Seized value (yuan)"
        and sheet.cell(row=2, column=6).value == 1_250_000
    )


def test_the_count_line_says_when_the_table_is_cut():
    assert records.shown_of(500, 777, "en") == "Showing 500 of 777 cases, largest seizure first."
    assert records.shown_of(12, 12, "zh") == "共 12 件，按涉案金额从大到小排列。"
