"""The calibrated demonstration dataset (DESIGN.md §4): `generate(config, seed, scale, out_dir)`.

There is no public record-level data, so the app ships a synthetic dataset that reproduces the
public figures as of the alliance's first meeting, has chains crossing provinces, a full
province x month case panel, a planted effect of joining and planted rings (truth tables) for
checking our own analytics. Same config, seed and scale give byte-identical files.

Stages (each with its own random stream, so changing one leaves the others' draws alone):
places/calendar (synth_world) -> chains (synth_chains) -> clues and the case plan (synth_cases)
-> Parquet, written into a temporary directory and renamed into place. The large tables are
streams, drawn chunk by chunk as they are written (entities a million at a time, cases a few
whole months at a time, then the suspects of the alliance cases), so scale 1000 (1e8 cases, 1e7
entities, 3e7 links) is never held whole; up to scale 100 each is one chunk. The flat layout's
rings are detected last, on the whole network, from the generator's own arrays.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

from cloudsword.dataset import TableData, TableStream, return_freed_memory, write_parquet
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
from cloudsword.synth.cases import (
    AllianceCases,
    Cases,
    Clues,
    Suspects,
    build_clues,
    build_suspects,
    case_chunks,
    plan_cases,
)
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


Writer = Callable[[Path, dict[str, TableData], dict], object]


def generate(
    config: AllianceConfig, seed: int, scale: float, out_dir: Path | str, write: Writer | None = None
) -> dict[str, int]:
    """Write the dataset (one Parquet per schema.DATASET_TABLES, the planted truth and, in the flat
    layout, the PRODUCT_TABLES + manifest.json); return row counts.

    `write(out_dir, tables, manifest)` replaces the flat layout's writer (the CLI passes the
    versioned one, cloudsword.build.write_version, which builds every registered product itself:
    the rings among them, cloudsword/network/products.py). The large tables come as streams
    (dataset.TableStream), drawn as they are written, in the mapping's order."""
    if not (isinstance(scale, (int, float)) and np.isfinite(scale) and scale > 0):
        raise ConfigError(
            "error.config_value", file=config.file, field="scale", detail=f"{scale!r} is not positive"
        )
    if seed < 0:
        raise ConfigError("error.config_value", file=config.file, field="seed", detail=f"{seed} is negative")
    tables = build_tables(config, seed, scale, rings=write is None)  # the flat layout keeps its rings
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


ENTITY_CHUNK = 1 << 20  # entities named a million at a time (every name variant is drawn per row)
LINK_CHUNK = 1 << 22


def build_tables(
    config: AllianceConfig, seed: int, scale: float, rings: bool = False
) -> dict[str, TableData]:
    """Every dataset table, as Arrow (dates date32, ids strings): all but the few small ones are
    streams, drawn chunk by chunk while they are written, in this mapping's order (the suspects
    refer to where the cases fell; names come from one stream). Up to scale 100 every stream is
    one chunk, drawn exactly as a table drawn whole. `rings`: add the `rings` product last,
    detected on the whole network from the generator's own arrays."""
    d = _Draw(config, seed, scale)
    out = {
        "memberships": _memberships(config),
        "entities": TableStream(d.n, d.entities),
        "links": TableStream(len(d.chains.src), d.links),
        "clues": TableStream(len(d.clues.issued), d.clue_table),
        "cases": TableStream(d.plan.rows, d.cases),
        "suspects": TableStream(d.plan.suspects, d.suspects),
        "truth_effects": pa.table(
            {
                "province_adcode": pa.array([m.adcode for m in config.members], pa.string()),
                "joined_on": pa.array([m.joined_on for m in config.members], pa.date32()),
                "log_rate_ratio": pa.array([m.log_rate_ratio for m in config.members], pa.float64()),
            }
        ),
        "truth_rings": TableStream(int((d.chains.ring >= 0).sum()), lambda: d.truth_rings(last=not rings)),
    }
    if config.pretrend.planted:
        out["truth_pretrends"] = _truth_pretrends(config)
    if rings:
        out["rings"] = TableStream(d.n, d.rings)
    return out


