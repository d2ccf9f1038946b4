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
    """Callaway-Sant'Anna estimates, as frames, with the influence functions behind them.

    group_time: one row per estimated (g, t): g, t, e (= t - g), att, se, n_treated, reference
      (a fixed base month's cell: att 0 by construction).
    event: one row per event time e: e, att, se, reference (the fixed base, att 0),
      cohorts (tuple of g whose cells enter the average).
    vcov: joint covariance of the non-reference event-time estimates, in `vcov_e` order.
    influence: units x cells, each group_time row's influence function scaled so that its
      standard error is sqrt(sum of squares) (diff-diff's scaling: R's divided by n);
      unit_cohort: each unit's first treated period (0: never). Aggregations, R's Wald pre-test
      and the wild bootstrap are built from these, as R's `aggte` builds them.
    """

    overall_att: float
    overall_se: float
    group_time: pd.DataFrame
    event: pd.DataFrame
    vcov: np.ndarray
    vcov_e: tuple[int, ...]
    cohort_sizes: dict[int, int]
    influence: np.ndarray
    unit_cohort: np.ndarray
    base_period: str = "universal"


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
    `comparison` is "notyet" (not-yet-treated and never-treated units) or "never";
    `base_period` is "universal" (one fixed reference period before joining) or "varying"
    (R's default: each pre-joining period against the one before it).
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
        + (bool(v.get("is_reference")),)
        for (g, t), v in res.group_time_effects.items()
    ]
    gt = pd.DataFrame(cells, columns=["g", "t", "att", "se", "n_treated", "reference"])
    gt["e"] = gt.t - gt.g
    gt = gt[np.isfinite(gt.att)].sort_values(["g", "t"]).reset_index(drop=True)
    influence, unit_cohort = _cell_influence(res, gt)
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
        influence=influence,
        unit_cohort=unit_cohort,
        base_period=base_period,
    )


