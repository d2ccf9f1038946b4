"""An import from files to a new dataset version: prepare (read, suggest the columns), check
(the report), commit (a complete new version, switched to in one step).

The web page and `python -m cloudsword import` both go through these three steps. A commit writes
every table of the dataset (the imported one replaced, or appended to; the others carried over),
the products, the original files and the report into a new version: nothing is changed in place,
so a failed or killed import leaves the dataset as it was. The generator's truth tables describe
the generated rows only, so they do not survive an import.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cloudsword import build, dataset
from cloudsword.dataset import Version
from cloudsword.filters import month_end, month_start
from cloudsword.ingest import read as reading
from cloudsword.ingest.check import Checked, check
from cloudsword.ingest.headers import ColumnMap, suggest
from cloudsword.ingest.read import Cells, IngestError, Limits, Source
from cloudsword.schema import DATASET_TABLES, TABLES

MODES = ("replace", "append")
TRUTH = ("truth_effects", "truth_rings")


@dataclass
class Draft:
    """Files read for one table, with the suggested column map."""

    table: str
    sources: list[Source]
    cells: Cells
    suggestion: ColumnMap


@dataclass
class Base:
    """The version an import starts from (None: a new dataset) and its tables."""

    version: str | None
    tables: dict[str, pa.Table] = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)

    def keys(self) -> dict[str, pd.DataFrame]:
        """Each table's key and reference columns, for the checks."""
        out = {}
        for name, table in self.tables.items():
            spec = TABLES[name]
            cols = list(dict.fromkeys([*spec.key, *(c for c, _, _ in spec.foreign_keys)]))
            out[name] = table.select([c for c in cols if c in table.column_names]).to_pandas()
        return out


def prepare(
    files: Sequence[tuple[Path, str]], table: str, sheet: str | None = None, limits: Limits | None = None
) -> Draft:
    """Read `files` ((path, name as the user knows it)) for `table`; suggest the column map."""
    if table not in TABLES or table in TRUTH or table in ("provinces", "cities"):
        raise IngestError("ingest.error.table", table=table)
    limits = limits or Limits.from_env()
    sources = [reading.sniff(path, name, sheet, limits) for path, name in files]
    parts = [reading.read(src, limits) for src in sources]
    for src, part in zip(sources[1:], parts[1:]):  # one import, one layout: else rows would lose columns
        if set(part.headers) != set(parts[0].headers):
            raise IngestError("ingest.error.headers_differ", file=src.name, first=sources[0].name)
    total = sum(len(p.frame) for p in parts)
    if total > limits.max_rows:
        raise IngestError(
            "ingest.error.too_many_rows",
            file=", ".join(s.name for s in sources),
            limit=f"{limits.max_rows:,}",
        )
    cells = parts[0] if len(parts) == 1 else _concat(parts)
    return Draft(table, sources, cells, suggest(table, cells.headers))


def _concat(parts: list[Cells]) -> Cells:
    headers = list(dict.fromkeys(h for p in parts for h in p.headers))
    frame = pd.concat([p.frame for p in parts], ignore_index=True).reindex(columns=headers)
    file = pd.concat([p.file for p in parts], ignore_index=True)
    line = pd.concat([p.line for p in parts], ignore_index=True)
    return Cells(frame, headers, file, line, parts[0].header_rows)


def base_of(root: Path | str) -> Base:
    """The current version of the dataset at `root` (a new, empty dataset when there is none)."""
    root = Path(root)
    if not root.is_dir() or not any(p for p in root.iterdir() if not p.name.startswith(".")):
        return Base(None)
    v = dataset.open_version(root)
    try:
        tables = {
            n: pq.read_table(v.dir / f"{n}.parquet")
            for n in DATASET_TABLES
            if (v.dir / f"{n}.parquet").exists()
        }
    finally:
        dataset.release(v)
    return Base(v.id, tables, dict(v.manifest))


def check_draft(
    draft: Draft, mapping: ColumnMap, base: Base, mode: str = "replace", today: date | None = None
) -> Checked:
    if mode not in MODES:
        raise ValueError(f"mode {mode!r}")
    return check(draft.cells, mapping, base.keys(), mode, today)


