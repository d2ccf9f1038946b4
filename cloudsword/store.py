"""The store: DuckDB embedded over one version of a dataset's Parquet files, queried through Ibis.

Queries are Ibis expressions, not SQL strings, so a distributed engine can run them unchanged
and no user input is ever spliced into SQL. A store opens exactly one version (cloudsword.dataset):
its `version` is that version's content id, which keys every cache, and its files never change
while it is open. Opening a version checks every table's structure against the schema and reads
back the warnings its row-reading checks found when it was written (cloudsword.build); a flat
dataset, and a version being written, get every row checked here (cloudsword.checks). It reads
`monthly`, the province x city x month x category x source aggregate that the map, overview and
trend queries read instead of the raw case table, from the version's stored products (a flat
dataset without them gets it built at open).

The engine is DuckDB unless $CLOUDSWORD_ENGINE says spark (cloudsword.engine): the same Ibis
expressions run on either. Safe for concurrent use by design: one DuckDB database, and every
query in flight gets a connection of its own to it (a cursor, taken from a pool and given back).
The tables handed to queries are unbound Ibis tables built from the schemas read once at opening,
so no query ever asks a connection for a schema while another thread uses it.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
import pyarrow as pa

from cloudsword import checks, dataset, engine, geo, shelf
from cloudsword.errors import DataError, Message
from cloudsword.filters import Filters, month_end, month_start
from cloudsword.monthly import PRODUCT as MONTHLY
from cloudsword.monthly import monthly_expr
from cloudsword.schema import DATASET_TABLES, OPTIONAL_TRUTH, PRODUCT_TABLES, TABLES

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
_TRUTH = ("truth_effects", "truth_rings", *OPTIONAL_TRUTH)
_OPTIONAL = (*_TRUTH, *PRODUCT_TABLES)  # truth: generated data only; products: built when missing
_STORED = (*DATASET_TABLES, *OPTIONAL_TRUTH, *PRODUCT_TABLES)  # a flat dataset's products sit beside it
# Metric -> column of `monthly` it sums.
METRIC_COLUMN = {"clues": "clues", "cases": "cases", "suspects": "suspects", "seizure": "seizure_cny"}
# The pages each table's figures appear on: a warning about a table is shown on each of them.
AFFECTS = {
    "memberships": ("overview", "map", "trends", "present"),
    "cases": ("overview", "map", "trends", "network", "present"),
    "clues": ("overview", "map", "trends", "network", "present"),
    "entities": ("map", "network", "present"),
    "links": ("map", "network", "present"),
    "suspects": ("network", "present"),
}
log = logging.getLogger("cloudsword")


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
        """A flat dataset's manifest file, read and checked (scripts and benchmarks use it)."""
        name = dataset.display_name(path.parent)
        return cls.parse(dataset.read_manifest(path, name), name, path.name)

    @classmethod
    def parse(cls, raw: dict, dataset: str, file: str = "manifest.json") -> Manifest:
        """The dates a manifest must hold, each checked; `raw` is its JSON object."""

        def bad(detail: Message) -> DataError:
            return DataError("error.manifest", dataset=dataset, file=file, detail=detail)

        days = {}
        for name in ("start", "end", "as_of"):
            if name not in raw:
                raise bad(Message("manifest.field", field=name))
            try:
                days[name] = date.fromisoformat(str(raw[name]))
            except ValueError:
                raise bad(Message("manifest.date", field=name, value=str(raw[name])[:40])) from None
        if days["start"] > days["end"]:
            raise bad(Message("manifest.order", start=days["start"].isoformat(), end=days["end"].isoformat()))
        return cls(days["start"], days["end"], days["as_of"], bool(raw.get("synthetic", False)), raw)


