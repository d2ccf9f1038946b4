"""Sign-in by the bureau's single sign-on proxy, in Chromium: the app believes the user header
($CLOUDSWORD_PROXY_HEADER) only on a connection from a trusted proxy address. Chromium sends the
header on every request, the websocket's included, as a reverse proxy in front of the app would.
The officer it names sees their own role and nothing outside their reach; a request without the
header, with a user the roles file does not name, or from an address that is not the proxy's, is
refused in the user's language and shows no data."""

from __future__ import annotations

import pytest

from cloudsword.access import audit
from cloudsword.i18n import t

pytestmark = pytest.mark.browser
HEADER = "X-Remote-User"
OFFICER = "officer.zj@cloudsword.example"


def _server(tmp_path_factory, browser_helpers, trusted: str):
    work = tmp_path_factory.mktemp("proxy")
    env = {
        "CLOUDSWORD_PROXY_HEADER": HEADER,
        "CLOUDSWORD_TRUSTED_PROXIES": trusted,
        "CLOUDSWORD_AUDIT": str(work / "audit.jsonl"),
        "CLOUDSWORD_ROLES": str((browser_helpers.ROOT / "data" / "roles.toml").resolve()),
    }
    return browser_helpers.serve(env=env), work / "audit.jsonl"


@pytest.fixture(scope="module")
def behind_proxy(tmp_path_factory, browser_helpers):
    """The app as the proxy's backend (the proxy: 127.0.0.1, where Chromium connects from)."""
    server, log = _server(tmp_path_factory, browser_helpers, "127.0.0.1,::1")
    with server as url:
        yield url, log


def _body(browser, url: str, path: str, helpers, user: str | None) -> str:
    ctx = browser.new_context(
        viewport=helpers.VIEWPORT, extra_http_headers={HEADER: user} if user is not None else {}
    )
    try:
        page = ctx.new_page()
        page.goto(f"{url}/{path}", wait_until="domcontentloaded")
        helpers.wait_rendered(page, timeout=90)
        return page.inner_text("body")
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_proxys_user_is_signed_in_with_their_role(behind_proxy, browser, browser_helpers, lang):
    url, log = behind_proxy
    body = _body(browser, url, f"?lang={lang}", browser_helpers, OFFICER)
    assert t("access.role.officer", lang) in body and "浙江省公安厅" in body
    assert t("access.proxy_untrusted", lang) not in body and t("metric.cases", lang) in body
    signs = [e for e in audit.entries(log) if e["action"] == "sign_in" and e["who"] == OFFICER]
    assert signs and signs[-1]["detail"]["method"] == "proxy" and audit.verify(log).ok


@pytest.mark.parametrize("user", [None, "stranger@elsewhere.example"])
def test_no_header_or_a_user_the_roles_file_does_not_name_is_refused(
    behind_proxy, browser, browser_helpers, user
):
    url, _ = behind_proxy
    body = _body(browser, url, "?lang=en", browser_helpers, user)
    said = t("access.proxy_untrusted", "en") if user is None else t("access.unknown_user", "en", user=user)
    assert said.split("{")[0][:40] in body
    assert t("metric.cases", "en") not in body and "E00" not in body  # no figure, no record


def test_a_header_from_an_address_that_is_not_the_proxy_is_not_believed(
    tmp_path_factory, browser, browser_helpers
):
    server, _ = _server(tmp_path_factory, browser_helpers, "10.20.30.40")  # the proxy is elsewhere
    with server as url:
        body = _body(browser, url, "?lang=zh", browser_helpers, OFFICER)
    assert t("access.proxy_untrusted", "zh") in body and t("metric.cases", "zh") not in body
