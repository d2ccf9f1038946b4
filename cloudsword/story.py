"""The presenter deck's story: saved views (SlideSpec) resolved into slides (Slide) by each
feature's slide builder, and the default story chosen from the data. Above the features: the
one place besides the pages that combines them.

A spec is a permalink, so it can outlive the data it was made on: resolving one never raises.
A view that no longer resolves (unknown page, entity gone, unknown province, no data, bad
parameter) becomes a slide that says so in the deck's language, and the rest of the deck still
renders. Titles and talking points left empty in a spec are filled at build time in the deck's
language, so one story serves both languages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from urllib.parse import parse_qs

import pandas as pd

from cloudsword import geo
from cloudsword.deck import saved
from cloudsword.deck.saved import DeckError
from cloudsword.deck.spec import PAGES, Built, Slide, SlideProblem, SlideSpec, no_data
from cloudsword.filters import Filters, add_months, month_start
from cloudsword.i18n import LANGS, format_date, t
from cloudsword.map import queries as map_queries
from cloudsword.map import slide as map_slide
from cloudsword.map.params import MapParams, months
from cloudsword.network import graph
from cloudsword.network import slide as network_slide
from cloudsword.network.params import NetworkParams
from cloudsword.overview import slide as overview_slide
from cloudsword.overview.params import OverviewParams
from cloudsword.params import Query, permalink
from cloudsword.schema import CATEGORIES
from cloudsword.store import Store
from cloudsword.trends import slide as trends_slide

log = logging.getLogger("cloudsword")
STORIES = ("default",)
BUILDERS: dict[str, Callable[[Store, Filters, Query, str], Built]] = {
    "overview": overview_slide.slide,
    "map": map_slide.slide,
    "network": network_slide.slide,
    "trends": trends_slide.slide,
}


# -- resolving ------------------------------------------------------------------------------------------
def footer(store: Store, lang: str) -> str:
    """What every slide says about its data, for the room: demonstration data (when it is
    synthetic) or its source, and the date the data runs to. The generator and its seed stay in
    the file's metadata (`provenance`)."""
    m = store.manifest
    as_of = format_date(m.as_of, lang)
    if m.synthetic:
        return t("deck.footer.demo", lang, as_of=as_of)
    source = str(m.raw.get("source") or store.data_dir.name)
    return t("deck.footer.source_plain", lang, source=source, as_of=as_of)


def provenance(store: Store, lang: str) -> str:
    """Where the data comes from, in full (generator, version, seed): a deck file's metadata."""
    m, as_of = store.manifest, format_date(store.manifest.as_of, lang)
    raw = m.raw
    source = str(raw.get("source") or store.data_dir.name)
    if not raw.get("generator"):
        return t("deck.footer.source_plain", lang, source=source, as_of=as_of)
    return t(
        "deck.provenance",
        lang,
        source=source,
        generator=raw["generator"],
        version=raw.get("generator_version", "?"),
        seed=raw.get("seed", "?"),
        as_of=as_of,
    )


def _parse(store: Store, spec: SlideSpec) -> tuple[Filters, Query]:
    """The spec's shared filters and its whole query (each feature reads its own parameters); a
    problem for a filter value that cannot be used. The deck's language wins over the view's."""
    query = parse_qs(spec.query, keep_blank_values=True)
    f, problems = Filters.from_query(
        query, store.default_filters(), set(geo.load_provinces().adcode), CATEGORIES
    )
    for param, value in problems:
        if param == "prov":
            raise SlideProblem("deck.problem.province", value=value)
        raise SlideProblem("deck.problem.param", param=param, value=value)
    return f, query


def _has_data(store: Store, f: Filters) -> bool:
    m = store.monthly(f)
    n = store.run(m.aggregate(n=m.cases.sum() + m.clues.sum()))
    value = n.iloc[0, 0] if isinstance(n, pd.DataFrame) else n
    return bool(pd.notna(value) and value > 0)


