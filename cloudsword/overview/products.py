"""The overview's dataset product (collected by cloudsword.build), built once when a dataset version
is written and stored with it: `top_seizures`, each province x month x category cell's largest
seizures as case records (queries.TOP_DEPTH of them, largest first, ties by case id).

The view's k largest seizures lie within the union of its cells' k largest, so
`queries.largest_seizures` answers the whole months of any view from this small table and reads
the case table only for the days of a month the view cuts through."""

from __future__ import annotations

from pathlib import Path

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cloudsword.dataset import Product, Tables
from cloudsword.overview.queries import CASE_COLUMNS, TOP_DEPTH, TOP_SEIZURES, TOP_SEIZURES_VERSION

KEYS = ("province_adcode", "category", "opened_on", "seizure_cny")  # what ranks a case in its cell
_MONTH, _PROVINCE = 30, 15  # a cell's number: month << 30 | province << 15 | category


def _cells(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Each case's cell as a number (its month, province and category; -1 without a seizure or a
    day) and its seized value (NaN as infinite: engines order it above every number), read one row
    group at a time (a table of the four columns would hold 0.4 GB at 1e7 cases)."""
    parquet = pq.ParquetFile(path, read_dictionary=["province_adcode", "category"])
    cell = np.full(parquet.metadata.num_rows, -1, np.int64)
    value = np.zeros(parquet.metadata.num_rows, np.float64)
    codes: dict[str, dict] = {"province_adcode": {}, "category": {}}  # value -> number (0: null)
    at = 0
    for i in range(parquet.num_row_groups):
        group = parquet.read_row_group(i, columns=list(KEYS))
        rows = slice(at, at + group.num_rows)
        at += group.num_rows
        number = {}
        for name, seen in codes.items():
            column = group[name].combine_chunks()  # indices into this row group's own dictionary
            lut = np.array([0] + [seen.setdefault(v, len(seen) + 1) for v in column.dictionary.to_pylist()])
            number[name] = lut[column.indices.fill_null(-1).to_numpy(zero_copy_only=False) + 1]
        days, seizure = group["opened_on"].combine_chunks(), group["seizure_cny"].combine_chunks()
        day = days.cast(pa.int32()).fill_null(0).to_numpy(zero_copy_only=False).astype("datetime64[D]")
        month = day.astype("datetime64[M]").astype(np.int64) + 1970 * 12  # months since year 0: positive
        number = (month << _MONTH) | (number["province_adcode"] << _PROVINCE) | number["category"]
        known = pc.and_(days.is_valid(), seizure.is_valid()).to_numpy(zero_copy_only=False)
        cell[rows] = np.where(known, number, -1)
        value[rows] = np.nan_to_num(seizure.fill_null(0).to_numpy(zero_copy_only=False), nan=np.inf)
    return cell, value


def candidates(path: Path, depth: int) -> np.ndarray:
    """The rows of the case table at `path` that can be among their province x month x category
    cell's `depth` largest seizures, in file order: each cell's rows at or above its depth-th
    largest value (every row of a smaller cell), rows without a seizure or a day left out. A
    superset (ties at the threshold), found month by month (a version's cases are in day order:
    each month one run of rows) by a partial sort of each cell: a sort of every row by cell and
    value, as a window over the whole table does, costs several times more."""
    cell, value = _cells(path)
    month = cell >> _MONTH  # -1: no seizure or no day
    order = None if np.all(month[1:] >= month[:-1]) else np.argsort(month, kind="stable")
    in_order = month if order is None else month[order]
    bounds = (np.flatnonzero(np.diff(in_order)) + 1).tolist()
    kept = [np.zeros(0, np.int64)]
    for a, b in zip([0, *bounds], [*bounds, len(month)]):
        if a == b or in_order[a] < 0:
            continue
        rows = np.arange(a, b) if order is None else order[a:b]
        rows = rows[np.argsort(cell[rows])]  # the month's rows by cell
        c, v = cell[rows], value[rows]
        starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
        counts = np.diff(np.r_[starts, len(c)])
        threshold = np.full(len(starts), -np.inf)  # every row of a cell no deeper than `depth`
        for j in np.flatnonzero(counts > depth).tolist():
            s, n = int(starts[j]), int(counts[j])
            threshold[j] = np.partition(v[s : s + n], n - depth)[n - depth]
        kept.append(rows[v >= np.repeat(threshold, counts)])
    return np.sort(np.concatenate(kept))


def build_top_seizures(tables: Tables) -> pa.Table:
    """Each province x month x category's TOP_DEPTH largest seizures as case records (the columns
    the overview lists), in day order: the candidates found in numpy from four columns, then only
    their rows read whole and ranked exactly, in the query's own order (seizure, then case id), by
    DuckDB. About 5 s and 0.3 GB at 1e7 cases, where one window over the table takes 12 s."""
    path = tables.dir / "cases.parquet"
    rows = ibis.memtable(pa.table({"file_row_number": pa.array(candidates(path, TOP_DEPTH), pa.int64())}))
    con = tables.connection()
    cases = con.read_parquet(path, file_row_number=True)
    c = cases.semi_join(rows, "file_row_number")
    cell = ibis.window(
        group_by=[c.province_adcode, c.opened_on.truncate("M"), c.category],
        order_by=[c.seizure_cny.desc(), c.case_id],
    )
    ranked = c.mutate(rank=ibis.row_number().over(cell))
    top = ranked.filter(ranked["rank"] < TOP_DEPTH).select(*CASE_COLUMNS)
    return con.to_pyarrow(top.order_by(["opened_on", "case_id"]))


PRODUCTS = [
    Product(
        TOP_SEIZURES,
        TOP_SEIZURES_VERSION,
        build_top_seizures,
        f"each province x month x category's {TOP_DEPTH} largest seizures, as case records",
    )
]
