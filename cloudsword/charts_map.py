"""Figure builders of the province map page: classed choropleth, city map, trend, categories, and
the pydeck flow view. Pure functions of tidy frames (cloudsword.mapview), so the app, exports and
the presenter deck draw the same pictures. Offline: plotly `*_map` traces on the "white-bg" style
and pydeck with `map_provider=None` fetch no tiles, fonts or scripts.
"""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk

from cloudsword import geo
from cloudsword.charts import CHINA_CENTER, FONT, NO_DATA, PALETTE, _layout, province_base_layer
from cloudsword.i18n import format_date, format_metric, format_month, format_number, t

# ColorBrewer YlGnBu (colour-blind safe, prints in grey), light -> dark, for up to 5 classes.
CLASS_COLOURS = {
    1: ["#2c7fb8"],
    2: ["#a1dab4", "#225ea8"],
    3: ["#edf8b1", "#7fcdbb", "#2c7fb8"],
    4: ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
    5: ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
}
MEMBER_LINE = "#111111"
EMPTY = "none"  # a location no boundary has: keeps an empty trace's legend entry
NONMEMBER_VEIL = "rgba(255,255,255,0.6)"
_UNIT = {
    "clues": "map.unit.count",
    "cases": "map.unit.count",
    "suspects": "map.unit.people",
    "seizure": "map.unit.yuan",
}


@lru_cache(maxsize=4)
def province_names(lang: str) -> dict[str, str]:
    return {a: geo.province_name(a, lang, short=True) for a in geo.load_provinces().adcode}


@lru_cache(maxsize=4)
def city_names(lang: str) -> dict[str, str]:
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


def class_labels(bins: list[float], lo: float, metric: str, norm: str, lang: str) -> list[str]:
    """ "a – b" for each class; the first starts at the smallest value."""
    edges = [lo, *bins]
    return [f"{fmt(metric, a, norm, lang)} – {fmt(metric, b, norm, lang)}" for a, b in zip(edges, edges[1:])]


