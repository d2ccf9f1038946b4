"""The multi-process way to run (scripts/serve.py, `make serve`): two Streamlit workers behind
HAProxy, sticky by cookie, exercised through the proxy as visitors use it.

Two browsers open the dashboard, the second once the first's session is open (the proxy sends a
new visitor to the worker with the fewest connections, so it must choose the other): each must be
served, every request of its own, by one worker (the X-Cloudsword-Worker header of every answer),
the two by different workers, and each worker must hold a session's websocket. A third visitor,
driven over the websocket by the benchmark's client, builds a download in its worker and fetches
it by URL: a file that lives in one process's memory, found only if the proxy sends the fetch to
the same process.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
HEADER = "x-cloudsword-worker"


def _load(name: str, path: Path) -> ModuleType:
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


serve = _load("cloudsword_scripts_serve", ROOT / "scripts" / "serve.py")
session = _load("_session", ROOT / "bench" / "_session.py")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    if not Path("/usr/sbin/haproxy").exists() and not serve.shutil.which("haproxy"):
        pytest.skip("haproxy not installed (Debian package 'haproxy'; see make system-deps)")
    audit = str(tmp_path_factory.mktemp("serve") / "audit.jsonl")  # not into the demo data
    with serve.cluster(workers=2, timeout=60, env={"CLOUDSWORD_AUDIT": audit}) as c:
        yield c


def _websockets(pid: int, port: int) -> int:
    """Established connections to a worker's own port: the proxy's tunnels of open sessions."""
    conns = psutil.Process(pid).net_connections(kind="tcp")
    return sum(1 for c in conns if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == port)


def test_two_visitors_each_stay_on_their_own_worker(
    cluster: object, browser: object, browser_helpers: ModuleType
) -> None:
    visits = []  # (path, context, page, the worker named by each answer)
    try:
        for path in ("/?lang=en", "/trends?lang=zh"):  # both run at once: one cold worker each
            ctx = browser.new_context(viewport=browser_helpers.VIEWPORT)
            workers: list[str] = []
            ctx.on(
                "response",
                lambda r, w=workers: (
                    w.append(r.headers.get(HEADER, r.url)) if r.url.startswith(cluster.url) else None
                ),
            )
            page = ctx.new_page()
            with page.expect_websocket(timeout=30_000) as socket:  # the session is open: the next
                page.goto(cluster.url + path, wait_until="domcontentloaded")  # visitor is new
            socket.value.wait_for_event("framereceived", timeout=30_000)
            visits.append((path, ctx, page, workers))
        served = []
        for path, ctx, page, workers in visits:
            page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
            browser_helpers.wait_rendered(page)
            assert page.locator('[data-testid="stException"]').count() == 0, path
            assert page.locator('[data-testid="stAlertContentError"]').count() == 0, path
            cookie = {c["name"]: c["value"] for c in ctx.cookies()}.get(serve.COOKIE)
            served.append((cookie, set(workers)))
        for cookie, workers in served:
            assert workers == {cookie}, served  # every answer from the worker its cookie names
        assert {cookie for cookie, _ in served} == {"w1", "w2"}, served
        for pid, port in zip(cluster.pids, cluster.ports, strict=False):
            assert _websockets(pid, port) >= 1, (pid, port)  # both sessions are live, one each
    finally:
        for _, ctx, _, _ in visits:
            ctx.close()


def test_a_download_built_in_one_worker_is_fetched_from_it(cluster: object) -> None:
    async def visit() -> list[object]:
        s = session.Session(cluster.url, timeout=45)
        await s.open()
        try:
            s.query = "lang=zh"
            await s.run("overview", page="")
            await s.run("trends", page="trends")
            charts = sorted(k for k in s.widgets if k.startswith("trends") and k.endswith("_html"))
            assert charts, sorted(s.widgets)
            await s.download("download", charts[-1])
        finally:
            await s.close()
        return s.results

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API holds this thread's event loop
        results = pool.submit(asyncio.run, visit()).result()
    assert [r.what for r in results] == ["overview", "trends", "download"]
    assert all(r.ok for r in results), [(r.what, r.problem) for r in results]
