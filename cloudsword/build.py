"""Writing a dataset version with its products: the one writer the generator and the import share.

Above the features: it collects every dataset-level product (`products()`): the ground floor's
monthly aggregate, and whatever a feature package declares in its own `products.py` module as a
`PRODUCTS` sequence of `cloudsword.dataset.Product` (the rings of the network feature, the graph
arrays...). A package adds a product by adding that module; nothing here changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from pathlib import Path

import pyarrow.parquet as pq

import cloudsword
from cloudsword import checks, dataset, monthly
from cloudsword.dataset import Product, TableData, Version
from cloudsword.schema import DATASET_TABLES, OPTIONAL_TRUTH
from cloudsword.store import Store


def products() -> list[Product]:
    """Every registered product: monthly first, then each `cloudsword.<package>.products.PRODUCTS`."""
    found = [monthly.PRODUCT]
    for mod in pkgutil.walk_packages(cloudsword.__path__, "cloudsword."):
        if mod.name.rsplit(".", 1)[-1] == "products":
            found += list(importlib.import_module(mod.name).PRODUCTS)
    names = [p.name for p in found]
    clash = {n for n in names if names.count(n) > 1}
    if clash:
        raise ValueError(f"products defined twice: {sorted(clash)}")
    return found


def write_version(
    root: Path | str,
    tables: Mapping[str, TableData],
    manifest: Mapping,
    attachments: Mapping[str, Path | bytes] | None = None,
    base: str | None = None,
    switch: bool = True,
) -> Version:
    """Write `tables` as a new version of the dataset at `root` with every product built from them,
    check every row (the store's checks, here and only here: opening the version later reads their
    warnings from its manifest), and make it current (see cloudsword.dataset.write). Raises
    DataError, writing nothing, when the check fails."""

    root = Path(root)
    if (root / dataset.MANIFEST).exists() and not dataset.is_versioned(root):
        flat = dataset.current_id(root)
        adopted = adopt(root)
        base = adopted.id if base == flat else base
    return dataset.write(
        root, tables, manifest, products(), attachments, base=base, switch=switch, check=_check
    )


def adopt(root: Path | str) -> Version:
    """A directory in the flat layout becomes a versioned dataset: its own files, as they are, are
    its first version (they stay where they are, unused from then on)."""
    root = Path(root)
    flat = dataset.open_version(root)
    try:
        tables = {
            n: pq.read_table(flat.dir / f"{n}.parquet")
            for n in (*DATASET_TABLES, *OPTIONAL_TRUTH)  # the products are built again
            if (flat.dir / f"{n}.parquet").exists()
        }
        manifest = {k: v for k, v in flat.manifest.items() if k != "version"}
    finally:
        dataset.release(flat)
    manifest["origin"] = {"kind": "adopted", "files": sorted(f"{n}.parquet" for n in tables)}
    return dataset.write(root, tables, manifest, products(), check=_check)


def _check(version: Version) -> dict:
    """The row checks of a version being written, on a bounded engine (it spills past the limit)."""
    return stored_checks(Store(opened=version, memory_limit=dataset.WRITER_MEMORY))


def stored_checks(store: Store) -> dict:
    """What a version keeps of the checks that read every row (run here, as it is written): the
    warnings a page shows. Opening the version reads them back instead of reading every row."""
    return {"rows_checked": True, "warnings": checks.to_record(store.warnings)}
