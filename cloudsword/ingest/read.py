"""Files in: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030 and others, detected), Excel .xlsx (a chosen
sheet, header rows that span merged cells) and Parquet, into a frame of cells with each row's
line in its file.

Limits are checked before a file is read whole: its size from the file system, its rows from
Excel's and Parquet's own metadata, and while a CSV is read in chunks (the read stops at the
first chunk past the limit). Cells are read as text (typed files keep their types): nothing a
cell says is evaluated.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cloudsword.errors import CloudSwordError


class IngestError(CloudSwordError):
    """A file cannot be imported at all (its size, its encoding, its layout): nothing is read."""


@dataclass(frozen=True)
class Limits:
    """How big a file may be: configurable ($CLOUDSWORD_IMPORT_MAX_MB, $CLOUDSWORD_IMPORT_MAX_ROWS)."""

    max_bytes: int = 500 * 2**20
    max_rows: int = 2_000_000

    @classmethod
    def from_env(cls) -> Limits:
        mb = os.environ.get("CLOUDSWORD_IMPORT_MAX_MB")
        rows = os.environ.get("CLOUDSWORD_IMPORT_MAX_ROWS")
        return cls(
            int(float(mb) * 2**20) if mb else cls.max_bytes,
            int(float(rows)) if rows else cls.max_rows,
        )


FORMATS = ("csv", "xlsx", "parquet")
_SAMPLE = 256 * 1024


@dataclass
class Source:
    """One file as found: its format and, for CSV, encoding and delimiter; for Excel, its sheets."""

    path: Path
    name: str  # as the user named it (an upload's name, not our temporary path)
    format: str
    size: int
    encoding: str | None = None
    delimiter: str | None = None
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None


@dataclass
class Cells:
    """A file's cells: one column per header (text, or the types a typed file holds), and for
    each row its file and its line (header = line 1; Excel: the sheet's row number)."""

    frame: pd.DataFrame
    headers: list[str]
    file: pd.Series
    line: pd.Series
    header_rows: int = 1


def sniff(
    path: Path | str, name: str | None = None, sheet: str | None = None, limits: Limits | None = None
) -> Source:
    """What a file is, from its first bytes; refuses a file over the size limit unread."""
    path = Path(path)
    name = name or path.name
    limits = limits or Limits.from_env()
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise IngestError("ingest.error.too_big", file=name, size=_mb(size), limit=_mb(limits.max_bytes))
    if size == 0:
        raise IngestError("ingest.error.empty", file=name)
    with open(path, "rb") as f:
        head = f.read(_SAMPLE)
    if head[:4] == b"PAR1":
        return Source(path, name, "parquet", size)
    if head[:2] == b"PK":
        return _excel(Source(path, name, "xlsx", size), sheet)
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # the old binary .xls
        raise IngestError("ingest.error.xls", file=name)
    encoding = detect_encoding(head)
    if encoding is None:
        raise IngestError("ingest.error.encoding", file=name)
    sample = head.decode(encoding, errors="ignore")
    return Source(path, name, "csv", size, encoding=encoding, delimiter=_delimiter(sample))


def detect_encoding(sample: bytes) -> str | None:
    """A byte-order mark, else UTF-8 when the sample is valid UTF-8, else charset-normalizer's
    best guess; the Chinese GB family is read as GB18030, which contains GBK and GB2312."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as err:
        if err.start >= len(sample) - 3:  # the sample cut a character in two
            return "utf-8"
    from charset_normalizer import from_bytes

    cut = sample.rfind(b"\n")
    whole = sample[: cut + 1] if cut > 0 else sample  # whole lines: no character cut in two
    best = from_bytes(whole).best()
    if best is None:  # the detector abstains; the Chinese standard encoding is the usual answer
        try:
            text = whole.decode("gb18030")
        except UnicodeDecodeError:
            return None
        return "gb18030" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else None
    enc = best.encoding.lower().replace("-", "_")
    return "gb18030" if enc in {"gb2312", "gbk", "gb18030", "cp936", "hz"} else best.encoding


def _delimiter(sample: str) -> str:
    lines = "\n".join(sample.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(lines, delimiters=",\t;|").delimiter
    except csv.Error:
        return ","


def _mb(n: int) -> str:
    return f"{n / 2**20:,.1f} MB"


def _excel(src: Source, sheet: str | None) -> Source:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(src.path, read_only=True)
    except Exception as exc:  # a zip that is not a workbook
        raise IngestError("ingest.error.unreadable", file=src.name, detail=type(exc).__name__) from None
    src.sheets = list(wb.sheetnames)
    if sheet is not None and sheet not in src.sheets:
        raise IngestError("ingest.error.sheet", file=src.name, sheet=sheet, sheets=src.sheets)
    # by default the sheet with the most rows (a workbook often opens on its notes)
    src.sheet = sheet or max(src.sheets, key=lambda name: wb[name].max_row or 0)
    wb.close()
    return src


def read(src: Source, limits: Limits | None = None) -> Cells:
    """The file's cells; refuses one with more rows than the limit before reading it whole."""
    limits = limits or Limits.from_env()
    reader = {"csv": _read_csv, "xlsx": _read_xlsx, "parquet": _read_parquet}[src.format]
    cells = reader(src, limits)
    if not cells.headers or all(str(h).strip() == "" for h in cells.headers):
        raise IngestError("ingest.error.empty", file=src.name)
    if cells.frame.empty:
        raise IngestError("ingest.error.header_only", file=src.name)
    return cells


def _too_many(src: Source, limits: Limits) -> IngestError:
    return IngestError("ingest.error.too_many_rows", file=src.name, limit=f"{limits.max_rows:,}")


def _read_csv(src: Source, limits: Limits) -> Cells:
    chunks, rows = [], 0
    try:
        reader = pd.read_csv(
            src.path,
            sep=src.delimiter,
            encoding=src.encoding,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
            chunksize=min(limits.max_rows + 1, 1_000_000),  # one chunk up to a million rows
            encoding_errors="strict",
        )
        for chunk in reader:
            rows += len(chunk)
            if rows > limits.max_rows:
                raise _too_many(src, limits)
            chunks.append(chunk)
    except pd.errors.EmptyDataError:
        raise IngestError("ingest.error.empty", file=src.name) from None
    except UnicodeDecodeError:
        raise IngestError("ingest.error.encoding", file=src.name) from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise IngestError("ingest.error.unreadable", file=src.name, detail=str(exc).splitlines()[0]) from None
    if not chunks:
        header = pd.read_csv(src.path, sep=src.delimiter, encoding=src.encoding, nrows=0)
        frame = pd.DataFrame(columns=[str(c) for c in header.columns])
    else:
        frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    frame.columns = [str(c).strip() for c in frame.columns]
    return _cells(frame, src, first_line=2)


def _cells(frame: pd.DataFrame, src: Source, first_line: int, header_rows: int = 1) -> Cells:
    frame = frame.reset_index(drop=True)
    line = pd.Series(range(first_line, first_line + len(frame)), dtype="int64")
    return Cells(frame, list(frame.columns), pd.Series(src.name, index=frame.index), line, header_rows)


def _read_parquet(src: Source, limits: Limits) -> Cells:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(src.path)
        if pf.metadata.num_rows > limits.max_rows:
            raise _too_many(src, limits)
        frame = pf.read().to_pandas()
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError("ingest.error.unreadable", file=src.name, detail=type(exc).__name__) from None
    if pf.metadata.num_rows == 0:
        raise IngestError("ingest.error.header_only", file=src.name)
    return _cells(frame, src, first_line=1, header_rows=0)


def _read_xlsx(src: Source, limits: Limits) -> Cells:
    """A sheet whose header may take several rows: a title row merged across the table is
    skipped, and a header cell merged over several columns heads each of them (其中 / 涉案金额
    over 万元 and 件 gives "涉案金额 万元"...)."""
    from openpyxl import load_workbook

    wb = load_workbook(src.path, read_only=True)  # the sheet's size from its own metadata first
    ws = wb[src.sheet]
    if (ws.max_row or 0) - 1 > limits.max_rows:
        wb.close()
        raise _too_many(src, limits)
    wb.close()
    wb = load_workbook(src.path, data_only=True)  # merged ranges need the full reader
    ws = wb[src.sheet]
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    width = max((len(r) for r in grid), default=0)
    grid = [r + [None] * (width - len(r)) for r in grid]
    merged = [(m.min_row, m.max_row, m.min_col, m.max_col) for m in ws.merged_cells.ranges]
    for r0, r1, c0, c1 in merged:  # every cell of a merged range holds its top-left value
        value = grid[r0 - 1][c0 - 1]
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                grid[r - 1][c - 1] = value
    top = 0
    while top < len(grid) and (
        all(v is None for v in grid[top])
        or any(r0 == top + 1 and c0 == 1 and c1 >= width for r0, _, c0, c1 in merged)
    ):
        top += 1  # blank rows and a title merged across the whole table
    if top >= len(grid):
        raise IngestError("ingest.error.empty", file=src.name)
    depth = 1  # a header cell merged sideways or downwards means the header goes on below it
    for r0, r1, c0, c1 in merged:
        if r0 == top + 1 and (c1 > c0 or r1 > r0):
            depth = max(depth, r1 - top + (1 if c1 > c0 else 0))
    headers = []
    for c in range(width):
        parts: list[str] = []
        for r in range(top, min(top + depth, len(grid))):
            v = grid[r][c]
            if v is not None and str(v).strip() and str(v).strip() not in parts:
                parts.append(str(v).strip())
        headers.append(" ".join(parts) or f"column {c + 1}")
    body = grid[top + depth :]
    while body and all(v is None for v in body[-1]):
        body.pop()
    if len(body) > limits.max_rows:
        raise _too_many(src, limits)
    frame = pd.DataFrame(body, columns=_unique(headers), dtype=object)
    keep = ~frame.isna().all(axis=1)
    lines = pd.Series(range(top + depth + 1, top + depth + 1 + len(frame)))[keep.to_numpy()]
    frame = frame[keep]
    frame = frame.map(lambda v: v if v is None or isinstance(v, str) else _excel_value(v))
    cells = _cells(frame, src, first_line=0, header_rows=depth)
    cells.line = lines.reset_index(drop=True)
    return cells


def _excel_value(v: object) -> object:
    """Dates as ISO text, whole floats as integers' text: the same parsers then read every format."""
    import datetime as dt

    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        n = seen.get(h, 0)
        seen[h] = n + 1
        out.append(h if n == 0 else f"{h} ({n + 1})")
    return out


def from_bytes(data: bytes, name: str, directory: Path) -> Path:
    """An upload written to a file (in `directory`) so every format reads from a path."""
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in Path(name).name)[-100:] or "upload"
    path = directory / safe
    path.write_bytes(data)
    return path
