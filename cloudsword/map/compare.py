"""Before and after a pivot month on the province map: two classed maps side by side, or one map of
the change per province. Pure functions of queries.province_values frames, so the page, its
downloads and the presenter deck draw the same pictures; offline like every map (map.charts).
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from cloudsword import geo
from cloudsword.charts_style import (
    HALF_WIDTH,
    MARGIN_X,
    NO_DATA,
    PAGE_WIDTH,
    MapKey,
    china_frame,
    plain_figure,
)
from cloudsword.filters import month_end
from cloudsword.i18n import format_metric, format_month, t
from cloudsword.map.charts import (
    EMPTY,
    _members_text,
    fmt,
    legend_box,
    map_figure,
    membership_layers,
    province_names,
    unit,
)
from cloudsword.map.queries import class_of, classify, whole

# ColorBrewer RdBu (colour-blind safe), spelled out and turned round: blue = fewer, red = more.
DIFF_SCALE = [[x, c] for x, c in get_colorscale("RdBu_r")]


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
    width: int = HALF_WIDTH,
    height: int = 520,
    font: int = 12,
) -> tuple[go.Figure, go.Figure]:
    """Two periods side by side with one set of classes, so colours compare directly; members
    as of the end of each period. `width`, `height`: each map's; `font`: its legend's."""
    both = pd.concat([before.value, after.value], ignore_index=True)
    bins = classify(both, method, counts=whole(metric, norm))
    lowest = float(both.min())
    style = dict(height=height, width=width, boundaries=boundaries, lowest=lowest, font=font)
    figs = []
    for key, values, (lo, hi) in (("before", before, before_period), ("after", after, after_period)):
        members = {a: d for a, d in zip(memberships.province_adcode, memberships.joined_on) if d <= hi}
        title = t(f"map.compare.{key}", lang, start=format_month(lo, lang), end=format_month(hi, lang))
        classes = class_of(values.value, bins)
        figs.append(map_figure(values, classes, bins, metric, norm, members, title, lang, **style))
    return figs[0], figs[1]


def months_in(period: tuple[date, date]) -> int:
    """Calendar months a period touches (a clipped period has fewer than the window)."""
    lo, hi = period
    return (hi.year - lo.year) * 12 + hi.month - lo.month + 1


def difference_frame(
    before: pd.DataFrame,
    after: pd.DataFrame,
    before_period: tuple[date, date],
    after_period: tuple[date, date],
) -> pd.DataFrame:
    """adcode, before, after (monthly averages of `value`, already normalised), change (after -
    before) and pct (change in % of before). Averages, not sums: a period clipped at the data's
    end would otherwise look like a fall. A province missing in either period has no change (NaN,
    never a zero), and pct is NaN where before is zero."""
    b = before.set_index("adcode").value.astype(float) / months_in(before_period)
    a = after.set_index("adcode").value.astype(float) / months_in(after_period)
    out = pd.DataFrame({"before": b, "after": a}).rename_axis("adcode").reset_index()
    out["change"] = out["after"] - out["before"]
    base = out["before"].where(out["before"] != 0)
    out["pct"] = out["change"] / base * 100
    return out


def difference_table(diff: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The difference map's data for download: province names and column heads in the language."""
    out = pd.DataFrame({t("map.col.province", lang): list(diff.adcode.map(province_names(lang)))})
    out["adcode"] = list(diff.adcode)
    for col in ("before", "after", "change", "pct"):
        out[t(f"map.col.{col}", lang)] = list(diff[col])
    return out


def difference_note(
    before_period: tuple[date, date], after_period: tuple[date, date], metric: str, norm: str, lang: str
) -> str:
    """What the difference map measures, with the two periods and their lengths."""
    (b0, b1), (a0, a1) = before_period, after_period
    return t(
        "map.diff.caption",
        lang,
        unit=unit(metric, norm, lang),
        before_start=format_month(b0, lang),
        before_end=format_month(b1, lang),
        before_n=months_in(before_period),
        after_start=format_month(a0, lang),
        after_end=format_month(a1, lang),
        after_n=months_in(after_period),
    )


def _signed(metric: str, value: float, norm: str, lang: str) -> str:
    """A change with its sign in front ("-¥731k", not "¥-731k"); no data stays "no data"."""
    if value is None or math.isnan(value):
        return fmt(metric, value, norm, lang)
    text = fmt(metric, abs(value), norm, lang)
    return text if text.strip("0.,") == "" else ("+" if value > 0 else "-") + text


