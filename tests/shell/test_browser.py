"""The overview as a user's browser sees it: real server, headless Chromium, shipped demo data.

AppTest checks the script; only a browser shows whether the charts draw, whether anything is
fetched from the internet (the dashboard must work offline) and whether the URL round-trips.
Expected figures come from the store and the formatter, never hard-coded, so the tests follow
the data.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qs, urlsplit

import pytest

from cloudsword.filters import METRICS, Filters
from cloudsword.i18n import format_date, format_metric, t
from cloudsword.overview import queries as overview_queries
from cloudsword.store import DEFAULT_DATA_DIR, Store

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
PERMALINK = {"lang": "en", "from": "2016-08-01", "to": "2017-07-31", "metric": "suspects"}


@pytest.fixture(scope="module")
def demo_store(server_data_dir: str | None) -> Store:
    return Store(Path(server_data_dir) if server_data_dir else DEFAULT_DATA_DIR)


class Visit:
    """One page load in a fresh session, with every request the page made along the way."""

    def __init__(self, context: object, url: str, wait_rendered: Callable[[object], None]):
        self.requests: list[str] = []
        context.on("request", lambda r: self.requests.append(r.url))
        context.on("websocket", lambda ws: self.requests.append(ws.url))
        self.page = context.new_page()
        self.page.goto(url, wait_until="domcontentloaded")
        wait_rendered(self.page)

    def offsite(self) -> list[str]:
        return sorted(
            {
                u
                for u in self.requests
                if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname not in LOCAL_HOSTS
            }
        )

    def texts(self, selector: str) -> list[str]:
        """Visible text of each match (textContent for SVG, which has no innerText)."""
        found = self.page.locator(selector).evaluate_all("els => els.map(e => e.innerText ?? e.textContent)")
        return [" ".join(s.split()) for s in found]

    def kpis(self) -> list[tuple[str, str]]:
        cards = self.page.locator('[data-testid="stMetric"]')
        return [
            (
                card.locator('[data-testid="stMetricLabel"]').inner_text().strip(),
                card.locator('[data-testid="stMetricValue"]').inner_text().strip(),
            )
            for card in cards.all()
        ]

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.page.evaluate("location.href")).query)

    def body(self) -> str:
        return " ".join(self.page.locator('[data-testid="stApp"]').inner_text().split())


@pytest.fixture
def visit(
    browser_context: object, streamlit_server: str, browser_helpers: ModuleType
) -> Callable[[str], Visit]:
    return lambda path: Visit(browser_context, streamlit_server + path, browser_helpers.wait_rendered)


def expected_kpis(store: Store, f: Filters, lang: str) -> list[tuple[str, str]]:
    totals = overview_queries.alliance_totals(store, f)
    return [(t(f"metric.{m}", lang), format_metric(m, totals[m], lang)) for m in METRICS]


def assert_healthy(v: Visit) -> None:
    """No traceback, no error box, nothing fetched from beyond this machine."""
    assert v.page.locator('[data-testid="stException"]').count() == 0, v.texts('[data-testid="stException"]')
    errors = v.texts('[data-testid="stAlertContentError"]')
    assert not errors, f"error shown: {errors}"
    assert not v.offsite(), "requests left the machine:\n  " + "\n  ".join(v.offsite())


def major_colours(png: bytes, share: float = 0.002) -> int:
    """Colours covering at least `share` of the image: anti-aliasing noise does not count."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        rgb = im.convert("RGB")
        colours = rgb.getcolors(maxcolors=rgb.width * rgb.height) or []
        return sum(1 for n, _ in colours if n >= share * rgb.width * rgb.height)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_overview_renders_offline_in_each_language(
    visit: Callable[[str], Visit], demo_store: Store, lang: str
):
    v = visit(f"/?lang={lang}")
    assert_healthy(v)

    other = "zh" if lang == "en" else "en"
    assert v.texts("h1")[0] == t("app.title", lang)
    assert t("app.title", other) not in v.body()
    assert t("overview.title", lang) in v.texts("h2")

    notice = t("demo.notice", lang, as_of=format_date(demo_store.manifest.as_of, lang))
    assert demo_store.manifest.synthetic
    assert " ".join(notice.split()) in v.texts(
        '[data-testid="stAlertContentInfo"] [data-testid="stMarkdownContainer"]'
    )

    assert v.kpis() == expected_kpis(demo_store, demo_store.default_filters(), lang)

    charts = v.page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot')
    assert charts.count() == 4, "funnel, timeline, map and monthly chart"
    titles = v.texts('[data-testid="stPlotlyChart"] .gtitle')
    assert t("overview.monthly", lang) in titles, titles
    canvas = v.page.locator('[data-testid="stPlotlyChart"] canvas.maplibregl-canvas')
    assert canvas.count() == 1, "the province map draws with maplibre"
    # background, grey no-data provinces and several shades of the sequential scale
    assert major_colours(canvas.screenshot()) >= 5, "the province map looks empty"


