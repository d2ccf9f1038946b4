"""Figures of the before/after-joining page: pure functions from estimates and panels to plotly.

Effects are estimated on log(1 + value); axes are labelled as percentage changes (e^b - 1) so
people who are not economists read "+25%" rather than "0.22 log points".

The figures are plain dicts (charts_style.plain_figure): built through plotly's validated objects
(make_subplots, add_vline, update_layout) the event study, aligned and aggregate figures alone took
~0.2 s of every /trends run (0.55 s under cProfile).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cloudsword import geo
from cloudsword.charts_style import PALETTE, PlainFigure, plain_figure
from cloudsword.i18n import format_metric, format_month, join, metric_name, sentences, t
from cloudsword.trends.analysis import Panel, TrendEstimate

GREY = "#b3b3b3"


def plot_config(name: str, fmt: str = "png") -> dict:
    """st.plotly_chart config: the modebar's camera button saves `name`.png (or .svg) as drawn."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": fmt, "filename": name, "scale": 2},
    }


def pct(x: float, digits: int = 0) -> str:
    """A log-point effect as a signed percentage change: 0.2231 -> '+25%'."""
    if x is None or not math.isfinite(x):
        return "—"
    v = math.expm1(x) * 100
    return f"{v:+.{digits}f}%" if abs(v) >= 0.5 or digits else f"{v:+.1f}%"


def p_value(p: float) -> str:
    """A p-value as people read it: "< 0.001", "0.004", "0.32"."""
    return "< 0.001" if p < 0.001 else f"{p:.3f}" if p < 0.01 else f"{p:.2f}"


def lead(est: TrendEstimate, outcome: str, lang: str) -> str:
    """The finding in one sentence, the page's first words: the summary's opening sentence."""
    return summary(est, outcome, lang, whole=False)


def summary(est: TrendEstimate, outcome: str, lang: str, whole: bool = True) -> str:
    """The estimate in plain words, from its numbers: the page's summary and the slide's notes."""
    o, pre = est.overall, est.pretrend
    down = o["att"] < 0
    size = (1 - math.exp(o["att"])) if down else math.expm1(o["att"])
    story = [
        t(
            "trends.story.down" if down else "trends.story.up",
            lang,
            n=o["provinces"],
            metric=metric_name(outcome, lang, in_sentence=True),
            pct=f"{size * 100:.1f}%",
            lo=pct(o["lo"], 1),
            hi=pct(o["hi"], 1),
        ),
        t("trends.story.sure" if (o["lo"] > 0 or o["hi"] < 0) else "trends.story.unsure", lang),
    ]
    if not whole:
        return story[0]
    if pre:
        key = "trends.story.pre_ok" if pre["p"] >= 0.05 else "trends.story.pre_bad"
        story.append(t(key, lang, p=p_value(pre["p"]), drift=pct(pre["drift"])))
    story.append(t("trends.story.limits", lang))
    return sentences(story, lang)


def problem_values(est: TrendEstimate, joins: dict[str, pd.Timestamp], lang: str) -> dict[str, object]:
    """The values of the message saying why there is no estimate; provinces are named with the
    month each joined."""
    params = dict(est.problem.params)
    if "provinces" in params:
        named = (
            f"{geo.province_name(a, lang, short=True)} ({format_month(joins[a], lang)})" if a in joins else a
            for a in params["provinces"]
        )
        params["provinces"] = join(named, lang)
    return params


def problem_text(est: TrendEstimate, joins: dict[str, pd.Timestamp], lang: str) -> str:
    """Why there is no estimate, in words."""
    return t(est.problem.key, lang, **problem_values(est, joins, lang))


def pct_ticks(lo: float, hi: float, most: int = 8) -> dict:
    """Tick positions at round percentage changes inside [lo, hi] (log points): the finest step
    (5%, 10%, 20%, 25%, 50%, 100%...) that gives at most `most` ticks."""
    a, b = math.expm1(lo) * 100, math.expm1(hi) * 100
    vals: list[float] = [0.0]
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        vals = [k * step for k in range(math.ceil(a / step), math.floor(b / step) + 1) if k * step > -100]
        if len(vals) <= most:
            break
    return {
        "tickvals": [math.log1p(p / 100) for p in vals],
        "ticktext": [f"{p:+g}%" if p else "0" for p in vals],
    }


