"""The overview's queries: the alliance's own work over a period, month by month and by province.
Ibis over the store's monthly aggregate; small pandas frames out."""

from __future__ import annotations

from datetime import date

import pandas as pd

from cloudsword import geo
from cloudsword.filters import Filters, month_start
from cloudsword.store import METRIC_COLUMN, Store


def alliance_totals(
    store: Store, f: Filters, start: date | None = None, end: date | None = None
) -> dict[str, float]:
    """The alliance's own work in a period: clues and the cases, arrests, seizures they led to."""
    m = store.monthly(f, start, end)
    m = m.filter(m.alliance)
    row = store.run(
        m.aggregate(
            clues=m.clues.sum(),
            clues_with_case=m.clues_with_case.sum(),
            cases=m.cases.sum(),
            cases_with_suspects=m.cases_with_suspects.sum(),
            cases_with_seizure=m.cases_with_seizure.sum(),
            suspects=m.suspects.sum(),
            seizure=m.seizure_cny.sum(),
            rows=m.count(),
        )
    ).iloc[0]
    # No rows in the period is zero of everything; a sum over rows that is missing stays missing.
    none = int(row.pop("rows")) == 0
    return {k: 0.0 if none else float("nan") if pd.isna(v) else float(v) for k, v in row.items()}


def previous_totals(store: Store, f: Filters) -> dict[str, float] | None:
    """Totals over the previous period of equal length, or None if it is not all in the data."""
    start, end = f.previous_period()
    if start < month_start(store.manifest.start):
        return None
    return alliance_totals(store, f, start, end)


def monthly_series(store: Store, f: Filters, alliance_only: bool = True) -> pd.DataFrame:
    """Month by month: clues, cases, suspects and seized value."""
    m = store.monthly(f)
    if alliance_only:
        m = m.filter(m.alliance)
    out = store.run(
        m.group_by("month")
        .aggregate(
            clues=m.clues.sum(),
            cases=m.cases.sum(),
            suspects=m.suspects.sum(),
            seizure=m.seizure_cny.sum(),
        )
        .order_by("month")
    )
    months = pd.date_range(month_start(f.date_from), month_start(f.date_to), freq="MS")
    out["month"] = pd.to_datetime(out["month"])
    return out.set_index("month").reindex(months, fill_value=0).rename_axis("month").reset_index()


def by_province(store: Store, f: Filters, metric: str, alliance_only: bool = True) -> pd.DataFrame:
    """One row per mainland province: adcode, value (NaN where the data has no rows)."""
    m = store.monthly(f)
    if alliance_only:
        m = m.filter(m.alliance)
    col = METRIC_COLUMN[metric]
    agg = store.run(m.group_by("province_adcode").aggregate(value=m[col].sum()))
    provinces = geo.load_provinces()
    out = provinces.loc[provinces.mainland, ["adcode"]].merge(
        agg.rename(columns={"province_adcode": "adcode"}), on="adcode", how="left"
    )
    out["value"] = out["value"].astype(float)
    return out


def alliance_series(store: Store, f: Filters) -> pd.DataFrame:
    """The alliance's work month by month from its founding: no alliance clue predates it."""
    series = monthly_series(store, f)
    members = store.memberships()
    if len(members):
        founded = pd.Timestamp(members.joined_on.min()).to_period("M").to_timestamp()
        series = series[series.month >= founded].reset_index(drop=True)
    return series


CASE_COLUMNS = ("case_id", "clue_id", "opened_on", "province_adcode", "city_adcode", "category", "source",
                "suspects_caught", "seizure_cny")  # fmt: skip


def largest_seizures(store: Store, f: Filters, k: int = 20) -> pd.DataFrame:
    """The view's `k` cases of largest seized value, largest first (ties: case id): a record-level
    drill-down, one top-k query on the case table (the day filter prunes Parquet row groups)."""
    c = store.table("cases")
    c = c.filter(c.opened_on >= f.date_from, c.opened_on <= f.date_to, c.seizure_cny.notnull())
    if f.provinces:
        c = c.filter(c.province_adcode.isin(f.provinces))
    if f.categories:
        c = c.filter(c.category.isin(f.categories))
    top = c.select(*CASE_COLUMNS).order_by([c.seizure_cny.desc(), c.case_id]).limit(k)
    return store.run(top).reset_index(drop=True)
