"""Figure builders of the province map page: classed choropleth, city map, trend and categories
(the before/after views are in charts_compare, the flow views in charts_flows). Pure functions of
tidy frames (cloudsword.mapview), so the app, exports and the presenter deck draw the same pictures.
Offline: plotly `*_map` traces on the "white-bg" style fetch no tiles, fonts or scripts.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from cloudsword import geo
from cloudsword.charts_style import (
    CHINA_BOUNDS,
    NO_DATA,
    PAGE_WIDTH,
    PALETTE,
    MapKey,
    china_frame,
    fit,
    plain_figure,
)
from cloudsword.i18n import format_date, format_metric, format_month, t
from cloudsword.map.queries import whole

# ColorBrewer YlGnBu (colour-blind safe, prints in grey), light -> dark, for up to 5 classes.
CLASS_COLOURS = {
    1: ["#2c7fb8"],
    2: ["#a1dab4", "#225ea8"],
    3: ["#edf8b1", "#7fcdbb", "#2c7fb8"],
    4: ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
    5: ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
}
# The city map's continuous scale, spelled out: plotly.js's own "YlGnBu" runs the other way round.
CITY_SCALE = get_colorscale("YlGnBu")
MEMBER_LINE = "#111111"
NONMEMBER_LINE = "#8c8c8c"  # a thin grey outline: the class colour stays as the legend shows it
EMPTY = "none"  # a location no boundary has: keeps an empty trace's legend entry
_UNIT = dict(
    clues="map.unit.count", cases="map.unit.count", suspects="map.unit.people", seizure="map.unit.yuan"
)


@lru_cache(maxsize=4)
def province_names(lang: str) -> dict[str, str]:
    return {a: geo.province_name(a, lang, short=True) for a in geo.load_provinces().adcode}


@lru_cache(maxsize=4)
@lru_cache(maxsize=2)
def city_names(lang: str) -> dict[str, str]:
    """Every city's short name by adcode (shared: do not modify)."""
    return {a: geo.city_name(a, lang, short=True) for a in geo.load_cities().adcode}


def unit(metric: str, norm: str, lang: str) -> str:
    base = t(_UNIT[metric], lang)
    if norm == "pop":
        return t("map.unit.per_pop", lang, unit=base)
    if norm == "gdp":
        return t("map.unit.per_gdp", lang, unit=base)
    return base


