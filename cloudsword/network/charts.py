"""Figure builders for the seller network: the graph, the map (maplibre, no tiles) and the link
timeline. Pure functions of tidy frames, so the app and the exports draw the same."""

from __future__ import annotations

import functools

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cloudsword import geo
from cloudsword.charts_style import FONT, layout, plain_figure, styled
from cloudsword.i18n import format_date, html_text, join, t
from cloudsword.network.graph import KINDS
from cloudsword.network.labels import place_labels
from cloudsword.network.rings import view_rings
from cloudsword.schema import RELATIONS

# Okabe-Ito colours (colour-blind safe) plus a distinct marker shape per kind, so kinds differ
# by shape even without colour.
KIND_STYLE = {
    "shop": ("#0072B2", "circle"),
    "operator": ("#D55E00", "diamond"),
    "factory": ("#009E73", "square"),
    "warehouse": ("#E69F00", "triangle-up"),
    "dealer": ("#CC79A7", "pentagon"),
    "logistics": ("#56B4E9", "star"),
    "payment_account": ("#000000", "hexagon"),
}
RELATION_COLOR = {
    "operates": "#D55E00",
    "supplies": "#009E73",
    "stores_for": "#E69F00",
    "ships_to": "#56B4E9",
    "pays": "#555555",
    "shares_identifier": "#CC79A7",
}


@functools.lru_cache(maxsize=1024)
def place(adcode: str, lang: str, short: bool = True) -> str:
    """A province's name (memoised: pages label thousands of entities with a few dozen provinces)."""
    return geo.province_name(adcode, lang, short=short)


def kind_label(kind: str, lang: str) -> str:
    return t(f"network.kind.{kind}", lang)


def relation_label(relation: str, lang: str) -> str:
    return t(f"network.rel.{relation}", lang)


def entity_label(row: object, lang: str) -> str:
    """An entity as a list shows it: name · id · kind · province. `row` is a namedtuple or a
    Series (whose `.name` is its index, not the entity's: hence the item lookup)."""
    name = row["name"] if isinstance(row, pd.Series) else row.name
    return f"{name} · {row.entity_id} · {kind_label(row.kind, lang)} · {place(row.province_adcode, lang)}"


LABELLED_KINDS = ("operator", "factory")  # who runs a chain and who makes the goods: named on the graph
MAX_LABELS = 14


class Rows:
    """A view's few dozen rows as numpy arrays (`rows.kind`, `rows["kind"]`), picked by a mask
    (`rows[rows.kind == "shop"]`) without pandas' cost per call: built on DataFrames, the graph
    and the map of a 12-entity network took 80-110 ms each, for a thousand small pandas calls."""

    def __init__(self, columns: dict[str, np.ndarray]) -> None:
        self.columns = columns
        self.__dict__.update(columns)

    @classmethod
    def of(cls, frame: pd.DataFrame | Rows) -> Rows:
        if isinstance(frame, Rows):
            return frame
        return cls({c: frame[c].to_numpy() for c in frame.columns})

    def __getitem__(self, key: str | np.ndarray) -> np.ndarray | Rows:
        if isinstance(key, str):
            return self.columns[key]
        return Rows({c: a[key] for c, a in self.columns.items()})

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), ()))

    def __contains__(self, column: str) -> bool:
        return column in self.columns


def among(values: np.ndarray, wanted: object) -> np.ndarray:
    """values[i] in wanted, for each i (wanted may hold None, which np.isin cannot sort)."""
    wanted = set(wanted)
    return np.fromiter((v in wanted for v in values), dtype=bool, count=len(values))


def key_nodes(nodes: pd.DataFrame | Rows, focus: str | None, players: list[str] = ()) -> list[str]:
    """The entities the graph names: the seller, operators and factories, then the top key
    players, at most MAX_LABELS (the best connected first when there are more)."""
    nodes = Rows.of(nodes)
    rank = np.where(nodes.entity_id == focus, 0, np.where(among(nodes.kind, LABELLED_KINDS), 1, 3))
    rank[among(nodes.entity_id, players) & (rank > 1)] = 2
    keep = np.flatnonzero(rank < 3)
    order = keep[np.lexsort((-nodes.degree[keep], rank[keep]))]  # stable: ties keep the view's order
    return [str(e) for e in nodes.entity_id[order[:MAX_LABELS]]]


