"""The house style every figure shares: palette, font, the frame of a China map, the pydeck
province backdrop. Pure values and small helpers, so pages, exports and the deck look alike.

Maps use `choropleth_map` over our own GeoJSON with the "white-bg" style: it needs no tiles,
fonts or topojson from the internet (plotly's `geo` charts would fetch a world topojson).
"""

from __future__ import annotations

import functools
import math
import unicodedata
from dataclasses import asdict, dataclass

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


def text_px(text: str, size: float) -> float:
    """Estimated width of one line of text in px: CJK one em a character, Latin about 0.6 em."""
    plain = text.replace("<b>", "").replace("</b>", "")
    return size * sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in plain)


@dataclass(frozen=True)
class MapKey:
    """What a map of China explains next to it: legend entries under a title, and a colour bar
    (its title lines and tick labels) or none. `font`: the legend's and colour bar's text size."""

    labels: tuple[str, ...] = ()
    title: str = ""
    bar_title: tuple[str, ...] = ()
    bar_ticks: tuple[str, ...] = ()
    font: int = 12

    @property
    def row(self) -> float:
        return self.font * 1.6 + 1

    def entry(self) -> float:
        """Width of one legend entry: the swatch and the longest label."""
        return 46 + max((text_px(x, self.font) for x in self.labels), default=0)

    def beside(self) -> tuple[float, float]:
        """(width, legend height) of the key as a column at the map's right."""
        legend_w = max(self.entry(), text_px(self.title, self.font)) + 12 if self.labels else 0
        bar_w = 0.0
        if self.bar_title or self.bar_ticks:
            ticks = max((text_px(x, self.font) for x in self.bar_ticks), default=0)
            heads = max((text_px(x, self.font) for x in self.bar_title), default=0)
            bar_w = max(14 + 8 + ticks, heads) + 12
        height = (len(self.labels) + bool(self.title)) * self.row + 14 if self.labels else 0
        return max(legend_w, bar_w) + 8, height

    def below(self, width: float) -> tuple[float, float, float]:
        """(legend height, colour bar height, entry width) of the key in rows under the map."""
        if not self.labels:
            legend_h = 0.0
        else:
            per_row = max(1, int((width - 12) // self.entry()))
            rows = math.ceil(len(self.labels) / per_row)
            legend_h = (rows + bool(self.title)) * self.row + 14
        bar_h = 14 + self.row * (1 + len(self.bar_title)) + 8 if self.bar_title or self.bar_ticks else 0
        return legend_h, bar_h, self.entry()


def china_frame(
    width: float, height: float, key: MapKey, margin: tuple[float, float] = (MARGIN_X, MARGIN_Y)
) -> dict:
    """Layout for a map of the whole of China with its key off the land: the key gets its own
    column at the right or its own rows below, whichever leaves the country larger, and the map
    is framed (china_map) for the area that is left. Returns `map` (with its domain), `legend`
    (placement) and `colorbar` (placement, for a trace's colorbar) for a figure width x height
    px with `margin` (left + right, top + bottom) around its plot area."""
    plot_w, plot_h = width - margin[0], height - margin[1]
    meta = {"china_key": asdict(key), "margin": list(margin)}  # what `reframe` needs
    col_w, legend_h = key.beside()
    side = china_map(plot_w - col_w, plot_h)
    under_legend, under_bar, entry = key.below(plot_w)
    under = china_map(plot_w, plot_h - under_legend - under_bar)
    if side["zoom"] >= under["zoom"]:
        split = 1 - col_w / plot_w
        legend = dict(x=1, y=0, xanchor="right", yanchor="bottom", orientation="v")
        bar_len = max(0.2, 1 - (legend_h + 16) / plot_h) if key.labels else 0.8
        bar = dict(
            x=split + 8 / plot_w, xanchor="left", y=1, yanchor="top", len=bar_len, lenmode="fraction",
            orientation="v",
        )  # fmt: skip
        return {
            "map": {**side, "domain": {"x": [0, split], "y": [0, 1]}},
            "legend": legend,
            "colorbar": bar,
            "meta": meta,
        }
    legend = dict(x=0, y=0, xanchor="left", yanchor="bottom", orientation="h", entrywidth=entry)
    bar = dict(
        x=0, xanchor="left", y=(under_legend + 4) / plot_h, yanchor="bottom", orientation="h",
        len=min(420, plot_w * 0.7), lenmode="pixels",
    )  # fmt: skip
    low = (under_legend + under_bar) / plot_h
    return {
        "map": {**under, "domain": {"x": [0, 1], "y": [low, 1]}},
        "legend": legend,
        "colorbar": bar,
        "meta": meta,
    }


def reframe(fig: go.Figure, width: float, height: float) -> go.Figure:
    """A map of China built by china_frame, framed anew for width x height px: the country whole
    and its key off the land at a size it was not built for (a projector, a slide's box). Other
    figures are left as they are. In place; returns `fig`."""
    meta = fig.layout.meta
    if not isinstance(meta, dict) or "china_key" not in meta:
        return fig
    key = MapKey(**{k: tuple(v) if isinstance(v, list) else v for k, v in meta["china_key"].items()})
    frame = china_frame(width, height, key, tuple(meta["margin"]))
    layout(fig, map=frame["map"], legend=frame["legend"])
    for tr in fig.data:
        if tr.type == "choroplethmap" and tr.showscale is not False and tr.colorbar.x is not None:
            tr.colorbar.update(frame["colorbar"])
    return fig


def layout(fig: go.Figure, **props: object) -> go.Figure:
    """`fig.update_layout(**props)` (top-level names; a dict merges into what is set), at a tenth
    of the cost: update_layout goes through plotly's relayout machinery, about 4 ms a property,
    which made the house style 6% of a page run's CPU with many sessions. Anything that is not a
    plotly Figure (map/charts.py's unvalidated figures) gets its own update_layout."""
    if not isinstance(fig, go.Figure):
        return fig.update_layout(**props)
    for name, value in props.items():
        current = fig.layout[name]
        if isinstance(value, dict) and hasattr(current, "to_plotly_json") and current.to_plotly_json():
            current.update(value)
        else:
            fig.layout[name] = value
    return fig


def roomy(fig: go.Figure) -> go.Figure:
    """Every axis makes room for its tick labels and its title, at whatever size the figure is
    drawn (plotly's automargin, the title a fixed gap from the numbers): a file or a slide shows
    "50%", not "0%", and no title over the numbers. In place; returns `fig`."""
    fig.update_xaxes(automargin=True, title_standoff=10)
    fig.update_yaxes(automargin=True, title_standoff=10)
    return fig


def styled(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    return layout(
        fig,
        title=dict(text=title, x=0, xanchor="left", font=dict(size=17)),
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=50, b=10),
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel=dict(font=FONT),
    )


RGB = tuple[int, int, int]


class _LayoutOnly:
    """Stands in for a figure so that `styled`'s shared title, font, margins and colours come back
    as a dict: inside an unvalidated figure they cost nothing, through update_layout ~7 ms."""

    def __init__(self) -> None:
        self.layout: dict = {}

    def update_layout(self, **changes: object) -> _LayoutOnly:
        self.layout.update(changes)
        return self


def plain_figure(data: list[dict], layout: dict, title: str, height: int) -> go.Figure:
    """A figure from plain dicts, styled like every chart (`styled`), without plotly's
    property-by-property validation: 10-20 ms a map, over a second for the trends page's 31 small
    multiples built through make_subplots and add_vline. The builders' tests check their output
    against plotly's schema instead (go.Figure(fig.to_dict()) validates, tests/core)."""
    shared = styled(_LayoutOnly(), title, height).layout  # type: ignore[arg-type]
    return PlainFigure({"data": data, "layout": _unshared({**layout, **shared})})


class PlainFigure(go.Figure):
    """A figure kept as the plain dict it was built from until something reads or changes it as a
    plotly Figure (an export, a slide, a test, a click handler): then it becomes one, unvalidated.
    A page's chart never does: st.plotly_chart asks for `to_dict()` and serialises it, so the
    10-35 ms a figure of building plotly's objects and copying them back out is not spent on every
    rerun, and a cached figure is pickled as its dict."""

    def __init__(self, figure: dict) -> None:
        object.__setattr__(self, "_plain", figure)

    def __getattr__(self, name: str) -> object:
        plain = self.__dict__.pop("_plain", None)
        if plain is None:  # a plotly Figure already (or becoming one): a real miss
            raise AttributeError(name)
        go.Figure.__init__(self, plain, _validate=False)
        return getattr(self, name)

    def to_dict(self) -> dict:
        if "_plain" not in self.__dict__:
            return super().to_dict()
        out = _unshared(self.__dict__["_plain"])  # a copy, as plotly's is
        if "template" not in out["layout"]:  # what plotly gives every figure it builds
            out["layout"]["template"] = _unshared(_default_template())
        return out

    def __reduce__(self) -> tuple:
        if "_plain" in self.__dict__:
            return (self.__class__, (self.__dict__["_plain"],))
        return super().__reduce__()


@functools.lru_cache(maxsize=1)
def _default_template() -> dict:
    return go.Figure().to_dict()["layout"]["template"]


def _unshared(value: object) -> object:
    """A copy in which no two places hold the same dict or list: plotly edits a figure's nested dicts
    in place, so a shared one (FONT is both `font` and `hoverlabel.font`) would change twice."""
    if isinstance(value, dict):
        return {k: _unshared(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unshared(v) for v in value]
    return value


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
