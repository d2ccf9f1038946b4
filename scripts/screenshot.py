"""Screenshot a dashboard page, and the one implementation of "serve the app, drive Chromium".

    python scripts/screenshot.py docs/overview.png [--lang zh|en] [--path /] [--data DIR]
    python scripts/screenshot.py --all shots/     # every page and every export type, to look at

`--all` renders into one folder: every page in both languages at 1440x900 and 1920x1080 (the
first screen and the whole page), every chart's PNG, SVG and HTML file and its data as CSV and
Excel, and the default deck as PPTX (with its pictures), PDF (with each page drawn as a PNG) and
HTML, in both languages.

The browser tests (tests/conftest.py) import `serve`, `launch_chromium` and `wait_rendered`
from here, so the README picture and the tests exercise the app exactly the same way.
Chromium is Debian's /usr/bin/chromium: Playwright's own browser download is not available.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1600, "height": 1000}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


@contextmanager
def serve(
    data_dir: str | os.PathLike[str] | None = None,
    timeout: float = 60.0,
    port: int | None = None,
    args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    script: str = "app.py",
) -> Iterator[str]:
    """Run `streamlit run app.py` (or another `script`) on a free local port (or `port`); yield its
    base URL; stop it on exit. `args` go to streamlit (e.g. --secrets.files for sign-in), `env`
    over os.environ.

    Output goes to a temporary file rather than a pipe so a chatty server can never block on
    a full pipe; it is quoted in the error if the server dies or never becomes healthy.
    """
    port = port or free_port()
    env = dict(os.environ) | (env or {})
    if data_dir is not None:
        env["CLOUDSWORD_DATA"] = str(Path(data_dir).resolve())
    cmd = [
        _python(), "-m", "streamlit", "run", script,
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        *args,
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile(mode="w+b") as log, tempfile.TemporaryDirectory() as scratch:
        # a screenshot's or a benchmark's visits are nobody's exports: their audit log goes with the
        # server, never into the shipped demo data (the app's default place for it)
        env.setdefault("CLOUDSWORD_AUDIT", str(Path(scratch) / "audit.jsonl"))
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

        def output() -> str:
            log.seek(0)
            return log.read().decode("utf-8", "replace")[-4000:]

        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{output()}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.read().strip() == b"ok":
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit not healthy after {timeout:.0f} s:\n{output()}")
                time.sleep(0.25)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def launch_chromium(pw: Playwright) -> Browser:
    return pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


# True once Streamlit is idle and every chart has drawn: no "Running..." widget, no stale
# (fading) elements from a previous run, each plotly chart has its SVG, each map its canvas.
_RENDERED_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.teststate === 'running') return false;
  if (document.querySelector('[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"],'
      + '[data-testid="stStatusWidget"] button')) return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
  if (!document.querySelector(['stMarkdownContainer', 'stHeading', 'stException', 'stAlert']
      .map(id => `[data-testid="stMain"] [data-testid="${id}"]`).join(', '))) return false;
  for (const el of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    const plot = el.querySelector('.js-plotly-plot');
    if (!plot || !plot.querySelector('.main-svg')) return false;
    if (plot.querySelector('.mapboxgl-map, .maplibregl-map, .map-container')
        && !plot.querySelector('canvas.maplibregl-canvas, canvas.mapboxgl-canvas')) return false;
  }
  return true;
}
"""


