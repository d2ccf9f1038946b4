"""The validation report: every cell read into the schema's types, every problem with its rule and
severity, every row's fate, before anything is written.

The rules are the schema's (cloudsword.schema: types, empty values, allowed values, keys,
references) plus what reading people's files needs (dates in the future, places that cannot be
found, text that would act as a formula). An error rejects its row; the import goes ahead only
when there are none, or when the user chose to leave the rejected rows out. A problem of the
whole file (a required column missing, the wrong table, a version whose references would break)
blocks it whatever the choice. Rows read = imported + imported with a warning + rejected.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa

from cloudsword.ingest import places, values
from cloudsword.ingest.headers import ADDRESS, ColumnMap, table_fit
from cloudsword.ingest.read import Cells
from cloudsword.schema import TABLES, Column

ERROR, WARNING = "error", "warning"
FATES = ("imported", "warned", "rejected")
_PLACE_COLUMNS = {"province_adcode": "province", "handed_to": "province", "city_adcode": "city"}
# China's extent: coordinates outside it are typing errors (a swapped lon/lat, a lost minus).
_LON, _LAT = (73.0, 136.0), (3.0, 54.0)
LARGE_SEIZURE = 1e9  # yuan: one case above 10亿元 is worth a second look
_ARROW = {
    "str": pa.string(),
    "date": pa.date32(),
    "float": pa.float64(),
    "int": pa.int64(),
    "bool": pa.bool_(),
}
FIRST_ROWS = 5


@dataclass
class Problem:
    """One rule broken: where, how often, the first rows (file, line) and example values."""

    rule: str
    severity: str
    column: str = ""  # the target column ("" for the file or table)
    header: str = ""  # the file's header it came from
    count: int = 0
    rows: list[tuple[str, int]] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    params: dict[str, object] = field(default_factory=dict)

    @property
    def blocking(self) -> bool:
        """A problem of the whole file: no choice lets it through."""
        return self.severity == ERROR and not self.rows


@dataclass
class Checked:
    """The outcome: problems, each row's fate and reasons, and the rows to import as Arrow."""

    table: str
    rows_read: int
    problems: list[Problem]
    fate: pd.Series  # per row read: imported | warned | rejected
    reasons: pd.Series  # per row: the rules it broke, "; "-joined ("" when none)
    file: pd.Series
    line: pd.Series
    accepted: pa.Table  # the rows that would be imported, in the schema's types
    preview: pd.DataFrame  # the first mapped rows as the table will hold them

    @property
    def counts(self) -> dict[str, int]:
        return {f: int((self.fate == f).sum()) for f in FATES}

    @property
    def blocked(self) -> bool:
        return any(p.blocking for p in self.problems)

    def can_import(self, leave_out_rejected: bool) -> bool:
        if self.blocked or self.rows_read == 0:
            return False
        return leave_out_rejected or self.counts["rejected"] == 0

    def rows_frame(self) -> pd.DataFrame:
        """Every row's fate, for the downloadable report."""
        return pd.DataFrame(
            {"file": self.file, "line": self.line, "fate": self.fate, "reasons": self.reasons}
        )


class _Collector:
    def __init__(self, cells: Cells):
        self.cells = cells
        self.problems: list[Problem] = []
        n = len(cells.frame)
        self.error = np.zeros(n, dtype=bool)
        self.warn = np.zeros(n, dtype=bool)
        self.labels: list[tuple[str, np.ndarray]] = []  # (rule:column, rows) for every problem

    def reasons(self) -> pd.Series:
        """Per row, the rules it broke ("; "-joined), built column-wise."""
        out = np.full(len(self.error), "", dtype=object)
        for label, m in self.labels:
            out[m] = np.where(out[m] == "", label, out[m] + "; " + label)
        return pd.Series(out, dtype="string")

    def file_problem(self, rule: str, column: str = "", **params: object) -> None:
        self.problems.append(Problem(rule, ERROR, column, params=params))

    def rows(
        self,
        rule: str,
        severity: str,
        mask: pd.Series | np.ndarray,
        column: str = "",
        header: str = "",
        shown: pd.Series | None = None,
        **params: object,
    ) -> None:
        m = np.asarray(pd.Series(mask).fillna(False), dtype=bool)
        if not m.any():
            return
        idx = np.flatnonzero(m)
        (self.error if severity == ERROR else self.warn)[idx] = True
        self.labels.append((f"{rule}:{column}" if column else rule, m))
        first = idx[:FIRST_ROWS]
        rows = [(str(self.cells.file.iat[i]), int(self.cells.line.iat[i])) for i in first]
        examples = []
        if shown is not None:
            for v in pd.Series(shown).iloc[idx].dropna().astype(str).unique()[:FIRST_ROWS]:
                examples.append(v[:80])
        self.problems.append(Problem(rule, severity, column, header, int(m.sum()), rows, examples, params))