class Store:
    """One opened, validated dataset. Cheap to query, moderately costly to open (cache it).

    `warnings` are the problems that do not stop the dataset from opening (rows dated outside its
    declared range, empty tables): `warnings_for(page)` gives those a page must show."""

    def __init__(
        self,
        data_dir: Path | str = DEFAULT_DATA_DIR,
        version: str | None = None,
        *,
        opened: dataset.Version | None = None,
        memory_limit: str | None = None,
    ):
        """Open `version` (default: the current one) of the dataset at `data_dir`, or an `opened`
        version (a writer checking what it is about to switch to); `memory_limit` bounds its
        embedded engine (engine.open_engine)."""
        self.dataset = opened or dataset.open_version(Path(data_dir), version)
        self.data_dir = self.dataset.root
        self.name = dataset.display_name(self.data_dir)
        if opened is None:
            weakref.finalize(self, dataset.release, self.dataset)
        self.manifest = Manifest.parse(self.dataset.manifest, self.name)
        self._shelf = shelf.products_for(self.dataset.id)  # a warehouse job's products ($CLOUDSWORD_PRODUCTS)
        self._memberships: pd.DataFrame | None = None
        # DuckDB or Spark: $CLOUDSWORD_ENGINE (cloudsword.engine)
        self.engine = engine.open_engine(memory_limit=memory_limit)
        self._schemas: dict[str, ibis.Schema] = {}
        self.engine.create("provinces", pa.Table.from_pandas(geo.load_provinces(), preserve_index=False))
        self.engine.create("cities", pa.Table.from_pandas(geo.load_cities(), preserve_index=False))
        with self._connection() as con:
            for name in ("provinces", "cities"):
                self._schemas[name] = con.table(name).schema()
        for name in _STORED:
            path = self.dataset.dir / f"{name}.parquet"
            if name in _OPTIONAL and not path.exists():
                continue  # truth: generated data only; a flat dataset's products: built when missing
            if not path.exists():
                raise DataError("error.data_missing", dataset=self.name, file=path.name)
            self._attach(name, path)
        checked = None if opened is not None or self.dataset.legacy else self.dataset.manifest.get("checks")
        self.warnings = self._check() if checked is None else self._stored_checks(checked)
        stored = self.product_table(MONTHLY.name, MONTHLY.version)
        self.engine.materialize("monthly", stored if stored is not None else self._monthly_expr())
        with self._connection() as con:
            self._schemas["monthly"] = con.table("monthly").schema()
        self.version = self.dataset.id

    def _attach(self, name: str, path: Path) -> None:
        """A view over a Parquet file, seen by every connection (ibis' read_parquet's is
        temporary); an unreadable or damaged file is named (never the server's path)."""
        try:
            first = min(path.glob("*.parquet"), default=path) if path.is_dir() else path  # a job's directory
            with first.open("rb") as fh:
                fh.read(1)
        except PermissionError:
            log.warning("no permission to read %s", path)
            raise DataError("error.data_unreadable", dataset=self.name, file=path.name) from None
        try:
            self.engine.attach(name, path)
        except Exception as exc:  # duckdb raises IOException/InvalidInputException, Spark its own
            log.warning("cannot read %s: %s", path, str(exc).splitlines()[0])
            raise DataError("error.data_corrupt", dataset=self.name, file=path.name) from None
        with self._connection() as con:
            self._schemas[name] = con.table(name).schema()

    def intact(self) -> bool:
        """The version's files are as they were when it opened (cheap: sizes and times)."""
        return self.dataset.intact()

    # -- dataset-level products -------------------------------------------------------------
    def product_table(self, name: str, version: str) -> ir.Table | None:
        """A stored product table of this version: the warehouse job's when $CLOUDSWORD_PRODUCTS
        holds it for this version (cloudsword.shelf), else the version's own (None when it has none
        at `version`: the feature builds it itself)."""
        table_name = f"product_{name}"
        on_shelf = self._shelf.get(name)
        if on_shelf is not None and on_shelf[0] == version:
            if table_name not in self._schemas:
                self._attach(table_name, on_shelf[1])
            return self.table(table_name)
        files = dataset.product_files(self.dataset, name, version)
        if not files or name not in files or files[name].suffix != ".parquet":
            return None
        if table_name not in self._schemas:
            self._attach(table_name, files[name])
        return self.table(table_name)

    def product_arrays(self, name: str, version: str) -> dict[str, np.ndarray] | None:
        """A stored product's arrays, memory-mapped read-only (None when not stored at `version`)."""
        files = dataset.product_files(self.dataset, name, version)
        if not files or any(p.suffix != ".npy" for p in files.values()):
            return None
        return {key: np.load(p, mmap_mode="r", allow_pickle=False) for key, p in files.items()}

    # -- checking -----------------------------------------------------------------------
    def _check(self) -> list[checks.Problem]:
        """Every table against its definition and domains; raises one DataError listing every
        error found (in every file), returns the warnings."""
        tables = {
            name: self.table(name) for name in ("provinces", "cities", *_STORED) if name in self._schemas
        }
        ctx = checks.Context(self.manifest.start, self.manifest.end, tables)
        found: list[checks.Problem] = []
        for name in ("provinces", "cities", *_STORED):
            if name in tables:
                found += checks.check(TABLES[name], tables[name], self.run, ctx)
        errors = checks.errors(found)
        if errors:
            messages = [p.message(self._file(p.table)) for p in errors]
            raise DataError("error.dataset_invalid", dataset=self.name, problems=messages)
        return checks.warnings(found)

    def _stored_checks(self, stored: dict) -> list[checks.Problem]:
        """A version written with its checks: the structure (schemas, read at open anyway) is checked
        again, the row-reading rules' warnings are read from the manifest (they ran when it was
        written, cloudsword.build)."""
        found = [p for n in _STORED if n in self._schemas for p in checks.structure(TABLES[n], self.table(n))]
        if found:
            messages = [p.message(self._file(p.table)) for p in found]
            raise DataError("error.dataset_invalid", dataset=self.name, problems=messages)
        return checks.from_record(stored.get("warnings", []))

    @staticmethod
    def _file(table: str) -> str:
        return f"{table}.csv" if table in ("provinces", "cities") else f"{table}.parquet"

    def warnings_for(self, page: str) -> list[Message]:
        """The dataset's warnings about the tables `page` shows."""
        return [
            Message("data.warning", dataset=self.name, problem=p.message(self._file(p.table)))
            for p in self.warnings
            if page in AFFECTS.get(p.table, ())
        ]

    # -- running queries ----------------------------------------------------------------
    @contextmanager
    def _connection(self) -> Iterator[ibis.BaseBackend]:
        """A connection to the engine for this caller alone (DuckDB: a cursor from the pool)."""
        with self.engine.connection() as con:
            yield con

    def run(self, expr: ir.Expr) -> pd.DataFrame | pd.Series | object:
        """Execute an Ibis expression on a connection of this call's own (any thread)."""
        return self.engine.execute(expr)

    # -- the monthly aggregate ------------------------------------------------------------
    def _monthly_expr(self) -> ir.Table:
        return monthly_expr(*(self.table(n) for n in ("cases", "clues", "entities")))

    # -- building blocks for feature modules (network, trends, map...) --------------------------
    def table(self, name: str) -> ir.Table:
        """A dataset table (or `monthly`, the aggregate) as an Ibis expression, for `run`. Unbound:
        its schema was read once at opening, so building a query asks no connection anything."""
        return ibis.table(self._schemas[name], name=name)

    def has(self, name: str) -> bool:
        """The dataset holds table `name` (the truth tables exist only for generated data)."""
        return name in self._schemas

    def monthly(self, f: Filters, start: date | None = None, end: date | None = None) -> ir.Table:
        """The monthly aggregate cut to the view's months (or start..end), provinces and categories."""
        m = self.table("monthly")
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
        mem = self.run(self.table("memberships"))
        mem["joined_on"] = pd.to_datetime(mem["joined_on"]).dt.date
        names = geo.load_provinces()[["adcode", "name_zh", "name_en"]]
        mem = mem.merge(names, left_on="province_adcode", right_on="adcode", how="left").drop(
            columns="adcode"
        )
        return mem.sort_values(["joined_on", "province_adcode"]).reset_index(drop=True)

    def default_filters(self) -> Filters:
        """The whole data range, all provinces and categories."""
        return Filters(month_start(self.manifest.start), month_end(self.manifest.end))