def _members_text(adcode: str, members: dict[str, date], lang: str) -> str:
    d = members.get(adcode)
    return t("map.hover.member", lang, date=format_date(d, lang)) if d else t("map.hover.nonmember", lang)


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
    zoom: float = 3.0,
    selected: str | None = None,
    legend_below: bool = False,
    lowest: float | None = None,
) -> go.Figure:
    """Provinces in classed colours, one trace per class (the legend states classes and units);
    provinces without data grey and labelled "no data"; members (at the month shown: `members`
    maps adcode -> join date) outlined, non-members veiled. `customdata[0]` is the adcode, so a
    click (selection event) names the province. `boundaries`: GeoJSON, or the URL the app serves
    (None embeds the boundaries, for exports)."""
    gj = geo.province_geojson() if boundaries is None else boundaries
    v = values.set_index("adcode")
    cls = classes.set_axis(values.adcode)
    names = province_names(lang)

    def custom(codes: list[str]) -> list[list[str]]:
        return [
            [a, names[a], fmt(metric, v.at[a, "value"], norm, lang), _members_text(a, members, lang)]
            for a in codes
        ]

    def layer(codes: list[str], colour: str, name: str, **style: object) -> go.Choroplethmap:
        # an empty class keeps its legend entry through a location no feature has (nothing is drawn)
        return go.Choroplethmap(
            geojson=gj,
            featureidkey="properties.adcode",
            locations=codes or [EMPTY],
            z=[1] * max(1, len(codes)),
            colorscale=[[0, colour], [1, colour]],
            showscale=False,
            name=name,
            **style,
        )

    hover = "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>%{customdata[3]}<extra></extra>"
    fig = go.Figure()
    missing = [a for a in v.index if cls[a] < 0]
    fig.add_trace(
        layer(
            missing,
            NO_DATA,
            t("map.legend.no_data", lang),
            marker_line=dict(color="white", width=0.6),
            customdata=custom(missing),
            hovertemplate=hover,
            showlegend=legend,
            legendrank=900,
        )
    )
    if bins:
        lo = float(v["value"].min()) if lowest is None else lowest
        labels = class_labels(bins, lo, metric, norm, lang)
        colours = CLASS_COLOURS[len(bins)]
        for i, (label, colour) in enumerate(zip(labels, colours)):
            codes = [a for a in v.index if cls[a] == i]
            fig.add_trace(
                layer(
                    codes,
                    colour,
                    label,
                    marker_line=dict(color="white", width=0.6),
                    customdata=custom(codes),
                    hovertemplate=hover,
                    showlegend=legend,
                    legendgroup="classes",
                    legendgrouptitle_text=t("map.legend.classes", lang, unit=unit(metric, norm, lang))
                    if i == 0
                    else None,
                    legendrank=100 + i,
                )
            )
    non = [a for a in v.index if a not in members]
    mem = [a for a in v.index if a in members]
    fig.add_trace(  # a white veil fades non-members, still readable underneath
        layer(
            non,
            NONMEMBER_VEIL,
            f"<span style='color:#999999'>▢</span> {t('map.legend.nonmember', lang)}",
            marker_line=dict(color="#bbbbbb", width=0.5),
            hoverinfo="skip",
            showlegend=legend,
            legendrank=950,
        )
    )
    fig.add_trace(  # members: transparent fill, bold outline
        layer(
            mem,
            "rgba(0,0,0,0)",
            f"<b>▢</b> {t('map.legend.member', lang)}",
            marker_line=dict(color=MEMBER_LINE, width=2.4),
            hoverinfo="skip",
            showlegend=legend,
            legendrank=940,
        )
    )
    if selected in v.index:
        fig.add_trace(  # the province whose panel is open
            layer(
                [selected],
                "rgba(0,0,0,0)",
                f"<span style='color:{PALETTE['orange']}'><b>▢</b></span> {names[selected]}",
                marker_line=dict(color=PALETTE["orange"], width=4),
                hoverinfo="skip",
                showlegend=legend,
                legendrank=960,
            )
        )
    place = (
        dict(orientation="h", x=0, y=0, xanchor="left", yanchor="top")
        if legend_below
        else dict(x=0.995, y=0.02, xanchor="right", yanchor="bottom")
    )
    fig.update_layout(
        map=dict(style="white-bg", center=CHINA_CENTER, zoom=zoom),
        legend=dict(
            **place,
            bgcolor="rgba(255,255,255,0.9)",
            bordercolor="#dddddd",
            borderwidth=1,
            font=dict(size=12),
            itemclick=False,
            itemdoubleclick=False,
        ),
        clickmode="event+select",
    )
    return _layout(fig, title, height=height)


def _zoom_for(lons: pd.Series, lats: pd.Series) -> tuple[dict, float]:
    span = max(float(lons.max() - lons.min()), float(lats.max() - lats.min()) * 1.4, 0.5)
    zoom = max(2.5, min(8.0, math.log2(360 / span) - 1.3))
    return {"lon": float((lons.max() + lons.min()) / 2), "lat": float((lats.max() + lats.min()) / 2)}, zoom


