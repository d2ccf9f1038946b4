"""Queries behind the province map (/map): tidy frames by province, city and month, normalised
per head or per unit of GDP, classed; cross-province chains and the seller networks that touch
a province.

Everything here is Ibis over the store (no SQL strings) and returns small pandas frames; the
figure builders in charts_map.py and charts_flows.py turn them into plotly/pydeck objects. Never
imports streamlit. The sums over the monthly aggregate take an optional `cube` (from
cloudsword.cube.monthly_cube(store), loaded once per dataset): the same figures cut in memory, so a rerun of
the page costs no query.
"""

from __future__ import annotations

import warnings
from datetime import date

import numpy as np
import pandas as pd

from cloudsword import geo
from cloudsword.cube import GROUP_KEY, MonthlyCube
from cloudsword.filters import Filters
from cloudsword.schema import HUB_KINDS
from cloudsword.store import METRIC_COLUMN, Store

PER_POP = 1e7  # per 10 million people
PER_GDP = 1e11  # per 100 billion yuan
CLASSES = 5
SUPPLIER_KINDS = ("factory", "warehouse", "dealer")


def _monthly(store: Store, f: Filters, start: date, end: date, alliance_only: bool):
    m = store.monthly(f, start, end)
    return m.filter(m.alliance) if alliance_only else m


def _sums(
    store: Store,
    f: Filters,
    start: date,
    end: date,
    alliance_only: bool,
    by: str,
    province: str | None = None,
    cube: MonthlyCube | None = None,
) -> pd.DataFrame:
    """(key, value): the view's metric between `start` and `end` summed by province, city, category or
    month, one row per group the aggregate has rows for; cut from `cube` when given, else queried."""
    col = METRIC_COLUMN[f.metric]
    if cube is not None:
        return cube.sums(f, col, start, end, alliance_only, by, province)
    m = _monthly(store, f, start, end, alliance_only)
    if province is not None:
        m = m.filter(m.province_adcode == province)
    if by == "city":
        m = m.filter(m.city_adcode.notnull())
    return store.run(m.group_by(GROUP_KEY[by]).aggregate(value=m[col].sum()))


def normalise(df: pd.DataFrame, norm: str) -> pd.DataFrame:
    """Adds `value` from `raw`: the total, per 10 million people or per 100 bn yuan of GDP."""
    out = df.copy()
    if norm == "pop":
        out["value"] = out["raw"] / out["population"] * PER_POP
    elif norm == "gdp":
        out["value"] = out["raw"] / out["gdp_cny"] * PER_GDP
    else:
        out["value"] = out["raw"]
    return out


def province_values(
    store: Store,
    f: Filters,
    start: date,
    end: date,
    norm: str = "total",
    alliance_only: bool = False,
    cube: MonthlyCube | None = None,
) -> pd.DataFrame:
    """One row per provincial-level division, all 34 (a map of China shows every one; Taiwan, Hong
    Kong and Macao have no data here): adcode, raw (NaN where the data has no rows), value,
    population, gdp_cny, for the view's metric between `start` and `end`."""
    agg = _sums(store, f, start, end, alliance_only, "province", cube=cube)
    provinces = geo.load_provinces()
    out = provinces[["adcode", "population", "gdp_cny"]].merge(
        agg.rename(columns={"province_adcode": "adcode", "value": "raw"}), on="adcode", how="left"
    )
    out["raw"] = out["raw"].astype(float)
    if f.metric == "clues" or alliance_only:
        # Only members receive clues: outside the alliance there is no data, which is not zero.
        mem = store.memberships()
        members = set(mem.loc[mem.joined_on <= end, "province_adcode"])
        out.loc[~out.adcode.isin(members), "raw"] = np.nan
    return normalise(out, norm).reset_index(drop=True)


def whole(metric: str, norm: str) -> bool:
    """Whether the map's values are counts (clues, cases, people), whose classes break at whole
    numbers: "276 – 410 cases", never "275.6 – 410.2"."""
    return norm == "total" and metric != "seizure"


