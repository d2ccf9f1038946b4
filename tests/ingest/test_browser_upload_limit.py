"""The uploader on /data states one limit, the import's, in the user's language, and a file over it
is refused with our message in that language (Streamlit's own texts are English and fixed).

The server runs with CLOUDSWORD_IMPORT_MAX_MB=1 so a 2 MB file stands for a 550 or 650 MB one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cloudsword.i18n import t

pytestmark = pytest.mark.browser

LIMIT = "1 MB"


@pytest.fixture(scope="module")
def small_limit_server(browser_helpers) -> Iterator[str]:
    with browser_helpers.serve(env={"CLOUDSWORD_IMPORT_MAX_MB": "1"}) as url:
        yield url


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("upload") / "cases-big.csv"
    row = "case_id,province,opened_on\n" + "C0000001,广东,2017-06-01\n" * 90_000  # about 2.3 MB
    path.write_text(row, encoding="utf-8")
    assert path.stat().st_size > 2 * 2**20
    return path


def _after(locator) -> str:
    """The text a CSS ::after rule shows on the element (its quotes dropped)."""
    return locator.evaluate("e => getComputedStyle(e, '::after').content").strip('"')


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_limit_in_the_users_language(
    lang: str, browser: object, small_limit_server: str, browser_helpers: object, big_file: Path
) -> None:
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(f"{small_limit_server}/data?lang={lang}", wait_until="domcontentloaded")
        browser_helpers.wait_rendered(page)
        box = page.locator(".st-key-data_files")
        line = box.get_by_test_id("stFileUploaderDropzoneInstructions").locator("span")
        assert "1MB per file" in line.inner_text()  # Streamlit's own line: the import's limit...
        assert line.evaluate("e => getComputedStyle(e).fontSize") == "0px"  # ...drawn as ours
        assert _after(line) == t("data.import.limit", lang, mb=LIMIT)
        assert _after(box) in ("none", "")  # no refusal message before a file is refused
        button = box.get_by_test_id("stFileUploaderDropzone").locator("button p")
        assert button.evaluate("e => getComputedStyle(e).fontSize") == "0px"  # Streamlit's "Upload"...
        assert _after(button) == t("data.import.browse", lang)  # ...drawn in the user's language

        box.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(big_file))
        chip = box.get_by_test_id("stFileChip")
        chip.wait_for(timeout=30_000)
        browser_helpers.wait_rendered(page)
        assert chip.get_attribute("aria-invalid") == "true"  # refused in the browser, never sent
        assert _after(box) == t("data.import.refused", lang, mb=LIMIT)
        assert box.evaluate("e => e.getBoundingClientRect().height") > 60  # the message takes room
        assert not page.get_by_test_id("stException").count()
    finally:
        ctx.close()