def fmt(metric: str, value: float, norm: str, lang: str) -> str:
    """A value for people; normalised values keep more digits (they are often below 10)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("map.legend.no_data", lang)
    if norm != "total":  # ratios: two decimals when small, whole numbers otherwise
        value = round(value, 2) if abs(value) < 100 else float(round(value))
        if metric != "seizure" and abs(value) < 100:
            return f"{value:,.2f}"
    return format_metric(metric, value, lang)


def class_labels(
    bins: list[float], lo: float, metric: str, norm: str, lang: str, counts: bool = False
) -> list[str]:
    """ "a – b" for each class; the first starts at the smallest value. Counts (whole numbers)
    do not share their edges: "0 – 45", "46 – 63"."""
    starts = [lo, *[b + 1 for b in bins[:-1]]] if counts else [lo, *bins[:-1]]
    text = lambda x: fmt(metric, x, norm, lang)
    return [f"{text(a)} – {text(b)}" if a < b else text(b) for a, b in zip(starts, bins)]


def month_text(month: date, span: str, lang: str) -> str:
    """The month a map shows, in words: "June 2017", or "up to June 2017" for a running total."""
    text = format_month(month, lang)
    return t("map.figure.cumul", lang, month=text) if span == "cumul" else text


def map_title(metric: str, norm: str, month: date, span: str, lang: str) -> str:
    return t(
        "map.figure",
        lang,
        metric=t(f"metric.{metric}", lang),
        norm=t(f"map.norm.{norm}", lang),
        month=month_text(month, span, lang),
    )


def _members_text(adcode: str, members: dict[str, date], lang: str) -> str:
    d = members.get(adcode)
    return t("map.hover.member", lang, date=format_date(d, lang)) if d else t("map.hover.nonmember", lang)


def legend_box(**place: object) -> dict:
    """The framed legend every map shares, placed by `place` (x, y, anchors; or overrides)."""
    return {
        "bgcolor": "rgba(255,255,255,0.9)",
        "bordercolor": "#dddddd",
        "borderwidth": 1,
        "font": {"size": 12},
        "itemclick": False,
        "itemdoubleclick": False,
        **place,
    }


def membership_layers(
    codes: list[str], members: dict[str, date], lang: str, layer: Callable[..., dict]
) -> tuple[list[dict], list[str]]:
    """Membership drawn over the classes as outlines only (bold: member, thin grey: not), so each
    province keeps the one colour its class has in the legend. Returns the traces and their
    legend texts; `layer(codes, fill, name, line, rank)` makes a trace."""
    others = [a for a in codes if a not in members]
    joined = [a for a in codes if a in members]
    thin = f"<span style='color:{NONMEMBER_LINE}'>▢</span> {t('map.legend.nonmember', lang)}"
    bold = f"<b>▢</b> {t('map.legend.member', lang)}"
    traces = [
        layer(others, "rgba(0,0,0,0)", thin, dict(color=NONMEMBER_LINE, width=0.7), 950),
        layer(joined, "rgba(0,0,0,0)", bold, dict(color=MEMBER_LINE, width=2.4), 940),
    ]
    return traces, [f"▢ {t('map.legend.nonmember', lang)}", f"▢ {t('map.legend.member', lang)}"]


def map_figure(
    values: pd.DataFrame,
    classes: pd.Series,
    bins: list[float],
    metric: str,
    norm: str,
    members: dict[str, date],
    title: str,
    lang: str,
    height: int = 560,
    boundaries: dict | str | None = None,
    legend: bool = True,
    width: int = PAGE_WIDTH,
    selected: str | None = None,
    lowest: float | None = None,
    font: int = 12,
) -> go.Figure:
    """Every provincial-level division (34) in classed colours, one trace per class (the legend
    states classes and units); provinces without data grey and labelled "no data"; members (at
    the month shown: `members` maps adcode -> join date) outlined in bold, others thinly, so the
    legend's swatches are the only colours. The legend sits off the land (charts_style.china_frame,
    for a figure of width x height px, legend text `font` px). `customdata[0]` is the adcode, so
    a click (selection event) names the province. `boundaries`: GeoJSON, or the URL the app
    serves (None embeds the boundaries, for exports)."""
    gj = geo.province_geojson() if boundaries is None else boundaries
    codes_all = list(values.adcode)
    shown = dict(zip(codes_all, values.value))
    cls = dict(zip(codes_all, classes))
    names = province_names(lang)

    def custom(codes: list[str]) -> list[list[str]]:
        return [
            [a, names[a], fmt(metric, shown[a], norm, lang), _members_text(a, members, lang)] for a in codes
        ]

    def shapes(codes: list[str]) -> dict | str:
        """Embedded boundaries carry only the layer's own provinces: an export holds each province
        twice or three times (class, membership, selection), not once per layer."""
        if isinstance(gj, str):
            return gj
        wanted = set(codes)
        return {**gj, "features": [ft for ft in gj["features"] if ft["properties"]["adcode"] in wanted]}

    def layer(codes: list[str], colour: str, name: str, line: dict, rank: int = 0, **style: object) -> dict:
        # an empty class keeps its legend entry through a location no feature has (nothing is drawn)
        return dict(
            type="choroplethmap",
            geojson=shapes(codes),
            featureidkey="properties.adcode",
            locations=codes or [EMPTY],
            z=[1] * max(1, len(codes)),
            colorscale=[[0, colour], [1, colour]],
            showscale=False,
            name=name,
            marker=dict(line=line),
            showlegend=legend,
            **({"legendrank": rank, "hoverinfo": "skip"} if rank >= 940 else {}),
            **style,
        )

    def valued(codes: list[str], colour: str, name: str, **style: object) -> dict:
        """A layer that shows its provinces' values on hover (the no-data layer and each class)."""
        hover = "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>%{customdata[3]}<extra></extra>"
        border = dict(color="white", width=0.6)
        return layer(codes, colour, name, border, customdata=custom(codes), hovertemplate=hover, **style)

    missing = [a for a in codes_all if cls[a] < 0]
    no_data = t("map.legend.no_data", lang)
    data = [valued(missing, NO_DATA, no_data, legendrank=900)]
    labels: list[str] = []
    counts = whole(metric, norm)
    if bins:
        lo = float(values.value.min()) if lowest is None else lowest
        labels = class_labels(bins, lo, metric, norm, lang, counts)
        for i, (label, colour) in enumerate(zip(labels, CLASS_COLOURS[len(bins)])):
            codes = [a for a in codes_all if cls[a] == i]
            data.append(valued(codes, colour, label, legendrank=100 + i))
    outlines, outline_labels = membership_layers(codes_all, members, lang, layer)
    data += outlines
    key = [*labels, no_data, *outline_labels]
    if selected in shown:  # the province whose panel is open
        mark = f"<span style='color:{PALETTE['orange']}'><b>▢</b></span> {names[selected]}"
        data.append(layer([selected], "rgba(0,0,0,0)", mark, dict(color=PALETTE["orange"], width=4), 960))
        key.append(f"▢ {names[selected]}")
    head = t("map.legend.classes", lang, unit=unit(metric, norm, lang)) if bins else ""
    frame = china_frame(width, height, MapKey(tuple(key) if legend else (), head, font=font))
    layout = dict(
        map=frame["map"],
        legend=legend_box(**frame["legend"], title=dict(text=head, side="top"), font={"size": font}),
        clickmode="event+select",
        width=width,  # what the frame was made for: a file is drawn at it, a page stretches it
        meta=frame["meta"],
    )
    return plain_figure(data, layout, title, height)


