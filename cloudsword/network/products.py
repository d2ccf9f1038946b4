"""The network feature's dataset products (collected by cloudsword.build): the rings, detected
once on the whole network when a dataset version is written and stored with it."""

from __future__ import annotations

import pandas as pd

from cloudsword.dataset import Product, Tables
from cloudsword.network import rings


def build_rings(tables: Tables) -> pd.DataFrame:
    """Each entity's ring on this version's tables (rings.detect: pure, the same tables give the
    same rings)."""
    return rings.detect(
        tables.frame("entities", ["entity_id", "kind"]),
        tables.frame("links", ["src_id", "dst_id", "evidence_count"]),
    )


PRODUCTS = [Product(rings.PRODUCT, rings.VERSION, build_rings, "each entity's ring on the whole network")]
