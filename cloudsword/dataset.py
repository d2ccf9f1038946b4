"""Datasets on disk: complete, immutable versions side by side, and a pointer to the current one.

    DIR/current.json        {"version": "<id>"}, replaced in one atomic step (os.replace)
    DIR/versions/<id>/      one complete version: the tables (<table>.parquet), products/ (built
                            once when the version was written), source/ (the files it was imported
                            from), report.json, and manifest.json (every file's size and SHA-256,
                            the version's id, and the manifest's own hash)
    DIR/versions/.tmp-*     a version being written: never listed, cleared by the next writer
    DIR/.lock               held while a version is written or the pointer moves

A version is named by its content: its id is a hash over its tables' checksums, so the same data
written twice is one version. A version directory is never written into once it has its name, so
a session reading it sees the same rows until it lets go. A writer killed at any point leaves the
pointer where it was. The layout every dataset had before versions (manifest.json and the tables
in one directory, as `generate` writes by default) opens as a dataset of one version; that version
is read from a private copy taken at open (`snapshot`), so files replaced in place under a running
server become a new version instead of mixing with the old one.

Dataset-level products (`Product`) are built from a version's tables as it is written, by whoever
writes it (cloudsword.build, above the features); this floor only stores and checks them.
Ground floor: imports nothing of ours but errors and schema.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cloudsword.errors import DataError, Message
from cloudsword.schema import DATASET_TABLES, OPTIONAL_TRUTH, PRODUCT_TABLES

POINTER = "current.json"
VERSIONS = "versions"
MANIFEST = "manifest.json"
LOCK = ".lock"
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 3, "use_dictionary": True}
# Record-level drill-downs (one province's cases in one month, the largest seizures) read Parquet
# with filter pushdown: cases sorted by day, in row groups small enough that a month's filter
# skips most of the file (about 43 months: 1e8 cases are about 760 groups, a month about 18).
ROW_GROUP_ROWS = 131_072
SORT_KEYS = {"cases": ("opened_on", "province_adcode")}
_TMP = ".tmp-"


# --- tables too large to hold ----------------------------------------------------------------------


@dataclass(frozen=True)
class TableStream:
    """A table written as it is produced, never held whole (the 1e8 cases `generate --scale 1000`
    draws): `num_rows` is known up front; `batches()` yields its rows as Arrow tables, in the
    table's order (a stream is not sorted again: one with SORT_KEYS comes in that order), once."""

    num_rows: int
    batches: Callable[[], Iterator[pa.Table]]


TableData = pa.Table | TableStream


def write_parquet(path: Path, table: TableData, row_group_size: int | None = None, **options) -> int:
    """Write a table, or a stream batch by batch, to one Parquet file; return the rows written.
    A table is written exactly as `pq.write_table` writes it."""
    if isinstance(table, pa.Table):
        pq.write_table(table, path, row_group_size=row_group_size, **options)
        return table.num_rows
    rows, writer = 0, None
    try:
        for batch in table.batches():
            if writer is None:
                writer = pq.ParquetWriter(path, batch.schema, **options)
            writer.write_table(batch, row_group_size=row_group_size)
            rows += batch.num_rows
    finally:
        if writer is not None:
            writer.close()
    if writer is None or rows != table.num_rows:
        raise ValueError(f"{path.name}: the stream gave {rows} rows, not {table.num_rows}")
    return rows


# --- products ------------------------------------------------------------------------------------

ProductOutput = pa.Table | pd.DataFrame | Mapping[str, np.ndarray]


@dataclass(frozen=True)
class Product:
    """Something computed once per version from its tables (the monthly aggregate, the rings, the
    graph arrays). `build` gets the version's `Tables` and returns a table (stored as
    products/<name>.parquet) or named arrays (products/<name>/<array>.npy, memory-mappable).
    Bump `version` when the output changes: a stored product of another version is not used."""

    name: str
    version: str
    build: Callable[[Tables], ProductOutput]
    doc: str = ""


WRITER_MEMORY = "1536MB"  # DuckDB's own limit while products are built (beside the writer's arrays)