def _city_frame(cities: pd.DataFrame) -> dict:
    """Center and zoom around a province's cities (their centres, so a margin is kept)."""
    lons, lats = cities.lon, cities.lat
    span = max(float(lons.max() - lons.min()), float(lats.max() - lats.min()) * 1.4, 0.5)
    zoom = max(2.5, min(8.0, math.log2(360 / span) - 1.3))
    return {
        "center": {"lon": float((lons.max() + lons.min()) / 2), "lat": float((lats.max() + lats.min()) / 2)},
        "zoom": zoom,
    }


def city_figure(
    cities: pd.DataFrame,
    province: str,
    metric: str,
    title: str,
    lang: str,
    height: int = 380,
    boundaries: str | None = None,
) -> go.Figure:
    """The province's cities shaded by `cities.value` (grey and labelled where there is no data).
    `boundaries`: None embeds the province's city boundaries (exports: some 100 kB); the app passes
    geo.CITY_GEOJSON_URL, which the browser fetches once and keeps, so a rerun sends no boundaries."""
    gj = geo.city_geojson(province) if boundaries is None else boundaries
    names = [city_names(lang)[a] for a in cities.adcode]
    shown = [fmt(metric, x, "total", lang) for x in cities.value]
    has = cities.value.notna().to_numpy()
    codes = list(cities.adcode)

    def part(keep: bool) -> dict:
        pick = [i for i, h in enumerate(has) if h == keep]
        return dict(
            type="choroplethmap",
            geojson=gj,
            featureidkey="properties.adcode",
            marker=dict(line=dict(color="white", width=0.6)),
            locations=[codes[i] for i in pick],
            customdata=[[names[i], shown[i]] for i in pick],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
        )

    data = [
        part(False)
        | dict(z=[0] * int((~has).sum()), colorscale=[[0, NO_DATA], [1, NO_DATA]], showscale=False)
    ]
    if has.any():
        colourbar = dict(title=dict(text=t(_UNIT[metric], lang)), thickness=10, len=0.7)
        data.append(
            part(True)
            | dict(z=[float(x) for x in cities.value[has]], colorscale=CITY_SCALE, colorbar=colourbar)
        )
    frame = _city_frame(cities) if len(cities) else fit(CHINA_BOUNDS, PAGE_WIDTH, 440)
    layout = dict(map=dict(style="white-bg", **frame), showlegend=False)
    return plain_figure(data, layout, title, height)


