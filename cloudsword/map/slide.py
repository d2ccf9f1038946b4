"""The province-map slides: the map page's classed choropleth at one month (with the selected
province's monthly trend beside it), or its before/after pair, drawn with the page's own builders
(charts_map) over the page's own queries (mapview), boundaries embedded so the file stands alone."""

from __future__ import annotations

from datetime import date

import pandas as pd

from cloudsword import geo
from cloudsword.deck.spec import (
    Built,
    SlideProblem,
    choice,
    mean,
    month_param,
    province_list,
    sized,
    subtitle,
)
from cloudsword.filters import Filters, add_months, month_end, month_start
from cloudsword.i18n import format_date, format_metric, format_month, metric_name, t
from cloudsword.map import charts as charts_map
from cloudsword.map import compare as charts_compare
from cloudsword.map import queries as mapview
from cloudsword.store import Store


def map_page(store: Store, f: Filters, params: dict[str, str], lang: str) -> Built:
    mv = mapview.MapView(
        choice(params, "norm", mapview.NORMS, "total"),
        choice(params, "cls", mapview.CLASSIFIERS, "quantiles"),
        choice(params, "scope", mapview.SCOPES, "all"),
        choice(params, "span", mapview.SPANS, "month"),
    )
    months = mapview.months(f)
    month = month_param(params, "month", months, months[-1])
    province = params.get("province") or None
    if province is not None and province not in set(geo.load_provinces().query("mainland").adcode):
        raise SlideProblem("deck.problem.province", value=province)
    mem = store.memberships()
    joined = dict(zip(mem.province_adcode, mem.joined_on))
    if choice(params, "show", ("map", "compare"), "map") == "compare":
        return _compare(store, f, params, lang, mv, months, mem, joined, province)
    start, end = mapview.period(f, month, mv.span)
    values = mapview.province_values(store, f.over(start, end), start, end, mv.norm, mv.alliance_only)
    if not (values.raw.fillna(0) > 0).any():
        raise SlideProblem(
            "deck.problem.no_data",
            provinces=province_list(f.provinces, lang, in_sentence=True),
            start=format_date(start, lang),
            end=format_date(end, lang),
        )
    bins = mapview.classify(values.value, mv.cls)
    members = {a: d for a, d in joined.items() if d <= month_end(month)}
    metric = t(f"metric.{f.metric}", lang)
    month_text = format_month(month, lang)
    if mv.span == "cumul":
        month_text = t("map.figure.cumul", lang, month=month_text)
    title = t("map.figure", lang, metric=metric, norm=t(f"map.norm.{mv.norm}", lang), month=month_text)
    two = province is not None
    fig = charts_map.map_figure(
        values, mapview.class_of(values.value, bins), bins, f.metric, mv.norm, members, title, lang,
        boundaries=None, zoom=2.75 if two else 3.2, selected=province, legend_below=two,
    )  # fmt: skip
    top = values.dropna(subset=["value"]).sort_values("value").iloc[-1]
    notes = [
        t(
            "deck.notes.map",
            lang,
            month=month_text,
            metric=metric_name(f.metric, lang, in_sentence=True),
            top=geo.province_name(top.adcode, lang, short=True),
            top_value=charts_map.fmt(f.metric, top.value, mv.norm, lang),
            n=len(members),
        )
    ]
    figs = [fig]
    if two:
        name = geo.province_name(province, lang, short=True)
        trend = mapview.province_trend(store, f, province, mv.alliance_only)
        tr_title = t("map.panel.trend", lang, province=name, metric=metric)
        figs.append(charts_map.trend_figure(trend, f.metric, joined.get(province), month, tr_title, lang))
        notes.append(_province_note(trend, joined.get(province), month, name, f.metric, lang))
        title_key = "deck.title.map_province"
    else:
        title_key = "deck.title.map"
    slide_title = t(
        title_key,
        lang,
        month=month_text,
        metric=metric,
        province=province_list([province] if two else [], lang),
    )
    more = t(f"map.norm.{mv.norm}", lang)
    return Built(slide_title, subtitle(f, lang, more), ("" if lang == "zh" else " ").join(notes), sized(figs))


