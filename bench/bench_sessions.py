"""Many people at once: real page runs over Streamlit's websocket against a real server.

    python bench/bench_sessions.py [--sessions 1,10,50] [--setups single,multi] [--workers 2]

Each session is one visitor with filters of their own (language, months, provinces, seller) who
opens the overview, changes a filter, opens the map and clicks a province, opens the network and
searches a seller, opens the trends and downloads a chart (its interactive HTML), and opens the
presentation: eight page runs and a download, with no pause between them. All sessions of a
round start together. For the single Streamlit process and for the multi-process set-up
(scripts/serve.py: workers behind HAProxy with sticky sessions), the table gives, at 1, 10 and 50
sessions, the page runs, failures, p50 and p95 page time, the slowest download, and the servers'
memory (all their processes: the peak during the round, and after one warm-up session each).
Target on the 2-core machine: 0 failures and p95 at most 6 s at 50 sessions, memory bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c
from _session import RunResult, Session

sys.path.insert(0, str(c.ROOT / "scripts"))
from serve import cluster

from cloudsword.filters import add_months

MEMBERS = ("330000", "440000", "320000", "350000", "310000", "340000", "510000", "430000")
START = date(2014, 1, 1)


async def visit(base: str, i: int) -> list[RunResult]:
    """One visitor's interaction script; their own view by `i`."""
    s = Session(base)
    try:
        await s.open()
        lang = ("zh", "en")[i % 2]
        first = add_months(START, 12 + i % 18)
        last = min(add_months(first, 12 + i % 12), date(2017, 7, 1))
        s.query = f"lang={lang}&from={first.isoformat()}&to={last.isoformat()}"
        await s.run("overview", page="")
        options = list(s.widgets["provinces"].proto.options)
        await s.run("filter", provinces=[options[(i * 7) % 31], options[10]])  # Zhejiang, and one more
        await s.run("map", page="map")
        province = MEMBERS[i % len(MEMBERS)]
        point = {"curve_number": 0, "point_number": 0, "point_index": 0, "location": province}
        await s.run(
            "click",
            map_chart={"selection": {"points": [point], "point_indices": [0], "box": [], "lasso": []}},
        )
        await s.run("network", page="network")
        await s.run("search", network_q=f"E{(i * 131) % 10000:07d}")
        await s.run("trends", page="trends")
        charts = sorted(k for k in s.widgets if k.startswith("trends") and k.endswith("_html"))
        if charts:
            await s.download("download", charts[-1])
        else:
            s.results.append(RunResult("download", 0.0, False, "no chart to download"))
        await s.run("present", page="present")
    except Exception as exc:  # a session that breaks is a failure in the table, not a crash
        s.results.append(RunResult("session", 0.0, False, f"{type(exc).__name__}: {exc}"[:200]))
    finally:
        try:
            await s.close()
        except Exception:
            pass
    return s.results


class Memory:
    """Peak resident memory of the server's processes (and their children), sampled in a thread."""

    def __init__(self, pids: list[int]):
        self.procs = [psutil.Process(p) for p in pids]
        self.peak = 0.0
        self._stop = threading.Event()

    def now(self) -> float:
        total = 0
        for p in self.procs:
            try:
                total += p.memory_info().rss + sum(ch.memory_info().rss for ch in p.children(recursive=True))
            except psutil.Error:
                pass
        return total / 2**20

    def __enter__(self) -> Memory:
        self.peak = self.now()

        def sample() -> None:
            while not self._stop.wait(0.2):
                self.peak = max(self.peak, self.now())

        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def p(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))] if s else float("nan")


async def round_of(base: str, n: int, offset: int) -> list[RunResult]:
    results = await asyncio.gather(*(visit(base, offset + i) for i in range(n)))
    return [r for session in results for r in session]


def measure(setup: str, workers: int, rounds: list[int], data: str | None) -> list[dict]:
    rows = []
    kwargs = {"workers": workers} if setup == "multi" else {"workers": 1, "proxy": False}
    scratch = tempfile.mkdtemp(prefix="bench-sessions-")  # the visits' audit log: not the demo data's
    with cluster(data_dir=data, env={"CLOUDSWORD_AUDIT": f"{scratch}/audit.jsonl"}, **kwargs) as srv:
        mem = Memory(srv.pids)
        # Every process opens the data and builds what it keeps per dataset (graph, rings, search
        # index, the slides in both languages) before the rounds: a visitor in each language, sent
        # to each worker's own port (through the proxy, visitors arriving as it starts all reach
        # one worker, and the other's first round then measured its warm-up: 34 vs 56 s of CPU).
        warm = [
            r
            for k, port in enumerate(srv.ports)
            for r in asyncio.run(round_of(f"http://127.0.0.1:{port}", 2, 1000 + 2 * k))
        ]
        if not all(r.ok for r in warm):
            print(f"warm-up problems: {[r.problem for r in warm if not r.ok][:3]}")
        one = mem.now()
        for n in rounds:
            with mem:
                t0 = time.perf_counter()
                results = asyncio.run(round_of(srv.url, n, n * 10))
                wall = time.perf_counter() - t0
            runs = [r for r in results if r.what not in ("download", "session")]
            downloads = [r for r in results if r.what == "download"]
            failed = [r for r in results if not r.ok]
            rows.append(
                {
                    "setup": setup if setup == "single" else f"{workers} workers + HAProxy",
                    "sessions": n,
                    "runs": len(runs),
                    "failed": len(failed),
                    "p50": statistics.median([r.seconds for r in runs]) if runs else float("nan"),
                    "p95": p([r.seconds for r in runs], 0.95),
                    "download": max((r.seconds for r in downloads), default=float("nan")),
                    "wall": wall,
                    "memory": mem.peak,
                    "one": one,
                    "problems": sorted({r.problem for r in failed})[:3],
                }
            )
            print_row(rows[-1])
    return rows


def print_row(r: dict) -> None:
    cells = [
        r["setup"], r["sessions"], r["runs"], r["failed"], f"{r['p50']:.2f} s", f"{r['p95']:.2f} s",
        f"{r['download']:.2f} s", f"{r['wall']:.0f} s",
        f"{r['memory']:,.0f} MB (one session: {r['one']:,.0f} MB)",
    ]  # fmt: skip
    print("| " + " | ".join(map(str, cells)) + " |", flush=True)
    for problem in r["problems"]:
        print(f"    failure: {problem}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", default="1,10,50", help="concurrent sessions per round")
    parser.add_argument("--setups", default="single,multi", help="single and/or multi")
    parser.add_argument("--workers", type=int, default=2, help="Streamlit processes in the multi set-up")
    parser.add_argument("--data", default=None, help="dataset (default: the demo data)")
    args = parser.parse_args()
    rounds = [int(x) for x in args.sessions.split(",")]
    print(__doc__.split("\n\n")[2].replace("\n", " "))
    print(f"\nmachine: {psutil.cpu_count()} cores, shared with other work while measured")
    head = (
        "set-up",
        "sessions",
        "page runs",
        "failed",
        "p50",
        "p95",
        "slowest download",
        "round",
        "server memory",
    )
    print("| " + " | ".join(head) + " |")
    print("|---|---|---|---|---|---|---|---|---|")
    for setup in args.setups.split(","):
        measure(setup, args.workers, rounds, args.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
