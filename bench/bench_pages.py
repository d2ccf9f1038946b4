"""Every page's rerun on one dataset, through Streamlit's AppTest (issue 13: at 1e8 cases).

    .venv/bin/python bench/bench_pages.py [--data bench/_work/v-scale1000-seed1] [--runs 7]

For the overview, map, network and trends pages, in one app session as a user moves between
them: the page's first run (the first page's includes opening the dataset), reruns with nothing
changed (cache hit), reruns after a new date range in the sidebar (cache miss: every query of the
page runs again) and after a change of the page's own control (map month, network relations and
searches, trends window; the first search builds the page's search index, once per dataset).
Target: each rerun at most 250 ms median. The default dataset is the scale-100 one (1e7 cases);
`--data` takes any dataset, versioned or flat. Prints, does not assert.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from datetime import date
from pathlib import Path

import _common as c

from cloudsword.filters import add_months, month_start
from cloudsword.schema import RELATIONS
from cloudsword.store import Store
from cloudsword.trends.params import WINDOWS

TARGET = 0.250
SEARCHES = ("贸易", "maoyi", "商行", "changsha", "数码", "hz", "仓库", "xiangbao", "折扣", "wanju")


def _ok(at) -> None:
    problems = [e.value for e in at.exception] + [e.value for e in at.error]
    if problems:
        raise RuntimeError(str(problems[0])[:600])


def _timed_run(at) -> float:
    seconds, _ = c.timed(at.run)
    _ok(at)
    return seconds


def _ranges(start: date, end: date, runs: int) -> list[tuple[date, date]]:
    """`runs` different month ranges a user might pick (each one never asked for before)."""
    first, last = month_start(start), month_start(end)
    out = []
    for i in range(runs):
        lo = add_months(first, 3 * i + 1)
        out.append((lo, max(add_months(lo, 12 + i), add_months(last, -i))))
    return out


def _line(what: str, samples: list[float]) -> None:
    med, p90 = c.median_p90(samples)
    flag = "" if med <= TARGET else "  <-- over target"
    print(f"  {what}: median {c.ms(med)}, p90 {c.ms(p90)} (target {c.ms(TARGET)}){flag}", flush=True)


def page_controls(at, page: str, runs: int):
    """`runs` changes of the page's own control, each to a value not asked for before."""
    if page == "views/map.py":
        lo, hi = at.session_state["months"]
        months = [m for i in range(1, runs + 1) if (m := add_months(month_start(hi), -i)) >= lo]
        return "new month", [lambda m=m: at.select_slider(key="map_month").set_value(m) for m in months]
    if page == "views/network.py":
        subsets = [list(s) for k in (5, 4) for s in itertools.combinations(RELATIONS, k)][:runs]
        return "new relations", [lambda s=s: at.multiselect(key="network_rel").set_value(s) for s in subsets]
    if page == "views/trends.py":
        values = [w for w in WINDOWS if w != at.select_slider(key="trends_window").value][:runs]
        return "new window", [lambda w=w: at.select_slider(key="trends_window").set_value(w) for w in values]
    return None, []


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=None, help="a dataset (default: bench/_work scale 100)")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    data = args.data or c.dataset(100)
    c.quiet_streamlit()
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    opened, store = c.timed(lambda: Store(data))
    n = c.parquet_rows(store.dataset.dir / "cases.parquet")
    m = store.manifest
    print(f"{data.name}: {n:,} cases; opening the dataset (manifest, checksums' sizes, schemas, stored "
          f"products): {c.ms(opened)}", flush=True)  # fmt: skip
    del store
    os.environ["CLOUDSWORD_DATA"] = str(data)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(c.ROOT / "app.py"), default_timeout=600)
    ranges = iter(_ranges(m.start, m.end, 4 * args.runs))
    for page in ("views/overview.py", "views/map.py", "views/network.py", "views/trends.py"):
        name = Path(page).stem
        try:
            at.switch_page(page)
            print(f"/{name}: first run {c.ms(_timed_run(at))}", flush=True)
            _line(f"/{name} rerun, cache hit", [_timed_run(at) for _ in range(args.runs)])
            miss = []
            for _ in range(args.runs):
                at.select_slider(key="months").set_value(next(ranges))
                miss.append(_timed_run(at))
            _line(f"/{name} rerun, cache miss (new date range: every query)", miss)
            what, changes = page_controls(at, page, args.runs)
            if changes:
                samples = []
                for change in changes:
                    change()
                    samples.append(_timed_run(at))
                _line(f"/{name} rerun, cache miss ({what})", samples)
            if page == "views/network.py":
                searches = [lambda q=q: at.text_input(key="network_q").set_value(q) for q in SEARCHES]
                searches[0]()
                print(f"/{name}: first search (builds the search index) {c.ms(_timed_run(at))}", flush=True)
                samples = []
                for search in searches[1 : args.runs + 1]:
                    search()
                    samples.append(_timed_run(at))
                _line(f"/{name} rerun, cache miss (new search)", samples)
        except (RuntimeError, KeyError, ValueError) as err:
            print(f"/{name}: failed, timings skipped:\n  {err}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