def test_permalink_round_trip(visit: Callable[[str], Visit], demo_store: Store):
    v = visit("/?" + "&".join(f"{k}={x}" for k, x in PERMALINK.items()))
    assert_healthy(v)
    assert {k: x for k, (x, *_) in v.query().items() if k in PERMALINK} == PERMALINK

    f = Filters(date(2016, 8, 1), date(2017, 7, 31), metric="suspects")
    assert demo_store.manifest.start <= f.date_from and f.date_to <= demo_store.manifest.end, (
        "link outside data"
    )
    assert v.kpis() == expected_kpis(demo_store, f, "en")
    assert v.kpis() != expected_kpis(demo_store, demo_store.default_filters(), "en"), "period ignored"
    map_title = t("overview.map", "en", metric=t("metric.suspects", "en"))
    assert map_title in v.texts('[data-testid="stPlotlyChart"] .gtitle')
    assert not v.texts('[data-testid="stAlertContentWarning"] [data-testid="stMarkdownContainer"]')


def test_bad_permalink_warns_and_shows_default_view(visit: Callable[[str], Visit], demo_store: Store):
    v = visit("/?metric=bogus&from=notadate")
    assert_healthy(v)
    warnings = v.texts('[data-testid="stAlertContentWarning"] [data-testid="stMarkdownContainer"]')
    for param, value in (("metric", "bogus"), ("from", "notadate")):
        assert t("filters.url_problem", "zh", param=param, value=value) in warnings, warnings

    default = demo_store.default_filters()
    assert v.kpis() == expected_kpis(demo_store, default, "zh")
    query = v.query()
    assert query.get("metric") == [default.metric] and query.get("from") == [default.date_from.isoformat()]
    assert v.texts("h1")[0] == t("app.title", "zh")


def test_first_visitor_can_change_a_filter(
    browser_context: object, browser_helpers: ModuleType, server_data_dir: str | None, demo_store: Store
):
    """The first click reruns the whole script with every widget's state sent back.

    On a fresh server: Streamlit treats the very first run after start-up differently (with a
    folder named pages/ beside app.py it runs it in legacy mode, which broke this click; hence
    views/), and a shared server has had its first run already.
    """
    with browser_helpers.serve(server_data_dir) as url:
        v = Visit(browser_context, url + "/?lang=en", browser_helpers.wait_rendered)
        v.page.get_by_role("radio", name=t("metric.suspects", "en")).check(force=True)
        v.page.wait_for_timeout(500)
        browser_helpers.wait_rendered(v.page)
        assert_healthy(v)
        assert v.query().get("metric") == ["suspects"]
        assert v.kpis() == expected_kpis(demo_store, demo_store.default_filters(), "en")
        map_title = t("overview.map", "en", metric=t("metric.suspects", "en"))
        assert map_title in v.texts('[data-testid="stPlotlyChart"] .gtitle')
