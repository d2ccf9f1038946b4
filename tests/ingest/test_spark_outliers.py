"""The data page's outlying seized values on Apache Spark (local mode): the planted edge cases of
tests/outlier_cases.py (interpolated medians, equal values, a category whose MAD is 0, one with no
positive value, a dataset that seizes nothing) give the pandas answer there too. Spark's exact
`percentile` and DuckDB's `quantile_cont` are the same median; tests/core/test_spark_parity.py runs
the query on a generated dataset."""

from __future__ import annotations

import pytest
from outlier_cases import assert_same, generate_small, planted, reference

from cloudsword.ingest import quality
from cloudsword.store import Store


@pytest.fixture(scope="module")
def datasets(tmp_path_factory):
    root = tmp_path_factory.mktemp("spark-outliers")
    small = generate_small(root / "small")
    return {kind: planted(small, root / kind, kind) for kind in ("outliers", "nothing")}


@pytest.mark.parametrize("kind", ["outliers", "nothing"])
def test_planted_edge_cases_give_the_pandas_answer_on_spark(datasets, kind, monkeypatch):
    monkeypatch.setenv("CLOUDSWORD_ENGINE", "duckdb")
    want = reference(Store(datasets[kind]))
    monkeypatch.setenv("CLOUDSWORD_ENGINE", "spark")
    spark = Store(datasets[kind])
    assert spark.engine.name == "spark"
    assert_same(quality.outliers(spark), want)
    if kind == "outliers":
        assert len(want) > 5
        assert_same(quality.outliers(spark, 2), reference(spark, 2))  # the cut goes through TIE
