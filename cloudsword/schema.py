"""The canonical data model (DESIGN.md §3) as code: one definition per table.

Every table the app loads is checked against these definitions before any query runs, so a
wrong file is reported by name and column instead of surfacing later as a broken chart.
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


@dataclass(frozen=True)
class Column:
    """One column: its logical type, whether nulls are allowed, and its allowed values."""

    name: str
    dtype: str  # "str" | "date" | "float" | "int" | "bool"
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    doc: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = field(default=())  # (column, table, column)
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
                ),
                C("gdp_cny", "float", nullable=True, doc="gross regional product, yuan"),
                C("lon", "float", doc="centroid longitude"),
                C("lat", "float", doc="centroid latitude"),
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
                C("lon", "float"),
                C("lat", "float"),
            ),
            key=("adcode",),
            foreign_keys=(("province_adcode", "provinces", "adcode"),),
        ),
        Table(
            "memberships",
            "A province's membership of the alliance.",
            (
                C("province_adcode", "str"),
                C("joined_on", "date"),
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
                C("lon", "float"),
                C("lat", "float"),
                C("first_seen", "date"),
            ),
            key=("entity_id",),
            foreign_keys=(
                ("province_adcode", "provinces", "adcode"),
                ("city_adcode", "cities", "adcode"),
            ),
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
                C("evidence_count", "int"),
            ),
            key=("src_id", "dst_id", "relation"),
            foreign_keys=(("src_id", "entities", "entity_id"), ("dst_id", "entities", "entity_id")),
        ),
        Table(
            "clues",
            "A lead handed by the platform to a member province.",
            (
                C("clue_id", "str"),
                C("issued_on", "date"),
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
                C("opened_on", "date"),
                C("category", "str", allowed=CATEGORIES),
                C("suspects_caught", "int"),
                C("seizure_cny", "float"),
                C("facilities_closed", "int"),
            ),
            key=("case_id",),
            foreign_keys=(
                ("clue_id", "clues", "clue_id"),
                ("province_adcode", "provinces", "adcode"),
                ("city_adcode", "cities", "adcode"),
            ),
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
                C("caught_on", "date"),
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


_PANDAS_KIND = {
    "str": lambda s: pd.api.types.is_string_dtype(s) or pd.api.types.is_object_dtype(s),
    "date": lambda s: pd.api.types.is_datetime64_any_dtype(s),
    "float": lambda s: pd.api.types.is_float_dtype(s) or pd.api.types.is_integer_dtype(s),
    "int": lambda s: pd.api.types.is_integer_dtype(s),
    "bool": lambda s: pd.api.types.is_bool_dtype(s),
}


def validate_frame(name: str, df: pd.DataFrame, source: str = "") -> None:
    """Check a pandas frame against table `name`; raise SchemaError listing every problem."""
    table = TABLES[name]
    problems: list[str] = []
    missing = [c for c in table.column_names if c not in df.columns]
    if missing:
        problems.append("missing columns: " + ", ".join(missing))
    for col in table.columns:
        if col.name not in df.columns:
            continue
        s = df[col.name]
        if not _PANDAS_KIND[col.dtype](s):
            problems.append(f"column '{col.name}' should be {col.dtype}, is {s.dtype}")
            continue
        nulls = int(s.isna().sum())
        if nulls and not col.nullable:
            problems.append(f"column '{col.name}' has {nulls} empty values")
        if col.allowed is not None:
            bad = sorted(set(s.dropna().unique()) - set(col.allowed))
            if bad:
                problems.append(f"column '{col.name}' has values outside {list(col.allowed)}: {bad[:5]}")
    if len(df) and all(k in df.columns for k in table.key):
        dup = int(df.duplicated(list(table.key)).sum())
        if dup:
            problems.append(f"{dup} duplicate keys ({', '.join(table.key)})")
    if problems:
        raise SchemaError(name, problems, source)


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
        "before the app shows anything.",
        "",
    ]
    for table in TABLES.values():
        out += [f"## {table.name}", "", table.doc, "", f"Key: `{', '.join(table.key)}`.", ""]
        out += ["| column | type | empty allowed | allowed values / notes |", "|---|---|---|---|"]
        for c in table.columns:
            notes = ", ".join(f"`{a}`" for a in c.allowed) if c.allowed else c.doc
            out.append(f"| `{c.name}` | {c.dtype} | {'yes' if c.nullable else 'no'} | {notes} |")
        if table.foreign_keys:
            refs = "; ".join(f"`{col}` -> `{t}.{rc}`" for col, t, rc in table.foreign_keys)
            out += ["", f"References: {refs}."]
        if table.complete:
            col, ref, ref_col = table.complete
            out += ["", f"Complete: every `{ref}.{ref_col}` has a row (`{col}`)."]
        out.append("")
    return "\n".join(out)