def build_slide(store: Store, spec: SlideSpec, lang: str) -> Slide:
    """One spec as a slide in `lang`, masked; never raises (a problem slide instead)."""
    lang = lang if lang in LANGS else "zh"
    foot, source = footer(store, lang), provenance(store, lang)
    try:
        if spec.page not in PAGES:
            raise SlideProblem("deck.problem.page", page=spec.page, pages=", ".join(PAGES))
        f, query = _parse(store, spec)
        if spec.page != "network" and not _has_data(store, f):
            raise no_data(f, f.date_from, f.date_to, lang)
        built = BUILDERS[spec.page](store, f, query, lang)
    except SlideProblem as p:
        try:
            text = t(p.key, lang, **p.params)
        except (KeyError, IndexError):
            text = t("deck.problem.unexpected", lang, detail=p.key)
        title = spec.title or t("deck.title.problem", lang)
        return Slide(spec, title, notes=spec.notes, problem=text, footer=foot, source=source)
    except Exception as exc:  # one broken slide must not take the deck down
        log.exception("slide %r could not be built", spec.view)
        detail = type(exc).__name__
        title = spec.title or t("deck.title.problem", lang)
        text = t("deck.problem.unexpected", lang, detail=detail)
        return Slide(spec, title, notes=spec.notes, problem=text, footer=foot, source=source)
    return Slide(
        spec,
        spec.title or built.title,
        built.subtitle,
        spec.notes or built.notes,
        built.figures,
        built.facts,
        footer=foot,
        source=source,
    )


def build_deck(store: Store, specs: Sequence[SlideSpec], lang: str) -> list[Slide]:
    """Every spec resolved; a failure stays on its own slide. A deck over the slide limit is
    refused before any slide is built (saved.check_size)."""
    saved.check_size(specs)
    return [build_slide(store, spec, lang) for spec in specs]


# -- the default story ---------------------------------------------------------------------------------
def default_story(store: Store) -> list[SlideSpec]:
    """Headline figures -> how the alliance grew -> the map -> one seller network -> before and after.

    Every choice comes from the data: the map shows the month after the latest member with a public
    join date joined (the alliance at full strength, and that member's before and after), and the
    network is the widest one a slide can show (see _story_network). Titles and notes are left
    empty so build_slide writes them in whichever language the deck is shown in.
    """
    specs = [
        SlideSpec(permalink("overview")),
        SlideSpec(permalink("overview", OverviewParams("growth").to_query())),
    ]
    specs.append(SlideSpec(permalink("map", {"metric": "cases"}, _story_map(store).to_query())))
    seed = _story_network(store)
    if seed:
        specs.append(SlideSpec(permalink("network", NetworkParams(entity=seed).to_query())))
    specs.append(SlideSpec(permalink("trends", {"metric": "cases"})))
    return specs


def _story_map(store: Store) -> MapParams:
    in_range = months(store.default_filters())
    mem = store.memberships()
    mem = mem[[month_start(d) in in_range for d in mem.joined_on]]
    if mem.empty:
        return MapParams(month=in_range[-1])
    public = mem[~mem.illustrative.astype(bool)]
    pick = (public if len(public) else mem).iloc[-1]  # oldest first: the latest join
    return MapParams(month=min(add_months(pick.joined_on, 1), in_range[-1]), province=pick.province_adcode)


def _story_network(store: Store, hops: int = 2) -> str | None:
    """In the linked group of entities spanning most provinces (ties: most entities), the shop
    whose network as the page first shows it (`hops`, shared hubs not expanded) spans most
    provinces, then holds most entities: the widest picture one slide can give."""
    comp = map_queries.network_components(store)
    if comp.empty:
        return None
    size = comp.groupby("network").agg(
        entities=("entity_id", "size"), provinces=("province_adcode", "nunique")
    )
    best = size.sort_values(["provinces", "entities"], ascending=False, kind="stable").index[0]
    members = comp[comp.network == best]
    shops = members[members.kind == "shop"]
    candidates = sorted((shops if len(shops) else members).entity_id)
    g = graph.graph_from_store(store)
    hubs = g.hubs()

    def reach(entity: str) -> tuple[int, int]:
        e = graph.ego(g, g.find(entity), hops, stop_at=hubs, with_links=False)
        return len(set(g.province[e.nodes])), len(e)

    return max(candidates, key=reach)  # max keeps the first (lowest id) of equals


def story(store: Store, name: str) -> list[SlideSpec]:
    if name not in STORIES:
        raise DeckError("deck.error.story", story=name, stories=", ".join(STORIES))
    return default_story(store)
