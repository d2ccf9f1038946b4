"""R's whole output, in parity (issue 11): the estimator and its aggregations against R `did`'s
published figures and, where R's are not published, against two other ports of R `did` with the
same settings (csdid, differences), on the Callaway-Sant'Anna reference panel (mpdta), for
never-joined and not-yet-joined comparison groups, with R's varying and fixed (universal) base.

Everything here is on analytic standard errors: ATT(g,t), simple, dynamic (event time), group
(per cohort) and calendar (per period) aggregates with their overall averages, and R's Wald
pre-test where its covariance has full rank.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cloudsword.trends import estimator as E

MPDTA = Path(__file__).resolve().parents[1] / "data" / "mpdta.csv"
TOL = 1e-6
SETTINGS = [(c, b) for c in ("never", "notyet") for b in ("varying", "universal")]
CSDID = {"never": "nevertreated", "notyet": "notyettreated"}
DIFFERENCES = {"never": "never_treated", "notyet": "not_yet_treated"}
# R did 2.5 prints it under att_gt(..., data = mpdta) (never treated, varying base): "P-value for
# pre-test of parallel trends assumption: 0.16812"
R_WALD_P = 0.16812


@pytest.fixture(scope="module")
def mpdta() -> pd.DataFrame:
    return pd.read_csv(MPDTA)


@pytest.fixture(scope="module")
def ours(mpdta) -> dict:
    return {
        (c, b): E.callaway_santanna(
            mpdta, "lemp", "countyreal", "year", "first.treat", comparison=c, base_period=b
        )
        for c, b in SETTINGS
    }


@pytest.fixture(scope="module")
def csdid(mpdta) -> dict:
    """csdid's att_gt and aggte (analytic SEs, no bootstrap), for each setting."""
    from csdid.att_gt import ATTgt

    out = {}
    for c, b in SETTINGS:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            fit = ATTgt(
                yname="lemp", gname="first.treat", idname="countyreal", tname="year", data=mpdta,
                control_group=CSDID[c],
            ).fit(est_method="dr", base_period=b, bstrap=False)  # fmt: skip
            agg = {}
            for kind in ("simple", "dynamic", "group", "calendar"):
                fit.aggte(typec=kind, bstrap=False)
                agg[kind] = dict(fit.atte)
        cells = pd.DataFrame({k: fit.results[k] for k in ("group", "year", "att", "se")})
        out[c, b] = {"cells": cells, "agg": agg, "wald": (fit.MP["W"], fit.MP["Wpval"])}
    return out


@pytest.fixture(scope="module")
def differences(mpdta) -> dict:
    """differences' ATTgt and its aggregations (analytic SEs), for each setting."""
    from differences import ATTgt

    data = mpdta.assign(cohort=mpdta["first.treat"].replace(0, np.nan)).set_index(["countyreal", "year"])
    out = {}
    for c, b in SETTINGS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = ATTgt(data=data, cohort_column="cohort", base_period=b)
            model.fit(formula="lemp", control_group=DIFFERENCES[c], est_method="dr", progress_bar=False)
            agg = {
                (kind, overall): _att_se(model.aggregate(kind, overall=overall))
                for kind in ("event", "cohort", "time")
                for overall in (False, True)
            }
            agg["simple", True] = _att_se(model.aggregate("simple"))
        out[c, b] = agg
    return out


def _att_se(frame: pd.DataFrame) -> pd.DataFrame:
    """differences' result frames hold (aggregation, inference, value) column levels."""
    return pd.DataFrame(
        {
            "att": frame.xs("ATT", axis=1, level=-1).iloc[:, 0],
            "se": frame.xs("std_error", axis=1, level=-1).iloc[:, 0],
        }
    )


def _close(a, b, what: str) -> None:
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert a.shape == b.shape, what
    assert np.allclose(a, b, atol=TOL, rtol=0, equal_nan=True), (what, a, b)


# -- ATT(g,t) and the simple and dynamic aggregations ------------------------------------------------
@pytest.mark.parametrize("setting", SETTINGS)
def test_group_time_effects_agree_with_csdid(ours, csdid, setting) -> None:
    fit, ref = ours[setting], csdid[setting]["cells"]
    ref = ref[np.isfinite(ref.se.astype(float)) & (ref.se.astype(float) > 0)]
    mine = fit.group_time.set_index(["g", "t"]).loc[list(zip(ref.group.astype(int), ref.year.astype(int)))]
    _close(mine.att, ref.att, f"{setting} ATT(g,t)")
    _close(mine.se, ref.se, f"{setting} ATT(g,t) se")


