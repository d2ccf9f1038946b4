"""The overview's queries: the alliance's own work over a period, month by month and by province.
Ibis over the store's monthly aggregate; small pandas frames out. Each takes an optional `cube`
(cloudsword.cube, the aggregate in memory): the same figures cut from it, without a query."""

from __future__ import annotations

from datetime import date, timedelta

import ibis
import ibis.expr.types as ir
import pandas as pd

from cloudsword import geo
from cloudsword.cube import MonthlyCube
from cloudsword.filters import Filters, month_end, month_start
from cloudsword.store import METRIC_COLUMN, Store

# The totals' names and the aggregate's columns they sum.
TOTALS = {
    "clues": "clues", "clues_with_case": "clues_with_case", "cases": "cases",
    "cases_with_suspects": "cases_with_suspects", "cases_with_seizure": "cases_with_seizure",
    "suspects": "suspects", "seizure": "seizure_cny",
}  # fmt: skip


def alliance_totals(
    store: Store,
    f: Filters,
    start: date | None = None,
    end: date | None = None,
    cube: MonthlyCube | None = None,
) -> dict[str, float]:
    """The alliance's own work in a period: clues and the cases, arrests, seizures they led to."""
    if cube is not None:
        sums = cube.totals(f, tuple(TOTALS.values()), start or f.date_from, end or f.date_to, True)
        row = pd.Series({"rows": sums["rows"]} | {k: sums[c] for k, c in TOTALS.items()})
    else:
        m = store.monthly(f, start, end)
        m = m.filter(m.alliance)
        row = store.run(m.aggregate(**{k: m[c].sum() for k, c in TOTALS.items()}, rows=m.count())).iloc[0]
    # No rows in the period is zero of everything; a sum over rows that is missing stays missing.
    none = int(row.pop("rows")) == 0
    return {k: 0.0 if none else float("nan") if pd.isna(v) else float(v) for k, v in row.items()}


def previous_totals(store: Store, f: Filters, cube: MonthlyCube | None = None) -> dict[str, float] | None:
    """Totals over the previous period of equal length, or None if it is not all in the data."""
    start, end = f.previous_period()
    if start < month_start(store.manifest.start):
        return None
    return alliance_totals(store, f, start, end, cube)


def monthly_series(
    store: Store, f: Filters, alliance_only: bool = True, cube: MonthlyCube | None = None
) -> pd.DataFrame:
    """Month by month: clues, cases, suspects and seized value."""
    if cube is not None:
        period = (f.date_from, f.date_to, alliance_only, "month")
        cut = {k: cube.sums(f, c, *period) for k, c in METRIC_COLUMN.items()}
        out = pd.DataFrame({"month": cut["clues"].month} | {k: s.value.to_numpy() for k, s in cut.items()})
        out = out.astype({k: "int64" for k in ("clues", "cases", "suspects")})  # counts, as queried
    else:
        m = store.monthly(f)
        if alliance_only:
            m = m.filter(m.alliance)
        sums = {k: m[c].sum() for k, c in METRIC_COLUMN.items()}
        out = store.run(m.group_by("month").aggregate(**sums).order_by("month"))
    months = pd.date_range(month_start(f.date_from), month_start(f.date_to), freq="MS")
    out["month"] = pd.to_datetime(out["month"])
    return out.set_index("month").reindex(months, fill_value=0).rename_axis("month").reset_index()


def by_province(
    store: Store, f: Filters, metric: str, alliance_only: bool = True, cube: MonthlyCube | None = None
) -> pd.DataFrame:
    """One row per mainland province: adcode, value (NaN where the data has no rows)."""
    col = METRIC_COLUMN[metric]
    if cube is not None:
        agg = cube.sums(f, col, f.date_from, f.date_to, alliance_only, "province")
    else:
        m = store.monthly(f)
        if alliance_only:
            m = m.filter(m.alliance)
        agg = store.run(m.group_by("province_adcode").aggregate(value=m[col].sum()))
    provinces = geo.load_provinces()
    out = provinces.loc[provinces.mainland, ["adcode"]].merge(
        agg.rename(columns={"province_adcode": "adcode"}), on="adcode", how="left"
    )
    out["value"] = out["value"].astype(float)
    return out


def alliance_series(store: Store, f: Filters, cube: MonthlyCube | None = None) -> pd.DataFrame:
    """The alliance's work month by month from its founding: no alliance clue predates it."""
    series = monthly_series(store, f, cube=cube)
    members = store.memberships()
    if len(members):
        founded = pd.Timestamp(members.joined_on.min()).to_period("M").to_timestamp()
        series = series[series.month >= founded].reset_index(drop=True)
    return series


CASE_COLUMNS = ("case_id", "clue_id", "opened_on", "province_adcode", "city_adcode", "category", "source",
                "suspects_caught", "seizure_cny")  # fmt: skip
# The dataset product the largest seizures are read from (cloudsword/overview/products.py): each
# province x month x category's TOP_DEPTH largest seizures, as records with CASE_COLUMNS.
TOP_SEIZURES, TOP_SEIZURES_VERSION, TOP_DEPTH = "top_seizures", "1", 20


def largest_seizures(store: Store, f: Filters, k: int = 20) -> pd.DataFrame:
    """The view's `k` cases of largest seized value, largest first (ties: case id): a record-level
    drill-down. The view's whole months are read from the version's `top_seizures` product (the
    view's top k lie within its cells' top k), the days of a month it cuts through from the case
    table (sorted by day: the day filter prunes Parquet row groups), all in one top-k query.
    Without the product (a flat dataset, an older version, an officer's store: its cells' top k
    are not the top k of what the officer may see), one top-k query on the case table."""
    cases = store.table("cases")
    top = store.product_table(TOP_SEIZURES, TOP_SEIZURES_VERSION) if 0 < k <= TOP_DEPTH else None
    whole, days = _whole_months(f.date_from, f.date_to)
    if top is None or whole is None:
        parts = [_view(cases, f, f.date_from, f.date_to)]
    else:
        parts = [_view(top, f, *whole)] + [_view(cases, f, lo, hi) for lo, hi in days]
    rows = parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)
    return store.run(rows.order_by([rows.seizure_cny.desc(), rows.case_id]).limit(k)).reset_index(drop=True)


def _view(t: ir.Table, f: Filters, start: date, end: date) -> ir.Table:
    """Cases (or the product's records) of days start..end in the view's provinces and categories
    that have a seized value, as CASE_COLUMNS."""
    t = t.filter(t.opened_on >= start, t.opened_on <= end, t.seizure_cny.notnull())
    if f.provinces:
        t = t.filter(t.province_adcode.isin(f.provinces))
    if f.categories:
        t = t.filter(t.category.isin(f.categories))
    return t.select(*CASE_COLUMNS)


def _whole_months(start: date, end: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """The first and last day of the run of whole months within start..end, and the days of
    start..end outside it; (None, []) when there is no whole month (or it touches the calendar's
    ends)."""
    day = timedelta(days=1)
    try:
        first = start if start.day == 1 else month_end(start) + day
        last = end if end == month_end(end) else month_start(end) - day
        if first > last:
            return None, []
        return (first, last), [(lo, hi) for lo, hi in [(start, first - day), (last + day, end)] if lo <= hi]
    except (OverflowError, ValueError):
        return None, []
