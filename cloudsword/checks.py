"""A table against its definition (cloudsword.schema): structure, empty values, domains, keys,
references and cross-column rules.

The checks are Ibis expressions, so the same definitions run inside the store's DuckDB when a
dataset opens (`check`) and on a pandas frame an importer has just read (`check_frame`). Each
broken rule is one `Problem` naming the table, column, rule, the number of rows and the first of
them; its `message()` is translated where it is shown. Rows dated outside the dataset's declared
range are a warning (the figures leave them out and say so); everything else is an error.
Ground floor: knows the schema, no feature.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import ibis
import ibis.expr.types as ir
import pandas as pd

from cloudsword.errors import Message
from cloudsword.schema import TABLES, Column, InProvince, Ordered, Table

# Logical type -> the DuckDB/Ibis type names that carry it.
TYPES = {
    "str": ("string",),
    "date": ("date", "timestamp"),
    "float": ("float", "int", "decimal"),
    "int": ("int",),
    "bool": ("boolean",),
}
FIRST_ROWS = 3  # rows quoted in a message
ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    """One rule broken in one table: `rows` rows (0 for a structural problem), the first quoted
    in `first` ("case_id=K1, seizure_cny=nan"). `params` fill the rule's message."""

    table: str
    rule: str
    column: str
    rows: int = 0
    first: tuple[str, ...] = ()
    params: Mapping[str, object] = field(default_factory=dict)
    severity: str = ERROR

    def message(self, file: str = "") -> Message:
        """The problem as a translatable message (`check.<rule>`), with its first rows."""
        key = f"check.{self.rule}" + (f".{self.table}" if self.rule == "no_rows" else "")
        return Message(
            key,
            table=self.table,
            file=file or f"{self.table}.parquet",
            column=self.column,
            n=self.rows,
            count=Message("count.rows.one" if self.rows == 1 else "count.rows", n=f"{self.rows:,}"),
            count_of=Message("count.of.one" if self.rows == 1 else "count.of", n=f"{self.rows:,}"),
            rows="; ".join(self.first),
            **self.params,
        )


@dataclass(frozen=True)
class Context:
    """What the rules compare against: the dataset's declared range (manifest start..end) and the
    tables that references and place rules look up, by name."""

    start: date | None = None
    end: date | None = None
    tables: Mapping[str, ir.Table] = field(default_factory=dict)


Run = Callable[[ir.Expr], object]


def structure(table: Table, t: ir.Table) -> list[Problem]:
    """Missing columns and columns of the wrong type (nothing else is checked until these pass)."""
    schema = t.schema()
    missing = [c.name for c in table.columns if c.name not in schema]
    out = [Problem(table.name, "missing_columns", ", ".join(missing))] if missing else []
    for c in table.columns:
        if c.name in schema:
            kind = str(schema[c.name]).lower().lstrip("!")
            if not kind.startswith(TYPES[c.dtype]):
                out.append(
                    Problem(
                        table.name,
                        "type",
                        c.name,
                        params={"expected": Message(f"dtype.{c.dtype}"), "actual": kind},
                    )
                )
    return out


@dataclass(frozen=True)
class _Rule:
    rule: str
    column: str
    broken: ir.BooleanValue  # true on a row that breaks the rule
    shown: tuple[str, ...]  # columns quoted from the first such rows
    params: Mapping[str, object] = field(default_factory=dict)
    severity: str = ERROR


def _number(x: float) -> str:
    return f"{x:g}"


