"""Time to the first chart, as a user waits for it: a real browser (Debian's Chromium through
Playwright) against a warm server with the demo data.

For each page: navigation -> main chart drawn (its SVG, and the map's canvas) and -> page settled
(scripts/screenshot.py's wait_rendered), opening its address in a browser that has the app's
scripts cached (an in-memory profile, and one kept on disk as an official's browser keeps it),
and moving to it from another page by the navigation (no page load); on the
overview and /map, a control change -> the chart redrawn with the new choice. Beside each, the
server's own time for the runs it made (app.py logs them when CLOUDSWORD_RUN_LOG is set) and what
the websocket carried, so the gap between the script and the screen (transfer, browser rendering,
widgets) is visible. Median and p90 over runs.

    .venv/bin/python bench/bench_browser.py [--runs 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

import _common as c

ROOT = Path(__file__).resolve().parent.parent
TARGET_NAV_S, TARGET_CHANGE_S = 1.5, 0.5
VIEWPORT = {"width": 1440, "height": 900}
FLOOR = ("/", '[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg')
PAGES = {  # page: (path, the main chart: a selector whose appearance means it is drawn)
    "overview": ("/?lang=zh", '[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg'),
    "map": ("/map?lang=zh", '[data-testid="stPlotlyChart"] .js-plotly-plot canvas.maplibregl-canvas'),
    "network": ("/network?lang=zh", '[data-testid="stPlotlyChart"] .js-plotly-plot .scatterlayer .trace'),
    "trends": ("/trends?lang=zh", '[data-testid="stPlotlyChart"] .js-plotly-plot .scatterlayer .point'),
}
# A control change and how to see its effect: click `label` on the page at `path`, then wait until
# the chart the control changes (st.plotly_chart's key: Streamlit marks its container st-key-<key>)
# shows a legend/title text other than before. The overview's metric changes its map, not the
# funnel drawn first.
CHANGES = {
    "map": ("/map?lang=en", "map_chart", "Per 10 million people", "Per 100 bn yuan of GDP"),
    "overview": ("/?lang=en", "map", "Suspects caught", "Seized value"),
}
_CHART_TEXT_JS = """
(key) => { const el = document.querySelector(`.st-key-${key} .js-plotly-plot`);
  return el ? Array.from(el.querySelectorAll('.legendtext, .gtitle, .cbtitle text, .colorbar text'))
      .map(e => e.textContent).join('|') : ''; }
"""


def _shots() -> object:
    spec = importlib.util.spec_from_file_location("shots", ROOT / "scripts" / "screenshot.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class RunLog:
    """The server's run times, read from the file app.py appends to."""

    def __init__(self, path: Path):
        self.path, self.at = path, 0

    def since(self) -> list[float]:
        lines = self.path.read_text(encoding="utf-8").splitlines() if self.path.exists() else []
        new, self.at = lines[self.at :], len(lines)
        return [float(x.split("\t")[1]) / 1000 for x in new]


class Wire:
    """Bytes the websocket carried to the browser since the last call."""

    def __init__(self, page: object):
        self.bytes = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._got))

    def _got(self, payload: object) -> None:
        self.bytes += len(payload) if isinstance(payload, (bytes, str)) else 0

    def since(self) -> int:
        out, self.bytes = self.bytes, 0
        return out


def _drawn(selector: str, path: str) -> str:
    """JS: the main chart of the page at `path` is drawn (not a stale element of the last run)."""
    return (
        f"() => location.pathname.replace(/\\/$/, '').endsWith('{path.split('?')[0].rstrip('/')}') && "
        f"Array.from(document.querySelectorAll('{selector}'))"
        ".some(e => !e.closest('[data-stale=\"true\"]'))"
    )


def opening(ctx: object, url: str, selector: str, shots: object, log: RunLog) -> dict:
    """A new tab on the page's address; the browser already holds the app's scripts."""
    page = ctx.new_page()
    wire = Wire(page)
    log.since()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(selector, state="attached", timeout=60_000)
    chart = page.evaluate("performance.now()") / 1000  # from the navigation's start
    shots.wait_rendered(page, settle=0.5)
    settled = page.evaluate("performance.now()") / 1000 - 0.5
    out = {"chart": chart, "settled": settled, "server": sum(log.since()), "bytes": wire.since()}
    page.close()
    return out


def openings(ctx: object, base: str, runs: int, shots: object, log: RunLog) -> list[tuple[str, list[dict]]]:
    """Each page opened `runs` times in profile `ctx`, after one opening of every page to warm it
    (caches filled, scripts compiled)."""
    for path, selector in PAGES.values():
        opening(ctx, base + path, selector, shots, log)
    return [
        (name, [opening(ctx, base + path, selector, shots, log) for _ in range(runs)])
        for name, (path, selector) in PAGES.items()
    ]


