"""The access rules where data leaves the store: `Scoped(store, principal)` is queried exactly like
a `Store` (same `table`, `run`, `monthly`, `product_table`...) and is what every page, download,
clue package, deck and command-line export receives.

Rows: a provincial officer's record tables (entities, links, clues, cases, suspects, rings) are cut
to the records of their provinces and of the networks that touch them, inside the Ibis expression,
so nothing else is ever read out; aggregate tables (`monthly`, geography, memberships) are whole:
other provinces are seen as aggregates. A table the rules do not know is refused, not passed on.

Columns: for a masked role (analyst, presenter) every result leaving `run` has personal names
masked, personal ids replaced by keyed pseudonyms (the same everywhere, so a graph built from the
masked entities still matches the masked links and clues) and exact places coarsened to the city
(cloudsword.privacy).

A network here is a group of linked entities with the shared hubs (couriers, payment providers)
set aside, as on the map page: one courier does not join every ring. It is found once per dataset
version and kept with the store.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import shutil
import tempfile
import threading
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
import pyarrow as pa

from cloudsword import privacy
from cloudsword.access.principal import ADMIN, Principal
from cloudsword.errors import CloudSwordError
from cloudsword.schema import HUB_KINDS

# Tables every role receives whole: aggregates, reference geography, the alliance's members, the
# generator's province-level truth.
AGGREGATE_TABLES = frozenset(
    {"monthly", "product_monthly", "provinces", "cities", "memberships", "truth_effects", "truth_pretrends"}
)
# Record products no row rule can cut to what an officer may see (each province x month x
# category's largest seizures, cut to the officer's rows, are not the largest of those rows): a
# restricted role gets none, as from a version without them, and the feature reads its cut tables.
# Named, not imported (importing a feature here would close a loop through i18n's string search).
UNCUT_PRODUCTS = frozenset({"top_seizures"})  # cloudsword/overview/products.py
# Columns holding entity ids (a personal entity's is pseudonymised wherever it appears).
ENTITY_ID_COLUMNS = frozenset({"entity_id", "src_id", "dst_id", "nb_id", "shop_id", "sup_id", "a", "b"})
PERSON_ID_COLUMNS = frozenset({"suspect_id"})  # always a person


class AccessError(CloudSwordError):
    """Something this role may not receive (the message says what, never the data)."""


@dataclass(frozen=True)
class Networks:
    """Every entity's network (hubs: -1) and province, by entity id (once per dataset version)."""

    ids: np.ndarray  # object
    province: np.ndarray  # object
    network: np.ndarray  # int64, -1 for hubs
    personal: dict[str, str]  # personal entity id -> kind (operators, payment accounts)
    clue_targets: pd.DataFrame  # entity_id, handed_to: each clue's target and receiving province
    suspect_places: pd.DataFrame  # entity_id, province_adcode: each suspect's entity and case province
    pseudonyms: dict[str, str] = field(default_factory=dict)  # filled as ids are masked: hashed once

    def is_personal(self, values: np.ndarray) -> np.ndarray:
        """Which of `values` (entity ids, None allowed) are personal: one dict lookup each (pandas'
        Series.map of the dict cost 0.5 s a query on 1e5 ids at 1e7 cases)."""
        personal = self.personal
        return np.fromiter((v in personal for v in values), dtype=bool, count=len(values))

    def pseudonym(self, entity_id: str) -> str:
        found = self.pseudonyms.get(entity_id)
        if found is None:
            found = self.pseudonyms[entity_id] = privacy.pseudonym(entity_id)
        return found


_NETWORKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_VISIBLE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
_TABLES = threading.RLock()  # creating an officer's tables (a cut's rule makes the visible ids')


def networks(store) -> Networks:
    """The dataset's networks, found on the unrestricted store once and kept with it."""
    store = base(store)
    with _LOCK:
        found = _NETWORKS.get(store)
    if found is not None:
        return found
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    e = store.run(store.table("entities").select("entity_id", "kind", "province_adcode"))
    lk = store.run(store.table("links").select("src_id", "dst_id"))
    idx = pd.Index(e.entity_id)
    hub = e.kind.isin(HUB_KINDS).to_numpy()
    a, b = idx.get_indexer(lk.src_id), idx.get_indexer(lk.dst_id)
    ok = (a >= 0) & (b >= 0)
    a, b = a[ok], b[ok]
    keep = ~(hub[a] | hub[b])
    n = len(e)
    adjacency = coo_matrix((np.ones(int(keep.sum()), dtype=np.int8), (a[keep], b[keep])), shape=(n, n))
    _, labels = connected_components(adjacency, directed=False)
    labels = np.where(hub, -1, labels).astype(np.int64)
    personal = e[e.kind.isin(privacy.PERSONAL_KINDS)]
    clues = store.run(store.table("clues").select("entity_id", "handed_to"))
    su, ca = store.table("suspects"), store.table("cases")
    held = su.filter(su.entity_id.notnull()).join(ca, su.case_id == ca.case_id)
    found = Networks(
        e.entity_id.to_numpy(dtype=object),
        e.province_adcode.to_numpy(dtype=object),
        labels,
        dict(zip(personal.entity_id.astype(str), personal.kind.astype(str))),
        clues,
        store.run(held.select("entity_id", "province_adcode")),
    )
    with _LOCK:
        _NETWORKS[store] = found
    return found