class Tables:
    """A version's tables for product builders: as Arrow, pandas or Ibis (DuckDB over the files,
    with the reference geography beside them)."""

    def __init__(self, directory: Path):
        self.dir = directory
        self._con = None

    def has(self, name: str) -> bool:
        return (self.dir / f"{name}.parquet").exists()

    def arrow(self, name: str, columns: Sequence[str] | None = None) -> pa.Table:
        return pq.read_table(self.dir / f"{name}.parquet", columns=list(columns) if columns else None)

    def frame(self, name: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        return self.arrow(name, columns).to_pandas()

    def connection(self):
        """The builders' DuckDB (Ibis) connection, bounded: a product of 1e8 cases spills to disk
        rather than take the writer past its memory (WRITER_MEMORY)."""
        if self._con is None:
            import ibis

            from cloudsword import geo

            spill = Path(tempfile.gettempdir()) / "cloudsword-spill"
            self._con = ibis.duckdb.connect(memory_limit=WRITER_MEMORY, temp_directory=str(spill))
            self._con.create_table("provinces", ibis.memtable(geo.load_provinces()))
            self._con.create_table("cities", ibis.memtable(geo.load_cities()))
        return self._con

    def close(self) -> None:
        """Let go of the DuckDB connection and what its queries hold (the next product's own)."""
        if self._con is not None:
            self._con.disconnect()
            self._con = None

    def ibis(self, name: str):
        con = self.connection()
        if name not in con.list_tables():
            con.read_parquet(self.dir / f"{name}.parquet", table_name=name)
        return con.table(name)

    def run(self, expr) -> pa.Table:
        """An Ibis expression over these tables, as Arrow (types kept: dates stay dates)."""
        return self.connection().to_pyarrow(expr)


# --- checksums and manifests ---------------------------------------------------------------------


def checksum(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def content_id(table_sums: Mapping[str, str]) -> str:
    """A version's name: a hash over its tables' names and checksums (16 hex digits)."""
    text = "".join(f"{name} {table_sums[name]}\n" for name in sorted(table_sums))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _manifest_hash(manifest: Mapping) -> str:
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _file_entry(path: Path) -> dict:
    return {"sha256": checksum(path), "bytes": path.stat().st_size}


@dataclass(frozen=True)
class Version:
    """One version: its id, directory and manifest. `legacy` for a directory without versions,
    whose files were copied to `dir` (a private snapshot) when it was opened."""

    id: str
    dir: Path
    manifest: dict
    root: Path
    legacy: bool = False
    # file -> (size, mtime_ns) seen when the version was opened: `intact` compares against it
    seen: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def files(self) -> dict[str, dict]:
        """Every file of the version (relative path -> sha256, bytes) as its manifest lists them."""
        m = self.manifest
        out = {t["file"]: t for t in m.get("tables", {}).values()}
        for p in m.get("products", {}).values():
            out.update(p.get("files", {}))
        out.update(m.get("attachments", {}))
        return out

    @property
    def created(self) -> str:
        return str(self.manifest.get("created", ""))

    def source_path(self, rel: str) -> Path:
        """Where a file of this version is to be named to a user (the original, not the snapshot)."""
        return (self.root if self.legacy else self.dir) / rel

    def intact(self) -> bool:
        """Cheap: every file still has the size and time it had when the version was opened."""
        for rel, (size, mtime) in self.seen.items():
            try:
                st = (self.dir / rel).stat()
            except OSError:
                return False
            if (st.st_size, st.st_mtime_ns) != (size, mtime):
                return False
        return True


def display_name(root: Path | str) -> str:
    """How a dataset is named to users: its folder's name, never the server's path to it."""
    root = Path(root)
    return root.name or str(root)


def _check_dir(root: Path) -> None:
    if not root.is_dir():
        raise DataError("error.data_dir_missing", dataset=display_name(root))
    if not os.access(root, os.R_OK | os.X_OK):
        raise DataError("error.dataset_unreadable", dataset=display_name(root))


def is_versioned(root: Path | str) -> bool:
    root = Path(root)
    return (root / POINTER).exists() or (root / VERSIONS).is_dir()


def current_id(root: Path | str) -> str:
    """The id of the version `root` shows now: the pointer's, or a flat directory's content hash
    (cached by the files' sizes and times, so a rerun costs a few stat calls)."""
    root = Path(root)
    _check_dir(root)
    if is_versioned(root):
        return _read_pointer(root)
    return _flat_id(root)


def _read_pointer(root: Path) -> str:
    path = root / POINTER
    if not path.exists():
        raise DataError("error.no_version", dataset=display_name(root))
    version = read_manifest(path, display_name(root)).get("version")
    if not isinstance(version, str) or not (root / VERSIONS / version).is_dir():
        raise DataError("error.version_missing", dataset=display_name(root), version=str(version)[:40])
    return version


def _flat_files(root: Path) -> list[str]:
    """A flat directory's files: the manifest, its tables, the planted truth and the products the
    flat layout keeps beside them (the rings)."""
    names = (*DATASET_TABLES, *OPTIONAL_TRUTH, *PRODUCT_TABLES)
    return [MANIFEST] + [f"{n}.parquet" for n in names if (root / f"{n}.parquet").exists()]


def _fingerprint(root: Path) -> tuple:
    out = []
    for rel in _flat_files(root):
        with contextlib.suppress(OSError):
            st = (root / rel).stat()
            out.append((rel, st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


_FLAT_IDS: dict[tuple, str] = {}


def _flat_id(root: Path) -> str:
    key = (str(root.resolve()), _fingerprint(root))
    if key not in _FLAT_IDS:
        sums = {rel.removesuffix(".parquet"): checksum(root / rel) for rel in _flat_files(root)}
        if len(_FLAT_IDS) > 64:
            _FLAT_IDS.clear()
        _FLAT_IDS[key] = content_id(sums)
    return _FLAT_IDS[key]


def read_manifest(path: Path, dataset: str = "") -> dict:
    """A JSON object file of a dataset (its manifest, the pointer); whatever is wrong with it is
    named: missing, unreadable, empty, not text, not JSON (line and column), not an object."""
    dataset = dataset or display_name(path.parent)

    def bad(detail: Message) -> DataError:
        return DataError("error.manifest", dataset=dataset, file=path.name, detail=detail)

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError("error.data_missing", dataset=dataset, file=path.name) from None
    except PermissionError:
        raise DataError("error.data_unreadable", dataset=dataset, file=path.name) from None
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
    return raw


def open_version(root: Path | str, version: str | None = None) -> Version:
    """The version `version` (default: the current one) of the dataset at `root`, checked
    cheaply: the manifest's own hash, the id against the tables' checksums, every file's size.
    A flat directory is copied to a private snapshot first (see the module's docstring)."""
    root = Path(root)
    _check_dir(root)
    if not is_versioned(root):
        return snapshot(root, version)
    vid = version or _read_pointer(root)
    vdir = root / VERSIONS / vid
    if not vdir.is_dir():
        raise DataError("error.version_missing", dataset=display_name(root), version=vid[:40])
    manifest = read_manifest(vdir / MANIFEST, display_name(root))
    v = Version(vid, vdir, manifest, root)
    problems = cheap_problems(v)
    if problems:
        raise DataError(
            "error.version_damaged", dataset=display_name(root), version=vid, detail="; ".join(problems)
        )
    for rel in [MANIFEST, *v.files]:
        st = (vdir / rel).stat()
        v.seen[rel] = (st.st_size, st.st_mtime_ns)
    return v


def cheap_problems(v: Version) -> list[str]:
    """What can be found without reading the data: a manifest edited or cut short, an id that is
    not the tables' content, a file missing or of another size."""
    m = v.manifest
    if m.get("manifest_sha256") != _manifest_hash(m):
        return [f"{MANIFEST}: its own hash does not match (edited or cut short)"]
    tables = m.get("tables", {})
    if content_id({n: t["sha256"] for n, t in tables.items()}) != v.id:
        return [f"{MANIFEST}: the version's name is not the hash of its tables"]
    problems = []
    for rel, entry in v.files.items():
        try:
            size = (v.dir / rel).stat().st_size
        except OSError:
            problems.append(f"{rel}: missing")
            continue
        if size != entry["bytes"]:
            problems.append(f"{rel}: {size:,} bytes, the manifest says {entry['bytes']:,}")
    return problems


def verify(v: Version) -> list[str]:
    """The full check (an explicit command: it reads every byte): every file's SHA-256."""
    problems = cheap_problems(v)
    for rel, entry in v.files.items():
        path = v.dir / rel
        if path.exists() and path.stat().st_size == entry["bytes"] and checksum(path) != entry["sha256"]:
            problems.append(f"{rel}: its checksum does not match (the content changed)")
    return problems


def snapshot(root: Path, version: str | None = None) -> Version:
    """A flat directory as one version: its files copied to a private temporary directory (hashed
    on the way), so the open version cannot change underneath. Removed with the process or when
    `release` is called."""
    tmp = Path(tempfile.mkdtemp(prefix="cloudsword-snapshot-"))
    try:
        sums, seen = {}, {}
        for rel in _flat_files(root):
            src, dst = root / rel, tmp / rel
            digest = hashlib.sha256()
            try:
                with open(src, "rb") as fin, open(dst, "wb") as fout:
                    while block := fin.read(1 << 20):
                        digest.update(block)
                        fout.write(block)
            except FileNotFoundError:
                raise DataError("error.data_missing", dataset=display_name(root), file=rel) from None
            except OSError:
                raise DataError("error.data_unreadable", dataset=display_name(root), file=rel) from None
            sums[rel.removesuffix(".parquet")] = digest.hexdigest()
            st = dst.stat()
            seen[rel] = (st.st_size, st.st_mtime_ns)
        vid = content_id(sums)
        if version is not None and version != vid:
            raise DataError("error.data_changed", dataset=display_name(root))
        manifest = read_manifest(tmp / MANIFEST, display_name(root))
        manifest = {**manifest, "version": vid}
        _SNAPSHOTS.add(tmp)
        return Version(vid, tmp, manifest, root, legacy=True, seen=seen)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


_SNAPSHOTS: set[Path] = set()


def release(v: Version) -> None:
    """Remove a flat version's private snapshot (the store that read it is closed)."""
    if v.legacy and v.dir in _SNAPSHOTS:
        _SNAPSHOTS.discard(v.dir)
        shutil.rmtree(v.dir, ignore_errors=True)


def _cleanup_snapshots() -> None:
    for d in list(_SNAPSHOTS):
        shutil.rmtree(d, ignore_errors=True)


atexit.register(_cleanup_snapshots)


# --- listing and choosing ------------------------------------------------------------------------


def versions(root: Path | str) -> list[Version]:
    """Every complete version, newest first (a flat directory: its one version). A version whose
    manifest cannot be read is listed with an empty manifest, so it can be seen and not chosen."""
    root = Path(root)
    if not is_versioned(root):
        if not (root / MANIFEST).exists():
            return []
        return [Version(_flat_id(root), root, read_manifest(root / MANIFEST), root, legacy=True)]
    out = []
    for d in sorted((root / VERSIONS).iterdir()):
        if d.name.startswith(".") or not d.is_dir():
            continue
        try:
            manifest = read_manifest(d / MANIFEST)
        except DataError:
            manifest = {}
        out.append(Version(d.name, d, manifest, root))
    return sorted(out, key=lambda v: v.created, reverse=True)


def select(root: Path | str, version: str) -> None:
    """Make `version` the current one (restore an earlier version): one atomic replace."""
    root = Path(root)
    with lock(root):
        open_version(root, version)  # refuses a damaged or missing version
        _write_pointer(root, version)


def _write_pointer(root: Path, version: str) -> None:
    tmp = root / f".{POINTER}.{os.getpid()}.tmp"
    payload = {"version": version, "switched": _now()}
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(payload, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, root / POINTER)
    _fsync_dir(root)


@contextlib.contextmanager
def lock(root: Path) -> Iterator[None]:
    """One writer at a time per dataset (a second import waits for the first)."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a+") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- writing -------------------------------------------------------------------------------------


class StaleBase(DataError):
    """Another version became current while this one was being prepared."""


def write(
    root: Path | str,
    tables: Mapping[str, TableData],
    manifest: Mapping,
    products: Sequence[Product] = (),
    attachments: Mapping[str, Path | bytes] | None = None,
    base: str | None = None,
    switch: bool = True,
    check: Callable[[Version], object] | None = None,
) -> Version:
    """Write a complete new version of the dataset at `root` and (when `switch`) make it current.

    Tables, then products built from them, then attachments (source files, the import report),
    then the manifest, all in a temporary directory that is renamed to the version's id only when
    everything is on disk; the pointer moves last, in one os.replace. `base` is the version the
    new one was prepared from: if another became current meanwhile, nothing is switched
    (StaleBase). `check` opens the finished version before it gets its name and raises on what it
    finds (the store's checks): a version that fails them is never listed; what it returns (the
    warnings found) is kept in the manifest as "checks". Identical content is
    one version: it is not written twice. Tables are written in the mapping's order (a
    TableStream batch by batch, so a later stream may rely on an earlier one being drawn)."""
    root = Path(root)
    flat = set(_flat_files(root)) if root.is_dir() else set()
    if root.is_dir() and not is_versioned(root) and any(p.name not in flat | {LOCK} for p in root.iterdir()):
        raise DataError("error.not_versioned", dataset=display_name(root))  # a directory of something else
    (root / VERSIONS).mkdir(parents=True, exist_ok=True)
    with lock(root):
        _clear_abandoned(root)
        current = _read_pointer(root) if (root / POINTER).exists() else None
        if base is not None and current != base:
            raise StaleBase("error.stale_base", file=str(root), version=str(current))
        tmp = Path(tempfile.mkdtemp(prefix=_TMP, dir=root / VERSIONS))
        try:
            entries = {}
            for name, table in tables.items():
                path = tmp / f"{name}.parquet"
                table = _sorted(name, table) if isinstance(table, pa.Table) else table
                rows = write_parquet(path, table, row_group_size=ROW_GROUP_ROWS, **PARQUET_OPTIONS)
                entries[name] = {"file": path.name, **_file_entry(path), "rows": rows}
            vid = content_id({n: e["sha256"] for n, e in entries.items()})
            final = root / VERSIONS / vid
            if final.is_dir():  # the same content again: keep the version there is
                shutil.rmtree(tmp, ignore_errors=True)
                existing = open_version(root, vid)
                if switch:
                    _write_pointer(root, vid)
                return existing
            built = {p.name: _write_product(tmp, p, Tables(tmp)) for p in products}
            extra = {}
            for rel, content in (attachments or {}).items():
                path = tmp / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(content, bytes):
                    path.write_bytes(content)
                else:
                    shutil.copyfile(content, path)
                extra[rel] = _file_entry(path)
            full = {
                **manifest,
                "version": vid,
                "created": _now(),
                "parent": current,
                "tables": entries,
                "rows": {n: e["rows"] for n, e in entries.items()},
                "products": built,
                "attachments": extra,
            }
            full["manifest_sha256"] = _manifest_hash(full)
            (tmp / MANIFEST).write_text(json.dumps(full, indent=2, ensure_ascii=False) + "\n", "utf-8")
            if check is not None:
                found = check(Version(vid, tmp, full, root))
                if found is not None:  # what the checks found, kept so opening need not look again
                    full["checks"] = found
                    full["manifest_sha256"] = _manifest_hash(full)
                    text = json.dumps(full, indent=2, ensure_ascii=False) + "\n"
                    (tmp / MANIFEST).write_text(text, "utf-8")
            _fsync_tree(tmp)
            os.chmod(tmp, 0o755)
            os.rename(tmp, final)
            _fsync_dir(root / VERSIONS)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if switch:
            _write_pointer(root, vid)
    return open_version(root, vid)


def _sorted(name: str, table: pa.Table) -> pa.Table:
    """A table in its SORT_KEYS order (kept as it is when it already is): a record-level query
    of one month then reads only that month's row groups (min/max statistics prune the rest)."""
    keys = SORT_KEYS.get(name)
    if not keys or table.num_rows < 2 or any(k not in table.column_names for k in keys):
        return table
    first = table[keys[0]]
    if pc.all(pc.greater_equal(first[1:], first[:-1])).as_py():
        return table
    return table.sort_by([(k, "ascending") for k in keys])


def return_freed_memory() -> None:
    """Hand freed memory back to the system: Arrow's pool and glibc's heap keep it for reuse, which
    the next large allocations (igraph's, DuckDB's, another product's arrays) cannot use: at 1e7
    entities and 1e8 cases, gigabytes of a writer's peak."""
    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim this way
        pass


def _write_product(tmp: Path, product: Product, tables: Tables) -> dict:
    out = product.build(tables)
    files = {}
    if isinstance(out, (pa.Table, pd.DataFrame)):
        table = out if isinstance(out, pa.Table) else pa.Table.from_pandas(out, preserve_index=False)
        rel = f"products/{product.name}.parquet"
        (tmp / "products").mkdir(exist_ok=True)
        pq.write_table(table, tmp / rel, **PARQUET_OPTIONS)
        files[rel] = _file_entry(tmp / rel)
    else:
        (tmp / "products" / product.name).mkdir(parents=True, exist_ok=True)
        for key, array in out.items():
            rel = f"products/{product.name}/{key}.npy"
            np.save(tmp / rel, np.asarray(array), allow_pickle=False)
            files[rel] = _file_entry(tmp / rel)
    del out
    tables.close()
    return_freed_memory()  # each product starts from what the tables alone hold
    return {"version": product.version, "files": files, "doc": product.doc}


def _fsync_tree(path: Path) -> None:
    for p in sorted(path.rglob("*")):
        if p.is_file():
            with open(p, "rb") as f:
                os.fsync(f.fileno())
    for d in [path, *[p for p in path.rglob("*") if p.is_dir()]]:
        _fsync_dir(d)


def _clear_abandoned(root: Path) -> None:
    """Temporary directories of writers that died (we hold the lock: none is being written)."""
    for d in (root / VERSIONS).glob(f"{_TMP}*"):
        shutil.rmtree(d, ignore_errors=True)


def product_files(v: Version, name: str, version: str) -> dict[str, Path] | None:
    """The stored files of product `name` if the version holds it at `version`, else None."""
    entry = v.manifest.get("products", {}).get(name)
    if not entry or entry.get("version") != version:
        return None
    return {Path(rel).stem: v.dir / rel for rel in entry.get("files", {})}