def clicked_entities(fig: go.Figure, points: list[dict]) -> list[str]:
    """The entities a click on the graph selected: each trace carries entity ids as customdata."""
    ids = []
    for p in points:
        i = p.get("curve_number", -1)
        trace = fig.data[i] if 0 <= i < len(fig.data) else None
        ix = p.get("point_index", p.get("point_number"))
        if (
            trace is not None
            and trace.customdata is not None
            and ix is not None
            and ix < len(trace.customdata)
        ):
            ids.append(str(trace.customdata[ix]))
    return ids


def ring_text(ring: int, size: int, lang: str) -> str:
    """An entity's ring as hover text shows it: "Ring 12 (32 entities)", or that it has none."""
    if ring > 0:
        return t("network.ring.hover", lang, n=int(ring), size=int(size))
    return t("network.ring.none", lang)


def ring_table(nodes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per ring with a member in the view: how many of its entities the view holds, its
    size in the whole dataset, how many lie outside the view, the provinces and first members in
    view, with headers in the page's language."""
    nodes = Rows.of(nodes)
    found = view_rings(nodes)
    members: dict[int, list[tuple[str, str]]] = {}
    for ring, province, name in zip(nodes.ring, nodes.province_adcode, nodes.name):
        if ring > 0:
            members.setdefault(int(ring), []).append((province, name))
    found["provinces"] = [join(sorted({place(p, lang) for p, _ in members[r]}), lang) for r in found.ring]
    found["members"] = [
        join([n for _, n in members[r][:6]], lang) + ("…" if len(members[r]) > 6 else "") for r in found.ring
    ]
    found["share_outside"] = [f"{x:.0%}" for x in found.share_outside]
    found["ring"] = [t("network.ring.label", lang, n=int(r)) for r in found.ring]
    return found.rename(columns={k: t(f"network.col.{k}", lang) for k in found.columns})


RING_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999933")
HALO_RINGS = len(RING_COLOURS)  # rings with their own halo colour; the rest share a grey one


def _ring_halos(nodes: Rows, pos: dict, lang: str) -> list[dict]:
    """A soft halo behind each entity in the colour of its ring (the largest parts in view get a
    colour each, the rest grey); the legend says how much of each ring the graph shows."""
    found = view_rings(nodes)
    own, rest = found.head(HALO_RINGS), found.iloc[HALO_RINGS:]
    legend = lambda r: t("network.ring.legend", lang, n=r.ring, shown=r.in_view, size=r.size)
    groups = [(nodes[nodes.ring == r.ring], c, legend(r)) for r, c in zip(own.itertuples(), RING_COLOURS)]
    if len(rest):
        other = t("network.ring.other", lang, n=len(rest))
        groups.append((nodes[among(nodes.ring, rest.ring)], "#bbbbbb", other))
    return [
        dict(
            type="scatter",
            x=[pos[i][0] for i in sub.entity_id],
            y=[pos[i][1] for i in sub.entity_id],
            mode="markers",
            marker=dict(size=30, color=colour, opacity=0.35, line=dict(width=0)),
            name=name,
            legendgroup="rings",
            customdata=sub.entity_id,  # a click on the halo selects its entity
            hoverinfo="skip",
        )
        for sub, colour, name in groups
    ]


def layout_positions(nodes: pd.DataFrame, links: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """A force-directed layout, deterministic (seed 0); the focus entity sits near the middle."""
    G = nx.Graph()
    G.add_nodes_from(nodes["entity_id"])
    G.add_edges_from(zip(links["src_id"], links["dst_id"]))
    if G.number_of_nodes() == 1:
        return {next(iter(G)): (0.0, 0.0)}
    k = 1.5 / np.sqrt(G.number_of_nodes())
    pos = nx.spring_layout(G, seed=0, k=k, iterations=60 if G.number_of_nodes() < 400 else 30)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def marker_size(nodes: Rows, focus: str | None) -> np.ndarray:
    """Each entity's marker diameter in px: the seller largest, the others by their degree."""
    return np.where(nodes.entity_id == focus, 22, np.clip(8 + 2 * np.log1p(nodes.degree), 9, 18))


def graph_figure(
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    lang: str,
    title: str,
    focus: str | None = None,
    selected: str | None = None,
    path: list[str] | None = None,
    positions: dict[str, tuple[float, float]] | None = None,
    height: int = 680,
    players: list[str] = (),
) -> go.Figure:
    """The ego network: one trace per entity kind (own colour and shape, in the legend), links
    coloured by relation with their evidence count on hover (a marker at each link's middle);
    the key entities (`key_nodes`: the seller, operators, factories, top key `players`) named; with
    ring columns, a halo in each ring's colour behind its entities and the ring on hover."""
    pos = positions or layout_positions(nodes, links)
    nodes, links = Rows.of(nodes), Rows.of(links)
    ranges = _ranges(pos)
    data = _ring_halos(nodes, pos, lang) if "ring" in nodes else []
    on_path = set(zip(path, path[1:])) | set(zip(path[1:], path)) if path else set()
    mids: dict[str, list] = {"x": [], "y": [], "text": []}
    for rel in RELATIONS:
        sub = links[links.relation == rel]
        if not len(sub):
            continue
        xs, ys = [], []
        for s, d, ev in zip(sub.src_id, sub.dst_id, sub.evidence_count):
            (x0, y0), (x1, y1) = pos[s], pos[d]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
            mids["x"].append((x0 + x1) / 2)
            mids["y"].append((y0 + y1) / 2)
            mids["text"].append(
                f"{relation_label(rel, lang)} · {t('network.evidence', lang, n=int(ev))}"
                f"<br>{html_text(s)} — {html_text(d)}"
            )
        data.append(
            dict(
                type="scatter",
                x=xs,
                y=ys,
                mode="lines",
                hoverinfo="skip",
                legendgroup="links",
                line=dict(color=RELATION_COLOR[rel], width=1.2),
                opacity=0.65,
                name=relation_label(rel, lang),
            )
        )
    if on_path:
        xs, ys = [], []
        for s, d in zip(path, path[1:]):
            (x0, y0), (x1, y1) = pos.get(s, (None, None)), pos.get(d, (None, None))
            if x0 is not None and x1 is not None:
                xs += [x0, x1, None]
                ys += [y0, y1, None]
        data.append(
            dict(
                type="scatter",
                x=xs,
                y=ys,
                mode="lines",
                line=dict(color="#000000", width=4),
                name=t("network.path", lang),
                hoverinfo="skip",
            )
        )
    data.append(
        dict(
            type="scatter",
            x=mids["x"],
            y=mids["y"],
            mode="markers",
            marker=dict(size=6, color="rgba(0,0,0,0)"),
            hovertext=mids["text"],
            hoverinfo="text",
            showlegend=False,
            name="links",
        )
    )
    for kind in KINDS:
        sub = nodes[nodes.kind == kind]
        if not len(sub):
            continue
        colour, symbol = KIND_STYLE[kind]
        size = marker_size(sub, focus)
        line_w = np.where(among(sub.entity_id, (focus, selected)), 3, 0.5)
        line_c = np.where(
            sub.entity_id == selected, "#000000", np.where(sub.entity_id == focus, "#000000", "#ffffff")
        )
        hover = [
            f"<b>{html_text(n)}</b><br>{html_text(i)} · {kind_label(kind, lang)}<br>{place(p, lang)}"
            f" · {t('network.hop_n', lang, n=int(h))}"
            for n, i, p, h in zip(sub.name, sub.entity_id, sub.province_adcode, sub.hop)
        ]
        data.append(
            dict(
                type="scatter",
                x=[pos[i][0] for i in sub.entity_id],
                y=[pos[i][1] for i in sub.entity_id],
                mode="markers",
                name=kind_label(kind, lang),
                legendgroup="kinds",
                marker=dict(color=colour, symbol=symbol, size=size, line=dict(width=line_w, color=line_c)),
                customdata=sub.entity_id,
                hovertext=_with_ring(hover, sub, lang),
                hoverinfo="text",
            )
        )
    frame = (PLOT_WIDTH, height - LEGEND_AND_TITLE)
    data += _names(nodes, pos, key_nodes(nodes, focus, players), focus, ranges, frame)
    if selected and selected in pos:
        x, y = pos[selected]
        data.append(
            dict(
                type="scatter",
                x=[x],
                y=[y],
                mode="markers",
                hoverinfo="skip",
                showlegend=False,
                marker=dict(size=34, color="rgba(0,0,0,0)", line=dict(width=3, color="#000000")),
            )
        )
    legend = dict(
        groupclick="toggleitem", itemsizing="constant", font=dict(size=11), traceorder="normal",
        orientation="h", x=0, xanchor="left", y=-0.02, yanchor="top", entrywidth=0.5,
        entrywidthmode="fraction",
    )  # in rows under the graph: at the side it took half the width of a half-page panel  # fmt: skip
    axes = dict(xaxis=dict(visible=False, range=ranges[0]), yaxis=dict(visible=False, range=ranges[1]))
    return plain_figure(data, dict(**axes, legend=legend, hovermode="closest"), title, height)


PLOT_WIDTH = (
    460  # px of the plot area at its smallest (half the page at 1440 px, measured): names placed for it
)
LEGEND_AND_TITLE = 212  # px of the figure's height above and below the plot area (measured in Chromium)
NAME_FONT = 11


def _ranges(pos: dict[str, tuple[float, float]]) -> tuple[list[float], list[float]]:
    """Axis ranges around the layout with room at the edges for markers and names."""
    xy = np.array(list(pos.values()), dtype=float).reshape(-1, 2)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    pad = np.maximum((hi - lo) * 0.08, 0.1)
    return [float(lo[0] - pad[0]), float(hi[0] + pad[0])], [float(lo[1] - pad[1]), float(hi[1] + pad[1])]


def _names(
    nodes: Rows,
    pos: dict[str, tuple[float, float]],
    key: list[str],
    focus: str | None,
    ranges: tuple[list[float], list[float]],
    frame: tuple[float, float],
) -> list[dict]:
    """The key entities' names, each placed where it prints over no other (labels.place_labels):
    one trace, or none."""
    if not key:
        return []
    ids = list(nodes.entity_id)
    xy = np.array([pos[i] for i in ids], dtype=float)
    (x0, x1), (y0, y1) = ranges
    px = np.column_stack(
        [(xy[:, 0] - x0) / (x1 - x0) * frame[0], (y1 - xy[:, 1]) / (y1 - y0) * frame[1]]
    )  # y down, as on screen
    radii = marker_size(nodes, focus) / 2
    where = {e: i for i, e in enumerate(ids)}
    texts = {e: str(n)[:12] for e, n in zip(nodes.entity_id, nodes.name)}
    places = place_labels(px, radii, [where[e] for e in key], [texts[e] for e in key], NAME_FONT, frame)
    shown = [(e, p) for e, p in zip(key, places) if p is not None]
    return [
        dict(
            type="scatter",
            x=[pos[e][0] for e, _ in shown],
            y=[pos[e][1] for e, _ in shown],
            mode="markers+text",  # clear markers the size of the entity's: plotly sets names off by them
            marker=dict(size=[2 * radii[where[e]] for e, _ in shown], opacity=0),
            customdata=[e for e, _ in shown],  # a click on a name selects its entity too
            text=[texts[e] for e, _ in shown],
            textposition=[p for _, p in shown],
            textfont=dict(size=NAME_FONT, color="#1b2430"),
            hoverinfo="skip",
            showlegend=False,
            name="labels",
        )
    ]


def fit_view(points: pd.DataFrame | Rows) -> tuple[float, float, float]:
    """(lon, lat, zoom) showing every entity: the middle of their extent, zoomed to fit it."""
    lo_lon, hi_lon, lo_lat, hi_lat = points.lon.min(), points.lon.max(), points.lat.min(), points.lat.max()
    span = max(hi_lon - lo_lon, 1.3 * (hi_lat - lo_lat), 1.0)
    zoom = float(np.clip(np.log2(360.0 / span) - 0.3, 3.0, 8.0))
    return float((lo_lon + hi_lon) / 2), float((lo_lat + hi_lat) / 2), zoom


def _map_hover(nodes: Rows, lang: str) -> list[str]:
    """An entity on the map: its name and id, kind and place, and its ring when the view has rings."""
    hover = [
        f"<b>{html_text(n)}</b> ({html_text(i)})<br>{kind_label(k, lang)} · {place(p, lang)}"
        for n, i, k, p in zip(nodes.name, nodes.entity_id, nodes.kind, nodes.province_adcode)
    ]
    return _with_ring(hover, nodes, lang)


def _with_ring(hover: list[str], nodes: Rows, lang: str) -> list[str]:
    """Each entity's hover text with its ring under it, when the view has rings (graph and map)."""
    if "ring" not in nodes:
        return hover
    return [f"{h}<br>{ring_text(r, z, lang)}" for h, r, z in zip(hover, nodes.ring, nodes.ring_size)]


def timeline_figure(links: pd.DataFrame, lang: str, limit: int = 60) -> go.Figure:
    """When each link was first and last seen: one bar per link (the `limit` with most evidence),
    coloured by relation."""
    sub = links.sort_values(["evidence_count", "first_seen"], ascending=[False, True]).head(limit)
    sub = sub.sort_values("first_seen", ascending=False)
    fig = go.Figure()
    for rel in RELATIONS:
        r = sub[sub.relation == rel]
        if r.empty:
            continue
        label = [html_text(f"{s} — {d}") for s, d in zip(r.src_id, r.dst_id)]
        fig.add_trace(
            go.Bar(
                y=label,
                x=(pd.to_datetime(r.last_seen) - pd.to_datetime(r.first_seen)).dt.days * 86400000 + 86400000,
                base=pd.to_datetime(r.first_seen),
                orientation="h",
                name=relation_label(rel, lang),
                marker_color=RELATION_COLOR[rel],
                hovertext=[
                    f"{lab}<br>{relation_label(rel, lang)}<br>"
                    f"{format_date(a.date(), lang)} – {format_date(b.date(), lang)}"
                    f"<br>{t('network.evidence', lang, n=int(e))}"
                    for lab, a, b, e in zip(
                        label, pd.to_datetime(r.first_seen), pd.to_datetime(r.last_seen), r.evidence_count
                    )
                ],
                hoverinfo="text",
            )
        )
    title = t("network.timeline.title", lang, n=len(sub), total=len(links))
    styled(fig, title, height=max(300, 60 + 14 * len(sub)))
    layout(
        fig,
        barmode="overlay",
        xaxis=dict(type="date"),
        yaxis=dict(
            categoryorder="array",
            categoryarray=[f"{s} — {d}" for s, d in zip(sub.src_id, sub.dst_id)],
            tickfont=dict(size=10),
        ),
        font=FONT,
    )
    return fig


def map_figure(
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    lang: str,
    title: str,
    selected: str | None = None,
    boundaries: dict | str | None = None,
    height: int = 560,
) -> go.Figure:
    """The network on the map (scatter_map, "white-bg": no tiles), on the page and in its files:
    province outlines, links as straight lines coloured by relation, entities by kind (each
    carries its id, so a click on the page selects it), framed to the network.
    `boundaries` is the province GeoJSON or the URL the app serves it at (None embeds it)."""
    gj = geo.province_geojson() if boundaries is None else boundaries
    codes = list(geo.province_codes())
    data = [
        dict(
            type="choroplethmap",
            geojson=gj,
            featureidkey="properties.adcode",
            locations=codes,
            z=[0] * len(codes),
            colorscale=[[0, "#f5f5f5"], [1, "#f5f5f5"]],
            showscale=False,
            marker=dict(line=dict(color="#aaaaaa", width=0.6)),
            hoverinfo="skip",
        )
    ]
    nodes, links = Rows.of(nodes), Rows.of(links)
    at = dict(zip(nodes.entity_id, zip(nodes.lon, nodes.lat)))
    for rel in RELATIONS:
        sub = links[links.relation == rel]
        if not len(sub):
            continue
        lon, lat = [], []
        for s, d in zip(sub.src_id, sub.dst_id):
            lon += [at[s][0], at[d][0], None]
            lat += [at[s][1], at[d][1], None]
        data.append(
            dict(
                type="scattermap",
                lon=lon,
                lat=lat,
                mode="lines",
                name=relation_label(rel, lang),
                line=dict(color=RELATION_COLOR[rel], width=1.5),
                hoverinfo="skip",
            )
        )
    for kind in KINDS:
        sub = nodes[nodes.kind == kind]
        if not len(sub):
            continue
        data.append(
            dict(
                type="scattermap",
                lon=sub.lon,
                lat=sub.lat,
                mode="markers",
                name=kind_label(kind, lang),
                marker=dict(color=KIND_STYLE[kind][0], size=np.where(sub.entity_id == selected, 16, 9)),
                customdata=sub.entity_id,  # a click selects the entity (on the page)
                hovertext=_map_hover(sub, lang),
                hoverinfo="text",
            )
        )
    lon, lat, zoom = fit_view(nodes)
    frame = dict(style="white-bg", center=dict(lon=lon, lat=lat), zoom=zoom - 0.6)
    return plain_figure(data, dict(map=frame, legend=dict(font=dict(size=12))), title, height)