def classify(values: pd.Series, method: str, k: int = CLASSES, counts: bool = False) -> list[float]:
    """Upper bounds of the classes (mapclassify), the last one the maximum. Empty when no value.
    `counts`: the values are whole numbers, and so are the bounds (rounded down, so each class
    still holds the same values)."""
    import mapclassify

    v = values.dropna().astype(float).to_numpy()
    if v.size == 0:
        return []
    k = max(1, min(k, len(np.unique(v))))
    if k == 1:
        return [float(v.max())]
    cls = {
        "quantiles": mapclassify.Quantiles,
        "jenks": mapclassify.FisherJenks,
        "equal": mapclassify.EqualInterval,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "not enough unique values": handled by dropping duplicates
        bins = cls[method](v, k=k).bins
    if counts:
        bins = np.floor(np.asarray(bins) + 1e-9)
    return sorted({float(b) for b in bins})


def class_of(values: pd.Series, bins: list[float]) -> pd.Series:
    """Class index of each value for upper bounds `bins` (-1 where the value is missing)."""
    if not bins:
        return pd.Series(-1, index=values.index)
    idx = np.searchsorted(np.asarray(bins), values.fillna(np.inf).to_numpy(), side="left")
    idx = np.minimum(idx, len(bins) - 1)
    return pd.Series(np.where(values.isna(), -1, idx), index=values.index)


def city_values(
    store: Store,
    f: Filters,
    province: str,
    start: date,
    end: date,
    alliance_only: bool = False,
    cube: MonthlyCube | None = None,
) -> pd.DataFrame:
    """The province's prefecture-level cities: adcode, lon, lat, value (NaN: no data)."""
    agg = _sums(store, f, start, end, alliance_only, "city", province, cube)
    cities = geo.load_cities()
    cities = cities.loc[cities.province_adcode == province, ["adcode", "lon", "lat"]]
    out = cities.merge(agg.rename(columns={"city_adcode": "adcode"}), on="adcode", how="left")
    out["value"] = out["value"].astype(float)
    return out.reset_index(drop=True)


def province_trend(
    store: Store, f: Filters, province: str, alliance_only: bool = False, cube: MonthlyCube | None = None
) -> pd.DataFrame:
    """month, value: the province's metric month by month over the view's range (0 where none)."""
    agg = _sums(store, f, f.date_from, f.date_to, alliance_only, "month", province, cube)
    agg["month"] = pd.to_datetime(agg["month"])
    idx = pd.DatetimeIndex(pd.to_datetime(f.month_starts()), name="month")
    out = agg.set_index("month")["value"].astype(float).reindex(idx, fill_value=0.0)
    return out.reset_index()


def top_categories(
    store: Store,
    f: Filters,
    province: str,
    start: date,
    end: date,
    alliance_only: bool = False,
    n: int = 5,
    cube: MonthlyCube | None = None,
) -> pd.DataFrame:
    """category, value: the province's largest product categories for the metric."""
    agg = _sums(store, f, start, end, alliance_only, "category", province, cube)
    agg["value"] = agg["value"].astype(float)
    agg = agg[agg.value > 0]
    return agg.sort_values(["value", "category"], ascending=[False, True]).head(n).reset_index(drop=True)


def _edges(store: Store):
    """Links in both directions (a -> b), hubs left out."""
    links, ents = store.table("links"), store.table("entities")
    hubs = ents.filter(ents.kind.isin(HUB_KINDS)).select("entity_id")
    fwd = links.select(a=links.src_id, b=links.dst_id)
    both = fwd.union(links.select(a=links.dst_id, b=links.src_id), distinct=False)
    return both.filter(~both.a.isin(hubs.entity_id), ~both.b.isin(hubs.entity_id))


def clue_crossings(store: Store) -> pd.DataFrame:
    """Every clue (clue_id, handed_to, category, issued_on) and whether its target is linked to an
    entity in another province than the one it was handed to. Once per dataset: `chain_crossing`
    then cuts it in memory, so moving the month or the range costs no query."""
    clues, ents = store.table("clues"), store.table("entities")
    e = _edges(store)
    nb = clues.select("clue_id", "entity_id", "handed_to").join(e, clues.entity_id == e.a)
    ep = ents.select(nb_id=ents.entity_id, nb_prov=ents.province_adcode)
    nb = nb.join(ep, nb.b == ep.nb_id)
    crossing = nb.filter(nb.nb_prov != nb.handed_to).select("clue_id").distinct()
    out = store.run(
        clues.select(
            "clue_id",
            "handed_to",
            "category",
            issued_on=clues.issued_on.cast("date"),
            crossing=clues.clue_id.isin(crossing.clue_id),
        )
    )
    out["issued_on"] = pd.to_datetime(out["issued_on"])
    return out


def chain_crossing(
    store: Store, f: Filters, province: str, start: date, end: date, crossings: pd.DataFrame | None = None
) -> dict[str, float]:
    """Clues handed to `province` in the period, and how many target an entity that is linked to an
    entity in another province (their chain crosses provinces). Returns clues, crossing, share.
    `crossings` is `clue_crossings(store)`, computed here when not given."""
    c = clue_crossings(store) if crossings is None else crossings
    k = c[(c.handed_to == province) & c.issued_on.between(pd.Timestamp(start), pd.Timestamp(end))]
    if f.categories:
        k = k[k.category.isin(f.categories)]
    total, crossing = len(k), int(k.crossing.sum())
    if not total:
        return {"clues": 0.0, "crossing": 0.0, "share": float("nan")}
    return {"clues": float(total), "crossing": float(crossing), "share": crossing / total}


def flow_links(store: Store) -> pd.DataFrame:
    """Every supply or storage link between a shop and a supplier in another province, once per
    dataset: src, dst (province adcodes), pair (one integer per shop-supplier pair), first_seen,
    last_seen. `flows` cuts it to a view's range in memory, so a filter change costs milliseconds."""
    links, ents = store.table("links"), store.table("entities")
    lk = links.filter(links.relation.isin(("supplies", "stores_for")))
    shop = ents.filter(ents.kind == "shop").select(shop_id=ents.entity_id, src=ents.province_adcode)
    sup = ents.filter(ents.kind.isin(SUPPLIER_KINDS)).select(sup_id=ents.entity_id, dst=ents.province_adcode)
    j = lk.join(shop, lk.dst_id == shop.shop_id).join(sup, lk.src_id == sup.sup_id)
    j = j.filter(j.src != j.dst)
    out = store.run(
        j.select(
            "src",
            "dst",
            "shop_id",
            "sup_id",
            first_seen=j.first_seen.cast("date"),
            last_seen=j.last_seen.cast("date"),
        )
    )
    pair = out.shop_id + "|" + out.sup_id
    return pd.DataFrame(
        {
            "src": out.src.astype("category"),
            "dst": out.dst.astype("category"),
            "pair": pd.factorize(pair)[0].astype(np.int64),
            "first_seen": pd.to_datetime(out.first_seen).to_numpy(),
            "last_seen": pd.to_datetime(out.last_seen).to_numpy(),
        }
    )


def flows(store: Store, f: Filters, links: pd.DataFrame | None = None) -> pd.DataFrame:
    """src, dst, chains: shops registered in `src` supplied or stored for from `dst` (another province),
    counted as distinct shop-supplier pairs whose link was active in the view's range.
    `links` is flow_links(store), when the caller keeps it."""
    lk = flow_links(store) if links is None else links
    keep = (lk.first_seen <= pd.Timestamp(f.date_to)) & (lk.last_seen >= pd.Timestamp(f.date_from))
    if f.provinces:
        keep &= lk.src.isin(f.provinces) | lk.dst.isin(f.provinces)
    # Count distinct pairs per (src, dst) in O(rows) with numpy: a pair's provinces never change,
    # so mark the pairs seen and count them by their province pair.
    src, dst = lk.src.cat.codes.to_numpy(np.int64), lk.dst.cat.codes.to_numpy(np.int64)
    n_dst = max(len(lk.dst.cat.categories), 1)
    pair = lk.pair.to_numpy()
    route = np.zeros(int(pair.max()) + 1 if len(pair) else 0, dtype=np.int64)
    route[pair] = src * n_dst + dst
    seen = np.zeros(len(route), dtype=bool)
    seen[pair[keep.to_numpy()]] = True
    chains = np.bincount(route[seen], minlength=len(lk.src.cat.categories) * n_dst)
    nz = np.flatnonzero(chains)
    out = pd.DataFrame(
        {
            "src": np.asarray(lk.src.cat.categories, dtype=object)[nz // n_dst].astype(str),
            "dst": np.asarray(lk.dst.cat.categories, dtype=object)[nz % n_dst].astype(str),
            "chains": chains[nz].astype(int),
        }
    )
    return out.sort_values(["chains", "src", "dst"], ascending=[False, True, True]).reset_index(drop=True)


def city_points(
    store: Store, f: Filters, alliance_only: bool = False, cube: MonthlyCube | None = None
) -> pd.DataFrame:
    """adcode, province_adcode, lon, lat, value: the metric by city over the view's range."""
    agg = _sums(store, f, f.date_from, f.date_to, alliance_only, "city", cube=cube)
    cities = geo.load_cities()[["adcode", "province_adcode", "lon", "lat"]]
    out = cities.merge(agg.rename(columns={"city_adcode": "adcode"}), on="adcode", how="inner")
    out["value"] = out["value"].astype(float)
    return out[out.value > 0].reset_index(drop=True)


# -- networks ---------------------------------------------------------------------------------------
def network_components(store: Store) -> pd.DataFrame:
    """entity_id, kind, name, province_adcode, network, degree: connected groups of linked entities
    (hubs left out, so one courier does not join every ring). Knows nothing of the planted rings."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    ents = store.table("entities")
    e = store.run(
        ents.filter(~ents.kind.isin(HUB_KINDS)).select("entity_id", "kind", "name", "province_adcode")
    )
    links = store.table("links")
    hubs = ents.filter(ents.kind.isin(HUB_KINDS)).select("entity_id")
    lk = store.run(
        links.filter(~links.src_id.isin(hubs.entity_id), ~links.dst_id.isin(hubs.entity_id)).select(
            "src_id", "dst_id"
        )
    )
    idx = pd.Index(e.entity_id)
    a, b = idx.get_indexer(lk.src_id), idx.get_indexer(lk.dst_id)
    ok = (a >= 0) & (b >= 0)
    a, b = a[ok], b[ok]
    n = len(e)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    e["network"] = labels
    e["degree"] = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    return e


def networks_touching(
    components: pd.DataFrame, clues: pd.DataFrame, province: str, n: int = 5
) -> pd.DataFrame:
    """The `n` largest networks with an entity in `province`: network, entities, provinces, clues,
    entity_id and name of its seller (the most connected shop, else the most connected entity)."""
    touching = components.loc[components.province_adcode == province, "network"].unique()
    part = components[components.network.isin(touching)]
    if part.empty:
        return pd.DataFrame(columns=["network", "entities", "provinces", "clues", "entity_id", "name"])
    size = part.groupby("network").agg(
        entities=("entity_id", "size"), provinces=("province_adcode", "nunique")
    )
    size = size[size.entities > 1] if (size.entities > 1).any() else size
    top = size.sort_values("entities", ascending=False, kind="stable").head(n)
    members = part[part.network.isin(top.index)]
    lead = (
        members.assign(is_shop=members.kind.eq("shop"))
        .sort_values(["is_shop", "degree", "entity_id"], ascending=[False, False, True])
        .drop_duplicates("network")
        .set_index("network")[["entity_id", "name"]]
    )
    per_entity = clues.groupby("entity_id").size()
    nclues = members.assign(c=members.entity_id.map(per_entity).fillna(0)).groupby("network")["c"].sum()
    out = top.join(lead).join(nclues.rename("clues").astype(int)).reset_index()
    return out[["network", "entities", "provinces", "clues", "entity_id", "name"]]


def clue_targets(store: Store) -> pd.DataFrame:
    """entity_id of every clue (small: one row per clue)."""
    clues = store.table("clues")
    return store.run(clues.select("entity_id"))


# -- records ----------------------------------------------------------------------------------------
CASE_COLUMNS = ("case_id", "clue_id", "opened_on", "province_adcode", "city_adcode", "category", "source",
                "suspects_caught", "seizure_cny")  # fmt: skip


def province_month_cases(
    store: Store, f: Filters, province: str, month: date, limit: int = 500, alliance_only: bool = False
) -> tuple[pd.DataFrame, int]:
    """The cases of one province in one month (the view's categories; with `alliance_only`, those
    opened on an alliance clue, as the map's alliance scope counts them), largest seizure first, at
    most `limit` of them, and how many there are: a record-level drill-down whose day filter reads
    only that month's row groups of the day-sorted case table."""
    first = month.replace(day=1)
    last = (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()
    c = store.table("cases")
    c = c.filter(c.opened_on >= first, c.opened_on <= last, c.province_adcode == province)
    if f.categories:
        c = c.filter(c.category.isin(f.categories))
    if alliance_only:
        c = c.filter(c.clue_id.notnull())
    rows = store.run(c.select(*CASE_COLUMNS).order_by([c.seizure_cny.desc(), c.case_id]).limit(limit))
    return rows.reset_index(drop=True), int(store.run(c.count()))