def visible_entities(store, provinces: frozenset[str]) -> np.ndarray:
    """Ids of the entities an officer of `provinces` sees as records: the province's own (registered
    there, the targets of clues handed to it, the workplaces of suspects its cases caught) and
    every entity of a network with one of them in it."""
    store = base(store)
    key = tuple(sorted(provinces))
    with _LOCK:
        cached = _VISIBLE.setdefault(store, {}).get(key)
    if cached is not None:
        return cached
    nets = networks(store)
    wanted = list(provinces)
    own = set(nets.clue_targets.entity_id[nets.clue_targets.handed_to.isin(wanted)])
    own |= set(nets.suspect_places.entity_id[nets.suspect_places.province_adcode.isin(wanted)])
    home = np.isin(nets.province, wanted) | pd.Index(nets.ids).isin(list(own))
    touched = np.unique(nets.network[home & (nets.network >= 0)])
    ids = nets.ids[home | np.isin(nets.network, touched)]
    with _LOCK:
        _VISIBLE[store][key] = ids
    return ids


def _scope_name(provinces: frozenset[str]) -> str:
    return "access_" + hashlib.sha1(",".join(sorted(provinces)).encode()).hexdigest()[:12]


def _seen_table(store, provinces: frozenset[str]) -> ir.Table:
    """The officer's visible entity ids as a table in the store's one database, created once per
    set of provinces (every connection sees it), so a rule is a semi-join, not a fresh upload of
    the ids with every query. Made by the store's engine (DuckDB or Spark); store.py is untouched."""
    name = _scope_name(provinces) + "_seen"
    if store.has(name):
        return store.table(name)
    with _TABLES:
        if not store.has(name):
            ids = pa.table({"entity_id": pa.array(visible_entities(store, provinces), type=pa.string())})
            store.engine.create(name, ids)  # in the store's own engine: every connection sees it
            store._schemas[name] = ibis.schema({"entity_id": "string"})
    return store.table(name)


def _cut(store, provinces: frozenset[str], name: str, rule: Callable[[], ir.Table]) -> ir.Table:
    """Table `name` cut by its rule for this set of provinces, computed once, written to a Parquet
    file of this server's own (not held in memory: 400 MB a province at 1e7 cases) and seen by
    every connection. Applied inside every query, the rule's semi-joins cost up to three times the
    query itself on record tables at 1e7 cases; cut once, each query reads only the rows the
    officer may see (bench_access prints the one-time cost beside the queries)."""
    kept = f"{_scope_name(provinces)}_{name}"
    if store.has(kept):  # made: no lock (its schema is registered only once its file is attached)
        return store.table(kept)
    with _TABLES:
        if not store.has(kept):
            expr = rule()
            path = _cut_dir() / f"{kept}-{uuid.uuid4().hex[:12]}.parquet"  # one per store and cut
            with store.engine.connection() as con:
                con.to_parquet(expr, path)
            weakref.finalize(store, _forget, path)  # gone with the store (a version left behind)
            store.engine.attach(kept, path)
            store._schemas[kept] = expr.schema()
    return store.table(kept)


