"""Helpers shared by the benchmarks: timing statistics and generated datasets kept in bench/_work.

Large datasets take a while to generate, so they are built once into bench/_work/ (git-ignored)
and reused by later runs.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import psutil

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "_work"
T = TypeVar("T")

if str(ROOT) not in sys.path:  # bench scripts run as files: make the project importable
    sys.path.insert(0, str(ROOT))


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """(seconds, result) of one call."""
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def median_p90(samples: list[float]) -> tuple[float, float]:
    s = sorted(samples)
    return statistics.median(s), s[min(len(s) - 1, round(0.9 * (len(s) - 1)))]


def ms(seconds: float) -> str:
    """Milliseconds, with two decimals under 10 ms (a 1.4 ms query is not "1 ms")."""
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def dataset(scale: float, seed: int = 1, versioned: bool = False) -> Path:
    """bench/_work/scale<scale>-seed<seed>, generated on first use with the project's CLI;
    `versioned`: as a dataset of versions (v-scale...: checks and products written with it)."""
    out = WORK / f"{'v-' if versioned else ''}scale{scale:g}-seed{seed}"
    if (out / ("current.json" if versioned else "manifest.json")).exists():
        return out
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable, "-m", "cloudsword", "generate",
        "--seed", str(seed), "--scale", f"{scale:g}",
        "--config", str(ROOT / "data" / "alliance.toml"), "--out", str(tmp),
        *(["--versioned"] if versioned else []),
    ]  # fmt: skip
    print(f"generating {out.relative_to(ROOT)} (scale {scale:g}; once, then reused) ...", flush=True)
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    tmp.rename(out)  # only a finished dataset gets the final name
    print(f"generated in {time.perf_counter() - t0:,.0f} s", flush=True)
    return out


def parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def quiet_streamlit() -> None:
    """Run the app through AppTest without Streamlit's "no runtime" chatter in the figures."""
    import logging

    os.chdir(ROOT)
    os.environ["STREAMLIT_LOGGER_LEVEL"] = "error"
    import streamlit.logger

    streamlit.logger.set_log_level("error")
    drop_all = logging.Filter("nothing")  # streamlit resets levels, not filters
    for name in (
        "streamlit.runtime.caching.cache_data_api",
        "streamlit.runtime.scriptrunner_utils.script_run_context",
    ):
        logging.getLogger(name).addFilter(drop_all)


def demo_and_large(only: str | None = None) -> list[tuple[Path, str]]:
    """(dataset, label) for the shipped demo data and a generated 1e7-case dataset; `only` is
    "demo" or "big" to keep one. A dataset that is not there is reported and skipped."""
    from cloudsword.store import DEFAULT_DATA_DIR

    wanted = {"demo": [DEFAULT_DATA_DIR], "big": [dataset(100)]}.get(only or "", None)
    out = []
    for data in wanted or [DEFAULT_DATA_DIR, dataset(100)]:
        if not (data / "manifest.json").exists():
            print(f"no dataset at {data}: skipped")
            continue
        n = parquet_rows(data / "cases.parquet")
        kind = "demo data" if data == DEFAULT_DATA_DIR else "generated"
        out.append((data, f"{kind}, {n:.0e} cases".replace("e+0", "e")))
    return out
