#!/usr/bin/env python3
"""Logistic regression, uptake vs scikit-learn, side by side in one run on the same seeded 1,000,000 x 50 problem.

    python3 benchmarks/logistic.py [--rows 1000000] [--columns 50] [--C 1.0] [--repeats 3]

Builds benchmarks/ in release mode, runs logistic-bench (which generates the data itself), rebuilds the identical
data with numpy (SplitMix64 with wrapping uint64 arithmetic; checked by a checksum), fits scikit-learn's
LogisticRegression with newton-cholesky and lbfgs at the same C and tolerance, and prints fit times, ratios and the
largest coefficient difference. Needs numpy and scikit-learn (pip install -r benchmarks/requirements.txt).
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def splitmix_uniforms(seed, start, count):
    """Outputs start+1 .. start+count of SplitMix64(seed), mapped to [0, 1) by the top 53 bits."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + np.arange(start + 1, start + count + 1, dtype=np.uint64) * GOLDEN
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


def problem(n, p, seed):
    u = splitmix_uniforms(seed, 0, n * p).reshape(n, p)
    x = np.empty((n, p))
    for j in range(p):
        x[:, j] = (2 * u[:, j] - 1) * (1 + j % 5)
        if j > 0:
            x[:, j] = x[:, j] + 0.3 * x[:, j - 1]
    beta = 0.1 * ((np.arange(p) % 7) - 3)
    eta = -1.0 + x @ beta
    v = splitmix_uniforms(seed, n * p, n)
    y = (v < 1 / (1 + np.exp(-eta))).astype(np.float64)
    return x, y


def best_of(repeats, fn):
    best, result = float("inf"), None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--columns", type=int, default=50)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--tol", type=float, default=1e-8)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

    subprocess.run(["swift", "build", "-c", "release", "--package-path", HERE], check=True,
                   stdout=subprocess.DEVNULL)
    binary = os.path.join(HERE, ".build", "release", "logistic-bench")
    common = ["--rows", str(args.rows), "--columns", str(args.columns), "--seed", str(args.seed), "--C", str(args.C),
              "--tolerance", str(args.tol), "--repeats", str(args.repeats)]
    swift = json.loads(subprocess.run([binary] + common, check=True, capture_output=True, text=True).stdout)
    swift1 = json.loads(subprocess.run([binary] + common + ["--threads", "1"], check=True, capture_output=True,
                                       text=True).stdout)

    x, y = problem(args.rows, args.columns, args.seed)
    checksum = float(np.sum(x))
    assert abs(checksum - swift["checksum"]) <= 1e-9 * max(1, abs(checksum)), (checksum, swift["checksum"])
    assert int(y.sum()) == swift["positives"], (int(y.sum()), swift["positives"])

    results = {}
    for solver in ["newton-cholesky", "lbfgs"]:
        model = LogisticRegression(C=args.C, solver=solver, tol=args.tol, max_iter=10_000)
        seconds, fitted = best_of(args.repeats, lambda: model.fit(x, y))
        coef = np.concatenate([fitted.intercept_, fitted.coef_[0]])
        results[solver] = (seconds, coef, int(fitted.n_iter_[0]))

    ours = np.array([swift["intercept"]] + swift["coefficients"])
    fastest = min(results, key=lambda s: results[s][0])
    print(f"logistic regression, {args.rows:,} x {args.columns}, L2 C={args.C}, tol={args.tol}, best of {args.repeats}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; scikit-learn {sklearn.__version__}, numpy {np.__version__}")
    print(f"data identical: checksum {checksum:.6f}, {int(y.sum())} events")
    print(f"{'fit':34s} {'seconds':>8s} {'iters':>6s} {'max |coef diff| vs uptake':>26s}")
    print(f"{'uptake newton-cholesky, 2 threads':34s} {swift['fit_seconds']:8.3f} {swift['iterations']:6d} {'-':>26s}")
    print(f"{'uptake newton-cholesky, 1 thread':34s} {swift1['fit_seconds']:8.3f} {swift1['iterations']:6d} "
          f"{np.max(np.abs(np.array([swift1['intercept']] + swift1['coefficients']) - ours)):26.2e}")
    for solver, (seconds, coef, iters) in results.items():
        print(f"{'scikit-learn ' + solver:34s} {seconds:8.3f} {iters:6d} {np.max(np.abs(coef - ours)):26.2e}")
    ratio = results[fastest][0] / swift["fit_seconds"]
    print(f"ratio: scikit-learn's fastest ({fastest}) / uptake = {ratio:.1f}x")


if __name__ == "__main__":
    sys.exit(main())
