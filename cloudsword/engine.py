"""The engine that runs the store's Ibis queries: DuckDB embedded (the default) or Apache Spark.

The pages build Ibis expressions over unbound tables named like the dataset's tables; an engine
makes those names mean something (views over a version's Parquet files) and executes the
expressions. No page knows which engine runs: the choice is configuration.

    CLOUDSWORD_ENGINE=duckdb|spark       which engine (default duckdb)
    CLOUDSWORD_SPARK_MASTER=local[2]     Spark's master URL (spark://host:7077, yarn, k8s://...)
    CLOUDSWORD_SPARK_CONF="k=v;k=v"      further Spark settings (executor memory, warehouse...)

DuckDB: one in-memory database, a connection (cursor) per query in flight. Spark: one
SparkSession per process (Spark allows one SparkContext), and a session of its own per store
(`newSession`: temporary views are per store, the cluster is shared), so two datasets open side
by side never see each other's tables. A local Spark binds to 127.0.0.1 only.
Ground floor: knows no table and no feature.
"""

from __future__ import annotations

import os
import queue
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import sqlglot as sg
import sqlglot.expressions as sge

ENGINES = ("duckdb", "spark")
LOCAL_SPARK = {
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.ansi.enabled": "false",
}


class Engine(Protocol):
    """What the store needs of an engine."""

    name: str

    def attach(self, name: str, path: Path) -> None:
        """A view `name` over a Parquet file (raises the engine's own error when it is unreadable)."""

    def create(self, name: str, table: pa.Table) -> None:
        """A small table held in the engine (the reference geography)."""

    def materialize(self, name: str, expr: ir.Table) -> None:
        """`expr` computed once and kept as table `name` (the monthly aggregate)."""

    def execute(self, expr: ir.Expr) -> object:
        """The expression's result as Ibis' `execute` gives it (a pandas frame, series or scalar)."""

    @contextmanager
    def connection(self) -> Iterator[ibis.BaseBackend]:
        """An Ibis backend for this caller alone while it runs a query."""


def configured() -> str:
    """The engine named by $CLOUDSWORD_ENGINE (default duckdb); anything else is refused."""
    name = (os.environ.get("CLOUDSWORD_ENGINE") or "duckdb").strip().lower()
    if name not in ENGINES:
        from cloudsword.errors import ConfigError

        raise ConfigError("error.engine", engine=name[:40], engines=", ".join(ENGINES))
    return name


def open_engine(name: str | None = None, memory_limit: str | None = None) -> Engine:
    """A fresh engine of the configured kind, for one store; `memory_limit` bounds an embedded
    DuckDB (a writer checking 1e8 rows, beside its own arrays), which then spills to disk."""
    name = name or configured()
    return SparkEngine() if name == "spark" else DuckDBEngine(memory_limit)


class DuckDBEngine:
    """DuckDB in memory: views over the Parquet files, a cursor per query in flight."""

    name = "duckdb"

    def __init__(self, memory_limit: str | None = None) -> None:
        import duckdb

        config = {}
        if memory_limit:
            spill = Path(tempfile.gettempdir()) / "cloudsword-spill"
            config = {"memory_limit": memory_limit, "temp_directory": str(spill)}
        self.db = duckdb.connect(":memory:", config=config)
        self._pool: queue.SimpleQueue = queue.SimpleQueue()
        self._compiled: dict[object, _Plan] = {}  # expression (its op) -> what running it needs

    def attach(self, name: str, path: Path) -> None:
        # a view seen by every cursor (ibis' read_parquet makes a temporary one); a directory is
        # a Parquet dataset as Spark writes one (a warehouse job's product: cloudsword.shelf)
        where = str(path / "*.parquet") if path.is_dir() else str(path)
        view = sge.Create(
            this=sg.to_identifier(name, quoted=True),
            kind="VIEW",
            expression=sg.select("*").from_(sg.func("read_parquet", sge.convert(where))),
        )
        self.db.execute(view.sql("duckdb"))

    def create(self, name: str, table: pa.Table) -> None:
        with self.connection() as con:
            con.create_table(name, ibis.memtable(table))

    def materialize(self, name: str, expr: ir.Table) -> None:
        with self.connection() as con:
            con.create_table(name, expr)

    def execute(self, expr: ir.Expr) -> object:
        """Ibis' DuckDB `execute`, with what Ibis works out for each expression worked out once: a
        page sends the same few expressions on every rerun, and compiling one (Ibis' rewrites,
        then sqlglot) took 15 ms beside a 3-10 ms query on the monthly aggregate; walking it for
        in-memory tables and the pandas types of its columns, a millisecond more; DuckDB parsing
        and binding its SQL again, a third of a millisecond of a 1 ms query
        (bench/bench_engines.py)."""
        with self._cursor() as cur:
            plan = self._plan(cur.con, expr)
            if plan.hooks:  # in-memory tables a query joins, registered per cursor: bound afresh
                cur.con._run_pre_execute_hooks(expr)
                table = cur.con.con.sql(plan.sql).to_arrow_table()
            else:
                table = cur.relation(plan.sql).to_arrow_table()
        return duckdb_frame(expr, table, plan.dtypes, plan.columns)

    def _plan(self, con: ibis.BaseBackend, expr: ir.Expr) -> _Plan:
        return _Plan.kept(self._compiled, con, expr)

    @contextmanager
    def _cursor(self) -> Iterator[_Cursor]:
        try:
            cur = self._pool.get_nowait()
        except queue.Empty:
            cur = _Cursor(ibis.duckdb.from_connection(self.db.cursor()))
        try:
            yield cur
        finally:
            self._pool.put(cur)

    @contextmanager
    def connection(self) -> Iterator[ibis.BaseBackend]:
        with self._cursor() as cur:
            yield cur.con