def _label(r: object, lang: str) -> str:
    if r.e_from == r.e_to:
        return t("trends.event.month", lang, e=f"{int(r.e_from):+d}")
    return t("trends.event.months", lang, a=f"{int(r.e_from):+d}", b=f"{int(r.e_to):+d}")


def base_text(est: TrendEstimate, lang: str) -> str:
    """Which base the event study uses, as the chart says it."""
    if est.options.base == "fixed":
        return t("trends.base.fixed_note", lang, ref=f"{est.reference:+d}")
    return t("trends.base.varying_note", lang)


def event_study_figure(est: TrendEstimate, lang: str, height: int = 520) -> go.Figure:
    """Effects by months since joining with 95% intervals (optional simultaneous band), the fixed
    reference month at 0, and below, how many joined provinces each point rests on; points on
    fewer than 3 are grey. The two panels share the months as make_subplots(rows=2,
    shared_xaxes=True, row_heights=[0.78, 0.22], vertical_spacing=0.04) lays them out."""
    ev = est.event
    est_rows = ev[~ev.reference]
    solid, thin = est_rows[~est_rows.thin], est_rows[est_rows.thin]
    data: list[dict] = []
    if est.options.uniform and est_rows.band_lo.notna().any():
        b = est_rows[est_rows.band_lo.notna()]
        ref_x = float(ev.loc[ev.reference, "x"].iloc[0]) if ev.reference.any() else -0.5
        for i, side in enumerate((b[b.x < ref_x], b[b.x > ref_x])):  # no shading across the reference
            if side.empty:
                continue
            x, band_lo, band_hi = (side[c].to_numpy() for c in ("x", "band_lo", "band_hi"))
            data.append(
                dict(
                    type="scatter", x=np.r_[x, x[::-1]], y=np.r_[band_hi, band_lo[::-1]],
                    mode="lines", fill="toself", fillcolor="rgba(0,114,178,0.12)", line=dict(width=0),
                    hoverinfo="skip", name=t("trends.event.band", lang), legendgroup="band",
                    showlegend=i == 0 or b[b.x < ref_x].empty, xaxis="x", yaxis="y",
                )
            )  # fmt: skip
    for part, colour, name in (
        (solid, PALETTE["blue"], t("trends.event.estimate", lang)),
        (thin, GREY, t("trends.event.thin", lang)),
    ):
        if part.empty:
            continue
        hover = [
            t("trends.event.hover", lang, label=_label(r, lang), pct=pct(r.att, 1), lo=pct(r.lo, 1),
              hi=pct(r.hi, 1), n=int(r.provinces))
            for r in part.itertuples()
        ]  # fmt: skip
        error = dict(
            type="data", symmetric=False, array=(part.hi - part.att).fillna(0).to_numpy(),
            arrayminus=(part.att - part.lo).fillna(0).to_numpy(), color=colour, thickness=1.6, width=3,
        )  # fmt: skip
        data.append(
            dict(
                type="scatter", x=part.x.to_numpy(), y=part.att.to_numpy(), mode="markers",
                marker=dict(color=colour, size=9), error_y=error, name=name, hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>", xaxis="x", yaxis="y",
            )
        )  # fmt: skip
    ref = ev[ev.reference]
    if len(ref):  # a varying base has no fixed reference month
        data.append(
            dict(
                type="scatter", x=ref.x.to_numpy(), y=ref.att.to_numpy(), mode="markers",
                marker=dict(symbol="diamond-open", size=11, color=PALETTE["red"], line=dict(width=2)),
                name=t("trends.event.reference", lang),
                hovertemplate=t("trends.event.reference", lang) + "<extra></extra>", xaxis="x", yaxis="y",
            )
        )  # fmt: skip
    data.append(
        dict(
            type="bar", x=est_rows.x.to_numpy(), y=est_rows.provinces.to_numpy(),
            marker=dict(color=[GREY if th else PALETTE["blue"] for th in est_rows.thin]),
            text=[str(int(n)) for n in est_rows.provinces], textposition="outside", cliponaxis=False,
            showlegend=False, hovertemplate=t("trends.event.n", lang) + ": %{y}<extra></extra>",
            width=0.7 * (float(np.diff(np.sort(est_rows.x)).min()) if len(est_rows) > 1 else 1.0),
            xaxis="x2", yaxis="y2",
        )
    )  # fmt: skip
    # y range from the reliable points (grey ones may run off the chart; their hover has them)
    core = solid if not solid.empty else est_rows
    ys = pd.concat([core.att, core.lo, core.hi, core.band_lo, core.band_hi, pd.Series([0.0])]).dropna()
    lo, hi = float(ys.min()), float(ys.max())
    pad = max(0.05, (hi - lo) * 0.08)
    fixed = est.options.base == "fixed"
    top = max(3, int(est_rows.provinces.max()) if len(est_rows) else 3)
    gap = 0.04
    bars = (1 - gap) * 0.22  # the top of the lower panel, as make_subplots computes it
    frame = dict(
        xaxis=dict(anchor="y", domain=[0.0, 1.0], matches="x2", showticklabels=False, showgrid=False),
        yaxis=dict(
            anchor="x", domain=[bars + gap, 1.0], range=[lo - pad, hi + pad], zeroline=False,
            title=dict(text=t("trends.event.y" if fixed else "trends.event.y_varying", lang)),
            gridcolor="#eeeeee", **pct_ticks(lo - pad, hi + pad),
        ),
        xaxis2=dict(
            anchor="y2", domain=[0.0, 1.0], title=dict(text=t("trends.event.x", lang)),
            dtick=3 if est.options.window > 8 else 1, showgrid=False,
        ),
        yaxis2=dict(anchor="x2", domain=[0.0, bars], range=[0, top * 1.35], showgrid=False),
        shapes=[_hline(0, "#666666"), _joined_line()],
        annotations=[
            dict(
                x=-0.5, y=1, yref="y domain", text=t("trends.event.joined", lang), showarrow=False,
                xanchor="left", yanchor="top", font=dict(size=12, color=PALETTE["red"]),
            ),
            dict(
                x=0, y=1, xref="x domain", yref="y domain", showarrow=False, xanchor="left", yanchor="top",
                text=base_text(est, lang), font=dict(size=12, color="#555555"), align="left",
            ),
            dict(  # named above its bars: a rotated title is taller than this short panel
                text=t("trends.event.n", lang), x=0, xref="paper", xanchor="left", yref="paper", y=bars,
                yanchor="bottom", showarrow=False, font=dict(size=12, color="#4a5462"),
            ),
        ],
    )  # fmt: skip
    title = t("trends.event", lang, metric=t(f"metric.{est.outcome}", lang))
    return legend_under_title(plain_figure(data, frame, title, height))


