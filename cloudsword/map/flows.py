"""Where the cross-province chains run (mapview.flows): the app's pydeck view, arcs over city
columns, and a plotly picture of the same chains for PNG/SVG/HTML exports and slides.

Pure functions of tidy frames, like charts_map. Offline: the deck has `map_provider=None` and takes
the province outlines from the app's static server; the figure uses `scatter_map`/`choropleth_map`
on the "white-bg" style with the boundaries embedded (plotly `geo` axes would fetch a world topojson).
"""

from __future__ import annotations

import json
import math
import weakref
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from cloudsword import geo
from cloudsword.charts_style import (
    CHINA_BOUNDS,
    FONT,
    MARGIN_X,
    PAGE_WIDTH,
    MapKey,
    china_frame,
    fit,
    province_base_layer,
    styled,
)
from cloudsword.i18n import format_metric, format_number, t
from cloudsword.map.charts import city_names, legend_box, province_names

# ColorBrewer OrRd (prints in grey), light -> dark: the more chains, the darker and wider the line.
FLOW_COLOURS = ["#fdcc8a", "#fc8d59", "#ef6548", "#d7301f", "#990000"]
FLOW_WIDTHS = [1.0, 2.0, 3.5, 5.5, 8.0]
SUPPLIER_END = "#4d0000"
BASE_FILL, BASE_LINE = "#f2f2f2", "#a5a5a5"  # province_base_layer's colours
CURVE_POINTS = 12  # enough for a smooth arc; each point carries the hover text in the export


@lru_cache(maxsize=1)
def province_points() -> dict[str, tuple[float, float]]:
    """adcode -> (lon, lat) of each province's label point."""
    p = geo.load_provinces()
    return {a: (float(x), float(y)) for a, x, y in zip(p.adcode, p.lon, p.lat)}


# -- pydeck flow view (the app) ---------------------------------------------------------------------
_DECK_JSON: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class _Deck(pdk.Deck):
    """A Deck serialised once, compactly: pydeck writes indented JSON through the pure-Python encoder
    (5-10 ms for the flow view), and Streamlit asks for it on every rerun that shows a cached deck.
    Build it, then leave it alone: changes after the first to_json() are not seen."""

    def to_json(self) -> str:
        text = _DECK_JSON.get(self)
        if text is None:
            text = json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))
            _DECK_JSON[self] = text
        return text


def flows_deck(
    flows: pd.DataFrame, points: pd.DataFrame, metric: str, lang: str, height: int = 560, max_arcs: int = 120
) -> pdk.Deck:
    """Arcs from shop province to supplier province (width by chains) and city columns (height by
    the metric). One tooltip serves every layer, so both carry `name` and `value_text`.
    `map_provider=None`: no basemap is fetched; the province outlines come from the app's own
    static server."""
    # Layer data as lists of records: pydeck would turn frames into them anyway, more slowly.
    where = province_points()
    names = province_names(lang)
    chains = flows.chains.to_numpy()
    keep = np.argsort(-chains, kind="stable")[:max_arcs]  # the thinnest arcs only add clutter
    top = max(1, int(chains.max())) if len(chains) else 1
    src, dst = flows.src.to_numpy(object)[keep], flows.dst.to_numpy(object)[keep]
    arcs = [
        {
            "src_lon": where[s][0],
            "src_lat": where[s][1],
            "dst_lon": where[d][0],
            "dst_lat": where[d][1],
            "width": 1 + 11 * float(n) / top,
            "name": t("map.flows.arc", lang, src=names[s], dst=names[d]),
            "value_text": t("map.flows.chains", lang, n=format_number(n, lang)),
        }
        for s, d, n in zip(src, dst, chains[keep].tolist())
    ]
    label, city = t(f"metric.{metric}", lang), city_names(lang)
    top_value = max(1.0, float(points.value.max())) if len(points) else 1.0
    cols = [
        {
            "lon": lon,
            "lat": lat,
            "elevation": value / top_value * 600_000,
            "name": city[code],
            "value_text": f"{label}: {format_metric(metric, value, lang)}",
        }
        for code, lon, lat, value in zip(
            points.adcode, points.lon.tolist(), points.lat.tolist(), points.value.astype(float).tolist()
        )
    ]
    layers = [
        province_base_layer(),
        pdk.Layer(
            "ColumnLayer",
            cols,
            id="city-columns",  # fixed ids (pydeck draws random ones): the same view, the same JSON
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
            id="flow-arcs",
            get_source_position=["src_lon", "src_lat"],
            get_target_position=["dst_lon", "dst_lat"],
            get_width="width",
            get_source_color=[230, 159, 0, 220],
            get_target_color=[213, 94, 0, 220],
            pickable=True,
            auto_highlight=True,
        ),
    ]
    frame = fit(CHINA_BOUNDS, PAGE_WIDTH, height)  # the tilt shows a little more to the north
    view = pdk.ViewState(
        longitude=frame["center"]["lon"],
        latitude=frame["center"]["lat"],
        zoom=frame["zoom"],
        pitch=40,
        bearing=0,
    )
    return _Deck(
        layers=layers,
        initial_view_state=view,
        map_provider=None,
        tooltip={"html": "<b>{name}</b><br/>{value_text}", "style": {"fontFamily": FONT["family"]}},
        height=height,
    )


