"""Versions under stress: an import killed half-way (a real process, SIGKILL) leaves the previous
version readable and selected; export -> import round trips; the demo imported from CSV exports
of its tables gives the same figures."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from cloudsword import build, dataset, export
from cloudsword.ingest import importer
from cloudsword.schema import DATASET_TABLES, TABLES
from cloudsword.store import DEFAULT_DATA_DIR, Store

ROOT = Path(__file__).resolve().parents[2]
ORDER = ("memberships", "entities", "links", "clues", "cases", "suspects")  # references first


def _versioned(root: Path) -> Path:
    tables = {n: pq.read_table(DEFAULT_DATA_DIR / f"{n}.parquet") for n in DATASET_TABLES}
    manifest = json.loads((DEFAULT_DATA_DIR / "manifest.json").read_text(encoding="utf-8"))
    build.write_version(root, tables, manifest)
    return root


def test_an_import_killed_half_way_leaves_the_previous_version(tmp_path):
    root = _versioned(tmp_path / "data")
    before = dataset.current_id(root)
    cases = pd.read_parquet(DEFAULT_DATA_DIR / "cases.parquet")
    more = cases[cases.clue_id.isna()].head(60_000).copy()
    more["case_id"] = "NEW" + more.case_id
    more.to_csv(tmp_path / "more.csv", index=False)
    cmd = [sys.executable, "-m", "cloudsword", "import", str(tmp_path / "more.csv"), "--table", "cases"]
    cmd += ["--dataset", str(root), "--mode", "append"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    versions = root / "versions"
    deadline = time.monotonic() + 120
    while not list(versions.glob(".tmp-*")):  # the new version is being written
        assert proc.poll() is None, "the import ended before it began writing"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    assert dataset.current_id(root) == before  # the pointer never moved
    assert [v.id for v in dataset.versions(root)] == [before]  # the half-written one is not listed
    store = Store(root)
    assert store.version == before and dataset.verify(store.dataset) == []
    assert int(store.run(store.table("cases").count())) == len(cases)
    # the next import clears what the killed one left and goes through
    checked, version = importer.import_files(
        root, [(tmp_path / "more.csv", "more.csv")], "cases", mode="append"
    )
    assert version is not None and not list(versions.glob(".tmp-*"))
    assert int(Store(root).run(Store(root).table("cases").count())) == len(cases) + len(more)


def _export(store: Store, name: str, folder: Path) -> Path:
    """A table as the app's own CSV export writes it (UTF-8 with BOM, text neutralised)."""
    path = folder / f"{name}.csv"
    path.write_bytes(export.csv_bytes(store.run(store.table(name))))
    return path


def _same_rows(a: pd.DataFrame, b: pd.DataFrame, name: str) -> None:
    key = list(TABLES[name].key)
    a = a.sort_values(key).reset_index(drop=True)
    b = b.sort_values(key).reset_index(drop=True)
    for col in TABLES[name].column_names:
        x, y = a[col], b[col]
        if TABLES[name].column(col).dtype == "date":
            x, y = pd.to_datetime(x), pd.to_datetime(y)
        pd.testing.assert_series_equal(x, y, check_dtype=False, obj=f"{name}.{col}")


@pytest.fixture(scope="module")
def imported_demo(tmp_path_factory):
    """The demo dataset rebuilt in a new, empty dataset from CSV exports of its six tables."""
    demo = Store(DEFAULT_DATA_DIR)
    folder = tmp_path_factory.mktemp("exports")
    root = folder / "imported"
    for name in ORDER:
        path = _export(demo, name, folder)
        checked, version = importer.import_files(root, [(path, path.name)], name)
        assert version is not None, (name, [(p.rule, p.examples) for p in checked.problems])
        assert checked.counts["rejected"] == 0, name
    return demo, Store(root)


def test_round_trip_every_table(imported_demo):
    demo, back = imported_demo
    for name in ORDER:
        _same_rows(demo.run(demo.table(name)), back.run(back.table(name)), name)


def test_the_demo_imported_from_csv_shows_the_same_figures(imported_demo):
    from cloudsword.map import queries as map_queries
    from cloudsword.network.graph import graph_from_store
    from cloudsword.overview import queries as overview
    from cloudsword.trends import analysis

    demo, back = imported_demo
    m1, m2 = demo.manifest, back.manifest
    assert (m1.start, m1.end, m1.as_of) == (m2.start, m2.end, m2.as_of)
    assert not m2.synthetic  # every table was imported
    f = demo.default_filters()
    assert back.default_filters() == f
    for g in (f, f.with_(provinces=("440000", "330000")), f.with_(categories=("footwear",))):
        assert overview.alliance_totals(demo, g) == overview.alliance_totals(back, g)
        pd.testing.assert_frame_equal(overview.alliance_series(demo, g), overview.alliance_series(back, g))
        for metric in ("clues", "cases", "suspects", "seizure"):
            pd.testing.assert_frame_equal(
                overview.by_province(demo, g, metric), overview.by_province(back, g, metric)
            )
        a = map_queries.province_values(demo, g, g.date_from, g.date_to, "total", False)
        b = map_queries.province_values(back, g, g.date_from, g.date_to, "total", False)
        pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(demo.memberships(), back.memberships())
    pd.testing.assert_frame_equal(analysis.build_panel(demo, f).frame, analysis.build_panel(back, f).frame)
    for m in (map_queries.flows, map_queries.city_points):
        a, b = (m(s, f) if m is map_queries.flows else m(s, f, False) for s in (demo, back))
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
    g1, g2 = graph_from_store(demo), graph_from_store(back)
    assert g1.n == g2.n and g1.m == g2.m
