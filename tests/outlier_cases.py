"""The data page's outlying seized values (cloudsword.ingest.quality.outliers), held to the pandas
computation it replaced, on datasets whose seized values are planted to reach its edge cases.
Shared by tests/ingest/test_quality.py (DuckDB) and tests/ingest/test_spark_outliers.py (Spark).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cloudsword.ingest.quality import OUTLIER_MADS
from cloudsword.store import DEFAULT_DATA_DIR

COLUMNS = ["case_id", "province_adcode", "category", "opened_on", "seizure_cny", "typical", "deviations"]
TIE = 7.5e8  # planted in two apparel cases and one footwear case: outliers of equal value


def reference(store, limit: int = 200) -> pd.DataFrame:
    """The pandas computation the query replaced (every case's value brought to the app), its
    order made total: equal values by case id."""
    c = store.table("cases")
    cases = store.run(c.select("case_id", "province_adcode", "category", "opened_on", "seizure_cny"))
    pos = cases[cases.seizure_cny > 0].copy()
    if pos.empty:
        return pos.assign(typical=[], deviations=[])
    pos["log"] = np.log10(pos.seizure_cny)
    grouped = pos.groupby("category")["log"]
    med = grouped.transform("median")
    mad = grouped.transform(lambda s: (s - s.median()).abs().median()).replace(0, np.nan)
    pos["deviations"] = (pos["log"] - med) / (1.4826 * mad)
    pos["typical"] = 10**med
    out = pos[pos.deviations > OUTLIER_MADS]
    out = out.sort_values(["seizure_cny", "case_id"], ascending=[False, True], kind="stable")
    return out[COLUMNS].head(limit).reset_index(drop=True)


def assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """The same rows in the same order; floats to 1e-9 relative (log10 and the medians are
    computed by another library)."""
    assert list(got.columns) == COLUMNS and list(want.columns) == COLUMNS
    assert got.case_id.tolist() == want.case_id.tolist()
    if len(want):
        pd.testing.assert_frame_equal(got, want, check_dtype=False, rtol=1e-9)


def generate_small(out: Path) -> Path:
    """A small generated dataset (scale 0.05: about 5,000 cases), flat layout."""
    from cloudsword.synth.config import load_config
    from cloudsword.synth.generate import generate

    generate(load_config(DEFAULT_DATA_DIR.parent / "alliance.toml"), 5, 0.05, out)
    return out


def planted(src: Path, dst: Path, kind: str) -> Path:
    """A copy of dataset `src` with its cases' seized values rewritten (every other column and
    table as they were, so the dataset still opens):

    kind "outliers": toys seize nothing (a category with no positive value); more than half the
    bags seize 20,000 yuan exactly (MAD 0), three of them 2e9 (no outliers all the same); each
    other category has an even count of positive values (a zero where it was odd), so its medians
    interpolate, medicine's values all distinct; outliers planted in apparel, footwear, cosmetics
    and medicine, TIE in three cases of two categories and 3e8 in three cosmetics cases.
    kind "nothing": no case seizes anything."""
    shutil.copytree(src, dst)
    path = dst / "cases.parquet"
    table = pq.read_table(path)
    value = table.column("seizure_cny").to_numpy().copy()
    if kind == "nothing":
        value[:] = 0.0
    else:
        rng = np.random.default_rng(13)
        category = table.column("category").to_numpy(zero_copy_only=False)
        order = np.argsort(table.column("case_id").to_numpy(zero_copy_only=False), kind="stable")
        rows = {c: order[category[order] == c] for c in np.unique(category)}
        value[rows["toys"]] = 0.0
        bags = rows["bags"]
        value[bags[: len(bags) * 3 // 5]] = 20_000.0
        value[bags[-3:]] = 2e9
        medicine = rows["medicine"]
        value[medicine] = np.round(rng.lognormal(np.log(20_000), 1.0, len(medicine)), 2)
        value[rows["apparel"][[5, 17]]] = TIE
        value[rows["footwear"][3]] = TIE
        value[rows["cosmetics"][[2, 4, 8]]] = 3e8
        value[rows["medicine"][[1, 9]]] = [5e8, 4e8]
        for c, r in rows.items():
            if c not in ("toys", "bags") and (value[r] > 0).sum() % 2:
                value[r[(value[r] > 0) & (value[r] < 1e8)][-1]] = 0.0  # an even count
    i = table.schema.get_field_index("seizure_cny")
    pq.write_table(table.set_column(i, "seizure_cny", pa.array(value, pa.float64())), path)
    return dst
