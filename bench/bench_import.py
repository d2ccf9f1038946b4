"""Importing a 1e6-row cases CSV in GBK with Chinese headers and addresses, beside plain
pandas.read_csv of the same file.

The file (bench/_work/cases-1e6-gbk.csv, built once) is what a provincial system exports: Chinese
headers, dates as 2017年8月1日, money in 万元, province and city names and a free-text address.
Each side runs in a fresh process so its peak memory (getrusage of the child) is its own:
- pandas: `pd.read_csv(path, encoding="gbk")`, nothing else;
- import: the whole `python -m cloudsword import` path into a new dataset: read and detect,
  map, parse dates and money, resolve places (names, then cpca on each distinct address), check,
  then write the version with its products and switch to it.
Targets (issue 12): at most 60 s and 2 GB on this 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common as c
import numpy as np
import pandas as pd

ROWS = 1_000_000
TARGET_S, TARGET_MB = 60.0, 2048.0


def build_csv(path: Path, rows: int = ROWS, seed: int = 1) -> None:
    """Cases spread over every city, with distinct street addresses (cpca sees each one)."""
    from cloudsword import geo

    rng = np.random.default_rng(seed)
    cities = geo.load_cities()
    provinces = geo.load_provinces().set_index("adcode")
    pick = rng.integers(0, len(cities), rows)
    city = cities.iloc[pick]
    prov_name = provinces.loc[city.province_adcode, "name_zh"].to_numpy()
    city_name = city.name_zh.to_numpy()
    days = pd.Timestamp("2014-01-01") + pd.to_timedelta(rng.integers(0, 1300, rows), unit="D")
    roads = np.array(["人民路", "解放路", "中山路", "建设路", "文化路", "新华路", "工业园路", "商贸城"])
    address = (
        pd.Series(prov_name) + pd.Series(city_name) + pd.Series(roads[rng.integers(0, len(roads), rows)])
        + pd.Series(rng.integers(1, 3000, rows)).astype(str) + "号"
    )  # fmt: skip
    frame = pd.DataFrame(
        {
            "案件编号": [f"AJ{i:08d}" for i in range(rows)],
            "立案日期": [f"{d.year}年{d.month}月{d.day}日" for d in days],
            "省份": prov_name,
            "城市": city_name,
            "案发地址": address,
            "商品类别": rng.choice(
                ["服装", "鞋类", "箱包", "化妆品", "电子产品", "食品", "药品", "玩具"], rows
            ),
            "抓获人数": rng.integers(0, 5, rows),
            "涉案金额（万元）": np.round(rng.lognormal(1.0, 1.2, rows), 2),
            "捣毁窝点数": rng.integers(0, 3, rows),
        }
    )
    tmp = path.with_suffix(".partial")
    frame.to_csv(tmp, index=False, encoding="gbk")
    tmp.rename(path)


def _child(kind: str, path: str, out: str) -> None:
    t0 = time.perf_counter()
    if kind == "pandas":
        df = pd.read_csv(path, encoding="gbk")
        rows, note = len(df), f"{df.shape[1]} columns"
    else:
        from cloudsword.ingest import importer

        checked, version = importer.import_files(out, [(Path(path), Path(path).name)], "cases")
        rows = checked.rows_read
        note = f"{checked.counts}; version {version.id if version else 'NOT WRITTEN'}"
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{seconds:.2f}\t{peak:.0f}\t{rows}\t{note}")


def _run(kind: str, path: Path, out: Path) -> tuple[float, float, str]:
    cmd = [sys.executable, __file__, "--child", kind, str(path), str(out)]
    res = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(c.ROOT)})
    if res.returncode:
        raise RuntimeError(res.stderr[-3000:])
    seconds, peak, rows, note = res.stdout.strip().splitlines()[-1].split("\t")
    return float(seconds), float(peak), f"{int(rows):,} rows, {note}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", nargs=3, metavar=("KIND", "CSV", "OUT"))
    ap.add_argument("--rows", type=int, default=ROWS)
    args = ap.parse_args()
    if args.child:
        _child(*args.child)
        return 0
    path = c.WORK / f"cases-{args.rows:.0e}-gbk.csv".replace("e+0", "e")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"building {path.relative_to(c.ROOT)} (once, then reused) ...", flush=True)
        build_csv(path, args.rows)
    print(f"file: {path.name}, {path.stat().st_size / 2**20:,.0f} MB, GBK, Chinese headers and addresses")
    out = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        p_s, p_mb, p_note = _run("pandas", path, out / "unused")
        i_s, i_mb, i_note = _run("import", path, out / "dataset")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    print(f"pandas.read_csv           : {p_s:6.1f} s, peak RSS {p_mb:,.0f} MB ({p_note})")
    print(f"cloudsword import (total) : {i_s:6.1f} s, peak RSS {i_mb:,.0f} MB ({i_note})")
    print(f"import vs pandas          : {i_s / p_s:.1f}x the time, {i_mb / p_mb:.1f}x the memory")
    ok = i_s <= TARGET_S and i_mb <= TARGET_MB
    print(f"target {TARGET_S:.0f} s and {TARGET_MB:,.0f} MB: {'within' if ok else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
