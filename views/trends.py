"""Before and after joining (/trends): did enforcement change after a province joined?

Thin: reads the options (page params in the URL, checked, with a notice and the default on a bad
value), calls the core through the cache module, places the results. The outcome is the
sidebar's metric. Page params: compare (notyet|never), anticipation (0-3), es_window (months),
es_bin (month|quarter), es_band (0|1).
"""

from __future__ import annotations

import math

import streamlit as st

from cloudsword import geo
from cloudsword.i18n import format_date, format_month, format_number, metric_name, t
from cloudsword.trends import analysis as trends
from cloudsword.trends import charts as charts_trends
from components import cache
from components.context import view
from components.downloads import chart_downloads
from components.params import seed_widget, sync_param

v = view()
lang, version, store = v.lang, v.version, v.store
f = v.filters
outcome = f.metric
pf = trends.panel_filters(f)  # the panel depends on dates, provinces and categories only
ANTICIPATION = (0, 1, 2, 3)
BINS = ("month", "quarter")


def _int(raw: str) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _names(codes: tuple[str, ...] | list[str]) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(geo.province_name(a, lang, short=True) for a in codes)


def _problem(est: trends.TrendEstimate) -> str:
    params = dict(est.problem.params)
    if "provinces" in params:
        joins = cache.trends_panel(version, pf).joins
        name = lambda a: f"{geo.province_name(a, lang, short=True)} ({format_month(joins[a], lang)})"  # noqa: E731
        named = [name(a) for a in params["provinces"]]
        params["provinces"] = ("、" if lang == "zh" else ", ").join(named)
    return t(est.problem.key, lang, **params)


# -- options ----------------------------------------------------------------------------------------
seed_widget("trends_compare", "compare", trends.COMPARISONS, "notyet", lang=lang)
seed_widget("trends_antic", "anticipation", ANTICIPATION, 0, _int, lang=lang)
seed_widget("trends_window", "es_window", trends.WINDOWS, 12, _int, lang=lang)
seed_widget("trends_bin", "es_bin", BINS, "month", lang=lang)
seed_widget("trends_band", "es_band", (False, True), False, {"1": True, "0": False}.get, lang=lang)

st.header(t("trends.title", lang))
st.caption(t("trends.intro", lang, metric=metric_name(outcome, lang, in_sentence=True)))