_COMPILED_KEPT = 2048  # distinct expressions whose plan is kept (then forgotten all at once)


class _Cursor:
    """One DuckDB cursor of the pool, used by one query at a time, with the relations it has
    bound: a relation run again reads the tables afresh but skips parsing and binding its SQL."""

    def __init__(self, con: ibis.BaseBackend) -> None:
        self.con = con
        self._relations: dict[str, object] = {}

    def relation(self, sql: str):
        rel = self._relations.get(sql)
        if rel is None:
            if len(self._relations) >= _COMPILED_KEPT:
                self._relations.clear()
            rel = self._relations[sql] = self.con.con.sql(sql)
        return rel


@dataclass(frozen=True)
class _Plan:
    """What running one expression needs, worked out once: its SQL in the engine's dialect,
    whether Ibis' hooks have anything to do (in-memory tables to register, UDFs, geometry, a table
    read from a stream: never for a query on the store's own tables), and, for DuckDB's frames,
    its columns' pandas types and labels (Spark's results take Ibis' own conversion)."""

    sql: str
    hooks: bool
    dtypes: tuple | None  # (name, ibis type, pandas type) per column; None: not a table
    columns: object = None  # the frame's column labels (a pandas Index), made once

    @classmethod
    def kept(cls, plans: dict, con: ibis.BaseBackend, expr: ir.Expr) -> _Plan:
        """The plan `plans` keeps for `expr`, made and kept on its first run."""
        key = expr.op()  # structural: equal expressions built again hash and compare equal
        plan = plans.get(key)
        if plan is None:
            plan = cls.of(con, expr)
            if len(plans) >= _COMPILED_KEPT:
                plans.clear()
            plans[key] = plan
        return plan

    @classmethod
    def of(cls, con: ibis.BaseBackend, expr: ir.Expr) -> _Plan:
        from ibis.expr import operations as ops

        op = expr.op()
        special = (ops.ScalarUDF, ops.AggUDF, ops.GeoSpatialUnOp, ops.GeoSpatialBinOp)
        tables = op.find(ops.PhysicalTable)
        hooks = bool(op.find(special)) or not all(isinstance(t, ops.UnboundTable) for t in tables)
        if not isinstance(expr, ir.Table):
            return cls(con.compile(expr.as_table()), hooks, None)
        import pandas as pd

        dtypes = _pandas_types(expr)
        return cls(con.compile(expr), hooks, dtypes, pd.Index([name for name, *_ in dtypes]))


def _pandas_types(expr: ir.Table) -> tuple:
    """(name, ibis type, pandas type) of each column, as Ibis' pandas conversion types them."""
    from ibis.formats.pandas import PandasType

    return tuple((n, t, PandasType.from_ibis(t)) for n, t in expr.schema().items())


def duckdb_frame(expr: ir.Expr, table: pa.Table, dtypes: tuple | None = None, columns=None) -> object:
    """A DuckDB result as Ibis' DuckDB `execute` gives it (ibis 12). A table of numbers (sums
    DuckDB returns as 128-bit integers included), flags, text and dates without nulls (what the
    pages' queries return) goes through Arrow's own conversion: Ibis converts each column twice
    in Python, which cost more than the query. Any other result takes Ibis' steps
    (tests/core/test_engine_frames.py holds both to Ibis)."""
    import pandas as pd

    fast = _fast_frame(expr, table, dtypes, columns)
    if fast is not None:
        return fast
    import pyarrow.types as pat
    from ibis.backends.duckdb.converter import DuckDBPandasData

    df = pd.DataFrame(
        {
            name: (
                col.to_pylist()
                if pat.is_nested(col.type) or pat.is_dictionary(col.type) or col.null_count
                else col.to_pandas()
            )
            for name, col in zip(table.column_names, table.columns)
        }
    )
    df = DuckDBPandasData.convert_table(df, expr.as_table().schema())
    return expr.__pandas_result__(df)


