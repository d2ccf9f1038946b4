"""/map as a user's browser sees it: real server, headless Chromium (software WebGL), demo data.

The map renders offline (maplibre canvas, deck.gl canvas, nothing fetched beyond 127.0.0.1),
a click on a province opens its panel, play advances the month, and a permalink restores the view.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from types import ModuleType
from urllib.parse import parse_qs, urlsplit

import pytest

from cloudsword import geo
from cloudsword.i18n import format_month, t

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
MAP = '[data-testid="stPlotlyChart"]:has(.js-plotly-plot) >> nth=0'


def colours(png: bytes, share: float = 0.002) -> int:
    """Colours covering at least `share` of the image: anti-aliasing noise does not count."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        rgb = im.convert("RGB")
        found = rgb.getcolors(maxcolors=rgb.width * rgb.height) or []
        return sum(1 for n, _ in found if n >= share * rgb.width * rgb.height)


class Visit:
    def __init__(self, context: object, url: str, wait_rendered: Callable[[object], None]):
        self.requests: list[str] = []
        self.wait_rendered = wait_rendered
        context.on("request", lambda r: self.requests.append(r.url))
        context.on("websocket", lambda ws: self.requests.append(ws.url))
        self.page = context.new_page()
        self.page.goto(url, wait_until="domcontentloaded")
        wait_rendered(self.page)
        # the map lives in a fragment that may draw after the rest: wait for its canvas too
        self.page.locator(".js-plotly-plot canvas.maplibregl-canvas").first.wait_for(timeout=30_000)
        wait_rendered(self.page)

    def offsite(self) -> list[str]:
        return sorted(
            {
                u
                for u in self.requests
                if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname not in LOCAL_HOSTS
            }
        )

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.page.evaluate("location.href")).query)

    def texts(self, selector: str) -> list[str]:
        found = self.page.locator(selector).evaluate_all("els => els.map(e => e.innerText ?? e.textContent)")
        return [" ".join(s.split()) for s in found]

    def subheaders(self) -> list[str]:
        return self.texts('[data-testid="stMain"] h3')

    def slider_month(self) -> str:
        thumb = self.page.locator('[data-testid="stMain"] [data-testid="stSliderThumbValue"]').first
        return thumb.inner_text().strip()

    def click_province(self, adcode: str) -> None:
        """Click the province's centroid on the first map (projected by its maplibre instance)."""
        self.page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
        self.page.wait_for_timeout(500)
        prov = geo.load_provinces().set_index("adcode")
        lon, lat = float(prov.at[adcode, "lon"]), float(prov.at[adcode, "lat"])
        xy = self.page.evaluate(
            """([lon, lat]) => {
                const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
                const m = gd._fullLayout.map._subplot.map;
                const p = m.project([lon, lat]);
                const r = m.getCanvas().getBoundingClientRect();
                return [r.left + p.x, r.top + p.y];
            }""",
            [lon, lat],
        )
        self.page.mouse.move(xy[0], xy[1])
        self.page.wait_for_timeout(300)
        self.page.mouse.click(xy[0], xy[1])
        self.page.wait_for_timeout(800)
        self.wait_rendered(self.page)


@pytest.fixture
def visit(
    browser_context: object, streamlit_server: str, browser_helpers: ModuleType
) -> Callable[[str], Visit]:
    return lambda path: Visit(browser_context, streamlit_server + path, browser_helpers.wait_rendered)


def assert_healthy(v: Visit) -> None:
    assert v.page.locator('[data-testid="stException"]').count() == 0, v.texts('[data-testid="stException"]')
    assert not v.texts('[data-testid="stAlertContentError"]')
    assert not v.offsite(), "requests left the machine:\n  " + "\n  ".join(v.offsite())


def test_map_renders_offline_with_flows(visit: Callable[[str], Visit]):
    v = visit("/map?lang=en")
    assert_healthy(v)
    assert t("map.title", "en") in v.texts("h2")
    assert v.page.locator('[data-testid="stPlotlyChart"] canvas.maplibregl-canvas').count() >= 3
    legend = " ".join(v.texts('[data-testid="stPlotlyChart"] .legend'))
    assert t("map.legend.member", "en") in legend and t("map.legend.nonmember", "en") in legend
    assert t("map.legend.classes", "en", unit=t("map.unit.count", "en")) in legend
    assert v.page.locator('[data-testid="stDeckGlJsonChart"]').count() == 0, "the flows wait to be opened"
    v.page.get_by_text(t("map.flows.title", "en"), exact=True).click()
    deck = v.page.locator('[data-testid="stDeckGlJsonChart"] canvas')
    deck.first.wait_for(timeout=30_000)
    assert deck.count() >= 1, "deck.gl draws with software WebGL"
    box = deck.first.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 300
    deck.first.scroll_into_view_if_needed()
    v.page.wait_for_timeout(1500)
    assert colours(deck.first.screenshot()) >= 3, "the flow view looks empty (background, provinces, arcs)"
    assert_healthy(v)


def test_click_opens_the_province_panel(visit: Callable[[str], Visit]):
    v = visit("/map?lang=en")
    assert geo.province_name("440000", "en") not in v.subheaders()
    v.click_province("440000")
    assert geo.province_name("440000", "en", short=True) in v.subheaders()
    assert v.query().get("province") == ["440000"]
    assert_healthy(v)


def test_play_advances_the_month(visit: Callable[[str], Visit]):
    v = visit("/map?lang=en&month=2016-01")
    first = v.slider_month()
    assert first == format_month(date(2016, 1, 1), "en")
    v.page.get_by_text(t("map.play", "en")).click()
    v.page.wait_for_timeout(4500)
    later = v.slider_month()
    assert later != first, "the month did not advance while playing"
    assert v.query().get("month", [""])[0] > "2016-01"
    v.page.get_by_text(t("map.play", "en")).click()
    assert_healthy(v)


def test_permalink_restores_the_view(visit: Callable[[str], Visit]):
    link = "/map?lang=zh&metric=suspects&norm=pop&cls=jenks&span=cumul&month=2017-05&province=330000"
    v = visit(link)
    assert_healthy(v)
    q = v.query()
    for key, value in (("metric", "suspects"), ("norm", "pop"), ("cls", "jenks"), ("month", "2017-05")):
        assert q.get(key) == [value], (key, q.get(key))
    assert q.get("province") == ["330000"]
    assert geo.province_name("330000", "zh", short=True) in v.subheaders()
    titles = v.texts('[data-testid="stPlotlyChart"] .gtitle')
    assert any(t("map.norm.pop", "zh") in x and "2017年5月" in x for x in titles), titles
    assert not v.texts('[data-testid="stAlertContentWarning"]')


def test_bad_permalink_opens_the_default_view(visit: Callable[[str], Visit]):
    v = visit("/map?lang=en&norm=bogus&province=999999")
    assert_healthy(v)
    warnings = " ".join(v.texts('[data-testid="stAlertContentWarning"]'))
    assert "bogus" in warnings and "999999" in warnings
    assert "norm" not in v.query() and "province" not in v.query(), "the defaults, which a URL leaves out"