def check(
    cells: Cells,
    mapping: ColumnMap,
    base: Mapping[str, pd.DataFrame] | None = None,
    mode: str = "replace",
    today: date | None = None,
) -> Checked:
    """Read `cells` into table `mapping.table` and check everything against the schema and the
    `base` version's tables (their keys, for references and, in append mode, duplicates)."""
    today = today or date.today()
    base = base or {}
    table = TABLES[mapping.table]
    raw = cells.frame
    c = _Collector(cells)
    fit = table_fit(cells.headers)
    best = max(fit, key=fit.get)
    if best != table.name and fit[best] >= 0.5 and fit[best] > fit[table.name]:
        c.file_problem("table.wrong", table=best)

    def source(target: str) -> pd.Series | None:
        header = mapping.columns.get(target)
        return raw[header] if header in raw.columns else None

    out: dict[str, pd.Series] = {}
    address = source(ADDRESS)
    addr_prov = addr_city = None
    if address is not None:
        addr_prov, addr_city = _LazyAddresses(values.text(address)), None
    for col in table.columns:
        src = source(col.name)
        header = mapping.columns.get(col.name, "")
        out[col.name] = _column(c, col, src, header, mapping, out, addr_prov, addr_city, today)
    _derive(c, table.name, out, mapping, raw)
    missing = [col.name for col in table.columns if out.get(col.name) is None and not col.nullable]
    if missing:
        c.file_problem("column.missing", columns=missing)
    for col in table.columns:
        v = out.get(col.name)
        if v is None or col.nullable:
            continue
        empty = v.isna() & ~pd.Series(c.error, index=v.index)  # a cell already rejected says why
        c.rows("value.empty", ERROR, empty, col.name, mapping.columns.get(col.name, ""))
    _keys(c, table.name, out, base, mode)
    _references(c, table.name, out, base)
    _domains(c, table.name, out)
    for col in table.columns:
        if col.dtype == "str" and col.allowed is None and col.name not in _PLACE_COLUMNS:
            for rule, mask in values.hostile(out.get(col.name, pd.Series(dtype="string"))).items():
                c.rows(rule, WARNING, mask, col.name, mapping.columns.get(col.name, ""), out[col.name])
    if mode == "replace":
        _orphans(c, table.name, out, base)
    fate = np.where(c.error, "rejected", np.where(c.warn, "warned", "imported"))
    ok = ~c.error
    frame = pd.DataFrame({k: v for k, v in out.items() if v is not None})
    accepted = _arrow(table.name, frame[ok] if not missing else frame.iloc[0:0])
    return Checked(
        table.name,
        len(raw),
        _order(c.problems),
        pd.Series(fate),
        c.reasons(),
        cells.file.reset_index(drop=True),
        cells.line.reset_index(drop=True),
        accepted,
        _shown(frame.head(20), table.name),
    )


