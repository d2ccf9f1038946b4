"""The corpus of damaged datasets through the store: each is refused with an error naming the
dataset, file, column, rule, row count and first rows, or opens with a warning saying what the
figures leave out; in both languages, never with the server's path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from corpus import DAMAGES, Damage, damaged

from cloudsword import checks
from cloudsword.errors import DataError
from cloudsword.filters import Filters, month_end
from cloudsword.i18n import error_text
from cloudsword.overview import queries as overview_queries
from cloudsword.store import DEFAULT_DATA_DIR, Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo() -> Store:
    return Store(DEFAULT_DATA_DIR)


def _open(damage: Damage, tmp_path: Path) -> Store | DataError:
    path = damaged(damage.name, tmp_path)
    try:
        return Store(path)
    except DataError as err:
        return err


@pytest.mark.parametrize("damage", [d for d in DAMAGES if not d.opens], ids=lambda d: d.name)
def test_a_damaged_dataset_is_refused_with_what_where_and_how_many(damage, tmp_path):
    err = _open(damage, tmp_path)
    assert isinstance(err, DataError) and err.key == damage.key
    assert err.params["dataset"] == damage.name
    for lang in ("zh", "en"):
        text = error_text(err, lang)
        assert damage.name in text and damage.file in text and damage.column in text
        assert str(tmp_path) not in text and "Traceback" not in text
    if damage.key == "error.dataset_invalid":
        (problem,) = [p for p in err.params["problems"] if p.params["column"] == damage.column]
        assert problem.key == f"check.{damage.rule}"
        assert problem.params["n"] >= 1 and problem.params["rows"]  # how many, and the first rows
    elif damage.key == "error.manifest":
        assert err.params["detail"].key == f"manifest.{damage.rule}"


@pytest.mark.parametrize("damage", [d for d in DAMAGES if d.opens], ids=lambda d: d.name)
def test_a_dataset_that_opens_says_what_its_figures_leave_out(damage, tmp_path):
    store = _open(damage, tmp_path)
    assert isinstance(store, Store)
    found = [p for p in store.warnings if p.rule == damage.rule and f"{p.table}.parquet" == damage.file]
    assert found and all(p.severity == "warning" for p in store.warnings)
    if damage.column:
        assert found[0].column == damage.column and found[0].rows >= 1 and found[0].first
    for lang in ("zh", "en"):
        texts = [error_text(m, lang) for m in store.warnings_for("overview") + store.warnings_for("network")]
        assert any(damage.file in x and damage.name in x for x in texts)
        assert not any(str(tmp_path) in x for x in texts)


def test_cases_outside_the_range_are_left_out_and_said_to_be(demo, tmp_path):
    """The tester's case: two alliance cases dated 1900 and 2099 are not counted (they lie outside
    every view), and the pages say so; everything else reads as before."""
    store = _open(next(d for d in DAMAGES if d.name == "cases-dated-1900-and-2099"), tmp_path)
    f = demo.default_filters()
    before, after = overview_queries.alliance_totals(demo, f), overview_queries.alliance_totals(store, f)
    assert after["cases"] == before["cases"] - 2 and after["clues"] == before["clues"]
    (warning,) = [p for p in store.warnings if p.rule == "outside_dataset"]
    assert warning.rows == 2 and "opened_on=1900-01-01" in warning.first[0]


def test_a_manifest_ending_early_leaves_no_view_beyond_it(tmp_path):
    store = _open(next(d for d in DAMAGES if d.name == "manifest-ends-before-the-data"), tmp_path)
    assert store.default_filters().date_to.isoformat() == "2016-12-31"
    outside = {p.table for p in store.warnings if p.rule == "outside_dataset"}
    assert {"cases", "clues", "suspects"} <= outside


def test_no_figure_turns_a_missing_value_into_zero(demo):
    """A period with no rows is zero; a sum that is missing stays missing (— on the page)."""
    f = Filters(demo.manifest.start, month_end(demo.manifest.start))  # January 2014: before any clue
    totals = overview_queries.alliance_totals(demo, f)
    assert totals["clues"] == 0 and totals["seizure"] == 0
    by_province = overview_queries.by_province(demo, f, "seizure")
    assert by_province.value.isna().all()  # no data is not zero


def test_the_importer_runs_the_same_rules_on_a_frame(demo):
    cases = demo.run(demo.table("cases").limit(50))
    cases.loc[0, "seizure_cny"] = float("nan")
    cases.loc[1, "seizure_cny"] = -1.0
    cities = demo.run(demo.table("cities"))
    found = checks.check_frame("cases", cases, demo.manifest.start, demo.manifest.end, {"cities": cities})
    assert {(p.rule, p.column, p.rows) for p in found} == {
        ("empty", "seizure_cny", 1),
        ("below", "seizure_cny", 1),
    }


def test_an_unreadable_file_or_directory_is_named(tmp_path_factory):
    """PermissionError, for real: the store opens the dataset as an unprivileged user (as root,
    in a child process that drops to `nobody`)."""
    base = Path(tmp_path_factory.mktemp("perm", numbered=True))
    os.chmod(base, 0o755)
    for p in base.parents:
        if str(p).startswith("/tmp/pytest-of"):
            os.chmod(p, 0o755)
    data = damaged("no-links", base)  # any dataset that opens
    for sub in [data, *data.iterdir()]:
        os.chmod(sub, 0o755 if sub.is_dir() else 0o644)
    os.chmod(data / "cases.parquet", 0o000)
    assert _open_as_nobody(data) == {
        "key": "error.data_unreadable",
        "dataset": "no-links",
        "file": "cases.parquet",
    }
    os.chmod(data, 0o000)
    assert _open_as_nobody(data) == {"key": "error.dataset_unreadable", "dataset": "no-links"}
    os.chmod(data, 0o755)


def _open_as_nobody(data: Path) -> dict:
    code = (
        "import json, sys\n"
        "from cloudsword.errors import DataError\n"
        "from cloudsword.store import Store\n"
        "try:\n"
        f"    Store({str(data)!r}); print('{{}}')\n"
        "except DataError as err:\n"
        "    print(json.dumps({'key': err.key, **err.params}))\n"
    )
    prefix = []
    if os.geteuid() == 0:  # root reads everything: drop to nobody for the child
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv (util-linux)")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    out = subprocess.run(
        [*prefix, sys.executable, "-c", code], cwd="/", capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True, timeout=120,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])