def trend_figure(
    trend: pd.DataFrame, metric: str, joined_on: date | None, month: date | None, title: str, lang: str
) -> go.Figure:
    """The province's metric month by month; the join date and the month on the map marked."""
    days = list(trend.month)
    bar = dict(
        type="bar",
        x=[d.strftime("%Y-%m-%d") for d in days],
        y=[float(x) for x in trend.value],
        marker=dict(
            color=[
                PALETTE["orange"] if month is not None and d.date() == month else PALETTE["blue"]
                for d in days
            ]
        ),
        customdata=[
            [format_month(d, lang), format_metric(metric, x, lang)] for d, x in zip(days, trend.value)
        ],
        hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
        name=t(f"metric.{metric}", lang),
    )
    xaxis = dict(tickformat="%Y-%m", title=dict(text=t("axis.month", lang)))
    layout = dict(
        xaxis=xaxis,
        yaxis=dict(gridcolor="#eeeeee", rangemode="tozero", title=dict(text=t(f"metric.{metric}", lang))),
        showlegend=False,
        bargap=0.15,
    )
    if joined_on is not None and len(trend) and days[0] <= pd.Timestamp(joined_on) <= days[-1]:
        x = pd.Timestamp(joined_on)
        line = dict(color=PALETTE["red"], dash="dash", width=2)
        ms = x.timestamp() * 1000
        layout["shapes"] = [dict(type="line", xref="x", x0=ms, x1=ms, yref="y domain", y0=0, y1=1, line=line)]
        layout["annotations"] = [
            dict(
                x=x.strftime("%Y-%m-%d"),
                y=1,
                yref="paper",
                text=f"{t('map.panel.joined', lang)} {format_date(joined_on, lang)}",
                showarrow=False,
                xanchor="right" if x > days[len(days) // 2] else "left",
                yanchor="top",
                font=dict(size=12, color=PALETTE["red"]),
                bgcolor="rgba(255,255,255,0.8)",
            )
        ]
    if len(trend):
        pad = pd.Timedelta(days=20)
        xaxis["range"] = [(days[0] - pad).strftime("%Y-%m-%d"), (days[-1] + pad).strftime("%Y-%m-%d")]
    return plain_figure([bar], layout, title, 320)


def categories_figure(cats: pd.DataFrame, metric: str, title: str, lang: str) -> go.Figure:
    """Horizontal bars, largest on top."""
    c = cats.iloc[::-1]
    bar = dict(
        type="bar",
        x=[float(x) for x in c.value],
        y=[t(f"category.{x}", lang) for x in c.category],
        orientation="h",
        marker=dict(color=PALETTE["green"]),
        text=[format_metric(metric, x, lang) for x in c.value],
        textposition="auto",
        hovertemplate="%{y}: %{text}<extra></extra>",
    )
    layout = dict(xaxis=dict(showticklabels=False, showgrid=False), showlegend=False)
    return plain_figure([bar], layout, title, max(220, 40 * len(c) + 90))


def export_bytes(fig: go.Figure, fmt: str, width: int = 1200, height: int = 800) -> bytes:
    """A figure as a stand-alone file: "png"/"svg" through kaleido (the machine's Chromium), or
    "html" with plotly.js inside (no CDN). Raises RuntimeError when kaleido cannot render."""
    if fmt == "html":
        return fig.to_html(include_plotlyjs=True, full_html=True).encode("utf-8")
    import plotly.io as pio

    try:
        return pio.to_image(fig, format=fmt, width=width, height=height, scale=2 if fmt == "png" else 1)
    except Exception as exc:  # kaleido raises several types when no browser can start
        raise RuntimeError(f"{type(exc).__name__}: {exc}") from None


def class_table(
    values: pd.DataFrame,
    classes: pd.Series,
    bins: list[float],
    members: dict,
    metric: str,
    norm: str,
    lang: str,
) -> pd.DataFrame:
    """What the classed map shows, as a table for its downloads: each province's raw figure, the
    measure mapped, its class and membership."""
    counts = whole(metric, norm)
    labels = class_labels(bins, float(values.value.min()), metric, norm, lang, counts) if bins else []
    return pd.DataFrame(
        {
            t("map.col.province", lang): list(values.adcode.map(province_names(lang))),
            "adcode": values.adcode,
            t("map.col.raw", lang): values.raw,
            t("map.col.value", lang): values.value,
            t("map.col.cls", lang): [labels[c] if c >= 0 else t("map.legend.no_data", lang) for c in classes],
            t("map.col.member", lang): [x in members for x in values.adcode],
        }
    )


def clicked_province(points: list[dict], allowed: set[str]) -> str | None:
    """The province a click on the map selected (plotly's selection points), if any."""
    for p in points:
        code = (p.get("customdata") or [None])[0] or p.get("location")
        if code in allowed:
            return code
    return None