def _shown(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The preview as the table will hold it: dates as dates."""
    out = frame.copy()
    for col in TABLES[table].columns:
        if col.dtype == "date" and col.name in out:
            out[col.name] = values.as_date(out[col.name])
    return out


def _column(
    c: _Collector,
    col: Column,
    src: pd.Series | None,
    header: str,
    mapping: ColumnMap,
    out: dict[str, pd.Series],
    addr_prov: pd.Series | None,
    addr_city: pd.Series | None,
    today: date,
) -> pd.Series | None:
    if col.name in _PLACE_COLUMNS:
        return _place(c, col, src, header, out, addr_prov, addr_city)
    if src is None:
        return None
    if col.allowed is not None:
        parsed = values.choice(src, col.allowed, values.CHOICES.get(col.name, {}))
    elif col.dtype == "date":
        parsed = values.dates(src, today)
    elif col.dtype == "float" and col.name in ("lon", "lat"):
        parsed = values.number(src)
    elif col.dtype == "float":
        parsed = values.money(src, mapping.units.get(col.name, 1.0))
    elif col.dtype == "int":
        parsed = values.count(src)
    elif col.dtype == "bool":
        parsed = values.flag(src)
    elif col.name.endswith("_id"):
        parsed = values.Parsed(values.identifier(src))
    else:
        parsed = values.Parsed(values.text(src))
    for rule, mask in parsed.problems.items():
        c.rows(rule, ERROR, mask, col.name, header, src)
    return parsed.values


class _LazyAddresses:
    """Addresses read by cpca only for the rows that need them (no province or city that the names
    give), each distinct address once: a fallback, and the costly step at a million rows."""

    def __init__(self, text: pd.Series):
        self.text = text

    def level(self, level: str, need: pd.Series) -> pd.Series:
        want = need & self.text.notna()
        out = pd.Series(pd.NA, index=self.text.index, dtype="string")
        if want.any():
            prov, city = places.addresses(self.text[want])
            out[want] = prov if level == "province" else city
        return out


def _place(c, col, src, header, out, addr_prov, addr_city) -> pd.Series | None:
    level = _PLACE_COLUMNS[col.name]
    if src is None:
        if addr_prov is not None:
            return addr_prov.level(level, pd.Series(True, index=addr_prov.text.index))
        return None
    text = values.plain(src)
    if level == "province":
        r = places.provinces(text)
        codes = r.codes
    else:
        province = out.get("province_adcode")
        if province is None:
            province = pd.Series(pd.NA, index=text.index, dtype="string")
        r, elsewhere = places.cities(text, province)
        codes = r.codes
        c.rows("place.city_elsewhere", ERROR, elsewhere, col.name, header, text)
        codes = codes.mask(elsewhere)
    if addr_prov is not None:  # an empty cell, or one that cannot be placed: the address may say
        from_address = addr_prov.level(level, codes.isna())
        fill = codes.isna() & from_address.notna()
        codes = codes.fillna(from_address)
        c.rows("place.from_address", WARNING, fill & text.notna(), col.name, header, text)
    unknown = text.notna() & codes.isna() & text.isin(list(r.unknown))
    for value, closest in list(r.unknown.items())[:50]:
        rows = unknown & (text == value)
        if rows.any():
            c.rows(f"place.unknown_{level}", ERROR, rows, col.name, header, text, closest=closest)
    c.rows("place.guessed", WARNING, r.guessed, col.name, header, text)
    return codes


def _derive(
    c: _Collector, table: str, out: dict[str, pd.Series], mapping: ColumnMap, raw: pd.DataFrame
) -> None:
    """Columns a file may leave out because the others say what they hold."""
    n = len(raw)
    if table == "cases" and out.get("source") is None and "clue_id" in out:
        clue = out["clue_id"]
        if clue is None:
            clue = pd.Series(pd.NA, index=raw.index, dtype="string")
            out["clue_id"] = clue
        out["source"] = pd.Series(
            np.where(clue.notna(), "alliance_clue", "local_enforcement"), dtype="string"
        )
        c.rows("source.inferred", WARNING, np.ones(n, dtype=bool), "source")
    if table == "entities" and out.get("city_adcode") is not None:
        centres = places.city_centres().set_index("adcode")
        for axis in ("lon", "lat"):
            have = out.get(axis)
            fill = out["city_adcode"].map(centres[axis], na_action="ignore").astype("float64")
            if have is None:
                out[axis] = fill
                c.rows("coord.from_city", WARNING, fill.notna(), axis)
            else:
                gap = have.isna() & fill.notna()
                out[axis] = have.fillna(fill)
                c.rows("coord.from_city", WARNING, gap, axis)
    if table == "memberships" and out.get("illustrative") is None:
        out["illustrative"] = pd.Series(False, index=raw.index, dtype="boolean")
        c.rows("value.assumed", WARNING, np.ones(n, dtype=bool), "illustrative")
    for name, v in list(out.items()):
        if v is not None and len(v) != n:
            out[name] = v.reindex(raw.index)


def _keys(c: _Collector, table: str, out: dict[str, pd.Series], base: Mapping, mode: str) -> None:
    key = TABLES[table].key
    if any(out.get(k) is None for k in key):
        return
    frame = pd.DataFrame({k: out[k] for k in key})
    dup = frame.notna().all(axis=1) & frame.duplicated(keep="first")
    shown = frame[key[0]] if len(key) == 1 else frame.astype(str).agg(" / ".join, axis=1)
    c.rows("key.duplicate", ERROR, dup, key[0], "", shown)
    if mode == "append" and table in base and len(base[table]):
        existing = pd.MultiIndex.from_frame(base[table][list(key)].astype(str))
        there = pd.MultiIndex.from_frame(frame.astype(str)).isin(existing)
        c.rows("key.exists", ERROR, there, key[0], "", shown)


def _references(c: _Collector, table: str, out: dict[str, pd.Series], base: Mapping) -> None:
    """References to the dataset's other tables (places were checked against our place tables)."""
    for col, ref_table, ref_col in TABLES[table].foreign_keys:
        if ref_table in ("provinces", "cities") or out.get(col) is None:
            continue
        if ref_table == table:
            continue
        known = base.get(ref_table)
        ids = set() if known is None else set(known[ref_col].astype(str))
        v = out[col]
        missing = v.notna() & ~v.isin(ids)
        c.rows("ref.missing", ERROR, missing, col, "", v, table=ref_table)


def _domains(c: _Collector, table: str, out: dict[str, pd.Series]) -> None:
    """What the schema's types do not say: coordinates in China, dates in order, plausible sums."""
    for axis, (lo, hi) in (("lon", _LON), ("lat", _LAT)):
        v = out.get(axis)
        if v is not None:
            c.rows("coord.range", ERROR, v.notna() & ~v.between(lo, hi), axis, "", v)
    if table == "links" and out.get("first_seen") is not None and out.get("last_seen") is not None:
        bad = out["last_seen"] < out["first_seen"]
        c.rows("date.order", ERROR, bad.fillna(False), "last_seen", "", out["last_seen"].astype("string"))
    v = out.get("seizure_cny")
    if v is not None:
        c.rows("number.large", WARNING, (v > LARGE_SEIZURE).fillna(False), "seizure_cny", "", v)


def _orphans(c: _Collector, table: str, out: dict[str, pd.Series], base: Mapping) -> None:
    """Replacing a table must not leave another table's rows pointing at ids that are gone."""
    for other, spec in TABLES.items():
        if other == table or other not in base or not len(base[other]):
            continue
        for col, ref_table, ref_col in spec.foreign_keys:
            if ref_table != table or out.get(ref_col) is None:
                continue
            refs = base[other][col].dropna().astype(str)
            gone = refs[~refs.isin(set(out[ref_col].dropna()))]
            if len(gone):
                c.file_problem(
                    "ref.orphaned", col, table=other, count=len(gone), examples=list(gone.unique()[:5])
                )


def _arrow(table: str, frame: pd.DataFrame) -> pa.Table:
    """The rows in the schema's Arrow types (what the generator writes, what the store checks)."""
    arrays = []
    for col in TABLES[table].columns:
        v = frame[col.name] if col.name in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
        if col.dtype == "date":
            stamps = pd.to_datetime(v).astype("datetime64[ms]")
            arrays.append(pa.array(stamps, type=pa.timestamp("ms"), from_pandas=True).cast(pa.date32()))
        elif col.dtype == "int":
            arrays.append(pa.array(v.astype("Int64"), type=pa.int64(), from_pandas=True))
        elif col.dtype == "bool":
            arrays.append(pa.array(v.astype("boolean"), type=pa.bool_(), from_pandas=True))
        elif col.dtype == "float":
            arrays.append(pa.array(v.astype("float64"), type=pa.float64(), from_pandas=True))
        else:
            arrays.append(pa.array(v.astype("string"), type=pa.string(), from_pandas=True))
    return pa.Table.from_arrays(arrays, names=TABLES[table].column_names)


_SEVERITY_ORDER = {ERROR: 0, WARNING: 1}


def _order(problems: Sequence[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (_SEVERITY_ORDER[p.severity], not p.blocking, -p.count))
