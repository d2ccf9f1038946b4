"""The store: DuckDB embedded over one version of a dataset's Parquet files, queried through Ibis.

Queries are Ibis expressions, not SQL strings, so a distributed engine can run them unchanged
and no user input is ever spliced into SQL. A store opens exactly one version (cloudsword.dataset):
its `version` is that version's content id, which keys every cache, and its files never change
while it is open. Opening checks the tables against the schema (every row for a dataset without
versions; a versioned one was checked when it was written and is checked by its checksums) and
reads `monthly`, the province x city x month x category x source aggregate that the map, overview
and trend queries read instead of the raw case table, from the version's stored products.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from cloudsword import dataset, geo
from cloudsword.errors import DataError
from cloudsword.filters import Filters, month_end, month_start
from cloudsword.monthly import PRODUCT as MONTHLY
from cloudsword.monthly import monthly_expr
from cloudsword.schema import DATASET_TABLES, OPTIONAL_TRUTH, PRODUCT_TABLES, TABLES, Table

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
_TRUTH = ("truth_effects", "truth_rings", *OPTIONAL_TRUTH)
_OPTIONAL = (*_TRUTH, *PRODUCT_TABLES)  # truth: generated data only; products: built when missing
_DUCK_TYPES = {
    "str": ("string",),
    "date": ("date", "timestamp"),
    "float": ("float", "int", "decimal"),
    "int": ("int",),
    "bool": ("boolean",),
}
# Metric -> column of `monthly` it sums.
METRIC_COLUMN = {"clues": "clues", "cases": "cases", "suspects": "suspects", "seizure": "seizure_cny"}


@dataclass(frozen=True)
class Manifest:
    """What the dataset says about itself (manifest.json)."""

    start: date
    end: date
    as_of: date
    synthetic: bool
    raw: dict

    @classmethod
    def read(cls, path: Path) -> Manifest:
        return cls.parse(dataset.read_manifest(path), path)

    @classmethod
    def parse(cls, raw: dict, path: Path) -> Manifest:
        try:
            return cls(
                date.fromisoformat(raw["start"]),
                date.fromisoformat(raw["end"]),
                date.fromisoformat(raw["as_of"]),
                bool(raw.get("synthetic", False)),
                raw,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise DataError("error.manifest", file=str(path), detail=f"{type(exc).__name__}: {exc}") from None


class Store:
    """One opened, validated dataset. Cheap to query, moderately costly to open (cache it)."""

    def __init__(
        self,
        data_dir: Path | str = DEFAULT_DATA_DIR,
        version: str | None = None,
        *,
        check_rows: bool | None = None,
        opened: dataset.Version | None = None,
    ):
        """Open `version` (default: the current one) of the dataset at `data_dir`, or an `opened`
        version (a writer checking what it is about to switch to). `check_rows` checks every row
        (default: only for a dataset without versions)."""
        self.dataset = opened or dataset.open_version(Path(data_dir), version)
        self.data_dir = self.dataset.root
        if opened is None:
            weakref.finalize(self, dataset.release, self.dataset)
        rows = self.dataset.legacy if check_rows is None else check_rows
        self.manifest = Manifest.parse(self.dataset.manifest, self.dataset.source_path(dataset.MANIFEST))
        self._lock = threading.Lock()
        self._memberships: pd.DataFrame | None = None
        self.con = ibis.duckdb.connect()
        self.con.create_table("provinces", ibis.memtable(geo.load_provinces()))
        self.con.create_table("cities", ibis.memtable(geo.load_cities()))
        for name in (*DATASET_TABLES, *OPTIONAL_TRUTH, *PRODUCT_TABLES):
            path = self.dataset.dir / f"{name}.parquet"
            if name in _OPTIONAL and not path.exists():
                continue  # truth: generated data only; a flat dataset's products: built when missing
            if not path.exists():
                raise DataError("error.data_missing", file=str(self._named(name)))
            try:
                self.con.read_parquet(path, table_name=name)
            except Exception as exc:  # duckdb raises IOException/InvalidInputException
                raise DataError(
                    "error.data_corrupt", file=str(self._named(name)), detail=str(exc).splitlines()[0]
                ) from None
        for name in ("provinces", "cities"):
            self._validate(TABLES[name], geo.GEO_DIR / f"{name}.csv")
        for name in (*DATASET_TABLES, *OPTIONAL_TRUTH, *PRODUCT_TABLES):
            if name in self.con.list_tables():
                # a versioned dataset's rows were checked when it was written (and its checksums
                # say they have not changed since): at open only the columns are checked
                self._validate(TABLES[name], self._named(name), rows=rows)
        stored = self.product_table(MONTHLY.name, MONTHLY.version)
        self.con.create_table("monthly", stored if stored is not None else self._monthly_expr())
        self.version = self.dataset.id

    def _named(self, table: str) -> Path:
        """A table's file as the user knows it (not the private snapshot of a flat dataset)."""
        return self.dataset.source_path(f"{table}.parquet")

    def intact(self) -> bool:
        """The version's files are as they were when it opened (cheap: sizes and times)."""
        return self.dataset.intact()

    # -- dataset-level products -------------------------------------------------------------
    def product_table(self, name: str, version: str) -> ir.Table | None:
        """A stored product table of this version (None when the version has none at `version`:
        the feature builds it itself)."""
        files = dataset.product_files(self.dataset, name, version)
        if not files or name not in files or files[name].suffix != ".parquet":
            return None
        table_name = f"product_{name}"
        with self._lock:
            if table_name not in self.con.list_tables():
                self.con.read_parquet(files[name], table_name=table_name)
            return self.con.table(table_name)

    def product_arrays(self, name: str, version: str) -> dict[str, np.ndarray] | None:
        """A stored product's arrays, memory-mapped read-only (None when not stored at `version`)."""
        files = dataset.product_files(self.dataset, name, version)
        if not files or any(p.suffix != ".npy" for p in files.values()):
            return None
        return {key: np.load(p, mmap_mode="r", allow_pickle=False) for key, p in files.items()}

    # -- checking -----------------------------------------------------------------------
    def _validate(self, table: Table, path: Path, rows: bool = True) -> None:
        """Types, then (with `rows`) nulls, allowed values, unique keys and references, in DuckDB."""
        t = self.con.table(table.name)
        schema = t.schema()
        problems: list[str] = []
        missing = [c.name for c in table.columns if c.name not in schema]
        if missing:
            problems.append("missing columns: " + ", ".join(missing))
        present = [c for c in table.columns if c.name in schema]
        for c in present:
            kind = str(schema[c.name]).lower().lstrip("!")
            if not kind.startswith(_DUCK_TYPES[c.dtype]):
                problems.append(f"column '{c.name}' should be {c.dtype}, is {kind}")
        if not problems and rows:
            aggs = {f"null_{c.name}": t[c.name].isnull().sum() for c in present if not c.nullable}
            aggs["rows"] = t.count()
            if table.key:
                aggs["keys"] = t.select(*table.key).distinct().count().as_scalar()
            counts = self.run(t.aggregate(**aggs)).iloc[0]
            problems += [
                f"column '{c.name}' has {int(counts[f'null_{c.name}'])} empty values"
                for c in present
                if not c.nullable and counts[f"null_{c.name}"]
            ]
            if table.key and counts["keys"] != counts["rows"]:
                problems.append(
                    f"{int(counts['rows'] - counts['keys'])} duplicate keys ({', '.join(table.key)})"
                )
            for c in present:
                if c.allowed is not None:
                    bad = self.run(t.filter(~t[c.name].isin(c.allowed)).select(c.name).distinct().limit(5))[
                        c.name
                    ]
                    if len(bad):
                        problems.append(
                            f"column '{c.name}' has values outside {list(c.allowed)}: {list(bad)}"
                        )
            for col, ref_table, ref_col in table.foreign_keys:
                if ref_table not in self.con.list_tables():
                    continue
                ref = self.con.table(ref_table)
                orphans = t.filter(t[col].notnull() & ~t[col].isin(ref[ref_col]))
                n = int(self.run(orphans.count()))
                if n:
                    problems.append(f"{n} rows whose {col} is not in {ref_table}.{ref_col}")
            if table.complete and table.complete[1] in self.con.list_tables():
                col, ref_table, ref_col = table.complete
                ref = self.con.table(ref_table)
                n = int(self.run(ref.filter(~ref[ref_col].isin(t[col])).count()))
                if n:
                    problems.append(f"{n} rows of {ref_table} have no row here (rebuild it from the data)")
        if problems:
            from cloudsword.schema import SchemaError

            err = SchemaError(table.name, problems, str(path))
            raise DataError(
                "error.schema", file=str(path), table=table.name, detail="; ".join(problems)
            ) from err

    def run(self, expr: ir.Expr) -> pd.DataFrame | pd.Series | object:
        """Execute an Ibis expression; the lock is there because one DuckDB connection serves
        every Streamlit session thread."""
        with self._lock:
            return self.con.execute(expr)

    # -- the monthly aggregate ------------------------------------------------------------
    def _monthly_expr(self) -> ir.Table:
        return monthly_expr(*(self.con.table(n) for n in ("cases", "clues", "entities")))

    # -- building blocks for feature modules (network, trends, map...) --------------------------
    def table(self, name: str) -> ir.Table:
        """A dataset table (or `monthly`, the aggregate) as an Ibis expression."""
        return self.con.table(name)

    def monthly(self, f: Filters, start: date | None = None, end: date | None = None) -> ir.Table:
        """The monthly aggregate cut to the view's months (or start..end), provinces and categories."""
        m = self.con.table("monthly")
        lo, hi = month_start(start or f.date_from), month_start(end or f.date_to)
        m = m.filter(m.month >= lo, m.month <= hi)
        if f.provinces:
            m = m.filter(m.province_adcode.isin(f.provinces))
        if f.categories:
            m = m.filter(m.category.isin(f.categories))
        return m

    def memberships(self) -> pd.DataFrame:
        """Members with names and join dates, oldest first (a copy: read once, it never changes)."""
        if self._memberships is None:
            self._memberships = self._read_memberships()
        return self._memberships.copy()

    def _read_memberships(self) -> pd.DataFrame:
        mem = self.run(self.con.table("memberships"))
        mem["joined_on"] = pd.to_datetime(mem["joined_on"]).dt.date
        names = geo.load_provinces()[["adcode", "name_zh", "name_en"]]
        mem = mem.merge(names, left_on="province_adcode", right_on="adcode", how="left").drop(
            columns="adcode"
        )
        return mem.sort_values(["joined_on", "province_adcode"]).reset_index(drop=True)

    def default_filters(self) -> Filters:
        """The whole data range, all provinces and categories."""
        return Filters(month_start(self.manifest.start), month_end(self.manifest.end))
