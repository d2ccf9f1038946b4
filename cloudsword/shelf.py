"""Products a warehouse job built (cloudsword/warehouse.py), read in place of a version's own.

A warehouse keeps its tables far from the dashboard and builds the dataset-level products on Spark
(`python -m cloudsword warehouse --tables DIR --out SHELF`). Pointing `CLOUDSWORD_PRODUCTS` at
SHELF makes a store read `monthly`, `rings` and `graph_hubs` from there instead of the version's
own files (or building them). The job records which tables it read (`source`: a version's id, the
hash of its tables' checksums), and a store uses the shelf only for that version and only at the
product versions it knows: products built from other tables are never shown beside these.
Ground floor.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path

from cloudsword import dataset
from cloudsword.schema import DATASET_TABLES, OPTIONAL_TRUTH

ENV = "CLOUDSWORD_PRODUCTS"
RECORD = "products.json"
log = logging.getLogger(__name__)


def source_id(tables: Path | str) -> str:
    """The id of the tables at `tables`: a version's own id when it is a version's directory (read
    from its manifest), else the same hash computed from the Parquet files there."""
    tables = Path(tables)
    manifest = tables / dataset.MANIFEST
    if manifest.exists():
        entries = json.loads(manifest.read_text("utf-8")).get("tables", {})
        if entries:
            return dataset.content_id({n: t["sha256"] for n, t in entries.items()})
    sums = {
        n: dataset.checksum(tables / f"{n}.parquet")
        for n in (*DATASET_TABLES, *OPTIONAL_TRUTH)
        if (tables / f"{n}.parquet").exists()
    }
    return dataset.content_id(sums)


def products_for(version_id: str, environ: Mapping[str, str] | None = None) -> dict[str, tuple[str, Path]]:
    """{product: (its version, its Parquet directory)} on the shelf named by $CLOUDSWORD_PRODUCTS,
    when the shelf was built from the tables of `version_id`; else nothing (logged, not raised: the
    version's own products serve)."""
    where = (os.environ if environ is None else environ).get(ENV, "").strip()
    if not where:
        return {}
    try:
        record = json.loads((Path(where) / RECORD).read_text("utf-8"))
        if record.get("source") != version_id:
            log.warning("%s: built from other tables than version %s; not used", RECORD, version_id[:12])
            return {}
        entries = record.get("products", {}).items()
        found = {name: (str(p["version"]), Path(where) / p["path"]) for name, p in entries}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("%s at %s unreadable (%s); not used", RECORD, where, type(exc).__name__)
        return {}
    # a product is a directory of the shelf itself, nothing a record could point elsewhere
    return {
        n: e
        for n, e in found.items()
        if e[1].parent == Path(where) and e[1].name not in ("", ".", "..") and e[1].is_dir()
    }
