"""How fast the seller network page can cut an ego network out of a 1e6-entity, 3e6-link graph
(and, with `--scales 1000`, out of 1e7 entities and 3e7 links: issue 13).

    .venv/bin/python bench/bench_network.py [--scales 100 1000]

Prints, does not assert: timings depend on the machine. Targets (issue 4): 2-hop extraction
median at most 2 ms over random seeds, p90 at most 10 ms over hub seeds (the shared couriers and
payment accounts with the highest degree), as the page extracts it: hubs stopped, at most
analysis.ANALYSED entities gathered. The whole 2-hop network (no stop, no limit) is the baseline.
Also prints the whole graph's build time and memory, and the same extractions with networkx
`ego_graph` on a networkx graph of the same links, in the same run (the ratio says what the compact
CSR buys). Each seed is timed as the median of 3 runs.
"""

from __future__ import annotations

import argparse
import gc
import sys

import _common as c
import numpy as np
import pandas as pd

from cloudsword.network import graph as network
from cloudsword.network.analysis import ANALYSED
from cloudsword.store import DEFAULT_DATA_DIR

MEDIAN_TARGET, HUB_P90_TARGET = 0.002, 0.010
SEEDS, HUB_SEEDS, NX_SEEDS = 500, 50, 30


def load(data) -> tuple[pd.DataFrame, pd.DataFrame]:
    cols = ["entity_id", "kind", "name", "province_adcode", "city_adcode", "lon", "lat"]
    return pd.read_parquet(data / "entities.parquet", columns=cols), pd.read_parquet(data / "links.parquet")


def per_seed(g: network.Graph, seed: int, page: bool = True, repeats: int = 3) -> float:
    """One seed's 2-hop extraction time: the median of `repeats` runs (the machine is shared, so a
    single run can catch another process's time slice). `page`: as the page extracts it (hubs
    stopped, at most analysis.ANALYSED entities gathered: graph.ego's limit); else the whole
    2-hop network, every hub walked through."""
    if page:
        hubs = g.hubs()
        run = lambda: network.ego(g, int(seed), 2, stop_at=hubs, limit=ANALYSED)
    else:
        run = lambda: network.ego(g, int(seed), 2)
    return c.median_p90([c.timed(run)[0] for _ in range(repeats)])[0]


def line(what: str, samples: list[float], target: float | None) -> float:
    med, p90 = c.median_p90(samples)
    goal = f" (target {target * 1000:g} ms)" if target else ""
    print(f"  {what}: median {med * 1000:.2f} ms, p90 {p90 * 1000:.2f} ms{goal}", flush=True)
    return med