c1, c2, c3, c4 = st.columns([1.4, 1, 1.4, 1.3])
c1.segmented_control(
    t("trends.opt.comparison", lang),
    trends.COMPARISONS,
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
c3.select_slider(t("trends.opt.window", lang), trends.WINDOWS, key="trends_window")
with c4:
    st.toggle(
        t("trends.opt.quarters", lang),
        value=st.session_state["trends_bin"] == "quarter",
        key="trends_quarters",
        on_change=lambda: st.session_state.update(
            trends_bin="quarter" if st.session_state["trends_quarters"] else "month"
        ),
    )
    st.toggle(t("trends.opt.uniform", lang), key="trends_band", help=t("trends.opt.uniform.help", lang))
sync_param("compare", st.session_state["trends_compare"], "notyet")
sync_param("anticipation", st.session_state["trends_antic"], 0)
sync_param("es_window", st.session_state["trends_window"], 12)
sync_param("es_bin", st.session_state["trends_bin"], "month")
sync_param("es_band", int(st.session_state["trends_band"]), 0)

options = trends.TrendOptions(
    comparison=st.session_state["trends_compare"],
    anticipation=int(st.session_state["trends_antic"]),
    window=int(st.session_state["trends_window"]),
    quarters=st.session_state["trends_bin"] == "quarter",
    uniform=bool(st.session_state["trends_band"]),
)
panel = cache.trends_panel(version, pf)
est = cache.trends_estimate(version, pf, outcome, options.key())

# -- summary and event study ----------------------------------------------------------------------------
if not est.ok:
    (st.info if est.problem.key == "trends.problem.clues" else st.warning)(_problem(est))
else:
    st.caption(t("trends.model", lang))
    st.subheader(t("trends.summary", lang))
    o, pre = est.overall, est.pretrend
    m1, m2, m3 = st.columns(3)
    m1.metric(
        t("trends.overall", lang),
        charts_trends.pct(o["att"], 1),
        delta=t("trends.interval", lang, lo=charts_trends.pct(o["lo"], 1), hi=charts_trends.pct(o["hi"], 1)),
        delta_color="off",
        delta_arrow="off",
        help=t("trends.overall.help", lang),
        border=True,
    )
    pre_text = t("trends.pretrend.value", lang, p=charts_trends.p_value(pre["p"])) if pre else ""
    m2.metric(
        t("trends.pretrend", lang),
        pre_text or t("trends.pretrend.none", lang),
        help=None
        if not pre
        else t(
            "trends.pretrend.help", lang, k=pre["df1"], span=pre["span"], df1=pre["df1"], df2=int(pre["df2"])
        ),
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
    st.markdown(charts_trends.summary(est, outcome, lang))
    if est.too_early:
        st.caption(t("trends.left_out", lang, names=_names(est.too_early)))
    if est.late:
        st.caption(t("trends.late", lang, names=_names(est.late)))

    fig = charts_trends.event_study_figure(est, lang)
    st.plotly_chart(fig, key="trends_event", config=charts_trends.plot_config(f"event-study-{outcome}"))
    st.caption(t("trends.event.method", lang, ref=f"{est.reference:+d}"))
    if options.uniform:
        st.caption(t("trends.event.band_note", lang))
    chart_downloads(
        fig,
        trends.estimates_frame(est),
        f"trends-event-study-{outcome}-{options.comparison}",
        "trends_event_dl",
        lang,
    )

    st.subheader(t("trends.compare", lang))
    rows = [
        ("trends.compare.naive", est.naive),
        ("trends.compare.twfe", est.twfe),
        ("trends.compare.cs", est.overall),
    ]
    st.dataframe(
        {
            t("trends.compare.method", lang): [t(k, lang) for k, _ in rows],
            t("trends.compare.estimate", lang): [charts_trends.pct(r["att"], 1) for _, r in rows],
            t("trends.compare.interval", lang): [
                f"{charts_trends.pct(r['lo'], 1)} … {charts_trends.pct(r['hi'], 1)}" for _, r in rows
            ],
        },
        hide_index=True,
        key="trends_compare_table",
    )
    st.markdown(t("trends.compare.explain", lang))

# -- the Guangdong check ------------------------------------------------------------------------------
st.subheader(t("trends.gd", lang))
st.caption(t("trends.gd.claim", lang))
gd = cache.trends_guangdong(version, pf)
if not gd["available"]:
    st.info(t("trends.gd.missing", lang))
else:
    g1, g2, g3 = st.columns(3)
    g1.metric(t("trends.gd.april", lang), format_number(gd["april"], lang), border=True)
    g2.metric(t("trends.gd.june", lang), format_number(gd["june"], lang), border=True)
    ratio = "—" if not math.isfinite(gd["ratio"]) else f"{gd['ratio']:.1f}×"
    g3.metric(t("trends.gd.ratio", lang), ratio, border=True)
    key = "trends.gd.yes" if gd["doubled"] else "trends.gd.no"
    april, june = format_number(gd["april"], lang), format_number(gd["june"], lang)
    st.markdown(t(key, lang, april=april, june=june, ratio=ratio))
    st.caption(t("trends.gd.note", lang))

# -- trends ---------------------------------------------------------------------------------------------
if panel.provinces:
    if panel.joins and outcome != "clues":
        aligned = trends.aligned_series(panel, outcome, window=options.window)
        if not aligned.empty:
            aligned_fig = charts_trends.aligned_figure(aligned, outcome, lang)
            st.plotly_chart(
                aligned_fig, key="trends_aligned", config=charts_trends.plot_config(f"aligned-{outcome}")
            )
            chart_downloads(aligned_fig, aligned, f"trends-aligned-{outcome}", "trends_aligned_dl", lang)
            st.caption(t("trends.aligned.note", lang))
    series_fig = charts_trends.province_series_figure(panel, outcome, lang)
    st.plotly_chart(series_fig, key="trends_series", config=charts_trends.plot_config(f"provinces-{outcome}"))
    chart_downloads(
        series_fig,
        panel.frame[["province_adcode", "month", outcome]],
        f"trends-provinces-{outcome}",
        "trends_series_dl",
        lang,
    )
as_of = format_date(store.manifest.as_of, lang)
st.caption(t("trends.illustrative", lang) + " " + t("asof", lang, date=as_of))