def _province_note(
    trend: pd.DataFrame, joined: date | None, month: date, name: str, metric: str, lang: str
) -> str:
    """Before/after in words: the three months before joining against joining to the month shown."""
    if joined is None or month_start(joined) > month:
        return t("deck.notes.map_nonmember", lang, province=name, month=format_month(month, lang))
    j = pd.Timestamp(month_start(joined))
    before = trend[(trend.month < j) & (trend.month >= pd.Timestamp(add_months(j.date(), -3)))].value
    after = trend[(trend.month >= j) & (trend.month <= pd.Timestamp(month))].value
    return t(
        "deck.notes.map_province",
        lang,
        province=name,
        date=format_date(joined, lang),
        w=len(before),
        metric=metric_name(metric, lang, in_sentence=True),
        before=format_metric(metric, mean(before), lang),
        after=format_metric(metric, mean(after), lang),
        month=format_month(month, lang),
    )


def _compare(
    store: Store, f: Filters, params: dict[str, str], lang: str, mv: mapview.MapView,
    months: list[date], mem: pd.DataFrame, joined: dict, province: str | None,
) -> Built:  # fmt: skip
    """The map page's before/after pair (or, with cmp=diff, one map of the change): the same
    window either side of a pivot month."""
    default = month_start(joined[province]) if province in joined else None
    if default not in months:
        later = [month_start(d) for d in joined.values() if month_start(d) in months]
        default = max(later) if later else months[len(months) // 2]
    pivot = month_param(params, "pivot", months, default)
    window = choice(params, "window", (1, 3, 6, 12), 3)
    b_start, b_end = max(add_months(pivot, -window), months[0]), month_end(add_months(pivot, -1))
    a_start, a_end = pivot, month_end(min(add_months(pivot, window - 1), months[-1]))
    if b_end < b_start:
        b_start, b_end = months[0], month_end(months[0])
    vals = [
        mapview.province_values(store, f.over(lo, hi), lo, hi, mv.norm, mv.alliance_only)
        for lo, hi in ((b_start, b_end), (a_start, a_end))
    ]
    if not any((v.raw.fillna(0) > 0).any() for v in vals):
        raise SlideProblem(
            "deck.problem.no_data",
            provinces=province_list(f.provinces, lang, in_sentence=True),
            start=format_date(b_start, lang),
            end=format_date(a_end, lang),
        )
    if choice(params, "cmp", ("pair", "diff"), "pair") == "diff":  # one map of the change per month
        diff = charts_compare.difference_frame(vals[0], vals[1], (b_start, b_end), (a_start, a_end))
        figs = [
            charts_compare.difference_figure(
                diff, f.metric, mv.norm, mem, pivot, lang, periods=((b_start, b_end), (a_start, a_end))
            )
        ]
    else:
        figs = charts_compare.compare_figures(
            vals[0], vals[1], (b_start, b_end), (a_start, a_end), f.metric, mv.norm, mv.cls, mem, lang,
            boundaries=None,
        )  # fmt: skip
    period = lambda lo, hi: t(
        "deck.sub.period", lang, start=format_month(lo, lang), end=format_month(hi, lang)
    )  # noqa: E731
    bp, ap = period(b_start, b_end), period(a_start, a_end)
    notes = t(
        "deck.notes.compare",
        lang,
        before_period=bp,
        after_period=ap,
        metric=metric_name(f.metric, lang, in_sentence=True),
        before=format_metric(f.metric, float(vals[0].raw.sum()), lang),
        after=format_metric(f.metric, float(vals[1].raw.sum()), lang),
    )
    title = t("deck.title.compare", lang, before=bp, after=ap)
    return Built(title, subtitle(f, lang, t(f"map.norm.{mv.norm}", lang)), notes, sized(list(figs)))
