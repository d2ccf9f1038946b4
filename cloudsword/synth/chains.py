"""Counterfeit chains: planted rings of entities spread over provinces, and the links between them.

A ring is one criminal organisation (8-60 entities): shops registered mostly in Zhejiang, an
operator living elsewhere, factories where the product category clusters (footwear in Putian,
electronics in Shenzhen...), storehouses in yet another place. Links are dense inside a ring
and rare across rings; a few shared logistics and payment hubs touch hundreds of rings, as big
couriers and payment processors do. Everything is drawn with array operations per kind, never
per entity or per link, so a million entities take seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cloudsword.schema import CATEGORIES, ENTITY_KINDS, RELATIONS
from cloudsword.synth.config import AllianceConfig
from cloudsword.synth.world import Calendar, Places, grouped_choice, weighted_choice

SHOP, OPERATOR, FACTORY, WAREHOUSE, DEALER, LOGISTICS, PAYMENT = (
    ENTITY_KINDS.index(k)
    for k in ("shop", "operator", "factory", "warehouse", "dealer", "logistics", "payment_account")
)
OPERATES, SUPPLIES, STORES_FOR, SHIPS_TO, PAYS, SHARES_ID = (
    RELATIONS.index(r)
    for r in ("operates", "supplies", "stores_for", "ships_to", "pays", "shares_identifier")
)
RING_SIZE = (8, 60)
STAY_HOME = 0.9  # share of a ring's entities located in the ring's province for their role
CROSS_RING_PER_RING = 0.08  # links from one ring to another (a factory supplying a second ring)
HUB_LINKS_PER_RING = 4.0  # mean links from a ring to the shared hubs


@dataclass
class Chains:
    """Entities (row = entity index; hubs last, ring -1) and links (indices into entities)."""

    kind: np.ndarray
    ring: np.ndarray
    category: np.ndarray
    province: np.ndarray
    city: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    first_seen: np.ndarray
    ring_count: int
    offsets: np.ndarray  # (rings, kinds): first entity index of each kind in each ring
    counts: np.ndarray  # (rings, kinds)
    src: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    dst: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    relation: np.ndarray = field(default_factory=lambda: np.empty(0, np.int8))
    link_first: np.ndarray = field(default_factory=lambda: np.empty(0, np.int32))
    link_last: np.ndarray = field(default_factory=lambda: np.empty(0, np.int32))
    evidence: np.ndarray = field(default_factory=lambda: np.empty(0, np.int32))

    def pick(self, rng: np.random.Generator, ring: np.ndarray, kind: int) -> np.ndarray:
        """A random entity of `kind` in each given ring, or -1 where the ring has none."""
        cnt = self.counts[ring, kind]
        idx = self.offsets[ring, kind] + (rng.random(len(ring)) * cnt).astype(np.int64)
        return np.where(cnt > 0, idx, -1)


def ring_sizes(rng: np.random.Generator, total: int) -> np.ndarray:
    """Ring sizes (about 8-60, median ~20) adding up exactly to `total`."""
    lo, hi = RING_SIZE
    sizes = np.clip(np.round(rng.lognormal(np.log(20), 0.55, total // 12 + 8)), lo, hi).astype(np.int64)
    k = int(np.searchsorted(np.cumsum(sizes), total, side="right"))
    sizes = sizes[: max(k, 1)].copy()
    if k == 0:
        return np.array([total], dtype=np.int64)
    np.add.at(sizes, rng.integers(0, k, total - int(sizes.sum())), 1)
    return sizes


def kind_counts(sizes: np.ndarray) -> np.ndarray:
    """(rings x kinds) composition: a few operators, factories, storehouses; shops make up the rest."""
    c = np.zeros((len(sizes), len(ENTITY_KINDS)), dtype=np.int64)
    c[:, OPERATOR] = 1 + (sizes >= 20) + (sizes >= 45)
    c[:, FACTORY] = np.maximum(1, np.round(sizes * 0.08))
    c[:, WAREHOUSE] = np.maximum(1, np.round(sizes * 0.07))
    c[:, DEALER] = np.round(sizes * 0.07)
    c[:, PAYMENT] = np.maximum(1, np.round(sizes * 0.06))
    c[:, LOGISTICS] = sizes >= 30
    c[:, SHOP] = sizes - c.sum(axis=1)
    return c


def _role_provinces(
    rng: np.random.Generator, config: AllianceConfig, places: Places, category: np.ndarray
) -> np.ndarray:
    """(rings x kinds) province of each role: the chain crosses provinces as the report describes."""
    n, econ = len(category), places.economy
    listed = places.weights(config.shop_provinces, others=0.0)
    rest = np.where(listed > 0, 0.0, econ)
    shop_p = (1 - config.shop_elsewhere) * listed + config.shop_elsewhere * rest / rest.sum()
    shop = weighted_choice(rng, shop_p, n)
    operator = weighted_choice(rng, places.population, n)
    again = (operator == shop) & (rng.random(n) < 0.85)  # operators mostly live away from the shop
    operator[again] = weighted_choice(rng, places.population, int(again.sum()))
    spec = np.tile(econ, (len(CATEGORIES), 1))
    for s in config.specialisms:
        spec[CATEGORIES.index(s.category)] = places.weights(s.provinces, others=0.25)
    factory = grouped_choice(rng, category, spec / spec.sum(axis=1, keepdims=True))
    u = rng.random(n)
    warehouse = np.where(u < 0.4, factory, np.where(u < 0.55, shop, weighted_choice(rng, econ, n)))
    dealer = np.where(rng.random(n) < 0.6, weighted_choice(rng, econ, n), factory)
    payment = np.where(rng.random(n) < 0.7, operator, shop)
    out = np.empty((n, len(ENTITY_KINDS)), dtype=np.int64)
    for k, col in (
        (SHOP, shop),
        (OPERATOR, operator),
        (FACTORY, factory),
        (WAREHOUSE, warehouse),
        (DEALER, dealer),
        (LOGISTICS, warehouse),
        (PAYMENT, payment),
    ):
        out[:, k] = col
    return out


def _ensure_presence(
    rng: np.random.Generator,
    config: AllianceConfig,
    places: Places,
    kind: np.ndarray,
    province: np.ndarray,
    ring: np.ndarray,
) -> None:
    """Every member has chain parts of each kind clues point at, so it can receive clues."""
    kinds = [ENTITY_KINDS.index(k) for k, w in config.clue_targets if w > 0]
    kept = np.zeros(len(kind), dtype=bool)  # parts already counted for a member stay there
    for p in places.index([m.adcode for m in config.members]):
        for k in kinds:
            of_kind = (kind == k) & (ring >= 0)
            here = np.flatnonzero(of_kind & (province == p))
            kept[here[:2]] = True
            pool = np.flatnonzero(of_kind & ~kept)
            short = min(2 - len(here), len(pool))
            if short > 0:
                moved = rng.choice(pool, short, replace=False)
                province[moved], kept[moved] = p, True


def build_chains(
    rng: np.random.Generator, config: AllianceConfig, places: Places, cal: Calendar, scale: float
) -> Chains:
    vol = config.volumes
    hubs = max(2, round(vol.hubs * scale**0.5))
    total = max(round(vol.entities * scale), hubs + RING_SIZE[0])
    sizes = ring_sizes(rng, total - hubs)
    rings = len(sizes)
    counts = kind_counts(sizes)
    offsets = (np.cumsum(counts.ravel()) - counts.ravel()).reshape(counts.shape)
    ring = np.r_[np.repeat(np.arange(rings), sizes), np.full(hubs, -1)]
    kind = np.r_[
        np.repeat(np.tile(np.arange(len(ENTITY_KINDS)), rings), counts.ravel()),
        np.where(np.arange(hubs) < np.ceil(hubs * 0.6), LOGISTICS, PAYMENT),
    ]
    n = len(kind)

    cat_w = np.array([w for _, w in config.categories])
    ring_cat = np.array([CATEGORIES.index(c) for c, _ in config.categories])[
        weighted_choice(rng, cat_w / cat_w.sum(), rings)
    ]
    span = cal.end - cal.start
    ring_start = cal.start + (rng.beta(1.0, 1.4, rings) * max(span - 90, 1)).astype(np.int64)
    ring_end = np.minimum(cal.end, ring_start + 200 + rng.exponential(700, rings).astype(np.int64))

    role = _role_provinces(rng, config, places, ring_cat)
    in_ring = ring >= 0
    province = np.empty(n, dtype=np.int64)
    province[in_ring] = role[ring[in_ring], kind[in_ring]]
    strays = in_ring & (rng.random(n) >= STAY_HOME)
    province[strays] = weighted_choice(rng, places.economy, int(strays.sum()))
    # Courier sorting centres in the big economies; settlement accounts where the shops are.
    hub_is_logistics = kind[~in_ring] == LOGISTICS
    logistics_p = places.economy**3 / (places.economy**3).sum()
    payment_p = places.weights(config.shop_provinces, others=0.0)
    province[~in_ring] = np.where(
        hub_is_logistics, weighted_choice(rng, logistics_p, hubs), weighted_choice(rng, payment_p, hubs)
    )
    _ensure_presence(rng, config, places, kind, province, ring)

    category = np.where(in_ring, ring_cat[np.maximum(ring, 0)], 0)
    city = places.sample_cities(rng, province)
    hub_rows = np.flatnonzero(~in_ring)  # hubs sit in big cities: the capital most of the time
    city[hub_rows] = places.sample_cities(rng, province[hub_rows], places.city_base**2)
    for s in config.specialisms:  # factories favour the category's known clusters
        rows = np.flatnonzero((kind == FACTORY) & (category == CATEGORIES.index(s.category)) & in_ring)
        if len(rows) and s.cities:
            boost = np.where(np.isin(places.city_adcode, s.cities), 12.0, 1.0)
            city[rows] = places.sample_cities(rng, province[rows], boost)
    jitter = np.clip(rng.normal(0, 0.06, (2, n)), -0.2, 0.2)
    first_seen = np.where(in_ring, ring_start[np.maximum(ring, 0)] + rng.integers(0, 150, n), cal.start)
    first_seen = np.minimum(first_seen, ring_end[np.maximum(ring, 0)]).astype(np.int32)

    chains = Chains(
        kind,
        ring,
        category,
        province,
        city,
        places.city_lon[city] + jitter[0],
        places.city_lat[city] + jitter[1],
        first_seen,
        rings,
        offsets,
        counts,
    )
    _build_links(rng, chains, config, cal, scale, ring_end, hubs)
    return chains


def _build_links(
    rng: np.random.Generator,
    c: Chains,
    config: AllianceConfig,
    cal: Calendar,
    scale: float,
    ring_end: np.ndarray,
    hubs: int,
) -> None:
    """Structural links per kind, extra identifiers to reach the volume, cross-ring and hub links."""
    parts: list[tuple[np.ndarray, np.ndarray, int]] = []  # entity indices as int32: 3e7 links
    of = {k: np.flatnonzero((c.kind == k) & (c.ring >= 0)) for k in range(len(ENTITY_KINDS))}
    shops, sr = of[SHOP], c.ring[of[SHOP]]

    def add(src: np.ndarray, dst: np.ndarray, rel: int) -> None:
        parts.append((src.astype(np.int32), dst.astype(np.int32), rel))

    add(c.pick(rng, sr, OPERATOR), shops, OPERATES)
    second = rng.random(len(shops)) < 0.3
    add(c.pick(rng, sr[second], OPERATOR), shops[second], OPERATES)
    add(c.pick(rng, c.ring[of[PAYMENT]], OPERATOR), of[PAYMENT], OPERATES)
    for k in (DEALER, WAREHOUSE):
        add(c.pick(rng, c.ring[of[k]], FACTORY), of[k], SUPPLIES)
    dealer = c.pick(rng, sr, DEALER)
    add(
        np.where((dealer >= 0) & (rng.random(len(shops)) < 0.5), dealer, c.pick(rng, sr, FACTORY)),
        shops,
        SUPPLIES,
    )
    add(c.pick(rng, sr, WAREHOUSE), shops, STORES_FOR)
    add(c.pick(rng, c.ring[of[WAREHOUSE]], LOGISTICS), of[WAREHOUSE], SHIPS_TO)
    add(c.pick(rng, sr, LOGISTICS), shops, SHIPS_TO)
    pr = c.ring[of[PAYMENT]]
    add(of[PAYMENT], c.pick(rng, pr, FACTORY), PAYS)
    add(of[PAYMENT], c.pick(rng, pr, DEALER), PAYS)

    sizes = c.counts.sum(axis=1)
    cross = round(CROSS_RING_PER_RING * c.ring_count) if c.ring_count > 1 else 0
    a = rng.integers(0, c.ring_count, cross)
    b = (a + rng.integers(1, max(c.ring_count, 2), cross)) % c.ring_count
    add(c.pick(rng, a, FACTORY), c.pick(rng, b, SHOP), SUPPLIES)

    hub_rings = np.repeat(np.arange(c.ring_count), rng.poisson(HUB_LINKS_PER_RING, c.ring_count))
    zipf = 1.0 / np.arange(1, hubs + 1) ** 0.7
    hub = len(c.kind) - hubs + weighted_choice(rng, zipf / zipf.sum(), len(hub_rings))
    logistics = c.kind[hub] == LOGISTICS
    target = np.where(
        rng.random(len(hub_rings)) < 0.6, c.pick(rng, hub_rings, WAREHOUSE), c.pick(rng, hub_rings, SHOP)
    )
    add(hub[logistics], target[logistics], SHIPS_TO)
    add(hub[~logistics], c.pick(rng, hub_rings[~logistics], PAYMENT), PAYS)

    # Extra identifiers shared inside rings (same phone, ID card, address) fill up to the volume.
    have = sum(int(((s >= 0) & (d >= 0)).sum()) for s, d, _ in parts)
    extra = max(0, round(config.volumes.links * scale * 1.06) - have)
    er = weighted_choice(rng, sizes / sizes.sum(), extra)
    kind_of_extra = rng.random(extra)
    s1, s2 = c.pick(rng, er, SHOP), c.pick(rng, er, SHOP)
    shop_pair = kind_of_extra < 0.55
    add(np.minimum(s1, s2)[shop_pair], np.maximum(s1, s2)[shop_pair], SHARES_ID)
    acct = (kind_of_extra >= 0.55) & (kind_of_extra < 0.75)
    add(s1[acct], c.pick(rng, er[acct], PAYMENT), SHARES_ID)
    sup = kind_of_extra >= 0.75
    add(c.pick(rng, er[sup], FACTORY), s1[sup], SUPPLIES)
    del s1, s2, er, kind_of_extra, shop_pair, acct, sup

    n, keys = len(c.kind), []
    while parts:  # each part's keys, freeing it as we go (3e7 links at scale 1000)
        src, dst, rel = parts.pop(0)
        ok = (src >= 0) & (dst >= 0) & (src != dst)
        keys.append((src[ok].astype(np.int64) * n + dst[ok]) * len(RELATIONS) + rel)
    key = np.concatenate(keys)
    del keys, src, dst, ok
    key = np.unique(key)  # drop duplicate (src, dst, relation); sorted, so deterministic order
    c.relation = (key % len(RELATIONS)).astype(np.int8)
    key //= len(RELATIONS)
    c.src, c.dst = (key // n).astype(np.int32), (key % n).astype(np.int32)
    del key

    owner = np.where(c.ring[c.dst] >= 0, c.ring[c.dst], c.ring[c.src])
    first = np.maximum(c.first_seen[c.src], c.first_seen[c.dst]) + rng.integers(0, 45, len(c.src))
    first = np.minimum(first, cal.end)
    life_end = np.maximum(ring_end[np.maximum(owner, 0)], first)
    last = first + (rng.random(len(c.src)) * (life_end - first + 1)).astype(np.int64)
    c.link_first, c.link_last = first.astype(np.int32), np.minimum(last, cal.end).astype(np.int32)
    busy = np.where(np.isin(c.relation, (PAYS, SHIPS_TO)), 3.0, 1.0)
    c.evidence = (1 + rng.poisson(busy * (1.5 + 2.0 * (c.link_last - c.link_first) / 365))).astype(np.int32)
