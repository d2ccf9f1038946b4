"""The store: DuckDB embedded over the dataset's Parquet files, queried through Ibis.

Queries are Ibis expressions, not SQL strings, so a distributed engine can run them unchanged
and no user input is ever spliced into SQL. Opening a dataset checks every table against the
schema and its domains (cloudsword.checks) and builds `monthly`, a province x city x month x
category x source aggregate that the map, overview and trend queries read instead of the raw
case table.

Safe for concurrent use by design: one DuckDB database, and every query in flight gets a
connection of its own to it (a cursor, taken from a pool and given back). The tables handed to
queries are unbound Ibis tables built from the schemas read once at opening, so no query ever
asks a connection for a schema while another thread uses it.
"""

from __future__ import annotations

import json
import logging
import os
import queue
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import ibis
import ibis.expr.types as ir
import pandas as pd
import sqlglot as sg
import sqlglot.expressions as sge

from cloudsword import checks, geo
from cloudsword.errors import DataError, Message
from cloudsword.filters import Filters, month_end, month_start
from cloudsword.schema import DATASET_TABLES, TABLES

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
_TRUTH = ("truth_effects", "truth_rings")
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


def _read(path: Path, dataset: str) -> bytes:
    """A file's bytes; a file the server may not read is named (never the server's path)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError("error.data_missing", dataset=dataset, file=path.name) from None
    except PermissionError:
        log.warning("no permission to read %s", path)
        raise DataError("error.data_unreadable", dataset=dataset, file=path.name) from None


@dataclass(frozen=True)
class Manifest:
    """What the dataset says about itself (manifest.json)."""

    start: date
    end: date
    as_of: date
    synthetic: bool
    raw: dict

    @classmethod
    def read(cls, path: Path, dataset: str = "") -> Manifest:
        dataset = dataset or path.parent.name

        def bad(detail: Message) -> DataError:
            return DataError("error.manifest", dataset=dataset, file=path.name, detail=detail)

        data = _read(path, dataset)
        if not data.strip():
            raise bad(Message("manifest.empty"))
        try:
            raw = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise bad(Message("manifest.not_text")) from None
        except json.JSONDecodeError as exc:
            raise bad(Message("manifest.not_json", line=exc.lineno, col=exc.colno)) from None
        except RecursionError:
            raise bad(Message("manifest.not_object")) from None
        if not isinstance(raw, dict):
            raise bad(Message("manifest.not_object"))
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


def stamp(data_dir: Path | str) -> str:
    """Changes whenever the dataset is rewritten (the generator writes manifest.json last)."""
    try:
        return str((Path(data_dir) / "manifest.json").stat().st_mtime_ns)
    except OSError:
        return "missing"


class Store:
    """One opened, validated dataset. Cheap to query, moderately costly to open (cache it).

    `warnings` are the problems that do not stop the dataset from opening (rows dated outside its
    declared range, empty tables): `warnings_for(page)` gives those a page must show."""

    def __init__(self, data_dir: Path | str = DEFAULT_DATA_DIR):
        self.data_dir = Path(data_dir)
        self.name = self.data_dir.name or str(self.data_dir)
        if not self.data_dir.is_dir():
            raise DataError("error.data_dir_missing", dataset=self.name)
        if not os.access(self.data_dir, os.R_OK | os.X_OK):
            raise DataError("error.dataset_unreadable", dataset=self.name)
        self.manifest = Manifest.read(self.data_dir / "manifest.json", self.name)
        self._memberships: pd.DataFrame | None = None
        self._db = duckdb.connect(":memory:")
        self._pool: queue.SimpleQueue = queue.SimpleQueue()
        with self._connection() as con:
            con.create_table("provinces", ibis.memtable(geo.load_provinces()))
            con.create_table("cities", ibis.memtable(geo.load_cities()))
            for name in DATASET_TABLES:
                self._attach(name)
            self._schemas = {name: con.table(name).schema() for name in con.list_tables()}
        self.warnings = self._check()
        with self._connection() as con:
            con.create_table("monthly", self._monthly_expr())
            self._schemas["monthly"] = con.table("monthly").schema()
        self.version = f"{self.data_dir.resolve()}:{stamp(self.data_dir)}"

    def _attach(self, name: str) -> None:
        """A view over the table's Parquet file; an unreadable or damaged file is named."""
        path = self.data_dir / f"{name}.parquet"
        if name in _TRUTH and not path.exists():
            return  # truth tables exist only for generated data
        if not path.exists():
            raise DataError("error.data_missing", dataset=self.name, file=path.name)
        try:
            with path.open("rb") as fh:
                fh.read(1)
        except PermissionError:
            log.warning("no permission to read %s", path)
            raise DataError("error.data_unreadable", dataset=self.name, file=path.name) from None
        view = sge.Create(
            this=sg.to_identifier(name, quoted=True),
            kind="VIEW",
            expression=sg.select("*").from_(sg.func("read_parquet", sge.convert(str(path)))),
        )
        try:  # a view in the database, seen by every connection (ibis' read_parquet's is temporary)
            self._db.execute(view.sql("duckdb"))
        except Exception as exc:  # duckdb raises IOException/InvalidInputException
            log.warning("cannot read %s: %s", path, str(exc).splitlines()[0])
            raise DataError("error.data_corrupt", dataset=self.name, file=path.name) from None

    # -- checking -----------------------------------------------------------------------
    def _check(self) -> list[checks.Problem]:
        """Every table against its definition and domains; raises one DataError listing every
        error found (in every file), returns the warnings."""
        tables = {name: self.table(name) for name in self._schemas}
        ctx = checks.Context(self.manifest.start, self.manifest.end, tables)
        found: list[checks.Problem] = []
        for name in ("provinces", "cities", *DATASET_TABLES):
            if name in tables:
                found += checks.check(TABLES[name], tables[name], self.run, ctx)
        errors = checks.errors(found)
        if errors:
            messages = [p.message(self._file(p.table)) for p in errors]
            raise DataError("error.dataset_invalid", dataset=self.name, problems=messages)
        return checks.warnings(found)

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
        """A connection to the one database for this caller alone: from the pool, else new."""
        try:
            con = self._pool.get_nowait()
        except queue.Empty:
            con = ibis.duckdb.from_connection(self._db.cursor())
        try:
            yield con
        finally:
            self._pool.put(con)

    def run(self, expr: ir.Expr) -> pd.DataFrame | pd.Series | object:
        """Execute an Ibis expression on a connection of this call's own (any thread)."""
        with self._connection() as con:
            return con.execute(expr)

    # -- the monthly aggregate ------------------------------------------------------------
    def _monthly_expr(self) -> ir.Table:
        cases, clues, entities = (self.table(n) for n in ("cases", "clues", "entities"))
        c = cases.mutate(month=cases.opened_on.cast("date").truncate("M"), alliance=cases.clue_id.notnull())
        by_case = c.group_by(["province_adcode", "city_adcode", "month", "category", "alliance"]).aggregate(
            cases=c.count(),
            suspects=c.suspects_caught.sum(),
            seizure_cny=c.seizure_cny.sum(),
            facilities_closed=c.facilities_closed.sum(),
            cases_with_suspects=(c.suspects_caught > 0).sum(),
            cases_with_seizure=((c.suspects_caught > 0) & (c.seizure_cny > 0)).sum(),
        )
        became_case = cases.filter(cases.clue_id.notnull()).select("clue_id").distinct()
        k = clues.left_join(entities.select("entity_id", "city_adcode", "province_adcode"), "entity_id")
        k = k.mutate(
            # the clue sits in the city of its target when that lies in the receiving province
            city_adcode=ibis.ifelse(k.province_adcode == k.handed_to, k.city_adcode, ibis.null("string")),
            month=k.issued_on.cast("date").truncate("M"),
            with_case=k.clue_id.isin(became_case.clue_id),
        )
        by_clue = (
            k.group_by([k.handed_to.name("province_adcode"), "city_adcode", "month", "category"])
            .aggregate(clues=k.count(), clues_with_case=k.with_case.sum())
            .mutate(alliance=ibis.literal(True))
        )
        keys = ["province_adcode", "city_adcode", "month", "category", "alliance"]
        joined = by_case.outer_join(by_clue, keys)
        cols = {key: ibis.coalesce(joined[key], joined[f"{key}_right"]) for key in keys}
        zero = {
            n: joined[n].fill_null(0)
            for n in (
                "cases",
                "suspects",
                "seizure_cny",
                "facilities_closed",
                "cases_with_suspects",
                "cases_with_seizure",
                "clues",
                "clues_with_case",
            )
        }
        return joined.select(**cols, **zero).mutate(
            cases=lambda t: t.cases.cast("int64"),
            suspects=lambda t: t.suspects.cast("int64"),
            clues=lambda t: t.clues.cast("int64"),
        )

    # -- building blocks for feature modules (network, trends, map...) --------------------------
    def table(self, name: str) -> ir.Table:
        """A dataset table (or `monthly`, the aggregate) as an Ibis expression, for `run`. Unbound:
        its schema was read once at opening, so building a query asks no connection anything."""
        return ibis.table(self._schemas[name], name=name)

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
