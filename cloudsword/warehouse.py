"""The warehouse job: a dataset's dataset-level products built on Apache Spark itself.

In a warehouse the tables (cases, clues, entities, links...) are Spark tables or Parquet files far
larger than one machine. The pages read three products instead of the raw tables wherever they
can: `monthly` (cases and clues per province x city x month x category x alliance: the overview,
map and trend queries), `graph_hubs` (the shared providers the network's ego query does not
expand) and `rings` (each entity's ring). This job builds them with the same code the embedded
store uses: the monthly aggregate and the hubs are the Ibis expressions of cloudsword.monthly and
cloudsword.network.warehouse, compiled to Spark SQL and run by Spark; the rings are
cloudsword.network.rings.detect run in one Spark task over the whole graph (igraph's Leiden
method needs the graph in one memory: about 1 GB per 1e6 entities and 3e6 links).

    python -m cloudsword warehouse --tables DIR --out DIR     # or: spark-submit cloudsword/warehouse.py ...

Run it whenever the tables change (the products are only as new as their last build); each
product is written as a Parquet directory under --out, with products.json naming its version and
the tables it was built from. A dashboard started with CLOUDSWORD_PRODUCTS=<--out> reads them in
place of the version's own (cloudsword/shelf.py).
Above the features (it names the network's products), like build.py.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import ibis
import pandas as pd

from cloudsword import engine, geo, monthly, shelf
from cloudsword.network import rings
from cloudsword.network import warehouse as network_warehouse

TABLES = ("cases", "clues", "entities", "links")
VERSIONS = {
    "monthly": monthly.PRODUCT.version,
    network_warehouse.HUBS: network_warehouse.HUBS_VERSION,
    rings.PRODUCT: rings.VERSION,
}


class _SparkTables:
    """The job's view of the warehouse: `table(name)` as the store hands tables to queries."""

    def __init__(self, session, tables: Path | str):
        self.session, self.con = session, ibis.pyspark.connect(session)
        for name in TABLES:
            session.read.parquet(str(Path(tables) / f"{name}.parquet")).createOrReplaceTempView(name)
        session.createDataFrame(geo.load_cities()).createOrReplaceTempView("cities")

    def table(self, name: str):
        return self.con.table(name)

    def frame(self, expr):
        """A Spark DataFrame computing `expr` (nothing is collected to the driver)."""
        return self.session.sql(self.con.compile(expr))


def _rings_frame(t: _SparkTables):
    """rings.detect in one Spark task: the entities and links cogrouped into one group."""
    from pyspark.sql import functions as F

    ents = t.session.table("entities").select("entity_id", "kind").withColumn("g", F.lit(0))
    links = t.session.table("links").select("src_id", "dst_id", "evidence_count").withColumn("g", F.lit(0))
    schema = "entity_id string, ring int, ring_size int, hub boolean"

    def detect(e: pd.DataFrame, lk: pd.DataFrame) -> pd.DataFrame:
        out = rings.detect(e.drop(columns="g"), lk.drop(columns="g"))
        return out.astype({"ring": "int32", "ring_size": "int32", "hub": bool})

    return ents.groupBy("g").cogroup(links.groupBy("g")).applyInPandas(detect, schema)


def build_products(tables: Path | str, out: Path | str, session=None) -> dict:
    """Build every product of the tables at `tables` (Parquet: <table>.parquet) on Spark into
    `out`/<product> (Parquet directories) and `out`/products.json; returns what it wrote."""
    session = session or engine.spark_session()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    t = _SparkTables(session, tables)
    frames = {
        "monthly": t.frame(monthly.monthly_expr(t.table("cases"), t.table("clues"), t.table("entities"))),
        network_warehouse.HUBS: t.frame(network_warehouse.hubs(t)),
        rings.PRODUCT: _rings_frame(t),
    }
    written = {}
    for name, frame in frames.items():
        frame.write.mode("overwrite").parquet(str(out / name))
        written[name] = {"version": VERSIONS[name], "path": name}
    record = {
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": shelf.source_id(tables),  # a store uses these only for the version of these tables
        "products": written,
    }
    (out / "products.json").write_text(json.dumps(record, indent=2) + "\n", "utf-8")
    return record
