"""/trends in a real browser (headless Chromium, demo data): the plots draw, nothing is fetched
from beyond 127.0.0.1, no error is shown, in each language."""

from __future__ import annotations

from types import ModuleType
from urllib.parse import urlsplit

import pytest

from cloudsword.i18n import t

pytestmark = pytest.mark.browser
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def _visit(context: object, url: str, helpers: ModuleType) -> tuple[object, list[str]]:
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.on("websocket", lambda ws: requests.append(ws.url))
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    helpers.wait_rendered(page)
    return page, requests


def _offsite(requests: list[str]) -> list[str]:
    return sorted(
        {
            u
            for u in requests
            if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname not in LOCAL_HOSTS
        }
    )


def _texts(page: object, selector: str) -> list[str]:
    found = page.locator(selector).evaluate_all("els => els.map(e => e.innerText ?? e.textContent)")
    return [" ".join(s.split()) for s in found]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_trends_page_draws_offline(browser_context, streamlit_server, browser_helpers, lang):
    page, requests = _visit(browser_context, f"{streamlit_server}/trends?lang={lang}", browser_helpers)
    assert page.locator('[data-testid="stException"]').count() == 0, _texts(
        page, '[data-testid="stException"]'
    )
    assert not _texts(page, '[data-testid="stAlertContentError"]')
    assert not _offsite(requests), "requests left the machine:\n  " + "\n  ".join(_offsite(requests))
    assert t("trends.title", lang) in _texts(page, "h2")

    charts = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot')
    assert charts.count() == 4, "event study, R's group and calendar aggregates, aligned members"
    titles = _texts(page, '[data-testid="stPlotlyChart"] .gtitle')
    metric = t("metric.cases", lang)
    assert t("trends.event", lang, metric=metric) in titles, titles
    assert {t("trends.agg.cohort", lang, metric=metric), t("trends.agg.month", lang, metric=metric)} <= set(
        titles
    )
    for agg in (charts.nth(1), charts.nth(2)):
        assert agg.locator(".scatterlayer .point").count() >= 3, "a point per cohort / month"
    event = charts.nth(0)
    assert event.locator(".scatterlayer .point").count() >= 24, "one marker per month, -12..+12"
    assert event.locator(".barlayer .point").count() >= 24, "joined provinces behind each point"
    assert event.locator(".yerror").count() >= 20, "95% intervals drawn"
    page.get_by_text(t("trends.series.open", lang, n=31)).click()  # the provinces, one click lower
    page.wait_for_timeout(500)
    browser_helpers.wait_rendered(page)
    assert charts.count() == 5
    series = charts.nth(4)
    assert series.locator(".scatterlayer .trace").count() >= 31, "a line per province"


def test_switching_the_comparison_group_redraws(browser_context, streamlit_server, browser_helpers):
    page, requests = _visit(browser_context, f"{streamlit_server}/trends?lang=en", browser_helpers)
    page.get_by_text(t("trends.details", "en")).click()  # the options sit one click lower
    before = _texts(page, '[data-testid="stMetricValue"]')[0]
    page.get_by_text(t("trends.opt.comparison.never", "en"), exact=True).click()
    page.wait_for_timeout(500)
    browser_helpers.wait_rendered(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "compare=never" in page.evaluate("location.href")
    assert _texts(page, '[data-testid="stMetricValue"]')[0] != before
    assert not _offsite(requests)
