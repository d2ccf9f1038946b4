"""Presenter deck: time to export the default story as PPTX, PDF and HTML (issue #6).

Prints, does not assert. Target: PPTX at most 15 s on this machine, with every chart image rendered
through one kaleido browser. The baseline measured in the same run is the naive way: one kaleido
call (one browser start) per chart, which is what `fig.to_image` in a loop does.
"""

from __future__ import annotations

import _common as c

from cloudsword import story as deck
from cloudsword.deck import files as deck_files
from cloudsword.store import DEFAULT_DATA_DIR, Store

TARGET_S = 15.0


def main() -> None:
    store = Store(DEFAULT_DATA_DIR)
    for lang in ("zh", "en"):
        t_story, specs = c.timed(lambda lang=lang: deck.default_story(store))
        t_build, slides = c.timed(lambda lang=lang, specs=specs: deck.build_deck(store, specs, lang))
        figs = [fig for s in slides for fig in s.figures]
        print(
            f"[{lang}] default story: {len(slides)} slides, {len(figs)} charts; "
            f"story {c.ms(t_story)}, slides resolved {c.ms(t_build)}"
        )
        for fmt, fn in (
            ("pptx", deck_files.pptx_bytes),
            ("pdf", deck_files.pdf_bytes),
            ("html", deck_files.html_bytes),
        ):
            t_file, raw = c.timed(lambda fn=fn, slides=slides, lang=lang: fn(slides, lang))
            total = t_story + t_build + t_file
            verdict = (
                f" (target <= {TARGET_S:.0f} s: {'met' if total <= TARGET_S else 'MISSED'})"
                if fmt == "pptx"
                else ""
            )
            print(
                f"[{lang}] {fmt:4}: {c.ms(total)} end to end, file {c.ms(t_file)},",
                f"{len(raw) / 2**20:.1f} MB{verdict}",
            )
    # what a user waits for at the command line: a fresh process, imports and store opening included
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "cloudsword", "deck", "--story", "default", "--lang", "zh"]
        t_cli, done = c.timed(
            lambda: subprocess.run([*cmd, "--out", f"{tmp}/deck.pptx"], cwd=c.ROOT, capture_output=True)
        )
        ok = "met" if done.returncode == 0 and t_cli <= TARGET_S else "MISSED"
        print(f"[zh] python -m cloudsword deck --out deck.pptx: {c.ms(t_cli)} (target <= 15 s: {ok})")
    # baseline: one browser per chart (fig.to_image in a loop), same charts, same size
    from cloudsword import export

    t_batch, _ = c.timed(lambda: export.images(figs, "png"))
    t_naive, _ = c.timed(lambda: [export.images([f], "png") for f in figs])
    print(
        f"chart images, {len(figs)} PNGs: one browser {c.ms(t_batch)}; one browser per chart {c.ms(t_naive)} "
        f"(ratio {t_naive / t_batch:.1f}x)"
    )


if __name__ == "__main__":
    main()
