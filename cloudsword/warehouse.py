"""The warehouse job: a dataset's dataset-level products built on Apache Spark itself.

In a warehouse the tables (cases, clues, entities, links...) are Spark tables or Parquet files far
larger than one machine. The pages read three products instead of the raw tables wherever they
can: `monthly` (cases and clues per province x city x month x category x alliance: the overview,
map and trend queries), `graph_hubs` (the shared providers the network's ego query does not
expand) and `rings` (each entity's ring). This job builds them with the same code the embedded
store uses: the monthly aggregate and the hubs are the Ibis expressions of cloudsword.monthly and
cloudsword.network.warehouse, compiled to Spark SQL and run by Spark; the rings are
cloudsword.network.products.build_rings run in one Spark task over the whole graph, handed over as
Arrow (igraph's Leiden method needs the graph in one memory: about 0.7 GB at 1e6 entities and 3e6
links).

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
import pyarrow as pa

from cloudsword import engine, geo, monthly, shelf
from cloudsword.network import products, rings
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
    """The rings product built in one Spark task, by the embedded build's own code
    (network.products.build_rings): the entities and links cogrouped into one group and handed
    over as Arrow, so 3e7 links' ids never become Python strings (as pandas they took the task past
    7 GB at 1e7 entities)."""
    from pyspark.sql import functions as F

    ents = t.session.table("entities").select("entity_id", "kind").withColumn("g", F.lit(0))
    links = t.session.table("links").select("src_id", "dst_id", "evidence_count").withColumn("g", F.lit(0))

    def detect(e: pa.Table, lk: pa.Table) -> pa.Table:
        out = products.build_rings(products.ArrowTables(entities=e, links=lk))
        ids = e.schema.field("entity_id").type  # as Spark sent them (string, or large_string)
        fields = [("entity_id", ids), ("ring", pa.int32()), ("ring_size", pa.int32()), ("hub", pa.bool_())]
        return out.cast(pa.schema(fields))

    ddl = "entity_id string, ring int, ring_size int, hub boolean"
    return ents.groupBy("g").cogroup(links.groupBy("g")).applyInArrow(detect, ddl)


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
