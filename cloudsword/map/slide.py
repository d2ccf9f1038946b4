"""The province-map slides: the map page's classed choropleth at one month (with the selected
province's monthly trend beside it), or its before/after pair or difference map, drawn with the
page's own builders over the page's own queries, boundaries embedded so the file stands alone."""

from __future__ import annotations

from datetime import date

import pandas as pd

from cloudsword import geo
from cloudsword.deck.spec import (
    FULL,
    HALF,
    SLIDE_LEGEND,
    Built,
    checked,
    mean,
    no_data,
    province_list,
    sized,
    subtitle,
)
from cloudsword.filters import Filters, add_months, month_end, month_start
from cloudsword.i18n import format_date, format_metric, format_month, metric_name, sentences, t
from cloudsword.map import charts, compare, queries
from cloudsword.map.params import MapParams, months
from cloudsword.params import Query
from cloudsword.store import Store


def slide(store: Store, f: Filters, query: Query, lang: str) -> Built:
    in_range = months(f)
    p = checked(MapParams.from_query(query, in_range))
    mem = store.memberships()
    joined = dict(zip(mem.province_adcode, mem.joined_on))
    if p.show == "compare":
        return _compare(store, f, p, lang, in_range, mem, joined)
    month = p.shown_month(in_range)
    start, end = p.period(in_range)
    values = queries.province_values(store, f.over(start, end), start, end, p.norm, p.alliance_only)
    if not (values.raw.fillna(0) > 0).any():
        raise no_data(f, start, end, lang)
    bins = queries.classify(values.value, p.cls, counts=queries.whole(f.metric, p.norm))
    members = {a: d for a, d in joined.items() if d <= month_end(month)}
    metric = t(f"metric.{f.metric}", lang)
    title = charts.map_title(f.metric, p.norm, month, p.span, lang)
    two = p.province is not None
    fig = charts.map_figure(
        values, queries.class_of(values.value, bins), bins, f.metric, p.norm, members, title, lang,
        width=(HALF if two else FULL)[0], height=(HALF if two else FULL)[1], boundaries=None,
        selected=p.province, font=SLIDE_LEGEND,
    )  # fmt: skip
    top = values.dropna(subset=["value"]).sort_values("value").iloc[-1]
    month_text = charts.month_text(month, p.span, lang)
    notes = [
        t(
            "deck.notes.map",
            lang,
            month=month_text,
            metric=metric_name(f.metric, lang, in_sentence=True),
            top=geo.province_name(top.adcode, lang, short=True),
            top_value=charts.fmt(f.metric, top.value, p.norm, lang),
            n=len(members),
        )
    ]
    figs = [fig]
    if two:
        name = geo.province_name(p.province, lang, short=True)
        trend = queries.province_trend(store, f, p.province, p.alliance_only)
        tr_title = t("map.panel.trend", lang, province=name, metric=metric)
        figs.append(charts.trend_figure(trend, f.metric, joined.get(p.province), month, tr_title, lang))
        notes.append(_province_note(trend, joined.get(p.province), month, name, f.metric, lang))
    slide_title = t(
        "deck.title.map_province" if two else "deck.title.map",
        lang,
        month=month_text,
        metric=metric,
        province=province_list([p.province] if two else [], lang),
    )
    more = t(f"map.norm.{p.norm}", lang)
    return Built(slide_title, subtitle(f, lang, more), sentences(notes, lang), sized(figs))


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
    store: Store, f: Filters, p: MapParams, lang: str, in_range: list[date], mem: pd.DataFrame, joined: dict
) -> Built:
    """The map page's before/after pair (or, with cmp=diff, one map of the change): the same
    window either side of a pivot month."""
    before, after, _ = p.windows(in_range, joined)
    vals = [queries.province_values(store, f.over(*x), *x, p.norm, p.alliance_only) for x in (before, after)]
    if not any((v.raw.fillna(0) > 0).any() for v in vals):
        raise no_data(f, before[0], after[1], lang)
    if p.cmp == "diff":  # one map of the change per month
        diff = compare.difference_frame(vals[0], vals[1], before, after)
        pivot = p.pivot_in(in_range, joined)
        figs = [compare.difference_figure(diff, f.metric, p.norm, mem, pivot, lang, periods=(before, after))]
    else:
        figs = list(
            compare.compare_figures(
                vals[0], vals[1], before, after, f.metric, p.norm, p.cls, mem, lang, boundaries=None
            )
        )
    bp, ap = (
        t("deck.sub.period", lang, start=format_month(a, lang), end=format_month(b, lang))
        for a, b in (before, after)
    )
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
    return Built(title, subtitle(f, lang, t(f"map.norm.{p.norm}", lang)), notes, sized(figs))
