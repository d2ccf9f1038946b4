"""Downloads in a real browser: the overview map's menu gives a PNG rendered on the server with its
Chinese text, and the data as an Excel file, both named after the view and the day."""

from __future__ import annotations

import io
import re

import pytest

from cloudsword import export
from cloudsword.i18n import t

pytestmark = pytest.mark.browser


def _download(page: object, label: str) -> tuple[str, bytes]:
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=label, exact=True).last.click()
    dl = info.value
    return dl.suggested_filename, open(dl.path(), "rb").read()


def test_overview_map_downloads_png_and_excel(browser_context, streamlit_server, browser_helpers) -> None:
    page = browser_context.new_page()
    page.goto(f"{streamlit_server}/?lang=zh", wait_until="domcontentloaded")
    browser_helpers.wait_rendered(page)
    menus = page.locator('[data-testid="stPopover"] button', has_text=t("export.menu", "zh"))
    assert menus.count() == 4, "funnel, members, map, monthly"
    today = export.today().isoformat()  # the day in China Standard Time, as the app stamps it

    menus.nth(2).click()
    name, raw = _download(page, t("export.xlsx", "zh"))
    assert name == f"cloudsword-overview-map-{today}.xlsx"
    import pandas as pd

    table = pd.read_excel(io.BytesIO(raw))
    assert len(table) >= 31 and table.select_dtypes("number").sum().sum() > 0

    page.keyboard.press("Escape")
    menus.nth(2).click()
    name, raw = _download(page, t("export.png", "zh"))
    assert re.fullmatch(rf"cloudsword-overview-map-{today}\.png", name)
    assert raw.startswith(b"\x89PNG") and len(raw) > 20_000