@pytest.mark.parametrize("setting", SETTINGS)
def test_simple_and_dynamic_agree_with_csdid_and_differences(ours, csdid, differences, setting) -> None:
    fit, cs, dif = ours[setting], csdid[setting]["agg"], differences[setting]
    _close(
        [fit.overall_att, fit.overall_se], [cs["simple"]["overall_att"], cs["simple"]["overall_se"]], "simple"
    )
    _close([fit.overall_att, fit.overall_se], dif["simple", True].iloc[0], "simple vs differences")
    ev = fit.event[~fit.event.reference].set_index("e")
    es = [int(e) for e in cs["dynamic"]["egt"] if int(e) in ev.index]
    ref = pd.DataFrame(
        {"att": cs["dynamic"]["att_egt"], "se": cs["dynamic"]["se_egt"]}, index=cs["dynamic"]["egt"]
    )
    _close(ev.att[es], ref.att.loc[es], "dynamic att")
    _close(ev.se[es], ref.se.loc[es], "dynamic se")
    _close(ev.att[es], dif["event", False].att.loc[es], "dynamic att vs differences")
    _close(ev.se[es], dif["event", False].se.loc[es], "dynamic se vs differences")


# -- R's group and calendar aggregates ---------------------------------------------------------------
@pytest.mark.parametrize("setting", SETTINGS)
@pytest.mark.parametrize("kind", ["group", "calendar"])
def test_group_and_calendar_aggregates_agree_across_libraries(
    ours, csdid, differences, setting, kind
) -> None:
    agg = (E.group_effects if kind == "group" else E.calendar_effects)(ours[setting])
    cs = csdid[setting]["agg"][kind]
    dif = differences[setting][("cohort" if kind == "group" else "time"), False]
    dif_all = differences[setting][("cohort" if kind == "group" else "time"), True].iloc[0]
    assert list(agg.rows.key) == [int(k) for k in cs["egt"]] == [int(k) for k in dif.index]
    _close(agg.rows.att, cs["att_egt"], f"{kind} att vs csdid")
    _close(agg.rows.se, cs["se_egt"], f"{kind} se vs csdid")
    _close(agg.rows.att, dif.att, f"{kind} att vs differences")
    _close(agg.rows.se, dif.se, f"{kind} se vs differences")
    _close([agg.att, agg.se], [cs["overall_att"], cs["overall_se"]], f"{kind} average vs csdid")
    _close([agg.att, agg.se], dif_all, f"{kind} average vs differences")


def test_group_and_calendar_match_r_by_hand_on_the_published_cells(ours) -> None:
    """The 2004 cohort's group effect is the mean of R's published ATT(2004, t), and calendar
    2004 is ATT(2004, 2004) itself (the only cohort joined then)."""
    fit = ours["never", "varying"]
    published = [-0.010503, -0.070423, -0.137259, -0.100811]
    g = E.group_effects(fit).rows.set_index("key")
    assert g.att[2004] == pytest.approx(np.mean(published), abs=TOL)
    cal = E.calendar_effects(fit).rows.set_index("key")
    assert cal.att[2004] == pytest.approx(-0.010503, abs=TOL) and cal.se[2004] == pytest.approx(
        0.023251, abs=TOL
    )
    assert list(cal.provinces) == [20, 20, 60, 191], "units behind each period: the cohorts joined by then"


# -- R's Wald pre-test ---------------------------------------------------------------------------------
@pytest.mark.parametrize("setting", SETTINGS)
def test_r_wald_pretest_agrees_with_csdid(ours, csdid, setting) -> None:
    mine, (w, p) = E.r_wald_pretest(ours[setting]), csdid[setting]["wald"]
    assert mine is not None and w is not None
    assert mine["wald"] == pytest.approx(w, abs=TOL) and mine["p"] == pytest.approx(p, abs=1e-5)
    assert mine["df"] == 5  # the pre-joining cells with a variance


def test_r_wald_pretest_is_rs_printed_figure(ours) -> None:
    assert round(E.r_wald_pretest(ours["never", "varying"])["p"], 5) == R_WALD_P


def test_r_wald_pretest_needs_a_full_rank_covariance(ours) -> None:
    """Two pre-joining cells that move together make the covariance singular: R returns no test
    (as on the demo panel, which has more pre-joining cells than provinces: tests/trends)."""
    fit = ours["never", "varying"]
    gt = fit.group_time
    pre = np.flatnonzero(gt.g > gt.t)
    tied = fit.influence.copy()
    tied[:, pre[1]] = 2 * tied[:, pre[0]]
    assert E.r_wald_pretest(E.CSFit(**{**fit.__dict__, "influence": tied})) is None