def province_series_figure(panel: Panel, outcome: str, lang: str, cols: int = 6) -> go.Figure:
    """Small multiples: each province's monthly series, members first (by join date) with the
    join month marked and the months after it drawn in the member colour. Built as plain dicts
    (charts_style.plain_figure): through make_subplots and add_vline the 31 panels took over a
    second of every /trends run. A column's bottom panel shows the years; all share the months."""
    wide = panel.wide(outcome)
    joins = panel.joins
    order = sorted(wide.index, key=lambda a: (a not in joins, joins.get(a, pd.Timestamp.max), a))
    rows = math.ceil(len(order) / cols)
    names = [geo.province_name(a, lang, short=True) + (" ●" if a in joins else "") for a in order]
    gap_x, gap_y = 0.025, min(0.06, 0.3 / max(rows, 1))
    cell_w, cell_h = (1 - gap_x * (cols - 1)) / cols, (1 - gap_y * (rows - 1)) / max(rows, 1)
    months = list(wide.columns)
    labels = [format_month(m, lang) for m in months]
    span = [months[0], months[-1]] if months else None
    data, shapes, notes, axes = [], [], [], {}
    mark = dict(color=PALETTE["red"], width=1.2, dash="dot")
    for i, a in enumerate(order):
        r, c = divmod(i, cols)
        k = "" if i == 0 else str(i + 1)
        left, top = c * (cell_w + gap_x), 1 - r * (cell_h + gap_y)
        bottom = top - cell_h
        lowest = i + cols >= len(order)  # nothing under it in its column: it shows the years
        axes[f"xaxis{k}"] = dict(
            domain=[left, left + cell_w], anchor=f"y{k}", range=span, showticklabels=lowest,
            showgrid=False, tickformat="%Y", dtick="M12", tickfont=dict(size=10), type="date",
        )  # fmt: skip
        axes[f"yaxis{k}"] = dict(
            domain=[max(0.0, bottom), top], anchor=f"x{k}", showgrid=True, gridcolor="#f0f0f0",
            tickfont=dict(size=9), rangemode="tozero", nticks=3,
        )  # fmt: skip
        notes.append(
            dict(text=names[i], x=left + cell_w / 2, y=top, xref="paper", yref="paper", xanchor="center",
                 yanchor="bottom", showarrow=False, font=dict(size=12))
        )  # fmt: skip
        y = wide.loc[a].to_numpy(float)
        shown = [format_metric(outcome, v, lang) for v in y]
        data.append(
            dict(
                type="scatter", x=months, y=y, mode="lines", xaxis=f"x{k}", yaxis=f"y{k}", showlegend=False,
                line=dict(color=PALETTE["grey"], width=1.3), customdata=np.c_[labels, shown],
                hovertemplate=f"{names[i]} %{{customdata[0]}}: %{{customdata[1]}}<extra></extra>",
            )
        )  # fmt: skip
        if a in joins and joins[a] <= months[-1]:
            after = np.array([m >= joins[a] for m in months])
            data.append(
                dict(
                    type="scatter", x=[m for m, on in zip(months, after) if on], y=y[after], mode="lines",
                    xaxis=f"x{k}", yaxis=f"y{k}", line=dict(color=PALETTE["blue"], width=1.8),
                    showlegend=False, hoverinfo="skip",
                )
            )  # fmt: skip
            if joins[a] >= months[0]:
                shapes.append(
                    dict(type="line", x0=joins[a], x1=joins[a], y0=0, y1=1, xref=f"x{k}", yref=f"y{k} domain",
                         line=mark)
                )  # fmt: skip
    metric = t(f"metric.{outcome}", lang)
    title = t("trends.series", lang, metric=metric)
    return plain_figure(
        data, {**axes, "shapes": shapes, "annotations": notes}, title, height=max(320, 135 * rows + 80)
    )


