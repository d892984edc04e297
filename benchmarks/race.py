#!/usr/bin/env python3
"""The whole job, CSV to trained model to scored list, as a user times it: uptake against its peers, side by side.

    swift build -c release --product uptake
    python3 benchmarks/race.py                        # or: make bench-race
    python3 benchmarks/race.py --rows 200000 --repeats 1   # quicker

Seeded data are written once (benchmarks/data/race-ROWSxFEATURES/): a dense table of ROWS rows and FEATURES
features (four in five continuous, one in five small counts), 80% in train.csv with the outcome, 20% in score.csv.
Each contender then runs in its own process(es), alternating, best of REPEATS by wall time:

- uptake (release CLI): `train` then `score --reasons 3` — reading, checks, fit, validation, profile, simple rule,
  model file, then reading, scoring, three reasons per row, ranked list; wall time is the two processes' sum.
- pandas + scikit-learn LogisticRegression (newton-cholesky, tol 1e-8, C=1 on standardised columns, as uptake);
  pandas + LightGBM stumps (num_leaves=2, 300 rounds, learning rate 0.1, n_jobs=2); pandas + XGBoost `hist`
  stumps (max_depth=1, same rounds and rate): read train.csv, fit, read score.csv, per-feature contributions
  (`pred_contrib` / coefficient × centred value), three largest positive per row, ranked list written as CSV.

Reported per contender: wall time, peak RSS (`/usr/bin/time`), AUC on score.csv's outcome (computed afterwards
from the written list, not timed), and the ratio peer / uptake. uptake's best run's stage breakdown (`--trace`)
follows, so a slow stage is read, not guessed.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BINARY = os.path.join(ROOT, ".build", "release", "uptake")
ROUNDS, RATE = 300, 0.1


def write_data(folder, rows, features, seed=20261201):
    """train.csv and score.csv with columns id, x0..x{features-1}, y; written once per size."""
    train, score = os.path.join(folder, "train.csv"), os.path.join(folder, "score.csv")
    if os.path.exists(train) and os.path.exists(score):
        return train, score
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((rows, features))
    counts = np.arange(features) % 5 == 4
    x[:, counts] = rng.poisson(2.0, size=(rows, counts.sum()))
    beta = rng.normal(0, 0.4, features) * (rng.random(features) < 0.6)
    margin = -1.0 + (x - x.mean(axis=0)) @ beta + 0.3 * np.sin(2 * x[:, 0])
    y = (rng.random(rows) < 1 / (1 + np.exp(-margin))).astype(int)
    frame = pd.DataFrame(np.round(x, 5), columns=[f"x{j}" for j in range(features)])
    frame.insert(0, "id", np.arange(1, rows + 1))
    frame["y"] = y
    cut = int(rows * 0.8)
    frame.iloc[:cut].to_csv(train + ".partial", index=False)
    frame.iloc[cut:].to_csv(score + ".partial", index=False)
    os.replace(train + ".partial", train)
    os.replace(score + ".partial", score)
    return train, score


def timed(command):
    """(wall seconds, peak RSS MB, stdout, stderr) of one process, run under /usr/bin/time."""
    start = time.perf_counter()
    run = subprocess.run(["/usr/bin/time", "-f", "RSS_KB %M"] + command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if run.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{run.stderr[-2000:]}")
    rss = next(int(line.split()[1]) for line in reversed(run.stderr.splitlines()) if line.startswith("RSS_KB"))
    return seconds, rss / 1024, run.stdout, run.stderr


def uptake(learner, train, score, folder):
    model, out = os.path.join(folder, f"uptake-{learner}.json"), os.path.join(folder, f"list-uptake-{learner}.csv")
    fit = [BINARY, "train", "--data", train, "--target", "y", "--event", "1", "--id", "id", "--learner", learner,
           "--out", model, "--quiet", "--trace"]
    if learner == "stumps":
        fit += ["--rounds", str(ROUNDS), "--learning-rate", str(RATE)]
    t1, r1, _, e1 = timed(fit)
    t2, r2, _, e2 = timed([BINARY, "score", "--model", model, "--data", score, "--reasons", "3", "--out", out,
                           "--quiet", "--trace"])
    trace = [line for line in (e1 + e2).splitlines() if line.startswith("trace:")]
    return {"seconds": t1 + t2, "train": t1, "score": t2, "rss": max(r1, r2), "list": out, "trace": trace}


def peer(kind, train, score, folder):
    out = os.path.join(folder, f"list-{kind}.csv")
    seconds, rss, stdout, _ = timed([sys.executable, __file__, "--peer", kind, train, score, out])
    return {"seconds": seconds, "rss": rss, "list": out, **json.loads(stdout.strip().splitlines()[-1])}


def run_peer(kind, train_path, score_path, out):
    """One peer's whole job in this process: read, fit, read, contributions, top three, rank, write."""
    start = time.perf_counter()
    frame = pd.read_csv(train_path)
    names = [c for c in frame.columns if c not in ("id", "y")]
    x, y = frame[names].to_numpy(), frame["y"].to_numpy()
    read = time.perf_counter()
    if kind == "sklearn":
        from sklearn.linear_model import LogisticRegression
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale == 0] = 1
        model = LogisticRegression(C=1.0, solver="newton-cholesky", tol=1e-8, max_iter=100)
        model.fit((x - mean) / scale, y)
    elif kind == "lightgbm":
        import lightgbm
        model = lightgbm.LGBMClassifier(n_estimators=ROUNDS, learning_rate=RATE, num_leaves=2, max_depth=1,
                                        n_jobs=2, verbose=-1)
        model.fit(x, y)
    else:
        import xgboost
        model = xgboost.XGBClassifier(n_estimators=ROUNDS, learning_rate=RATE, max_depth=1, tree_method="hist",
                                      n_jobs=2)
        model.fit(x, y)
    fitted = time.perf_counter()
    new = pd.read_csv(score_path)
    z = new[names].to_numpy()
    if kind == "sklearn":
        phi = ((z - mean) / scale) * model.coef_[0]
        margin = phi.sum(axis=1) + model.intercept_[0]
    elif kind == "lightgbm":
        contrib = model.booster_.predict(z, pred_contrib=True)
        phi, margin = contrib[:, :-1], contrib.sum(axis=1)
    else:
        import xgboost
        contrib = model.get_booster().predict(xgboost.DMatrix(z), pred_contribs=True)
        phi, margin = contrib[:, :-1], contrib.sum(axis=1)
    top = np.argsort(-phi, axis=1)[:, :3]
    order = np.argsort(-margin, kind="stable")
    result = pd.DataFrame({"rank": np.arange(1, len(order) + 1), "id": new["id"].to_numpy()[order],
                           "probability": np.round(1 / (1 + np.exp(-margin[order])), 4)})
    labels = np.array(names)
    for k in range(3):
        chosen = top[order, k]
        result[f"reason_{k + 1}"] = np.where(phi[order, chosen] > 0, labels[chosen], "")
    result.to_csv(out, index=False)
    end = time.perf_counter()
    print(json.dumps({"stages": {"read train": read - start, "fit": fitted - read, "score and write": end - fitted}}))


