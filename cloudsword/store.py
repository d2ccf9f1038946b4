"""The store: DuckDB embedded over the dataset's Parquet files, queried through Ibis.

Queries are Ibis expressions, not SQL strings, so a distributed engine can run them unchanged
and no user input is ever spliced into SQL. Opening a dataset checks every table against the
schema and builds `monthly`, a province x city x month x category x source aggregate that the
map, overview and trend queries read instead of the raw case table.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd

from cloudsword import geo
from cloudsword.errors import DataError
from cloudsword.filters import Filters, month_end, month_start
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
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                date.fromisoformat(raw["start"]),
                date.fromisoformat(raw["end"]),
                date.fromisoformat(raw["as_of"]),
                bool(raw.get("synthetic", False)),
                raw,
            )
        except FileNotFoundError:
            raise DataError("error.data_missing", file=str(path)) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise DataError("error.manifest", file=str(path), detail=f"{type(exc).__name__}: {exc}") from None


def stamp(data_dir: Path | str) -> str:
    """Changes whenever the dataset is rewritten (the generator writes manifest.json last)."""
    try:
        return str((Path(data_dir) / "manifest.json").stat().st_mtime_ns)
    except OSError:
        return "missing"


class Store:
    """One opened, validated dataset. Cheap to query, moderately costly to open (cache it)."""

    def __init__(self, data_dir: Path | str = DEFAULT_DATA_DIR):
        self.data_dir = Path(data_dir)
        if not self.data_dir.is_dir():
            raise DataError("error.data_dir_missing", file=str(self.data_dir))
        self.manifest = Manifest.read(self.data_dir / "manifest.json")
        self._lock = threading.Lock()
        self._memberships: pd.DataFrame | None = None
        self.con = ibis.duckdb.connect()
        self.con.create_table("provinces", ibis.memtable(geo.load_provinces()))
        self.con.create_table("cities", ibis.memtable(geo.load_cities()))
        for name in (*DATASET_TABLES, *OPTIONAL_TRUTH, *PRODUCT_TABLES):
            path = self.data_dir / f"{name}.parquet"
            if name in _OPTIONAL and not path.exists():
                continue  # truth tables exist only for generated data; products are built when missing
            if not path.exists():
                raise DataError("error.data_missing", file=str(path))
            try:
                self.con.read_parquet(path, table_name=name)
            except Exception as exc:  # duckdb raises IOException/InvalidInputException
                raise DataError(
                    "error.data_corrupt", file=str(path), detail=str(exc).splitlines()[0]
                ) from None
        for name in ("provinces", "cities"):
            self._validate(TABLES[name], geo.GEO_DIR / f"{name}.csv")
        for name in (*DATASET_TABLES, *OPTIONAL_TRUTH, *PRODUCT_TABLES):
            if name in self.con.list_tables():
                self._validate(TABLES[name], self.data_dir / f"{name}.parquet")
        self.con.create_table("monthly", self._monthly_expr())
        self.version = f"{self.data_dir.resolve()}:{stamp(self.data_dir)}"

    # -- checking -----------------------------------------------------------------------
    def _validate(self, table: Table, path: Path) -> None:
        """Types, nulls, allowed values, unique keys and references, checked in DuckDB."""
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
        if not problems:
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
        cases, clues, entities = (self.con.table(n) for n in ("cases", "clues", "entities"))
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
