"""Opening a dataset version, and the record-level drill-downs on the case table (issue 13).

    .venv/bin/python bench/bench_records.py [--scale 100] [--runs 20]

Prints the time to open the version (manifest and file sizes checked, the row checks' warnings
read back; target at most 2 s), then for each drill-down the median and p90 over `runs` different
parameters, against naive pandas on the case table held in memory (and the time to read it):
- the cases of one province in one month (largest seizure first, and how many),
- the view's 20 largest seizures: the whole months read from the version's `top_seizures` product,
  the days of a month the view cuts through from the case table (the pages' views, alternately
  the whole range and one province's year; and views of days cutting through months), against
  the plain top-k over the day-filtered case table in the same run (a version without the product,
  or a dataset written before it: what the query does there),
- one seller's cases (through its clues and the suspects tied to it), as a warehouse query and as
  the network page's Cases tab asks it (the case ids from `enforcement`, held in memory once per
  version, then the rows by id: ids run in day order, so the row groups' id ranges prune).
Target: at most 250 ms each. The dataset is bench/_work/v-scale<scale>-seed1 (versioned; generated
once by bench_engines.versioned; a dataset written before versions sorted and grouped the case
table has its row groups of 1,048,576 rows: --seed 2 makes a new one).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta

import _common as c
import numpy as np
import pandas as pd


class WithoutProducts:
    """The same store with no product read: the queries as on a version without them."""

    def __init__(self, store):
        self.store = store

    def __getattr__(self, name):
        return getattr(self.store, name)

    def product_table(self, name, version):
        return None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=100.0)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pandas", action="store_true", help="also naive pandas (needs the table in memory)")
    args = ap.parse_args()
    data = c.dataset(args.scale, args.seed, versioned=True)
    from cloudsword.filters import Filters
    from cloudsword.map.queries import province_month_cases
    from cloudsword.network.analysis import enforcement, entity_case_records, seller_cases
    from cloudsword.overview.queries import TOP_SEIZURES, TOP_SEIZURES_VERSION, largest_seizures
    from cloudsword.store import Store

    rss0 = c.rss_mb()
    opened, store = c.timed(lambda: Store(data))
    again, _ = c.timed(lambda: Store(data))
    path = store.dataset.dir / "cases.parquet"
    n = c.parquet_rows(path)
    import pyarrow.parquet as pq

    groups = pq.ParquetFile(path).metadata.num_row_groups
    print(f"{data.name}: {n:,} cases in {groups} row groups")
    print(f"open the version: {c.ms(opened)} (first in the process), {c.ms(again)} (again); "
          f"+{c.rss_mb() - rss0:,.0f} MB; target 2 s")  # fmt: skip

    rng = np.random.default_rng(0)
    provinces = store.run(store.table("provinces").adcode).tolist()[:31]
    months = pd.date_range(store.manifest.start, store.manifest.end, freq="MS").date
    k = store.table("clues")
    sellers = store.run(k.select("entity_id").distinct().limit(2000)).entity_id.tolist()
    whole = store.default_filters()
    seller = lambda: sellers[rng.integers(len(sellers))]
    page_view = lambda i: (
        Filters(date(2016, 1, 1), date(2016, 12, 31), (provinces[i % len(provinces)],)) if i % 2 else whole
    )
    spans = np.random.default_rng(1).integers([0, 20], [1250, 400], (args.runs + 1, 2))  # start, days
    day_view = lambda i: Filters(
        store.manifest.start + timedelta(days=int(spans[i, 0])),
        store.manifest.start + timedelta(days=int(spans[i].sum())),
        (provinces[i % len(provinces)],) if i % 2 else (),
    )
    plain = WithoutProducts(store)
    if store.product_table(TOP_SEIZURES, TOP_SEIZURES_VERSION) is None:
        print(f"this version has no `{TOP_SEIZURES}` product: the largest seizures read the case table")
    asks = {
        "province x month cases": lambda i: province_month_cases(
            store, whole, provinces[i % len(provinces)], months[rng.integers(len(months))], 500
        ),
        "20 largest seizures": lambda i: largest_seizures(store, page_view(i), 20),
        "  plain top-k (baseline)": lambda i: largest_seizures(plain, page_view(i), 20),
        "  views of days": lambda i: largest_seizures(store, day_view(i), 20),
        "  views of days, plain": lambda i: largest_seizures(plain, day_view(i), 20),
        "one seller's cases": lambda i: seller_cases(store, seller()),
        "one seller's cases (page)": lambda i: entity_case_records(store, tied, seller()),
    }
    held, tied = c.timed(lambda: enforcement(store))
    print(f"what enforcement tied to each entity, held by the network page once per version: {c.ms(held)}")
    for name, ask in asks.items():
        ask(0)
        med, p90 = c.median_p90([c.timed(lambda i=i, ask=ask: ask(i))[0] for i in range(1, args.runs + 1)])
        print(f"{name:<26} median {c.ms(med):>8}  p90 {c.ms(p90):>8}  (target 250 ms)", flush=True)

    if args.pandas:
        read, cases = c.timed(lambda: pd.read_parquet(path))
        print(f"naive pandas: reading the case table {c.ms(read)}, +{c.rss_mb() - rss0:,.0f} MB")
        m0 = pd.Timestamp(months[20])
        t, _ = c.timed(
            lambda: cases[
                (cases.province_adcode == "440000")
                & (pd.to_datetime(cases.opened_on) >= m0)
                & (pd.to_datetime(cases.opened_on) < m0 + pd.offsets.MonthBegin(1))
            ].nlargest(500, "seizure_cny")
        )
        print(f"naive pandas province x month cases: {c.ms(t)}")
        t, _ = c.timed(lambda: cases.nlargest(20, "seizure_cny"))
        print(f"naive pandas 20 largest seizures: {c.ms(t)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
