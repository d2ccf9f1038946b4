"""Command line: `python -m cloudsword <command> ...`.

Each command is a small function registered in `build_parser()`, so new ones slot in beside
`generate`. A CloudSwordError becomes one line on stderr naming the file and problem, in the
user's language (`--lang`, else $CLOUDSWORD_LANG or $LANG), and exit status 2; no traceback,
because the user can act on the message.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import socket
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from cloudsword.errors import CloudSwordError
from cloudsword.synth.config import DEFAULT_CONFIG, load_config

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "demo"


def _generate(args: argparse.Namespace) -> int:
    from cloudsword import dataset
    from cloudsword.synth.generate import generate

    config = load_config(args.config)
    seed = config.seed if args.seed is None else args.seed
    t0 = time.perf_counter()
    write = None
    if args.versioned or dataset.is_versioned(args.out):
        from cloudsword.build import write_version

        write = write_version  # a new version beside the others, switched to when complete
    counts = generate(config, seed=seed, scale=args.scale, out_dir=args.out, write=write)
    rows = ", ".join(f"{name} {n:,}" for name, n in counts.items())
    print(f"wrote {args.out} (seed {seed}, scale {args.scale:g}) in {time.perf_counter() - t0:.1f} s: {rows}")
    return 0


DECK_SUFFIXES = (".pptx", ".pdf", ".html")


def _deck(args: argparse.Namespace) -> int:
    """Render a deck (the default story, or a saved deck file) to PPTX, PDF or HTML."""
    from cloudsword import access, story
    from cloudsword.access.decks import specs_for
    from cloudsword.deck.files import write_deck
    from cloudsword.deck.saved import DeckError, load
    from cloudsword.i18n import t
    from cloudsword.store import DEFAULT_DATA_DIR, Store

    lang = args.deck_lang or args.lang
    args.lang = lang  # messages, including errors, in the deck's language
    out = Path(args.out)
    if out.suffix.lower() not in DECK_SUFFIXES:
        raise DeckError("deck.error.suffix", file=str(out), suffix=out.suffix or "(none)")
    if args.views is None and args.story not in story.STORIES:
        raise DeckError("deck.error.story", story=args.story, stories=", ".join(story.STORIES))
    t0 = time.perf_counter()
    who = _principal(args.user)
    store = access.scoped(Store(args.data or DEFAULT_DATA_DIR), who)  # the deck as `who` may see it
    specs = load(args.views) if args.views is not None else story.story(store, args.story)
    specs = specs_for(specs, store)  # no id or name the user may not hold
    slides = story.build_deck(store, specs, lang)
    written = write_deck(slides, out, lang)
    _audit(store.data_dir, who, "export", file=Path(written).name, what="deck")
    problems = sum(not s.ok for s in slides)
    seconds = f"{time.perf_counter() - t0:.1f}"
    print(t("deck.cli.wrote", lang, file=written, n=len(slides), problems=problems, seconds=seconds))
    return 0


def _import(args: argparse.Namespace) -> int:
    """Import files into a table of a dataset: the report, then a new version when it allows."""
    from cloudsword.i18n import t
    from cloudsword.ingest import importer, report
    from cloudsword.ingest.read import IngestError, Limits

    mapping = {}
    for item in args.map or []:
        target, sep, header = item.partition("=")
        if not sep:
            raise IngestError("ingest.error.mapping", item=item)
        mapping[target.strip()] = header.strip()
    limits = Limits.from_env()
    if args.max_mb is not None or args.max_rows is not None:
        limits = Limits(
            int(args.max_mb * 2**20) if args.max_mb is not None else limits.max_bytes,
            args.max_rows if args.max_rows is not None else limits.max_rows,
        )
    files = [(Path(f), Path(f).name) for f in args.files]
    checked, version = importer.import_files(
        args.dataset,
        files,
        args.table,
        mapping=mapping,
        sheet=args.sheet,
        mode=args.mode,
        leave_out_rejected=args.leave_out_rejected,
        limits=limits,
    )
    for line in report.lines(checked, args.lang):
        print(line)
    if version is None:
        print(t("ingest.cli.blocked", args.lang), file=sys.stderr)
        return 1
    print(t("ingest.cli.wrote", args.lang, version=version.id, file=args.dataset))
    _audit(
        args.dataset,
        _principal(None),
        "import",
        version=version.id,
        table=args.table,
        files=[n for _, n in files],
    )
    return 0


def _versions(args: argparse.Namespace) -> int:
    """List a dataset's versions (newest first, * = current); --use ID makes one current."""
    from cloudsword import dataset

    if args.use:
        dataset.select(args.dataset, args.use)
        _audit(args.dataset, _principal(None), "version_switch", version=args.use)
    current = dataset.current_id(args.dataset)
    for v in dataset.versions(args.dataset):
        origin = v.manifest.get("origin", {})
        what = origin.get("kind", "generated" if v.manifest.get("generator") else "")
        if origin.get("table"):
            what += f" {origin['table']} ({origin.get('mode', '')}) " + ", ".join(origin.get("files", []))
        rows = v.manifest.get("rows", {})
        mark = "*" if v.id == current else " "
        print(f"{mark} {v.id}  {v.created or '-':25}  cases {rows.get('cases', 0):>10,}  {what}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    """Read every byte of a version and compare its checksums with the manifest."""
    from cloudsword import dataset

    v = dataset.open_version(args.dataset, args.version) if args.version else None
    v = v or dataset.open_version(args.dataset)
    try:
        problems = dataset.verify(v)
    finally:
        dataset.release(v)
    for p in problems:
        print(f"{v.id}: {p}", file=sys.stderr)
    if not problems:
        print(f"{v.id}: " + ("完好" if args.lang == "zh" else "intact") + f" ({len(v.files)} files)")
    return 1 if problems else 0


def _principal(user: str | None):
    """Who a command acts as: `--as USER` from the roles file, else the administrator (whoever
    runs commands on the server can read the data files anyway)."""
    from cloudsword.access import Principal, Role
    from cloudsword.access.roles import principal_for, read_roles
    from cloudsword.access.scope import AccessError

    if user is None:
        return Principal(getpass.getuser(), Role.ADMIN, name="command line")
    found = principal_for(user, read_roles())
    if found is None:
        raise AccessError("access.unknown_user", user=user)
    return found


def _audit(data_dir: Path | str, who, action: str, **detail: object) -> None:
    """One audit entry for a command (origin: the command line on this host)."""
    from cloudsword.access import audit

    audit.append(audit.log_path(data_dir), who, action, f"cli@{socket.gethostname()}", **detail)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"should be a positive number, is {text}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"should not be negative, is {text}")
    return value


def _env_lang() -> str:
    env = os.environ.get("CLOUDSWORD_LANG") or os.environ.get("LANG", "")
    return "zh" if env.lower().startswith("zh") else "en"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cloudsword", description="Cloud Sword dashboard tools.")
    parser.add_argument(
        "--lang", choices=("zh", "en"), default=_env_lang(), help="language of messages (default from $LANG)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")

    gen = commands.add_parser(
        "generate",
        help="generate the calibrated synthetic demonstration dataset",
        description="Generate the synthetic dataset calibrated to the alliance's public figures.",
    )
    gen.add_argument("--seed", type=_seed, default=None, help="random seed (default: the config's, 20170801)")
    gen.add_argument(
        "--scale",
        type=_positive_float,
        default=1.0,
        help="volume multiplier: 1 = ~100k cases, 100 = ~1e7 cases (default 1)",
    )
    gen.add_argument(
        "--config", type=Path, default=DEFAULT_CONFIG, help="alliance config (default data/alliance.toml)"
    )
    gen.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (default data/demo)")
    gen.add_argument(
        "--versioned",
        action="store_true",
        help="write a versioned dataset (versions side by side, products stored with each); "
        "implied when --out already is one",
    )
    gen.set_defaults(run=_generate)

    dk = commands.add_parser(
        "deck",
        help="render the presenter deck as PPTX, PDF or HTML",
        description="Render the presenter deck (personal data masked) to a .pptx, .pdf or .html file.",
    )
    dk.add_argument("--story", default="default", help="built-in story to render (default: default)")
    dk.add_argument("--views", type=Path, default=None, help="a saved deck (JSON) to render instead")
    dk.add_argument(
        "--lang", dest="deck_lang", choices=("zh", "en"), default=None, help="language of the deck"
    )
    dk.add_argument("--out", type=Path, required=True, help="output file: .pptx, .pdf or .html")
    dk.add_argument("--data", type=Path, default=None, help="dataset directory (default data/demo)")
    dk.add_argument(
        "--as",
        dest="user",
        default=None,
        metavar="USER",
        help="render as this user of the roles file sees it (default: the administrator)",
    )
    dk.set_defaults(run=_deck)

    imp = commands.add_parser(
        "import",
        help="import CSV, Excel or Parquet files into a table of a dataset (a new version)",
        description="Check files against the schema, print the report, and write a new dataset version "
        "when it allows (the previous version stays; `versions --use` restores it).",
    )
    imp.add_argument("files", nargs="+", type=Path, help="CSV (any common encoding), .xlsx or .parquet")
    imp.add_argument("--table", required=True, help="cases, clues, entities, links, suspects or memberships")
    imp.add_argument(
        "--dataset", type=Path, default=DEFAULT_OUT, help="dataset directory (default data/demo)"
    )
    imp.add_argument("--sheet", default=None, help="Excel sheet (default: the first)")
    imp.add_argument(
        "--map", action="append", metavar="COLUMN=HEADER", help="map a column by hand (repeatable)"
    )
    imp.add_argument(
        "--mode", choices=("replace", "append"), default="replace", help="replace the table or add rows"
    )
    imp.add_argument(
        "--leave-out-rejected", action="store_true", help="import the rows that pass, leave the rejected out"
    )
    imp.add_argument("--max-mb", type=_positive_float, default=None, help="file size limit in MB")
    imp.add_argument("--max-rows", type=_seed, default=None, help="row limit")
    imp.set_defaults(run=_import)

    ver = commands.add_parser("versions", help="list a dataset's versions, or make one current")
    ver.add_argument(
        "--dataset", type=Path, default=DEFAULT_OUT, help="dataset directory (default data/demo)"
    )
    ver.add_argument("--use", default=None, metavar="ID", help="make this version current (restore it)")
    ver.set_defaults(run=_versions)

    vf = commands.add_parser("verify", help="check every file of a dataset version against its checksums")
    vf.add_argument("--dataset", type=Path, default=DEFAULT_OUT, help="dataset directory (default data/demo)")
    vf.add_argument("--version", default=None, help="version id (default: the current one)")
    vf.set_defaults(run=_verify)
    wh = commands.add_parser(
        "warehouse",
        help="build the dataset-level products on Apache Spark (monthly, graph_hubs, rings)",
        description="Build the products the pages read (monthly aggregate, graph hubs, rings) on Spark "
        "($CLOUDSWORD_SPARK_MASTER, $CLOUDSWORD_SPARK_CONF) from <table>.parquet files.",
    )
    wh.add_argument("--tables", type=Path, required=True, help="directory of <table>.parquet files")
    wh.add_argument("--out", type=Path, required=True, help="output directory (one Parquet directory each)")
    wh.set_defaults(run=_warehouse)
    return parser


def _warehouse(args: argparse.Namespace) -> int:
    from cloudsword.warehouse import build_products

    t0 = time.perf_counter()
    record = build_products(args.tables, args.out)
    names = ", ".join(record["products"])
    print(f"built {names} on Spark into {args.out} in {time.perf_counter() - t0:.1f} s")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command: 0 done, 2 a problem the user can act on, 1 anything else (one line on
    stderr, never a traceback; the detail goes to the log when $CLOUDSWORD_DEBUG is set)."""
    args = build_parser().parse_args(argv)
    from cloudsword.i18n import error_text

    debug = bool(os.environ.get("CLOUDSWORD_DEBUG"))
    log = logging.getLogger("cloudsword")
    if debug:
        logging.basicConfig(level=logging.INFO)
    elif not log.handlers:
        log.addHandler(logging.NullHandler())  # the server's details (paths) stay out of the message
    try:
        return int(args.run(args))
    except CloudSwordError as err:
        print(f"{_label(args.lang)}: {error_text(err, args.lang)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # the one place that turns any other failure into a line
        if debug:
            log.exception("unexpected error")
        print(f"{_label(args.lang)}: {error_text(err, args.lang)}", file=sys.stderr)
        return 1


def _label(lang: str) -> str:
    return "错误" if lang == "zh" else "error"


if __name__ == "__main__":
    sys.exit(main())
