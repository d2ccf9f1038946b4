"""The /network page in a real browser: graph and map draw, clicking a node expands it, and
nothing is fetched from beyond 127.0.0.1."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
KIND_TRACES = ".scatterlayer .trace:has(.point):not(:has(.textpoint))"  # entities, not their names


def _offsite(urls: list[str]) -> list[str]:
    return sorted(
        {
            u
            for u in urls
            if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname not in LOCAL_HOSTS
        }
    )


def test_graph_and_map_render_offline(browser_context, streamlit_server, browser_helpers) -> None:
    requests: list[str] = []
    browser_context.on("request", lambda r: requests.append(r.url))
    browser_context.on("websocket", lambda ws: requests.append(ws.url))
    page = browser_context.new_page()
    page.goto(streamlit_server + "/network?entity=E0000000&lang=en", wait_until="domcontentloaded")
    browser_helpers.wait_rendered(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    graph = page.locator('[data-testid="stPlotlyChart"]').first
    points = graph.locator(KIND_TRACES).last.locator(".point")  # the last kind drawn
    assert points.count() > 0, "the graph drew no entities"
    where = page.locator('[data-testid="stPlotlyChart"]').nth(1)
    assert where.locator("canvas.maplibregl-canvas").count() == 1, "the map did not draw"
    legend = " ".join(graph.locator(".legendtext").evaluate_all("els => els.map(e => e.textContent)"))
    assert "Shop" in legend and "supplies" in legend
    assert not _offsite(requests), "requests left the machine:\n  " + "\n  ".join(_offsite(requests))


def test_clicking_a_node_expands_it(browser_context, streamlit_server, browser_helpers) -> None:
    requests: list[str] = []
    browser_context.on("request", lambda r: requests.append(r.url))
    page = browser_context.new_page()
    page.goto(streamlit_server + "/network?entity=E0000000&lang=en", wait_until="domcontentloaded")
    browser_helpers.wait_rendered(page)
    graph = page.locator('[data-testid="stPlotlyChart"]').first
    points = graph.locator(KIND_TRACES).last.locator(".point")  # the last kind drawn
    n_before = int(page.locator('[data-testid="stMetricValue"]').first.inner_text().replace(",", ""))

    points.first.scroll_into_view_if_needed()
    box = points.first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)  # hover first, as a user does: plotly picks the point under the pointer
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_function("() => location.search.includes('expand=')", timeout=30_000)
    browser_helpers.wait_rendered(page)
    query = parse_qs(urlsplit(page.evaluate("location.href")).query)
    assert query["entity"] == ["E0000000"] and query["expand"]
    n_after = int(page.locator('[data-testid="stMetricValue"]').first.inner_text().replace(",", ""))
    assert n_after >= n_before
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "Expanded" in main and "Selected:" in main  # the clicked entity is highlighted (graph and map)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not _offsite(requests), "requests left the machine:\n  " + "\n  ".join(_offsite(requests))


def test_a_tab_is_built_when_opened(browser_context, streamlit_server, browser_helpers) -> None:
    """The analysis tabs are lazy: a click on one runs and draws it, and the URL remembers it."""
    page = browser_context.new_page()
    page.goto(streamlit_server + "/network?entity=E0000000&lang=en", wait_until="domcontentloaded")
    browser_helpers.wait_rendered(page)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    assert charts.count() == 2, "only the graph and the map are drawn before a tab asks for more"
    page.get_by_role("tab", name="Timeline").click()
    page.wait_for_function("() => location.search.includes('tab=timeline')", timeout=30_000)
    browser_helpers.wait_rendered(page)
    assert charts.count() == 3 and charts.nth(2).locator(".main-svg").count() > 0
    page.get_by_role("tab", name="Export").click()
    page.wait_for_function("() => location.search.includes('tab=export')", timeout=30_000)
    browser_helpers.wait_rendered(page)
    assert charts.count() == 2
    assert page.locator('[data-testid="stException"]').count() == 0


_NAME_BOXES = """() => Array.from(document.querySelectorAll(
    '[data-testid="stPlotlyChart"] .js-plotly-plot .textpoint text')).map(e => {
      const r = e.getBoundingClientRect(); return [e.textContent, r.left, r.top, r.right, r.bottom]; })"""


@pytest.mark.parametrize("viewport", [(1440, 900), (1920, 1080)])
def test_the_graphs_names_never_overlap(browser, streamlit_server, browser_helpers, viewport) -> None:
    """Names of key entities, as Chromium draws them, at the sizes officials and projectors use."""
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = ctx.new_page()
    for seller in ("", "&entity=E0000000", "&entity=E0000005", "&entity=E0004391"):
        page.goto(streamlit_server + "/network?lang=zh" + seller, wait_until="domcontentloaded")
        names = '[data-testid="stPlotlyChart"] .textpoint text'
        page.wait_for_selector(names, state="attached", timeout=60_000)
        browser_helpers.wait_rendered(page)
        boxes = page.evaluate(_NAME_BOXES)
        assert len(boxes) >= 3, seller
        clash = [
            (a[0], b[0])
            for i, a in enumerate(boxes)
            for b in boxes[i + 1 :]
            if min(a[3], b[3]) - max(a[1], b[1]) > 1 and min(a[4], b[4]) - max(a[2], b[2]) > 1
        ]
        assert not clash, f"{seller or 'the example'}: names over each other {clash}"
    ctx.close()


# Where an entity of the map's last kind trace sits on the screen: plotly's own maplibre projection.
_ENTITY_ON_MAP_JS = """
() => { const gd = document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')[1];
  const k = gd._fullData.map((d, i) => (d.customdata && d.customdata.length ? i : -1))
    .filter(i => i >= 0).pop();
  const map = gd._fullLayout.map._subplot.map, box = map.getContainer().getBoundingClientRect();
  const at = map.project(gd.calcdata[k][0].lonlat);
  return {id: String(gd._fullData[k].customdata[0]), x: box.left + at.x, y: box.top + at.y}; }
"""


def test_clicking_an_entity_on_the_map_selects_it(browser_context, streamlit_server, browser_helpers) -> None:
    page = browser_context.new_page()
    page.goto(streamlit_server + "/network?entity=E0000000&lang=en", wait_until="domcontentloaded")
    browser_helpers.wait_rendered(page)
    spot = page.evaluate(_ENTITY_ON_MAP_JS)
    page.mouse.move(spot["x"], spot["y"])  # hover first, as a user does
    page.wait_for_timeout(300)
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_timeout(500)
    browser_helpers.wait_rendered(page)
    notes = page.locator('[data-testid="stAlertContentInfo"]').all_inner_texts()
    assert any(spot["id"] in n for n in notes), f"{spot['id']} not selected: {notes}"
    assert page.locator('[data-testid="stException"]').count() == 0
