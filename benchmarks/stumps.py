#!/usr/bin/env python3
"""Boosted stumps: uptake vs LightGBM, XGBoost and scikit-learn's HistGradientBoosting, side by side in one run.

    python3 benchmarks/stumps.py [--rows 1000000] [--columns 50] [--rounds 300]

Same seeded problem as benchmarks/logistic.py (80/20 split: the first 80% of rows train). 300 rounds, learning
rate 0.1, 255 bins, depth-1 trees, 2 threads. Each tool runs in its own process so peak RSS (ru_maxrss) is its
own; every process holds the data once (uptake as Swift column arrays, the peers as a numpy array). Reports fit
time (binning included), scoring time of the test rows with and without per-feature contributions, test AUC and
peak RSS. HistGradientBoosting has no contributions API.
"""
import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from logistic import problem  # noqa: E402  (the shared generator)


def run_peer(name, rows, columns, seed, rounds):
    from sklearn.metrics import roc_auc_score
    x, y = problem(rows, columns, seed)
    cut = rows * 4 // 5
    xtr, ytr, xte, yte = x[:cut], y[:cut], x[cut:], y[cut:]
    out = {"checksum": float(np.sum(x))}
    t = time.perf_counter()
    if name == "lightgbm":
        import lightgbm
        model = lightgbm.LGBMClassifier(n_estimators=rounds, learning_rate=0.1, num_leaves=2, max_depth=1,
                                        max_bin=255, n_jobs=2, verbose=-1).fit(xtr, ytr)
        out["fit_seconds"] = time.perf_counter() - t
        t = time.perf_counter(); p = model.predict_proba(xte)[:, 1]; out["score_seconds"] = time.perf_counter() - t
        t = time.perf_counter(); model.predict(xte, pred_contrib=True); out["contrib_seconds"] = time.perf_counter() - t
        out["version"] = lightgbm.__version__
    elif name == "xgboost":
        import xgboost
        model = xgboost.XGBClassifier(n_estimators=rounds, learning_rate=0.1, max_depth=1, tree_method="hist",
                                      max_bin=256, n_jobs=2).fit(xtr, ytr)
        out["fit_seconds"] = time.perf_counter() - t
        t = time.perf_counter(); p = model.predict_proba(xte)[:, 1]; out["score_seconds"] = time.perf_counter() - t
        booster = model.get_booster()
        t = time.perf_counter(); booster.predict(xgboost.DMatrix(xte), pred_contribs=True)
        out["contrib_seconds"] = time.perf_counter() - t
        out["version"] = xgboost.__version__
    else:
        import sklearn
        from sklearn.ensemble import HistGradientBoostingClassifier
        model = HistGradientBoostingClassifier(max_iter=rounds, learning_rate=0.1, max_depth=1, max_bins=255,
                                               early_stopping=False).fit(xtr, ytr)
        out["fit_seconds"] = time.perf_counter() - t
        t = time.perf_counter(); p = model.predict_proba(xte)[:, 1]; out["score_seconds"] = time.perf_counter() - t
        out["contrib_seconds"] = None
        out["version"] = sklearn.__version__
    out["test_auc"] = float(roc_auc_score(yte, p))
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--columns", type=int, default=50)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--peer")
    args = ap.parse_args()
    if args.peer:
        return run_peer(args.peer, args.rows, args.columns, args.seed, args.rounds)

    subprocess.run(["swift", "build", "-c", "release", "--package-path", HERE], check=True, stdout=subprocess.DEVNULL)
    common = ["--rows", str(args.rows), "--columns", str(args.columns), "--seed", str(args.seed),
              "--rounds", str(args.rounds)]
    env = dict(os.environ, OMP_NUM_THREADS="2")
    results = {"uptake": json.loads(subprocess.run([os.path.join(HERE, ".build", "release", "stumps-bench")] + common,
                                                  check=True, capture_output=True, text=True).stdout)}
    for peer in ["lightgbm", "xgboost", "hist_gradient_boosting"]:
        results[peer] = json.loads(subprocess.run([sys.executable, __file__, "--peer", peer] + common, check=True,
                                                  capture_output=True, text=True, env=env).stdout)
    checksums = {k: v["checksum"] for k, v in results.items()}
    assert max(checksums.values()) - min(checksums.values()) <= 1e-6 * max(1, abs(checksums["uptake"])), checksums

    print(f"boosted stumps, {args.rows:,} x {args.columns} (80/20), {args.rounds} rounds, lr 0.1, 255 bins, 2 threads")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; data identical (checksum {checksums['uptake']:.6f})")
    print(f"{'':24s} {'fit s':>8s} {'score s':>8s} {'contrib s':>10s} {'test AUC':>9s} {'peak RSS MB':>12s}")
    for name, r in results.items():
        contrib = "n/a" if r["contrib_seconds"] is None else f"{r['contrib_seconds']:.3f}"
        label = name + (f" {r['version']}" if "version" in r else "")
        print(f"{label:24s} {r['fit_seconds']:8.3f} {r['score_seconds']:8.3f} {contrib:>10s} {r['test_auc']:9.4f} "
              f"{r['peak_rss_mb']:12.0f}")
    up, lg, xg = results["uptake"], results["lightgbm"], results["xgboost"]
    fastest = min(lg["fit_seconds"], xg["fit_seconds"])
    print(f"fit: faster of LightGBM/XGBoost / uptake = {fastest / up['fit_seconds']:.1f}x")
    print(f"contributions: LightGBM / uptake = {lg['contrib_seconds'] / up['contrib_seconds']:.1f}x")
    print(f"test AUC: uptake - LightGBM = {up['test_auc'] - lg['test_auc']:+.4f}")
    print(f"peak RSS: uptake / LightGBM = {up['peak_rss_mb'] / lg['peak_rss_mb']:.2f}")


if __name__ == "__main__":
    sys.exit(main())