def _column_rules(table: Table, t: ir.Table, c: Column, ctx: Context) -> list[_Rule]:
    col, key, out = t[c.name], list(table.key), []
    shown = tuple(dict.fromkeys([*key, c.name]))
    is_float = c.dtype == "float"
    known = col.notnull() & ~col.isnan() if is_float else col.notnull()
    if not c.nullable:
        out.append(_Rule("empty", c.name, ~known, shown))
    if is_float:
        out.append(_Rule("not_finite", c.name, known & col.isinf(), shown))
    if c.minimum is not None:
        out.append(_Rule("below", c.name, known & (col < c.minimum), shown, {"limit": _number(c.minimum)}))
    if c.maximum is not None:
        out.append(_Rule("above", c.name, known & (col > c.maximum), shown, {"limit": _number(c.maximum)}))
    if c.allowed is not None:
        allowed = ", ".join(c.allowed)
        out.append(_Rule("not_allowed", c.name, known & ~col.isin(c.allowed), shown, {"allowed": allowed}))
    if c.in_dataset and ctx.start is not None and ctx.end is not None:
        day = col.cast("date")
        outside = known & ((day < ctx.start) | (day > ctx.end))
        span = {"start": ctx.start.isoformat(), "end": ctx.end.isoformat()}
        out.append(_Rule("outside_dataset", c.name, outside, shown, span, WARNING))
    return out


def _table_rules(table: Table, t: ir.Table, ctx: Context) -> list[_Rule]:
    key, out = list(table.key), []
    for col, ref_name, ref_col in table.foreign_keys:
        ref = ctx.tables.get(ref_name)
        if ref is not None:
            broken = t[col].notnull() & ~t[col].isin(ref[ref_col])
            shown = tuple(dict.fromkeys([*key, col]))
            out.append(_Rule("reference", col, broken, shown, {"ref": f"{ref_name}.{ref_col}"}))
    for rule in table.rules:
        if isinstance(rule, Ordered):
            a, b = t[rule.first], t[rule.last]
            shown = tuple(dict.fromkeys([*key, rule.first, rule.last]))
            params = {"first": rule.first, "last": rule.last}
            out.append(_Rule("ordered", rule.last, a.notnull() & b.notnull() & (b < a), shown, params))
        elif isinstance(rule, InProvince) and "cities" in ctx.tables:
            cities = ctx.tables["cities"]
            pair = t[rule.city].concat("|", t[rule.province])
            known_pairs = cities.adcode.concat("|", cities.province_adcode)
            broken = t[rule.city].isin(cities.adcode) & ~pair.isin(known_pairs)
            shown = tuple(dict.fromkeys([*key, rule.city, rule.province]))
            params = {"city": rule.city, "province": rule.province}
            out.append(_Rule("in_province", rule.city, broken, shown, params))
    return out


def _quote(row: pd.Series) -> str:
    def value(v: object) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
            return "nan" if isinstance(v, float) else "∅"
        if isinstance(v, pd.Timestamp):
            return v.date().isoformat()
        return str(v)

    return ", ".join(f"{k}={value(v)}" for k, v in row.items())


def check(table: Table, t: ir.Table, run: Run, ctx: Context | None = None) -> list[Problem]:
    """Every rule of `table` on `t`: one pass counts the rows breaking each, a second query per
    broken rule fetches its first rows; columns missing or of the wrong type are reported and left
    out of the rest. `run` executes an Ibis expression (the store's, or a throw-away DuckDB's)."""
    ctx = ctx or Context()
    problems = structure(table, t)
    bad = {n.strip() for p in problems for n in p.column.split(",")}  # missing or of the wrong type
    rules = [r for c in table.columns if c.name not in bad for r in _column_rules(table, t, c, ctx)]
    rules += [r for r in _table_rules(table, t, ctx) if not bad & set(r.shown)]
    key = table.key if table.key and not bad & set(table.key) else ()
    aggs = {f"r{i}": r.broken.cast("int64").sum() for i, r in enumerate(rules)}
    aggs["rows"] = t.count()
    if key:
        aggs["keys"] = t.select(*key).distinct().count().as_scalar()
    counts = run(t.aggregate(**aggs)).iloc[0]
    for i, r in enumerate(rules):
        n = int(counts[f"r{i}"] or 0)
        if n:
            first = run(t.filter(r.broken).select(*r.shown).limit(FIRST_ROWS))
            quoted = tuple(_quote(row) for _, row in first.iterrows())
            problems.append(Problem(table.name, r.rule, r.column, n, quoted, r.params, r.severity))
    if key and int(counts["keys"]) != int(counts["rows"]):
        k = list(key)
        dup = t.group_by(k).aggregate(n=t.count()).filter(lambda g: g.n > 1).order_by(k).limit(FIRST_ROWS)
        quoted = tuple(_quote(row) for _, row in run(dup.select(*k)).iterrows())
        n = int(counts["rows"]) - int(counts["keys"])
        problems.append(Problem(table.name, "duplicate_key", ", ".join(k), n, quoted))
    if not int(counts["rows"]):
        problems.append(Problem(table.name, "no_rows", "", severity=WARNING))
    return problems + _completeness(table, t, run, ctx)


