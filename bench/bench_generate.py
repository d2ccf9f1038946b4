"""How long the demo-data generator takes, and its peak memory, from scale 1 to scale 1000.

    .venv/bin/python bench/bench_generate.py [--scales 1 100 1000] [--versioned]

Scale 100 is 1e7 cases, 1e6 entities, 3e6 links (target at most 60 s); scale 1000 is 1e8 cases,
1e7 entities, 3e7 links (targets: at most 15 minutes and a peak of 4 GB, issue 13). Each scale
runs in a fresh process, so its peak RSS (getrusage's high-water mark) is its own; scale 1 (the
shipped demo) is the baseline in the same run. The default is the flat layout `generate` writes
(the tables, and the rings detected on the whole network); `--versioned` writes a version with
every product as the CLI's `--versioned` does. Prints, does not assert. Output goes to a
temporary directory that is deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import _common as c

TARGETS = {100.0: (60.0, None), 1000.0: (15 * 60.0, 4096.0)}  # seconds, MB

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from cloudsword.synth.config import load_config
from cloudsword.synth.generate import generate
scale, out, versioned = float(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "1"
write = None
if versioned:
    from cloudsword.build import write_version as write
config = load_config(sys.argv[4])
t0 = time.perf_counter()
counts = generate(config, config.seed, scale, out, write=write)
seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20
print(json.dumps({"seconds": seconds, "peak_mb": peak, "disk_mb": size, "counts": counts}))
"""


def run(scale: float, out: Path, versioned: bool) -> dict:
    config = c.ROOT / "data" / "alliance.toml"
    args = [sys.executable, "-c", _CHILD, str(scale), str(out), "1" if versioned else "0", str(config)]
    done = subprocess.run(args, capture_output=True, text=True, cwd=c.ROOT, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", type=float, nargs="+", default=[1.0, 100.0])
    ap.add_argument("--versioned", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-generate-"))
    layout = "versioned, every product" if args.versioned else "flat, with the rings"
    results: dict[float, dict] = {}
    try:
        for scale in args.scales:
            got = results[scale] = run(scale, work / f"scale{scale:g}", args.versioned)
            shutil.rmtree(work / f"scale{scale:g}", ignore_errors=True)
            wall, peak, disk = c.ms(got["seconds"]), got["peak_mb"], got["disk_mb"]
            print(f"scale {scale:g} ({layout}): {wall} wall, peak RSS {peak:,.0f} MB, {disk:,.1f} MB on disk")
            for name, n in got["counts"].items():
                print(f"    {name:<14} {n:>13,} rows")
            seconds, mb = TARGETS.get(scale, (None, None))
            if seconds is not None:
                verdict = "within" if got["seconds"] <= seconds else "OVER"
                print(f"    time vs target {seconds:.0f} s: {got['seconds'] / seconds:.2f} of it ({verdict})")
            if mb is not None:
                verdict = "within" if got["peak_mb"] <= mb else "OVER"
                print(f"    peak vs target {mb:,.0f} MB: {got['peak_mb'] / mb:.2f} of it ({verdict})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    base = results.get(min(results))
    for scale, got in results.items():
        if got is not base:
            ratio, rows = got["seconds"] / base["seconds"], scale / min(results)
            print(f"scale {scale:g} / {min(results):g}: {ratio:,.0f}x the time for {rows:,.0f}x the rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
