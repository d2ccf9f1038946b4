"""The house style every figure shares: palette, font, the frame of a China map, the pydeck
province backdrop. Pure values and small helpers, so pages, exports and the deck look alike.

Maps use `choropleth_map` over our own GeoJSON with the "white-bg" style: it needs no tiles,
fonts or topojson from the internet (plotly's `geo` charts would fetch a world topojson).
"""

from __future__ import annotations

import plotly.graph_objects as go

from cloudsword import geo

# Colour-blind-safe palette (Okabe-Ito) and a sequential scale (viridis-like, reversed light->dark).
PALETTE = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "red": "#D55E00", "grey": "#999999"}
SEQUENTIAL = "YlGnBu"
NO_DATA = "#d9d9d9"
FONT = dict(family="Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif", size=14)
CHINA_CENTER = {"lon": 102.5, "lat": 35.5}


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