def auc(list_path, score_path):
    """AUC of the written list's probabilities against score.csv's outcome (not timed)."""
    scored = pd.read_csv(list_path, usecols=["id", "probability"])
    truth = pd.read_csv(score_path, usecols=["id", "y"])
    merged = truth.merge(scored, on="id")
    assert len(merged) == len(truth), "the list does not hold every row"
    p, y = merged["probability"].to_numpy(), merged["y"].to_numpy()
    ranks = pd.Series(p).rank().to_numpy()
    positives = y.sum()
    return (ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * (len(y) - positives))


def main():
    if len(sys.argv) == 6 and sys.argv[1] == "--peer":
        return run_peer(*sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", choices=["logistic", "stumps"], help="race one learner only")
    args = parser.parse_args()
    if not os.path.exists(BINARY):
        sys.exit("build uptake first: swift build -c release --product uptake")
    folder = os.path.join(HERE, "data", f"race-{args.rows}x{args.features}")
    train, score = write_data(folder, args.rows, args.features)
    races = [("logistic", ["sklearn"]), ("stumps", ["lightgbm", "xgboost"])]
    races = [r for r in races if args.only in (None, r[0])]
    best = {}
    for _ in range(args.repeats):
        for learner, peers in races:
            for name, run in [(f"uptake {learner}", lambda: uptake(learner, train, score, folder))] + [
                    (p, lambda p=p: peer(p, train, score, folder)) for p in peers]:
                result = run()
                if name not in best or result["seconds"] < best[name]["seconds"]:
                    best[name] = result
    import platform
    print(f"race: {args.rows:,} rows x {args.features} features (80% train, 20% scored with 3 reasons), "
          f"best of {args.repeats}, each tool in its own process, alternating")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; pandas {pd.__version__}, numpy {np.__version__}")
    print(f"{'contender':18s} {'wall':>8s} {'peak RSS':>9s} {'AUC':>7s} {'its time / uptake':>18s}")
    for learner, peers in races:
        ours = best[f"uptake {learner}"]
        for name in [f"uptake {learner}"] + peers:
            r = best[name]
            ratio = "" if name == f"uptake {learner}" else f"{r['seconds'] / ours['seconds']:.2f}"
            print(f"{name:18s} {r['seconds']:7.2f}s {r['rss']:7.0f}MB {auc(r['list'], score):7.4f} {ratio:>18s}")
        print(f"  uptake {learner}: train {ours['train']:.2f} s, score {ours['score']:.2f} s; stages:")
        for line in ours["trace"]:
            print("   ", line)
        for name in peers:
            stages = ", ".join(f"{k} {v:.2f} s" for k, v in best[name]["stages"].items())
            print(f"  {name}: {stages}")


if __name__ == "__main__":
    sys.exit(main())
