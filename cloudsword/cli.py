"""Command line: `python -m cloudsword <command> ...`.

Each command is a small function registered in `build_parser()`, so new ones slot in beside
`generate`. A CloudSwordError becomes one line on stderr naming the file and problem, in the
user's language (`--lang`, else $CLOUDSWORD_LANG or $LANG), and exit status 2; no traceback,
because the user can act on the message.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from cloudsword.errors import CloudSwordError
from cloudsword.synth.config import DEFAULT_CONFIG, load_config

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "demo"


def _generate(args: argparse.Namespace) -> int:
    from cloudsword.synth.generate import generate

    config = load_config(args.config)
    seed = config.seed if args.seed is None else args.seed
    t0 = time.perf_counter()
    counts = generate(config, seed=seed, scale=args.scale, out_dir=args.out)
    rows = ", ".join(f"{name} {n:,}" for name, n in counts.items())
    print(f"wrote {args.out} (seed {seed}, scale {args.scale:g}) in {time.perf_counter() - t0:.1f} s: {rows}")
    return 0


DECK_SUFFIXES = (".pptx", ".pdf", ".html")


def _deck(args: argparse.Namespace) -> int:
    """Render a deck (the default story, or a saved deck file) to PPTX, PDF or HTML."""
    from cloudsword import story
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
    store = Store(args.data or DEFAULT_DATA_DIR)
    specs = load(args.views) if args.views is not None else story.story(store, args.story)
    slides = story.build_deck(store, specs, lang)
    written = write_deck(slides, out, lang)
    problems = sum(not s.ok for s in slides)
    seconds = f"{time.perf_counter() - t0:.1f}"
    print(t("deck.cli.wrote", lang, file=written, n=len(slides), problems=problems, seconds=seconds))
    return 0


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
    dk.set_defaults(run=_deck)
    return parser


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
