"""The calibrated demonstration dataset (DESIGN.md §4): `generate(config, seed, scale, out_dir)`.

There is no public record-level data, so the app ships a synthetic dataset that reproduces the
public figures as of the alliance's first meeting, has chains crossing provinces, a full
province x month case panel, a planted effect of joining and planted rings (truth tables) for
checking our own analytics. Same config, seed and scale give byte-identical files.

Stages (each with its own random stream, so changing one leaves the others' draws alone):
places/calendar (synth_world) -> chains (synth_chains) -> clues, cases, suspects (synth_cases)
-> Arrow tables -> the dataset products (rings, detected on the whole network) -> Parquet,
written into a temporary directory and renamed into place.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from cloudsword.errors import ConfigError
from cloudsword.network import rings
from cloudsword.schema import (
    CASE_SOURCES,
    CATEGORIES,
    CLUE_STATUSES,
    DATASET_TABLES,
    ENTITY_KINDS,
    OPTIONAL_TRUTH,
    PRODUCT_TABLES,
    RELATIONS,
    SUSPECT_ROLES,
)
from cloudsword.synth.cases import Cases, Clues, Suspects, build_cases, build_clues, build_suspects
from cloudsword.synth.chains import Chains, build_chains
from cloudsword.synth.config import AllianceConfig
from cloudsword.synth.text import entity_names, fixed_ids, person_names, take
from cloudsword.synth.world import Calendar, Places

GENERATOR_VERSION = "1.0"
NOTE = (
    "Synthetic demonstration dataset calibrated to public figures (China Daily, 2 August 2017); "
    "not real records. Join dates marked illustrative are invented. truth_effects and truth_rings "
    "hold the planted answers; hub entities (shared logistics and payment providers) belong to no ring "
    "and are absent from truth_rings."
)
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 9, "use_dictionary": True}
_STREAMS = ("chains", "clues", "cases", "suspects", "names")


Writer = Callable[[Path, dict[str, pa.Table], dict], object]


def generate(
    config: AllianceConfig, seed: int, scale: float, out_dir: Path | str, write: Writer | None = None
) -> dict[str, int]:
    """Write the dataset (one Parquet per schema.DATASET_TABLES, the planted truth and, in the flat
    layout, the PRODUCT_TABLES + manifest.json); return row counts.

    `write(out_dir, tables, manifest)` replaces the flat layout's writer (the CLI passes the
    versioned one, cloudsword.build.write_version, which builds every registered product itself:
    the rings among them, cloudsword/network/products.py)."""
    if not (isinstance(scale, (int, float)) and np.isfinite(scale) and scale > 0):
        raise ConfigError(
            "error.config_value", file=config.file, field="scale", detail=f"{scale!r} is not positive"
        )
    if seed < 0:
        raise ConfigError("error.config_value", file=config.file, field="seed", detail=f"{seed} is negative")
    tables = build_tables(config, seed, scale)
    if write is None:  # the flat layout keeps its products beside the tables
        tables["rings"] = rings_table(tables["entities"], tables["links"])
    counts = {
        name: tables[name].num_rows
        for name in (*DATASET_TABLES, *OPTIONAL_TRUTH, *PRODUCT_TABLES)
        if name in tables
    }
    manifest = {
        "generator": "cloudsword.synth",
        "generator_version": GENERATOR_VERSION,
        "synthetic": True,
        "note": NOTE,
        "seed": int(seed),
        "scale": float(scale),
        "config_file": Path(config.file).name,
        "config_sha256": config.sha256,
        "start": config.start.isoformat(),
        "end": config.end.isoformat(),
        "as_of": config.as_of.isoformat(),
        "members": len(config.members),
        "rows": {name: n for name, n in counts.items() if name not in PRODUCT_TABLES},  # what was generated
    }
    (write or write_atomic)(Path(out_dir), tables, manifest)
    return counts


def build_tables(config: AllianceConfig, seed: int, scale: float) -> dict[str, pa.Table]:
    """Every dataset table as an Arrow table (dates date32, ids strings)."""
    rng = streams(seed)
    places, cal = Places.load(config), Calendar.build(config)
    chains = build_chains(rng["chains"], config, places, cal, scale)
    clues = build_clues(rng["clues"], config, places, cal, chains, scale)
    cases = build_cases(rng["cases"], config, places, cal, chains, clues, scale)
    suspects = build_suspects(rng["suspects"], cal, chains, clues, cases)

    entity_no = rng["chains"].permutation(len(chains.kind))  # ids do not give rings away
    entity_id = fixed_ids("E", entity_no, 7)
    clue_id = fixed_ids("CL", np.arange(len(clues.issued)), 6)
    case_id = fixed_ids("CA", np.arange(len(cases.opened)), 8)
    out = {
        "memberships": _memberships(config),
        "entities": _entities(rng["names"], chains, places, entity_id, entity_no),
        "links": _links(chains, entity_id),
        "clues": _clues(clues, places, entity_id, clue_id),
        "cases": _cases(cases, places, clue_id, case_id),
        "suspects": _suspects(rng["names"], suspects, entity_id, case_id),
        "truth_effects": pa.table(
            {
                "province_adcode": pa.array([m.adcode for m in config.members], pa.string()),
                "joined_on": pa.array([m.joined_on for m in config.members], pa.date32()),
                "log_rate_ratio": pa.array([m.log_rate_ratio for m in config.members], pa.float64()),
            }
        ),
        "truth_rings": _truth_rings(chains, entity_id, entity_no),
    }
    if config.pretrend.planted:
        out["truth_pretrends"] = _truth_pretrends(config)
    return out


def _truth_pretrends(config: AllianceConfig) -> pa.Table:
    n, pre = len(config.members), config.pretrend
    return pa.table(
        {
            "province_adcode": pa.array([m.adcode for m in config.members], pa.string()),
            "months": pa.array([pre.months] * n, pa.int64()),
            "drift": pa.array([pre.drift] * n, pa.float64()),
            "oscillation": pa.array([pre.oscillation] * n, pa.float64()),
        }
    )


def rings_table(entities: pa.Table, links: pa.Table) -> pa.Table:
    """The `rings` product: each entity's ring, detected on the whole network (network.rings)."""
    found = rings.detect(
        entities.select(["entity_id", "kind"]).to_pandas(),
        links.select(["src_id", "dst_id", "evidence_count"]).to_pandas(),
    )
    return pa.table(
        {
            "entity_id": pa.array(found["entity_id"].to_numpy(dtype=object), pa.string()),
            "ring": pa.array(found["ring"].to_numpy(), pa.int32()),
            "ring_size": pa.array(found["ring_size"].to_numpy(), pa.int32()),
            "hub": pa.array(found["hub"].to_numpy(), pa.bool_()),
        }
    )


