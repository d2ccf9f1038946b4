"""How long the demo-data generator takes at scale 100 (1e7 cases, 1e6 entities, 3e6 links).

Prints, does not assert: timings depend on the machine. The design target is at most 60 s on a
2-core machine. Scale 1 (the shipped demo) runs first in the same process as a baseline; peak
RSS is the process's high-water mark (getrusage), so after scale 100 it is scale 100's peak.
Output goes to a temporary directory that is deleted afterwards.
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
from pathlib import Path

import _common as c

from cloudsword.synth.config import load_config
from cloudsword.synth.generate import generate

TARGET_S = 60.0
SCALES = (1.0, 100.0)


def peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return kb / 1024 if sys.platform != "darwin" else kb / 2**20


def main() -> int:
    config = load_config(c.ROOT / "data" / "alliance.toml")
    work = Path(tempfile.mkdtemp(prefix="bench-generate-"))
    timings: dict[float, float] = {}
    try:
        for scale in SCALES:
            out = work / f"scale{scale:g}"
            seconds, counts = c.timed(lambda out=out, scale=scale: generate(config, config.seed, scale, out))
            timings[scale] = seconds
            size_mb = sum(p.stat().st_size for p in out.iterdir()) / 2**20
            print(f"scale {scale:g}: {c.ms(seconds)} wall, peak RSS {peak_rss_mb():,.0f} MB, "
                  f"now {c.rss_mb():,.0f} MB, {size_mb:,.1f} MB on disk")  # fmt: skip
            for name, n in counts.items():
                print(f"    {name:<14} {n:>12,} rows")
            shutil.rmtree(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    big = timings[SCALES[-1]]
    print(f"scale {SCALES[-1]:g} vs target {TARGET_S:.0f} s: {big / TARGET_S:.2f} of the budget "
          f"({'within' if big <= TARGET_S else 'OVER'} target)")  # fmt: skip
    print(f"scale {SCALES[-1]:g} / scale {SCALES[0]:g} time ratio: {big / timings[SCALES[0]]:,.0f}x "
          f"for {SCALES[-1] / SCALES[0]:,.0f}x the rows")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
