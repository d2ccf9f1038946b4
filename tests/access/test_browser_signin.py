"""Sign-in through a real OpenID Connect provider, in Chromium, the whole way: the app's sign-in
screen, Streamlit's `st.login` redirect, the provider's login form (oidc-provider-mock: a
maintained test provider on Authlib, started here on a free port), the callback, and the app as
the roles file's Zhejiang provincial officer. Signed in, the officer tries to reach other
provinces' records by editing the URL and takes every file the network page offers: no file and
no page holds an entity outside their reach. The sign-in and the downloads are in the audit log,
whose chain verifies."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from cloudsword.access import audit
from cloudsword.access.scope import visible_entities
from cloudsword.i18n import t
from cloudsword.store import DEFAULT_DATA_DIR, Store

pytestmark = pytest.mark.browser
OFFICER = "officer.zj@cloudsword.example"
ZJ = "330000"
ENTITY_ID = re.compile(rb"E\d{7}")


@pytest.fixture(scope="module")
def reach() -> dict[str, object]:
    """What the officer may see, and an entity, a clue and a seller name outside it."""
    store = Store(DEFAULT_DATA_DIR)
    seen = set(visible_entities(store, frozenset({ZJ})))
    ents = store.run(store.table("entities"))
    clues = store.run(store.table("clues"))
    outside = ents[~ents.entity_id.isin(seen) & (ents.kind == "shop")].iloc[0]
    clue = clues[~clues.entity_id.isin(seen)].iloc[0]
    return {"seen": seen, "entity": outside.entity_id, "name": outside["name"], "clue": clue.clue_id}


@pytest.fixture(scope="module")
def signed_in_server(tmp_path_factory, browser_helpers):
    """The provider and the app with sign-in on: (app URL, audit log path)."""
    from oidc_provider_mock import run_server_in_thread

    work = tmp_path_factory.mktemp("signin")
    port = browser_helpers.free_port()
    with run_server_in_thread() as idp:
        secrets = work / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "a-test-cookie-secret-of-some-length"\n'
            'client_id = "cloudsword"\n'
            'client_secret = "cloudsword-test-secret"\n'
            f'server_metadata_url = "http://127.0.0.1:{idp.server_port}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        log = work / "audit.jsonl"
        env = {"CLOUDSWORD_AUDIT": str(log), "CLOUDSWORD_ROLES": str(Path("data/roles.toml").resolve())}
        with browser_helpers.serve(port=port, args=("--secrets.files", str(secrets)), env=env) as url:
            yield url, log


def _sign_in(page, url: str, helpers) -> None:
    page.goto(f"{url}/?lang=en", wait_until="domcontentloaded")
    page.get_by_role("button", name=t("access.sign_in.button", "en")).click()
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"), timeout=30_000)  # the provider's own page
    page.fill("input[name=sub]", OFFICER)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**", timeout=30_000)
    helpers.wait_rendered(page)


def _open(page, url: str, path: str, helpers, until: str = "") -> str:
    """The page's text once it has drawn (and shows `until`)."""
    page.goto(f"{url}/{path}", wait_until="domcontentloaded")
    if until:
        page.get_by_text(until).first.wait_for(timeout=90_000)
    helpers.wait_rendered(page)
    return page.inner_text("body")


def _download(page, button, tries: int = 3) -> tuple[str, bytes]:
    """Click until the file comes: a click that lands while a rerun redraws the button (a loaded
    machine: the expander's or the menu's rerun) is lost, as a user would find, and clicks again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(tries):
        try:
            with page.expect_download(timeout=40_000) as info:
                button.click()
            dl = info.value
            return dl.suggested_filename, Path(dl.path()).read_bytes()
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
            page.wait_for_timeout(1_000)
    raise AssertionError("unreachable")


def _ids(name: str, raw: bytes) -> set[str]:
    """Entity ids in a file (a ZIP's members and an Excel sheet read out)."""
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            return set().union(*(_ids(n, z.read(n)) for n in z.namelist()))
    if name.endswith(".xlsx"):
        raw = pd.read_excel(io.BytesIO(raw)).to_csv().encode()
    return {m.decode() for m in ENTITY_ID.findall(raw)}


def test_a_provincial_officer_signs_in_and_reaches_no_other_provinces_records(
    signed_in_server, browser_context, browser_helpers, reach
) -> None:
    url, log = signed_in_server
    page = browser_context.new_page()
    page.set_default_timeout(60_000)
    _sign_in(page, url, browser_helpers)
    body = _open(page, url, "?lang=en", browser_helpers, until="浙江省公安厅")
    assert "浙江省公安厅" in body and t("access.role.officer", "en") in body

    # by URL: another province's seller, a clue handed elsewhere, an expansion into it
    said = {
        f"network?lang=en&entity={reach['entity']}": t("network.search.unknown", "en", query=reach["entity"]),
        f"network?lang=en&clue={reach['clue']}": t("network.clue.unknown", "en", clue=reach["clue"]),
        f"network?lang=en&expand={reach['entity']}": t(
            "filters.url_problem", "en", param="expand", value=reach["entity"]
        ),
    }
    for path, message in said.items():
        shown = message.split(" The closest")[0]
        body = _open(page, url, path, browser_helpers, until=t("network.kpi.entities", "en"))
        assert shown in body, path  # as for an id that does not exist
        assert reach["name"] not in body, path
        assert not _ids("page", body.encode()) - reach["seen"] - {reach["entity"]}, path  # the one typed

    # every file the network page offers, for the officer's own network
    _open(page, url, "network?lang=en", browser_helpers, until=t("network.kpi.entities", "en"))
    taken: dict[str, set[str]] = {}
    menu = '[data-testid="stPopover"] button'

    def take_menu(button) -> None:  # a chart's menu: its data as CSV and Excel, the chart as HTML
        for fmt in ("csv", "xlsx", "html"):
            button.click()
            item = page.get_by_role("button", name=t(f"export.{fmt}", "en"), exact=True).last
            name, raw = _download(page, item)
            taken[name] = _ids(name, raw)
            page.keyboard.press("Escape")

    menus = page.locator(menu, has_text=t("export.menu", "en"))
    take_menu(menus.first)  # the graph
    take_menu(menus.nth(1))  # the map beside it
    until = t("network.kpi.entities", "en")
    # only the open tab is built: each by its address
    _open(page, url, "network?lang=en&tab=timeline", browser_helpers, until=until)
    take_menu(menus.last)
    _open(page, url, "network?lang=en&tab=export", browser_helpers, until=until)
    browser_helpers.wait_rendered(page)
    for what in ("nodes", "links", "graphml"):
        name, raw = _download(page, page.get_by_role("button", name=t(f"network.export.{what}", "en")))
        taken[name] = _ids(name, raw)
    _open(page, url, "network?lang=en&tab=package", browser_helpers, until=until)
    name, raw = _download(page, page.get_by_role("button", name=t("network.package.download", "en")))
    taken[name] = _ids(name, raw)
    assert len(taken) == 13 and any(taken.values())
    for name, ids in taken.items():
        assert not ids - reach["seen"], name

    # who signed in, from where, and what they took: in the audit log, its chain intact
    entries = audit.entries(log)
    signs = [e for e in entries if e["action"] == "sign_in"]
    assert signs and signs[0]["who"] == OFFICER and signs[0]["role"] == "officer"
    assert signs[0]["detail"]["method"] == "oidc" and signs[0]["origin"] in ("127.0.0.1", "::1")
    exported = {e["detail"]["file"] for e in entries if e["action"] == "export"}
    assert set(taken) <= exported
    assert audit.verify(log).ok