_CONTENT_HEIGHT_JS = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const block = document.querySelector('[data-testid="stMainBlockContainer"]');
  const side = document.querySelector('[data-testid="stSidebarContent"]');
  return Math.ceil(Math.max(main ? main.scrollHeight : 0,
                            block ? block.getBoundingClientRect().bottom : 0,
                            side ? side.scrollHeight : 0));
}
"""


def wait_rendered(page: Page, timeout: float = 45.0, settle: float = 1.0) -> None:
    """Wait until the script run has finished and the charts have drawn, stable for `settle` s.

    Streamlit may start a second run (e.g. after writing the URL), so one idle glimpse is not
    enough: the page must stay idle, with the same number of elements, for `settle` seconds.
    """
    deadline = time.monotonic() + timeout
    stable_since, last = None, None
    while time.monotonic() < deadline:
        if page.evaluate(_RENDERED_JS):
            count = page.evaluate(
                "() => document.querySelectorAll('[data-testid=\"stMain\"] [data-testid]').length"
            )
            if count == last and stable_since is not None:
                if time.monotonic() - stable_since >= settle:
                    page.wait_for_timeout(300)  # let maplibre paint its first frame
                    return
            else:
                stable_since, last = time.monotonic(), count
        else:
            stable_since, last = None, None
        page.wait_for_timeout(150)
    raise TimeoutError(f"page {page.url} did not finish rendering within {timeout:.0f} s")


def screenshot(out: Path, lang: str = "zh", path: str = "/", data_dir: str | None = None) -> None:
    from playwright.sync_api import sync_playwright

    sep = "&" if "?" in path else "?"
    with serve(data_dir) as url, sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            page = browser.new_page(viewport=VIEWPORT, locale="zh-CN" if lang == "zh" else "en-GB")
            page.goto(f"{url}{path}{sep}lang={lang}", wait_until="domcontentloaded")
            wait_rendered(page)
            # Streamlit scrolls inside its main block, not the document, so full_page alone
            # would stop at the viewport: grow the viewport to the content, then redraw.
            height = page.evaluate(_CONTENT_HEIGHT_JS)
            if height > VIEWPORT["height"]:
                page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
                wait_rendered(page)
            page.wait_for_timeout(1500)  # maps fetch their boundaries by URL, then paint
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), full_page=True)
        finally:
            browser.close()


SIZES = ({"width": 1440, "height": 900}, {"width": 1920, "height": 1080})
GALLERY_PAGES = {  # name: the view shown (the map with Guangdong's panel open)
    "overview": "/",
    "map": "/map?province=440000",
    "network": "/network",
    "trends": "/trends",
    "present": "/present",
}


def pages(out: Path, data_dir: str | None = None) -> list[Path]:
    """Every page, both languages, both sizes: the first screen and the whole page."""
    from playwright.sync_api import sync_playwright

    written = []
    with serve(data_dir) as url, sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            for size in SIZES:
                for lang in ("zh", "en"):
                    for name, path in GALLERY_PAGES.items():
                        page = browser.new_page(viewport=size, locale="zh-CN" if lang == "zh" else "en-GB")
                        sep = "&" if "?" in path else "?"
                        page.goto(f"{url}{path}{sep}lang={lang}", wait_until="domcontentloaded")
                        wait_rendered(page)
                        page.wait_for_timeout(1500)  # maps fetch their boundaries, then paint
                        stem = out / f"page-{name}-{lang}-{size['width']}x{size['height']}"
                        page.screenshot(path=f"{stem}-first.png")
                        height = page.evaluate(_CONTENT_HEIGHT_JS)
                        if height > size["height"]:
                            page.set_viewport_size({"width": size["width"], "height": height})
                            wait_rendered(page)
                            page.wait_for_timeout(1500)
                        page.screenshot(path=f"{stem}-full.png", full_page=True)
                        written += [Path(f"{stem}-first.png"), Path(f"{stem}-full.png")]
                        page.close()
        finally:
            browser.close()
    return written


def exports(out: Path) -> list[Path]:
    """Every chart type's files (PNG, SVG, HTML; its data as CSV, Excel where it has a table) and
    the default deck (PPTX and its pictures, PDF and its pages as PNG, HTML), both languages, made
    by the builders the app's download menus and deck buttons use."""
    import io
    import zipfile

    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(ROOT))
    from gallery import every_chart

    from cloudsword import export
    from cloudsword.deck import files
    from cloudsword.store import Store
    from cloudsword.story import build_deck, default_story

    store, written = Store(), []
    for lang in ("zh", "en"):
        charts = every_chart(store, lang)
        for fmt in export.IMAGE_FORMATS:
            for (name, _), data in zip(charts.items(), export.images(list(charts.values()), fmt, scale=2)):
                written.append(out / f"export-{name}-{lang}.{fmt}")
                written[-1].write_bytes(data)
        for name, fig in charts.items():
            written.append(out / f"export-{name}-{lang}.html")
            written[-1].write_bytes(export.figure_html(fig, name))
        table = export.readable(store.memberships(), lang)
        for ext, write in (("csv", export.csv_bytes), ("xlsx", export.xlsx_bytes)):
            written.append(out / f"export-overview-members-{lang}.{ext}")
            written[-1].write_bytes(write(table))
        slides = build_deck(store, default_story(store), lang)
        for fmt in ("pptx", "pdf", "html"):
            data = files.deck_bytes(slides, fmt, lang)
            written.append(out / f"deck-{lang}.{fmt}")
            written[-1].write_bytes(data)
            if fmt == "pptx":
                with zipfile.ZipFile(io.BytesIO(data)) as z:
                    for i, media in enumerate(sorted(n for n in z.namelist() if n.startswith("ppt/media/"))):
                        written.append(out / f"deck-{lang}-pptx-picture-{i + 1}{Path(media).suffix}")
                        written[-1].write_bytes(z.read(media))
            if fmt == "pdf":
                import pypdfium2 as pdfium

                pdf = pdfium.PdfDocument(data)
                for i in range(len(pdf)):
                    written.append(out / f"deck-{lang}-pdf-page-{i + 1}.png")
                    pdf[i].render(scale=1.5).to_pil().save(written[-1])
    return written


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--all", type=Path, default=None, help="a folder: every page and export type")
    ap.add_argument("out", type=Path, nargs="?")
    ap.add_argument("--lang", choices=("zh", "en"), default="zh")
    ap.add_argument("--path", default="/", help="page path, e.g. / or /map (query string allowed)")
    ap.add_argument("--data", default=None, help="dataset directory (default: the shipped demo data)")
    args = ap.parse_args(argv)
    if args.all is not None:
        args.all.mkdir(parents=True, exist_ok=True)
        written = exports(args.all) + pages(args.all, args.data)
        print(f"wrote {len(written)} files to {args.all}")
        return
    if args.out is None:
        ap.error("give a file to write, or --all FOLDER")
    screenshot(args.out, args.lang, args.path, args.data)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
