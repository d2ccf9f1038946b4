"""The overview as a slide: headline figures and the funnel, how the alliance grew, or the map."""

from __future__ import annotations

from cloudsword import geo
from cloudsword.deck.spec import HALF, SLIDE_LEGEND, Built, checked, mean, no_data, sized, subtitle
from cloudsword.filters import METRICS, Filters
from cloudsword.i18n import (
    format_date,
    format_metric,
    format_money,
    format_month,
    format_number,
    metric_name,
    sentences,
    t,
)
from cloudsword.overview import charts, queries
from cloudsword.overview.params import OverviewParams
from cloudsword.params import Query
from cloudsword.store import Store


def slide(store: Store, f: Filters, query: Query, lang: str) -> Built:
    show = checked(OverviewParams.from_query(query)).show
    members = store.memberships()
    if show == "headline":
        return _headline(store, f, lang)
    series = queries.alliance_series(store, f)
    monthly = charts.monthly_figure(series, lang)
    if show == "map":
        values = queries.by_province(store, f, f.metric)
        codes = set(members.loc[members.joined_on <= f.date_to, "province_adcode"])
        width, height = HALF
        fig = charts.province_map_figure(
            values, f.metric, codes, f.date_to, lang, height, None, width, font=SLIDE_LEGEND
        )
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
        raise no_data(f, f.date_from, f.date_to, lang)
    timeline = charts.timeline_figure(members, store.manifest.as_of, lang)
    first, last = joined.iloc[0], joined.iloc[-1]
    notes = t(
        "deck.notes.growth",
        lang,
        first=geo.province_name(first.province_adcode, lang, short=True),
        first_date=format_date(first.joined_on, lang),
        end=format_date(f.date_to, lang),
        n=len(joined),
        last=geo.province_name(last.province_adcode, lang, short=True),
        last_date=format_date(last.joined_on, lang),
        early=format_number(mean(series.clues.head(6)), lang),
        late=format_number(mean(series.clues.tail(6)), lang),
    )
    n_illustrative = int(joined.illustrative.sum())
    if n_illustrative:
        notes = sentences([notes, t("deck.notes.illustrative", lang, k=n_illustrative)], lang)
    return Built(t("deck.title.growth", lang), subtitle(f, lang), notes, sized([timeline, monthly]))


def _headline(store: Store, f: Filters, lang: str) -> Built:
    now = queries.alliance_totals(store, f)
    facts = [
        (
            t(f"metric.{m}", lang),
            format_money(now[m], lang) if m == "seizure" else format_number(now[m], lang),
        )
        for m in METRICS
    ]
    notes = t(
        "deck.notes.headline",
        lang,
        start=format_date(f.date_from, lang),
        end=format_date(f.date_to, lang),
        clues=format_number(now["clues"], lang),
        conv=_share(now["clues_with_case"], now["clues"]),
        cases=format_number(now["cases"], lang),
        arrest_share=_share(now["cases_with_suspects"], now["cases"]),
        suspects=format_number(now["suspects"], lang),
        seizure=format_money(now["seizure"], lang),
    )
    fig = charts.funnel_figure(now, lang)
    return Built(t("deck.title.headline", lang), subtitle(f, lang), notes, sized([fig], facts=True), facts)


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole else "—"
