"""The monthly aggregate: cases and clues per province x city x month x category x alliance.

The map, overview and trend queries read it instead of the raw case table. It is a dataset-level
product: built once when a version is written (`PRODUCT`) and read back when the version opens;
a dataset without it (the flat layout) gets it built at open from the same expression.
Ground floor.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from cloudsword.dataset import Product, Tables

_SUMS = (
    "cases",
    "suspects",
    "seizure_cny",
    "facilities_closed",
    "cases_with_suspects",
    "cases_with_seizure",
    "clues",
    "clues_with_case",
)


def monthly_expr(cases: ir.Table, clues: ir.Table, entities: ir.Table) -> ir.Table:
    """The aggregate as one Ibis expression over the three tables."""
    c = cases.mutate(month=cases.opened_on.cast("date").truncate("M"), alliance=cases.clue_id.notnull())
    by_case = c.group_by(["province_adcode", "city_adcode", "month", "category", "alliance"]).aggregate(
        cases=c.count(),
        suspects=c.suspects_caught.sum(),
        seizure_cny=c.seizure_cny.sum(),
        facilities_closed=c.facilities_closed.sum(),
        cases_with_suspects=(c.suspects_caught > 0).sum(),
        cases_with_seizure=((c.suspects_caught > 0) & (c.seizure_cny > 0)).sum(),
    )
    became_case = cases.filter(cases.clue_id.notnull()).select("clue_id").distinct()
    k = clues.left_join(entities.select("entity_id", "city_adcode", "province_adcode"), "entity_id")
    k = k.mutate(
        # the clue sits in the city of its target when that lies in the receiving province
        city_adcode=ibis.ifelse(k.province_adcode == k.handed_to, k.city_adcode, ibis.null("string")),
        month=k.issued_on.cast("date").truncate("M"),
        with_case=k.clue_id.isin(became_case.clue_id),
    )
    by_clue = (
        k.group_by([k.handed_to.name("province_adcode"), "city_adcode", "month", "category"])
        .aggregate(clues=k.count(), clues_with_case=k.with_case.sum())
        .mutate(alliance=ibis.literal(True))
    )
    keys = ["province_adcode", "city_adcode", "month", "category", "alliance"]
    joined = by_case.outer_join(by_clue, keys)
    cols = {key: ibis.coalesce(joined[key], joined[f"{key}_right"]) for key in keys}
    zero = {n: joined[n].fill_null(0) for n in _SUMS}
    return joined.select(**cols, **zero).mutate(
        cases=lambda t: t.cases.cast("int64"),
        suspects=lambda t: t.suspects.cast("int64"),
        clues=lambda t: t.clues.cast("int64"),
    )


def _build(tables: Tables):
    expr = monthly_expr(*(tables.ibis(n) for n in ("cases", "clues", "entities")))
    order = ["province_adcode", "month", "city_adcode", "category", "alliance"]
    return tables.run(expr.order_by(order))


PRODUCT = Product("monthly", "1", _build, "cases and clues per province, city, month, category, alliance")
