"""Shared pytest fixtures, and the three layers: tests live beside their feature (tests/map/,
tests/network/...), and each is a unit test, an app test (test_app*.py: Streamlit's AppTest) or
a browser test (test_browser*.py: Chromium against a server), or runs on Apache Spark in local mode
(test_spark*.py). `pytest -m unit` is the quick loop."""

from __future__ import annotations

# --- browser tests: a streamlit server and headless Chromium ------------------------------------
# Server start/stop and "wait until rendered" live in scripts/screenshot.py (one implementation
# for the tests and the README screenshot); it is loaded by path since scripts/ is no package.
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

_SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _load_screenshot() -> ModuleType:
    name = "cloudsword_scripts_screenshot"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, _SCRIPTS / "screenshot.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


shots = _load_screenshot()


@pytest.fixture(scope="session")
def browser_helpers() -> ModuleType:
    """scripts/screenshot.py: serve(), launch_chromium(), wait_rendered(), VIEWPORT."""
    return shots


@pytest.fixture(scope="session")
def server_data_dir(request: pytest.FixtureRequest) -> str | None:
    """The dataset the server shows: None means the shipped demo data (app default).

    Override per module with a fixture of the same name, or parametrise indirectly.
    """
    return getattr(request, "param", None)


@pytest.fixture(scope="session")
def streamlit_server(server_data_dir: str | None) -> Iterator[str]:
    """Base URL of `streamlit run app.py` on a free local port, up for the whole session."""
    with shots.serve(server_data_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's headless Chromium driven by Playwright (its own browser download is unavailable)."""
    if not Path(shots.CHROMIUM).exists():
        pytest.skip(f"{shots.CHROMIUM} not installed (Debian package 'chromium'; see make system-deps)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = shots.launch_chromium(pw)
        yield b
        b.close()


@pytest.fixture
def browser_context(browser: object) -> Iterator[object]:
    """A fresh context (new cookies, new Streamlit session) at the screenshot viewport size."""
    ctx = browser.new_context(viewport=shots.VIEWPORT)
    yield ctx
    ctx.close()


@pytest.fixture
def file_context(browser: object) -> Iterator[tuple[object, list[str]]]:
    """A context for files opened from disk with the network cut: every request that is not
    file:, data: or blob: is recorded and aborted. Yields (context, outside requests)."""
    from urllib.parse import urlsplit

    ctx = browser.new_context(viewport={"width": 1600, "height": 900})
    outside: list[str] = []

    def guard(route: object) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("file", "data", "blob"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    ctx.route("**/*", guard)
    yield ctx, outside
    ctx.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its layer from its file's name."""
    for item in items:
        name = item.path.name
        if name.startswith("test_browser"):
            item.add_marker(pytest.mark.browser)
        elif name.startswith("test_app"):
            item.add_marker(pytest.mark.app)
        elif name.startswith("test_spark"):
            item.add_marker(pytest.mark.spark)
        elif not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.unit)


@pytest.fixture(scope="session", autouse=True)
def shipped_demo_untouched() -> Iterator[None]:
    """No test may write beside the shipped demo data (an import there would change what every
    later test reads): the folder's listing is the same when the session ends."""
    demo = Path(__file__).resolve().parent.parent / "data" / "demo"
    before = sorted(p.name for p in demo.iterdir())
    yield
    after = sorted(p.name for p in demo.iterdir())
    assert after == before, f"tests wrote into {demo}: {sorted(set(after) - set(before))}"


@pytest.fixture(scope="session", autouse=True)
def audit_log_aside(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The audit log (cloudsword/access/audit.py) goes to a temporary file, not beside the shipped
    demo data; servers the tests start inherit the variable. A test that reads it sets its own."""
    import os

    before = os.environ.get("CLOUDSWORD_AUDIT")
    os.environ["CLOUDSWORD_AUDIT"] = str(tmp_path_factory.mktemp("audit") / "audit.jsonl")
    yield
    if before is None:
        os.environ.pop("CLOUDSWORD_AUDIT", None)
    else:
        os.environ["CLOUDSWORD_AUDIT"] = before


@pytest.fixture(scope="session")
def _demo_case_table():
    import pandas as pd

    from cloudsword.store import DEFAULT_DATA_DIR

    c = pd.read_parquet(DEFAULT_DATA_DIR / "cases.parquet")
    c["opened_on"] = pd.to_datetime(c["opened_on"])
    return c


@pytest.fixture
def cases(_demo_case_table):
    """The demo's case table read by pandas straight from its Parquet file (opened_on as a
    timestamp): the independent answer the drill-down tests compare pages with. A copy per test."""
    return _demo_case_table.copy()