def commit(
    root: Path | str,
    draft: Draft,
    checked: Checked,
    base: Base,
    mode: str = "replace",
    leave_out_rejected: bool = False,
    report: dict | None = None,
) -> Version:
    """Write the new version and switch to it; refuses what the report does not allow."""
    if not checked.can_import(leave_out_rejected):
        raise IngestError("ingest.error.not_allowed")
    root = Path(root)
    tables = {n: t for n, t in base.tables.items() if n not in TRUTH}
    rows = checked.accepted
    if mode == "append" and draft.table in tables:
        rows = pa.concat_tables([tables[draft.table].cast(rows.schema), rows])
    tables[draft.table] = rows
    for name in DATASET_TABLES:
        if name not in tables and name not in TRUTH:
            tables[name] = _empty(name)  # a dataset starts with the tables it was given
    provenance = dict(base.manifest.get("provenance") or _provenance(base))
    provenance[draft.table] = "imported"
    manifest = _manifest(base.manifest, tables, provenance, draft, checked, mode)
    attachments: dict[str, Path | bytes] = {f"source/{s.name}": s.path for s in draft.sources}
    attachments["report.json"] = json.dumps(report or summary(checked), ensure_ascii=False, indent=1).encode()
    fates = pa.Table.from_pandas(checked.rows_frame(), preserve_index=False)
    attachments["report_rows.parquet"] = _parquet_bytes(fates)
    return build.write_version(root, tables, manifest, attachments, base=base.version)


def _empty(name: str) -> pa.Table:
    from cloudsword.ingest.check import _arrow

    return _arrow(name, pd.DataFrame())


def _parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def _provenance(base: Base) -> dict[str, str]:
    kind = "generated" if base.manifest.get("synthetic") else "imported"
    return {n: kind for n, t in base.tables.items() if n not in TRUTH and t.num_rows}


def _date_range(tables: dict[str, pa.Table]) -> tuple[date, date] | None:
    lows, highs = [], []
    for name, col in (("cases", "opened_on"), ("clues", "issued_on")):
        t = tables.get(name)
        if t is not None and t.num_rows:
            mm = pc.min_max(t[col])
            if mm["min"].is_valid:
                lows.append(mm["min"].as_py())
                highs.append(mm["max"].as_py())
    if not lows:
        for name, spec in TABLES.items():
            t = tables.get(name)
            for c in spec.columns:
                if t is not None and c.dtype == "date" and t.num_rows:
                    mm = pc.min_max(t[c.name])
                    if mm["min"].is_valid:
                        lows.append(mm["min"].as_py())
                        highs.append(mm["max"].as_py())
    return (min(lows), max(highs)) if lows else None


def _manifest(
    base: dict,
    tables: dict[str, pa.Table],
    provenance: dict[str, str],
    draft: Draft,
    checked: Checked,
    mode: str,
) -> dict:
    """The new version's description: its dates from its data (start and end of the months the
    cases and clues cover, as of the day after), synthetic while any generated rows remain."""
    span = _date_range(tables)
    today = date.today()
    start, end = (
        (month_start(span[0]), month_end(span[1])) if span else (month_start(today), month_end(today))
    )
    synthetic = any(provenance.get(n) == "generated" and tables[n].num_rows for n in tables)
    out = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "as_of": (end + timedelta(days=1)).isoformat(),
        "synthetic": synthetic,
        "provenance": provenance,
        "origin": {
            "kind": "import",
            "table": draft.table,
            "mode": mode,
            "files": [s.name for s in draft.sources],
            "rows": checked.counts,
        },
    }
    if synthetic and base.get("note"):
        out["note"] = base["note"]
    return out


def summary(checked: Checked) -> dict:
    """The report as data (report.json beside the version): counts and every problem."""
    return {
        "table": checked.table,
        "rows_read": checked.rows_read,
        "counts": checked.counts,
        "problems": [
            {
                "rule": p.rule,
                "severity": p.severity,
                "column": p.column,
                "header": p.header,
                "count": p.count,
                "first_rows": [f"{f}:{line}" for f, line in p.rows],
                "examples": p.examples,
                "params": {k: v for k, v in p.params.items()},
            }
            for p in checked.problems
        ],
    }


def import_files(
    root: Path | str,
    files: Sequence[tuple[Path, str]],
    table: str,
    *,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    mode: str = "replace",
    leave_out_rejected: bool = False,
    limits: Limits | None = None,
    today: date | None = None,
) -> tuple[Checked, Version | None]:
    """The three steps at once (the command line): the report, and the version when it was written."""
    draft = prepare(files, table, sheet, limits)
    cmap = draft.suggestion
    for target, header in (mapping or {}).items():
        if header and header not in draft.cells.headers:
            raise IngestError("ingest.error.no_header", header=header, headers=draft.cells.headers)
        cmap = cmap.with_column(target, header or None)
    base = base_of(root)
    checked = check_draft(draft, cmap, base, mode, today)
    if not checked.can_import(leave_out_rejected):
        return checked, None
    return checked, commit(root, draft, checked, base, mode, leave_out_rejected)
