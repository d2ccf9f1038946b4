"""A warehouse job's products read in place of a version's own (cloudsword/shelf.py): only for
the version whose tables the job read, only at the product versions the app knows, and never
from outside the shelf. The shelf here is written as the Spark job writes one (a Parquet directory
per product and products.json); tests/core/test_spark_parity.py runs the job itself."""

from __future__ import annotations

import json
import logging
import shutil

import pyarrow.parquet as pq
import pytest

from cloudsword import build, shelf
from cloudsword.dataset import Version
from cloudsword.monthly import PRODUCT as MONTHLY
from cloudsword.network import rings
from cloudsword.network import warehouse as network_warehouse
from cloudsword.overview import queries
from cloudsword.schema import DATASET_TABLES
from cloudsword.store import DEFAULT_DATA_DIR, Store


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    tables = {n: pq.read_table(DEFAULT_DATA_DIR / f"{n}.parquet") for n in DATASET_TABLES}
    manifest = json.loads((DEFAULT_DATA_DIR / "manifest.json").read_text(encoding="utf-8"))
    root = tmp_path_factory.mktemp("shelf") / "data"
    build.write_version(root, tables, manifest)
    return root


def _shelf(tmp_path, version: Version, source: str | None = None, monthly_version: str = MONTHLY.version):
    """A shelf whose monthly aggregate counts every case twice, whose rings are all one ring and
    whose hubs are two named entities: what a page shows tells which products it read."""
    out = tmp_path / "shelf"
    m = pq.read_table(version.dir / "products" / "monthly.parquet").to_pandas()
    m["cases"] = m["cases"] * 2
    r = pq.read_table(version.dir / "products" / "rings.parquet").to_pandas().assign(ring=7, ring_size=3)
    hubs = r[["entity_id"]].head(2)
    for name, frame in (("monthly", m), ("rings", r), ("graph_hubs", hubs)):
        (out / name).mkdir(parents=True)
        frame.to_parquet(out / name / "part-00000.parquet", index=False)
    record = {
        "source": source or shelf.source_id(version.dir),
        "products": {
            "monthly": {"version": monthly_version, "path": "monthly"},
            "rings": {"version": rings.VERSION, "path": "rings"},
            "graph_hubs": {"version": network_warehouse.HUBS_VERSION, "path": "graph_hubs"},
        },
    }
    (out / shelf.RECORD).write_text(json.dumps(record), "utf-8")
    return out, hubs.entity_id.tolist()


def _cases(store: Store) -> int:
    return int(queries.alliance_totals(store, store.default_filters())["cases"])


def test_the_job_names_the_version_it_read(root) -> None:
    own = Store(root)
    assert shelf.source_id(own.dataset.dir) == own.dataset.id
    assert shelf.source_id(own.dataset.dir) == shelf.source_id(_tables_only(own.dataset.dir))


def _tables_only(vdir):
    """The same tables without the version's manifest: the id is computed from the files."""
    import tempfile
    from pathlib import Path

    out = Path(tempfile.mkdtemp(prefix="shelf-tables-"))
    for n in DATASET_TABLES:
        shutil.copy(vdir / f"{n}.parquet", out / f"{n}.parquet")
    return out


def test_a_store_reads_the_shelf_built_from_its_tables(root, tmp_path, monkeypatch) -> None:
    own = Store(root)
    where, hubs = _shelf(tmp_path, own.dataset)
    monkeypatch.setenv(shelf.ENV, str(where))
    store = Store(root)
    assert _cases(store) == 2 * _cases(own)
    assert set(rings.from_store(store).ring) == {7}
    assert sorted(store.run(network_warehouse.hub_table(store)).entity_id) == sorted(hubs)
    assert set(rings.from_store(own).ring) != {7}


UNFIT = ["other tables", "unknown product version", "outside the shelf", "broken record"]


@pytest.mark.parametrize("why", UNFIT)
def test_a_shelf_that_does_not_fit_is_not_used_and_says_why(root, tmp_path, monkeypatch, caplog, why) -> None:
    own = Store(root)
    where, _ = _shelf(
        tmp_path,
        own.dataset,
        source="0" * 64 if why == "other tables" else None,
        monthly_version="99" if why == "unknown product version" else MONTHLY.version,
    )
    record = json.loads((where / shelf.RECORD).read_text("utf-8"))
    if why == "outside the shelf":  # the same products, one folder up: still not the shelf's
        for p in record["products"].values():
            shutil.copytree(where / p["path"], where.parent / p["path"])
            p["path"] = "../" + p["path"]
        (where / shelf.RECORD).write_text(json.dumps(record), "utf-8")
    if why == "broken record":
        (where / shelf.RECORD).write_text("{not json", "utf-8")
    monkeypatch.setenv(shelf.ENV, str(where))
    with caplog.at_level(logging.WARNING, logger="cloudsword.shelf"):
        store = Store(root)
    assert _cases(store) == _cases(own)
    if why != "unknown product version":
        assert set(rings.from_store(store).ring) != {7}
    if why in ("other tables", "broken record"):
        assert "not used" in caplog.text