def _fast_frame(expr: ir.Expr, table: pa.Table, dtypes: tuple | None = None, columns=None):
    """The frame Ibis would give, built from numpy views (numbers, flags, dates) and Arrow's
    string conversion, or None for anything else (then Ibis converts). `dtypes`: the columns'
    (name, ibis type, pandas type), and `columns` their labels, as _Plan keeps them."""
    import pandas as pd
    import pyarrow.types as pat

    if not isinstance(expr, ir.Table) or not table.num_columns:
        return None
    arrays = []
    dtypes = dtypes if dtypes is not None else _pandas_types(expr)
    for (_, dtype, want), col in zip(dtypes, table.columns):
        if col.null_count:
            return None
        t = col.type
        if pat.is_decimal(t) and t.scale == 0 and dtype.is_integer():  # DuckDB's sums: HUGEINT
            try:
                col, t = col.cast(pa.int64()), pa.int64()  # safe: a sum past int64 raises, Ibis decides
            except pa.ArrowInvalid:
                return None
        if (dtype.is_integer() or dtype.is_floating() or dtype.is_boolean()) and (
            pat.is_integer(t) or pat.is_floating(t) or pat.is_boolean(t)
        ):
            values = col.to_numpy()
        elif dtype.is_date() and pat.is_date32(t):
            values = col.to_numpy()  # datetime64[D]
        elif dtype.is_string() and (pat.is_string(t) or pat.is_large_string(t)):
            values = col.to_pandas().array
        else:
            return None
        arrays.append(values if values.dtype == want else values.astype(want))
    columns = columns if columns is not None else pd.Index(table.column_names)
    # pandas' own constructor from typed arrays (pinned pandas): checking them again and labelling
    # the columns through a dict took 0.2-0.4 ms, as long as the whole of a 1 ms query
    return pd.DataFrame._from_arrays(
        arrays, columns=columns, index=pd.RangeIndex(table.num_rows), verify_integrity=False
    )


_SPARK_LOCK = threading.Lock()
_SPARK = None


def spark_settings(environ: Mapping[str, str] | None = None) -> tuple[str, dict[str, str]]:
    """(master, settings) from the environment: a local master gets LOCAL_SPARK (127.0.0.1 only,
    no web UI); CLOUDSWORD_SPARK_CONF adds or overrides settings."""
    env = os.environ if environ is None else environ
    master = env.get("CLOUDSWORD_SPARK_MASTER") or "local[2]"
    conf = dict(LOCAL_SPARK) if master.startswith("local") else {"spark.sql.session.timeZone": "UTC"}
    for item in (env.get("CLOUDSWORD_SPARK_CONF") or "").split(";"):
        if "=" in item:
            key, value = item.split("=", 1)
            conf[key.strip()] = value.strip()
    return master, conf


def spark_session():
    """The process's SparkSession, started on first use with `spark_settings()`."""
    global _SPARK
    with _SPARK_LOCK:
        if _SPARK is None:
            from pyspark.sql import SparkSession

            master, conf = spark_settings()
            if master.startswith("local"):  # Python workers: this interpreter, this project
                os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
                os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
                root = str(Path(__file__).resolve().parent.parent)
                paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
                os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys([root, *paths]))
            builder = SparkSession.builder.master(master).appName("cloudsword")
            for key, value in conf.items():
                builder = builder.config(key, value)
            _SPARK = builder.getOrCreate()
            _SPARK.sparkContext.setLogLevel("ERROR")
        return _SPARK


class SparkEngine:
    """Spark SQL through Ibis' PySpark backend: temporary views over the Parquet files (or the
    warehouse's tables), in a session of this store's own."""

    name = "spark"

    def __init__(self, session=None) -> None:
        self.session = (session or spark_session()).newSession()
        self.con = ibis.pyspark.connect(self.session)
        self._compiled: dict[object, _Plan] = {}  # expression (its op) -> its plan, as on DuckDB

    def attach(self, name: str, path: Path) -> None:
        self.session.read.parquet(str(path)).createOrReplaceTempView(name)

    def create(self, name: str, table: pa.Table) -> None:
        self.session.createDataFrame(table).createOrReplaceTempView(name)

    def materialize(self, name: str, expr: ir.Table) -> None:
        sql = self.con.compile(expr)
        self.session.sql(sql).cache().createOrReplaceTempView(name)

    def execute(self, expr: ir.Expr) -> object:
        """Ibis' PySpark `execute` with each expression's SQL compiled once, as on DuckDB."""
        from ibis.backends.pyspark.converter import PySparkPandasData

        plan = _Plan.kept(self._compiled, self.con, expr)
        if plan.hooks:
            self.con._run_pre_execute_hooks(expr)
        df = self.session.sql(plan.sql).toPandas()
        return expr.__pandas_result__(PySparkPandasData.convert_table(df, expr.as_table().schema()))

    @contextmanager
    def connection(self) -> Iterator[ibis.BaseBackend]:
        yield self.con  # a SparkSession takes queries from many threads
