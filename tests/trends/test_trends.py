"""The before/after-joining analysis against external and planted truth.

- mpdta (R package `did`, tests/data/SOURCES.md): our estimator reproduces the published R
  results to 1e-6, estimates and analytic standard errors; TWFE gives the published -0.0365.
- The demo data: the planted effect of joining (truth_effects + the config's ramp) lies inside
  the 95% interval of the overall effect, averaged over exactly the province-months it covers.
- Placebo join dates: the interval covers zero in at least 90% of 50 draws (slow).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from cloudsword.filters import Filters
from cloudsword.overview import queries as overview_queries
from cloudsword.store import DEFAULT_DATA_DIR, Store
from cloudsword.synth.config import load_config
from cloudsword.trends import analysis as trends
from cloudsword.trends import charts as charts_trends
from cloudsword.trends.analysis import Panel
from cloudsword.trends.estimator import callaway_santanna, naive_before_after, twfe
from cloudsword.trends.params import TrendsParams

MPDTA = Path(__file__).resolve().parents[1] / "data" / "mpdta.csv"
ROOT = Path(__file__).resolve().parents[2]

# R did 2.5: att_gt(yname="lemp", tname="year", idname="countyreal", gname="first.treat", data=mpdta)
R_SIMPLE = (-0.039951, 0.012034)
R_EVENT = {
    -3: (0.030507, 0.015034),
    -2: (-0.000563, 0.013292),
    -1: (-0.024459, 0.014236),
    0: (-0.019932, 0.011826),
    1: (-0.050957, 0.016893),
    2: (-0.137259, 0.036436),
    3: (-0.100811, 0.034359),
}
R_GT_2004 = {
    2004: (-0.010503, 0.023251),
    2005: (-0.070423, 0.030985),
    2006: (-0.137259, 0.036436),
    2007: (-0.100811, 0.034359),
}
TOL = 1e-6 + 5e-7  # the README rounds to 6 decimals: agreement to 1e-6 of the rounded figures


@pytest.fixture(scope="module")
def mpdta() -> pd.DataFrame:
    return pd.read_csv(MPDTA)


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def panel(store: Store) -> Panel:
    return trends.build_panel(store, store.default_filters())


# -- the external truth -------------------------------------------------------------------------
def test_reproduces_r_did_on_mpdta(mpdta):
    fit = callaway_santanna(
        mpdta, "lemp", "countyreal", "year", "first.treat", comparison="never", base_period="varying"
    )
    assert fit.overall_att == pytest.approx(R_SIMPLE[0], abs=TOL)
    assert fit.overall_se == pytest.approx(R_SIMPLE[1], abs=TOL)
    ev = fit.event.set_index("e")
    assert sorted(ev.index) == sorted(R_EVENT)
    for e, (att, se) in R_EVENT.items():
        assert ev.att[e] == pytest.approx(att, abs=TOL), e
        assert ev.se[e] == pytest.approx(se, abs=TOL), e
    gt = fit.group_time[fit.group_time.g == 2004].set_index("t")
    for year, (att, se) in R_GT_2004.items():
        assert gt.att[year] == pytest.approx(att, abs=TOL), year
        assert gt.se[year] == pytest.approx(se, abs=TOL), year
    # the event-time covariance is the one behind those standard errors
    assert np.sqrt(np.diag(fit.vcov)) == pytest.approx([R_EVENT[e][1] for e in fit.vcov_e], abs=TOL)
    # cohorts behind each event time: 2004, 2006 and 2007 at e=0; only 2007 at e=-3
    assert ev.cohorts[0] == (2004, 2006, 2007) and ev.cohorts[-3] == (2007,)


def test_universal_base_fixes_the_reference_at_zero(mpdta):
    fit = callaway_santanna(mpdta, "lemp", "countyreal", "year", "first.treat", comparison="never")
    ev = fit.event.set_index("e")
    assert ev.reference[-1] and ev.att[-1] == 0 and -1 not in fit.vcov_e
    # post-joining effects do not depend on the base period choice (both use g - 1)
    for e in (0, 1, 2, 3):
        assert ev.att[e] == pytest.approx(R_EVENT[e][0], abs=2e-3)
    assert fit.overall_att == pytest.approx(R_SIMPLE[0], abs=TOL)


def test_twfe_on_mpdta_is_the_published_biased_figure(mpdta):
    est = twfe(mpdta, "lemp", "countyreal", "year", "first.treat")
    assert round(est["att"], 4) == -0.0365
    assert est["att"] != pytest.approx(R_SIMPLE[0], abs=1e-3), "TWFE differs from the staggered estimate"
    assert 0 < est["se"] < 0.05 and est["clusters"] == 500


def test_twfe_equals_least_squares_with_dummies(mpdta):
    """The double-demeaning shortcut equals the full regression on unit and year dummies."""
    d = mpdta.copy()
    post = ((d["first.treat"] > 0) & (d.year >= d["first.treat"])).astype(float)
    x = pd.concat(
        [post.rename("post"), pd.get_dummies(d.countyreal, drop_first=True), pd.get_dummies(d.year)], axis=1
    ).to_numpy(float)
    beta = np.linalg.lstsq(x, d.lemp.to_numpy(), rcond=None)[0][0]
    assert twfe(d, "lemp", "countyreal", "year", "first.treat")["att"] == pytest.approx(beta, abs=1e-10)


def test_naive_before_after_has_no_comparison_group():
    d = pd.DataFrame(
        {
            "u": [1, 1, 1, 1, 2, 2, 2, 2],
            "t": [1, 2, 3, 4] * 2,
            "g": [3] * 4 + [0] * 4,
            "y": [0, 0, 1, 1, 5, 5, 9, 9],
        }
    )
    assert naive_before_after(d, "y", "u", "t", "g")["att"] == 1.0  # unit 2's rise is ignored


# -- the planted truth ----------------------------------------------------------------------------
def planted_average(store: Store, panel: Panel) -> float:
    """The estimand of the overall effect on the demo data: the planted log rate ratio, ramped as
    generated, averaged over every member province-month from joining to the panel's end (the
    simple aggregation weights each (cohort, month) cell by its size, i.e. province-months)."""
    truth = store.run(store.table("truth_effects"))
    config = load_config(ROOT / "data" / "alliance.toml")
    assert config.sha256 == store.manifest.raw["config_sha256"], "demo data built from this config"
    ramp = {m.adcode: m.ramp_months for m in config.members}
    last = trends.month_index(panel.months[-1])
    values = []
    for a, llr, joined in zip(truth.province_adcode, truth.log_rate_ratio, truth.joined_on):
        g = trends.month_index(pd.Timestamp(joined))
        values += [llr * min(1.0, (t - g + 1) / ramp[a]) for t in range(g, last + 1)]
    return float(np.mean(values))


@pytest.mark.parametrize("comparison", ["notyet", "never"])
def test_planted_effect_lies_inside_the_interval(store, panel, comparison):
    est = trends.estimate(panel, "cases", TrendsParams(comparison=comparison))
    assert est.ok, est.problem
    truth = planted_average(store, panel)
    o = est.overall
    assert o["lo"] <= truth <= o["hi"], (truth, o)
    assert o["lo"] > 0, "the planted effect is large enough to be found"
    assert o["provinces"] == 13 and o["df"] == 12


def test_pretrend_test_passes_on_parallel_data_and_fails_on_a_planted_trend(panel):
    est = trends.estimate(panel, "cases")
    pre = est.pretrend
    assert pre["p"] > 0.05  # parallel before joining, by construction
    assert pre["months"] == 11 and pre["provinces"] == 13 and pre["draws"] == 1999
    assert 0.05 < pre["drift"] < 0.5, "it states the drift it can see, in log points over a year"
    # members drift apart by 4% a month before joining
    frame = panel.frame.copy()
    g = frame.province_adcode.map(panel.joins)
    ahead = ((g - frame.month).dt.days / 30.44).where(g.notna() & (frame.month < g), 0.0)
    frame["cases"] = np.round(frame.cases * np.exp(0.04 * ahead)).astype("int64")
    tilted = Panel(frame, panel.joins, panel.illustrative, panel.months, panel.provinces)
    assert trends.estimate(tilted, "cases").pretrend["p"] < 0.01


def test_pretrend_test_sees_swings_that_averages_cancel(panel):
    """+/- 15% in alternate months before joining: the old 3-month averages cancelled it."""
    frame = panel.frame.copy()
    g = frame.province_adcode.map(panel.joins)
    ahead = ((g - frame.month).dt.days / 30.44).round().where(g.notna() & (frame.month < g), 0).astype(int)
    swing = np.where((ahead > 0) & (ahead <= 12), np.where(ahead % 2 == 1, -0.15, 0.15), 0.0)
    frame["cases"] = np.round(frame.cases * np.exp(swing)).astype("int64")
    swung = Panel(frame, panel.joins, panel.illustrative, panel.months, panel.provinces)
    assert trends.estimate(swung, "cases").pretrend["p"] < 0.01


def test_pretrend_test_is_the_same_whatever_base_the_chart_uses(panel):
    fixed, varying = (trends.estimate(panel, "cases", TrendsParams(base=b)) for b in ("fixed", "varying"))
    assert fixed.pretrend == varying.pretrend


def test_r_wald_pretest_is_absent_when_cells_outnumber_provinces(panel):
    est = trends.estimate(panel, "cases")
    assert est.r_wald is None  # hundreds of pre-joining cells, 31 provinces: R reports no test


def test_naive_and_twfe_intervals_use_the_degrees_of_freedom_of_their_clusters(panel):
    """TWFE's standard error is clustered by every province in the panel (31: t(30)); the naive
    one comes from the spread across the joined provinces (13: t(12))."""
    from scipy import stats

    est = trends.estimate(panel, "cases")
    tw, nv = est.twfe, est.naive
    assert tw["clusters"] == 31 and tw["df"] == 30 and nv["units"] == 13 and nv["df"] == 12
    assert tw["hi"] - tw["att"] == pytest.approx(stats.t.ppf(0.975, 30) * tw["se"])
    assert nv["hi"] - nv["att"] == pytest.approx(stats.t.ppf(0.975, 12) * nv["se"])


def test_group_and_calendar_aggregates_on_the_demo_data(store, panel):
    est = trends.estimate(panel, "cases")
    cohorts = est.by_cohort
    joins = sorted({pd.Timestamp(d) for d in store.memberships().joined_on})
    assert list(cohorts.cohort) == joins and cohorts.provinces.sum() == 13
    assert cohorts.loc[cohorts.provinces == 1, "lo"].isna().all(), "a cohort of one has no interval"
    months = est.by_month
    assert months.month.iloc[0] == pd.Timestamp("2015-05-01") and months.month.iloc[-1] == pd.Timestamp(
        "2017-07-01"
    )
    assert months.provinces.iloc[0] == 1 and months.provinces.iloc[-1] == 13
    truth = planted_average(store, panel)
    for average in (est.cohort_overall, est.month_overall):
        assert average["lo"] < average["att"] < average["hi"] and average["df"] == 12
        assert abs(average["att"] - truth) < 0.15


def test_varying_base_has_no_reference_month_and_keeps_the_effects_after_joining(panel):
    fixed = trends.estimate(panel, "cases")
    varying = trends.estimate(panel, "cases", TrendsParams(base="varying"))
    assert not varying.event.reference.any() and fixed.event.reference.sum() == 1
    post = lambda est: est.event[est.event.e_from >= 0].set_index("e_from").att
    assert np.allclose(post(fixed), post(varying)), "after joining both compare with the month before"
    assert varying.overall["att"] == pytest.approx(fixed.overall["att"])
    pre = varying.event[varying.event.e_to < 0]
    assert -1 in set(pre.e_from), "the month before joining is estimated against the one before it"


# -- the page's estimate ------------------------------------------------------------------------------
def test_event_rows_count_the_joined_provinces_and_grey_thin_points(panel):
    est = trends.estimate(panel, "cases", TrendsParams(window=24))
    ev = est.event
    ref = ev[ev.reference]
    assert len(ref) == 1 and ref.x.iloc[0] == -1 and ref.att.iloc[0] == 0
    rows = ev[~ev.reference].set_index("e_from")
    assert rows.provinces[0] == 13  # every member has its join month in the data
    assert rows.provinces[24] == 1 and rows.thin[24] and np.isnan(rows.lo[24])  # only Zhejiang
    assert (rows.thin == (rows.provinces < 3)).all()
    assert ((rows.lo < rows.att) & (rows.att < rows.hi))[rows.provinces >= 2].all()
    assert rows.index.min() == -24 and rows.index.max() == 24


def test_quarters_average_the_months(panel):
    months = trends.estimate(panel, "seizure").event.set_index("e_from")
    quarters = trends.estimate(panel, "seizure", TrendsParams(quarters=True)).event
    q = quarters[(quarters.e_from == 0) & (quarters.e_to == 2)].iloc[0]
    assert q.att == pytest.approx(months.att[[0, 1, 2]].mean())
    assert q.se < months.se[[0, 1, 2]].max()  # averaging three months is less noisy
    assert quarters.reference.sum() == 1 and len(quarters) < len(months)
    pre = quarters[quarters.e_to < -1]
    assert set(pre.e_to) == {-2, -5, -8, -11}  # counted back from the reference month


def test_uniform_bands_are_wider_than_pointwise_intervals(panel):
    est = trends.estimate(panel, "cases", TrendsParams(uniform=True))
    rows = est.event[est.event.band_lo.notna()]
    assert len(rows) > 20
    assert (rows.band_lo <= rows.lo + 1e-12).all() and (rows.band_hi >= rows.hi - 1e-12).all()
    assert ((rows.band_hi - rows.band_lo) > (rows.hi - rows.lo) * 1.1).mean() > 0.8


def test_options_change_the_estimate(panel):
    base = trends.estimate(panel, "cases").overall["att"]
    assert trends.estimate(panel, "cases", TrendsParams(comparison="never")).overall["att"] != base
    assert trends.estimate(panel, "suspects").overall["att"] != base
    antic = trends.estimate(panel, "cases", TrendsParams(anticipation=2))
    assert antic.reference == -3 and antic.event.loc[antic.event.reference, "x"].iloc[0] == -3


def test_options_are_checked():
    with pytest.raises(ValueError):
        TrendsParams("sometimes")


def test_estimates_export_as_csv(panel):
    est = trends.estimate(panel, "cases")
    frame = trends.estimates_frame(est)
    assert {
        "overall_att",
        "event_time",
        "reference",
        "cohort_effect",
        "cohort_average",
        "month_effect",
        "month_average",
        "twfe_post_dummy",
        "naive_before_after",
        "pretrend_sup_t",
    } == set(frame.quantity)
    back = pd.read_csv(pd.io.common.StringIO(frame.to_csv(index=False)))
    assert back.loc[back.quantity == "overall_att", "att"].iloc[0] == pytest.approx(est.overall["att"])
    assert (back.scale == "log(1+value)").all() and (back.base_period == "fixed").all()
    cohorts = back[back.quantity == "cohort_effect"]
    assert len(cohorts) == 7 and cohorts.se.notna().all() and cohorts.cohort.iloc[0] == "2015-05-01"
    months = back[back.quantity == "month_effect"]
    assert len(months) == len(est.by_month) and months.month.iloc[-1] == "2017-07-01"
    test = back[back.quantity == "pretrend_sup_t"].iloc[0]
    assert test.p_value == pytest.approx(est.pretrend["p"]) and test.detectable_drift_12_months > 0


# -- bad input ---------------------------------------------------------------------------------------
def test_clues_are_explained_not_estimated(panel):
    est = trends.estimate(panel, "clues")
    assert not est.ok and est.problem.key == "trends.problem.clues"
    pre = panel.frame[panel.frame.province_adcode.map(panel.joins).gt(panel.frame.month).fillna(True)]
    assert pre.clues.sum() == 0, "no province has a clue before it joins"


def test_no_joined_province_is_explained(store):
    members = set(store.memberships().province_adcode)
    f = store.default_filters().with_(provinces=("110000", "120000", "620000"))
    assert not members & set(f.provinces)
    est = trends.estimate(trends.build_panel(store, f), "cases")
    assert est.problem.key == "trends.problem.no_member"


def test_too_few_months_around_joining_is_explained(store):
    f = Filters(date(2017, 6, 1), date(2017, 7, 31))  # every member joined before June 2017
    est = trends.estimate(trends.build_panel(store, f), "cases")
    assert est.problem.key == "trends.problem.few_months"
    assert est.problem.params["provinces"][0] == "330000" and est.problem.params["need"] == 1
    f = Filters(date(2017, 5, 1), date(2017, 7, 31))  # Guangdong joins in the first month: none before
    assert trends.estimate(trends.build_panel(store, f), "cases").problem.key == "trends.problem.few_months"


def test_no_comparison_group_is_explained(store):
    members = tuple(store.memberships().province_adcode)
    panel = trends.build_panel(store, store.default_filters().with_(provinces=members))
    assert (
        trends.estimate(panel, "cases", TrendsParams(comparison="never")).problem.key
        == "trends.problem.no_never"
    )
    assert trends.estimate(panel, "cases").ok  # later joiners serve as not-yet-joined controls


def test_one_member_among_a_few_provinces_has_no_interval_but_no_crash(store):
    f = store.default_filters().with_(provinces=("440000", "110000", "120000", "620000"))
    est = trends.estimate(trends.build_panel(store, f), "cases", TrendsParams(uniform=True, quarters=True))
    assert est.ok and est.overall["provinces"] == 1
    assert np.isnan(est.overall["lo"]) and est.event[~est.event.reference].thin.all()
    charts_trends.event_study_figure(est, "en")  # draws the greyed points anyway


def test_members_joined_before_the_view_are_left_out(store):
    f = Filters(date(2016, 1, 1), date(2017, 7, 31))
    est = trends.estimate(trends.build_panel(store, f), "cases")
    assert est.ok and set(est.too_early) == {"330000", "350000", "360000"}  # joined 2015
    assert "330000" not in est.used and len(est.used) == 10


def test_empty_categories_are_explained(store, tmp_path):
    f = Filters(date(2014, 1, 1), date(2014, 2, 28), provinces=("330000", "110000"), categories=("medicine",))
    p = trends.build_panel(store, f)
    zero = Panel(p.frame.assign(cases=0), p.joins, p.illustrative, p.months, p.provinces)
    assert trends.estimate(zero, "cases").problem.key == "trends.problem.no_data"


# -- the other pieces of the page --------------------------------------------------------------------
def test_guangdong_check_reads_the_store(store):
    gd = trends.guangdong_check(store, store.default_filters())
    f = Filters(date(2017, 4, 1), date(2017, 6, 30), ("440000",))
    series = overview_queries.monthly_series(store, f, alliance_only=False).set_index("month").cases
    assert (
        gd["april"] == series[pd.Timestamp("2017-04-01")] and gd["june"] == series[pd.Timestamp("2017-06-01")]
    )
    assert gd["doubled"] and gd["ratio"] > 2 and gd["joined"] == date(2017, 5, 1)


def test_aligned_series_index_members_to_their_year_before(panel):
    aligned = trends.aligned_series(panel, "cases", window=12)
    zj = aligned[aligned.series == "member:330000"].set_index("e").value
    assert zj.loc[-12:-1].mean() == pytest.approx(100)
    assert {"members", "others"} <= set(aligned.series)
    late = aligned[aligned.series == "member:440000"]
    assert late.e.max() == 2, "Guangdong has three months from joining in the data"


def test_figures(panel):
    est = trends.estimate(panel, "cases")
    fig = charts_trends.event_study_figure(est, "zh")
    assert "案件" in fig.layout.title.text
    assert any("%" in str(x) for x in fig.layout.yaxis.ticktext)
    series = charts_trends.province_series_figure(panel, "cases", "en")
    titles = [a.text for a in series.layout.annotations]
    assert len(titles) == 31 and titles[0].startswith("Zhejiang")
    months = panel.wide("cases").columns
    joined = [d for d in panel.joins.values() if months[0] <= d <= months[-1]]
    assert sorted(s.x0 for s in series.layout.shapes) == sorted(joined), "each join month marked"
    years = [
        k
        for k, ax in series.layout.to_plotly_json().items()
        if k.startswith("xaxis") and ax["showticklabels"]
    ]
    assert len(years) == 6, "the lowest panel of each of the six columns shows the years"
    go.Figure(series.to_dict())  # valid against plotly's schema (the builder skips validation)
    assert charts_trends.pct(np.log(1.25)) == "+25%" and charts_trends.pct(float("nan")) == "—"


@pytest.mark.parametrize("kind", ["cohort", "month"])
def test_aggregate_figures_show_each_point_with_its_interval(panel, kind):
    """R's group and calendar aggregates: a point per cohort (month), bars on the solid points,
    the average as a dashed line; months as numbers, whatever the language."""
    est = trends.estimate(panel, "cases")
    rows = est.by_cohort if kind == "cohort" else est.by_month
    fig = charts_trends.aggregate_figure(est, kind, "zh")
    points = [tr for tr in fig.data if tr.mode == "markers"]
    assert sum(len(tr.x) for tr in points) == len(rows)
    solid = points[0]
    assert len(solid.x) == int((~rows.thin).sum()) and solid.error_y.array is not None
    average = est.cohort_overall if kind == "cohort" else est.month_overall
    line = next(tr for tr in fig.data if tr.mode == "lines")
    assert set(line.y) == {average["att"]} and line.line.dash == "dash"
    assert "案件" in fig.layout.title.text and fig.layout.xaxis.tickformat == "%Y-%m"


@pytest.mark.slow
def test_placebo_intervals_cover_zero(panel):
    """Random join dates for non-members (real members dropped): nothing to find."""
    assert trends.placebo_coverage(panel, "cases", seeds=50) >= 0.9


@pytest.mark.parametrize("outcome", ["cases", "seizure", "clues"])
def test_a_new_window_quarters_or_bands_drawn_from_the_cached_fit_equal_a_fresh_estimate(panel, outcome):
    """The page keeps the fits per TrendsParams.fitting() and draws every window from them: each
    drawing must equal the estimate made from scratch with the same options."""
    for comparison in ("notyet", "never"):
        for base in ("fixed", "varying"):
            start = TrendsParams(comparison=comparison, base=base, anticipation=1 if base == "fixed" else 0)
            fitted = trends.fit(panel, outcome, start.fitting())
            for window, quarters, uniform in [
                (12, False, False),
                (6, True, False),
                (24, False, True),
                (18, True, True),
            ]:
                p = TrendsParams(start.comparison, start.anticipation, window, quarters, uniform, start.base)
                assert p.fitting() == start.fitting()
                got, want = trends.drawn(fitted, p), trends.estimate(panel, outcome, p)
                assert got.options == p and got.ok == want.ok and got.problem == want.problem
                if not want.ok:
                    continue
                pd.testing.assert_frame_equal(got.event, want.event)
                assert got.pretrend == want.pretrend
                assert got.overall == want.overall and got.twfe == want.twfe and got.naive == want.naive
                pd.testing.assert_frame_equal(got.by_cohort, want.by_cohort)
    assert not trends.drawn(trends.fit(panel, "cases"), TrendsParams(window=6)).event.equals(
        trends.estimate(panel, "cases", TrendsParams(window=24)).event
    )  # the window does change what is drawn
