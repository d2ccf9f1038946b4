"""Roles in the running app (AppTest), each as the roles file's example user ($CLOUDSWORD_DEMO_USER:
the demo shown as that user, no identity provider): a presenter takes no record-level file from
/network, a deck opens only to its author (even with `?deck=<id>&mode=notes`), and /data's import
and audit log are the administrator's."""

from __future__ import annotations

import pytest
from apptest import open_page, shown_all

from cloudsword.access import audit
from cloudsword.deck.spec import SlideSpec
from cloudsword.i18n import t
from components.cache import present as cached

ADMIN, GD, ANALYST, PRESENTER = (
    f"{u}@cloudsword.example" for u in ("admin", "officer.gd", "analyst", "presenter")
)


@pytest.fixture
def as_user(monkeypatch, tmp_path):
    monkeypatch.setenv("CLOUDSWORD_AUDIT", str(tmp_path / "audit.jsonl"))

    def become(user: str) -> None:
        monkeypatch.setenv("CLOUDSWORD_DEMO_USER", user)

    return become


def _labels(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_a_presenter_takes_no_record_level_file_from_the_network_page(as_user):
    as_user(PRESENTER)
    for tab in ("export", "package", "timeline"):  # the tabs that offer files (only the open one is built)
        at = open_page("views/network.py", "en", timeout=180, tab=tab)
        assert not at.exception and not at.error
        labels = _labels(at)
        for name in ("network.export.nodes", "network.export.links", "network.export.graphml"):
            assert t(name, "en") not in labels
        assert t("network.package.download", "en") not in labels
        assert t("export.csv", "en") not in labels and t("export.png", "en") in labels  # pictures only
        if tab != "timeline":
            assert t("access.no_records", "en") in shown_all(at.info)
        assert t("access.masked_note", "en") in [c.value for c in at.caption]
    as_user(ANALYST)
    at = open_page("views/network.py", "en", timeout=180, tab="export")
    assert t("network.export.nodes", "en") in _labels(at)  # an analyst exports (masked)


def test_a_deck_opens_only_to_its_author_even_by_id_in_notes_mode(as_user):
    cached.board.clear()
    as_user(ADMIN)
    deck = [SlideSpec("trends", "Only mine", "secret")]
    mine = open_page("views/present.py", "en", timeout=180, state={"deck": deck})
    did = mine.query_params["deck"]
    assert did
    as_user(GD)
    other = open_page("views/present.py", "en", timeout=180, mode="notes", deck=did)
    assert not other.exception
    assert t("access.deck_not_yours", "en") in shown_all(other.warning)
    held = str(other.session_state["deck"])
    assert "Only mine" not in held and "secret" not in held
    assert cached.board().share(did, _p(ADMIN), {GD})  # its author shares it
    shared = open_page("views/present.py", "en", timeout=180, mode="notes", deck=did)
    assert shared.session_state["deck"][0].title == "Only mine"
    cached.board.clear()


def _audit_tables(at) -> list:
    return [d.value for d in at.dataframe if t("audit.col.hash", "en") in d.value.columns]


def _p(user: str):
    from cloudsword.access.roles import principal_for, read_roles

    return principal_for(user, read_roles())


def test_data_import_and_audit_log_are_the_administrators(as_user, tmp_path):
    as_user(ANALYST)
    at = open_page("views/data.py", "en", timeout=180)
    assert not at.exception and not at.error
    assert shown_all(at.info).count(t("access.admin_only", "en")) == 2  # import, audit log
    assert not _audit_tables(at)
    entries = audit.entries(tmp_path / "audit.jsonl")
    assert [e["action"] for e in entries] == ["sign_in"] and entries[0]["who"] == ANALYST
    as_user(ADMIN)
    at = open_page("views/data.py", "en", timeout=180)
    assert t("audit.ok", "en", n=2) in [s.value for s in at.success]
    log = _audit_tables(at)
    assert len(log) == 1 and len(log[0]) == 2
    assert set(log[0][t("audit.col.action", "en")]) == {t("audit.action.sign_in", "en")}
    # a tampered entry: the page says where the chain breaks
    path = tmp_path / "audit.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace(ANALYST, "someone@else"), encoding="utf-8")
    at = open_page("views/data.py", "en", timeout=180)
    reason = t("audit.reason.hash", "en")
    assert t("audit.broken", "en", seq=1, reason=reason) in [e.value for e in at.error]
