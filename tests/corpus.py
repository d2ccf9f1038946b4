"""The corpus of damaged datasets and hostile values (issue 16), shared by the store, page, deck and
command-line tests.

A damaged dataset is the demo data copied and broken in one way, the way a tester broke it: true
NaN and inf in Parquet (not nulls), cases dated 1900 and 2099, a manifest that ends before the
data, a city in another province, a longitude of 999, links that end before they start, empty
tables, an empty or unreadable manifest. Each case says what the store must make of it: the
message key and rule of the error, or the rule of the warning the pages show.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cloudsword.store import DEFAULT_DATA_DIR


def _table(d: Path, name: str) -> pa.Table:
    return pq.read_table(d / f"{name}.parquet")


def _write(d: Path, name: str, t: pa.Table) -> None:
    pq.write_table(t, d / f"{name}.parquet")


def _set(d: Path, name: str, column: str, rows: dict[int, object]) -> None:
    """Set values of `column` at row positions, keeping the file's types (NaN stays NaN)."""
    t = _table(d, name)
    values = t.column(column).to_pylist()
    for i, v in rows.items():
        values[i] = v
    field = t.schema.field(column)
    arr = pa.array(values, type=field.type, from_pandas=False)
    _write(d, name, t.set_column(t.schema.get_field_index(column), field, arr))


def _alliance_rows(d: Path, n: int) -> list[int]:
    """Positions of the first `n` cases that came from alliance clues (the overview counts those)."""
    clue = _table(d, "cases").column("clue_id").to_pylist()
    return [i for i, c in enumerate(clue) if c is not None][:n]


def _empty(d: Path, name: str) -> None:
    t = _table(d, name)
    _write(d, name, t.slice(0, 0))


def _manifest(d: Path, **changes: object) -> None:
    path = d / "manifest.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw.update(changes)
    path.write_text(json.dumps(raw), encoding="utf-8")


def _other_province_city(d: Path) -> None:
    _set(d, "cases", "city_adcode", {0: "440100"})  # case 0 is in Jilin (220000); 440100 is Guangzhou


@dataclass(frozen=True)
class Damage:
    """One way to break a dataset and what the store must say: `key` of the error (None: it
    opens), `rule` of the error or warning, `file` and `column` the message names."""

    name: str
    breaks: Callable[[Path], None]
    key: str | None
    rule: str = ""
    file: str = ""
    column: str = ""

    @property
    def opens(self) -> bool:
        return self.key is None


DAMAGES = [
    Damage(
        "nan-seizure",
        lambda d: _set(d, "cases", "seizure_cny", dict.fromkeys(_alliance_rows(d, 2), float("nan"))),
        "error.dataset_invalid",
        "empty",
        "cases.parquet",
        "seizure_cny",
    ),
    Damage(
        "null-seizure",
        lambda d: _set(d, "cases", "seizure_cny", {0: None}),
        "error.dataset_invalid",
        "empty",
        "cases.parquet",
        "seizure_cny",
    ),
    Damage(
        "inf-seizure",
        lambda d: _set(d, "cases", "seizure_cny", {0: float("inf")}),
        "error.dataset_invalid",
        "not_finite",
        "cases.parquet",
        "seizure_cny",
    ),
    Damage(
        "negative-seizure",
        lambda d: _set(d, "cases", "seizure_cny", {0: -4.9969e12}),
        "error.dataset_invalid",
        "below",
        "cases.parquet",
        "seizure_cny",
    ),
    Damage(
        "negative-suspects",
        lambda d: _set(d, "cases", "suspects_caught", {0: -4122}),
        "error.dataset_invalid",
        "below",
        "cases.parquet",
        "suspects_caught",
    ),
    Damage(
        "city-in-another-province",
        _other_province_city,
        "error.dataset_invalid",
        "in_province",
        "cases.parquet",
        "city_adcode",
    ),
    Damage(
        "longitude-999",
        lambda d: _set(d, "entities", "lon", {0: 999.0}),
        "error.dataset_invalid",
        "above",
        "entities.parquet",
        "lon",
    ),
    Damage(
        "link-ends-before-it-starts",
        lambda d: _set(d, "links", "last_seen", {0: date(2000, 1, 1)}),
        "error.dataset_invalid",
        "ordered",
        "links.parquet",
        "last_seen",
    ),
    Damage(
        "manifest-start-after-end",
        lambda d: _manifest(d, start="2017-07-31", end="2014-01-01"),
        "error.manifest",
        "order",
        "manifest.json",
    ),
    Damage(
        "manifest-0-bytes",
        lambda d: (d / "manifest.json").write_bytes(b""),
        "error.manifest",
        "empty",
        "manifest.json",
    ),
    Damage(
        "manifest-not-json",
        lambda d: (d / "manifest.json").write_text("{'start': 2014", encoding="utf-8"),
        "error.manifest",
        "not_json",
        "manifest.json",
    ),
    Damage(
        "manifest-without-end",
        lambda d: (d / "manifest.json").write_text('{"start": "2014-01-01", "as_of": "2017-08-01"}'),
        "error.manifest",
        "field",
        "manifest.json",
    ),
    Damage(
        "cases-parquet-garbage",
        lambda d: (d / "cases.parquet").write_bytes(b"PAR1 not really"),
        "error.data_corrupt",
        "",
        "cases.parquet",
    ),
    # they open: the figures leave rows out, or have nothing to show, and every page affected says so
    Damage(
        "cases-dated-1900-and-2099",
        lambda d: _set(
            d, "cases", "opened_on", dict(zip(_alliance_rows(d, 2), [date(1900, 1, 1), date(2099, 1, 1)]))
        ),
        None,
        "outside_dataset",
        "cases.parquet",
        "opened_on",
    ),
    Damage(
        "manifest-ends-before-the-data",
        lambda d: _manifest(d, end="2016-12-31"),
        None,
        "outside_dataset",
        "cases.parquet",
        "opened_on",
    ),
    Damage("no-memberships", lambda d: _empty(d, "memberships"), None, "no_rows", "memberships.parquet"),
    Damage("no-links", lambda d: _empty(d, "links"), None, "no_rows", "links.parquet"),
    Damage("no-clues", lambda d: _no_clues(d), None, "no_rows", "clues.parquet"),
]