def _forget(path: Path) -> None:
    """Remove a cut (a file, or the folder Spark writes)."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@functools.cache
def _cut_dir() -> Path:
    """Where this process keeps officers' cuts: $CLOUDSWORD_ACCESS_CACHE, else a private temporary
    folder (mode 0700), removed when the process ends. They hold records: never a shared place."""
    chosen = os.environ.get("CLOUDSWORD_ACCESS_CACHE")
    if chosen:
        folder = Path(chosen)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder
    folder = Path(tempfile.mkdtemp(prefix="cloudsword-access-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


RECORD_TABLES = ("entities", "links", "clues", "cases", "suspects")  # what an officer's rules cut


def prepare(store: Scoped) -> threading.Thread | None:
    """Cut an officer's record tables in the background as they arrive, so the first page that
    needs them does not wait for all of them (tens of seconds at 1e7 cases). A page asking for a
    table being cut waits for it on the lock; a failure here is met again, and shown, by the page."""
    if not store.principal.restricted:
        return None

    def cut() -> None:
        try:
            for name in RECORD_TABLES:
                store.table(name)
        except Exception:  # the page's own request meets it again, where it can be shown
            pass

    worker = threading.Thread(target=cut, name="access-cut", daemon=True)
    worker.start()
    return worker


class Scoped:
    """A store as one principal may read it (see the module docstring). Everything a Store offers
    that carries no records (manifest, version, warnings, memberships...) is passed through."""

    def __init__(self, store, principal: Principal):
        self._store = base(store)
        self.principal = principal

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    def __repr__(self) -> str:
        return f"Scoped({self._store.version!r}, {self.principal.scope()!r})"

    @property
    def unrestricted(self):
        """The store itself, for aggregates only (counts by province): never hand its records on."""
        return self._store

    def scope_key(self) -> tuple:
        """What results from this store depend on: the version and the principal's scope."""
        return (self._store.version, self.principal.scope())

    # -- rows ---------------------------------------------------------------------------------
    def table(self, name: str) -> ir.Table:
        return self._rows(name, self._store.table(name))

    def product_table(self, name: str, version: str) -> ir.Table | None:
        if self.principal.restricted and name in UNCUT_PRODUCTS:
            return None
        stored = self._store.product_table(name, version)
        return None if stored is None else self._rows(f"product_{name}", stored)

    def product_arrays(self, name: str, version: str):
        """Stored arrays carry whole tables: only the unrestricted, unmasked view reads them."""
        if self.principal.restricted or self.principal.masked:
            return None
        return self._store.product_arrays(name, version)

    def monthly(self, f, start=None, end=None) -> ir.Table:
        return self._store.monthly(f, start, end)  # an aggregate: whole for every role

    def _rows(self, name: str, t: ir.Table) -> ir.Table:
        if not self.principal.restricted or name in AGGREGATE_TABLES:
            return t
        return _cut(self._store, self.principal.provinces, name, lambda: self._rule(name, t))

    def _rule(self, name: str, t: ir.Table) -> ir.Table:
        """`t` filtered to what the officer may see (record tables; anything else is refused)."""
        provinces = sorted(self.principal.provinces)
        seen = _seen_table(self._store, self.principal.provinces).entity_id
        if name == "entities" or "entity_id" in t.columns and name != "clues" and name != "suspects":
            return t.filter(t.entity_id.isin(seen))
        if name == "links":
            return t.filter(t.src_id.isin(seen), t.dst_id.isin(seen))
        if name == "clues":  # a clue handed to the province targets an entity it sees
            return t.filter(t.entity_id.isin(seen))
        if name == "cases":
            clues = self._rows("clues", self._store.table("clues"))
            return t.filter(t.province_adcode.isin(provinces) | t.clue_id.isin(clues.clue_id))
        if name == "suspects":  # a suspect its cases caught worked at an entity it sees
            ca = self._store.table("cases")
            home = ca.filter(ca.province_adcode.isin(provinces)).case_id
            return t.filter(t.entity_id.isin(seen) | (t.entity_id.isnull() & t.case_id.isin(home)))
        raise AccessError("access.unknown_table", table=name)

    # -- columns ------------------------------------------------------------------------------
    def run(self, expr: ir.Expr):
        out = self._store.run(expr)
        if self.principal.masked and isinstance(out, pd.DataFrame):
            return mask_frame(out, networks(self._store))
        return out


def mask_frame(df: pd.DataFrame, nets: Networks) -> pd.DataFrame:
    """A result frame with personal names masked, personal ids pseudonymised (any entity-id
    column; suspects always) and, when it holds entity records, places at the city centroid.
    Vectorised: only the personal rows' values are touched one by one (1e6 entities a query)."""
    text = {c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])}  # not a count of ids
    cols = set(df.columns)
    entity_cols = [c for c in df.columns if c in ENTITY_ID_COLUMNS and c in text]
    if not entity_cols and not cols & PERSON_ID_COLUMNS & text:
        return df
    out = df.copy()
    if "name" in text:
        if "suspect_id" in cols:
            kinds = pd.Series("operator", index=out.index)  # a suspect is a person
        elif "kind" in cols:
            kinds = out["kind"].astype(object)
        elif "entity_id" in cols:
            ids = out["entity_id"].astype(object).to_numpy()
            hit = nets.is_personal(ids)
            kinds = pd.Series(None, index=out.index, dtype=object)
            kinds[hit] = [nets.personal[i] for i in ids[hit]]
        else:
            kinds = pd.Series(None, index=out.index, dtype=object)
        who = kinds.isin(privacy.PERSONAL_KINDS).to_numpy()
        if who.any():
            names = out["name"].astype(object).to_numpy(copy=True)
            names[who] = [privacy.mask_name(n, k) for n, k in zip(names[who], kinds.to_numpy()[who])]
            out["name"] = names
    for c in entity_cols:
        out[c] = _pseudonymise(out[c], nets)
    for c in cols & PERSON_ID_COLUMNS & text:
        out[c] = [None if pd.isna(i) else privacy.pseudonym(i) for i in out[c].astype(object)]
    if "entity_id" in entity_cols and ("lon" in cols or "lat" in cols):
        out = privacy.coarsen(out)
    return out


def _pseudonymise(ids: pd.Series, nets: Networks) -> pd.Series:
    """Personal ids replaced by their pseudonyms (each distinct id hashed once per version)."""
    values = ids.astype(object).to_numpy(copy=True)
    hit = nets.is_personal(values)
    if not hit.any():
        return ids
    values[hit] = [nets.pseudonym(v) for v in values[hit]]
    return pd.Series(values, index=ids.index, name=ids.name)


def scoped(store, principal: Principal | None = None) -> Scoped:
    """The store as `principal` (default: the local demo's administrator) may read it."""
    return Scoped(store, principal or ADMIN)


def base(store):
    """The unrestricted store under a scoped one (or the store itself)."""
    return store._store if isinstance(store, Scoped) else store
