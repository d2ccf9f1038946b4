"""What each page's view looks like as a slide: the same core queries and chart builders the
pages (views/*.py) compose, without streamlit, sized for a 1920x1080 projector, with personal data
masked. A builder returns a `Built` or raises `SlideProblem` (a message key) when the view no
longer resolves; deck.build_slide turns either into a Slide.

Page params a slide understands beyond the shared filters (lang, from, to, prov, cat, metric):
- overview: show = headline (default: totals and funnel) | growth (members and monthly) | map
- map: norm, cls, scope, span, month (YYYY-MM), province, show = map | compare, pivot, window
  (see deck_map.py)
- network: entity (or clue), hops, rel, kinds, hubs, expand (see deck_network.py)
- trends: compare, anticipation, es_window, es_bin, es_band
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from cloudsword import charts, charts_trends, geo, trends
from cloudsword.filters import Filters, month_start
from cloudsword.i18n import format_date, format_metric, format_money, format_month, format_number, t
from cloudsword.store import Store

FULL = (1760, 800)  # one figure across the slide
HALF = (870, 800)  # two side by side
UNDER_FACTS = (1760, 600)  # one figure below a row of big numbers
SLIDE_FONT = 20


@dataclass
class Built:
    title: str
    subtitle: str = ""
    notes: str = ""
    figures: list[go.Figure] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)


class SlideProblem(Exception):
    """The view does not resolve: `key` names a message (strings_deck or a page's), `params` fill it."""

    def __init__(self, key: str, **params: object):
        self.key, self.params = key, params
        super().__init__(key)


def for_slide(fig: go.Figure, size: tuple[int, int]) -> go.Figure:
    """A figure at projector size with type readable from the back of the room."""
    w, h = size
    fig.update_layout(
        width=w,
        height=h,
        font=dict(size=SLIDE_FONT),
        title=dict(font=dict(size=28), x=0.01),
        legend=dict(font=dict(size=18)),
        hoverlabel=dict(font=dict(size=18)),
        margin=dict(l=30, r=30, t=80, b=40),
    )
    fig.update_annotations(font_size=18)
    fig.update_xaxes(tickfont_size=18, title_font_size=20)
    fig.update_yaxes(tickfont_size=18, title_font_size=20)
    return fig


def trim_boundaries(fig: go.Figure) -> go.Figure:
    """Each map trace keeps only the boundaries of its own locations: a class layer of five
    provinces need not carry all 34 (the map page's traces each embed the whole GeoJSON, which
    made one slide map 2.4 MB of JSON in the take-home HTML)."""
    for trace in fig.data:
        gj = getattr(trace, "geojson", None)
        if trace.type != "choroplethmap" or not isinstance(gj, dict) or "features" not in gj:
            continue
        path = (trace.featureidkey or "id").split(".")
        wanted = {str(x) for x in (trace.locations or ())}

        def key(feature: dict, path: list[str] = path) -> str:
            for part in path:
                feature = feature.get(part, {}) if isinstance(feature, dict) else {}
            return str(feature)

        trace.geojson = {
            "type": "FeatureCollection",
            "features": [x for x in gj["features"] if key(x) in wanted],
        }
    return fig


def sized(figs: list[go.Figure], facts: bool = False) -> list[go.Figure]:
    size = HALF if len(figs) > 1 else UNDER_FACTS if facts else FULL
    return [for_slide(trim_boundaries(f), size) for f in figs]


def sep(lang: str) -> str:
    return "、" if lang == "zh" else ", "


def province_list(codes: tuple[str, ...] | list[str], lang: str, in_sentence: bool = False) -> str:
    if not codes:
        return t("deck.all_provinces" if in_sentence else "filters.provinces.all", lang)
    return sep(lang).join(geo.province_name(a, lang, short=True) for a in codes)


def subtitle(f: Filters, lang: str, *more: str) -> str:
    parts = [
        t("deck.sub.period", lang, start=format_month(f.date_from, lang), end=format_month(f.date_to, lang)),
        province_list(f.provinces, lang),
    ]
    if f.categories:
        parts.append(sep(lang).join(t(f"category.{c}", lang) for c in f.categories))
    parts.append(t(f"metric.{f.metric}", lang))
    return " · ".join([*parts, *[m for m in more if m]])


# -- reading page params ------------------------------------------------------------------------------
def choice(params: dict[str, str], name: str, allowed: tuple, default: object) -> object:
    """The param's value among `allowed` (compared as text), the default when absent, else a problem."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    for a in allowed:
        if str(a) == raw:
            return a
    raise SlideProblem("deck.problem.param", param=name, value=raw)


def month_param(params: dict[str, str], name: str, months: list[date], default: date) -> date:
    raw = params.get(name)
    if not raw:
        return default
    try:
        d = month_start(date.fromisoformat(f"{raw}-01" if len(raw) == 7 else raw))
    except ValueError:
        d = None
    if d not in months:
        raise SlideProblem("deck.problem.param", param=name, value=raw)
    return d


def mean(s: pd.Series) -> float:
    return float(s.mean()) if len(s) else float("nan")


# -- overview ------------------------------------------------------------------------------------------
def overview(store: Store, f: Filters, params: dict[str, str], lang: str) -> Built:
    show = choice(params, "show", ("headline", "growth", "map"), "headline")
    members = store.memberships()
    if show == "headline":
        return _headline(store, f, lang)
    series = store.monthly_series(f)
    if len(members):  # no alliance clues can predate the alliance
        founded = pd.Timestamp(members.joined_on.min()).to_period("M").to_timestamp()
        series = series[series.month >= founded]
    monthly = charts.monthly_figure(series, lang)
    if show == "map":
        values = store.by_province(f, f.metric)
        codes = set(members.loc[members.joined_on <= f.date_to, "province_adcode"])
        fig = charts.province_map_figure(values, f.metric, codes, f.date_to, lang, boundaries=None)
        fig.update_layout(map_zoom=2.9)
        top = values.dropna().sort_values("value").iloc[-1]
        notes = t(
            "deck.notes.map",
            lang,
            month=t(
                "deck.sub.period",
                lang,
                start=format_month(f.date_from, lang),
                end=format_month(f.date_to, lang),
            ),
            metric=charts_trends.metric_text(f.metric, lang),
            top=geo.province_name(top.adcode, lang, short=True),
            top_value=format_metric(f.metric, top.value, lang),
            n=len(codes),
        )
        title = t("deck.title.overview_map", lang, metric=t(f"metric.{f.metric}", lang))
        return Built(title, subtitle(f, lang), notes, sized([fig, monthly]))
    joined = members[members.joined_on <= f.date_to]
    if joined.empty:
        raise SlideProblem(
            "deck.problem.no_data",
            provinces=province_list(f.provinces, lang, in_sentence=True),
            start=format_date(f.date_from, lang),
            end=format_date(f.date_to, lang),
        )
    timeline = charts.timeline_figure(members, store.manifest.as_of, lang)
    name = lambda r: geo.province_name(r.province_adcode, lang, short=True)  # noqa: E731
    first, last = joined.iloc[0], joined.iloc[-1]
    notes = t(
        "deck.notes.growth",
        lang,
        first=name(first),
        first_date=format_date(first.joined_on, lang),
        end=format_date(f.date_to, lang),
        n=len(joined),
        last=name(last),
        last_date=format_date(last.joined_on, lang),
        early=format_number(mean(series.clues.head(6)), lang),
        late=format_number(mean(series.clues.tail(6)), lang),
    )
    n_illustrative = int(joined.illustrative.sum())
    if n_illustrative:
        notes += ("" if lang == "zh" else " ") + t("deck.notes.illustrative", lang, k=n_illustrative)
    return Built(t("deck.title.growth", lang), subtitle(f, lang), notes, sized([timeline, monthly]))


def _headline(store: Store, f: Filters, lang: str) -> Built:
    now = store.alliance_totals(f)
    facts = [
        (
            t(f"metric.{m}", lang),
            format_money(now[m], lang) if m == "seizure" else format_number(now[m], lang),
        )
        for m in ("clues", "cases", "suspects", "seizure")
    ]
    share = lambda a, b: f"{a / b:.0%}" if b else "—"  # noqa: E731
    notes = t(
        "deck.notes.headline",
        lang,
        start=format_date(f.date_from, lang),
        end=format_date(f.date_to, lang),
        clues=format_number(now["clues"], lang),
        conv=share(now["clues_with_case"], now["clues"]),
        cases=format_number(now["cases"], lang),
        arrest_share=share(now["cases_with_suspects"], now["cases"]),
        suspects=format_number(now["suspects"], lang),
        seizure=format_money(now["seizure"], lang),
    )
    fig = charts.funnel_figure(now, lang)
    return Built(t("deck.title.headline", lang), subtitle(f, lang), notes, sized([fig], facts=True), facts)


# -- before and after joining -------------------------------------------------------------------------
def trends_page(store: Store, f: Filters, params: dict[str, str], lang: str) -> Built:
    options = trends.TrendOptions(
        comparison=choice(params, "compare", trends.COMPARISONS, "notyet"),
        anticipation=choice(params, "anticipation", (0, 1, 2, 3), 0),
        window=choice(params, "es_window", trends.WINDOWS, 12),
        quarters=choice(params, "es_bin", ("month", "quarter"), "month") == "quarter",
        uniform=choice(params, "es_band", ("0", "1"), "0") == "1",
    )
    panel = trends.build_panel(store, trends.panel_filters(f))
    est = trends.estimate(panel, f.metric, options)
    if not est.ok:
        problem = dict(est.problem.params)
        if "provinces" in problem:
            problem["provinces"] = province_list(list(problem["provinces"]), lang, in_sentence=True)
        if est.problem.key == "trends.problem.clues":  # the page's text points at charts below it
            raise SlideProblem("deck.problem.trends_clues")
        raise SlideProblem(est.problem.key, **problem)
    o, pct = est.overall, charts_trends.pct
    facts = [
        (t("deck.fact.effect", lang), pct(o["att"], 1)),
        (t("deck.fact.interval", lang), f"{pct(o['lo'], 1)} … {pct(o['hi'], 1)}"),
        (t("deck.fact.provinces", lang), str(o["provinces"])),
    ]
    fig = charts_trends.event_study_figure(est, lang)
    title = t("deck.title.trends", lang, metric=charts_trends.metric_text(f.metric, lang))
    notes = charts_trends.summary(est, f.metric, lang)
    return Built(title, subtitle(f, lang), notes, sized([fig], facts=True), facts)
