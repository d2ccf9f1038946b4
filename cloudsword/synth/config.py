"""The alliance config (data/alliance.toml): members, dates, calibration targets, planted effects.

Everything the demo-data generator assumes lives in this one reviewable file, so the shipped
dataset can be regenerated or varied without touching code. Every mistake is raised as a
ConfigError with a message key and parameters (file, field, ...) so the UI and the CLI can
say what to fix in the user's language.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from cloudsword import geo
from cloudsword.errors import CloudSwordError, ConfigError
from cloudsword.schema import CATEGORIES

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "data" / "alliance.toml"
DEFAULT_SEED = 20170801
CLUE_TARGET_KINDS = ("shop", "operator", "factory", "warehouse", "dealer")
_NON_MAINLAND = ("710000", "810000", "820000")  # Taiwan, Hong Kong, Macao: no alliance members
_SECTIONS = {
    "dataset": {"start", "end", "as_of", "seed"},
    "calibration": {"clues", "suspects_caught", "seized_cny"},
    "effect": {"log_rate_ratio", "ramp_months"},
    "pretrend": {"drift", "oscillation", "months"},
    "scale": {"cases", "entities", "links", "hubs"},
    "clues": {"case_rate", "lag_months", "targets"},
    "categories": set(CATEGORIES),
    "shops": {"provinces", "elsewhere"},
    "specialisms": set(CATEGORIES),
    "members": {"province", "joined_on", "illustrative", "log_rate_ratio", "ramp_months"},
}


@dataclass(frozen=True)
class Member:
    """One alliance member: where, since when, whether the date is public, its planted effect."""

    adcode: str
    name: str  # as written in the config
    joined_on: date
    illustrative: bool
    log_rate_ratio: float
    ramp_months: int


@dataclass(frozen=True)
class Pretrend:
    """An optional planted pre-trend of every member's case rate, before it joins, to check that
    the pre-trend test can see one: a linear `drift` (log points, reached over the `months`
    before joining and kept after) and an `oscillation` (log points, + and - in alternate months
    of those `months`). Written to truth_pretrends; none by default."""

    drift: float = 0.0
    oscillation: float = 0.0
    months: int = 12

    @property
    def planted(self) -> bool:
        return bool(self.drift or self.oscillation)


@dataclass(frozen=True)
class Calibration:
    """Public figures the dataset must reproduce as of `as_of`, at scale 1."""

    clues: tuple[int, int]
    suspects_caught: int
    seized_cny: tuple[float, float]


@dataclass(frozen=True)
class Volumes:
    """Row counts at scale 1."""

    cases: int
    entities: int
    links: int
    hubs: int


@dataclass(frozen=True)
class Specialism:
    """Where factories of one product category cluster: province weights and favoured cities."""

    category: str
    provinces: tuple[tuple[str, float], ...]
    cities: tuple[str, ...]  # city adcodes


@dataclass(frozen=True)
class AllianceConfig:
    """A validated config. Frozen and made of tuples, so it can serve as a cache key."""

    file: str
    sha256: str
    start: date
    end: date
    as_of: date
    seed: int
    members: tuple[Member, ...]
    calibration: Calibration
    log_rate_ratio: float
    ramp_months: int
    volumes: Volumes
    case_rate: float
    lag_months: int
    clue_targets: tuple[tuple[str, float], ...]
    categories: tuple[tuple[str, float], ...]
    shop_provinces: tuple[tuple[str, float], ...]
    shop_elsewhere: float
    specialisms: tuple[Specialism, ...]
    pretrend: Pretrend = Pretrend()

    def member(self, adcode: str) -> Member | None:
        return next((m for m in self.members if m.adcode == adcode), None)


class _Reader:
    """Typed access to the raw TOML that turns every problem into a keyed ConfigError."""

    def __init__(self, file: str):
        self.file = file

    def fail(self, field: str, detail: str) -> ConfigError:
        return ConfigError("error.config_value", file=self.file, field=field, detail=detail)

    def table(self, raw: dict, name: str, field: str) -> dict:
        value = raw.get(name)
        if not isinstance(value, dict):
            raise self.fail(field, "missing section" if value is None else "should be a table")
        allowed = _SECTIONS.get(name)
        if allowed is not None:
            unknown = sorted(set(value) - allowed)
            if unknown:
                raise self.fail(f"{field}.{unknown[0]}", "unknown setting")
        return value

    def get(self, raw: dict, key: str, field: str, default: Any = ...) -> Any:
        if key not in raw:
            if default is ...:
                raise self.fail(field, "missing")
            return default
        return raw[key]

    def date(self, value: Any, field: str) -> date:
        if type(value) is date:  # a TOML date; a datetime (also a date) is not accepted
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise ConfigError("error.bad_date", file=self.file, field=field, value=str(value))

    def number(
        self,
        value: Any,
        field: str,
        *,
        lo: float | None = None,
        hi: float | None = None,
        integer: bool = False,
    ) -> float:
        ok = isinstance(value, int) if integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok:
            raise self.fail(field, f"should be {'a whole number' if integer else 'a number'}, is {value!r}")
        if lo is not None and value < lo:
            raise self.fail(field, f"should be at least {lo}, is {value}")
        if hi is not None and value > hi:
            raise self.fail(field, f"should be at most {hi}, is {value}")
        return value

    def pair(self, value: Any, field: str, integer: bool = False) -> tuple[float, float]:
        if not isinstance(value, list) or len(value) != 2:
            raise self.fail(field, "should be [low, high]")
        lo, hi = (self.number(v, field, lo=0, integer=integer) for v in value)
        if lo > hi:
            raise self.fail(field, f"low {lo} is above high {hi}")
        return lo, hi

    def weights(self, value: Any, field: str) -> dict[str, float]:
        if not isinstance(value, dict) or not value:
            raise self.fail(field, "should be a non-empty table of name = weight")
        out = {str(k): float(self.number(v, f"{field}.{k}", lo=0)) for k, v in value.items()}
        if sum(out.values()) <= 0:
            raise self.fail(field, "weights add up to zero")
        return out

    def province(self, name: Any, field: str) -> str:
        if not isinstance(name, str) or not name.strip():
            raise self.fail(field, f"should be a province name, is {name!r}")
        try:
            adcode = geo.resolve_province(name)
        except CloudSwordError as exc:
            if exc.key != "error.unknown_place":
                raise
            raise ConfigError(
                "error.unknown_province",
                file=self.file,
                name=name,
                suggestions=list(exc.params.get("suggestions") or []),
            ) from None
        if adcode in _NON_MAINLAND:
            raise self.fail(field, f"{name} is not a mainland province")
        return adcode


def _city_adcodes(names: Any, field: str, r: _Reader) -> tuple[str, ...]:
    """Resolve favoured cities in any form geo.resolve_city accepts (莆田, 莆田市, Putian)."""
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise r.fail(field, "should be a list of city names")
    out = []
    for name in names:
        try:
            out.append(geo.resolve_city(name))
        except CloudSwordError as exc:
            if exc.key != "error.unknown_place":
                raise
            hint = ", ".join(map(str, exc.params.get("suggestions") or []))
            raise r.fail(field, f"unknown city '{name}'" + (f" (closest: {hint})" if hint else "")) from None
    return tuple(out)


def load_config(path: str | Path = DEFAULT_CONFIG) -> AllianceConfig:
    """Read and validate an alliance config; raise ConfigError naming the file and the problem."""
    path = Path(path)
    file = str(path)
    try:
        blob = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise ConfigError("error.config_missing", file=file) from None
    try:
        raw = tomllib.loads(blob.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError("error.config_invalid", file=file, detail=str(exc)) from None
    r = _Reader(file)
    unknown = sorted(set(raw) - set(_SECTIONS))
    if unknown:
        raise r.fail(unknown[0], "unknown section")

    ds = r.table(raw, "dataset", "dataset")
    start = r.date(r.get(ds, "start", "dataset.start"), "dataset.start")
    end = r.date(r.get(ds, "end", "dataset.end"), "dataset.end")
    as_of = r.date(r.get(ds, "as_of", "dataset.as_of"), "dataset.as_of")
    seed = int(r.number(r.get(ds, "seed", "dataset.seed", DEFAULT_SEED), "dataset.seed", lo=0, integer=True))
    if end <= start:
        raise r.fail("dataset.end", f"{end} is not after start {start}")
    if (end.year - start.year) * 12 + end.month - start.month < 2:
        raise r.fail("dataset.end", "the range should cover at least three months")
    if not start < as_of:
        raise r.fail("dataset.as_of", f"{as_of} is not after start {start}")

    cal = r.table(raw, "calibration", "calibration")
    clues = r.pair(r.get(cal, "clues", "calibration.clues"), "calibration.clues", integer=True)
    seized = r.pair(r.get(cal, "seized_cny", "calibration.seized_cny"), "calibration.seized_cny")
    calibration = Calibration(
        (int(clues[0]), int(clues[1])),
        int(
            r.number(
                r.get(cal, "suspects_caught", "calibration.suspects_caught"),
                "calibration.suspects_caught",
                lo=0,
                integer=True,
            )
        ),
        (float(seized[0]), float(seized[1])),
    )

    eff = r.table(raw, "effect", "effect")
    llr = float(
        r.number(
            r.get(eff, "log_rate_ratio", "effect.log_rate_ratio", 0.0), "effect.log_rate_ratio", lo=-3, hi=3
        )
    )
    ramp = int(
        r.number(
            r.get(eff, "ramp_months", "effect.ramp_months", 1),
            "effect.ramp_months",
            lo=1,
            hi=60,
            integer=True,
        )
    )

    pretrend = Pretrend()
    if "pretrend" in raw:
        pt = r.table(raw, "pretrend", "pretrend")
        pretrend = Pretrend(
            float(r.number(pt.get("drift", 0.0), "pretrend.drift", lo=-3, hi=3)),
            float(r.number(pt.get("oscillation", 0.0), "pretrend.oscillation", lo=0, hi=3)),
            int(r.number(pt.get("months", 12), "pretrend.months", lo=1, hi=36, integer=True)),
        )

    sc = r.table(raw, "scale", "scale")
    volumes = Volumes(
        *(
            int(r.number(r.get(sc, k, f"scale.{k}"), f"scale.{k}", lo=1, integer=True))
            for k in ("cases", "entities", "links", "hubs")
        )
    )
    if volumes.entities < 20 * volumes.hubs:
        raise r.fail("scale.hubs", "too many hubs for the number of entities")

    cl = r.table(raw, "clues", "clues")
    case_rate = float(r.number(r.get(cl, "case_rate", "clues.case_rate"), "clues.case_rate", lo=0.01, hi=1))
    lag = int(
        r.number(r.get(cl, "lag_months", "clues.lag_months"), "clues.lag_months", lo=0, hi=24, integer=True)
    )
    targets = r.weights(r.get(cl, "targets", "clues.targets"), "clues.targets")
    bad = sorted(set(targets) - set(CLUE_TARGET_KINDS))
    if bad:
        raise r.fail(f"clues.targets.{bad[0]}", f"not one of {', '.join(CLUE_TARGET_KINDS)}")

    categories = r.weights(r.table(raw, "categories", "categories"), "categories")

    sh = r.table(raw, "shops", "shops")
    shop_w = r.weights(r.get(sh, "provinces", "shops.provinces"), "shops.provinces")
    shop_provinces = _resolved(shop_w, "shops.provinces", r)
    elsewhere = float(r.number(r.get(sh, "elsewhere", "shops.elsewhere", 0.0), "shops.elsewhere", lo=0, hi=1))

    specialisms = []
    for cat, spec in r.table(raw, "specialisms", "specialisms").items():
        field = f"specialisms.{cat}"
        if not isinstance(spec, dict):
            raise r.fail(field, "should be a table with provinces (and optional cities)")
        unknown = sorted(set(spec) - {"provinces", "cities"})
        if unknown:
            raise r.fail(f"{field}.{unknown[0]}", "unknown setting")
        provinces = _resolved(
            r.weights(r.get(spec, "provinces", f"{field}.provinces"), f"{field}.provinces"),
            f"{field}.provinces",
            r,
        )
        cities = _city_adcodes(spec.get("cities", []), f"{field}.cities", r)
        specialisms.append(Specialism(cat, provinces, cities))

    members = _members(raw.get("members"), r, start=start, end=end, llr=llr, ramp=ramp)
    return AllianceConfig(
        file=file,
        sha256=hashlib.sha256(blob).hexdigest(),
        start=start,
        end=end,
        as_of=as_of,
        seed=seed,
        members=members,
        calibration=calibration,
        log_rate_ratio=llr,
        ramp_months=ramp,
        volumes=volumes,
        case_rate=case_rate,
        lag_months=lag,
        clue_targets=tuple(targets.items()),
        categories=tuple(categories.items()),
        shop_provinces=shop_provinces,
        shop_elsewhere=elsewhere,
        specialisms=tuple(specialisms),
        pretrend=pretrend,
    )


def _resolved(weights: dict[str, float], field: str, r: _Reader) -> tuple[tuple[str, float], ...]:
    out: dict[str, float] = {}
    for name, w in weights.items():
        adcode = r.province(name, f"{field}.{name}")
        if adcode in out:
            raise r.fail(field, f"{name} is listed twice")
        out[adcode] = w
    return tuple(out.items())


def _members(raw: Any, r: _Reader, *, start: date, end: date, llr: float, ramp: int) -> tuple[Member, ...]:
    if not isinstance(raw, list) or not raw:
        raise r.fail("members", "at least one [[members]] entry is needed")
    members: list[Member] = []
    seen: dict[str, str] = {}
    for i, m in enumerate(raw):
        field = f"members[{i + 1}]"
        if not isinstance(m, dict):
            raise r.fail(field, "should be a table")
        unknown = sorted(set(m) - _SECTIONS["members"])
        if unknown:
            raise r.fail(f"{field}.{unknown[0]}", "unknown setting")
        name = r.get(m, "province", f"{field}.province")
        adcode = r.province(name, f"{field}.province")
        if adcode in seen:
            raise r.fail("members", f"{name} ({adcode}) is listed twice (also as {seen[adcode]})")
        seen[adcode] = name
        joined = r.date(r.get(m, "joined_on", f"{field}.joined_on"), f"{field}.joined_on")
        if not start <= joined <= end:
            raise ConfigError(
                "error.join_outside_range",
                file=r.file,
                province=name,
                date=joined.isoformat(),
                start=start.isoformat(),
                end=end.isoformat(),
            )
        illustrative = r.get(m, "illustrative", f"{field}.illustrative", True)
        if not isinstance(illustrative, bool):
            raise r.fail(f"{field}.illustrative", f"should be true or false, is {illustrative!r}")
        members.append(
            Member(
                adcode=adcode,
                name=name,
                joined_on=joined,
                illustrative=illustrative,
                log_rate_ratio=float(
                    r.number(m.get("log_rate_ratio", llr), f"{field}.log_rate_ratio", lo=-3, hi=3)
                ),
                ramp_months=int(
                    r.number(m.get("ramp_months", ramp), f"{field}.ramp_months", lo=1, hi=60, integer=True)
                ),
            )
        )
    return tuple(sorted(members, key=lambda m: (m.joined_on, m.adcode)))
