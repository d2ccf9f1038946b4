"""Every page query (cloudsword/page_queries.py) on DuckDB and on Spark local mode, and the portable
query layer (Ibis) against hand-written SQL on the same engine.

    .venv/bin/python bench/bench_engines.py [--scale 100] [--runs 3] [--spark-runs 2] [--portable-runs 41]

The dataset is generated once into bench/_work/v-scale<scale>-seed1 (versioned layout: products and
checks stored). Each figure is the median of its runs after one warm-up run; the first call of a
query in a process also pays Ibis' compilation and, on Spark, the JVM's code generation. The
portable layer's overhead compares `store.run(expr)`, for the expression a page's own query
function sends (recorded as it runs, so a changed page is timed as it is), with the same query
written by hand in the engine's SQL dialect, both returning a pandas frame: target at most 15%.
The two are timed in turn, --portable-runs times, so a busy moment of the machine falls on both
(Spark's times vary by tens of ms from run to run). A hand query whose answer no page expression gives
any more is reported, not timed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings

import _common as c
import numpy as np
import pandas as pd

warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")

# Hand-written equivalents of queries the pages send (the default view), by page query: each is
# timed against the expression that page's own function sends for the same answer.
HAND_SQL = {
    "overview.alliance_totals": """
        SELECT sum(clues) AS clues, sum(clues_with_case) AS clues_with_case, sum(cases) AS cases,
               sum(cases_with_suspects) AS cases_with_suspects, sum(cases_with_seizure) AS cases_with_seizure,
               sum(suspects) AS suspects, sum(seizure_cny) AS seizure, count(*) AS rows
        FROM monthly WHERE month >= DATE '{lo}' AND month <= DATE '{hi}' AND alliance""",
    "overview.monthly_series": """
        SELECT month, sum(clues) AS clues, sum(cases) AS cases, sum(suspects) AS suspects,
               sum(seizure_cny) AS seizure
        FROM monthly WHERE month >= DATE '{lo}' AND month <= DATE '{hi}' AND alliance
        GROUP BY month ORDER BY month""",
    "overview.by_province": """
        SELECT province_adcode, sum(cases) AS value FROM monthly
        WHERE month >= DATE '{lo}' AND month <= DATE '{hi}' AND alliance GROUP BY province_adcode""",
    "trends.panel": """
        SELECT province_adcode, month, sum(cases) AS cases, sum(suspects) AS suspects,
               sum(seizure_cny) AS seizure, sum(clues) AS clues
        FROM monthly WHERE month >= DATE '{lo}' AND month <= DATE '{hi}' GROUP BY province_adcode, month""",
    "network.enforcement": """
        SELECT k.entity_id, c.case_id, c.province_adcode, c.opened_on, c.suspects_caught, c.seizure_cny
        FROM clues k JOIN cases c ON k.clue_id = c.clue_id""",
}


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """The same rows (any order; floats to 1e-9) over the hand query's columns."""
    if len(a) != len(b) or not set(b.columns) <= set(a.columns):
        return False
    cols = list(b.columns)
    x = a[cols].sort_values(cols).reset_index(drop=True)
    y = b[cols].sort_values(cols).reset_index(drop=True)
    for col in cols:
        u, v = x[col], y[col]
        if pd.api.types.is_float_dtype(u) or pd.api.types.is_float_dtype(v):
            if not np.allclose(u.astype(float), v.astype(float), rtol=1e-9, equal_nan=True):
                return False
        elif not (u.astype(str).to_numpy() == v.astype(str).to_numpy()).all():
            return False
    return True


def page_expr(store, f, key: str, hand: pd.DataFrame):
    """The expression the page's own query function (cloudsword.page_queries) sends whose answer
    is the hand-written query's: the page is timed as it is, not a copy of it. None when no
    expression of the page gives that answer any more (the hand SQL is then out of date)."""
    from cloudsword.page_queries import QUERIES, Recorder

    query = next(q for q in QUERIES if f"{q.page}.{q.name}" == key)
    rec = Recorder(store)
    query.run(rec, f)
    for expr in rec.exprs:
        got = store.run(expr)
        if isinstance(got, pd.DataFrame) and _same(got, hand):
            return expr
    return None


def hand_runner(store):
    if store.engine.name == "duckdb":
        cur = store.engine.db.cursor()
        return lambda sql: cur.execute(sql).fetch_df()
    return lambda sql: store.engine.session.sql(sql).toPandas()


def median_of(fn, runs: int) -> float:
    fn()  # warm-up: compilation, caches
    return c.median_p90([c.timed(fn)[0] for _ in range(runs)])[0]


def medians_in_turn(a, b, runs: int) -> tuple[float, float]:
    """Median times of `a` and `b`, each warmed up, then timed alternately `runs` times."""
    a(), b()
    ta, tb = [], []
    for _ in range(runs):
        ta.append(c.timed(a)[0])
        tb.append(c.timed(b)[0])
    return c.median_p90(ta)[0], c.median_p90(tb)[0]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=100.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--spark-runs", type=int, default=2)
    ap.add_argument("--portable-runs", type=int, default=41, help="runs of each hand/Ibis comparison")
    ap.add_argument("--only", default="", help="comma-separated page.name entries to time")
    args = ap.parse_args()
    data = c.dataset(args.scale, versioned=True)
    from cloudsword.page_queries import QUERIES
    from cloudsword.store import Store

    os.environ["CLOUDSWORD_ENGINE"] = "duckdb"
    t_duck, duck = c.timed(lambda: Store(data))
    os.environ["CLOUDSWORD_ENGINE"] = "spark"
    t_spark, spark = c.timed(lambda: Store(data))
    n = c.parquet_rows(duck.dataset.dir / "cases.parquet")
    print(f"dataset {data.name}: {n:,} cases; open DuckDB {c.ms(t_duck)}, Spark {c.ms(t_spark)} (JVM start)")
    f = duck.default_filters()
    only = {x for x in args.only.split(",") if x}
    print(f"{'page query':<34}{'DuckDB':>12}{'Spark':>12}{'Spark/DuckDB':>14}")
    for q in QUERIES:
        key = f"{q.page}.{q.name}"
        if only and key not in only:
            continue
        d = median_of(lambda q=q: q.run(duck, f), args.runs)
        s = median_of(lambda q=q: q.run(spark, f), args.spark_runs)
        print(f"{key:<34}{c.ms(d):>12}{c.ms(s):>12}{s / d:>13.1f}x", flush=True)

    lo, hi = f.date_from.replace(day=1).isoformat(), f.date_to.isoformat()
    print("\nportable (Ibis) vs hand-written SQL on the same engine (target overhead <= 15%)")
    for store in (duck, spark):
        hand = hand_runner(store)
        for name, sql in HAND_SQL.items():
            text = sql.format(lo=lo, hi=hi)
            expr = page_expr(store, f, name, hand(text))
            if expr is None:
                said = "the page no longer sends this query: update HAND_SQL"
                print(f"  {store.engine.name:<7}{name:<26} {said}")
                continue
            h, p = medians_in_turn(lambda: hand(text), lambda: store.run(expr), args.portable_runs)  # noqa: B023
            over = p / h - 1
            verdict = "within" if over <= 0.15 else "OVER"
            print(f"  {store.engine.name:<7}{name:<26} hand {c.ms(h):>9}  Ibis {c.ms(p):>9}  "
                  f"overhead {over:+.0%} ({verdict})", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    t0 = time.perf_counter()
    code = main()
    print(f"total {time.perf_counter() - t0:,.0f} s")
    sys.exit(code)