def _cell_influence(res: object, gt: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's influence function over all units (units x cells), from the fitted result's
    aggregation kit (diff-diff keeps, per cell, the treated and comparison units' values), and
    each unit's cohort."""
    kit = res._aggregation_kit  # diff-diff's own record of the fit, used by its aggregate()
    units = kit.bookkeeping["all_units"]
    cohort = np.asarray(kit.bookkeeping["unit_cohorts"], dtype=float)
    cohort = np.where(np.isfinite(cohort) & (cohort > 0), cohort, 0).astype(int)
    psi = np.zeros((len(units), len(gt)))
    for j, (g, t) in enumerate(zip(gt.g, gt.t)):
        info = kit.influence.get((g, t))
        if info is None:
            continue
        np.add.at(psi[:, j], info["treated_idx"], info["treated_inf"])
        np.add.at(psi[:, j], info["control_idx"], info["control_inf"])
    return psi, cohort


# -- R's aggregations from the influence functions ----------------------------------------------------
def cohort_shares(fit: CSFit) -> dict[int, float]:
    """R's pg: each cohort's share of all units (never-joined included)."""
    n = len(fit.unit_cohort)
    return {int(g): float(np.sum(fit.unit_cohort == g)) / n for g in np.unique(fit.unit_cohort) if g > 0}


def _weights_influence(cohort: np.ndarray, groups: np.ndarray, pg: np.ndarray) -> np.ndarray:
    """R's `wif`: the influence of estimating the cohort-share weights pg/sum(pg) of the kept
    cells (`groups` = each kept cell's cohort), units x cells, on R's scale (not divided by n)."""
    ind = (cohort[:, None] == groups[None, :]).astype(float) - pg[None, :]
    total = pg.sum()
    return ind / total - ind.sum(axis=1, keepdims=True) * (pg / total**2)[None, :]


def aggregate_cells(fit: CSFit, rows: np.ndarray, estimated_weights: bool = True) -> tuple[float, np.ndarray]:
    """R's aggregation of the cells `rows` (indices into group_time) weighted by cohort share:
    the estimate and its influence function (units; its SE is sqrt(sum of squares)). With
    `estimated_weights`, the uncertainty of the shares enters too (R's wif)."""
    gt = fit.group_time
    groups, att = gt.g.to_numpy()[rows], gt.att.to_numpy()[rows]
    shares = cohort_shares(fit)
    pg = np.array([shares.get(int(g), 0.0) for g in groups])
    w = pg / pg.sum()
    psi = fit.influence[:, rows] @ w
    if estimated_weights:
        psi = psi + _weights_influence(fit.unit_cohort, groups, pg) @ att / len(fit.unit_cohort)
    return float(w @ att), psi


def _se(psi: np.ndarray) -> float:
    return float(np.sqrt(np.sum(psi**2)))


def event_influence(fit: CSFit, es: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The event-time estimates at `es` and their influence functions (units x len(es)), as R's
    dynamic aggregation builds them."""
    gt = fit.group_time
    out = [aggregate_cells(fit, np.flatnonzero(gt.e.to_numpy() == e)) for e in es]
    return np.array([a for a, _ in out]), np.column_stack([p for _, p in out]) if out else np.zeros((0, 0))


@dataclass(frozen=True)
class Aggregate:
    """One of R's aggregations: one row per cohort (`key` = g) or per calendar month (`key` = t)
    with att, se and the joined provinces behind it, and the overall average with its SE."""

    rows: pd.DataFrame  # key, att, se, provinces
    att: float
    se: float


def group_effects(fit: CSFit) -> Aggregate:
    """R's `aggte(type = "group")`: each cohort's average effect over its months from joining,
    and their average weighted by cohort size (with the weights' uncertainty)."""
    gt = fit.group_time
    post = gt.t.to_numpy() >= gt.g.to_numpy()
    cohorts = sorted(set(gt.g[post]))
    atts, psis = [], []
    for g in cohorts:
        rows = np.flatnonzero(post & (gt.g.to_numpy() == g))
        a, p = aggregate_cells(fit, rows, estimated_weights=False)
        atts.append(a)
        psis.append(p)
    if not cohorts:
        return Aggregate(pd.DataFrame(columns=["key", "att", "se", "provinces"]), float("nan"), float("nan"))
    shares = cohort_shares(fit)
    pgg = np.array([shares[g] for g in cohorts])
    att_g, psi_g = np.array(atts), np.column_stack(psis)
    psi = psi_g @ (pgg / pgg.sum()) + _weights_influence(
        fit.unit_cohort, np.array(cohorts), pgg
    ) @ att_g / len(fit.unit_cohort)
    rows = pd.DataFrame(
        {
            "key": cohorts,
            "att": att_g,
            "se": [_se(psi_g[:, i]) for i in range(len(cohorts))],
            "provinces": [fit.cohort_sizes.get(g, 0) for g in cohorts],
        }
    )
    return Aggregate(rows, float(att_g @ pgg / pgg.sum()), _se(psi))


def calendar_effects(fit: CSFit) -> Aggregate:
    """R's `aggte(type = "calendar")`: in each month from the first joining on, the average effect
    over the cohorts joined by then (weighted by cohort size, with the weights' uncertainty), and
    the plain average over those months."""
    gt = fit.group_time
    g, t = gt.g.to_numpy(), gt.t.to_numpy()
    months = sorted(m for m in set(t) if m >= g.min()) if len(gt) else []
    atts, psis, behind = [], [], []
    for m in months:
        rows = np.flatnonzero((t == m) & (g <= m))
        a, p = aggregate_cells(fit, rows)
        atts.append(a)
        psis.append(p)
        behind.append(sum(fit.cohort_sizes.get(int(c), 0) for c in set(g[rows])))
    if not months:
        return Aggregate(pd.DataFrame(columns=["key", "att", "se", "provinces"]), float("nan"), float("nan"))
    psi = np.column_stack(psis).mean(axis=1)
    rows = pd.DataFrame({"key": months, "att": atts, "se": [_se(p) for p in psis], "provinces": behind})
    return Aggregate(rows, float(np.mean(atts)), _se(psi))


def r_wald_pretest(fit: CSFit, anticipation: int = 0) -> dict[str, float] | None:
    """R `did`'s Wald pre-test of att_gt: every ATT(g,t) before joining (less anticipation) is
    zero, chi-square with as many degrees of freedom as cells tested, on the analytic covariance;
    cells with no variance (a fixed base month's) are left out, and there is no test (None)
    when the covariance is singular, as R reports none (rcond <= machine epsilon)."""
    gt = fit.group_time
    se = np.sqrt(np.sum(fit.influence**2, axis=0))
    pre = np.flatnonzero((gt.g.to_numpy() - anticipation > gt.t.to_numpy()) & (se > 0) & np.isfinite(se))
    if len(pre) == 0:
        return None
    psi = fit.influence[:, pre]
    if len(pre) > psi.shape[0]:  # more cells than units: the covariance cannot have full rank
        return None
    cov = psi.T @ psi
    if 1.0 / np.linalg.cond(cov, p=1) <= np.finfo(float).eps:
        return None
    att = gt.att.to_numpy()[pre]
    w = float(att @ np.linalg.solve(cov, att))
    return {"wald": w, "df": len(pre), "p": float(stats.chi2.sf(w, len(pre)))}


# -- small-sample inference ----------------------------------------------------------------------
def t_crit(df: float, alpha: float = ALPHA) -> float:
    """Two-sided Student-t critical value; NaN when there are no degrees of freedom."""
    return float(stats.t.ppf(1 - alpha / 2, df)) if df >= 1 else float("nan")


def t_crits(df: np.ndarray, alpha: float = ALPHA) -> np.ndarray:
    """t_crit for many degrees of freedom at once (one scipy call: each costs about a millisecond)."""
    df = np.asarray(df, dtype=float)
    out = np.full(df.shape, np.nan)
    ok = df >= 1
    out[ok] = stats.t.ppf(1 - alpha / 2, df[ok])
    return out


def interval(att: float, se: float, df: float, alpha: float = ALPHA) -> tuple[float, float]:
    c = t_crit(df, alpha)
    if not (np.isfinite(se) and np.isfinite(c)):
        return float("nan"), float("nan")
    return att - c * se, att + c * se


# -- the wild cluster bootstrap --------------------------------------------------------------------------
# Webb's six-point weights: with few clusters (31 provinces, a dozen joined) the two-point
# Rademacher weights allow too few distinct draws; these keep mean 0 and variance 1.
WEBB = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
DRAWS = 1999
DRIFT_MONTHS = 12  # the drift the pre-trend test's power is stated for: over the year before joining
POWER = 0.8


def bootstrap_draws(
    psi: np.ndarray, draws: int = DRAWS, seed: int = 0, df: float | None = None
) -> np.ndarray:
    """Wild cluster bootstrap of estimates with influence functions `psi` (units x k; a unit is a
    province, the cluster): each draw multiplies every province's influence by one Webb weight,
    so a draw is how the estimates would move if that province's data moved. Returns draws x k
    deviations from the estimates (fixed seed: the same estimates always give the same draws).

    With `df` (G - 1, G = the joined provinces behind the estimates), each draw is also divided
    by an independent sqrt(chi2(df) / df): the draws keep the bootstrap's dependence across
    estimates but get Student-t tails, the page's few-cluster rule. Without it the sup-t test
    raised 12% false alarms in 50 generated placebo datasets, with it 6% (bench_pretrend.py)."""
    rng = np.random.default_rng(seed)
    out = WEBB[rng.integers(0, len(WEBB), (draws, psi.shape[0]))] @ psi
    if df is not None and df >= 1:
        out /= np.sqrt(rng.chisquare(df, (draws, 1)) / df)
    return out


def sup_t(draws: np.ndarray, se: np.ndarray) -> np.ndarray:
    """The largest |t| across the estimates in each draw."""
    return np.abs(draws / se[None, :]).max(axis=1)


def _leads(fit: CSFit, window: int, anticipation: int) -> list[int]:
    ref = -1 - anticipation
    return [e for e in fit.vcov_e if -window <= e < ref]


def pretrend_test(
    fit: CSFit, window: int, anticipation: int = 0, draws: int = DRAWS, seed: int = 0
) -> dict | None:
    """Joint test that every monthly effect before joining (inside the window, against the fixed
    reference month) is zero: the largest |t| across those months, against its distribution in a
    wild cluster bootstrap over provinces with Webb weights and t(G - 1) tails (bootstrap_draws).
    Every month is tested on its own scale, so alternating swings cannot cancel as in averages.

    Also states what the test can see: `drift`, the linear drift over the 12 months before joining
    (log points) that it would detect 80% of the time, from the same draws. `fit` must use the
    fixed ("universal") base."""
    leads = _leads(fit, window, anticipation)
    if not leads or fit.base_period != "universal":
        return None
    att, psi = event_influence(fit, leads)
    se = np.sqrt(np.sum(psi**2, axis=0))
    ok = se > 0
    if not ok.any():
        return None
    att, psi, se, leads = att[ok], psi[:, ok], se[ok], [e for e, k in zip(leads, ok) if k]
    provinces = provinces_behind(fit, {g for e in leads for g in cohorts_at(fit, e)})
    if provinces < 2:
        return None
    boot = bootstrap_draws(psi, draws, seed, df=provinces - 1)
    maxima = sup_t(boot, se)
    stat = float(np.max(np.abs(att / se)))
    crit = float(np.quantile(maxima, 1 - ALPHA))
    shape = (
        np.maximum(np.array(leads) + 1 + anticipation, -DRIFT_MONTHS) / DRIFT_MONTHS
    )  # -1 far back, 0 at ref
    return {
        "stat": stat,
        "p": float((1 + np.sum(maxima >= stat)) / (draws + 1)),
        "crit": crit,
        "months": len(leads),
        "provinces": provinces,
        "draws": draws,
        "drift": detectable_drift(boot, se, shape, crit),
    }


def detectable_drift(draws: np.ndarray, se: np.ndarray, shape: np.ndarray, crit: float) -> float:
    """The smallest drift d (log points) with `shape` (the effect per lead of a unit drift) that
    the sup-t test rejects in at least 80% of the draws shifted by d * shape."""

    def power(d: float) -> float:
        return float(np.mean(sup_t(draws + d * shape[None, :], se) > crit))

    lo, hi = 0.0, 0.05
    while power(hi) < POWER and hi < 20:
        lo, hi = hi, hi * 2
    for _ in range(30):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if power(mid) < POWER else (lo, mid)
    return hi


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


def event_rows(
    fit: CSFit, window: int, anticipation: int, quarters: bool, uniform: bool, draws: int = DRAWS
) -> pd.DataFrame:
    """The plotted points: estimate, pointwise t(G-1) interval, optional simultaneous band (from
    the wild cluster bootstrap, never narrower than the pointwise interval) and the number of
    joined provinces behind each, inside the window; plus the reference month when the base is
    fixed (a varying base has none: each month before joining is compared with the one before)."""
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
    crit = t_crits(df)
    rows["lo"], rows["hi"] = att - crit * se, att + crit * se
    rows["band_lo"], rows["band_hi"] = np.nan, np.nan
    if uniform and len(bins):
        ok = np.isfinite(crit) & (se > 0)
        if ok.any():
            _, psi = event_influence(fit, list(fit.vcov_e))
            behind = {g for b, good in zip(bins, ok) if good for e in b for g in cohorts_at(fit, e)}
            boot = bootstrap_draws(psi @ w[ok].T, draws, df=provinces_behind(fit, behind) - 1)
            c = float(np.quantile(sup_t(boot, se[ok]), 1 - ALPHA))
            half = np.maximum(c, crit[ok]) * se[ok]
            rows.loc[ok, "band_lo"], rows.loc[ok, "band_hi"] = att[ok] - half, att[ok] + half
            rows.attrs["band_crit"] = c
    rows["reference"] = False
    if fit.base_period == "universal":
        ref_row = {"x": float(ref), "e_from": ref, "e_to": ref, "att": 0.0, "se": np.nan, "provinces": 0}
        rows = pd.concat(
            [rows, pd.DataFrame([{**ref_row, "df": np.nan, "reference": True}])], ignore_index=True
        )
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
