"""The network's stored products are built from Arrow columns (issue 13: 3e7 links never become
Python strings). They must equal what the page would build from the same tables as pandas: the
graph's arrays (graph.build_from_tables) and the rings (rings.detect)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cloudsword.dataset import Tables
from cloudsword.network import graph, products, rings
from cloudsword.store import DEFAULT_DATA_DIR

LINK_COLUMNS = ["src_id", "dst_id", "relation", "first_seen", "last_seen", "evidence_count"]


def _messy(tmp: Path) -> Path:
    """The demo's entities and links in another row order, with a link to an unknown entity, a
    self-link and a relation the schema does not know (the builders drop or code them as pandas)."""
    ents = pq.read_table(DEFAULT_DATA_DIR / "entities.parquet")
    links = pq.read_table(DEFAULT_DATA_DIR / "links.parquet")
    rng = np.random.default_rng(11)
    ents = ents.take(rng.permutation(ents.num_rows))
    links = links.take(rng.permutation(links.num_rows))
    odd = links.slice(0, 3).to_pandas()
    odd.loc[0, "dst_id"] = "E-NOWHERE"
    odd.loc[1, "dst_id"] = odd.loc[1, "src_id"]
    odd.loc[2, "relation"] = "unheard_of"
    links = pa.concat_tables([links, pa.Table.from_pandas(odd, schema=links.schema, preserve_index=False)])
    tmp.mkdir()
    pq.write_table(ents, tmp / "entities.parquet")
    pq.write_table(links, tmp / "links.parquet", row_group_size=7_000)  # several row groups
    return tmp


@pytest.fixture(params=["demo", "messy"])
def tables(request, tmp_path: Path) -> Tables:
    return Tables(DEFAULT_DATA_DIR if request.param == "demo" else _messy(tmp_path / "messy"))


def test_graph_arrays_equal_the_graph_built_from_pandas(tables: Tables) -> None:
    built = products.build_graph_arrays(tables)
    g = graph.build_from_tables(
        tables.frame("entities", list(graph.ENTITY_COLUMNS)), tables.frame("links", LINK_COLUMNS)
    )
    expected = graph.graph_arrays(g)
    assert set(built) == set(graph.ARRAYS)
    for name in graph.ARRAYS:
        assert built[name].dtype == expected[name].dtype, name
        assert np.array_equal(built[name], expected[name], equal_nan=built[name].dtype.kind == "f"), name
    assert g.m == tables.arrow("links", ["src_id"]).num_rows - (2 if "messy" in str(tables.dir) else 0)


def test_rings_equal_the_rings_detected_on_pandas(tables: Tables) -> None:
    built = products.build_rings(tables).to_pandas()
    expected = rings.detect(
        tables.frame("entities", ["entity_id", "kind"]),
        tables.frame("links", ["src_id", "dst_id", "evidence_count"]),
    )
    pd.testing.assert_frame_equal(built, expected)
    assert built.ring.max() > 10  # the demo's rings are found, not an empty answer
