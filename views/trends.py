"""Before and after joining (/trends): did enforcement change after a province joined?

The outcome is the sidebar's metric; the study's options are the page's parameters
(cloudsword.trends.params.TrendsParams), kept in the URL.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from cloudsword import geo
from cloudsword.i18n import format_date, format_number, join, metric_name, t
from cloudsword.trends import analysis, charts
from cloudsword.trends.analysis import Panel, TrendEstimate
from cloudsword.trends.params import ANTICIPATION, BASES, COMPARISONS, WINDOWS, TrendsParams
from components import url
from components.cache import trends as cached
from components.context import view
from components.downloads import chart_downloads
from components.lazy import opened

v = view()
store, f, lang = v.store, v.filters, v.lang
outcome = f.metric
WIDGETS = {
    "comparison": "trends_compare",
    "anticipation": "trends_antic",
    "window": "trends_window",
    "quarters": "trends_quarters",
    "uniform": "trends_band",
    "base": "trends_base",
}
SERIES = "trends_series_box"  # the expander of the province panels: open, they are built


def options() -> TrendsParams:
    """The study's options: seeded from the page's parameters, read back from the widgets."""
    p = url.page_params("trends", TrendsParams.from_query)
    url.seed_all(p, WIDGETS)
    c1, c2, c3, c4 = st.columns([1.4, 1, 1.4, 1.3])
    c1.segmented_control(
        t("trends.opt.comparison", lang),
        COMPARISONS,
        key="trends_compare",
        required=True,
        format_func=lambda c: t(f"trends.opt.comparison.{c}", lang),
        help=t("trends.opt.comparison.help", lang),
    )
    c2.selectbox(
        t("trends.opt.anticipation", lang),
        ANTICIPATION,
        key="trends_antic",
        help=t("trends.opt.anticipation.help", lang),
    )
    c3.select_slider(t("trends.opt.window", lang), WINDOWS, key="trends_window")
    c3.segmented_control(
        t("trends.opt.base", lang),
        BASES,
        key="trends_base",
        required=True,
        format_func=lambda b: t(f"trends.opt.base.{b}", lang),
        help=t("trends.opt.base.help", lang),
    )
    with c4:
        st.toggle(t("trends.opt.quarters", lang), key="trends_quarters")
        st.toggle(t("trends.opt.uniform", lang), key="trends_band", help=t("trends.opt.uniform.help", lang))
    p = url.read_all(p, WIDGETS)
    url.keep("trends", p)
    return p


def names(codes: tuple[str, ...]) -> str:
    return join((geo.province_name(a, lang, short=True) for a in codes), lang)


def finding(est: TrendEstimate, panel: Panel, p: TrendsParams) -> None:
    """What an official reads first: the finding in one sentence and the chart that shows it."""
    if not est.ok:
        (st.info if est.problem.key == "trends.problem.clues" else st.warning)(
            charts.problem_text(est, panel.joins, lang)
        )
        return
    st.markdown(f"**{charts.lead(est, outcome, lang)}**")
    fig = charts.event_study_figure(est, lang)
    st.plotly_chart(fig, key="trends_event", config=charts.plot_config(f"event-study-{outcome}"))
    name = f"trends-event-study-{outcome}-{p.comparison}"
    chart_downloads(fig, analysis.estimates_frame(est), name, "trends_event_dl", lang)


def statistics(est: TrendEstimate, p: TrendsParams) -> None:
    """One click lower: the estimate's numbers, its test, the method and the other estimators."""
    if not est.ok:
        return
    value = t("trends.model.seizure", lang) if outcome == "seizure" else metric_name(outcome, lang, True)
    st.caption(t("trends.model", lang, value=value))
    st.subheader(t("trends.summary", lang))
    o, pre = est.overall, est.pretrend
    m1, m2, m3 = st.columns(3)
    m1.metric(
        t("trends.overall", lang),
        charts.pct(o["att"], 1),
        delta=t("trends.interval", lang, lo=charts.pct(o["lo"], 1), hi=charts.pct(o["hi"], 1)),
        delta_color="off",
        delta_arrow="off",
        help=t("trends.overall.help", lang),
        border=True,
    )
    m2.metric(
        t("trends.pretrend", lang),
        t("trends.pretrend.value", lang, p=charts.p_value(pre["p"]))
        if pre
        else t("trends.pretrend.none", lang),
        help=None if not pre else pretrend_help(pre),
        border=True,
    )
    m3.metric(
        t("trends.event.n", lang),
        str(o["provinces"]),
        delta=t("trends.provinces_behind", lang, n=o["provinces"], c=est.comparison_provinces),
        delta_color="off",
        delta_arrow="off",
        border=True,
    )
    st.markdown(charts.summary(est, outcome, lang))
    if est.too_early:
        st.caption(t("trends.left_out", lang, names=names(est.too_early)))
    if est.late:
        st.caption(t("trends.late", lang, names=names(est.late)))
    base = t(f"trends.base.{p.base}_method", lang, ref=f"{est.reference:+d}")
    st.caption(t("trends.event.method", lang, base=base))
    if p.uniform:
        st.caption(t("trends.event.band_note", lang))
    aggregates(est, p)
    other_estimates(est)