def _ticks(top: float) -> list[float]:
    """Round, symmetric colour-bar ticks: 0 and at most four steps of 1, 2, 2.5 or 5 x 10^k a side."""
    if top <= 0 or not math.isfinite(top):
        return [0.0]
    power = 10 ** math.floor(math.log10(top / 4))
    step = next(power * m for m in (1, 2, 2.5, 5, 10) if top / (power * m) <= 4)
    n = int(top // step)
    return [step * i for i in range(-n, n + 1)]


def _tick(metric: str, value: float, lang: str) -> str:
    """A colour-bar tick: round numbers need no decimals ("+40", "-0.25", "+¥500k", "-50万元")."""
    if not value:
        return "0"
    v = abs(value)
    text = format_metric(metric, v, lang) if v >= 1 else f"{v:g}"
    return ("+" if value > 0 else "-") + text


def _pct(value: float) -> str:
    return "—" if value is None or math.isnan(value) else f"{value:+.1f}%"


def difference_figure(
    diff: pd.DataFrame,
    metric: str,
    norm: str,
    memberships: pd.DataFrame,
    pivot: date,
    lang: str,
    boundaries: dict | str | None = None,
    periods: tuple[tuple[date, date], tuple[date, date]] | None = None,
    title: str | None = None,
    height: int = 660,
    width: int = PAGE_WIDTH,
    font: int = 12,
) -> go.Figure:
    """One map of `difference_frame`'s change on a diverging scale centred on zero (symmetric, so
    equal rises and falls look equally strong); provinces without a change grey and labelled "no
    data"; members as of the pivot month outlined, others veiled, as on the other maps. Hover gives
    both averages, the change and the change in %. `customdata[0]` is the adcode."""
    gj = geo.province_geojson() if boundaries is None else boundaries
    names = province_names(lang)
    members = {
        a: d for a, d in zip(memberships.province_adcode, memberships.joined_on) if d <= month_end(pivot)
    }
    the_unit = unit(metric, norm, lang)
    codes_all = list(diff.adcode)
    has = diff.change.notna().to_numpy()

    def hover(r: pd.Series) -> str:
        return t(
            "map.diff.hover",
            lang,
            unit=the_unit,
            before=fmt(metric, r.before, norm, lang),
            after=fmt(metric, r.after, norm, lang),
            change=_signed(metric, r.change, norm, lang),
            pct=_pct(r.pct),
        )

    texts = {r.adcode: hover(r) for r in diff.itertuples()}

    def shapes(codes: list[str]) -> dict | str:  # embedded: only the layer's own provinces
        if isinstance(gj, str):
            return gj
        wanted = set(codes)
        return {**gj, "features": [ft for ft in gj["features"] if ft["properties"]["adcode"] in wanted]}

    def layer(codes: list[str], z: list[float], **style: object) -> dict:
        return dict(
            type="choroplethmap",
            geojson=shapes(codes),
            featureidkey="properties.adcode",
            locations=codes or [EMPTY],
            z=z or [0.0],
            **style,
        )

    def valued(codes: list[str]) -> dict:
        return dict(
            customdata=[[a, names[a], texts[a], _members_text(a, members, lang)] for a in codes],
            hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}<br>%{customdata[3]}<extra></extra>",
            marker=dict(line=dict(color="white", width=0.6)),
        )

    def outline(codes: list[str], fill: str, name: str, line: dict, rank: int) -> dict:
        return layer(
            codes,
            [1.0] * len(codes),
            colorscale=[[0, fill], [1, fill]],
            showscale=False,
            name=name,
            marker=dict(line=line),
            hoverinfo="skip",
            legendrank=rank,
            showlegend=True,
        )

    missing = [a for a, h in zip(codes_all, has) if not h]
    shown = [a for a, h in zip(codes_all, has) if h]
    changes = [float(x) for x in diff.change[has]]
    top = max((abs(x) for x in changes), default=0.0) or 1.0
    ticks = _ticks(top)
    bar_title = t("map.diff.colorbar", lang, unit=the_unit)
    tick_text = [_tick(metric, x, lang) for x in ticks]
    no_data = t("map.legend.no_data", lang)
    outlines, outline_labels = membership_layers(codes_all, members, lang, outline)
    key = MapKey((no_data, *outline_labels), "", tuple(bar_title.split("<br>")), tuple(tick_text), font)
    top_margin = 80 if periods is not None else 50  # room for the title's second line
    frame = china_frame(width, height, key, (MARGIN_X, top_margin + 10))
    colourbar = dict(
        title=dict(text=bar_title, side="top", font={"size": font}),
        tickvals=ticks,
        ticktext=tick_text,
        tickfont={"size": font},
        thickness=14,
        **frame["colorbar"],
    )
    data = [
        layer(
            missing,
            [0.0] * len(missing),
            colorscale=[[0, NO_DATA], [1, NO_DATA]],
            showscale=False,
            name=t("map.legend.no_data", lang),
            showlegend=True,
            legendrank=900,
            **valued(missing),
        ),
        layer(
            shown,
            changes,
            colorscale=DIFF_SCALE,
            zmin=-top,
            zmax=top,
            zmid=0.0,
            colorbar=colourbar,
            showlegend=False,
            name=t("map.diff.change", lang),
            **valued(shown),
        ),
    ]
    data += outlines
    if title is None:
        names_of = dict(metric=t(f"metric.{metric}", lang), norm=t(f"map.norm.{norm}", lang))
        title = t("map.diff.figure", lang, pivot=format_month(pivot, lang), **names_of)
        if periods is not None:
            spans = [
                t(f"map.compare.{k}", lang, start=format_month(lo, lang), end=format_month(hi, lang))
                for k, (lo, hi) in zip(("before", "after"), periods)
            ]
            title += f"<br><span style='font-size:13px'>{' · '.join(spans)}</span>"
    layout = dict(
        map=frame["map"],
        legend=legend_box(**frame["legend"], font={"size": font}),
        width=width,
        meta=frame["meta"],
    )
    fig = plain_figure(data, layout, title, height)
    fig.layout.margin.t = top_margin
    return fig
