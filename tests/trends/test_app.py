"""The /trends page in both languages (Streamlit AppTest): switches change the estimates, bad
input is explained, the options round-trip to the URL."""

from __future__ import annotations

import json

import pytest
from apptest import open_page, shown_all
from streamlit.testing.v1 import AppTest

from cloudsword import geo
from cloudsword.i18n import t
from cloudsword.store import DEFAULT_DATA_DIR, Store
from cloudsword.trends import analysis as trends
from cloudsword.trends import charts as charts_trends

PAGE = "views/trends.py"


def _run(lang: str = "en", **params: str) -> AppTest:
    return open_page(PAGE, lang, **params)


def _overall(at: AppTest, lang: str = "en") -> str:
    return {m.label: m.value for m in at.metric}[t("trends.overall", lang)]


def _charts(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(DEFAULT_DATA_DIR)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_runs_in_each_language_with_the_stores_numbers(store, lang):
    at = _run(lang)
    assert not at.exception, at.exception
    assert not at.error and not at.warning
    assert t("trends.title", lang) in [h.value for h in at.header]
    panel = trends.build_panel(store, store.default_filters())
    est = trends.estimate(panel, "cases")
    assert _overall(at, lang) == charts_trends.pct(est.overall["att"], 1)
    assert _charts(at) == 4, "event study, by cohort, by month, aligned members (provinces: one click lower)"
    text = " ".join(m.value for m in at.markdown)
    assert t("trends.story.limits", lang) in text
    other = "zh" if lang == "en" else "en"
    assert t("trends.story.limits", other) not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_province_panels_are_built_once_opened(lang):
    """Each province's series sits one click lower: closed, nothing of it is built or sent; opened,
    a panel per province in the page's language, with its files."""
    at = _run(lang)
    label = t("trends.series.open", lang, n=31)
    assert [e.label for e in at.expander if e.label == label] == [label]
    assert not any(k.startswith("trends_series_dl") for k in (b.key for b in at.get("download_button")))
    at = open_page(PAGE, lang, state={"trends_series_box": True})
    assert not at.exception and _charts(at) == 5
    series = json.loads(at.get("plotly_chart")[-1].proto.spec)
    titles = [a["text"] for a in series["layout"]["annotations"]]
    assert len(titles) == 31 and titles[0].startswith(geo.province_name("330000", lang, short=True))
    assert {"trends_series_dl_csv", "trends_series_dl_png"} <= {b.key for b in at.get("download_button")}


def test_outcome_switch_changes_the_estimate():
    at = _run("en")
    cases = _overall(at)
    at.radio(key="metric").set_value("suspects").run()
    assert not at.exception
    assert _overall(at) != cases
    assert any("suspects caught" in c.value for c in at.caption), "the intro names the outcome"


def test_comparison_switch_changes_the_estimate_and_the_url():
    at = _run("en")
    notyet = _overall(at)
    at.segmented_control(key="trends_compare").set_value("never").run()
    assert not at.exception
    assert _overall(at) != notyet
    assert at.query_params["compare"] == "never"


def test_options_come_from_the_url():
    at = _run(
        "en",
        compare="never",
        anticipation="1",
        es_window="6",
        es_bin="quarter",
        es_band="1",
        es_base="varying",
    )
    assert not at.exception and not at.warning
    assert at.segmented_control(key="trends_compare").value == "never"
    assert at.segmented_control(key="trends_base").value == "varying"
    assert at.selectbox(key="trends_antic").value == 1
    assert at.select_slider(key="trends_window").value == 6
    assert at.toggle(key="trends_quarters").value and at.toggle(key="trends_band").value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_base_switch_says_which_base_the_chart_uses(lang):
    at = _run(lang)
    captions = " ".join(c.value for c in at.caption)
    assert t("trends.base.fixed_method", lang, ref="-1") in captions
    at.segmented_control(key="trends_base").set_value("varying").run()
    assert not at.exception
    assert at.query_params["es_base"] == "varying"
    assert t("trends.base.varying_method", lang) in " ".join(c.value for c in at.caption)
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    notes = [a.get("text", "") for a in fig["layout"].get("annotations", [])]
    assert t("trends.base.varying_note", lang) in notes


def test_the_summary_says_what_the_pretrend_test_can_see():
    at = _run("en")
    text = " ".join(m.value for m in at.markdown)
    assert "There is no evidence of different trends before joining" in text
    assert "a test of this size detects a drift of about +" in text
    assert "moved in step" not in text
    help_text = {m.label: m.help for m in at.metric}[t("trends.pretrend", "en")]
    assert "wild cluster bootstrap" in help_text and "Webb" in help_text


def test_the_aggregates_and_the_interval_table_are_shown():
    at = _run("zh")
    assert t("trends.agg", "zh") in [s.value for s in at.subheader]
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert any(t("trends.agg.cohort", "zh", metric=t("metric.cases", "zh")) in s for s in titles)
    assert any(t("trends.agg.month", "zh", metric=t("metric.cases", "zh")) in s for s in titles)
    (table,) = [d.value for d in at.dataframe if t("trends.compare.df", "zh") in d.value.columns]
    assert list(table[t("trends.compare.df", "zh")]) == [12, 30, 12]


def test_bad_option_in_the_url_warns_and_falls_back():
    at = _run("zh", compare="sometimes", es_window="7")
    assert not at.exception
    warnings = shown_all(at.warning)
    assert t("filters.url_problem", "zh", param="compare", value="sometimes") in warnings
    assert t("filters.url_problem", "zh", param="es_window", value="7") in warnings
    assert at.segmented_control(key="trends_compare").value == "notyet"


def test_clues_are_explained_instead_of_plotted():
    at = _run("en", metric="clues")
    assert not at.exception
    assert t("trends.problem.clues", "en") in [i.value for i in at.info]
    assert t("trends.overall", "en") not in [m.label for m in at.metric]
    assert _charts(at) == 1, "only the province series"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_member_in_the_selection_is_explained(lang):
    at = _run(lang)
    at.multiselect(key="provinces").set_value(["110000", "120000"]).run()
    assert not at.exception
    assert t("trends.problem.no_member", lang) in [w.value for w in at.warning]
    assert _charts(at) == 1


def test_too_few_months_is_explained():
    at = _run("en", **{"from": "2017-06-01", "to": "2017-07-31"})
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "Zhejiang (May 2015)" in warning and "Widen the date range" in warning


@pytest.mark.parametrize(
    ("metric", "named", "not_named"), [("cases", "monthly cases", "yuan"), ("seizure", "yuan", "")]
)
def test_the_model_caption_names_the_metric_it_compares(metric, named, not_named):
    at = _run("en", metric=metric)
    assert not at.exception, at.exception
    model = next(c.value for c in at.caption if c.value.startswith("Model:"))
    assert named in model and (not not_named or not_named not in model), model