def aligned_figure(aligned: pd.DataFrame, outcome: str, lang: str, height: int = 420) -> go.Figure:
    """Members on months since joining (each an index, thin), their average (thick) and the
    never-joined provinces over the same calendar months (dashed)."""
    data: list[dict] = []
    members = [(s, part) for s, part in aligned.groupby("series", sort=False) if s.startswith("member:")]
    for i, (series, part) in enumerate(members):
        name = geo.province_name(series.split(":", 1)[1], lang, short=True)
        data.append(
            dict(
                type="scatter", x=part.e.to_numpy(), y=part.value.to_numpy(), mode="lines",
                line=dict(color="rgba(0,114,178,0.28)", width=1), name=t("trends.aligned.each", lang),
                legendgroup="each", showlegend=i == 0, hovertemplate=f"{name}: %{{y:.0f}}<extra></extra>",
            )
        )  # fmt: skip
    styles = {
        "members": (t("trends.aligned.members", lang), dict(color=PALETTE["blue"], width=3.5)),
        "others": (t("trends.aligned.others", lang), dict(color=PALETTE["orange"], width=3, dash="dash")),
    }
    for key, (name, line) in styles.items():
        part = aligned[aligned.series == key]
        if len(part):
            data.append(
                dict(type="scatter", x=part.e.to_numpy(), y=part.value.to_numpy(), mode="lines", line=line,
                     name=name, hovertemplate=name + ": %{y:.0f}<extra></extra>")
            )  # fmt: skip
    frame = dict(
        xaxis=dict(title=dict(text=t("trends.event.x", lang)), dtick=3, showgrid=False),
        yaxis=dict(title=dict(text=t("trends.aligned.y", lang)), gridcolor="#eeeeee"),
        shapes=[_hline(100, "#888888"), _joined_line()],
    )
    title = t("trends.aligned", lang, metric=metric_name(outcome, lang, in_sentence=True))
    return legend_under_title(plain_figure(data, frame, title, height))