def _no_clues(d: Path) -> None:
    """No alliance clues, and so no case that came from one."""
    _empty(d, "clues")
    cases = _table(d, "cases")
    keep = pc.is_null(cases.column("clue_id"))
    _write(d, "cases", cases.filter(keep))
    suspects = _table(d, "suspects")
    _write(d, "suspects", suspects.slice(0, 0))


def damaged(name: str, into: Path) -> Path:
    """A copy of the demo data at `into/<name>`, broken as DAMAGES[name] says."""
    damage = next(x for x in DAMAGES if x.name == name)
    out = into / name
    shutil.copytree(DEFAULT_DATA_DIR, out)
    damage.breaks(out)
    return out


def by_name(name: str) -> Damage:
    return next(x for x in DAMAGES if x.name == name)


# -- hostile values --------------------------------------------------------------------------------
OUTSIDE = "203.0.113.9"  # TEST-NET-3: an address that is never ours
MARKDOWN = [
    f"![p](http://{OUTSIDE}/p.png)",
    f"[login](http://{OUTSIDE}/login)",
    f"http://{OUTSIDE}/auto",
    f"<img src=http://{OUTSIDE}/x.png>",
    ":red[**OFFICIAL**] # heading $x^2$",
]
FORMULAS = ['=HYPERLINK("http://203.0.113.9","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]
DATES = ["9999-12-31", "0001-01-01", "10000-01-01", "2017-02-30"]
HOSTILE = MARKDOWN + FORMULAS


def hostile_names(into: Path) -> Path:
    """The demo data with every entity named by a hostile value (markdown, HTML, formulas) in turn:
    a dataset that passes every check, since a name is free text."""
    out = into / "hostile-names"
    shutil.copytree(DEFAULT_DATA_DIR, out)
    t = _table(out, "entities")
    names = [HOSTILE[i % len(HOSTILE)] + f" {i}" for i in range(t.num_rows)]
    i = t.schema.get_field_index("name")
    _write(out, "entities", t.set_column(i, t.schema.field(i), pa.array(names, type=pa.string())))
    return out


def markdown_problems(text: str) -> list[str]:
    """What a markdown renderer would make live in `text`: links (but the app's own ./page links),
    images, raw HTML, headings, bare web addresses, colour directives, formulas. Empty for text
    that stays text."""
    from markdown_it import MarkdownIt

    found = []
    for token in MarkdownIt("commonmark").parse(text):
        for t in [token, *(token.children or [])]:
            href = str(t.attrGet("href") or "")
            if t.type == "link_open" and href.startswith("./") and ":" not in href.split("?")[0]:
                continue  # our own links to the app's pages
            if t.type in ("link_open", "image", "html_inline", "html_block", "heading_open", "autolink"):
                found.append(f"{t.type} {href}".strip())
    found += [f"bare address {m}" for m in ("http://", "https://", "www.") if m in text]
    found += [f"directive {d}" for d in (":red[", ":material/") if d in text]
    found += ["formula $" for _ in re.finditer(r"(?<!\\)\$", text)]
    return found
