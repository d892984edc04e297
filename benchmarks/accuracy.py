#!/usr/bin/env python3
"""Accuracy on the shared real data sets: uptake against EBM, LightGBM and scikit-learn, on fixed 70/30 splits.

    swift build -c release --product uptake
    pip install -r benchmarks/requirements.txt interpret
    python3 benchmarks/accuracy.py [--data ../shared/datasets] [--sets benefits,guImmun,wa_churn] [--interactions N]

Each data set is split once, 70% train and 30% test, seeded (numpy default_rng(2026)) and by family where the set
has one (guImmun: `mom`), and written to benchmarks/data/accuracy/SET/{train,test}.csv with a `row_id` column, so
every contender sees the same rows. uptake runs as a user runs it: `uptake train` on train.csv with default
settings (only the outcome, the id, the family and the id columns to leave out are named), then `uptake score` on
test.csv; AUC from the written list's probabilities. The peers are fitted in this process on the same rows:
InterpretML's EBM (main effects only, its defaults otherwise), LightGBM stumps (num_leaves=2, 300 rounds, learning
rate 0.05) and scikit-learn's logistic regression (C=1 on standardised numbers and one-hot levels, missing numbers
imputed by the training median). Prints test AUC and fit seconds per contender, and uptake's margin to each peer.
With `--interactions N`, also uptake stumps trained with `--interactions N` and EBM with `interactions=N`.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BINARY = os.path.join(ROOT, ".build", "release", "uptake")

# Per data set: file, outcome column, event value, family column (or None), id columns that are not features.
SETS = {
    "benefits": ("Benefits.csv", "ui", "no", None, []),
    "guImmun": ("guImmun.csv", "immun", "N", "mom", ["kid", "comm"]),
    "wa_churn": ("wa_churn.csv", "churn", "Yes", None, []),
}


def split(name, data):
    """Writes (once) and returns the fixed 70/30 split of one data set."""
    file, outcome, event, family, ids = SETS[name]
    out = os.path.join(HERE, "data", "accuracy", name)
    train_path, test_path = os.path.join(out, "train.csv"), os.path.join(out, "test.csv")
    if not os.path.exists(test_path):
        d = pd.read_csv(os.path.join(data, file), dtype=str, keep_default_na=False)
        d.insert(0, "row_id", np.arange(1, len(d) + 1))
        rng = np.random.default_rng(2026)
        units = d[family].unique() if family else d["row_id"].to_numpy()
        test_units = set(rng.permutation(units)[: int(round(0.3 * len(units)))].tolist())
        is_test = (d[family] if family else d["row_id"]).isin(test_units)
        os.makedirs(out, exist_ok=True)
        d[~is_test].to_csv(train_path + ".tmp", index=False)
        d[is_test].to_csv(test_path + ".tmp", index=False)
        os.replace(train_path + ".tmp", train_path)
        os.replace(test_path + ".tmp", test_path)
    return train_path, test_path


def uptake(learner, name, train_path, test_path, extra=()):
    _, outcome, event, family, ids = SETS[name]
    with tempfile.TemporaryDirectory() as tmp:
        model, listing = os.path.join(tmp, "model.json"), os.path.join(tmp, "list.csv")
        command = [BINARY, "train", "--data", train_path, "--target", outcome, "--event", event, "--id", "row_id",
                   "--learner", learner, "--out", model, "--quiet", *extra]
        if family:
            command += ["--group", family]
        for column in ids:
            command += ["--exclude", column]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        seconds = time.perf_counter() - start
        subprocess.run([BINARY, "score", "--model", model, "--data", test_path, "--out", listing, "--quiet"],
                       check=True, capture_output=True)
        scores = pd.read_csv(listing)
    test = pd.read_csv(test_path, dtype=str, keep_default_na=False)
    truth = dict(zip(test["row_id"].astype(int), test[outcome] == event))
    y = np.array([truth[i] for i in scores["row_id"]])
    return roc_auc_score(y, scores["probability"]), seconds


def peer_frames(name, train_path, test_path):
    """Features (numbers as floats, the rest as categories over the training levels) and labels for the peers."""
    _, outcome, event, family, ids = SETS[name]
    train = pd.read_csv(train_path)
    test = pd.read_csv(test_path)
    drop = ["row_id", outcome] + ([family] if family else []) + ids
    x_train, x_test = train.drop(columns=drop), test.drop(columns=drop)
    for c in x_train.columns:
        if not pd.api.types.is_numeric_dtype(x_train[c]):
            levels = sorted(x_train[c].dropna().astype(str).unique())
            x_train[c] = pd.Categorical(x_train[c].astype(str).where(x_train[c].notna(), None), categories=levels)
            x_test[c] = pd.Categorical(x_test[c].astype(str).where(x_test[c].notna(), None), categories=levels)
    y_train = (train[outcome].astype(str) == event).to_numpy()
    y_test = (test[outcome].astype(str) == event).to_numpy()
    return x_train, y_train, x_test, y_test


def timed(fit):
    start = time.perf_counter()
    model = fit()
    return model, time.perf_counter() - start


def peers(x_train, y_train, x_test, y_test, interactions=0):
    import lightgbm
    from interpret.glassbox import ExplainableBoostingClassifier
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    results = {}
    ebm, s = timed(lambda: ExplainableBoostingClassifier(interactions=0, random_state=2026, n_jobs=2)
                   .fit(x_train, y_train))
    results["EBM (main effects)"] = (roc_auc_score(y_test, ebm.predict_proba(x_test)[:, 1]), s)
    if interactions:
        ebm, s = timed(lambda: ExplainableBoostingClassifier(interactions=interactions, random_state=2026, n_jobs=2)
                       .fit(x_train, y_train))
        results[f"EBM + {interactions} pairs"] = (roc_auc_score(y_test, ebm.predict_proba(x_test)[:, 1]), s)
    lgbm, s = timed(lambda: lightgbm.LGBMClassifier(
        n_estimators=300, learning_rate=0.05, num_leaves=2, max_depth=1, n_jobs=2, verbose=-1,
        random_state=2026).fit(x_train, y_train))
    results["LightGBM stumps"] = (roc_auc_score(y_test, lgbm.predict_proba(x_test)[:, 1]), s)
    numeric = [c for c in x_train.columns if pd.api.types.is_numeric_dtype(x_train[c])]
    categorical = [c for c in x_train.columns if c not in numeric]
    design = ColumnTransformer([
        ("numbers", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        ("levels", make_pipeline(SimpleImputer(strategy="constant", fill_value="missing"),
                                 OneHotEncoder(handle_unknown="ignore")), categorical)])
    to_text = lambda x: x.astype({c: object for c in categorical})
    logistic, s = timed(lambda: make_pipeline(design, LogisticRegression(C=1.0, max_iter=5000))
                        .fit(to_text(x_train), y_train))
    results["scikit-learn logistic"] = (roc_auc_score(y_test, logistic.predict_proba(to_text(x_test))[:, 1]), s)
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "datasets"))
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--interactions", type=int, default=0, help="also compare with N pairwise interactions")
    args = ap.parse_args()
    if not os.path.exists(BINARY):
        sys.exit("build uptake first: swift build -c release --product uptake")
    print("test AUC on fixed 70/30 splits (benchmarks/accuracy.py); fit seconds in brackets")
    for name in args.sets.split(","):
        train_path, test_path = split(name, args.data)
        rows = {f"uptake {learner}": uptake(learner, name, train_path, test_path) for learner in ["stumps", "logistic"]}
        if args.interactions:
            rows[f"uptake stumps + {args.interactions} pairs"] = uptake(
                "stumps", name, train_path, test_path, ["--interactions", str(args.interactions)])
        rows.update(peers(*peer_frames(name, train_path, test_path), interactions=args.interactions))
        print(f"\n{name} ({sum(1 for _ in open(train_path)) - 1} train rows, {sum(1 for _ in open(test_path)) - 1} test)")
        for contender, (auc, seconds) in rows.items():
            print(f"  {contender:24s} {auc:.4f}  ({seconds:5.2f} s)")
        stumps, logistic = rows["uptake stumps"][0], rows["uptake logistic"][0]
        print(f"  uptake stumps - EBM {stumps - rows['EBM (main effects)'][0]:+.4f}, "
              f"- LightGBM {stumps - rows['LightGBM stumps'][0]:+.4f}; "
              f"uptake logistic - scikit-learn {logistic - rows['scikit-learn logistic'][0]:+.4f}")
        if args.interactions:
            pairs = f"{args.interactions} pairs"
            print(f"  with {pairs}: uptake - EBM {rows['uptake stumps + ' + pairs][0] - rows['EBM + ' + pairs][0]:+.4f}")


if __name__ == "__main__":
    main()