def bench(data, label: str, networkx: bool = True) -> None:
    """`networkx`: also the same extractions on a networkx graph (not at 1e7 entities: its graph
    of 3e7 links would not fit in this machine's memory)."""
    print(f"{label}:", flush=True)
    entities, links = load(data)
    gc.collect()
    rss0 = c.rss_mb()
    built, g = c.timed(lambda: network.build_graph(entities, links))
    print(
        f"  graph build: {built:.2f} s for {g.n:,} entities, {g.m:,} links; "
        f"arrays {g.nbytes / 2**20:,.0f} MB, "
        f"+{c.rss_mb() - rss0:,.0f} MB RSS",
        flush=True,
    )
    rng = np.random.default_rng(0)
    seeds = rng.integers(0, g.n, SEEDS)
    hubs = np.argsort(-g.degree)[:HUB_SEEDS]
    print(
        f"  hub seeds: the {HUB_SEEDS} highest-degree entities (degree {g.degree[hubs].min():,}"
        f"-{g.degree[hubs].max():,}); median degree {np.median(g.degree):.0f}",
        flush=True,
    )
    g.hubs()  # found once per graph, as the page's graph keeps them
    for s in seeds[:20]:
        network.ego(g, int(s), 2)  # warm-up
    t_rand = [per_seed(g, s) for s in seeds]
    t_hub = [per_seed(g, s) for s in hubs]
    line("the page's 2-hop ego (nodes + induced links), random seeds", t_rand, MEDIAN_TARGET)
    line("the page's 2-hop ego, hub seeds", t_hub, HUB_P90_TARGET)
    cut = [network.ego(g, int(s), 2, stop_at=g.hubs(), limit=ANALYSED, with_links=False) for s in hubs[:5]]
    print(
        f"  (the page gathers at most {ANALYSED:,}: the largest hubs reached "
        f"{', '.join(f'{len(e) + len(e.left_out):,}' for e in cut)} entities by the hop it stopped at)",
        flush=True,
    )
    t_rand_whole = [per_seed(g, s, page=False) for s in seeds[:200]]
    t_hub_whole = [per_seed(g, s, page=False) for s in hubs]
    sizes = [len(network.ego(g, int(s), 2, with_links=False)) for s in hubs[:5]]
    line("baseline: the whole 2-hop ego, no hub stop, no limit, random seeds", t_rand_whole, None)
    line("baseline: the whole 2-hop ego, hub seeds", t_hub_whole, None)
    print(f"  (largest hub whole 2-hop networks: {', '.join(f'{x:,}' for x in sizes)} entities)", flush=True)
    t_filt = [
        c.timed(
            lambda s=s: network.ego(g, int(s), 2, relations=("supplies", "operates"), kinds=network.KINDS[:5])
        )[0]
        for s in seeds[:200]
    ]
    line("2-hop ego filtered by relation and kind, random seeds", t_filt, None)
    t_path = [
        c.timed(lambda a=a, b=b: network.shortest_path(g, int(a), int(b)))[0]
        for a, b in zip(seeds[:20], seeds[20:40])
    ]
    line("shortest path between two random entities (whole graph)", t_path, None)
    if not networkx:
        return

    import networkx as nx

    gc.collect()
    rss0 = c.rss_mb()
    t_nx_build, nxg = c.timed(lambda: nx.Graph(zip(g.src.tolist(), g.dst.tolist())))
    print(f"  networkx graph build: {t_nx_build:.1f} s, +{c.rss_mb() - rss0:,.0f} MB RSS", flush=True)
    nx_seeds = [int(s) for s in seeds[:NX_SEEDS] if int(s) in nxg]
    t_nx = [c.timed(lambda s=s: nx.ego_graph(nxg, s, 2))[0] for s in nx_seeds]
    t_nx_hub = [c.timed(lambda s=s: nx.ego_graph(nxg, int(s), 2))[0] for s in hubs[:10]]
    agree = all(
        set(nx.ego_graph(nxg, s, 2)) == set(network.ego(g, s, 2, with_links=False).nodes.tolist())
        for s in nx_seeds[:10]
    )
    nx_med = line("networkx ego_graph, random seeds", t_nx, None)
    nx_hub = line("networkx ego_graph, hub seeds (first 10)", t_nx_hub, None)
    ours_med, ours_hub = c.median_p90(t_rand_whole[: len(t_nx)])[0], c.median_p90(t_hub_whole[:10])[0]
    print(
        f"  ratio networkx/CSR (whole 2-hop): {nx_med / ours_med:,.0f}x random seeds, "
        f"{nx_hub / ours_hub:,.0f}x hub seeds "
        f"(same entity sets: {'yes' if agree else 'NO'})",
        flush=True,
    )
    nxg = None
    gc.collect()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", type=float, nargs="+", default=[100.0], help="1000: 1e7 entities, 3e7 links")
    for scale in [None, *ap.parse_args().scales]:
        data = DEFAULT_DATA_DIR if scale is None else c.dataset(scale)
        bench(
            data,
            "demo data" if scale is None else f"generated, scale {scale:g}",
            networkx=scale is None or scale <= 100,
        )


if __name__ == "__main__":
    sys.exit(main())
