"""The generator's streams: scale 1000 (1e8 cases) is drawn and written chunk by chunk.

Up to scale 100 every stream is one chunk, so the shipped demo is byte for byte what drawing each
table whole gave (test_synth.test_demo_is_current). Here the chunks are made tiny, so a small
dataset takes the path 1e8 cases take: the case table, drawn a few months at a time, must hold
the same plan (every province x month count, every alliance case), stay sorted with consecutive
ids, and the suspects, drawn after it, must point at the alliance cases where they fell.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cloudsword import dataset
from cloudsword.synth import cases as synth_cases
from cloudsword.synth import generate as synth
from cloudsword.synth.config import load_config

SCALE, SEED = 0.5, 3


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[Path, Path]:
    """The same dataset written whole and in tiny chunks (cases 1,500 rows at most, i.e.
    a month or two; entities 700; links 2,500)."""
    config = load_config()
    base = tmp_path_factory.mktemp("streamed")
    whole, chunked = base / "whole", base / "chunked"
    synth.generate(config, SEED, SCALE, whole)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(synth_cases, "CHUNK_ROWS", 1_500)
        mp.setattr(synth, "ENTITY_CHUNK", 700)
        mp.setattr(synth, "LINK_CHUNK", 2_500)
        synth.generate(config, SEED, SCALE, chunked)
    return whole, chunked


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pq.read_table(folder / f"{name}.parquet").to_pandas()


def test_chunks_were_many(pair):
    _, chunked = pair
    assert pq.ParquetFile(chunked / "cases.parquet").metadata.num_row_groups >= 30
    assert pq.ParquetFile(chunked / "entities.parquet").metadata.num_row_groups >= 7
    assert pq.ParquetFile(chunked / "links.parquet").metadata.num_row_groups >= 6


def test_cases_keep_the_plan(pair):
    whole, chunked = (_read(p, "cases") for p in pair)
    assert len(whole) == len(chunked)
    cell = lambda c: c.groupby([c.province_adcode, pd.to_datetime(c.opened_on).dt.to_period("M")]).size()
    pd.testing.assert_series_equal(cell(whole), cell(chunked))
    ally = lambda c: c[c.clue_id.notna()].drop(columns="case_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(ally(whole), ally(chunked))


def test_cases_sorted_with_consecutive_ids(pair):
    _, chunked = pair
    c = _read(chunked, "cases")
    key = list(zip(c.opened_on, c.province_adcode, strict=True))
    assert key == sorted(key)
    assert list(c.case_id) == [f"CA{i:08d}" for i in range(len(c))]


def test_suspects_point_at_their_alliance_cases(pair):
    whole, chunked = pair
    s_whole, s_chunked = _read(whole, "suspects"), _read(chunked, "suspects")
    assert len(s_whole) == len(s_chunked) > 0
    clue_of = {p: _read(p, "cases").set_index("case_id").clue_id for p in pair}
    # the same people, caught in the same alliance case (known by its clue) on the same day
    assert list(clue_of[whole].loc[s_whole.case_id]) == list(clue_of[chunked].loc[s_chunked.case_id])
    cols = ["suspect_id", "entity_id", "name", "role", "caught_on"]
    pd.testing.assert_frame_equal(s_whole[cols], s_chunked[cols])
    opened = _read(chunked, "cases").set_index("case_id").opened_on.loc[s_chunked.case_id]
    assert (opened.to_numpy() <= s_chunked.caught_on.to_numpy()).all()


def test_network_needs_no_draws(pair):
    """Links and rings draw nothing when written, so chunks change none of their rows (the links'
    row groups differ); entities keep every column but their names (drawn a chunk at a time)."""
    whole, chunked = pair
    for name in ("rings", "clues", "truth_rings"):
        assert (whole / f"{name}.parquet").read_bytes() == (chunked / f"{name}.parquet").read_bytes(), name
    assert pq.read_table(whole / "links.parquet").equals(pq.read_table(chunked / "links.parquet"))
    a, b = _read(whole, "entities"), _read(chunked, "entities")
    pd.testing.assert_frame_equal(a.drop(columns="name"), b.drop(columns="name"))
    assert b.name.notna().all() and (b.name.str.len() > 1).all()


def test_rings_from_arrays_equal_rings_from_tables(pair):
    """The flat layout's rings come from the generator's arrays; detected on the written tables,
    they are the same."""
    from cloudsword.network import rings

    _, chunked = pair
    again = rings.detect(_read(chunked, "entities"), _read(chunked, "links"))
    pd.testing.assert_frame_equal(again, _read(chunked, "rings"), check_dtype=False)


def test_month_groups():
    assert synth_cases.month_groups(np.array([5, 5, 5, 5]), 10) == [(0, 2), (2, 4)]
    assert synth_cases.month_groups(np.array([30, 5, 5]), 10) == [(0, 1), (1, 3)]  # a month is never split
    assert synth_cases.month_groups(np.array([1, 1, 1]), 100) == [(0, 3)]


def test_a_stream_writes_what_the_table_would(tmp_path):
    table = pa.table({"a": np.arange(10), "b": [f"x{i}" for i in range(10)]})
    parts = dataset.TableStream(10, lambda: iter([table.slice(0, 4), table.slice(4)]))
    assert dataset.write_parquet(tmp_path / "s.parquet", parts) == 10
    assert pq.read_table(tmp_path / "s.parquet").equals(table)
    short = dataset.TableStream(11, lambda: iter([table]))
    with pytest.raises(ValueError, match="10 rows, not 11"):
        dataset.write_parquet(tmp_path / "t.parquet", short)


def test_the_versioned_writer_takes_streams(tmp_path):
    """The CLI's versioned layout writes the same streams, through cloudsword.build."""
    from cloudsword.build import write_version

    config = load_config()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(synth_cases, "CHUNK_ROWS", 4_000)
        counts = synth.generate(config, SEED, 0.2, tmp_path / "v", write=write_version)
    v = dataset.open_version(tmp_path / "v")
    try:
        written = pq.read_metadata(v.dir / "cases.parquet").num_rows
        assert v.manifest["rows"]["cases"] == counts["cases"] == written
        assert not dataset.verify(v)
    finally:
        dataset.release(v)