class _Draw:
    """The streams of one dataset and what they share, drawn in order: entities, links, clues,
    cases, suspects (after the entities and the cases), the planted rings, then the rings, which
    let go of everything else first (at 1e7 entities, Leiden needs the memory). Even the small
    tables are streams, so none is held while the rings are detected."""

    def __init__(self, config: AllianceConfig, seed: int, scale: float):
        self.rng = streams(seed)
        self.places, self.cal = Places.load(config), Calendar.build(config)
        self.chains = build_chains(self.rng["chains"], config, self.places, self.cal, scale)
        self.clues = build_clues(self.rng["clues"], config, self.places, self.cal, self.chains, scale)
        self.plan = plan_cases(
            self.rng["cases"], config, self.places, self.cal, self.chains, self.clues, scale
        )
        self.n = len(self.chains.kind)
        self.entity_no = self.rng["chains"].permutation(self.n)  # ids do not give rings away
        self.width = max(7, len(str(self.n - 1)))
        self.entity_id = fixed_ids("E", self.entity_no, self.width)
        self.clue_id = fixed_ids("CL", np.arange(len(self.clues.issued)), 6)
        self.case_width = max(8, len(str(self.plan.rows - 1)))
        self.named = False
        self.alliance: AllianceCases | None = None

    def entities(self) -> Iterator[pa.Table]:
        order = np.argsort(self.entity_no)  # rows in id order
        for i in range(0, max(self.n, 1), ENTITY_CHUNK):
            rows = order[i : i + ENTITY_CHUNK]
            ids = fixed_ids("E", np.arange(i, i + len(rows)), self.width)
            yield _entities(self.rng["names"], self.chains, self.places, ids, rows)
        self.named = True

    def links(self) -> Iterator[pa.Table]:
        for i in range(0, max(len(self.chains.src), 1), LINK_CHUNK):
            yield _links(self.chains, self.entity_id, slice(i, i + LINK_CHUNK))

    def clue_table(self) -> Iterator[pa.Table]:
        yield _clues(self.clues, self.places, self.entity_id, self.clue_id)

    def truth_rings(self, last: bool = False) -> Iterator[pa.Table]:
        """`last`: no stream follows (the versioned layout, whose writer then builds the products
        from the written tables): the generator lets go of its arrays once this is drawn."""
        yield _truth_rings(self.chains, self.entity_id, self.entity_no)
        if last:
            self._release()

    def cases(self) -> Iterator[pa.Table]:
        parts, offset = [], 0
        for chunk in case_chunks(self.rng["cases"], self.plan, self.places, self.cal):
            k = len(chunk.opened)
            ids = fixed_ids("CA", np.arange(offset, offset + k), self.case_width)
            yield _cases(chunk, self.places, self.clue_id, ids)
            parts.append(AllianceCases.of(chunk, offset))
            offset += k
        self.alliance = AllianceCases.concat(parts)

    def suspects(self) -> Iterator[pa.Table]:
        if not self.named or self.alliance is None:
            raise RuntimeError("the suspects are drawn after the entities and the cases")
        s = build_suspects(self.rng["suspects"], self.cal, self.chains, self.clues, self.alliance)
        yield _suspects(self.rng["names"], s, self.entity_id, self.case_width)

    def rings(self) -> Iterator[pa.Table]:
        """The `rings` product (network.rings), the same rings as detected on the written tables,
        without reading 3e7 links back as strings. Drawn last: it lets go of the rest first."""
        edges, weight, hub = self._hubless_links()
        ring, size = rings.leiden_of_links(self.n, edges, weight)
        del edges, weight
        yield pa.table(
            {
                "entity_id": fixed_ids("E", np.arange(self.n), self.width),
                "ring": pa.array(ring, pa.int32()),
                "ring_size": pa.array(size, pa.int32()),
                "hub": pa.array(hub, pa.bool_()),
            }
        )

    def _hubless_links(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        c, no = self.chains, self.entity_no.astype(np.int32)
        kind, src, dst, evidence = c.kind[np.argsort(no)], no[c.src], no[c.dst], c.evidence
        del c, no
        self._release()
        return rings.hubless_links(kind, src, dst, evidence)

    def _release(self) -> None:
        """Let go of everything drawn (about 2.5 GB at 1e7 entities): what follows is the rings'
        Leiden, or the versioned writer's products, each needing the memory."""
        self.chains = self.clues = self.plan = self.alliance = self.entity_id = self.clue_id = None
        self.entity_no = None
        return_freed_memory()


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
    plan = plan_cases(rng["cases"], config, places, cal, chains, clues, scale)
    clue_id, width = fixed_ids("CL", np.arange(len(clues.issued)), 6), max(8, len(str(plan.rows - 1)))
    parts, offset = [], 0
    for chunk in case_chunks(rng["cases"], plan, places, cal):
        k = len(chunk.opened)
        parts.append(_cases(chunk, places, clue_id, fixed_ids("CA", np.arange(offset, offset + k), width)))
        offset += k
    return pa.concat_tables(parts)


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
    rng: np.random.Generator, c: Chains, places: Places, entity_id: pa.Array, rows: np.ndarray
) -> pa.Table:
    """The entities at chain `rows` (given in id order), named."""
    kind, city = c.kind[rows], c.city[rows]
    names = entity_names(
        rng,
        kind,
        ENTITY_KINDS,
        c.category[rows],
        CATEGORIES,
        take(places.city_short, city),
        c.ring[rows] < 0,
    )
    return pa.table(
        {
            "entity_id": entity_id,
            "kind": take(ENTITY_KINDS, kind),
            "name": names,
            "province_adcode": take(places.adcode, c.province[rows]),
            "city_adcode": take(places.city_adcode, city),
            "lon": pa.array(np.round(c.lon[rows], 5)),
            "lat": pa.array(np.round(c.lat[rows], 5)),
            "first_seen": _dates(c.first_seen[rows]),
        }
    )


def _links(c: Chains, entity_id: pa.Array, part: slice) -> pa.Table:
    return pa.table(
        {
            "src_id": entity_id.take(pa.array(c.src[part])),
            "dst_id": entity_id.take(pa.array(c.dst[part])),
            "relation": take(RELATIONS, c.relation[part]),
            "first_seen": _dates(c.link_first[part]),
            "last_seen": _dates(c.link_last[part]),
            "evidence_count": _int(c.evidence[part]),
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


def _suspects(rng: np.random.Generator, s: Suspects, entity_id: pa.Array, case_width: int) -> pa.Table:
    return pa.table(
        {
            "suspect_id": fixed_ids("SU", np.arange(len(s.case)), 6),
            "case_id": fixed_ids("CA", s.case, case_width),
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


def write_atomic(out_dir: Path, tables: dict[str, TableData], manifest: dict) -> None:
    """Write into a temporary sibling directory, then swap it in: never half a dataset."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        for name, table in tables.items():
            write_parquet(tmp / f"{name}.parquet", table, **PARQUET_OPTIONS)
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