def moving(page: object, name: str, path: str, selector: str, shots: object, log: RunLog) -> dict:
    """From the page shown to `name` by its link in the navigation."""
    wire = Wire(page)
    log.since()
    t0 = time.perf_counter()
    href = "/" if name == "overview" else f"/{name}"
    page.locator(f'[data-testid="stSidebarNav"] a[href$="{href}"]').first.click()
    page.wait_for_function(_drawn(selector, path if name != "overview" else "/"), timeout=60_000)
    chart = time.perf_counter() - t0
    shots.wait_rendered(page, settle=0.5)
    settled = time.perf_counter() - t0 - 0.5
    return {"chart": chart, "settled": settled, "server": sum(log.since()), "bytes": wire.since()}


def change(
    ctx: object, base: str, path: str, key: str, labels: tuple[str, str], shots: object, log: RunLog
) -> list[dict]:
    """A control clicked back and forth on one page of the warm profile `ctx`."""
    page = ctx.new_page()
    wire = Wire(page)
    page.goto(base + path)
    shots.wait_rendered(page)
    out = []
    for label in labels * 3:
        before = page.evaluate(_CHART_TEXT_JS, key)
        log.since(), wire.since()
        t0 = time.perf_counter()
        page.get_by_text(label, exact=True).first.click()
        page.wait_for_function(f"([k, b]) => ({_CHART_TEXT_JS})(k) !== b", arg=[key, before], timeout=60_000)
        chart = time.perf_counter() - t0
        shots.wait_rendered(page, settle=0.5)
        out.append({"chart": chart, "server": sum(log.since()), "bytes": wire.since()})
    page.close()
    return out


def report(what: str, rows: list[dict], key: str, target: float) -> None:
    med, p90 = c.median_p90([r[key] for r in rows])
    srv, _ = c.median_p90([r["server"] for r in rows])
    kb = sorted(r["bytes"] for r in rows)[len(rows) // 2] / 1024
    mark = "ok" if med <= target else f"over the {target:.1f} s target"
    server = c.ms(srv) if any(r["server"] for r in rows) else "-"  # the floor logs no runs
    times = f"median {c.ms(med):>8}  p90 {c.ms(p90):>8}   server {server:>8}"
    print(f"  {what:<34} {times}   ws {kb:7.0f} kB  {mark}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    shots = _shots()
    with tempfile.TemporaryDirectory(prefix="cloudsword-bench-") as tmp:
        log = RunLog(Path(tmp) / "runs.tsv")
        os.environ["CLOUDSWORD_RUN_LOG"] = str(log.path)
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        floor_app = str(Path("bench") / "floor_app.py")
        with shots.serve() as base, shots.serve(script=floor_app) as floor, sync_playwright() as pw:
            browser = shots.launch_chromium(pw)
            print(f"browser: Chromium {browser.version}, {args.runs} runs, viewport 1440x900, warm server")
            ctx = browser.new_context(viewport=VIEWPORT)
            opening(ctx, floor + FLOOR[0], FLOOR[1], shots, log)  # its scripts cached, as for the pages
            rows = [opening(ctx, floor + FLOOR[0], FLOOR[1], shots, log) for _ in range(args.runs)]
            report("floor: a one-chart Streamlit page", rows, "chart", TARGET_NAV_S)
            ctx.close()
            ctx = browser.new_context(viewport=VIEWPORT)  # one profile: its HTTP cache stays warm
            for name, rows in openings(ctx, base, args.runs, shots, log):
                report(f"{name}: open -> main chart", rows, "chart", TARGET_NAV_S)
                report(f"{name}: open -> settled", rows, "settled", TARGET_NAV_S * 2)
            # An official's own browser keeps its profile on disk, with V8's code cache beside the
            # HTTP cache: the same opening there.
            disk = pw.chromium.launch_persistent_context(
                Path(tmp) / "profile", executable_path=shots.CHROMIUM, headless=True,
                args=shots.CHROMIUM_ARGS, viewport=VIEWPORT,
            )  # fmt: skip
            for name, rows in openings(disk, base, args.runs, shots, log):
                report(f"{name}: open, profile on disk", rows, "chart", TARGET_NAV_S)
            disk.close()
            page = ctx.new_page()
            page.goto(base + "/?lang=zh")
            shots.wait_rendered(page)
            moves: dict[str, list[dict]] = {name: [] for name in PAGES}
            for _ in range(args.runs):
                for name, (path, selector) in [*list(PAGES.items())[1:], next(iter(PAGES.items()))]:
                    moves[name].append(moving(page, name, path, selector, shots, log))
            for name, rows in moves.items():
                report(f"{name}: navigate -> main chart", rows, "chart", TARGET_NAV_S)
            page.close()
            for name, (path, key, *labels) in CHANGES.items():
                try:
                    rows = change(ctx, base, path, key, tuple(labels), shots, log)
                except PlaywrightTimeout:  # said, not hidden: the measurement itself needs fixing
                    print(f"  {name}: control change -> chart   NOT MEASURED (no change seen)")
                    continue
                report(f"{name}: control change -> chart", rows, "chart", TARGET_CHANGE_S)
            browser.close()
    print("(the server column is app.py's own time for the runs the action caused; ws is what the")
    print(" websocket carried to the browser; other work may share the machine)")


if __name__ == "__main__":
    sys.exit(main())
