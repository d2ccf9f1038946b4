"""Staggered before/after estimators on a balanced panel: Callaway & Sant'Anna, TWFE, naive.

The Callaway-Sant'Anna group-time effects and their analytic (influence-function) standard
errors come from the `diff-diff` package, which reproduces R's `did` exactly (checked in
tests/test_trends.py against the published `mpdta` results). This module only adapts its
results to plain frames, and adds what the page needs on top: small-sample critical values,
aggregation into bins, simultaneous bands and the joint pre-trend test, all from the estimates'
joint covariance. Pure numpy/pandas/scipy; never imports streamlit.

Why this package (compared in issue 5): `diff-diff` needs only numpy, pandas and scipy, which
the app already has; `csdid` pulls in matplotlib, plotnine, statsmodels and twine; `differences`
and `moderndid` pull in polars and statsmodels. All four reproduce R `did` on `mpdta`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

COMPARISON_GROUPS = {"notyet": "not_yet_treated", "never": "never_treated"}
ALPHA = 0.05
THIN = 3  # points resting on fewer joined provinces than this are greyed


@dataclass(frozen=True)
class CSFit:
    """Callaway-Sant'Anna estimates, as frames.

    group_time: one row per estimated (g, t): g, t, e (= t - g), att, se, n_treated.
    event: one row per event time e: e, att, se, reference (the fixed base, att 0),
      cohorts (tuple of g whose cells enter the average).
    vcov: joint covariance of the non-reference event-time estimates, in `vcov_e` order.
    """

    overall_att: float
    overall_se: float
    group_time: pd.DataFrame
    event: pd.DataFrame
    vcov: np.ndarray
    vcov_e: tuple[int, ...]
    cohort_sizes: dict[int, int]


def callaway_santanna(
    data: pd.DataFrame,
    y: str,
    unit: str,
    time: str,
    group: str,
    *,
    comparison: str = "notyet",
    anticipation: int = 0,
    base_period: str = "universal",
) -> CSFit:
    """ATT(g,t), the event-time aggregation and the simple overall ATT, with analytic SEs.

    `data` is a balanced panel; `group` is the first treated period (0 = never treated);
    `comparison` is "notyet" (not-yet-treated and never-treated units) or "never".
    No covariates: the doubly robust, outcome-regression and IPW estimators coincide.
    """
    from diff_diff import CallawaySantAnna  # heavy import, only when estimating

    est = CallawaySantAnna(
        control_group=COMPARISON_GROUPS[comparison],
        anticipation=int(anticipation),
        estimation_method="dr",
        base_period=base_period,
    )
    with warnings.catch_warnings():  # it warns about thin cells; the page counts them itself
        warnings.simplefilter("ignore")
        res = est.fit(data, outcome=y, unit=unit, time=time, first_treat=group)
        es = res.aggregate("event_study")
    cells = [
        (int(g), int(t), float(v["effect"]), float(v["se"]), int(v.get("n_treated", 0)))
        for (g, t), v in res.group_time_effects.items()
    ]
    gt = pd.DataFrame(cells, columns=["g", "t", "att", "se", "n_treated"])
    gt["e"] = gt.t - gt.g
    gt = gt[np.isfinite(gt.att)].sort_values(["g", "t"]).reset_index(drop=True)
    ref = set(int(e) for e in np.asarray(es.event_time)[np.asarray(es.is_reference, bool)])
    base = gt.e == -1 - int(anticipation) if base_period == "universal" else np.zeros(len(gt), bool)
    cohorts = gt[~base].groupby("e").g.apply(lambda s: tuple(sorted(set(s))))
    ev = pd.DataFrame(
        {
            "e": np.asarray(es.event_time, dtype=int),
            "att": np.asarray(es.att, dtype=float),
            "se": np.asarray(es.se, dtype=float),
        }
    )
    ev["reference"] = ev.e.isin(ref)
    ev["cohorts"] = [() if r else cohorts.get(e, ()) for e, r in zip(ev.e, ev.reference)]
    sizes = data.loc[data[group] > 0].groupby(group)[unit].nunique()
    return CSFit(
        overall_att=float(res.overall_att),
        overall_se=float(res.overall_se),
        group_time=gt,
        event=ev.sort_values("e").reset_index(drop=True),
        vcov=np.asarray(es.vcov, dtype=float),
        vcov_e=tuple(int(e) for e in es.vcov_index),
        cohort_sizes={int(g): int(n) for g, n in sizes.items()},
    )


# -- small-sample inference ----------------------------------------------------------------------
def t_crit(df: float, alpha: float = ALPHA) -> float:
    """Two-sided Student-t critical value; NaN when there are no degrees of freedom."""
    return float(stats.t.ppf(1 - alpha / 2, df)) if df >= 1 else float("nan")


def interval(att: float, se: float, df: float, alpha: float = ALPHA) -> tuple[float, float]:
    c = t_crit(df, alpha)
    if not (np.isfinite(se) and np.isfinite(c)):
        return float("nan"), float("nan")
    return att - c * se, att + c * se


def sup_t_crit(
    corr: np.ndarray, df: float, alpha: float = ALPHA, draws: int = 20_000, seed: int = 0
) -> float:
    """Critical value of a simultaneous band: the (1-alpha) quantile of max |T| for T
    multivariate Student-t with correlation `corr` and `df` degrees of freedom (simulated with a
    fixed seed, so the same estimates always give the same band)."""
    k = corr.shape[0]
    if k == 0 or df < 1:
        return float("nan")
    rng = np.random.default_rng(seed)
    w, v = np.linalg.eigh((corr + corr.T) / 2)
    root = v * np.sqrt(np.clip(w, 0, None))
    z = rng.standard_normal((draws, k)) @ root.T
    z /= np.sqrt(rng.chisquare(df, (draws, 1)) / df)
    return float(np.quantile(np.abs(z).max(axis=1), 1 - alpha))


def wald_test(b: np.ndarray, vcov: np.ndarray, nu: float) -> dict[str, float] | None:
    """Joint test that every coefficient in `b` is 0, for a covariance estimated from clusters
    giving `nu` degrees of freedom: Hotelling's T^2 form, F = (nu - k + 1) / (nu k) * b' V^-1 b
    against F(k, nu - k + 1) (k = rank of V), which stays honest when k is close to nu, where the
    plain Wald chi^2 (or F(k, nu)) rejects far too often. None when k >= nu (no test possible)."""
    ok = np.isfinite(b)
    b, vcov = b[ok], vcov[np.ix_(ok, ok)]
    if len(b) == 0:
        return None
    k = int(np.linalg.matrix_rank(vcov))
    if k == 0 or nu - k + 1 < 1:
        return None
    w = float(b @ np.linalg.pinv(vcov) @ b)
    f = (nu - k + 1) / (nu * k) * w
    df2 = float(nu - k + 1)
    return {"wald": w, "f": f, "df1": k, "df2": df2, "p": float(stats.f.sf(f, k, df2))}


# -- what the page plots and tests -------------------------------------------------------------------
def pretrend_test(fit: CSFit, window: int, anticipation: int = 0) -> dict | None:
    """Joint test that the effects before joining (inside the window) are all zero.

    Hotelling's form needs fewer tested values than joined provinces, so monthly values are
    averaged into spans of 3, 6 or 12 months when there are too many (`span` says which)."""
    ref = -1 - anticipation
    pre = [e for e in fit.vcov_e if -window <= e < ref]
    if not pre:
        return None
    n_pre = provinces_behind(fit, {g for e in pre for g in cohorts_at(fit, e)})
    nu = n_pre - 1
    pos = {e: i for i, e in enumerate(fit.vcov_e)}
    att = fit.event.set_index("e").att.reindex(list(fit.vcov_e)).to_numpy()
    for span in (1, 3, 6, 12):
        groups: dict[int, list[int]] = {}
        for e in pre:
            groups.setdefault((ref - e - 1) // span, []).append(e)
        if len(groups) <= nu - 2 or span == 12:
            break
    w = np.zeros((len(groups), len(fit.vcov_e)))
    for i, es in enumerate(groups.values()):
        w[i, [pos[e] for e in es]] = 1 / len(es)
    out = wald_test(w @ att, w @ fit.vcov @ w.T, nu)
    if out is not None:
        out.update(span=span, months=len(pre), provinces=n_pre)
    return out


def cohorts_at(fit: CSFit, e: int) -> tuple[int, ...]:
    row = fit.event.loc[fit.event.e == e, "cohorts"]
    return row.iloc[0] if len(row) else ()


def provinces_behind(fit: CSFit, cohorts: set[int]) -> int:
    return int(sum(fit.cohort_sizes.get(g, 0) for g in cohorts))


def _bins(es: list[int], ref: int, quarters: bool) -> list[tuple[int, ...]]:
    """Group event times into plotted points: months alone, or three-month bins counted away
    from the reference month (before it) and from the join month (after it); months between
    the reference and joining (anticipation) form one bin."""
    if not quarters:
        return [(e,) for e in es]
    key = {}
    for e in es:
        if e < ref:
            key[e] = ("pre", (ref - e - 1) // 3)
        elif e < 0:
            key[e] = ("antic", 0)
        else:
            key[e] = ("post", e // 3)
    groups: dict[tuple, list[int]] = {}
    for e in es:
        groups.setdefault(key[e], []).append(e)
    return sorted((tuple(sorted(v)) for v in groups.values()), key=lambda b: b[0])


def event_rows(fit: CSFit, window: int, anticipation: int, quarters: bool, uniform: bool) -> pd.DataFrame:
    """The plotted points: estimate, pointwise t(G-1) interval, optional simultaneous band and
    the number of joined provinces behind each, inside the window; plus the reference month."""
    ref = -1 - anticipation
    shown = [e for e in fit.vcov_e if -window <= e <= window]
    bins = _bins(shown, ref, quarters)
    pos = {e: i for i, e in enumerate(fit.vcov_e)}
    att_e = fit.event.set_index("e").att
    w = np.zeros((len(bins), len(fit.vcov_e)))
    for i, b in enumerate(bins):
        w[i, [pos[e] for e in b]] = 1 / len(b)
    att = w @ att_e.reindex(list(fit.vcov_e)).to_numpy()
    cov = w @ fit.vcov @ w.T
    se = np.sqrt(np.clip(np.diag(cov), 0, None))
    n = np.array([provinces_behind(fit, {g for e in b for g in cohorts_at(fit, e)}) for b in bins])
    df = n - 1.0
    rows = pd.DataFrame(
        {
            "x": [float(np.mean(b)) for b in bins],
            "e_from": [b[0] for b in bins],
            "e_to": [b[-1] for b in bins],
            "att": att,
            "se": se,
            "provinces": n,
            "df": df,
        }
    )
    crit = np.array([t_crit(x) for x in df])
    rows["lo"], rows["hi"] = att - crit * se, att + crit * se
    rows["band_lo"], rows["band_hi"] = np.nan, np.nan
    if uniform:
        ok = np.isfinite(crit) & (se > 0)
        if ok.any():
            sd = se[ok]
            corr = cov[np.ix_(ok, ok)] / np.outer(sd, sd)
            all_cohorts = {g for b, good in zip(bins, ok) if good for e in b for g in cohorts_at(fit, e)}
            c = sup_t_crit(corr, provinces_behind(fit, all_cohorts) - 1)
            half = np.maximum(c, crit[ok]) * sd
            rows.loc[ok, "band_lo"], rows.loc[ok, "band_hi"] = att[ok] - half, att[ok] + half
    rows["reference"] = False
    ref_row = {"x": float(ref), "e_from": ref, "e_to": ref, "att": 0.0, "se": np.nan, "provinces": 0}
    rows = pd.concat([rows, pd.DataFrame([{**ref_row, "df": np.nan, "reference": True}])], ignore_index=True)
    rows["thin"] = (~rows.reference) & (rows.provinces < THIN)
    return rows.sort_values("x").reset_index(drop=True)


# -- the estimators to compare with ------------------------------------------------------------------
def twfe(data: pd.DataFrame, y: str, unit: str, time: str, group: str) -> dict[str, float]:
    """Two-way fixed effects: y on a post-joining dummy with unit and time effects (OLS).

    On a balanced panel the unit and time effects are removed exactly by double demeaning.
    Standard error clustered by unit (CR1: G/(G-1))."""
    wide = data.pivot(index=unit, columns=time, values=y)
    g = data.groupby(unit)[group].first().reindex(wide.index).to_numpy()
    if wide.isna().any().any():
        raise ValueError("twfe needs a balanced panel")
    times = wide.columns.to_numpy()
    post = ((g[:, None] > 0) & (times[None, :] >= g[:, None])).astype(float)

    def within(a: np.ndarray) -> np.ndarray:
        return a - a.mean(axis=1, keepdims=True) - a.mean(axis=0, keepdims=True) + a.mean()

    yy, dd = within(wide.to_numpy(float)), within(post)
    sxx = float((dd * dd).sum())
    if sxx == 0:
        return {"att": float("nan"), "se": float("nan"), "clusters": len(g)}
    beta = float((dd * yy).sum() / sxx)
    score = (dd * (yy - beta * dd)).sum(axis=1)
    n = len(g)
    se = float(np.sqrt(n / (n - 1) * (score**2).sum()) / sxx) if n > 1 else float("nan")
    return {"att": beta, "se": se, "clusters": n}


def naive_before_after(
    data: pd.DataFrame, y: str, unit: str, time: str, group: str, anticipation: int = 0
) -> dict[str, float]:
    """Joined units only, no comparison group: each unit's mean after joining minus its mean
    before (anticipation months left out), averaged with weights = months after joining (as
    the overall Callaway-Sant'Anna effect weights unit-months). SE from the spread across units."""
    d = data[data[group] > 0]
    post = d[time] >= d[group]
    pre = d[time] < d[group] - anticipation
    after = d[post].groupby(unit)[y].agg(["mean", "size"])
    before = d[pre].groupby(unit)[y].mean()
    both = after.join(before.rename("before"), how="inner")
    if both.empty:
        return {"att": float("nan"), "se": float("nan"), "units": 0}
    diff = (both["mean"] - both["before"]).to_numpy()
    w = both["size"].to_numpy(float) / both["size"].sum()
    att = float(w @ diff)
    n = len(diff)
    se = float(np.sqrt(n / (n - 1) * ((w * (diff - att)) ** 2).sum())) if n > 1 else float("nan")
    return {"att": att, "se": se, "units": n}
