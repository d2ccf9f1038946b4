"""The overview's figures: the funnel, who joined when, the province map and the monthly chart.
Tidy frames in, plotly figures out, shared by the page, its downloads and its slides. Built as
plain dicts (charts_style.plain_figure): through plotly's validation they were ~110 ms of each
overview run; tests check them against plotly's schema instead."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from cloudsword import geo
from cloudsword.charts_style import (
    HALF_WIDTH,
    NO_DATA,
    PALETTE,
    SEQUENTIAL,
    MapKey,
    china_frame,
    plain_figure,
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
    funnel = dict(
        type="funnel",
        y=labels,
        x=values,
        text=text,
        textinfo="text+percent initial",
        marker=dict(color=[PALETTE["blue"], PALETTE["green"], PALETTE["orange"], PALETTE["red"]]),
        hovertemplate="%{y}: %{text}<extra></extra>",
        connector=dict(line=dict(color="#cccccc")),
    )
    return plain_figure([funnel], {}, t("overview.funnel", lang), height)


def timeline_figure(memberships: pd.DataFrame, as_of: date, lang: str, height: int = 440) -> go.Figure:
    """Who joined when: one row per member, public dates filled, illustrative ones hollow."""
    m = memberships.sort_values("joined_on", ascending=False)
    names = [geo.province_name(a, lang, short=True) for a in m.province_adcode]
    data = []
    for illustrative, symbol, key in ((False, "circle", "public"), (True, "circle-open", "illustrative")):
        part = (m.illustrative == illustrative).to_numpy()
        if not part.any():
            continue
        joined = list(m.joined_on[part])
        data.append(
            dict(
                type="scatter",
                x=[pd.Timestamp(d) for d in joined],
                y=[n for n, p in zip(names, part) if p],
                mode="markers",
                marker=dict(symbol=symbol, size=13, color=PALETTE["blue"], line=dict(width=2.5)),
                name=t(f"overview.timeline.{key}", lang),
                customdata=[format_date(d, lang) for d in joined],
                hovertemplate="%{y}: %{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    day = pd.Timestamp(as_of)
    today = dict(type="line", x0=day, x1=day, xref="x", y0=0, y1=1, yref="y domain")
    note = dict(
        x=day,
        y=1.0,
        yref="paper",
        text=t("asof", lang, date=format_date(as_of, lang)),
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        font=dict(size=12, color="#555555"),
    )
    axes = dict(
        xaxis=dict(
            title=dict(text=t("axis.date", lang)), showgrid=True, gridcolor="#eeeeee", tickformat="%Y-%m"
        ),
        yaxis=dict(categoryorder="array", categoryarray=names),
    )
    frame = dict(
        **axes,
        shapes=[today | dict(line=dict(color=PALETTE["grey"], dash="dot"))],
        annotations=[note],
        legend=dict(orientation="h", y=-0.2, x=0),
    )
    return plain_figure(data, frame, t("overview.timeline", lang), max(height, 18 * len(m) + 160))


def monthly_figure(series: pd.DataFrame, lang: str) -> go.Figure:
    """Alliance clues (line) and the cases they led to (bars), month by month."""
    months = [format_month(d, lang) for d in series.month]
    x = [pd.Timestamp(d) for d in series.month]
    hover = "%{customdata}: %{y}<extra>%{fullData.name}</extra>"
    cases = dict(
        type="bar",
        x=x,
        y=series.cases.to_numpy(),
        name=t("metric.cases", lang),
        marker=dict(color=PALETTE["blue"]),
        customdata=months,
        hovertemplate=hover,
    )
    clues = dict(
        type="scatter",
        x=x,
        y=series.clues.to_numpy(),
        name=t("metric.clues", lang),
        mode="lines+markers",
        line=dict(color=PALETTE["orange"], width=2.5),
        customdata=months,
        hovertemplate=hover,
    )
    frame = dict(
        xaxis=dict(title=dict(text=t("axis.month", lang)), tickformat="%Y-%m"),
        yaxis=dict(title=dict(text=t("axis.count", lang)), gridcolor="#eeeeee", rangemode="tozero"),
        legend=dict(orientation="h", y=1.02, x=1, xanchor="right", yanchor="bottom"),
    )
    return plain_figure([cases, clues], frame, t("overview.monthly", lang), 340)


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

    def layer(codes: list[str], **style: object) -> dict:
        return dict(
            type="choroplethmap", geojson=gj, featureidkey="properties.adcode", locations=codes, **style
        )

    def outline() -> dict:  # one dict per trace: plotly edits nested dicts in place
        return dict(line=dict(color="white", width=0.6))

    data = [
        layer(  # provinces without data, grey and labelled so, never drawn as zero
            list(v.index[~has]) or ["none"],
            z=[0] * max(1, int((~has).sum())),
            colorscale=[[0, NO_DATA], [1, NO_DATA]],
            showscale=False,
            marker=outline(),
            customdata=[c for c, h in zip(zip(names, shown), has) if not h],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
            name=no_data,
            showlegend=True,
        ),
        layer(
            list(v.index[has]),
            z=[float(x) for x in v[has]],
            colorscale=get_colorscale(SEQUENTIAL),  # plotly.js's own YlGnBu runs the other way
            marker=outline(),
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
        ),
    ]
    member_codes = [a for a in provinces.index if a in members]
    data.append(  # outlines only: a transparent fill keeps the shading underneath readable
        layer(
            member_codes or ["none"],
            z=[1] * max(1, len(member_codes)),
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            showscale=False,
            marker=dict(line=dict(color=PALETTE["red"], width=2.2)),
            hoverinfo="skip",
            name=f"<span style='color:{PALETTE['red']}'>▢</span> {member}",
            showlegend=True,
        )
    )
    frame_layout = dict(
        map=frame["map"],
        legend=dict(**frame["legend"], font={"size": font}, itemclick=False, itemdoubleclick=False),
        width=width,
        meta=frame["meta"],
    )
    return plain_figure(data, frame_layout, t("overview.map", lang, metric=metric_name), height)