def pretrend_help(pre: dict) -> str:
    """What the pre-trend test does, and the drift it can see."""
    return t(
        "trends.pretrend.help", lang, k=pre["months"], draws=format_number(pre["draws"], lang),
        drift=charts.pct(pre["drift"]),
    )  # fmt: skip


def aggregates(est: TrendEstimate, p: TrendsParams) -> None:
    """R's group and calendar aggregates: per joining cohort and per calendar month."""
    st.subheader(t("trends.agg", lang))
    st.caption(t("trends.agg.explain", lang))
    left, right = st.columns(2)
    for col, kind, rows in ((left, "cohort", est.by_cohort), (right, "month", est.by_month)):
        with col:
            fig = charts.aggregate_figure(est, kind, lang)
            st.plotly_chart(fig, key=f"trends_{kind}", config=charts.plot_config(f"{kind}-{outcome}"))
            data = rows.assign(pct_change=np.expm1(rows.att))
            chart_downloads(
                fig, data, f"trends-by-{kind}-{outcome}-{p.comparison}", f"trends_{kind}_dl", lang
            )


def other_estimates(est: TrendEstimate) -> None:
    st.subheader(t("trends.compare", lang))
    rows = [
        ("trends.compare.naive", est.naive),
        ("trends.compare.twfe", est.twfe),
        ("trends.compare.cs", est.overall),
    ]
    st.dataframe(
        {
            t("trends.compare.method", lang): [t(k, lang) for k, _ in rows],
            t("trends.compare.estimate", lang): [charts.pct(r["att"], 1) for _, r in rows],
            t("trends.compare.interval", lang): [
                f"{charts.pct(r['lo'], 1)} … {charts.pct(r['hi'], 1)}" for _, r in rows
            ],
            t("trends.compare.df", lang): [int(r["df"]) for _, r in rows],
        },
        hide_index=True,
        key="trends_compare_table",
    )
    tw, nv, o = est.twfe, est.naive, est.overall
    dfs = {"clusters": tw["clusters"], "tw": tw["df"], "units": nv["units"], "nv": nv["df"]}
    st.caption(t("trends.compare.df_note", lang, n=o["provinces"], cs=o["df"], **dfs))
    st.markdown(t("trends.compare.explain", lang))


def guangdong_check() -> None:
    st.subheader(t("trends.gd", lang))
    st.caption(t("trends.gd.claim", lang))
    gd = cached.guangdong(store, f)
    if not gd["available"]:
        st.info(t("trends.gd.missing", lang))
        return
    g1, g2, g3 = st.columns(3)
    april, june = format_number(gd["april"], lang), format_number(gd["june"], lang)
    ratio = "—" if not math.isfinite(gd["ratio"]) else f"{gd['ratio']:.1f}×"
    g1.metric(t("trends.gd.april", lang), april, border=True)
    g2.metric(t("trends.gd.june", lang), june, border=True)
    g3.metric(t("trends.gd.ratio", lang), ratio, border=True)
    st.markdown(
        t("trends.gd.yes" if gd["doubled"] else "trends.gd.no", lang, april=april, june=june, ratio=ratio)
    )
    st.caption(t("trends.gd.note", lang))


def series(panel: Panel, p: TrendsParams, alone: bool) -> None:
    """The aligned members, then each province's series one click lower (open at once when it is
    `alone`: no estimate to lead with, as for clues)."""
    if not panel.provinces:
        return
    if panel.joins and outcome != "clues":
        aligned = analysis.aligned_series(panel, outcome, window=p.window)
        if not aligned.empty:
            fig = charts.aligned_figure(aligned, outcome, lang)
            st.plotly_chart(fig, key="trends_aligned", config=charts.plot_config(f"aligned-{outcome}"))
            chart_downloads(fig, aligned, f"trends-aligned-{outcome}", "trends_aligned_dl", lang)
            st.caption(t("trends.aligned.note", lang))
    # one click lower, built only once opened: its 31 panels cost the browser more than every
    # other chart of the page together (0.6 s of drawing)
    label = t("trends.series.open", lang, n=len(panel.provinces))
    box = opened(label, SERIES, expanded=alone)
    if box is None:
        return
    with box:
        fig = charts.province_series_figure(panel, outcome, lang)
        st.plotly_chart(fig, key="trends_series", config=charts.plot_config(f"provinces-{outcome}"))
        data = panel.frame[["province_adcode", "month", outcome]]
        chart_downloads(fig, data, f"trends-provinces-{outcome}", "trends_series_dl", lang)


st.header(t("trends.title", lang))
st.caption(t("trends.intro", lang, metric=metric_name(outcome, lang, in_sentence=True)))
lead = st.container()  # the finding first; the study's options and statistics one click lower
with st.expander(t("trends.details", lang)):
    params = options()
    details = st.container()
panel = cached.panel(store, f)
estimate = cached.estimate(store, f, params)
with lead:
    finding(estimate, panel, params)
with details:
    statistics(estimate, params)
guangdong_check()
series(panel, params, alone=not estimate.ok)
as_of = format_date(store.manifest.as_of, lang)
st.caption(t("trends.illustrative", lang) + " " + t("asof", lang, date=as_of))