def city_figure(
    cities: pd.DataFrame, province: str, metric: str, title: str, lang: str, height: int = 380
) -> go.Figure:
    """The province's cities shaded by `cities.value` (grey and labelled where there is no data).
    Boundaries are inline: one province's cities are small."""
    gj = geo.city_geojson(province)
    names = [city_names(lang)[a] for a in cities.adcode]
    shown = [fmt(metric, x, "total", lang) for x in cities.value]
    has = cities.value.notna()
    fig = go.Figure()
    common = dict(geojson=gj, featureidkey="properties.adcode", marker_line=dict(color="white", width=0.6))
    fig.add_trace(
        go.Choroplethmap(
            locations=list(cities.adcode[~has]),
            z=[0] * int((~has).sum()),
            colorscale=[[0, NO_DATA], [1, NO_DATA]],
            showscale=False,
            customdata=[[n, s] for n, s, h in zip(names, shown, has) if not h],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
            **common,
        )
    )
    if has.any():
        fig.add_trace(
            go.Choroplethmap(
                locations=list(cities.adcode[has]),
                z=list(cities.value[has]),
                colorscale="YlGnBu",
                colorbar=dict(title=dict(text=t(_UNIT[metric], lang)), thickness=10, len=0.7),
                customdata=[[n, s] for n, s, h in zip(names, shown, has) if h],
                hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
                **common,
            )
        )
    center, zoom = _zoom_for(cities.lon, cities.lat) if len(cities) else (CHINA_CENTER, 3.0)
    fig.update_layout(map=dict(style="white-bg", center=center, zoom=zoom), showlegend=False)
    return _layout(fig, title, height=height)


