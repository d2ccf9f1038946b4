"""Clues, cases and suspects, calibrated to the public figures by construction.

Clues go only to members, only after they join, to the province where the targeted chain part
sits; most become a case within a few months. The clue count is drawn inside the target range,
suspects are allocated to alliance cases with one multinomial draw so the total is exact, and
seizures are rescaled to the target sum. All other cases form a province x month panel (every
mainland province, every month) with seasonality, noise and the planted effect of joining.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from cloudsword.errors import ConfigError
from cloudsword.schema import CATEGORIES, CLUE_STATUSES, ENTITY_KINDS, SUSPECT_ROLES
from cloudsword.synth.chains import DEALER, FACTORY, OPERATOR, SHOP, WAREHOUSE, Chains
from cloudsword.synth.config import AllianceConfig
from cloudsword.synth.world import Calendar, Places, day, grouped_choice, weighted_choice

CASE_OPENED, UNDER_INVESTIGATION, NO_CASE = (
    CLUE_STATUSES.index(s) for s in ("case_opened", "under_investigation", "no_case")
)
ALLIANCE, LOCAL, COMPLAINT = 0, 1, 2  # index into schema.CASE_SOURCES
ROLE_OF_KIND = {
    SHOP: "operator",
    OPERATOR: "operator",
    FACTORY: "manufacturer",
    WAREHOUSE: "warehouse_keeper",
    DEALER: "dealer",
}
ACCOMPLICE = SUSPECT_ROLES.index("accomplice")


_CASE_DTYPES = {
    "clue": np.int32,
    "source": np.int8,
    "province": np.int16,
    "city": np.int32,
    "opened": np.int32,
    "category": np.int8,
    "suspects": np.int32,
    "seizure": np.float64,
    "facilities": np.int32,
}


@dataclass
class Clues:
    issued: np.ndarray  # int32 day
    entity: np.ndarray
    province: np.ndarray
    category: np.ndarray
    status: np.ndarray
    opened: np.ndarray  # day the resulting case opened, -1 without a case


@dataclass
class Cases:
    """All cases, sorted by day; clue is an index into Clues or -1."""

    clue: np.ndarray
    source: np.ndarray
    province: np.ndarray
    city: np.ndarray
    opened: np.ndarray
    category: np.ndarray
    suspects: np.ndarray
    seizure: np.ndarray
    facilities: np.ndarray


@dataclass
class Suspects:
    case: np.ndarray  # index into Cases
    entity: np.ndarray  # -1: no chain entity (an accomplice)
    role: np.ndarray
    caught: np.ndarray


def _scaled_range(lo: float, hi: float, scale: float) -> tuple[int, int]:
    return round(lo * scale), max(round(lo * scale), round(hi * scale))


def build_clues(
    rng: np.random.Generator,
    config: AllianceConfig,
    places: Places,
    cal: Calendar,
    chains: Chains,
    scale: float,
) -> Clues:
    """Clues per member and month, growing as the platform's mining matures."""
    members = config.members
    p_idx = places.index([m.adcode for m in members])
    target_kinds = np.array([ENTITY_KINDS.index(k) for k, _ in config.clue_targets])
    kind_w = np.array([w for _, w in config.clue_targets])
    candidate = np.isin(chains.kind, target_kinds) & (chains.ring >= 0)
    presence = np.bincount(chains.province[candidate], minlength=places.count)[p_idx] ** 0.6

    join = np.array([day(m.joined_on) for m in members])
    join_month = cal.month_of(join)
    lo = np.maximum(cal.month_start[None, :], join[:, None])  # (members, months)
    hi = (cal.month_start + cal.month_days)[None, :].repeat(len(members), 0)
    first_join = join.min()
    growth = 1 + 2.0 * np.clip((cal.month_start - first_join) / max(cal.end - first_join, 1), 0, 1)
    since = np.arange(cal.months)[None, :] - join_month[:, None]
    warmup = 0.5 + 0.5 * np.clip((since + 1) / 3, 0, 1)
    base = presence[:, None] * growth[None, :] * warmup / cal.month_days[None, :]

    issued, member = [], []
    target = _scaled_range(*config.calibration.clues, scale)
    n_pre = int(rng.integers(target[0], target[1] + 1))
    pre = (lo, np.minimum(hi, cal.as_of))
    post = (np.maximum(lo, cal.as_of), hi)
    w = [base * np.maximum(b - a, 0) for a, b in (pre, post)]
    if w[0].sum() <= 0:
        raise ConfigError(
            "error.config_value",
            file=config.file,
            field="members",
            detail="no member has joined before as_of, so no clues can be calibrated",
        )
    counts = [rng.multinomial(n_pre, (w[0] / w[0].sum()).ravel())]
    n_post = int(rng.poisson(n_pre * w[1].sum() / w[0].sum())) if w[1].sum() > 0 else 0
    counts.append(
        rng.multinomial(n_post, (w[1] / w[1].sum()).ravel()) if n_post else np.zeros(w[1].size, int)
    )
    for (a, b), c in zip((pre, post), counts, strict=True):
        cell = np.repeat(np.arange(c.size), c)
        a, b = a.ravel()[cell], b.ravel()[cell]
        issued.append(a + (rng.random(len(cell)) * (b - a)).astype(np.int64))
        member.append(cell // cal.months)
    issued, member = np.concatenate(issued), np.concatenate(member)
    order = np.lexsort((member, issued))
    issued, province = issued[order], p_idx[member[order]]
    kind = target_kinds[weighted_choice(rng, kind_w / kind_w.sum(), len(issued))]
    entity = _target_entities(rng, chains, candidate, province, kind, issued, config.file)
    np.minimum.at(chains.first_seen, entity, issued.astype(np.int32))  # known no later than its clue

    lag = np.floor(rng.triangular(0, 0, 30.44 * config.lag_months + 1, len(issued))).astype(np.int64)
    opened = issued + lag
    has_case = (rng.random(len(issued)) < config.case_rate) & (opened <= cal.end)
    recent = (issued > cal.end - 120) | (rng.random(len(issued)) < 0.15)
    status = np.where(has_case, CASE_OPENED, np.where(recent, UNDER_INVESTIGATION, NO_CASE))
    return Clues(
        issued.astype(np.int32),
        entity,
        province,
        chains.category[entity],
        status.astype(np.int8),
        np.where(has_case, opened, -1).astype(np.int32),
    )


def _target_entities(
    rng: np.random.Generator,
    chains: Chains,
    candidate: np.ndarray,
    province: np.ndarray,
    kind: np.ndarray,
    issued: np.ndarray,
    file: str,
) -> np.ndarray:
    """A chain part of the wanted kind in the clue's province, preferably already seen by then."""
    big = 1 << 21
    cand = np.flatnonzero(candidate)
    group = chains.province[cand] * 8 + chains.kind[cand]
    key = group * big + chains.first_seen[cand]
    order = np.argsort(key, kind="stable")
    cand, key = cand[order], key[order]
    g = province * 8 + kind
    start = np.searchsorted(key, g * big)
    seen = np.searchsorted(key, g * big + issued, side="right")
    stop = np.searchsorted(key, (g + 1) * big)
    stop = np.where(seen > start, seen, stop)
    # No part of that kind there: any candidate in the province (members always have some).
    by_prov = np.argsort(chains.province[cand], kind="stable")
    prov_sorted = chains.province[cand][by_prov]
    empty = stop <= start
    if empty.any():
        p0 = np.searchsorted(prov_sorted, province[empty])
        p1 = np.searchsorted(prov_sorted, province[empty], side="right")
        if (p1 <= p0).any():
            raise ConfigError(
                "error.config_value",
                file=file,
                field="scale",
                detail="too small: a member has no chain entities to receive clues",
            )
        pos = p0 + (rng.random(int(empty.sum())) * (p1 - p0)).astype(np.int64)
        out = np.empty(len(g), dtype=np.int64)
        out[empty] = cand[by_prov[pos]]
        full = ~empty
        out[full] = cand[
            start[full] + (rng.random(int(full.sum())) * (stop[full] - start[full])).astype(np.int64)
        ]
        return out
    return cand[start + (rng.random(len(g)) * (stop - start)).astype(np.int64)]


def _alliance_cases(
    rng: np.random.Generator,
    config: AllianceConfig,
    cal: Calendar,
    chains: Chains,
    clues: Clues,
    scale: float,
) -> dict[str, np.ndarray]:
    """One case per clue that led to one; suspects and seizures hit the targets exactly."""
    clue = np.flatnonzero(clues.opened >= 0)
    opened = clues.opened[clue].astype(np.int64)
    pre = opened < cal.as_of
    if not pre.any():
        raise ConfigError(
            "error.config_value",
            file=config.file,
            field="scale",
            detail="too small: no alliance case opens before as_of",
        )
    raw = rng.lognormal(0.0, 1.5, len(clue))
    lo, hi = config.calibration.seized_cny
    seized_total = rng.uniform(lo + 0.15 * (hi - lo), hi - 0.15 * (hi - lo)) * scale
    seizure = np.round(raw / raw[pre].sum() * seized_total, -2)
    weight = (raw / raw.mean()) ** 0.4 * rng.lognormal(0.0, 0.4, len(clue))
    suspects = np.zeros(len(clue), dtype=np.int64)
    n_pre = round(config.calibration.suspects_caught * scale)
    suspects[pre] = rng.multinomial(n_pre, weight[pre] / weight[pre].sum())
    if (~pre).any():
        n_post = round(n_pre * (~pre).sum() / pre.sum())
        suspects[~pre] = rng.multinomial(n_post, weight[~pre] / weight[~pre].sum())
    kind = chains.kind[clues.entity[clue]]
    facilities = rng.poisson(0.5, len(clue)) + np.isin(kind, (FACTORY, WAREHOUSE))
    return {
        "clue": clue,
        "source": np.full(len(clue), ALLIANCE),
        "province": clues.province[clue],
        "city": chains.city[clues.entity[clue]],
        "opened": opened,
        "category": clues.category[clue],
        "suspects": suspects,
        "seizure": seizure,
        "facilities": facilities,
    }


def effect_panel(config: AllianceConfig, places: Places, cal: Calendar) -> np.ndarray:
    """(provinces x months) planted log rate ratio, ramping up linearly after joining, plus the
    optional planted pre-trend before joining (pretrend_panel)."""
    eff = np.zeros((places.count, cal.months))
    for m, p in zip(config.members, places.index([m.adcode for m in config.members]), strict=True):
        since = np.arange(cal.months) - cal.month_of(np.array([day(m.joined_on)]))[0]
        eff[p] = m.log_rate_ratio * np.clip((since + 1) / m.ramp_months, 0, 1)
    return eff + pretrend_panel(config, places, cal)


def pretrend_panel(config: AllianceConfig, places: Places, cal: Calendar) -> np.ndarray:
    """(provinces x months) the planted pre-trend in log points: for each member, a drift rising
    linearly over the `months` before joining to `drift` in the month before (and kept after),
    and an oscillation of +/- `oscillation` in alternate months of those months (- in the month
    before joining)."""
    out = np.zeros((places.count, cal.months))
    pre = config.pretrend
    if not pre.planted:
        return out
    k = pre.months
    for m, p in zip(config.members, places.index([m.adcode for m in config.members]), strict=True):
        since = np.arange(cal.months) - cal.month_of(np.array([day(m.joined_on)]))[0]
        before = (since >= -k) & (since < 0)
        out[p] = pre.drift * np.clip((since + k + 1) / k, 0, 1)
        out[p] += pre.oscillation * np.where(before, np.where(since % 2 == 0, 1.0, -1.0), 0.0)
    return out


CHUNK_ROWS = 1 << 21  # the case table is drawn in whole months, about two million rows at a time


@dataclass
class CasePlan:
    """The case table before its other rows are drawn: the alliance cases (one per clue that led
    to one) and how many other cases each province has in each month. `case_chunks` draws the
    rest a few months at a time, so 1e8 cases never sit in memory at once."""

    ally: dict[str, np.ndarray]
    other: np.ndarray  # (provinces x months) cases that came from no clue
    categories: np.ndarray  # (provinces x categories) the category mix of those cases

    @property
    def rows(self) -> int:
        return len(self.ally["clue"]) + int(self.other.sum())

    @property
    def suspects(self) -> int:
        """Rows of the suspect table: the people caught in alliance cases."""
        return int(self.ally["suspects"].sum())


def plan_cases(
    rng: np.random.Generator,
    config: AllianceConfig,
    places: Places,
    cal: Calendar,
    chains: Chains,
    clues: Clues,
    scale: float,
) -> CasePlan:
    """The alliance cases, then every province x month's count of other cases: a Poisson panel
    with seasonality, growth, noise and the planted effect of joining, less the alliance's."""
    ally = _alliance_cases(rng, config, cal, chains, clues, scale)
    years = (cal.month_start - cal.start) / 365.25
    lam = (
        places.economy[:, None]
        * (cal.seasonality() * np.exp(0.08 * years) * cal.month_days / 30.44)[None, :]
        * np.exp(effect_panel(config, places, cal))
    )
    lam *= config.volumes.cases * scale / lam.sum()
    noise = np.exp(np.clip(rng.normal(0.0, 0.1, lam.shape), -0.25, 0.25))
    total = rng.poisson(lam * noise)
    flat_ally = np.bincount(ally["province"] * cal.months + cal.month_of(ally["opened"]), minlength=lam.size)
    other = np.maximum(total.ravel() - flat_ally, 1).reshape(lam.shape)  # every province, every month
    mix = np.array([dict(config.categories).get(c, 0.0) for c in CATEGORIES])
    spec = np.zeros((len(CATEGORIES), places.count))
    for s in config.specialisms:
        spec[CATEGORIES.index(s.category)] = places.weights(s.provinces, others=0.25)
    cat_table = mix[None, :] * (1 + 4 * spec.T)
    return CasePlan(ally, other, cat_table / cat_table.sum(axis=1, keepdims=True))


def month_groups(per_month: np.ndarray, max_rows: int) -> list[tuple[int, int]]:
    """Consecutive months [m0, m1) of at most `max_rows` rows each (at least one month)."""
    groups, m0, rows = [], 0, 0
    for m, n in enumerate(per_month):
        if m > m0 and rows + n > max_rows:
            groups.append((m0, m))
            m0, rows = m, 0
        rows += int(n)
    groups.append((m0, len(per_month)))
    return groups


def case_chunks(
    rng: np.random.Generator, plan: CasePlan, places: Places, cal: Calendar, max_rows: int | None = None
) -> Iterator[Cases]:
    """The case table in order (by day, then province), a few whole months at a time (at most
    `max_rows`, default CHUNK_ROWS). A table that fits in one chunk draws exactly what drawing it
    whole would."""
    ally = plan.ally
    ally_month = cal.month_of(ally["opened"])
    per_month = plan.other.sum(axis=0) + np.bincount(ally_month, minlength=cal.months)
    for m0, m1 in month_groups(per_month, max_rows or CHUNK_ROWS):
        # Month-major cells, so rows come out roughly in time order.
        counts = plan.other[:, m0:m1].T.ravel()
        cell = np.repeat(np.arange(counts.size, dtype=np.int32), counts)
        province, month = (cell % places.count).astype(np.int16), m0 + cell // places.count
        del cell
        n = len(province)
        opened = (cal.month_start[month] + (rng.random(n) * cal.month_days[month])).astype(np.int32)
        del month
        local = rng.random(n) < 0.68
        rows = {
            "clue": np.full(n, -1, np.int32),
            "source": np.where(local, LOCAL, COMPLAINT),
            "province": province,
            "city": places.sample_cities(rng, province),
            "opened": opened,
        }
        rows["category"] = grouped_choice(rng, province, plan.categories)
        rows["suspects"] = rng.poisson(np.where(local, 0.45, 0.2))
        mu = np.where(local, np.log(30000), np.log(8000))
        rows["seizure"] = np.round(np.maximum(100.0, rng.lognormal(mu, 1.3)), -2)
        del mu
        rows["facilities"] = rng.poisson(np.where(local, 0.2, 0.05))
        del local
        rows = {k: v.astype(_CASE_DTYPES[k], copy=False) for k, v in rows.items()}  # small dtypes
        here = (ally_month >= m0) & (ally_month < m1)
        a = {k: v[here] for k, v in ally.items()}
        order = np.argsort(
            np.r_[a["opened"], opened].astype(np.int64) * 64 + np.r_[a["province"], province], kind="stable"
        )
        del province, opened
        out = {}
        for k in list(rows):
            out[k] = np.concatenate([a[k].astype(_CASE_DTYPES[k]), rows.pop(k)])[order]
        yield Cases(**out)


@dataclass
class AllianceCases:
    """The alliance cases where they lie in the case table (`row`), in row order: what the
    suspect table needs of them."""

    row: np.ndarray
    clue: np.ndarray
    suspects: np.ndarray
    opened: np.ndarray

    @classmethod
    def of(cls, cases: Cases, offset: int = 0) -> AllianceCases:
        """Those of a chunk of the case table starting at row `offset`."""
        at = np.flatnonzero(cases.clue >= 0)
        return cls(offset + at, cases.clue[at], cases.suspects[at], cases.opened[at])

    @classmethod
    def concat(cls, parts: list[AllianceCases]) -> AllianceCases:
        fields = ("row", "clue", "suspects", "opened")
        return cls(*(np.concatenate([getattr(p, k) for p in parts]) for k in fields))


def build_suspects(
    rng: np.random.Generator, cal: Calendar, chains: Chains, clues: Clues, alliance: AllianceCases
) -> Suspects:
    """One row per person caught in an alliance case, tied to the chain part they ran."""
    per_case = alliance.suspects
    case = np.repeat(alliance.row, per_case)
    rank = np.arange(len(case)) - np.repeat(np.cumsum(per_case) - per_case, per_case)
    clue_entity = clues.entity[np.repeat(alliance.clue, per_case)]
    kind_choice = np.array([OPERATOR, FACTORY, WAREHOUSE, DEALER])[
        weighted_choice(rng, np.array([0.35, 0.25, 0.2, 0.2]), len(case))
    ]
    other = np.full(len(case), -1)
    for k in (OPERATOR, FACTORY, WAREHOUSE, DEALER):
        rows = np.flatnonzero(kind_choice == k)
        other[rows] = chains.pick(rng, chains.ring[clue_entity[rows]], k)
    other = np.where(rng.random(len(case)) < 0.65, other, -1)
    entity = np.where(rank == 0, clue_entity, other)
    role_of = np.full(len(ENTITY_KINDS), ACCOMPLICE)
    for k, r in ROLE_OF_KIND.items():
        role_of[k] = SUSPECT_ROLES.index(r)
    role = np.where(entity >= 0, role_of[chains.kind[np.maximum(entity, 0)]], ACCOMPLICE)
    opened = np.repeat(alliance.opened, per_case)
    limit = np.where(opened < cal.as_of, min(cal.end, cal.as_of - 1), cal.end)
    caught = np.minimum(opened + rng.integers(0, 10, len(case)), np.maximum(limit, opened))
    return Suspects(case, entity, role.astype(np.int8), caught.astype(np.int32))
