"""The audit log: who did what, when and from where (sign-ins, imports, version switches, exports,
role changes), append-only and tamper-evident.

One JSON object a line (JSONL). Each entry carries the hash of the one before it (`prev`) and its
own (`hash`, SHA-256 over its canonical JSON without `hash`), so changing, removing or reordering
an entry breaks the chain at that entry; the newest hash is also kept in a head file beside the log,
so cutting entries off the end is detected too. Appends take an exclusive file lock and are
fsynced: two server processes never interleave or fork the chain.

Where it lives: $CLOUDSWORD_AUDIT, else audit.jsonl in the dataset's folder.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from cloudsword.access.principal import Principal

GENESIS = "0" * 64
ACTIONS = ("sign_in", "sign_out", "import", "version_switch", "export", "role_change", "denied")


def log_path(data_dir: Path | str) -> Path:
    return Path(os.environ.get("CLOUDSWORD_AUDIT") or Path(data_dir) / "audit.jsonl")


def _digest(entry: Mapping) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _head(path: Path) -> Path:
    return path.with_name(path.name + ".head")


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _last(path: Path) -> dict | None:
    """The log's last entry (read from the end: the log only grows)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        pos, chunk = fh.tell(), b""
        while pos > 0 and chunk.count(b"\n") < 2:
            step = min(4096, pos)
            pos -= step
            fh.seek(pos)
            chunk = fh.read(step) + chunk
    return json.loads(chunk.rstrip(b"\n").rsplit(b"\n", 1)[-1])


def append(path: Path | str, who: Principal | str, action: str, origin: str = "", **detail: object) -> dict:
    """Add one entry, chained to the last; returns it."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    path = Path(path)
    user, role = (who.user, who.role.value) if isinstance(who, Principal) else (str(who), "")
    with _locked(path):
        last = _last(path)
        entry = {
            "seq": (last["seq"] + 1) if last else 1,
            "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "who": user,
            "role": role,
            "action": action,
            "origin": origin,
            "detail": {k: _plain(v) for k, v in detail.items()},
            "prev": last["hash"] if last else GENESIS,
        }
        entry["hash"] = _digest(entry)
        line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        head = _head(path)
        tmp = head.with_name(head.name + ".tmp")
        tmp.write_text(f"{entry['seq']} {entry['hash']}\n", encoding="utf-8")
        os.replace(tmp, head)
    return entry


def _plain(value: object) -> object:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in (sorted(value) if isinstance(value, (set, frozenset)) else value)]
    return str(value)


def entries(path: Path | str) -> list[dict]:
    path = Path(path)
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    broken_at: int | None = None  # seq (line number when unreadable) of the first bad entry
    reason: str = ""  # "hash", "chain", "sequence", "unreadable", "head"


def verify(path: Path | str) -> Verdict:
    """Walk the chain from the first entry: each hash recomputed, each `prev` the hash before,
    sequence numbers without a gap, and the last entry the one the head file names."""
    path = Path(path)
    if not path.exists():
        return Verdict(True, 0)
    prev, n = GENESIS, 0
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                return Verdict(False, n, line_no, "unreadable")
            seq = entry.get("seq")
            if entry.get("hash") != _digest(entry):
                return Verdict(False, n, seq, "hash")
            if entry.get("prev") != prev:
                return Verdict(False, n, seq, "chain")
            if seq != n + 1:
                return Verdict(False, n, seq, "sequence")
            prev, n = entry["hash"], n + 1
    head = _head(path)
    if head.exists():
        seq, digest = head.read_text(encoding="utf-8").split()
        if int(seq) != n or digest != prev:
            return Verdict(False, n, n, "head")
    elif n:
        return Verdict(False, n, n, "head")
    return Verdict(True, n)


def frame(path: Path | str) -> pd.DataFrame:
    """The log as a table, newest first (what /data shows and exports)."""
    rows = entries(path)
    cols = ["seq", "at", "who", "role", "action", "origin", "detail", "hash"]
    if not rows:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame(rows)
    df["detail"] = [json.dumps(d, ensure_ascii=False, sort_keys=True) for d in df["detail"]]
    return df[cols].sort_values("seq", ascending=False).reset_index(drop=True)


def last_role(path: Path | str, user: str) -> tuple[str, list[str]] | None:
    """The role and provinces a user last signed in with (or was last changed to), if any."""
    for entry in reversed(entries(path)):
        if entry["who"] == user and entry["action"] in ("sign_in", "role_change"):
            d = entry["detail"]
            return entry["role"], list(d.get("provinces", []))
    return None


def sign_in(path: Path | str, who: Principal, origin: str, method: str) -> None:
    """A sign-in, preceded by a role change when the roles file moved the user since last time."""
    provinces = sorted(who.provinces)
    before = last_role(path, who.user)
    if before is not None and before != (who.role.value, provinces):
        append(
            path, who, "role_change", origin, was=before[0], was_provinces=before[1],
            provinces=provinces, source="roles file",
        )  # fmt: skip
    append(path, who, "sign_in", origin, method=method, provinces=provinces)
