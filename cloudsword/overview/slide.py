"""The overview as a slide: headline figures and the funnel, how the alliance grew, or the map."""

from __future__ import annotations

import pandas as pd

from cloudsword import geo
from cloudsword.deck.spec import Built, SlideProblem, choice, mean, province_list, sized, subtitle
from cloudsword.filters import Filters
from cloudsword.i18n import (
    format_date,
    format_metric,
    format_money,
    format_month,
    format_number,
    metric_name,
    t,
)
from cloudsword.overview import charts
from cloudsword.overview import queries as overview_queries
from cloudsword.store import Store


def overview(store: Store, f: Filters, params: dict[str, str], lang: str) -> Built:
    show = choice(params, "show", ("headline", "growth", "map"), "headline")
    members = store.memberships()
    if show == "headline":
        return _headline(store, f, lang)
    series = overview_queries.monthly_series(store, f)
    if len(members):  # no alliance clues can predate the alliance
        founded = pd.Timestamp(members.joined_on.min()).to_period("M").to_timestamp()
        series = series[series.month >= founded]
    monthly = charts.monthly_figure(series, lang)
    if show == "map":
        values = overview_queries.by_province(store, f, f.metric)
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
            metric=metric_name(f.metric, lang, in_sentence=True),
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
    now = overview_queries.alliance_totals(store, f)
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
