"""Decks belong to their authors (components/present/board.py), a deck's views carry no entity id
its holder may not receive (cloudsword/access/decks.py), the roles file is checked
(cloudsword/access/roles.py), and the audit log's chain is verified and any tampering detected
(cloudsword/access/audit.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cloudsword import privacy
from cloudsword.access import Principal, Role, Scoped, audit
from cloudsword.access.decks import specs_for, view_for
from cloudsword.access.roles import principal_for, read_roles
from cloudsword.access.scope import visible_entities
from cloudsword.deck.spec import SlideSpec
from cloudsword.errors import ConfigError
from cloudsword.store import DEFAULT_DATA_DIR, Store
from components.present.board import EVERYONE, Board

AUTHOR = Principal("author@x.example", Role.ANALYST)
OTHER = Principal("other@x.example", Role.ANALYST)
OFFICER = Principal("officer.zj@x.example", Role.OFFICER, {"330000"})
DECK = [SlideSpec("overview"), SlideSpec("network?entity=E0000036&hops=1", "Ring", "my notes")]


# -- decks ----------------------------------------------------------------------------------------
def test_a_deck_opens_only_to_its_author_until_shared():
    board = Board()
    did = board.put(DECK, AUTHOR)
    assert board.get(did, AUTHOR) == DECK
    assert board.get(did, OTHER) is None and board.exists(did)  # knowing the id opens nothing
    assert not board.share(did, OTHER, {OTHER.user})  # only an author shares
    assert board.get(did, OTHER) is None
    assert board.share(did, AUTHOR, {"Other@X.example "})
    assert board.get(did, OTHER) == DECK
    assert board.get(did, OFFICER) is None
    assert board.share(did, AUTHOR, {EVERYONE})
    assert board.get(did, OFFICER) == DECK


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(DEFAULT_DATA_DIR)


def test_a_masked_role_holds_a_personal_entity_only_by_its_pseudonym(store):
    ents = store.run(store.table("entities"))
    operator = ents.entity_id[ents.kind == "operator"].iloc[0]
    shop = ents.entity_id[ents.kind == "shop"].iloc[0]
    s = Scoped(store, AUTHOR)
    got = view_for(f"network?entity={operator}&expand={shop},{operator}&hops=2", s)
    fake = privacy.pseudonym(operator)
    assert got == f"network?entity={fake}&expand={shop},{fake}&hops=2"
    assert operator not in json.dumps([x.to_dict() for x in specs_for([SlideSpec(got)], s)])
    assert view_for("map?metric=cases", s) == "map?metric=cases"
    admin = Scoped(store, Principal("a", Role.ADMIN))
    assert view_for(f"network?entity={operator}", admin) == f"network?entity={operator}"


def test_an_officer_holds_no_id_of_an_entity_outside_their_reach(store):
    ents = store.run(store.table("entities"))
    seen = set(visible_entities(store, OFFICER.provinces))
    inside = next(x for x in ents.entity_id if x in seen)
    outside = next(x for x in ents.entity_id if x not in seen)
    s = Scoped(store, OFFICER)
    assert view_for(f"network?entity={inside}", s) == f"network?entity={inside}"
    got = view_for(f"network?entity={outside}", s)
    assert outside not in got and got.startswith("network?entity=ID-")


# -- roles file ------------------------------------------------------------------------------------
def test_the_roles_file_maps_users_to_roles_and_provinces(tmp_path: Path):
    f = tmp_path / "roles.toml"
    f.write_text(
        '[users."Officer@Gov.example"]\nrole = "officer"\nprovinces = ["330000"]\n'
        '[users."a@gov.example"]\nrole = "analyst"\n',
        encoding="utf-8",
    )
    roles = read_roles(f)
    who = principal_for(" officer@gov.example", roles)
    assert who.role is Role.OFFICER and who.provinces == {"330000"} and who.restricted
    assert principal_for("nobody@gov.example", roles) is None
    assert read_roles(Path("data/roles.toml"))  # the shipped example reads


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[users."x"]\nrole = "boss"\n', "access.roles_role"),
        ('[users."x"]\nrole = "officer"\n', "access.roles_no_province"),
        ('[users."x"]\nrole = "officer"\nprovinces = ["999999"]\n', "access.roles_province"),
        ("[users", "access.roles_invalid"),
    ],
)
def test_a_wrong_roles_file_is_refused_with_a_reason(tmp_path: Path, text: str, key: str):
    f = tmp_path / "roles.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_roles(f)
    assert err.value.key == key
    with pytest.raises(ConfigError) as err:
        read_roles(tmp_path / "none.toml")
    assert err.value.key == "access.roles_missing"


# -- audit log -------------------------------------------------------------------------------------
@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "audit.jsonl"
    audit.sign_in(path, OFFICER, "10.0.0.7", "oidc")
    audit.append(path, OFFICER, "export", "10.0.0.7", file="network-E1-nodes.csv")
    audit.append(path, AUTHOR, "import", "cli@host", version="v2", table="cases")
    audit.append(path, AUTHOR, "version_switch", "10.0.0.8", version="v1", scope="current")
    audit.sign_in(path, Principal(OFFICER.user, Role.ANALYST), "10.0.0.7", "oidc")  # moved in the roles file
    return path


def test_the_audit_chain_verifies_and_says_who_what_when_where(log: Path):
    assert audit.verify(log) == audit.Verdict(True, 6)
    rows = audit.entries(log)
    assert [r["action"] for r in rows] == [
        "sign_in", "export", "import", "version_switch", "role_change", "sign_in",
    ]  # fmt: skip
    change = rows[4]
    assert change["who"] == OFFICER.user and change["role"] == "analyst"
    assert change["detail"]["was"] == "officer" and change["detail"]["was_provinces"] == ["330000"]
    assert all(r["at"] and r["origin"] for r in rows)
    assert [r["prev"] for r in rows[1:]] == [r["hash"] for r in rows[:-1]]


def _rewrite(path: Path, edit) -> None:
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    rows = edit(rows)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "edit", "at", "reason"),
    [
        ("changed", lambda rs: [*rs[:1], {**rs[1], "who": "someone.else"}, *rs[2:]], 2, "hash"),
        ("rehashed", lambda rs: [*rs[:1], _rehashed({**rs[1], "origin": "1.1.1.1"}), *rs[2:]], 3, "chain"),
        ("removed", lambda rs: [*rs[:2], *rs[3:]], 4, "chain"),
        ("swapped", lambda rs: [rs[0], rs[2], rs[1], *rs[3:]], 3, "chain"),
        ("cut off the end", lambda rs: rs[:-2], 4, "head"),
    ],
)
def test_a_tampered_entry_is_detected(log: Path, name, edit, at, reason):
    _rewrite(log, edit)
    verdict = audit.verify(log)
    assert not verdict.ok and verdict.broken_at == at and verdict.reason == reason, name


def _rehashed(entry: dict) -> dict:
    """An entry changed and given a fresh, correct hash of its own: the next entry's link breaks."""
    entry = dict(entry)
    entry["hash"] = audit._digest(entry)
    return entry


