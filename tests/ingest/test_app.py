"""The app and dataset versions: a session keeps its version until it reloads, a damaged version
gives way to the last good one, and /data draws in both languages."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from apptest import open_page

from cloudsword import build, dataset
from cloudsword.access import audit
from cloudsword.i18n import t
from cloudsword.schema import DATASET_TABLES
from cloudsword.store import DEFAULT_DATA_DIR


@pytest.fixture
def two_versions(tmp_path, monkeypatch):
    """A versioned dataset whose second version lacks one local case (figures that differ)."""
    root = tmp_path / "data"
    tables = {n: pq.read_table(DEFAULT_DATA_DIR / f"{n}.parquet") for n in DATASET_TABLES}
    manifest = json.loads((DEFAULT_DATA_DIR / "manifest.json").read_text(encoding="utf-8"))
    first = build.write_version(root, tables, manifest)
    cases = tables["cases"].to_pandas()
    alliance = cases[cases.clue_id.notna() & ~cases.case_id.isin(tables["suspects"]["case_id"].to_pylist())]
    fewer = pa.Table.from_pandas(
        cases.drop(alliance.index[:1]), schema=tables["cases"].schema, preserve_index=False
    )
    monkeypatch.setenv("CLOUDSWORD_DATA", str(root))
    return root, first, {**tables, "cases": fewer}, manifest


def _cases_kpi(at) -> str:
    return next(m.value for m in at.metric if m.label == t("metric.cases", "en"))


def test_a_session_keeps_its_version_until_it_asks_for_the_new_one(two_versions):
    root, first, tables, manifest = two_versions
    at = open_page(None, "en")
    assert not at.exception and not at.warning
    before = _cases_kpi(at)
    second = build.write_version(root, tables, manifest)
    at.run()
    assert _cases_kpi(at) == before  # one version for the whole session
    assert any(t("dataset.newer", "en") in i.value for i in at.info)
    at.button(key="use_newest_version").click().run()
    assert _cases_kpi(at) != before and at.session_state["_dataset_version"][1] == second.id
    switched = [e for e in audit.entries(audit.log_path(root)) if e["action"] == "version_switch"]
    assert [(e["detail"]["version"], e["detail"]["scope"]) for e in switched] == [(second.id, "session")]
    fresh = open_page(None, "en")  # a reload: the current version
    assert _cases_kpi(fresh) == _cases_kpi(at)


def test_a_damaged_version_gives_way_to_the_last_good_one(two_versions):
    root, first, tables, manifest = two_versions
    second = build.write_version(root, tables, manifest)
    path = root / "versions" / second.id / "cases.parquet"
    path.write_bytes(path.read_bytes()[:-100])  # cut short in place
    at = open_page(None, "zh")
    assert not at.exception and not at.error
    warning = next(w.value for w in at.warning)
    assert second.id in warning and first.id in warning and "cases.parquet" in warning
    assert at.session_state["_dataset_version"][1] == first.id
    assert dataset.current_id(root) == second.id  # nothing was switched behind the user's back


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_data_page_draws(lang, two_versions):
    at = open_page("views/data.py", lang)
    assert not at.exception and not at.error
    heads = [h.value for h in at.header]
    assert heads == [
        t(k, lang)
        for k in ("data.import.header", "data.versions.header", "data.quality.header", "audit.header")
    ]
    assert at.selectbox(key="data_version").value == dataset.current_id(two_versions[0])
    if lang == "zh":  # every table's headers in the page's language (the data's own names are not)
        raw = {"table", "column", "rows", "empty", "share", "version", "key", "duplicates"}
        heads = {str(c) for d in at.dataframe for c in d.value.columns}
        assert heads and not heads & raw, heads & raw
        [hist] = [d.value for d in at.dataframe if t("data.col.origin", lang) in d.value.columns]
        origins = set(hist[t("data.col.origin", lang)])
        assert origins and not origins & {"generated", "import", "adopted"}, origins


def test_files_replaced_in_place_under_a_running_app_keep_the_last_good_version(tmp_path, monkeypatch):
    """The flat layout: a session's figures never mix two contents; a cut-short file is named and
    the version read before keeps serving."""
    import shutil

    root = tmp_path / "flat"
    shutil.copytree(DEFAULT_DATA_DIR, root)
    monkeypatch.setenv("CLOUDSWORD_DATA", str(root))
    at = open_page(None, "en")
    before = _cases_kpi(at)
    cases = root / "cases.parquet"
    cases.write_bytes(cases.read_bytes()[: cases.stat().st_size // 2])  # replaced in place, cut short
    at.run()
    assert not at.exception and _cases_kpi(at) == before
    fresh = open_page(None, "en")  # a new session: the broken content is named, the last good serves
    assert not fresh.exception and _cases_kpi(fresh) == before
    assert any("cases.parquet" in w.value for w in fresh.warning)
