"""The presenter deck: saved views (SlideSpec) resolved into slides (Slide), the default story,
and saved-deck files.

A spec is a permalink, so it can outlive the data it was made on: resolving one never raises.
A view that no longer resolves (unknown page, entity gone, unknown province, no data, bad
parameter) becomes a slide that says so in the deck's language, and the rest of the deck still
renders. Titles and talking points left empty in a spec are filled at build time in the deck's
language, so one story serves both languages.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import pandas as pd

from cloudsword import geo
from cloudsword.deck.spec import PAGES, Built, Slide, SlideProblem, SlideSpec, province_list
from cloudsword.errors import CloudSwordError
from cloudsword.filters import Filters, add_months, month_start
from cloudsword.i18n import LANGS, format_date, t
from cloudsword.map import queries as mapview
from cloudsword.map import slide as deck_map
from cloudsword.network import graph as network
from cloudsword.network import slide as deck_network
from cloudsword.overview import slide as overview_slide
from cloudsword.schema import CATEGORIES
from cloudsword.store import Store
from cloudsword.trends import slide as trends_slide

log = logging.getLogger("cloudsword")
VERSION = 1
STORIES = ("default",)
SHARED_PARAMS = ("lang", "from", "to", "prov", "cat", "metric")
PAGE_PARAMS = {
    "overview": ("show",),
    "map": ("show", "norm", "cls", "scope", "span", "month", "province", "pivot", "window", "cmp"),
    "network": ("entity", "clue", "hops", "rel", "kinds", "hubs", "expand"),
    "trends": ("compare", "anticipation", "es_window", "es_bin", "es_band"),
}
BUILDERS: dict[str, Callable[..., Built]] = {
    "overview": overview_slide.overview,
    "map": deck_map.map_page,
    "network": deck_network.network_page,
    "trends": trends_slide.trends_page,
}


class DeckError(CloudSwordError):
    """A saved deck file that cannot be read, or a deck command asked for something unknown."""


# -- resolving ------------------------------------------------------------------------------------------
def footer(store: Store, lang: str) -> str:
    """The synthetic-data notice (when the data says it is synthetic) and where the data comes from."""
    m = store.manifest
    as_of = format_date(m.as_of, lang)
    raw = m.raw
    source = str(raw.get("source") or store.data_dir.name)
    if m.synthetic and raw.get("generator"):  # the notice already gives the date: keep one line
        line = t(
            "deck.footer.generated",
            lang,
            generator=raw["generator"],
            version=raw.get("generator_version", "?"),
            seed=raw.get("seed", "?"),
        )
    elif raw.get("generator"):
        line = t(
            "deck.footer.source",
            lang,
            source=source,
            generator=raw["generator"],
            version=raw.get("generator_version", "?"),
            seed=raw.get("seed", "?"),
            as_of=as_of,
        )
    else:
        line = t("deck.footer.source_plain", lang, source=source, as_of=as_of)
    return (t("demo.notice", lang, as_of=as_of) + " · " + line) if m.synthetic else line


def _parse(store: Store, spec: SlideSpec, lang: str) -> tuple[Filters, dict[str, str]]:
    """The spec's shared filters (the deck's language wins) and page params; a problem for any
    value that cannot be used. Parameters no page knows are ignored, as the app ignores them."""
    raw = parse_qs(spec.query, keep_blank_values=True)
    page = spec.page
    f, problems = Filters.from_query_params(
        raw,
        store.default_filters(lang),
        set(geo.load_provinces().adcode),
        CATEGORIES,
        PAGE_PARAMS[page],
    )
    for param, value in problems:
        if param == "prov":
            raise SlideProblem("deck.problem.province", value=value)
        if param != "lang":
            raise SlideProblem("deck.problem.param", param=param, value=value)
    return f.with_(lang=lang, extra=()), dict(f.extra)


def _has_data(store: Store, f: Filters) -> bool:
    m = store.monthly(f)
    n = store.run(m.aggregate(n=m.cases.sum() + m.clues.sum()))
    value = n.iloc[0, 0] if isinstance(n, pd.DataFrame) else n
    return bool(pd.notna(value) and value > 0)


def build_slide(store: Store, spec: SlideSpec, lang: str) -> Slide:
    """One spec as a slide in `lang`, masked; never raises (a problem slide instead)."""
    lang = lang if lang in LANGS else "zh"
    foot = footer(store, lang)
    try:
        if spec.page not in PAGES:
            raise SlideProblem("deck.problem.page", page=spec.page, pages=", ".join(PAGES))
        f, params = _parse(store, spec, lang)
        if spec.page != "network" and not _has_data(store, f):
            raise SlideProblem(
                "deck.problem.no_data",
                provinces=province_list(f.provinces, lang, in_sentence=True),
                start=format_date(f.date_from, lang),
                end=format_date(f.date_to, lang),
            )
        built = BUILDERS[spec.page](store, f, params, lang)
    except SlideProblem as p:
        try:
            text = t(p.key, lang, **p.params)
        except (KeyError, IndexError):
            text = t("deck.problem.unexpected", lang, detail=p.key)
        title = spec.title or t("deck.title.problem", lang)
        return Slide(spec, title, notes=spec.notes, problem=text, footer=foot)
    except Exception as exc:  # noqa: BLE001 - one broken slide must not take the deck down
        log.exception("slide %r could not be built", spec.view)
        detail = type(exc).__name__
        title = spec.title or t("deck.title.problem", lang)
        text = t("deck.problem.unexpected", lang, detail=detail)
        return Slide(spec, title, notes=spec.notes, problem=text, footer=foot)
    return Slide(
        spec,
        spec.title or built.title,
        built.subtitle,
        spec.notes or built.notes,
        built.figures,
        built.facts,
        footer=foot,
    )


def build_deck(store: Store, specs: Sequence[SlideSpec], lang: str) -> list[Slide]:
    """Every spec resolved; a failure stays on its own slide."""
    return [build_slide(store, spec, lang) for spec in specs]


# -- the default story ---------------------------------------------------------------------------------
def default_story(store: Store, lang: str = "zh") -> list[SlideSpec]:
    """Headline figures -> how the alliance grew -> the map -> one seller network -> before and after.

    Every choice comes from the data: the map shows the month after the latest member with a public
    join date joined (the alliance at full strength, and that member's before and after), and the
    network is the widest one a slide can show (see _story_network). Titles and notes
    are left empty so build_slide writes them in whichever language the deck is shown in (`lang`
    is accepted for symmetry with build_deck and does not change the specs).
    """
    specs = [SlideSpec("overview"), SlideSpec("overview?show=growth")]
    map_view = _story_map(store)
    if map_view:
        specs.append(SlideSpec(map_view))
    seed = _story_network(store)
    if seed:
        specs.append(SlideSpec("network?" + urlencode({"entity": seed})))
    specs.append(SlideSpec("trends?metric=cases"))
    return specs


def _story_map(store: Store) -> str:
    f = store.default_filters()
    months = mapview.months(f)
    mem = store.memberships()
    mem = mem[[month_start(d) in months for d in mem.joined_on]]
    if mem.empty:
        return f"map?metric=cases&month={months[-1]:%Y-%m}"
    public = mem[~mem.illustrative.astype(bool)]
    pick = (public if len(public) else mem).iloc[-1]  # oldest first: the latest join
    month = min(add_months(pick.joined_on, 1), months[-1])
    return "map?" + urlencode(
        {"metric": "cases", "month": f"{month:%Y-%m}", "province": pick.province_adcode}
    )


def _story_network(store: Store, hops: int = 2) -> str | None:
    """In the linked group of entities spanning most provinces (ties: most entities), the shop
    whose network as the page first shows it (`hops`, shared hubs not expanded) spans most
    provinces, then holds most entities: the widest picture one slide can give."""
    comp = mapview.network_components(store)
    if comp.empty:
        return None
    size = comp.groupby("network").agg(
        entities=("entity_id", "size"), provinces=("province_adcode", "nunique")
    )
    best = size.sort_values(["provinces", "entities"], ascending=False, kind="stable").index[0]
    members = comp[comp.network == best]
    shops = members[members.kind == "shop"]
    candidates = sorted((shops if len(shops) else members).entity_id)
    g = network.graph_from_store(store)
    hubs = g.hubs()

    def reach(entity: str) -> tuple[int, int]:
        e = network.ego(g, g.find(entity), hops, stop_at=hubs, with_links=False)
        return len(set(g.province[e.nodes])), len(e)

    return max(candidates, key=reach)  # max keeps the first (lowest id) of equals


def story(store: Store, name: str, lang: str) -> list[SlideSpec]:
    if name not in STORIES:
        raise DeckError("deck.error.story", story=name, stories=", ".join(STORIES))
    return default_story(store, lang)


# -- saved decks ----------------------------------------------------------------------------------------
def dumps(specs: Sequence[SlideSpec]) -> str:
    """A deck as JSON text: {"version": 1, "slides": [{"view", "title", "notes"}, ...]}."""
    return json.dumps(
        {"version": VERSION, "slides": [s.to_dict() for s in specs]}, ensure_ascii=False, indent=2
    )


def loads(text: str | bytes, source: str = "deck.json") -> list[SlideSpec]:
    """The specs of a saved deck; DeckError naming what is wrong for anything that is not one."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        raw = json.loads(text)
    except UnicodeDecodeError:
        raise DeckError("deck.error.not_text", file=source) from None
    except json.JSONDecodeError as exc:
        raise DeckError("deck.error.not_json", file=source, line=exc.lineno, col=exc.colno) from None
    if not isinstance(raw, dict) or "slides" not in raw or "version" not in raw:
        raise DeckError("deck.error.not_deck", file=source)
    if raw["version"] != VERSION or isinstance(raw["version"], bool):
        raise DeckError("deck.error.version", file=source, version=raw["version"])
    if not isinstance(raw["slides"], list):
        raise DeckError("deck.error.slides", file=source)
    specs = []
    for n, item in enumerate(raw["slides"], start=1):
        if not isinstance(item, dict) or not isinstance(item.get("view"), str) or not item["view"].strip():
            raise DeckError("deck.error.slide", file=source, n=n)
        for name in ("title", "notes"):
            if item.get(name) is not None and not isinstance(item[name], str):
                raise DeckError("deck.error.slide_field", file=source, n=n, field=name)
        specs.append(SlideSpec.from_dict({**item, "view": item["view"].strip()}))
    return specs


def load(path: Path | str) -> list[SlideSpec]:
    """A saved deck file (loads, with the file's name in any message)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DeckError("deck.error.missing", file=str(path)) from None
    except OSError as exc:
        raise DeckError(
            "deck.error.file", file=str(path), detail=exc.strerror or type(exc).__name__
        ) from None
    return loads(data, source=str(path))
