"""Before and after joining: the province x month panel and the staggered event study.

    panel = build_panel(store, filters)          # every source of cases, not only the alliance's
    est = estimate(panel, "cases", TrendsParams())

The model (stated on the page): each outcome is compared as log(1 + monthly count) (yuan for
seized value), so effects are proportional changes, shown as e^b - 1. Provinces differ fifty-fold
in size and common growth and seasons multiply counts, so trends are parallel in logs, not in
raw counts; the planted effect of the demo data is a log rate ratio on this same scale.

Estimator: Callaway & Sant'Anna (2021) group-time effects aggregated by months since joining
(cloudsword.trends_estimate), with a fixed ("universal") reference month just before joining.
Intervals: the analytic standard errors with Student-t critical values on G - 1 degrees of
freedom, G = the joined provinces an estimate rests on (the scarce side: never-joined provinces
are plentiful). bench/bench_trends.py measures how often these intervals cover zero in a placebo.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from cloudsword import geo
from cloudsword.filters import METRICS, Filters, month_start
from cloudsword.trends.estimator import (
    THIN,
    Aggregate,
    calendar_effects,
    callaway_santanna,
    event_rows,
    group_effects,
    interval,
    naive_before_after,
    pretrend_test,
    r_wald_pretest,
    t_crits,
    twfe,
)
from cloudsword.trends.params import TrendsParams

GUANGDONG = "440000"
DEFAULT_PARAMS = TrendsParams()


def month_index(d: date | pd.Timestamp) -> int:
    return d.year * 12 + d.month - 1


# -- the panel -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Panel:
    """Balanced province x month panel of every source's cases, arrests, seizures and clues."""

    frame: pd.DataFrame  # province_adcode, month (Timestamp), cases, suspects, seizure, clues
    joins: dict[str, pd.Timestamp]  # joined provinces in the selection -> join month
    illustrative: dict[str, bool]  # join date invented for the demo (not public)
    months: pd.DatetimeIndex
    provinces: tuple[str, ...]

    def wide(self, outcome: str) -> pd.DataFrame:
        """Provinces x months of one outcome."""
        return self.frame.pivot(index="province_adcode", columns="month", values=outcome)


def panel_filters(f: Filters) -> Filters:
    """The part of the view the panel depends on (dates, provinces, categories; not the metric,
    the panel holds every one): its cache key."""
    return f.with_(metric="cases")


def build_panel(store: object, f: Filters) -> Panel:
    """Sum the monthly aggregate over cities, categories and sources, one row per province and
    month of the view; months without a case are zeros, not gaps."""
    m = store.monthly(f)
    agg = store.run(
        m.group_by(["province_adcode", "month"]).aggregate(
            cases=m.cases.sum(), suspects=m.suspects.sum(), seizure=m.seizure_cny.sum(), clues=m.clues.sum()
        )
    )
    return _panel(agg, store.memberships(), f)


def panel_from_cases(cases: pd.DataFrame, memberships: pd.DataFrame, f: Filters) -> Panel:
    """The same panel from a cases table in memory (province_adcode, opened_on, suspects_caught,
    seizure_cny; every source): for studies over many generated datasets that are never written
    (the pre-trend test's size and power). Clues are left at zero."""
    month = pd.to_datetime(cases["opened_on"]).dt.to_period("M").dt.to_timestamp()
    agg = (
        cases.assign(month=month)
        .groupby(["province_adcode", "month"])
        .agg(cases=("opened_on", "size"), suspects=("suspects_caught", "sum"), seizure=("seizure_cny", "sum"))
        .reset_index()
        .assign(clues=0)
    )
    return _panel(agg, memberships, f)


