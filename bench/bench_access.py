"""What the access rules cost (issue 15): each page query at 1e7 cases, run on the store itself and
through `cloudsword.access.Scoped` as Zhejiang's provincial officer (the row rules) and as an
analyst (the column masking). Target: the row rules at most 10% over the same query without them.

Aggregate queries (overview, map, trends: the `monthly` table) pass the rules untouched; the record
queries (the network's entities and links, enforcement's clues and suspects, the map's network
components, /data's case outliers) are cut by the officer's reach inside the query. Finding the
reach (the dataset's networks, once per dataset version, then once per set of provinces) is
printed on its own line, and so is cutting the record tables to it (kept in the engine, then read
by every query): both are paid once per server and set of provinces, not per query.

Prints, does not assert: timings depend on the machine (and on what else runs on it).
Run: .venv/bin/python bench/bench_access.py [--runs N]
"""

from __future__ import annotations

import argparse
import gc

import _common as c

from cloudsword.access import Principal, Role, Scoped
from cloudsword.access.scope import RECORD_TABLES as RECORDS
from cloudsword.access.scope import networks, visible_entities
from cloudsword.ingest import quality
from cloudsword.map import queries as map_queries
from cloudsword.network import analysis, rings
from cloudsword.network import graph as network
from cloudsword.overview import queries as overview_queries
from cloudsword.store import Store
from cloudsword.trends import analysis as trends_analysis

TARGET = 0.10
OFFICER = Principal("officer.zj@cloudsword.example", Role.OFFICER, {"330000"})
ANALYST = Principal("analyst@cloudsword.example", Role.ANALYST)


def page_queries(f) -> dict[str, object]:
    """Each query a page runs, by the page and what it shows: store -> result."""
    return {
        "overview: KPI totals (monthly)": lambda s: overview_queries.alliance_totals(s, f),
        "overview: by province (monthly)": lambda s: overview_queries.by_province(s, f, "cases"),
        "trends: panel (monthly)": lambda s: trends_analysis.build_panel(s, trends_analysis.panel_filters(f)),
        "map: network components (entities, links)": map_queries.network_components,
        "map: clue targets (clues)": map_queries.clue_targets,
        "network: whole graph (entities, links)": network.graph_from_store,
        "network: enforcement (clues, suspects, cases)": analysis.enforcement,
        "network: rings (stored, else detected)": rings.from_store,
        "data: case outliers (cases)": quality.outliers,
    }


def best(fn, stores: list, runs: int) -> list[float]:
    """The fastest of `runs` timed calls on each store (after one warm-up each; a query under a
    second gets enough runs to fill one, at most 30: other work on the machine moves a 30 ms query
    by half its time), the stores taken in turn within every run so that load from other work
    falls on all of them alike."""
    warm = [c.timed(lambda s=s: fn(s))[0] for s in stores]
    runs = max(runs, min(30, int(1.0 / max(min(warm), 1e-3))))
    out: list[list[float]] = [[] for _ in stores]
    for _ in range(runs):
        for i, s in enumerate(stores):
            gc.collect()
            out[i].append(c.timed(lambda s=s: fn(s))[0])
    return [min(x) for x in out]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--scale", type=float, default=100)
    args = ap.parse_args()
    path = c.dataset(args.scale)
    store = Store(path)
    cases = c.parquet_rows(path / "cases.parquet")
    print(f"dataset {path.name}: {cases:,} cases; best of {args.runs} runs each", flush=True)
    t_nets, _ = c.timed(lambda: networks(store))
    t_reach, seen = c.timed(lambda: visible_entities(store, OFFICER.provinces))
    print(f"once per dataset version: the networks {c.ms(t_nets)}; the officer's reach {c.ms(t_reach)} "
          f"({len(seen):,} of {len(networks(store).ids):,} entities)", flush=True)  # fmt: skip
    officer, analyst = Scoped(store, OFFICER), Scoped(store, ANALYST)
    rss = c.rss_mb()
    t_cut, _ = c.timed(lambda: [officer.table(n) for n in RECORDS])
    kept = sum(store.run(officer.table(n).count()) for n in RECORDS)
    whole = sum(store.run(store.table(n).count()) for n in RECORDS)
    print(f"once per set of provinces: the officer's cut of the record tables {c.ms(t_cut)} "
          f"({kept:,} of {whole:,} rows kept, +{c.rss_mb() - rss:,.0f} MB)", flush=True)  # fmt: skip
    print(f"{'query':48} {'no rules':>10} {'officer':>10} {'cost':>7} {'analyst':>10} {'cost':>7}")
    over = []
    for name, fn in page_queries(store.default_filters()).items():
        base, rows, cols = best(fn, [store, officer, analyst], args.runs)
        cost, mask = rows / base - 1, cols / base - 1
        flag = "" if cost <= TARGET else "  <-- over 10%"
        if cost > TARGET:
            over.append(name)
        times = f"{c.ms(base):>10} {c.ms(rows):>10} {cost:>+7.0%} {c.ms(cols):>10} {mask:>+7.0%}"
        print(f"{name:48} {times}{flag}", flush=True)
    print("row rules within 10% on every page query" if not over else f"over 10%: {', '.join(over)}")


if __name__ == "__main__":
    main()
