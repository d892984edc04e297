#!/usr/bin/env python3
"""CSV reading: uptake's reader vs pandas.read_csv (C parser), side by side on the same file.

    python3 benchmarks/csv_read.py [--rows 800000] [--columns 51]

Writes benchmarks/data/numeric-ROWSxCOLS.csv once (seeded, all numeric, as in design.md: 800k x 51 is ~300 MB),
then times best-of-3 reads by each, in separate processes so peak RSS is each reader's own.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=800_000)
    ap.add_argument("--columns", type=int, default=51)
    ap.add_argument("--pandas", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.pandas:
        import pandas as pd
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            frame = pd.read_csv(args.pandas)
            best = min(best, time.perf_counter() - t)
        print(json.dumps({"seconds": best, "rows": len(frame), "checksum": float(frame.iloc[:, 0].sum()),
                          "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                          "version": pd.__version__}))
        return
    os.makedirs(os.path.join(HERE, "data"), exist_ok=True)
    path = os.path.join(HERE, "data", f"numeric-{args.rows}x{args.columns}.csv")
    if not os.path.exists(path):
        rng = np.random.default_rng(42)
        x = rng.normal(size=(args.rows, args.columns))
        np.savetxt(path + ".tmp", x, delimiter=",", fmt="%.10g",
                   header=",".join(f"x{j + 1}" for j in range(args.columns)), comments="")
        os.replace(path + ".tmp", path)
    size_mb = os.path.getsize(path) / 1e6
    subprocess.run(["swift", "build", "-c", "release", "--package-path", HERE], check=True, stdout=subprocess.DEVNULL)
    ours = json.loads(subprocess.run([os.path.join(HERE, ".build", "release", "csv-bench"), path, "3"], check=True,
                                     capture_output=True, text=True).stdout)
    theirs = json.loads(subprocess.run([sys.executable, __file__, "--pandas", path], check=True, capture_output=True,
                                       text=True).stdout)
    assert ours["rows"] == theirs["rows"] and abs(ours["checksum"] - theirs["checksum"]) < 1e-6 * max(1, abs(theirs["checksum"]))
    print(f"CSV read, {args.rows:,} x {args.columns} all-numeric, {size_mb:.0f} MB, best of 3")
    for name, r in [("uptake", ours), (f"pandas {theirs['version']}", theirs)]:
        print(f"{name:16s} {r['seconds']:7.3f} s  {size_mb / r['seconds']:6.0f} MB/s  peak RSS {r['peak_rss_mb']:6.0f} MB")
    print(f"byte scan (map the file, memchr every newline, 2 cores): {ours['byte_scan_seconds']:.3f} s  "
          f"{size_mb / ours['byte_scan_seconds']:6.0f} MB/s — the floor for any reader")
    print(f"ratio: pandas / uptake = {theirs['seconds'] / ours['seconds']:.2f}x; "
          f"uptake / byte scan = {ours['seconds'] / ours['byte_scan_seconds']:.1f}x")


if __name__ == "__main__":
    sys.exit(main())