def _panel(agg: pd.DataFrame, mem: pd.DataFrame, f: Filters) -> Panel:
    """Province x month sums (province_adcode, month, cases, suspects, seizure, clues) and the
    memberships -> the balanced panel of the view's provinces and months."""
    provinces = geo.load_provinces()
    codes = [a for a in provinces.loc[provinces.mainland, "adcode"] if not f.provinces or a in f.provinces]
    months = pd.date_range(month_start(f.date_from), month_start(f.date_to), freq="MS")
    grid = pd.MultiIndex.from_product([codes, months], names=["province_adcode", "month"])
    agg["month"] = pd.to_datetime(agg["month"]).astype(months.dtype)  # one time unit, whatever the source
    agg = agg[agg.province_adcode.isin(codes) & agg.month.isin(months)]
    frame = (
        agg.set_index(["province_adcode", "month"])
        .reindex(grid, fill_value=0)
        .astype({"cases": "int64", "suspects": "int64", "clues": "int64", "seizure": "float64"})
        .reset_index()
    )
    mem = mem[mem.province_adcode.isin(codes)]
    joins = {
        a: pd.Timestamp(month_start(pd.Timestamp(d).date()))
        for a, d in zip(mem.province_adcode, mem.joined_on)
    }
    illustrative = dict(zip(mem.province_adcode, mem.get("illustrative", pd.Series(False, mem.index))))
    return Panel(frame, joins, {a: bool(v) for a, v in illustrative.items()}, months, tuple(codes))


# -- the estimate ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """Why there is no estimate: a string key of strings_trends and its parameters."""

    key: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class TrendEstimate:
    outcome: str
    options: TrendsParams
    problem: Problem | None = None
    overall: dict = field(default_factory=dict)  # att, se, lo, hi, df, provinces
    event: pd.DataFrame | None = None  # one row per plotted point (see estimator.event_rows)
    pretrend: dict | None = None  # the wild-bootstrap test (estimator.pretrend_test)
    twfe: dict = field(default_factory=dict)
    naive: dict = field(default_factory=dict)
    used: tuple[str, ...] = ()  # joined provinces behind the estimate
    too_early: tuple[str, ...] = ()  # joined with no month before joining in the view
    late: tuple[str, ...] = ()  # joined after the view ends: counted as not (yet) joined
    comparison_provinces: int = 0  # never-joined in the view (incl. late)
    seconds: float = 0.0
    by_cohort: pd.DataFrame | None = None  # R's group aggregate: cohort (month joined), att, se, lo, hi...
    by_month: pd.DataFrame | None = None  # R's calendar aggregate: month, att, se, lo, hi...
    cohort_overall: dict = field(default_factory=dict)  # their averages: att, se, lo, hi, df
    month_overall: dict = field(default_factory=dict)
    r_wald: dict | None = None  # R's Wald pre-test of att_gt, when its covariance has full rank

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def reference(self) -> int:
        return -1 - self.options.anticipation


def estimate(panel: Panel, outcome: str, options: TrendsParams = DEFAULT_PARAMS) -> TrendEstimate:
    """The staggered event study of `outcome` on log(1 + value), or the Problem that prevents it."""
    return drawn(fit(panel, outcome, options), options)


@dataclass(frozen=True)
class Fitted:
    """An estimate before it is drawn: everything but what the window, the quarters and the bands
    change, and the fits those are drawn from. The page keeps it per fitting parameters
    (TrendsParams.fitting), so a new window costs the drawing, not the estimator."""

    estimate: TrendEstimate  # without `event` and `pretrend`
    fit: object | None = None  # the estimator's result (estimator.callaway_santanna)
    fixed: object | None = None  # the same on the fixed base: the pre-trend test's


def drawn(fitted: Fitted, options: TrendsParams) -> TrendEstimate:
    """The estimate as `options` draws it from `fitted` (fitted with options.fitting())."""
    t0 = time.perf_counter()
    est = fitted.estimate
    if not est.ok:
        return replace(est, options=options)
    a = options.anticipation
    event = event_rows(fitted.fit, options.window, a, options.quarters, options.uniform)
    pretrend = pretrend_test(fitted.fixed, options.window, a)
    return replace(
        est, options=options, event=event, pretrend=pretrend, seconds=est.seconds + time.perf_counter() - t0
    )