def streams(seed: int) -> dict[str, np.random.Generator]:
    """One independent random stream per stage, from the seed."""
    seeds = np.random.SeedSequence(seed).spawn(len(_STREAMS))
    return dict(zip(_STREAMS, (np.random.Generator(np.random.PCG64(s)) for s in seeds), strict=True))


def case_table(config: AllianceConfig, seed: int, scale: float = 1.0) -> pa.Table:
    """Only the cases of the dataset `generate` would write with this seed (the same draws: the
    stages before them run, the later ones do not): for studies over many datasets."""
    rng = streams(seed)
    places, cal = Places.load(config), Calendar.build(config)
    chains = build_chains(rng["chains"], config, places, cal, scale)
    clues = build_clues(rng["clues"], config, places, cal, chains, scale)
    cases = build_cases(rng["cases"], config, places, cal, chains, clues, scale)
    return _cases(
        cases,
        places,
        fixed_ids("CL", np.arange(len(clues.issued)), 6),
        fixed_ids("CA", np.arange(len(cases.opened)), 8),
    )


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(days, dtype=np.int32)).view(pa.date32())


def _int(values: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.int64))


def _nullable_take(values: pa.Array, idx: np.ndarray) -> pa.Array:
    """values[idx], null where idx < 0."""
    idx = np.asarray(idx, dtype=np.int64)
    return values.take(pa.array(np.maximum(idx, 0), mask=idx < 0))


def _memberships(config: AllianceConfig) -> pa.Table:
    return pa.table(
        {
            "province_adcode": pa.array([m.adcode for m in config.members], pa.string()),
            "joined_on": pa.array([m.joined_on for m in config.members], pa.date32()),
            "illustrative": pa.array([m.illustrative for m in config.members], pa.bool_()),
        }
    )


