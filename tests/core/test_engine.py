"""The engine choice (cloudsword/engine.py): configuration read, refused when unknown (in both
languages), local Spark kept on the loopback address. The engines themselves: test_spark_parity.py."""

from __future__ import annotations

import pytest

from cloudsword import engine
from cloudsword.errors import ConfigError
from cloudsword.i18n import error_text


def test_duckdb_is_the_default_and_spark_is_chosen_by_configuration(monkeypatch):
    monkeypatch.delenv("CLOUDSWORD_ENGINE", raising=False)
    assert engine.configured() == "duckdb"
    monkeypatch.setenv("CLOUDSWORD_ENGINE", " Spark ")
    assert engine.configured() == "spark"


def test_an_unknown_engine_is_refused_with_a_message_in_both_languages(monkeypatch):
    monkeypatch.setenv("CLOUDSWORD_ENGINE", "oracle")
    with pytest.raises(ConfigError) as err:
        engine.configured()
    assert "oracle" in error_text(err.value, "en") and "duckdb, spark" in error_text(err.value, "en")
    assert "CLOUDSWORD_ENGINE" in error_text(err.value, "zh") and "查询引擎" in error_text(err.value, "zh")


def test_local_spark_listens_on_loopback_and_settings_can_be_added():
    master, conf = engine.spark_settings({"CLOUDSWORD_SPARK_CONF": "spark.executor.memory=2g; a.b = c"})
    assert master == "local[2]" and conf["spark.driver.bindAddress"] == "127.0.0.1"
    assert conf["spark.ui.enabled"] == "false"
    assert conf["spark.executor.memory"] == "2g" and conf["a.b"] == "c"
    master, conf = engine.spark_settings({"CLOUDSWORD_SPARK_MASTER": "spark://h:7077"})
    assert master == "spark://h:7077" and "spark.driver.bindAddress" not in conf