def trend_figure(
    trend: pd.DataFrame, metric: str, joined_on: date | None, month: date | None, title: str, lang: str
) -> go.Figure:
    """The province's metric month by month; the join date and the month on the map marked."""
    fig = go.Figure()
    colours = [
        PALETTE["orange"] if month is not None and d.date() == month else PALETTE["blue"] for d in trend.month
    ]
    fig.add_bar(
        x=trend.month,
        y=trend.value,
        marker_color=colours,
        customdata=[
            [format_month(d, lang), format_metric(metric, x, lang)] for d, x in zip(trend.month, trend.value)
        ],
        hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
        name=t(f"metric.{metric}", lang),
    )
    if (
        joined_on is not None
        and len(trend)
        and trend.month.min() <= pd.Timestamp(joined_on) <= trend.month.max()
    ):
        fig.add_vline(
            x=pd.Timestamp(joined_on).timestamp() * 1000,
            line=dict(color=PALETTE["red"], dash="dash", width=2),
        )
        fig.add_annotation(
            x=pd.Timestamp(joined_on),
            y=1,
            yref="paper",
            text=f"{t('map.panel.joined', lang)} {format_date(joined_on, lang)}",
            showarrow=False,
            xanchor="right" if pd.Timestamp(joined_on) > trend.month.iloc[len(trend) // 2] else "left",
            yanchor="top",
            font=dict(size=12, color=PALETTE["red"]),
            bgcolor="rgba(255,255,255,0.8)",
        )
    if len(trend):
        pad = pd.Timedelta(days=20)
        fig.update_xaxes(range=[trend.month.min() - pad, trend.month.max() + pad])
    fig.update_xaxes(tickformat="%Y-%m", title=t("axis.month", lang))
    fig.update_yaxes(gridcolor="#eeeeee", rangemode="tozero", title=t(f"metric.{metric}", lang))
    fig.update_layout(showlegend=False, bargap=0.15)
    return _layout(fig, title, height=320)


def categories_figure(cats: pd.DataFrame, metric: str, title: str, lang: str) -> go.Figure:
    """Horizontal bars, largest on top."""
    c = cats.iloc[::-1]
    labels = [t(f"category.{x}", lang) for x in c.category]
    fig = go.Figure(
        go.Bar(
            x=c.value,
            y=labels,
            orientation="h",
            marker_color=PALETTE["green"],
            text=[format_metric(metric, x, lang) for x in c.value],
            textposition="auto",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_xaxes(showticklabels=False, showgrid=False)
    fig.update_layout(showlegend=False)
    return _layout(fig, title, height=max(220, 40 * len(c) + 90))


# -- pydeck flow view ---------------------------------------------------------------------------------
def flows_deck(
    flows: pd.DataFrame, points: pd.DataFrame, metric: str, lang: str, height: int = 560, max_arcs: int = 120
) -> pdk.Deck:
    """Arcs from shop province to supplier province (width by chains) and city columns (height by
    the metric). One tooltip serves every layer, so both carry `name` and `value_text`.
    `map_provider=None`: no basemap is fetched; the province outlines come from the app's own
    static server."""
    prov = geo.load_provinces().set_index("adcode")
    arcs = flows.nlargest(max_arcs, "chains", keep="first").copy()  # the thinnest arcs only add clutter
    if len(arcs):
        arcs["src_lon"] = arcs.src.map(prov.lon)
        arcs["src_lat"] = arcs.src.map(prov.lat)
        arcs["dst_lon"] = arcs.dst.map(prov.lon)
        arcs["dst_lat"] = arcs.dst.map(prov.lat)
        top = max(1, int(arcs.chains.max()))
        arcs["width"] = 1 + 11 * arcs.chains / top
        arcs["name"] = [
            t("map.flows.arc", lang, src=province_names(lang)[s], dst=province_names(lang)[d])
            for s, d in zip(arcs.src, arcs.dst)
        ]
        arcs["value_text"] = [t("map.flows.chains", lang, n=format_number(n, lang)) for n in arcs.chains]
        arcs = arcs[["src_lon", "src_lat", "dst_lon", "dst_lat", "width", "name", "value_text"]]
    cols = points.copy()
    if len(cols):
        top = max(1.0, float(cols.value.max()))
        cols["elevation"] = cols.value / top * 600_000
        cols["name"] = cols.adcode.map(city_names(lang))
        cols["value_text"] = [
            f"{t(f'metric.{metric}', lang)}: {format_metric(metric, x, lang)}" for x in cols.value
        ]
        cols = cols[["lon", "lat", "elevation", "name", "value_text"]]
    layers = [
        province_base_layer(),
        pdk.Layer(
            "ColumnLayer",
            cols,
            get_position=["lon", "lat"],
            get_elevation="elevation",
            radius=18_000,
            get_fill_color=[0, 114, 178, 200],
            pickable=True,
            auto_highlight=True,
        ),
        pdk.Layer(
            "ArcLayer",
            arcs,
            get_source_position=["src_lon", "src_lat"],
            get_target_position=["dst_lon", "dst_lat"],
            get_width="width",
            get_source_color=[230, 159, 0, 220],
            get_target_color=[213, 94, 0, 220],
            pickable=True,
            auto_highlight=True,
        ),
    ]
    view = pdk.ViewState(
        longitude=CHINA_CENTER["lon"], latitude=CHINA_CENTER["lat"], zoom=3.0, pitch=40, bearing=0
    )
    return pdk.Deck(
        layers=layers,
        initial_view_state=view,
        map_provider=None,
        tooltip={"html": "<b>{name}</b><br/>{value_text}", "style": {"fontFamily": FONT["family"]}},
        height=height,
    )


def compare_figures(
    before: pd.DataFrame,
    after: pd.DataFrame,
    before_period: tuple[date, date],
    after_period: tuple[date, date],
    metric: str,
    norm: str,
    method: str,
    memberships: pd.DataFrame,
    lang: str,
    boundaries: dict | str | None = None,
) -> tuple[go.Figure, go.Figure]:
    """Two periods side by side with one set of classes, so colours compare directly; members
    as of the end of each period."""
    from cloudsword import mapview

    bins = mapview.classify(pd.concat([before.value, after.value], ignore_index=True), method)
    lowest = float(pd.concat([before.value, after.value]).min())
    figs = []
    for key, values, (lo, hi) in (("before", before, before_period), ("after", after, after_period)):
        members = {a: d for a, d in zip(memberships.province_adcode, memberships.joined_on) if d <= hi}
        title = t(f"map.compare.{key}", lang, start=format_month(lo, lang), end=format_month(hi, lang))
        figs.append(
            map_figure(
                values,
                mapview.class_of(values.value, bins),
                bins,
                metric,
                norm,
                members,
                title,
                lang,
                height=520,
                boundaries=boundaries,
                zoom=2.35,
                legend_below=True,
                lowest=lowest,
            )
        )
    return figs[0], figs[1]


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