def _entities(
    rng: np.random.Generator, c: Chains, places: Places, entity_id: pa.Array, entity_no: np.ndarray
) -> pa.Table:
    order = np.argsort(entity_no)  # rows in id order
    kind, city = c.kind[order], c.city[order]
    names = entity_names(
        rng,
        kind,
        ENTITY_KINDS,
        c.category[order],
        CATEGORIES,
        take(places.city_short, city),
        c.ring[order] < 0,
    )
    return pa.table(
        {
            "entity_id": entity_id.take(pa.array(order)),
            "kind": take(ENTITY_KINDS, kind),
            "name": names,
            "province_adcode": take(places.adcode, c.province[order]),
            "city_adcode": take(places.city_adcode, city),
            "lon": pa.array(np.round(c.lon[order], 5)),
            "lat": pa.array(np.round(c.lat[order], 5)),
            "first_seen": _dates(c.first_seen[order]),
        }
    )


def _links(c: Chains, entity_id: pa.Array) -> pa.Table:
    return pa.table(
        {
            "src_id": entity_id.take(pa.array(c.src)),
            "dst_id": entity_id.take(pa.array(c.dst)),
            "relation": take(RELATIONS, c.relation),
            "first_seen": _dates(c.link_first),
            "last_seen": _dates(c.link_last),
            "evidence_count": _int(c.evidence),
        }
    )


def _clues(cl: Clues, places: Places, entity_id: pa.Array, clue_id: pa.Array) -> pa.Table:
    return pa.table(
        {
            "clue_id": clue_id,
            "issued_on": _dates(cl.issued),
            "entity_id": entity_id.take(pa.array(cl.entity)),
            "handed_to": take(places.adcode, cl.province),
            "category": take(CATEGORIES, cl.category),
            "status": take(CLUE_STATUSES, cl.status),
        }
    )


def _cases(cs: Cases, places: Places, clue_id: pa.Array, case_id: pa.Array) -> pa.Table:
    return pa.table(
        {
            "case_id": case_id,
            "clue_id": _nullable_take(clue_id, cs.clue),
            "source": take(CASE_SOURCES, cs.source),
            "province_adcode": take(places.adcode, cs.province),
            "city_adcode": take(places.city_adcode, cs.city),
            "opened_on": _dates(cs.opened),
            "category": take(CATEGORIES, cs.category),
            "suspects_caught": _int(cs.suspects),
            "seizure_cny": pa.array(cs.seizure.astype(np.float64)),
            "facilities_closed": _int(cs.facilities),
        }
    )


def _suspects(rng: np.random.Generator, s: Suspects, entity_id: pa.Array, case_id: pa.Array) -> pa.Table:
    return pa.table(
        {
            "suspect_id": fixed_ids("SU", np.arange(len(s.case)), 6),
            "case_id": case_id.take(pa.array(s.case)),
            "entity_id": _nullable_take(entity_id, s.entity),
            "name": person_names(rng, len(s.case)),
            "role": take(SUSPECT_ROLES, s.role),
            "caught_on": _dates(s.caught),
        }
    )


def _truth_rings(c: Chains, entity_id: pa.Array, entity_no: np.ndarray) -> pa.Table:
    rows = np.flatnonzero(c.ring >= 0)
    rows = rows[np.argsort(entity_no[rows])]
    return pa.table(
        {
            "entity_id": entity_id.take(pa.array(rows)),
            "ring_id": fixed_ids("R", c.ring[rows], 5),
        }
    )


def write_atomic(out_dir: Path, tables: dict[str, pa.Table], manifest: dict) -> None:
    """Write into a temporary sibling directory, then swap it in: never half a dataset."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        for name, table in tables.items():
            pq.write_table(table, tmp / f"{name}.parquet", **PARQUET_OPTIONS)
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        os.chmod(tmp, 0o755)
        old = None
        if out_dir.exists():
            old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}-{tmp.name[-8:]}"
            out_dir.rename(old)
        try:
            tmp.rename(out_dir)
        except BaseException:
            if old is not None:
                old.rename(out_dir)  # put the previous dataset back
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