def _completeness(table: Table, t: ir.Table, run: Run, ctx: Context) -> list[Problem]:
    """A product built from another table (the rings from the entities) has a row for each of its
    rows: one missing means it was not rebuilt when the data changed."""
    if table.complete is None or table.complete[1] not in ctx.tables:
        return []
    col, ref_name, ref_col = table.complete
    ref = ctx.tables[ref_name]
    missing = ref.filter(~ref[ref_col].isin(t[col]))
    n = int(run(missing.count()))
    if not n:
        return []
    first = tuple(_quote(row) for _, row in run(missing.select(ref_col).limit(FIRST_ROWS)).iterrows())
    return [Problem(table.name, "incomplete", col, n, first, {"ref": f"{ref_name}.{ref_col}"})]


def check_frame(
    name: str,
    df: pd.DataFrame,
    start: date | None = None,
    end: date | None = None,
    refs: Mapping[str, pd.DataFrame] | None = None,
) -> list[Problem]:
    """`check` on a pandas frame (an import), in a throw-away DuckDB; `refs` are the tables its
    references and place rules look up (cities, provinces, entities...), as frames."""
    con = ibis.duckdb.connect()
    try:
        t = con.create_table(name, ibis.memtable(_typed_empties(name, df)))
        tables = {n: con.create_table(n, ibis.memtable(f)) for n, f in (refs or {}).items()}
        return check(TABLES[name], t, con.execute, Context(start, end, tables))
    finally:
        con.disconnect()


_EMPTY_AS = {"str": "string", "date": "datetime64[ns]", "float": "float64", "int": "Int64", "bool": "boolean"}


def _typed_empties(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """A column with no value at all has no type pandas can tell: give it the schema's."""
    empty = [c for c in TABLES[name].columns if c.name in df and df[c.name].isna().all()]
    return df.astype({c.name: _EMPTY_AS[c.dtype] for c in empty}) if empty else df


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == WARNING]


# --- check results stored with a version -------------------------------------------------------
# The rules that read every row run once, when a version is written (cloudsword.build); their
# warnings are kept in the version's manifest, so opening it later reads them back instead of
# reading every row again (at 1e8 cases that is minutes, the open target is 2 s).


def _encode(value: object) -> object:
    if isinstance(value, Message):
        return {"message": value.key, "params": {k: _encode(v) for k, v in value.params.items()}}
    return value


def _decode(value: object) -> object:
    if isinstance(value, dict) and set(value) == {"message", "params"}:
        return Message(value["message"], **{k: _decode(v) for k, v in value["params"].items()})
    return value


def to_record(problems: list[Problem]) -> list[dict]:
    """Problems as JSON-ready dicts (a version's manifest keeps its warnings)."""
    return [
        {
            "table": p.table,
            "rule": p.rule,
            "column": p.column,
            "rows": p.rows,
            "first": list(p.first),
            "params": {k: _encode(v) for k, v in p.params.items()},
            "severity": p.severity,
        }
        for p in problems
    ]


def from_record(record: list[dict]) -> list[Problem]:
    """The problems `to_record` wrote, as they were."""
    return [
        Problem(
            r["table"],
            r["rule"],
            r["column"],
            int(r["rows"]),
            tuple(r["first"]),
            {k: _decode(v) for k, v in r["params"].items()},
            r["severity"],
        )
        for r in record
    ]
