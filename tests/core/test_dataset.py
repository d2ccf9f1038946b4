"""Dataset versions: content-named, immutable, switched atomically; the flat layout still opens,
and files changed under an open store never mix with the version it opened."""

from __future__ import annotations

import json
import pkgutil
import shutil
import sys
import types

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import cloudsword
from cloudsword import build, dataset
from cloudsword.dataset import Product
from cloudsword.errors import DataError
from cloudsword.overview import queries
from cloudsword.schema import DATASET_TABLES
from cloudsword.store import DEFAULT_DATA_DIR, Store


@pytest.fixture(scope="module")
def demo_tables():
    tables = {n: pq.read_table(DEFAULT_DATA_DIR / f"{n}.parquet") for n in DATASET_TABLES}
    manifest = json.loads((DEFAULT_DATA_DIR / "manifest.json").read_text(encoding="utf-8"))
    return tables, manifest


@pytest.fixture(scope="module")
def versioned(tmp_path_factory, demo_tables):
    root = tmp_path_factory.mktemp("ds") / "data"
    build.write_version(root, *demo_tables)
    return root


def _copy(src, tmp_path):
    dst = tmp_path / "copy"
    shutil.copytree(src, dst)
    return dst


def test_a_written_version_opens_with_the_same_figures_and_its_products(versioned):
    flat, v = Store(DEFAULT_DATA_DIR), Store(versioned)
    f = flat.default_filters()
    assert queries.alliance_totals(v, f) == queries.alliance_totals(flat, f)
    assert v.manifest.raw["products"]["monthly"]["version"] == "1"
    assert v.product_table("monthly", "1") is not None and v.product_table("monthly", "0") is None
    assert dataset.verify(v.dataset) == []
    assert v.version == dataset.current_id(versioned) == v.dataset.dir.name


def test_the_same_content_is_one_version_and_a_new_one_is_switched_to(tmp_path, demo_tables):
    tables, manifest = demo_tables
    root = tmp_path / "d"
    first = build.write_version(root, tables, manifest)
    assert build.write_version(root, tables, manifest).id == first.id
    cases = tables["cases"].to_pandas()
    caught = set(tables["suspects"]["case_id"].to_pylist())

    def without(rows: pd.Series) -> pa.Table:
        return pa.Table.from_pandas(cases[~rows], schema=tables["cases"].schema, preserve_index=False)

    with pytest.raises(DataError):  # a suspect's case is dropped: the version is refused, not listed
        build.write_version(root, {**tables, "cases": without(cases.case_id == sorted(caught)[0])}, manifest)
    assert [v.id for v in dataset.versions(root)] == [first.id]
    assert not list((root / "versions").glob(".tmp-*"))
    dropped = without(cases.case_id == cases.case_id[~cases.case_id.isin(caught)].iloc[0])
    second = build.write_version(root, {**tables, "cases": dropped}, manifest)
    assert second.id != first.id and second.manifest["parent"] == first.id
    assert dataset.current_id(root) == second.id
    assert {v.id for v in dataset.versions(root)} == {first.id, second.id}
    dataset.select(root, first.id)  # restore the earlier version
    assert Store(root).version == first.id


def test_damage_is_found_cheaply_at_open_and_fully_by_verify(tmp_path, versioned):
    root = _copy(versioned, tmp_path)
    vid = dataset.current_id(root)
    cases = root / "versions" / vid / "cases.parquet"
    data = bytearray(cases.read_bytes())
    data[100] ^= 0xFF  # same size, other content: only the full check sees it
    cases.write_bytes(bytes(data))
    assert dataset.cheap_problems(dataset.open_version(root)) == []
    assert any("checksum" in p for p in dataset.verify(dataset.open_version(root)))
    cases.write_bytes(bytes(data[:-10]))  # cut short: seen at open
    with pytest.raises(DataError) as err:
        Store(root)
    assert err.value.key == "error.version_damaged" and "cases.parquet" in err.value.params["detail"]
    manifest = root / "versions" / vid / "manifest.json"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('"synthetic": true', '"synthetic": false')
    )
    with pytest.raises(DataError, match="own hash"):
        dataset.open_version(root)


