"""The canonical data model (DESIGN.md §3) as code: one definition per table.

Every table the app loads is checked against these definitions before any query runs, so a
wrong file is reported by name and column instead of surfacing later as a broken chart. Each
column also has a domain (finite, never negative, a date inside the dataset's declared range, a
coordinate inside China) and each table its cross-column rules (a city inside the row's province,
a link that ends after it starts): cloudsword.checks runs them, for the store and for an importer.
Ground floor: imports nothing of ours.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

ENTITY_KINDS = ("shop", "operator", "factory", "warehouse", "dealer", "logistics", "payment_account")
# Shared providers (one courier or payment provider serves many unrelated rings): no ring's member.
HUB_KINDS = ("logistics", "payment_account")
RELATIONS = ("operates", "supplies", "stores_for", "ships_to", "pays", "shares_identifier")
CATEGORIES = (
    "apparel",
    "footwear",
    "bags",
    "cosmetics",
    "electronics",
    "auto_parts",
    "food",
    "medicine",
    "toys",
    "jewellery",
)
CLUE_STATUSES = ("case_opened", "under_investigation", "no_case")
CASE_SOURCES = ("alliance_clue", "local_enforcement", "complaint")
SUSPECT_ROLES = ("operator", "manufacturer", "warehouse_keeper", "dealer", "accomplice")


# China's extent, South China Sea islands included (Zengmu Ansha lies near 4 N).
LON_RANGE = (73.0, 136.0)
LAT_RANGE = (3.0, 54.0)


@dataclass(frozen=True)
class Column:
    """One column: its logical type, whether nulls are allowed, its allowed values and its domain.

    Every float must be finite (NaN counts as empty, inf is refused). `minimum`/`maximum` bound
    numbers; `in_dataset` dates must lie inside the dataset's declared range (manifest start..end):
    rows outside it are left out of every figure, so they are reported, as a warning."""

    name: str
    dtype: str  # "str" | "date" | "float" | "int" | "bool"
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    doc: str = ""
    minimum: float | None = None
    maximum: float | None = None
    in_dataset: bool = False


@dataclass(frozen=True)
class InProvince:
    """The row's city lies in the row's province (cities.province_adcode)."""

    city: str = "city_adcode"
    province: str = "province_adcode"


@dataclass(frozen=True)
class Ordered:
    """`first` is on or before `last` (a link last seen before it was first seen is impossible)."""

    first: str
    last: str


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = field(default=())  # (column, table, column)
    rules: tuple[InProvince | Ordered, ...] = field(default=())
    # (column, table, column): every row of that table appears here (a product built from it)
    complete: tuple[str, str, str] | None = None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


C = Column
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "provinces",
            "A provincial-level division (34).",
            (
                C("adcode", "str", doc="6-digit national administrative code, e.g. 330000"),
                C("name_zh", "str"),
                C("name_en", "str"),
                C(
                    "population",
                    "float",
                    nullable=True,
                    doc="residents, persons (see README for year and source)",
                    minimum=0,
                ),
                C("gdp_cny", "float", nullable=True, doc="gross regional product, yuan", minimum=0),
                C("lon", "float", doc="centroid longitude", minimum=LON_RANGE[0], maximum=LON_RANGE[1]),
                C("lat", "float", doc="centroid latitude", minimum=LAT_RANGE[0], maximum=LAT_RANGE[1]),
                C("mainland", "bool", doc="one of the 31 mainland provincial divisions"),
            ),
            key=("adcode",),
        ),
        Table(
            "cities",
            "A prefecture-level division.",
            (
                C("adcode", "str"),
                C("province_adcode", "str"),
                C("name_zh", "str"),
                C("name_en", "str"),
                C("lon", "float", minimum=LON_RANGE[0], maximum=LON_RANGE[1]),
                C("lat", "float", minimum=LAT_RANGE[0], maximum=LAT_RANGE[1]),
            ),
            key=("adcode",),
            foreign_keys=(("province_adcode", "provinces", "adcode"),),
        ),
        Table(
            "memberships",
            "A province's membership of the alliance.",
            (
                C("province_adcode", "str"),
                C("joined_on", "date", in_dataset=True),
                C("illustrative", "bool", doc="true when the join date is not public"),
            ),
            key=("province_adcode",),
            foreign_keys=(("province_adcode", "provinces", "adcode"),),
        ),
        Table(
            "entities",
            "A node of a counterfeit chain.",
            (
                C("entity_id", "str"),
                C("kind", "str", allowed=ENTITY_KINDS),
                C("name", "str"),
                C("province_adcode", "str"),
                C("city_adcode", "str"),
                C("lon", "float", minimum=LON_RANGE[0], maximum=LON_RANGE[1]),
                C("lat", "float", minimum=LAT_RANGE[0], maximum=LAT_RANGE[1]),
                C("first_seen", "date"),
            ),
            key=("entity_id",),
            foreign_keys=(
                ("province_adcode", "provinces", "adcode"),
                ("city_adcode", "cities", "adcode"),
            ),
            rules=(InProvince(),),
        ),
        Table(
            "links",
            "A relation between two entities.",
            (
                C("src_id", "str"),
                C("dst_id", "str"),
                C("relation", "str", allowed=RELATIONS),
                C("first_seen", "date"),
                C("last_seen", "date"),
                C("evidence_count", "int", doc="records behind the link", minimum=0),
            ),
            key=("src_id", "dst_id", "relation"),
            foreign_keys=(("src_id", "entities", "entity_id"), ("dst_id", "entities", "entity_id")),
            rules=(Ordered("first_seen", "last_seen"),),
        ),
        Table(
            "clues",
            "A lead handed by the platform to a member province.",
            (
                C("clue_id", "str"),
                C("issued_on", "date", in_dataset=True),
                C("entity_id", "str"),
                C("handed_to", "str", doc="adcode of the receiving province"),
                C("category", "str", allowed=CATEGORIES),
                C("status", "str", allowed=CLUE_STATUSES),
            ),
            key=("clue_id",),
            foreign_keys=(
                ("entity_id", "entities", "entity_id"),
                ("handed_to", "provinces", "adcode"),
            ),
        ),
        Table(
            "cases",
            "An enforcement case, from an alliance clue or from another source.",
            (
                C("case_id", "str"),
                C("clue_id", "str", nullable=True),
                C("source", "str", allowed=CASE_SOURCES),
                C("province_adcode", "str"),
                C("city_adcode", "str"),
                C("opened_on", "date", in_dataset=True),
                C("category", "str", allowed=CATEGORIES),
                C("suspects_caught", "int", minimum=0),
                C("seizure_cny", "float", doc="value of the goods seized, yuan", minimum=0),
                C("facilities_closed", "int", minimum=0),
            ),
            key=("case_id",),
            foreign_keys=(
                ("clue_id", "clues", "clue_id"),
                ("province_adcode", "provinces", "adcode"),
                ("city_adcode", "cities", "adcode"),
            ),
            rules=(InProvince(),),
        ),
        Table(
            "suspects",
            "A person caught in an alliance case (personal data: masked in presenter mode).",
            (
                C("suspect_id", "str"),
                C("case_id", "str"),
                C("entity_id", "str", nullable=True),
                C("name", "str"),
                C("role", "str", allowed=SUSPECT_ROLES),
                C("caught_on", "date", in_dataset=True),
            ),
            key=("suspect_id",),
            foreign_keys=(("case_id", "cases", "case_id"), ("entity_id", "entities", "entity_id")),
        ),
        Table(
            "truth_effects",
            "Generator truth: the planted effect of joining, per member (never shown as a finding).",
            (
                C("province_adcode", "str"),
                C("joined_on", "date"),
                C("log_rate_ratio", "float", doc="planted log change of the monthly case rate"),
            ),
            key=("province_adcode",),
        ),
        Table(
            "truth_rings",
            "Generator truth: which planted ring (criminal organisation) each entity belongs to.",
            (
                C("entity_id", "str"),
                C("ring_id", "str"),
            ),
            key=("entity_id",),
            foreign_keys=(("entity_id", "entities", "entity_id"),),
        ),
        Table(
            "truth_pretrends",
            "Generator truth, only when the config plants one: the pre-trend given to every member's "
            "case rate before joining (never shown as a finding).",
            (
                C("province_adcode", "str"),
                C("months", "int", doc="months before joining the pre-trend spans"),
                C("drift", "float", doc="log points the rate drifts up over those months (kept after)"),
                C("oscillation", "float", doc="log points up and down in alternate months of those months"),
            ),
            key=("province_adcode",),
        ),
        Table(
            "rings",
            "Dataset product: each entity's ring (criminal organisation), detected once on the whole "
            "network when the dataset is written (cloudsword/network/rings.py).",
            (
                C("entity_id", "str"),
                C("ring", "int", doc="1 = the largest ring; 0 = none (a shared hub, or no ring-mates)"),
                C("ring_size", "int", doc="entities in the ring in the whole dataset; 0 for none"),
                C("hub", "bool", doc="a shared courier or payment provider, set aside before detection"),
            ),
            key=("entity_id",),
            foreign_keys=(("entity_id", "entities", "entity_id"),),
            complete=("entity_id", "entities", "entity_id"),
        ),
    )
}
del C

# Tables the generator writes (provinces and cities are reference geography in data/geo/).
DATASET_TABLES = (
    "memberships",
    "entities",
    "links",
    "clues",
    "cases",
    "suspects",
    "truth_effects",
    "truth_rings",
)
# Truth tables written only when the config plants what they record.
OPTIONAL_TRUTH = ("truth_pretrends",)
# Dataset products: derived from the tables above when a dataset is written, stored beside them,
# checked when it is opened; a dataset without one (made by hand) gets it built when first needed.
PRODUCT_TABLES = ("rings",)


class SchemaError(ValueError):
    """A table does not match its definition; `problems` lists every mismatch found."""

    def __init__(self, table: str, problems: list[str], source: str = ""):
        self.table, self.problems, self.source = table, problems, source
        where = f" ({source})" if source else ""
        super().__init__(f"table '{table}'{where}: " + "; ".join(problems))


def validate_frame(name: str, df: pd.DataFrame, source: str = "") -> None:
    """Check a pandas frame against table `name` and its domains (cloudsword.checks, the same
    rules the store runs); raise SchemaError listing every error, in English."""
    from cloudsword.checks import check_frame, errors
    from cloudsword.i18n import error_text

    problems = errors(check_frame(name, df))
    if problems:
        raise SchemaError(name, [error_text(p.message(source or name), "en") for p in problems], source)


def markdown() -> str:
    """docs/data-model.md, generated from the definitions above (a test keeps them in step)."""
    out = [
        "# Data model",
        "",
        "Generated from `cloudsword/schema.py` by `python -c 'from cloudsword.schema import markdown; "
        'print(markdown(), end="")\' > docs/data-model.md`; a test fails when the two differ.',
        "",
        "Every table is a Parquet file in the dataset directory (`provinces` and `cities` come from",
        "`data/geo/`). Ids are strings, dates are dates, money is yuan (float64), places are 6-digit",
        "adcodes. The store checks every column, type, empty value, allowed value, key and reference",
        "before the app shows anything, and every value's domain: numbers are finite (NaN counts as",
        "empty), bounded where the table says so, event dates lie inside the dataset's declared range",
        "(`start`..`end` of manifest.json: rows outside it are left out of the figures, with a warning",
        "on every page they affect), places agree with the place tables. Any other broken rule stops",
        "the dataset from opening, with the file, column, rule, number of rows and the first rows.",
        "",
    ]
    for table in TABLES.values():
        out += [f"## {table.name}", "", table.doc, "", f"Key: `{', '.join(table.key)}`.", ""]
        out += [
            "| column | type | empty allowed | domain | allowed values / notes |",
            "|---|---|---|---|---|",
        ]
        for c in table.columns:
            notes = ", ".join(f"`{a}`" for a in c.allowed) if c.allowed else c.doc
            out.append(
                f"| `{c.name}` | {c.dtype} | {'yes' if c.nullable else 'no'} | {_domain(c)} | {notes} |"
            )
        if table.foreign_keys:
            refs = "; ".join(f"`{col}` -> `{t}.{rc}`" for col, t, rc in table.foreign_keys)
            out += ["", f"References: {refs}."]
        for rule in table.rules:
            if isinstance(rule, InProvince):
                out += ["", f"Rule: `{rule.city}` is a city of `{rule.province}` (cities.province_adcode)."]
            else:
                out += ["", f"Rule: `{rule.first}` <= `{rule.last}`."]
        if table.complete:
            col, ref, ref_col = table.complete
            out += ["", f"Complete: every `{ref}.{ref_col}` has a row (`{col}`)."]
        out.append("")
    return "\n".join(out)


def _domain(c: Column) -> str:
    parts = ["finite"] if c.dtype == "float" else []
    if c.minimum is not None and c.maximum is not None:
        parts.append(f"{c.minimum:g} to {c.maximum:g}")
    elif c.minimum is not None:
        parts.append(f">= {c.minimum:g}")
    if c.in_dataset:
        parts.append("inside the dataset's range")
    return ", ".join(parts)
