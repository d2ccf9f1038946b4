"""The import against realistic bad files: each gives the right report in both languages, nothing
is written unless the report allows it, hostile cells stay text, limits refuse before reading."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from cloudsword import build, dataset, export
from cloudsword.i18n import t
from cloudsword.ingest import headers, importer, read, report, values
from cloudsword.ingest.read import IngestError, Limits
from cloudsword.schema import DATASET_TABLES
from cloudsword.store import DEFAULT_DATA_DIR, Store

FIX = Path(__file__).resolve().parent / "fixtures"
TODAY = date(2026, 1, 1)


@pytest.fixture(scope="module")
def base():
    return importer.base_of(DEFAULT_DATA_DIR)


@pytest.fixture
def versioned(tmp_path):
    root = tmp_path / "data"
    tables = {n: pq.read_table(DEFAULT_DATA_DIR / f"{n}.parquet") for n in DATASET_TABLES}
    manifest = json.loads((DEFAULT_DATA_DIR / "manifest.json").read_text(encoding="utf-8"))
    build.write_version(root, tables, manifest)
    return root


def _check(name: str, table: str, base, mode: str = "append", mapping=None, sheet=None):
    draft = importer.prepare([(FIX / name, name)], table, sheet)
    cmap = draft.suggestion
    for target, header in (mapping or {}).items():
        cmap = cmap.with_column(target, header)
    return draft, importer.check_draft(draft, cmap, base, mode, TODAY)


def _rules(checked) -> dict[str, object]:
    return {p.rule: p for p in checked.problems}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gbk_csv_with_chinese_headers(base, lang):
    draft, checked = _check("cases_gbk.csv", "cases", base)
    assert draft.sources[0].encoding == "gb18030"
    assert (
        draft.suggestion.columns["opened_on"] == "立案日期" and draft.suggestion.units["seizure_cny"] == 1e4
    )
    counts = checked.counts
    assert checked.rows_read == 10 and sum(counts.values()) == 10
    assert counts == {"imported": 0, "warned": 5, "rejected": 5}
    rules = _rules(checked)
    for rule, line, value in (
        ("place.unknown_province", 9, "火星省"),
        ("date.invalid", 7, "2017年2月30日"),
        ("date.future", 8, "2099-01-01"),
        ("number.negative", 10, "-5"),
        ("number.invalid", 11, "不详"),
        ("key.duplicate", 11, "GD2017-0001"),
    ):
        p = rules[rule]
        assert p.severity == "error" and p.rows == [("cases_gbk.csv", line)] and value in p.examples, rule
    ok = checked.accepted.to_pandas().set_index("case_id")
    assert ok.loc["GD2017-0001", "seizure_cny"] == 125_000  # 12.5 in a 万元 column
    assert ok.loc["GD2017-0002", "seizure_cny"] == 1_200  # a cell's own unit wins
    assert ok.loc["GD2017-0003", "city_adcode"] == "441900"  # Dongguan, by its English name
    assert ok.loc["GD2017-0004", "city_adcode"] == "440600"  # 粤 + an address in Foshan
    assert ok.loc["GD2017-0005", "opened_on"] == date(2017, 8, 4)  # Excel serial 42951
    assert not checked.can_import(False) and checked.can_import(True)
    text = "\n".join(report.lines(checked, lang))
    for rule in rules:
        assert (
            t(f"ingest.rule.{rule}", lang, closest="", table="", columns="", count="", examples="")[:6]
            in text
        )
    frame = report.problems_frame(checked, lang)
    assert len(frame) == len(checked.problems) and frame.iloc[:, 0].iloc[0] == t(
        "ingest.severity.error", lang
    )


def test_utf8_with_bom_english_headers(base):
    draft, checked = _check("cases_bom.csv", "cases", base)
    assert draft.sources[0].encoding == "utf-8-sig" and draft.cells.headers[0] == "Case ID"
    assert checked.counts["rejected"] == 0
    ok = checked.accepted.to_pandas().set_index("case_id")
    assert list(ok.province_adcode) == ["330000"] * 3
    assert list(ok.city_adcode) == ["330100", "330200", "330300"]
    assert list(ok.seizure_cny) == [25_000, 12_000, 15_000]
    assert list(ok.category) == ["footwear", "toys", "apparel"]


def test_excel_two_sheets_and_merged_header(base):
    draft, checked = _check("cases_merged.xlsx", "cases", base)
    assert draft.sources[0].sheets == ["填表说明", "案件"] and draft.sources[0].sheet == "案件"
    assert draft.cells.headers[:3] == ["案件信息 案件编号", "案件信息 立案日期", "地点 省份"]
    assert list(draft.cells.line) == [4, 5, 6]  # title row and a two-row header above
    assert "suspects_caught" not in draft.suggestion.columns
    assert _rules(checked)["column.missing"].blocking and not checked.can_import(True)
    _, fixed = _check("cases_merged.xlsx", "cases", base, mapping={"suspects_caught": "到案（人）"})
    assert fixed.counts == {"imported": 0, "warned": 3, "rejected": 0} and fixed.can_import(False)
    ok = fixed.accepted.to_pandas()
    assert list(ok.opened_on) == [date(2017, 7, 10), date(2017, 7, 11), date(2017, 7, 12)]
    assert list(ok.seizure_cny) == [35000, 8000, 1200.5]
    with pytest.raises(IngestError) as err:
        importer.prepare([(FIX / "cases_merged.xlsx", "x.xlsx")], "cases", sheet="填表说明")
    assert err.value.key == "ingest.error.header_only"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("name", "key"),
    [("empty.csv", "ingest.error.empty"), ("header_only.csv", "ingest.error.header_only")],
)
def test_empty_and_header_only_files(name, key, lang):
    from cloudsword.i18n import error_text

    with pytest.raises(IngestError) as err:
        importer.prepare([(FIX / name, name)], "cases")
    assert err.value.key == key and name in error_text(err.value, lang)


def test_a_file_of_another_table(base):
    _, checked = _check("suspects_as_cases.csv", "cases", base)
    wrong = _rules(checked)["table.wrong"]
    assert wrong.blocking and wrong.params["table"] == "suspects" and not checked.can_import(True)
    assert "suspects" in "\n".join(report.lines(checked, "en"))


def test_hostile_cells_stay_text_and_exports_neutralise(base):
    _, checked = _check("suspects_hostile.csv", "suspects", base)
    rules = _rules(checked)
    assert rules["text.formula"].count == 2 and rules["text.markup"].count == 1
    assert all(p.severity == "warning" for p in rules.values())
    names = list(checked.accepted.to_pandas().name)
    assert names[1] == "<script>alert(1)</script>" and names[0].startswith("=HYPERLINK")
    csv = export.csv_bytes(checked.accepted.to_pandas()).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "'@SUM" in csv
    back = values.text(pd.read_csv(pd.io.common.StringIO(csv), dtype=str).name)
    assert list(back) == names  # our own exports come back as they were


def test_duplicate_ids_against_the_dataset_in_append_mode(base):
    cases = base.tables["cases"].to_pandas().head(3)
    path = FIX.parent / "dup.csv"
    try:
        cases.to_csv(path, index=False)
        _, checked = _check("../dup.csv", "cases", base, mode="append")
        assert _rules(checked)["key.exists"].count == 3
        _, replaced = _check("../dup.csv", "cases", base, mode="replace")
        assert _rules(replaced)["ref.orphaned"].blocking  # suspects would lose their cases
    finally:
        path.unlink(missing_ok=True)


def test_limits_refuse_before_reading_whole(tmp_path):
    big = tmp_path / "big.csv"
    with open(big, "w", encoding="utf-8") as f:
        f.write("case_id,opened_on\n")
        for i in range(600_000):
            f.write(f"C{i},2017-01-01\n")
    with pytest.raises(IngestError) as err:
        read.sniff(big, limits=Limits(max_bytes=1000))
    assert err.value.key == "ingest.error.too_big"
    src = read.sniff(big, limits=Limits(max_rows=1000))
    with pytest.raises(IngestError) as err:
        read.read(src, Limits(max_rows=1000))
    assert err.value.key == "ingest.error.too_many_rows"
    wb = FIX / "cases_merged.xlsx"
    with pytest.raises(IngestError) as err:
        importer.prepare([(wb, wb.name)], "cases", limits=Limits(max_rows=2))
    assert err.value.key == "ingest.error.too_many_rows"


def test_dates_money_and_counts_as_bureaus_write_them():
    d = values.dates(
        pd.Series(["2017年8月1日", "2017/8/1", "2017.08.01", "20170801", "42948", "2017-8-1 9:30"]), TODAY
    )
    assert set(d.values.dt.date) == {date(2017, 8, 1)}
    m = values.money(pd.Series(["1,234.5", "12.5万", "12.5万元", "3亿", "¥1,234", "１２万"]))
    assert list(m.values) == [1234.5, 125_000, 125_000, 3e8, 1234, 120_000]
    assert headers.suggest("cases", ["涉案金额（万元）"]).units == {"seizure_cny": 1e4}


def test_the_cli_imports_and_refuses(tmp_path, versioned, capsys):
    from cloudsword.cli import main

    before = dataset.current_id(versioned)
    rc = main(
        [
            "--lang",
            "en",
            "import",
            str(FIX / "cases_gbk.csv"),
            "--table",
            "cases",
            "--dataset",
            str(versioned),
            "--mode",
            "append",
        ]
    )
    out = capsys.readouterr()
    assert rc == 1 and "date.future" in out.out and "--leave-out-rejected" in out.err
    assert dataset.current_id(versioned) == before
    rc = main(
        [
            "--lang",
            "zh",
            "import",
            str(FIX / "cases_gbk.csv"),
            "--table",
            "cases",
            "--dataset",
            str(versioned),
            "--mode",
            "append",
            "--leave-out-rejected",
        ]
    )
    assert rc == 0 and "已写入版本" in capsys.readouterr().out
    after = dataset.current_id(versioned)
    assert after != before and Store(versioned).manifest.raw["origin"]["files"] == ["cases_gbk.csv"]
    assert main(["versions", "--dataset", str(versioned), "--use", before]) == 0
    assert dataset.current_id(versioned) == before
    assert main(["verify", "--dataset", str(versioned), "--version", after]) == 0