def test_a_changed_file_under_an_open_version_is_noticed(tmp_path, versioned):
    root = _copy(versioned, tmp_path)
    store = Store(root)
    assert store.intact()
    path = store.dataset.dir / "links.parquet"
    path.write_bytes(path.read_bytes())  # rewritten in place: new time
    assert not store.intact()


def test_files_replaced_in_a_flat_directory_never_mix_with_the_open_version(tmp_path):
    root = _copy(DEFAULT_DATA_DIR, tmp_path)
    store = Store(root)
    f = store.default_filters()
    before = queries.alliance_totals(store, f)
    cases = pd.read_parquet(root / "cases.parquet")
    cases[cases.clue_id.isna()].to_parquet(root / "cases.parquet")  # every alliance case gone
    assert dataset.current_id(root) != store.version  # the content is the version
    assert queries.alliance_totals(store, f) == before  # the open store reads its own snapshot
    (root / "cases.parquet").write_bytes(b"cut short")
    with pytest.raises(DataError):
        Store(root)
    assert queries.alliance_totals(store, f) == before


def test_products_plug_in_by_module_and_arrays_are_stored(tmp_path, demo_tables, monkeypatch):
    import numpy as np

    def degrees(tables: dataset.Tables):
        links = tables.frame("links", ["src_id"])
        return {"count": np.asarray([len(links)], dtype=np.int64)}

    extra = Product("link_count", "2", degrees)
    module = types.ModuleType("cloudsword.somefeature.products")
    module.PRODUCTS = (extra,)  # what a feature's products.py declares
    monkeypatch.setitem(sys.modules, module.__name__, module)
    found = [
        *pkgutil.walk_packages(cloudsword.__path__, "cloudsword."),
        pkgutil.ModuleInfo(None, module.__name__, False),
    ]
    monkeypatch.setattr(build.pkgutil, "walk_packages", lambda *a: iter(found))
    assert [p.name for p in build.products()][-1] == "link_count"
    build.write_version(tmp_path / "d", *demo_tables)
    arrays = Store(tmp_path / "d").product_arrays("link_count", "2")
    assert int(arrays["count"][0]) == demo_tables[0]["links"].num_rows


def test_every_registered_product_has_a_unique_name():
    names = [p.name for p in build.products()]
    assert names[0] == "monthly" and len(names) == len(set(names))


def test_row_checks_run_when_a_version_is_written_and_opening_reads_their_warnings(
    tmp_path, demo_tables, monkeypatch
):
    """Issue 13: the rules that read every row run once, as a version is written; opening it reads
    the warnings they found from its manifest (a page still shows them) and reads no row."""
    tables, manifest = demo_tables
    cases = tables["cases"].to_pandas()
    cases.loc[0, "opened_on"] = pd.Timestamp("1900-01-01").date()
    tables = {**tables, "cases": pa.Table.from_pandas(cases, schema=tables["cases"].schema)}
    root = tmp_path / "d"
    written = build.write_version(root, tables, manifest)
    stored = written.manifest["checks"]
    assert stored["rows_checked"] and [w["rule"] for w in stored["warnings"]] == ["outside_dataset"]

    def no_row_checks(*args, **kwargs):
        raise AssertionError("opening a written version read every row")

    monkeypatch.setattr("cloudsword.checks.check", no_row_checks)
    store = Store(root)
    (warning,) = store.warnings
    assert warning.rule == "outside_dataset" and warning.rows == 1 and "1900-01-01" in warning.first[0]
    (text,) = store.warnings_for("overview")
    assert text.key == "data.warning" and text.params["problem"].params["n"] == 1
    with pytest.raises(AssertionError):  # a flat dataset still gets every row checked
        Store(DEFAULT_DATA_DIR)