def test_appends_from_many_threads_keep_one_chain(tmp_path: Path):
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "audit.jsonl"
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: audit.append(path, AUTHOR, "export", "x", n=i), range(80)))
    assert audit.verify(path) == audit.Verdict(True, 80)


def test_titles_and_notes_name_no_person_a_role_may_not_read(store):
    """The author's words travel with a shared deck: a presenter's copy masks the people and
    accounts they name and replaces their ids; an officer's masks only those outside their reach."""
    ents = store.run(store.table("entities"))
    ops = ents[ents.kind == "operator"]
    op = ops.iloc[0]
    account = ents[ents.kind == "payment_account"].iloc[0]
    suspect = store.run(store.table("suspects")).iloc[0]
    who = f"嫌疑人 {suspect['name']} {suspect.suspect_id}"
    notes = f"{op['name']}（{op.entity_id}）收款 {account['name']}；{who}"
    presenter = Scoped(store, Principal("p", Role.PRESENTER))
    [got] = specs_for([SlideSpec("map?metric=cases", title=f"{op['name']}的网络", notes=notes)], presenter)
    for secret in (op["name"], op.entity_id, account["name"], suspect["name"], suspect.suspect_id):
        assert secret not in got.title + got.notes, secret
    assert privacy.mask_person(op["name"]) in got.title and privacy.pseudonym(op.entity_id) in got.notes
    assert "支付账户 尾号****" in got.notes and got.view == "map?metric=cases"

    seen = set(visible_entities(store, OFFICER.provinces))
    inside = ops[ops.entity_id.isin(seen)].iloc[0]
    outside = ops[~ops.entity_id.isin(seen)].iloc[0]
    text = f"{inside['name']} / {outside['name']}"
    [mine] = specs_for([SlideSpec("map", notes=text)], Scoped(store, OFFICER))
    assert inside["name"] in mine.notes and outside["name"] not in mine.notes
    admin = Scoped(store, Principal("a", Role.ADMIN))
    assert specs_for([SlideSpec("map", notes=notes)], admin)[0].notes == notes
