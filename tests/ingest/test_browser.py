"""The upload flow in a real browser: a GBK CSV and an .xlsx uploaded on /data, one column mapping
corrected by hand, the report read, the import committed; the new version is what the pages show."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cloudsword import build, dataset
from cloudsword.schema import DATASET_TABLES
from cloudsword.store import DEFAULT_DATA_DIR, Store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHOTS = os.environ.get("CLOUDSWORD_SHOTS")  # a folder to keep screenshots in, when set


@pytest.fixture(scope="module")
def import_data_dir(tmp_path_factory) -> str:
    """A versioned copy of the demo data, so the test's imports never touch the shipped files."""
    root = tmp_path_factory.mktemp("browser-data") / "data"
    tables = {n: pq.read_table(DEFAULT_DATA_DIR / f"{n}.parquet") for n in DATASET_TABLES}
    manifest = json.loads((DEFAULT_DATA_DIR / "manifest.json").read_text(encoding="utf-8"))
    build.write_version(root, tables, manifest)
    return str(root)


@pytest.fixture(scope="module")
def import_server(import_data_dir: str, browser_helpers) -> Iterator[str]:
    """A server of its own on that copy: the session's shared server shows the shipped demo data,
    and an import through it would write beside the shipped files."""
    with browser_helpers.serve(import_data_dir) as url:
        yield url


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _select(page, label: str, option: str) -> None:
    """Choose `option` in the Streamlit select box labelled `label`."""
    box = page.get_by_test_id("stSelectbox").filter(has_text=label).first
    box.click()
    page.get_by_role("option", name=option, exact=True).click()


def _upload(page, helpers, name: str) -> None:
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(FIXTURES / name))
    helpers.wait_rendered(page, timeout=90)


def _commit(page, helpers) -> None:
    button = page.get_by_test_id("stButton").filter(has_text="导入为新版本").locator("button")
    button.click()
    helpers.wait_rendered(page, timeout=120)


def test_upload_correct_a_mapping_read_the_report_and_commit(
    import_server, browser_context, browser_helpers, import_data_dir
):
    first = dataset.current_id(import_data_dir)
    page = browser_context.new_page()
    page.goto(f"{import_server}/data?lang=zh", wait_until="domcontentloaded")
    browser_helpers.wait_rendered(page)
    main = page.get_by_test_id("stMain")

    # 1. a provincial bureau's GBK CSV with Chinese headers: detected, mapped, five rows rejected
    _upload(page, browser_helpers, "cases_gbk.csv")
    text = main.inner_text()
    assert "编码 gb18030" in text and "读取行数" in text
    page.get_by_role("radiogroup", name="方式").get_by_text("追加到现有行").click()  # not the history's mode
    browser_helpers.wait_rendered(page)
    text = main.inner_text()
    for seen in ("火星省", "2017年2月30日", "2099-01-01", "不详", "GD2017-0001", "cases_gbk.csv:9"):
        assert seen in text, seen
    _shot(page, "data-1-gbk-report")
    button = page.get_by_test_id("stButton").filter(has_text="导入为新版本").locator("button")
    assert button.is_disabled()  # rows with errors: nothing goes in until the user says so
    page.get_by_text("不导入被拒绝的行").click()
    browser_helpers.wait_rendered(page)
    _commit(page, browser_helpers)
    second = dataset.current_id(import_data_dir)
    assert second != first and f"已写入新版本 {second}" in main.inner_text()

    # 2. an Excel workbook: notes sheet first, a merged two-row header, one column not recognised
    page.get_by_label("Remove cases_gbk.csv").click()  # done with the CSV
    browser_helpers.wait_rendered(page)
    browser_helpers.wait_rendered(page)
    _upload(page, browser_helpers, "cases_merged.xlsx")
    text = main.inner_text()
    assert "必填列没有对应的文件列" in text and "suspects_caught" in text
    _shot(page, "data-2-xlsx-unmapped")
    _select(page, "suspects_caught", "到案（人）")  # the correction
    browser_helpers.wait_rendered(page)
    page.get_by_role("radiogroup", name="方式").get_by_text("追加到现有行").click()  # not the history's mode
    browser_helpers.wait_rendered(page)
    text = main.inner_text()
    assert "必填列没有对应的文件列" not in text and "拒绝\n\n0" in text and "source.inferred" in text
    _shot(page, "data-3-xlsx-mapped")
    _commit(page, browser_helpers)
    third = dataset.current_id(import_data_dir)
    assert third not in (first, second) and f"已写入新版本 {third}" in main.inner_text()
    _shot(page, "data-4-committed")

    store = Store(import_data_dir)
    cases = store.table("cases")
    got = store.run(cases.filter(cases.case_id.re_search("^(GD|JS)")).select("case_id", "suspects_caught"))
    assert set(got.case_id) == {f"GD2017-000{i}" for i in range(1, 6)} | {"JS-0001", "JS-0002", "JS-0003"}
    assert got.set_index("case_id").suspects_caught["JS-0001"] == 2
    v = dataset.open_version(import_data_dir)
    assert "source/cases_merged.xlsx" in v.manifest["attachments"] and v.manifest["parent"] == second