def fit(panel: Panel, outcome: str, options: TrendsParams = DEFAULT_PARAMS) -> Fitted:
    """The fits of `estimate` and all it reports that the drawing options do not change."""
    t0 = time.perf_counter()
    if outcome not in METRICS:
        raise ValueError(f"unknown outcome {outcome!r}")
    fail = lambda key, **params: Fitted(TrendEstimate(outcome, options, Problem(key, params)))
    if outcome == "clues":
        return fail("trends.problem.clues")
    if panel.frame.empty or not panel.provinces:
        return fail("trends.problem.empty")
    if float(panel.frame[outcome].sum()) == 0:
        return fail("trends.problem.no_data")
    if not panel.joins:
        return fail("trends.problem.no_member")
    a = options.anticipation
    t_first, t_last = month_index(panel.months[0]), month_index(panel.months[-1])
    g_of = {p: month_index(m) for p, m in panel.joins.items()}
    too_early = tuple(p for p, g in g_of.items() if g - 1 - a < t_first)
    late = tuple(p for p, g in g_of.items() if g > t_last)
    used = tuple(p for p in g_of if p not in too_early and p not in late)
    if not used:
        return fail("trends.problem.few_months", provinces=tuple(sorted(g_of, key=g_of.get)), need=1 + a)
    d = panel.frame[~panel.frame.province_adcode.isin(too_early)].copy()
    d["y"] = np.log1p(d[outcome].astype(float))
    d["t"] = d.month.dt.year * 12 + d.month.dt.month - 1
    d["g"] = d.province_adcode.map({p: g_of[p] for p in used}).fillna(0).astype(int)
    never = int((d.groupby("province_adcode").g.first() == 0).sum())
    if never == 0 and options.comparison == "never":
        return fail("trends.problem.no_never")
    if never == 0 and len({g_of[p] for p in used}) == 1:
        return fail("trends.problem.no_comparison")
    fit_on = lambda base: callaway_santanna(
        d, "y", "province_adcode", "t", "g", comparison=options.comparison, anticipation=a, base_period=base
    )
    try:
        result = fit_on(options.base_period)
        fixed = result if result.base_period == "universal" else fit_on("universal")  # the pre-trend test's
    except (ValueError, np.linalg.LinAlgError) as exc:
        return fail("trends.problem.estimator", detail=str(exc).splitlines()[0][:200])
    if not np.isfinite(result.overall_att) or not (result.group_time.e >= 0).any():
        return fail("trends.problem.no_comparison")

    post_cohorts = set(result.group_time.loc[result.group_time.e >= 0, "g"])
    n_post = sum(result.cohort_sizes.get(g, 0) for g in post_cohorts)
    overall = _with_interval(result.overall_att, result.overall_se, n_post) | {"provinces": n_post}
    by_cohort, by_month = group_effects(result), calendar_effects(result)
    tw = twfe(d, "y", "province_adcode", "t", "g")
    nv = naive_before_after(d, "y", "province_adcode", "t", "g", a)
    # each interval on the degrees of freedom of how its standard error is clustered: TWFE's by
    # every province in the panel, the naive one's across the joined provinces
    tw.update(_with_interval(tw["att"], tw["se"], tw["clusters"]))
    nv.update(_with_interval(nv["att"], nv["se"], nv["units"]))
    est = TrendEstimate(
        outcome,
        options,
        None,
        overall,
        None,
        None,
        tw,
        nv,
        tuple(sorted(used, key=g_of.get)),
        too_early,
        late,
        never,
        time.perf_counter() - t0,
        _aggregate_rows(by_cohort, "cohort"),
        _aggregate_rows(by_month, "month"),
        _with_interval(by_cohort.att, by_cohort.se, n_post),
        _with_interval(by_month.att, by_month.se, n_post),
        r_wald_pretest(result, a),
    )
    return Fitted(est, result, fixed)


def _with_interval(att: float, se: float, clusters: int) -> dict:
    """att and se with the 95% interval on t(G - 1), G = the clusters (provinces) behind it."""
    lo, hi = interval(att, se, clusters - 1)
    return {"att": float(att), "se": float(se), "lo": lo, "hi": hi, "df": clusters - 1}


