"""The overview's figures: the funnel, who joined when, the province map and the monthly chart.
Tidy frames in, plotly figures out, shared by the page, its downloads and its slides."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cloudsword import geo
from cloudsword.charts_style import (
    HALF_WIDTH,
    NO_DATA,
    PALETTE,
    SEQUENTIAL,
    MapKey,
    china_frame,
    styled,
)
from cloudsword.i18n import format_date, format_metric, format_month, format_number, t


def _ticks(values: pd.Series, metric: str, lang: str) -> dict:
    """Colour-bar ticks at round numbers, labelled for the language (万/亿, k/m/bn)."""
    if values.empty or not np.isfinite(values.max()) or values.max() <= 0:
        return {}
    step = 10 ** np.floor(np.log10(values.max() / 4))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if values.max() / (step * m) <= 5)
    ticks = np.arange(0, values.max() + step / 2, step)
    ticks = ticks[ticks >= values.min() - step / 2]
    labels = [format_metric(metric, x, lang) for x in ticks]
    return {"tickvals": [float(x) for x in ticks], "ticktext": labels}


def funnel_figure(totals: dict[str, float], lang: str, height: int = 440) -> go.Figure:
    """Clue -> case -> arrest -> seizure: each stage a subset of the one above, so it narrows."""
    stages = ["clues", "clues_with_case", "cases_with_suspects", "cases_with_seizure"]
    labels = [t(f"overview.funnel.{k}", lang) for k in ("clues", "cases", "suspects", "seizure")]
    values = [totals.get(k, 0.0) for k in stages]
    text = [format_number(v, lang) for v in values]
    # the people caught go with the stage's name: inside a narrow bar they would be cut
    labels[2] += "<br>" + t(
        "overview.funnel.people", lang, n=format_number(totals.get("suspects", 0.0), lang)
    )
    fig = go.Figure(
        go.Funnel(
            y=labels,
            x=values,
            text=text,
            textinfo="text+percent initial",
            marker=dict(color=[PALETTE["blue"], PALETTE["green"], PALETTE["orange"], PALETTE["red"]]),
            hovertemplate="%{y}: %{text}<extra></extra>",
            connector=dict(line=dict(color="#cccccc")),
        )
    )
    return styled(fig, t("overview.funnel", lang), height=height)


def timeline_figure(memberships: pd.DataFrame, as_of: date, lang: str, height: int = 440) -> go.Figure:
    """Who joined when: one row per member, public dates filled, illustrative ones hollow."""
    m = memberships.sort_values("joined_on", ascending=False)
    names = [geo.province_name(a, lang, short=True) for a in m.province_adcode]
    fig = go.Figure()
    for illustrative, symbol, key in ((False, "circle", "public"), (True, "circle-open", "illustrative")):
        part = m.illustrative == illustrative
        if not part.any():
            continue
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(m.joined_on[part]),
                y=[n for n, p in zip(names, part) if p],
                mode="markers",
                marker=dict(symbol=symbol, size=13, color=PALETTE["blue"], line=dict(width=2.5)),
                name=t(f"overview.timeline.{key}", lang),
                customdata=[format_date(d, lang) for d in m.joined_on[part]],
                hovertemplate="%{y}: %{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    fig.add_vline(x=pd.Timestamp(as_of).timestamp() * 1000, line=dict(color=PALETTE["grey"], dash="dot"))
    fig.add_annotation(
        x=pd.Timestamp(as_of),
        y=1.0,
        yref="paper",
        text=t("asof", lang, date=format_date(as_of, lang)),
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        font=dict(size=12, color="#555555"),
    )
    fig.update_xaxes(title=t("axis.date", lang), showgrid=True, gridcolor="#eeeeee", tickformat="%Y-%m")
    fig.update_yaxes(categoryorder="array", categoryarray=names)
    fig.update_layout(legend=dict(orientation="h", y=-0.2, x=0))
    return styled(fig, t("overview.timeline", lang), height=max(height, 18 * len(m) + 160))


def monthly_figure(series: pd.DataFrame, lang: str) -> go.Figure:
    """Alliance clues (line) and the cases they led to (bars), month by month."""
    months = [format_month(d, lang) for d in series.month]
    fig = go.Figure()
    fig.add_bar(
        x=series.month,
        y=series.cases,
        name=t("metric.cases", lang),
        marker_color=PALETTE["blue"],
        customdata=months,
        hovertemplate="%{customdata}: %{y}<extra>%{fullData.name}</extra>",
    )
    fig.add_scatter(
        x=series.month,
        y=series.clues,
        name=t("metric.clues", lang),
        mode="lines+markers",
        line=dict(color=PALETTE["orange"], width=2.5),
        customdata=months,
        hovertemplate="%{customdata}: %{y}<extra>%{fullData.name}</extra>",
    )
    fig.update_xaxes(title=t("axis.month", lang), tickformat="%Y-%m")
    fig.update_yaxes(title=t("axis.count", lang), gridcolor="#eeeeee", rangemode="tozero")
    fig.update_layout(legend=dict(orientation="h", y=1.02, x=1, xanchor="right", yanchor="bottom"))
    return styled(fig, t("overview.monthly", lang), height=340)


def province_map_figure(
    values: pd.DataFrame,
    metric: str,
    members: set[str],
    as_of: date,
    lang: str,
    height: int = 480,
    boundaries: dict | str | None = None,
    width: int = HALF_WIDTH,
    font: int = 12,
) -> go.Figure:
    """Every provincial-level division (34) shaded by `values.value`; members outlined;
    provinces without data grey. The colour bar and the legend sit off the land
    (charts_style.china_frame for a figure of width x height px, their text `font` px).

    `boundaries` is the province GeoJSON or a URL to it: the app passes the URL it serves, so
    the browser loads the boundaries once instead of inside every figure; exports (None) embed
    them so the file stands alone.
    """
    provinces = geo.load_provinces().set_index("adcode")
    gj = geo.province_geojson() if boundaries is None else boundaries
    v = values.set_index("adcode")["value"].reindex(provinces.index)
    names = [geo.province_name(a, lang, short=True) for a in provinces.index]
    shown = [format_metric(metric, x, lang) if pd.notna(x) else t("overview.map.no_data", lang) for x in v]
    has = v.notna()
    metric_name = t(f"metric.{metric}", lang)
    bar_title = (metric_name, f"({t('unit.seizure', lang)})") if metric == "seizure" else (metric_name,)
    ticks = _ticks(v[has], metric, lang)
    no_data = t("overview.map.no_data", lang)
    member = t("overview.map.member", lang, date=format_date(as_of, lang))
    key = MapKey((f"■ {no_data}", f"▢ {member}"), "", bar_title, tuple(ticks.get("ticktext", ())), font)
    frame = china_frame(width, height, key)

    def layer(codes: list[str], **style: object) -> go.Choroplethmap:
        return go.Choroplethmap(geojson=gj, featureidkey="properties.adcode", locations=codes, **style)

    fig = go.Figure()
    fig.add_trace(  # provinces without data, grey and labelled so, never drawn as zero
        layer(
            list(v.index[~has]) or ["none"],
            z=[0] * max(1, int((~has).sum())),
            colorscale=[[0, NO_DATA], [1, NO_DATA]],
            showscale=False,
            marker_line=dict(color="white", width=0.6),
            customdata=[c for c, h in zip(zip(names, shown), has) if not h],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
            name=no_data,
            showlegend=True,
        )
    )
    fig.add_trace(
        layer(
            list(v.index[has]),
            z=list(v[has]),
            colorscale=SEQUENTIAL,
            marker_line=dict(color="white", width=0.6),
            colorbar=dict(
                title=dict(text="<br>".join(bar_title), font={"size": font}),
                thickness=12,
                tickfont={"size": font},
                **ticks,
                **frame["colorbar"],
            ),
            customdata=[c for c, h in zip(zip(names, shown), has) if h],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
            name=metric_name,
            showlegend=False,
        )
    )
    member_codes = [a for a in provinces.index if a in members]
    fig.add_trace(  # outlines only: a transparent fill keeps the shading underneath readable
        layer(
            member_codes or ["none"],
            z=[1] * max(1, len(member_codes)),
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            showscale=False,
            marker_line=dict(color=PALETTE["red"], width=2.2),
            hoverinfo="skip",
            name=f"<span style='color:{PALETTE['red']}'>▢</span> {member}",
            showlegend=True,
        )
    )
    fig.update_layout(
        map=frame["map"],
        legend=dict(**frame["legend"], font={"size": font}, itemclick=False, itemdoubleclick=False),
        width=width,
        meta=frame["meta"],
    )
    return styled(fig, t("overview.map", lang, metric=metric_name), height=height)
