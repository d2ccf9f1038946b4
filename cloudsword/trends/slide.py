"""Before and after joining as a slide: the event study with its headline numbers."""

from __future__ import annotations

from cloudsword.deck.spec import Built, SlideProblem, checked, sized, subtitle
from cloudsword.filters import Filters
from cloudsword.i18n import metric_name, t
from cloudsword.params import Query
from cloudsword.store import Store
from cloudsword.trends import analysis, charts
from cloudsword.trends.params import TrendsParams


def slide(store: Store, f: Filters, query: Query, lang: str) -> Built:
    params = checked(TrendsParams.from_query(query))
    panel = analysis.build_panel(store, analysis.panel_filters(f))
    est = analysis.estimate(panel, f.metric, params)
    if not est.ok:
        if est.problem.key == "trends.problem.clues":  # the page's text points at charts below it
            raise SlideProblem("deck.problem.trends_clues")
        raise SlideProblem(est.problem.key, **charts.problem_values(est, panel.joins, lang))
    o, pct = est.overall, charts.pct
    facts = [
        (t("deck.fact.effect", lang), pct(o["att"], 1)),
        (t("deck.fact.interval", lang), f"{pct(o['lo'], 1)} … {pct(o['hi'], 1)}"),
        (t("deck.fact.provinces", lang), str(o["provinces"])),
    ]
    fig = charts.event_study_figure(est, lang)
    title = t("deck.title.trends", lang, metric=metric_name(f.metric, lang, in_sentence=True))
    notes = charts.summary(est, f.metric, lang)
    return Built(title, subtitle(f, lang), notes, sized([fig], facts=True), facts)
