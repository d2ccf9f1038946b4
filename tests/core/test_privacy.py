"""Personal data masking (cloudsword.privacy): names, ids, accounts and places."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from cloudsword import geo, privacy
from cloudsword.network import analysis as network_analysis
from cloudsword.network import graph as network
from cloudsword.network.analysis import EgoQuery
from cloudsword.store import DEFAULT_DATA_DIR, Store

KEY = b"test-key"


@pytest.fixture(scope="module")
def entities() -> pd.DataFrame:
    return pd.read_parquet(DEFAULT_DATA_DIR / "entities.parquet")


@pytest.fixture(scope="module")
def suspects() -> pd.DataFrame:
    return pd.read_parquet(DEFAULT_DATA_DIR / "suspects.parquet")


def _text(*frames: pd.DataFrame) -> str:
    """Every cell of every frame as one string, so a substring search covers every field."""
    return "\n".join("\t".join(map(str, row)) for df in frames for row in df.itertuples(index=False))


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("王慧", "王*"),
        ("刘浩丹", "刘**"),
        ("欧阳娜娜", "欧阳**"),
        ("司马光", "司马*"),
        ("欧阳", "欧*"),  # two characters: a single surname and a given name, not a compound surname
        ("诸葛亮", "诸葛*"),
        ("王", "*"),  # the whole name would be the surname: hide it
        ("Zhang Wei", "Zhang ***"),
        ("Madonna", "M******"),
        ("阿卜杜拉·艾买提", "阿卜杜拉·***"),
        ("  李雪晓 ", "李**"),
        ("", ""),
    ],
)
def test_surname_rules(name: str, masked: str) -> None:
    assert privacy.mask_person(name) == masked


def test_every_suspect_name_becomes_surname_and_asterisks(suspects: pd.DataFrame) -> None:
    masked = privacy.mask_suspects(suspects, KEY)
    for before, after in zip(suspects.name, masked.name):
        assert len(after) == len(before) and after[0] == before[0] and after.endswith("*")
        assert before not in after


def test_no_suspect_name_survives_masking(entities: pd.DataFrame, suspects: pd.DataFrame) -> None:
    assert entities.name.isin(set(suspects.name)).sum() >= 30  # the data does put suspects' names in
    masked = _text(privacy.mask_nodes(entities, KEY), privacy.mask_suspects(suspects, KEY))
    operators = set(entities.loc[entities.kind == "operator", "name"])
    leaked = [n for n in set(suspects.name) | operators if n in masked]
    assert leaked == []


def test_personal_ids_replaced_and_accounts_lose_digits(
    entities: pd.DataFrame, suspects: pd.DataFrame
) -> None:
    nodes = privacy.mask_nodes(entities, KEY)
    personal = entities.kind.isin(privacy.PERSONAL_KINDS)
    assert personal.sum() > 100
    assert not nodes.entity_id[personal].isin(set(entities.entity_id)).any()
    assert (nodes.entity_id[~personal] == entities.entity_id[~personal]).all()  # businesses keep theirs
    accounts = nodes.name[entities.kind == "payment_account"]
    assert len(accounts) and not accounts.str.contains(r"\d").any()
    shops = entities.kind == "shop"
    assert (nodes.name[shops] == entities.name[shops]).all()
    masked = privacy.mask_suspects(suspects, KEY)
    assert not masked.suspect_id.isin(set(suspects.suspect_id)).any()
    assert masked.entity_id.isna().sum() == suspects.entity_id.isna().sum()
    assert not masked.entity_id.dropna().isin(set(entities.entity_id)).any()


def test_pseudonyms_stable_distinct_and_opaque(entities: pd.DataFrame, suspects: pd.DataFrame) -> None:
    ids = list(entities.entity_id) + list(suspects.suspect_id)
    out = [privacy.pseudonym(i, KEY) for i in ids]
    assert out == [privacy.pseudonym(i, KEY) for i in ids]  # stable
    assert len(set(out)) == len(ids)  # distinct
    assert all(re.fullmatch(r"ID-[A-Z2-7]{8}", p) for p in out)
    assert not any(re.search(r"\d{4}", p) for p in out[:50])  # no run of the original's digits
    assert privacy.pseudonym("E0000001") == privacy.pseudonym("E0000001")  # the process key, too
    assert privacy.pseudonym("E0000001") != privacy.pseudonym("E0000001", KEY)  # keyed: not guessable


def test_coordinates_equal_city_centroids(entities: pd.DataFrame) -> None:
    cities = geo.load_cities().set_index("adcode")
    nodes = privacy.mask_nodes(entities, KEY)
    np.testing.assert_allclose(nodes.lon, entities.city_adcode.map(cities.lon))
    np.testing.assert_allclose(nodes.lat, entities.city_adcode.map(cities.lat))
    exact = (entities.lon - nodes.lon).abs() + (entities.lat - nodes.lat).abs()
    assert (exact > 1e-6).mean() > 0.9  # the exact places really were elsewhere


def test_unknown_city_falls_back_to_the_province_and_never_keeps_exact_places() -> None:
    df = pd.DataFrame(
        {
            "entity_id": ["a", "b"],
            "kind": ["shop", "shop"],
            "province_adcode": ["330000", "999999"],
            "city_adcode": ["999999", "999999"],
            "lon": [120.123456, 100.0],
            "lat": [30.123456, 30.0],
        }
    )
    out = privacy.coarsen(df)
    zj = geo.load_provinces().set_index("adcode").loc["330000"]
    assert (out.lon[0], out.lat[0]) == (zj.lon, zj.lat)
    assert out.lon.isna()[1] and out.lat.isna()[1]


def test_links_use_the_same_pseudonyms_as_nodes() -> None:
    store = Store()
    g = network.graph_from_store(store)
    op = int(np.flatnonzero(g.kind == network.KINDS.index("operator"))[0])
    view = network_analysis.ego_view(g, EgoQuery(str(g.ids[op]), 2, (), (), True, (), 250))
    nodes, links = view["nodes"], view["links"]
    masked_nodes = privacy.mask_nodes(nodes, KEY)
    masked_links = privacy.mask_links(links, nodes, KEY)
    assert set(masked_links.src_id) | set(masked_links.dst_id) <= set(masked_nodes.entity_id)
    assert str(g.ids[op]) not in _text(masked_nodes, masked_links)
    assert len(masked_links) == len(links)
