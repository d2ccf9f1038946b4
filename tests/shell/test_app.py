"""Every page runs in both languages without an exception (Streamlit AppTest)."""

from datetime import date

import pytest
from apptest import open_page
from streamlit.testing.v1 import AppTest

from cloudsword.i18n import format_metric, format_pct, t
from cloudsword.overview import queries as overview_queries
from cloudsword.store import DEFAULT_DATA_DIR, Store

PAGES = ["/"]  # one entry per st.Page url path as pages arrive


def _run(lang: str = "en", **params: str) -> AppTest:
    return open_page(None, lang, timeout=60, **params)


def _text(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.title]
    parts += [e.value for e in at.info] + [e.value for e in at.warning] + [e.value for e in at.error]
    parts += [e.value for e in at.header]
    return "\n".join(map(str, parts))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_runs_and_reads_the_store(lang):
    at = _run(lang)
    assert not at.exception
    assert at.title[0].value == t("app.title", lang)
    assert t("demo.notice", lang, as_of="x").split("（")[0].split("(")[0][:8] in _text(at)
    totals = overview_queries.alliance_totals(
        Store(DEFAULT_DATA_DIR), Store(DEFAULT_DATA_DIR).default_filters()
    )
    shown = {m.label: m.value for m in at.metric}
    for metric in ("clues", "cases", "suspects", "seizure"):
        assert shown[t(f"metric.{metric}", lang)] == format_metric(metric, totals[metric], lang)


def test_permalink_sets_the_view():
    at = _run("en", **{"from": "2016-08-01", "to": "2017-07-31", "metric": "suspects"})
    assert not at.exception
    assert at.radio(key="metric").value == "suspects"
    store = Store(DEFAULT_DATA_DIR)
    f = store.default_filters().with_(date_from=date(2016, 8, 1))
    now, before = overview_queries.alliance_totals(store, f), overview_queries.previous_totals(store, f)
    shown = {m.label: m for m in at.metric}
    assert shown["Cases"].value == format_metric("cases", now["cases"], "en")
    assert shown["Clues"].delta == format_pct(now["clues"] / before["clues"] - 1, "en")
    assert shown["Clues"].proto.delta_description == "vs previous 12 months"


def test_bad_permalink_opens_the_default_view_with_a_notice():
    at = _run("en", metric="bogus", **{"from": "not-a-date"})
    assert not at.exception
    assert at.radio(key="metric").value == "cases"
    assert any("metric" in w.value for w in at.warning) and any("from" in w.value for w in at.warning)


def test_language_switch_changes_every_label():
    at = _run("zh")
    labels_zh = {m.label for m in at.metric}
    at.segmented_control(key="lang").set_value("en").run()
    assert not at.exception
    labels_en = {m.label for m in at.metric}
    assert labels_zh == {"线索", "案件", "抓获嫌疑人", "涉案金额"}
    assert labels_en == {"Clues", "Cases", "Suspects caught", "Seized value"}
    assert at.title[0].value == "Cloud Sword Alliance Dashboard"


def test_filters_change_the_figures():
    at = _run("en")
    before = {m.label: m.value for m in at.metric}
    at.multiselect(key="provinces").set_value(["440000"]).run()
    after = {m.label: m.value for m in at.metric}
    assert not at.exception and before["Clues"] != after["Clues"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_missing_data_directory_is_explained_not_crashed(monkeypatch, tmp_path, lang):
    monkeypatch.setenv("CLOUDSWORD_DATA", str(tmp_path / "missing"))
    at = _run(lang)
    assert not at.exception
    assert any("missing" in e.value for e in at.error)
    assert not any(str(tmp_path) in e.value for e in at.error)  # the dataset, not the server's path
    assert t("error.title", lang) in at.error[0].value


def test_corrupt_data_file_is_named(monkeypatch, tmp_path):
    import shutil

    shutil.copytree(DEFAULT_DATA_DIR, tmp_path / "d")
    (tmp_path / "d" / "cases.parquet").write_bytes(b"garbage")
    monkeypatch.setenv("CLOUDSWORD_DATA", str(tmp_path / "d"))
    at = _run("zh")
    assert not at.exception
    assert "cases\\.parquet" in at.error[0].value and "损坏" in at.error[0].value  # markdown-escaped


def test_a_page_url_holds_only_its_own_parameters():
    at = _run("en", province="440000", entity="E123")  # another page's parameters, on the overview
    assert not at.exception and not at.warning
    assert "province" not in at.query_params and "entity" not in at.query_params
    at = open_page("views/map.py", "en", province="440000", entity="E123")
    assert not at.exception
    assert at.query_params["province"] == "440000" and "entity" not in at.query_params


def test_a_slide_added_on_a_page_carries_only_that_pages_parameters():
    at = open_page("views/map.py", "en", province="440000", norm="pop")
    at.switch_page("views/network.py").run()
    assert not at.exception and "province" not in at.query_params and "norm" not in at.query_params
    at.button(key="add_to_deck").click().run()
    view = at.session_state["deck"][-1].view
    assert view.startswith("network?") and "province=" not in view and "norm=" not in view