# -- plotly flow picture (exports) -------------------------------------------------------------------
def chain_classes(top: int, k: int = len(FLOW_WIDTHS)) -> list[int]:
    """Lower bounds of the line-width classes: round numbers (1, 2, 5, 10, ...) evenly spaced on a log
    scale up to `top`, since a few routes carry hundreds of chains and most carry one or two."""
    nice = [m * 10**e for e in range(len(str(max(top, 1)))) for m in (1, 2, 5) if m * 10**e <= max(top, 1)]
    picks = {min(nice, key=lambda n: abs(math.log(n) - math.log(max(top, 1)) * i / k)) for i in range(k)}
    return sorted(picks)


def _curve(a: tuple[float, float], b: tuple[float, float]) -> tuple[list[float], list[float]]:
    """A gentle arc from `a` to `b` that bends to the right of travel, so the chains from A to B and
    from B to A are two lines, not one drawn twice."""
    (x0, y0), (x1, y1) = a, b
    cx, cy = (x0 + x1) / 2 + 0.2 * (y1 - y0), (y0 + y1) / 2 - 0.2 * (x1 - x0)
    s = np.linspace(0.0, 1.0, CURVE_POINTS)
    xs = (1 - s) ** 2 * x0 + 2 * (1 - s) * s * cx + s**2 * x1
    ys = (1 - s) ** 2 * y0 + 2 * (1 - s) * s * cy + s**2 * y1
    return xs.round(3).tolist(), ys.round(3).tolist()  # 100 m: finer only adds bytes


def _class_label(lo: int, hi: int, lang: str) -> str:
    if lo == hi:
        return t("map.flows.chains", lang, n=format_number(lo, lang))
    return t("map.flows.class", lang, lo=format_number(lo, lang), hi=format_number(hi, lang))


def flows_figure(
    flows: pd.DataFrame, lang: str, title: str, height: int = 640, width: int = PAGE_WIDTH, font: int = 12
) -> go.Figure:
    """The chains of mapview.flows as a plotly map: a curve from the shops' province to the
    suppliers' province for every route, wider and darker with more chains (one legend entry per
    width class), a dot where the chains end, over the embedded province boundaries."""
    where, names = province_points(), province_names(lang)
    flows = flows[flows.chains > 0]
    gj = geo.province_geojson()
    codes = [ft["properties"]["adcode"] for ft in gj["features"]]
    base = go.Choroplethmap(
        geojson=gj,
        featureidkey="properties.adcode",
        locations=codes,
        z=[0] * len(codes),
        colorscale=[[0, BASE_FILL], [1, BASE_FILL]],
        showscale=False,
        marker=dict(line=dict(color=BASE_LINE, width=0.6)),
        hoverinfo="skip",
        showlegend=False,
    )
    fig = go.Figure([base])
    chains = flows.chains.to_numpy(np.int64)
    top = int(chains.max()) if len(chains) else 0
    bounds = chain_classes(top) if top else []
    cls = np.searchsorted(bounds, chains, side="right") - 1
    styles = len(FLOW_WIDTHS) - len(bounds)  # few classes: the widest, most visible styles
    for i, lo in enumerate(bounds):
        hi = bounds[i + 1] - 1 if i + 1 < len(bounds) else top
        lons: list[float | None] = []
        lats: list[float | None] = []
        text: list[str | None] = []
        for s, d, n in zip(flows.src[cls == i], flows.dst[cls == i], chains[cls == i].tolist()):
            xs, ys = _curve(where[s], where[d])
            tip = t("map.flows.arc", lang, src=names[s], dst=names[d])
            tip += "<br>" + t("map.flows.chains", lang, n=format_number(n, lang))
            lons += [*xs, None]
            lats += [*ys, None]
            text += [tip] * len(xs) + [None]
        if not text:
            continue
        fig.add_trace(
            go.Scattermap(
                lon=lons,
                lat=lats,
                mode="lines",
                line=dict(width=FLOW_WIDTHS[styles + i], color=FLOW_COLOURS[styles + i]),
                text=text,
                hovertemplate="%{text}<extra></extra>",
                name=_class_label(lo, hi, lang),
                legendgroup="width",
                legendrank=100 + i,
            )
        )
    ends = flows.groupby("dst", sort=True).chains.sum()
    if len(ends):
        fig.add_trace(
            go.Scattermap(
                lon=[where[d][0] for d in ends.index],
                lat=[where[d][1] for d in ends.index],
                mode="markers",
                marker=dict(size=8, color=SUPPLIER_END),
                text=[
                    f"{names[d]}<br>{t('map.flows.chains_in', lang, n=format_number(n, lang))}"
                    for d, n in ends.items()
                ],
                hovertemplate="%{text}<extra></extra>",
                name=t("map.flows.supplier_end", lang),
                legendrank=900,
            )
        )
    note = t("map.flows.note", lang) if len(flows) else t("map.flows.empty", lang)
    top = 56 + 16 * (note.count("<br>") + 1)  # the title and the note under it
    labels = tuple(tr.name for tr in fig.data[1:])
    key = MapKey(labels, t("map.flows.width", lang) if len(bounds) else "", font=font)
    frame = china_frame(width, height, key, (MARGIN_X, top + 10))
    fig.update_layout(
        map=frame["map"],
        # classes can be hidden by a click on the legend
        legend=legend_box(
            **frame["legend"],
            title=dict(text=key.title, side="top"),
            font={"size": font},
            itemclick="toggle",
            itemdoubleclick="toggleothers",
        ),
        width=width,
        meta=frame["meta"],
    )
    text = f"{title}<br><span style='font-size:{font}px;color:#4a5462'>{note}</span>"
    styled(fig, text, height)
    fig.update_layout(margin=dict(t=top))
    return fig
