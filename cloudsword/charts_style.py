"""The house style every figure shares: palette, font, the frame of a China map, the pydeck
province backdrop. Pure values and small helpers, so pages, exports and the deck look alike.

Maps use `choropleth_map` over our own GeoJSON with the "white-bg" style: it needs no tiles,
fonts or topojson from the internet (plotly's `geo` charts would fetch a world topojson).
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from cloudsword import geo

# Colour-blind-safe palette (Okabe-Ito) and a sequential scale (viridis-like, reversed light->dark).
PALETTE = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "red": "#D55E00", "grey": "#999999"}
SEQUENTIAL = "YlGnBu"
NO_DATA = "#d9d9d9"
FONT = dict(family="Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif", size=14)
# The whole country, the South China Sea islands included (west, south, east, north): the extent
# of the 34 provinces' boundaries in static/geo/provinces.geojson.
CHINA_BOUNDS = (73.50, 3.84, 135.09, 53.56)
TILE = 512  # MapLibre's world is 512 px wide at zoom 0
# The widths a page column has in a 1440 px browser with the sidebar open: what page maps are
# framed for (they stretch with the column; exports and slides are framed for their own size).
PAGE_WIDTH, HALF_WIDTH = 1040, 510
MARGIN_X, MARGIN_Y = 20, 60  # styled()'s margins: left + right, title + bottom


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit(bounds: tuple[float, float, float, float], width: float, height: float, pad: float = 0.03) -> dict:
    """The center and zoom that fit `bounds` into a map of width x height pixels with a margin of
    `pad` on every side (Web Mercator, as plotly's maps draw it)."""
    west, south, east, north = bounds
    y0, y1 = _mercator_y(south), _mercator_y(north)
    across = math.log2(width * (1 - 2 * pad) * 360 / (TILE * max(east - west, 1e-6)))
    down = math.log2(height * (1 - 2 * pad) * 2 * math.pi / (TILE * max(y1 - y0, 1e-9)))
    lat = math.degrees(math.atan(math.sinh((y0 + y1) / 2)))
    return {"center": {"lon": (west + east) / 2, "lat": lat}, "zoom": round(min(across, down), 3)}


def china_map(width: float, height: float) -> dict:
    """A plotly `map` layout that shows the whole of China in a map drawn width x height pixels:
    the one framing every map of China uses (offline: the white background, no tiles)."""
    return {"style": "white-bg", **fit(CHINA_BOUNDS, width, height)}


def styled(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", font=dict(size=17)),
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=50, b=10),
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel=dict(font=FONT),
    )
    return fig


RGB = tuple[int, int, int]


def province_base_layer(fill: RGB = (242, 242, 242), line: RGB = (165, 165, 165)) -> object:
    """The provinces as a grey, unpickable pydeck backdrop: deck maps draw no basemap (offline), so
    this gives them their bearings. The boundaries come by URL from the app's static files."""
    import pydeck as pdk  # only the deck maps need it

    return pdk.Layer(
        "GeoJsonLayer",
        data=geo.PROVINCE_GEOJSON_URL,
        id="provinces",
        stroked=True,
        filled=True,
        get_fill_color=[*fill, 255],
        get_line_color=[*line, 255],
        line_width_min_pixels=0.6,
        pickable=False,
    )
