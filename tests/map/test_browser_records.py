"""The record-level drill-downs as a user's browser sees them (real server, headless Chromium,
demo data): opening /map's "Cases in Guangdong, Jun 2017" and /'s "20 largest seizures" shows the
table, and its CSV and Excel files hold the rows a pandas computation on the case table finds,
with translated headings; each file taken is in the audit log."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cloudsword.i18n import t
from cloudsword.store import DEFAULT_DATA_DIR

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def cases() -> pd.DataFrame:
    c = pd.read_parquet(DEFAULT_DATA_DIR / "cases.parquet")
    c["opened_on"] = pd.to_datetime(c["opened_on"])
    return c.sort_values(["seizure_cny", "case_id"], ascending=[False, True])


def _open_drill_down(ctx, url: str, label: str, wait_rendered) -> object:
    page = ctx.new_page()
    page.goto(url, wait_until="domcontentloaded")
    wait_rendered(page, timeout=90)
    page.get_by_text(label, exact=True).first.click()
    page.locator('[data-testid="stDownloadButton"]').filter(has_text="CSV").last.wait_for(timeout=60_000)
    wait_rendered(page, timeout=90)
    return page


def _download(page, text: str) -> bytes:
    button = page.locator('[data-testid="stExpanderDetails"] [data-testid="stDownloadButton"]')
    with page.expect_download(timeout=60_000) as got:
        button.filter(has_text=text).first.click()
    return Path(got.value.path()).read_bytes()


def _audited(file_name: str) -> bool:
    log = Path(os.environ["CLOUDSWORD_AUDIT"])
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    return any(json.dumps(e, ensure_ascii=False).find(file_name) >= 0 for e in entries)


def test_the_maps_month_cases_and_their_csv(streamlit_server, browser_context, browser_helpers, cases):
    url = f"{streamlit_server}/map?lang=en&province=440000&month=2017-06"
    page = _open_drill_down(
        browser_context, url, "Cases in Guangdong, Jun 2017", browser_helpers.wait_rendered
    )
    assert page.get_by_text("Showing 500 of").count() == 1
    june = cases[(cases.province_adcode == "440000") & (cases.opened_on.dt.strftime("%Y-%m") == "2017-06")]
    rows = list(csv.reader(io.StringIO(_download(page, "CSV").decode("utf-8-sig"))))
    assert rows[0] == ["Case", "Clue", "Opened on", "Category", "Suspects caught", "Seized value (yuan)"]
    assert [r[0] for r in rows[1:]] == list(june.case_id.head(500))
    assert [float(r[5]) for r in rows[1:4]] == list(june.seizure_cny.head(3))
    assert _audited("cloudsword-map-440000-2017-06-cases-")


def test_the_overviews_largest_seizures_and_their_excel(
    streamlit_server, browser_context, browser_helpers, cases
):
    page = _open_drill_down(
        browser_context, f"{streamlit_server}/?lang=zh", t("overview.seizures", "zh", k=20),
        browser_helpers.wait_rendered,
    )  # fmt: skip
    sheet = openpyxl.load_workbook(io.BytesIO(_download(page, "Excel"))).active
    values = list(sheet.values)
    assert values[0][:3] == ("案件编号", "线索编号", "省份") and values[0][-1] == "涉案金额（元）"
    view = cases[cases.opened_on.between("2014-01-01", "2017-07-31")].dropna(subset=["seizure_cny"])
    assert [r[0] for r in values[1:]] == list(view.case_id.head(20))
    assert _audited("cloudsword-overview-largest-seizures-")