def _aggregate_rows(agg: Aggregate, key: str) -> pd.DataFrame:
    """R's group or calendar rows with the page's intervals: each on t(G - 1), G = the joined
    provinces behind it (a cohort of one province has no interval); `key` months as timestamps."""
    rows = agg.rows.copy()
    months = [pd.Timestamp(year=int(k) // 12, month=int(k) % 12 + 1, day=1) for k in rows.key]
    rows.insert(0, key, months)
    rows["df"] = rows.provinces - 1
    half = t_crits(rows.df.to_numpy()) * rows.se.to_numpy()
    rows["lo"], rows["hi"] = rows.att - half, rows.att + half
    rows["thin"] = rows.provinces < THIN
    return rows.drop(columns="key").reset_index(drop=True)


# -- exports and checks ----------------------------------------------------------------------------
def estimates_frame(est: TrendEstimate) -> pd.DataFrame:
    """Every number the page shows, one row each, for the CSV download: the overall effect, the
    event study, R's group (per cohort) and calendar (per month) aggregates with their averages,
    the comparison estimates and both pre-trend tests. Effects are log points (pct_change beside);
    test rows carry a statistic and a p-value instead."""
    if not est.ok:
        return pd.DataFrame()
    o = est.options
    common = {
        "outcome": est.outcome,
        "scale": "log(1+value)",
        "comparison": o.comparison,
        "base_period": o.base,
        "anticipation_months": o.anticipation,
        "reference_month": est.reference if o.base == "fixed" else None,
    }
    rows = [{"quantity": "overall_att", **_num(est.overall), "provinces": est.overall["provinces"]}]
    for r in est.event.itertuples():
        rows.append(
            {
                "quantity": "reference" if r.reference else "event_time",
                "months_from": r.e_from,
                "months_to": r.e_to,
                "att": r.att,
                "se": r.se,
                "lo": r.lo,
                "hi": r.hi,
                "df": r.df,
                "band_lo": r.band_lo,
                "band_hi": r.band_hi,
                "provinces": r.provinces,
            }
        )
    for key, frame, average in (
        ("cohort", est.by_cohort, est.cohort_overall),
        ("month", est.by_month, est.month_overall),
    ):
        for r in frame.itertuples():
            rows.append(
                {"quantity": f"{key}_effect", key: getattr(r, key).date().isoformat(), **_num(r._asdict()),
                 "provinces": r.provinces}
            )  # fmt: skip
        rows.append({"quantity": f"{key}_average", **_num(average)})
    rows.append({"quantity": "twfe_post_dummy", **_num(est.twfe), "provinces": est.twfe.get("clusters")})
    rows.append({"quantity": "naive_before_after", **_num(est.naive), "provinces": est.naive.get("units")})
    if est.pretrend:
        p = est.pretrend
        rows.append(
            {"quantity": "pretrend_sup_t", "statistic": p["stat"], "p_value": p["p"], "points": p["months"],
             "critical_value": p["crit"], "draws": p["draws"], "provinces": p["provinces"],
             "detectable_drift_12_months": p["drift"]}
        )  # fmt: skip
    if est.r_wald:
        w = est.r_wald
        rows.append(
            {"quantity": "r_wald_pretest", "statistic": w["wald"], "p_value": w["p"], "points": w["df"]}
        )
    out = pd.DataFrame(rows)
    for k, v in reversed(common.items()):
        out.insert(0, k, v)
    out["pct_change"] = np.expm1(out["att"])
    return out


def _num(d: dict) -> dict:
    return {k: d.get(k) for k in ("att", "se", "lo", "hi", "df")}


def guangdong_check(store: object, f: Filters) -> dict:
    """Guangdong's cases (every source, the view's categories) in April and June 2017, beside the
    public report that they 'more than doubled' from April to June 2017."""
    april, june = date(2017, 4, 1), date(2017, 6, 1)
    m = store.manifest
    if not (month_start(m.start) <= april and june <= month_start(m.end)):
        return {"available": False}
    g = Filters(april, date(2017, 6, 30), (GUANGDONG,), f.categories)
    t = store.monthly(g)
    got = store.run(t.group_by("month").aggregate(cases=t.cases.sum()))
    by = {pd.Timestamp(k): int(v) for k, v in zip(got.month, got.cases)}
    a, j = by.get(pd.Timestamp(april), 0), by.get(pd.Timestamp(june), 0)
    mem = store.memberships()
    joined = mem.loc[mem.province_adcode == GUANGDONG, "joined_on"]
    return {
        "available": True,
        "april": a,
        "june": j,
        "ratio": j / a if a else float("nan"),
        "doubled": bool(a and j > 2 * a),
        "joined": joined.iloc[0] if len(joined) else None,
    }


def placebo_panel(
    panel: Panel, seed: int, joiners: int | None = None, before: int = 12, after: int = 3
) -> Panel:
    """The panel without the real members, and with invented join months for a random half of
    the non-members (each drawn uniformly among months with `before` months before it and `after`
    from it on): there is no effect to find, so a 95% interval should cover zero 95% of the time."""
    rng = np.random.default_rng(seed)
    others = [p for p in panel.provinces if p not in panel.joins]
    k = joiners or len(others) // 2
    who = rng.choice(others, size=min(k, len(others)), replace=False)
    months = panel.months[before : len(panel.months) - after + 1]
    joins = {str(p): months[int(i)] for p, i in zip(who, rng.integers(0, len(months), len(who)))}
    frame = panel.frame[panel.frame.province_adcode.isin(others)].reset_index(drop=True)
    return Panel(frame, joins, {p: True for p in joins}, panel.months, tuple(others))


def placebo_coverage(
    panel: Panel, outcome: str = "cases", seeds: int = 50, options: TrendsParams = DEFAULT_PARAMS
) -> float:
    """Share of placebo draws whose 95% interval for the overall effect covers zero."""
    hits = []
    for seed in range(seeds):
        est = estimate(placebo_panel(panel, seed), outcome, options)
        if est.ok:
            hits.append(est.overall["lo"] <= 0 <= est.overall["hi"])
    return float(np.mean(hits)) if hits else float("nan")


# -- series for the trend charts -------------------------------------------------------------------
def aligned_series(panel: Panel, outcome: str, window: int = 12, base: int = 12) -> pd.DataFrame:
    """Members on months since joining, each as an index (its mean over the `base` months before
    joining = 100), beside the never-joined provinces over the same calendar months, indexed the
    same way and averaged. Columns: e, series ("member:<adcode>", "members", "others"), value."""
    wide = panel.wide(outcome).astype(float)
    months = list(wide.columns)
    members = {p: months.index(m) for p, m in panel.joins.items() if m in months and p in wide.index}
    others = wide.loc[[p for p in wide.index if p not in panel.joins]].to_numpy()
    rows, mine, theirs = [], [], []
    for p, j in sorted(members.items(), key=lambda kv: kv[1]):
        pre = slice(max(0, j - base), j)
        y = wide.loc[p].to_numpy()
        ref = y[pre].mean() if j > 0 else np.nan  # joined in the view's first month: no base to index on
        if not np.isfinite(ref) or ref <= 0:
            continue
        es = np.arange(-window, window + 1)
        cols = j + es
        ok = (cols >= 0) & (cols < len(months))
        idx = np.full(len(es), np.nan)
        idx[ok] = 100 * y[cols[ok]] / ref
        mine.append(idx)
        rows += [(e, f"member:{p}", v) for e, v in zip(es, idx) if np.isfinite(v)]
        if len(others):
            oref = others[:, pre].mean(axis=1)
            good = oref > 0
            o = np.full(len(es), np.nan)
            if good.any():
                o[ok] = 100 * (others[good][:, cols[ok]] / oref[good, None]).mean(axis=0)
            theirs.append(o)
    es = np.arange(-window, window + 1)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns at the window's ends
        for name, stack in (("members", mine), ("others", theirs)):
            if stack:
                mean = np.nanmean(np.vstack(stack), axis=0)
                rows += [(e, name, v) for e, v in zip(es, mean) if np.isfinite(v)]
    return pd.DataFrame(rows, columns=["e", "series", "value"])