def legend_under_title(fig: go.Figure) -> go.Figure:
    """The title at the top, the legend in a row under it, both above the plot: side by side they
    ran into each other wherever the figure is narrower than on the page (files, slides). Merged
    into `fig`'s title, legend and margin after plain_figure, whose house style would replace them;
    returns a new plain figure (charts_style.PlainFigure)."""
    plain = fig.to_dict()
    head = dict(
        title=dict(yref="container", y=1, yanchor="top", pad=dict(t=20)),
        legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom"),
        margin=dict(t=92),
    )
    for name, value in head.items():
        plain["layout"][name] = {**plain["layout"].get(name, {}), **value}
    return PlainFigure(plain)


def _hline(y: float, colour: str) -> dict:
    """A thin line across the plot at `y`, as add_hline draws it."""
    return dict(
        type="line", x0=0, x1=1, xref="x domain", y0=y, y1=y, yref="y", line=dict(color=colour, width=1)
    )


def _joined_line() -> dict:
    """The dotted line at joining, between months -1 and 0, top to bottom (add_vline's)."""
    return dict(
        type="line", x0=-0.5, x1=-0.5, xref="x", y0=0, y1=1, yref="y domain",
        line=dict(color=PALETTE["red"], dash="dot", width=1.5),
    )  # fmt: skip


def aggregate_figure(est: TrendEstimate, kind: str, lang: str, height: int = 440) -> go.Figure:
    """R's group (`kind` = "cohort": one point per joining cohort) or calendar ("month": one point
    per month since the first joining) aggregate: each effect with its 95% interval on t(G-1);
    points on fewer than 3 joined provinces are grey, without the bar (their interval, wide or
    none, is in the hover); the average across the points is the dashed line."""
    rows = est.by_cohort if kind == "cohort" else est.by_month
    average = est.cohort_overall if kind == "cohort" else est.month_overall
    data: list[dict] = []
    for part, colour, name, bars in (
        (rows[~rows.thin], PALETTE["blue"], t("trends.event.estimate", lang), True),
        (rows[rows.thin], GREY, t("trends.agg.thin", lang), False),
    ):
        if part.empty:
            continue
        hover = [
            t("trends.agg.hover", lang, label=format_month(getattr(r, kind), lang), pct=pct(r.att, 1),
              lo=pct(r.lo, 1), hi=pct(r.hi, 1), n=int(r.provinces))
            for r in part.itertuples()
        ]  # fmt: skip
        points = dict(
            type="scatter", x=list(part[kind]), y=part.att.to_numpy(), mode="markers",
            marker=dict(color=colour, size=9), name=name, hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )  # fmt: skip
        if bars:
            points["error_y"] = dict(
                type="data", symmetric=False, array=(part.hi - part.att).fillna(0).to_numpy(),
                arrayminus=(part.att - part.lo).fillna(0).to_numpy(), color=colour, thickness=1.4, width=3,
            )  # fmt: skip
        data.append(points)
    label = t("trends.agg.average", lang, pct=pct(average["att"], 1), lo=pct(average["lo"], 1),
              hi=pct(average["hi"], 1))  # fmt: skip
    span = [rows[kind].min(), rows[kind].max()] if len(rows) else []
    data.append(
        dict(
            type="scatter", x=span, y=[average["att"]] * len(span), mode="lines", name=label,
            hoverinfo="skip", line=dict(color=PALETTE["orange"], dash="dash", width=2),
        )
    )  # fmt: skip
    solid = rows[~rows.thin] if (~rows.thin).any() else rows
    ys = pd.concat([solid.att, solid.lo, solid.hi, rows.att, pd.Series([0.0, average["att"]])]).dropna()
    lo, hi = float(ys.min()), float(ys.max())
    pad = max(0.05, (hi - lo) * 0.08)
    frame = dict(
        yaxis=dict(
            range=[lo - pad, hi + pad], title=dict(text=t("trends.agg.y", lang)), gridcolor="#eeeeee",
            zeroline=False, **pct_ticks(lo - pad, hi + pad),
        ),
        # months as numbers: plotly's month names are English only
        xaxis=dict(title=dict(text=t(f"trends.agg.x.{kind}", lang)), showgrid=False, tickformat="%Y-%m"),
        legend=dict(orientation="h", y=-0.22, x=0, xanchor="left", yanchor="top"),
        shapes=[_hline(0, "#666666")],
    )  # fmt: skip
    title = t(f"trends.agg.{kind}", lang, metric=t(f"metric.{est.outcome}", lang))
    return plain_figure(data, frame, title, height)
