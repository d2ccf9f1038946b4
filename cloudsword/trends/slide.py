"""Before and after joining as a slide: the event study with its headline numbers."""

from __future__ import annotations

from cloudsword.deck.spec import Built, SlideProblem, choice, province_list, sized, subtitle
from cloudsword.filters import Filters
from cloudsword.i18n import metric_name, t
from cloudsword.store import Store
from cloudsword.trends import analysis as trends
from cloudsword.trends import charts as charts_trends


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
    title = t("deck.title.trends", lang, metric=metric_name(f.metric, lang, in_sentence=True))
    notes = charts_trends.summary(est, f.metric, lang)
    return Built(title, subtitle(f, lang), notes, sized([fig], facts=True), facts)
