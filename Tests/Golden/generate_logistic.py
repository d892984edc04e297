#!/usr/bin/env python3
"""Generates golden logistic-regression references for uptake's tests from statsmodels and scikit-learn.

Run from the repository root (needs ../shared/datasets/Benefits.csv beside the repo):

    pip install -r Tests/Golden/requirements.txt
    python3 Tests/Golden/generate_logistic.py

It writes Tests/LearnTests/Resources/logistic_golden.json, which carries each case's data as well as the
expected values, so the Swift tests need neither Python nor the shared folder. Every case also records the
optimality (KKT) residual of the reference solution, so a reference that did not converge is caught here.
"""
import json
import os
import sys

import numpy as np
import pandas as pd
import scipy
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENEFITS = os.path.join(ROOT, "..", "shared", "datasets", "Benefits.csv")
OUT = os.path.join(ROOT, "Tests", "LearnTests", "Resources", "logistic_golden.json")


def benefits_design():
    """Benefits.csv encoded as documented in the header: outcome ui == "no" (did not apply) is the event."""
    d = pd.read_csv(BENEFITS)
    yes = lambda c: (d[c] == "yes").astype(float)
    cols = {
        "stateur": d.stateur, "statemb": d.statemb, "age": d.age, "tenure": d.tenure,
        "yrdispl": d.yrdispl, "rr": d.rr,
        "nwhite": yes("nwhite"), "school12": yes("school12"), "male": (d.sex == "male").astype(float),
        "smsa": yes("smsa"), "married": yes("married"), "dkids": yes("dkids"), "dykids": yes("dykids"),
        "head": yes("head"),
        "joblost_slack_work": (d.joblost == "slack_work").astype(float),
        "joblost_position_abolished": (d.joblost == "position_abolished").astype(float),
        "joblost_seasonal_job_ended": (d.joblost == "seasonal_job_ended").astype(float),
    }
    x = pd.DataFrame(cols).astype(float)
    y = (d.ui == "no").astype(float).to_numpy()
    return x.to_numpy(), y, list(x.columns)


def loss_gradient(x, y, w, intercept, coef):
    eta = intercept + x @ coef
    r = w * (1 / (1 + np.exp(-eta)) - y)
    return np.concatenate([[r.sum()], x.T @ r])


def kkt(x, y, w, intercept, coef, mu, alpha):
    """Largest entry of the minimum-norm subgradient of  sum w*loss + mu*P(beta), divided by sum(w)."""
    g = loss_gradient(x, y, w, intercept, coef)
    g[1:] += mu * (1 - alpha) * coef
    worst = abs(g[0])
    lasso = mu * alpha
    for j, b in enumerate(coef):
        gj = g[j + 1]
        if lasso == 0:
            v = abs(gj)
        elif b != 0:
            v = abs(gj + lasso * np.sign(b))
        else:
            v = max(abs(gj) - lasso, 0)
        worst = max(worst, v)
    return worst / w.sum()


def hessian(x, w, intercept, coef):
    eta = intercept + x @ coef
    p = 1 / (1 + np.exp(-eta))
    a = np.column_stack([np.ones(len(x)), x])
    return a.T @ (a * (w * p * (1 - p))[:, None])


def polish_l1(x, y, params, lasso):
    """slsqp stops near KKT 1e-7. Keep its support and signs, where the lasso objective is smooth, and finish with
    Newton there; the KKT check in case() then proves the polished point is the exact optimum."""
    params = params.copy()
    params[1:][np.abs(params[1:]) < 1e-6] = 0.0
    support = np.concatenate([[True], params[1:] != 0])
    signs = np.sign(params[1:])[support[1:]]
    a = np.column_stack([np.ones(len(x)), x])[:, support]
    theta = params[support]
    for _ in range(50):
        p = 1 / (1 + np.exp(-(a @ theta)))
        g = a.T @ (p - y)
        g[1:] += lasso * signs
        h = a.T @ (a * (p * (1 - p))[:, None])
        step = np.linalg.solve(h, g)
        theta -= step
        if np.max(np.abs(step)) < 1e-15:
            break
    assert np.all(np.sign(theta[1:]) == signs), "polishing changed a sign: the slsqp support was wrong"
    params[support] = theta
    return params


def standardise(x):
    """(x - mean) / population std; the Swift test applies the same transform to the stored raw data."""
    return (x - x.mean(0)) / x.std(0)


def case(name, dataset, x, y, penalty, strength, l1_ratio, intercept, coef, se=None, se_kind=None,
         weights=None, class_weight="none", mu=0.0, w_eff=None, note="", standardised=False):
    w_eff = np.ones(len(y)) if w_eff is None else w_eff
    residual = kkt(x, y, w_eff, intercept, coef, mu, l1_ratio)
    print(f"{name:34s} KKT residual {residual:.2e}  {note}", file=sys.stderr)
    assert residual < 1e-9, f"{name}: reference did not converge (KKT {residual})"
    out = {
        "name": name, "note": note, "dataset": dataset, "standardise": standardised,
        "penalty": penalty, "strength": strength, "l1Ratio": l1_ratio, "classWeight": class_weight,
        "expected": {"intercept": float(intercept), "coefficients": [float(c) for c in coef],
                     "referenceKKT": residual},
    }
    if weights is not None:
        out["sampleWeights"] = [float(v) for v in weights]
    if se is not None:
        out["expected"]["standardErrors"] = [float(s) for s in se]
        out["expected"]["standardErrorKind"] = se_kind
    return out


def main():
    cases = []
    x, y, names = benefits_design()
    n, p = x.shape
    ones = np.ones(n)

    # 1. Unpenalised: statsmodels Logit (Newton to 1e-14), cross-checked against scikit-learn.
    res = sm.Logit(y, sm.add_constant(x)).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
    sk = LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-12, max_iter=1000).fit(x, y)
    note = f"statsmodels Logit; sklearn newton-cholesky agrees to {np.max(np.abs(sk.coef_[0] - res.params[1:])):.1e}"
    cases.append(case("benefits_unpenalised", "benefits", x, y, "none", None, 0.0, res.params[0], res.params[1:],
                      se=res.bse, se_kind="likelihood", note=note))

    # 2. Weighted (frequency weights 1-3): statsmodels GLM Binomial with freq_weights.
    rng = np.random.default_rng(20261123)
    fw = rng.integers(1, 4, size=n).astype(float)
    glm = sm.GLM(y, sm.add_constant(x), family=sm.families.Binomial(), freq_weights=fw).fit(tol=1e-14, maxiter=200)
    cases.append(case("benefits_weighted", "benefits", x, y, "none", None, 0.0, glm.params[0], glm.params[1:],
                      se=glm.bse, se_kind="likelihood", weights=fw, w_eff=fw,
                      note="statsmodels GLM Binomial freq_weights"))

    # 3. Ridge, scikit-learn's C convention, with the approximate sandwich standard errors computed here.
    c = 0.05
    sk = LogisticRegression(C=c, l1_ratio=0.0, solver="newton-cholesky", tol=1e-14, max_iter=1000).fit(x, y)
    h = hessian(x, ones, sk.intercept_[0], sk.coef_[0])
    hp = h + np.diag([0.0] + [1 / c] * p)
    hinv = np.linalg.inv(hp)
    sandwich = np.sqrt(np.diag(hinv @ h @ hinv))
    cases.append(case("benefits_ridge_C", "benefits", x, y, "l2", {"C": c}, 0.0, sk.intercept_[0], sk.coef_[0],
                      se=sandwich, se_kind="approximateSandwich", mu=1 / c,
                      note="sklearn newton-cholesky, C=0.05; sandwich SE from numpy"))

    # 4. Ridge with class_weight="balanced" and sample weights (scikit-learn multiplies them).
    sk = LogisticRegression(C=0.2, l1_ratio=0.0, solver="newton-cholesky", tol=1e-14, max_iter=1000,
                            class_weight="balanced").fit(x, y, sample_weight=fw)
    # scikit-learn >= 1.6: "balanced" uses sample-weighted class totals.
    cw = fw.sum() / (2 * np.bincount(y.astype(int), weights=fw))
    w_eff = fw * cw[y.astype(int)]
    cases.append(case("benefits_ridge_balanced_weighted", "benefits", x, y, "l2", {"C": 0.2}, 0.0, sk.intercept_[0],
                      sk.coef_[0], weights=fw, class_weight="balanced", mu=1 / 0.2, w_eff=w_eff,
                      note="sklearn newton-cholesky, class_weight=balanced, sample_weight"))

    # 5. L1 in the lambda convention, -loglike/n + lambda*|beta|_1 (statsmodels GLM.fit_regularized's form).
    #    statsmodels Logit.fit_regularized(method="l1") minimises -loglike + sum(alpha_k |beta_k|), so alpha = n*lambda
    #    (0 for the intercept). Features are standardised first so one lambda means the same for every column.
    xs = standardise(x)
    lam = 0.01
    alpha = np.array([0.0] + [lam * n] * p)
    l1 = sm.Logit(y, sm.add_constant(xs)).fit_regularized(
        method="l1", alpha=alpha, trim_mode="off", acc=1e-14, maxiter=10000, disp=0)
    params = polish_l1(xs, y, np.asarray(l1.params), lam * n)
    cases.append(case("benefits_l1_lambda", "benefits", xs, y, "l1", {"lambda": lam}, 1.0, params[0], params[1:],
                      mu=lam * n, note=f"statsmodels Logit l1 (slsqp), lambda={lam}, standardised features, "
                      f"{int(np.sum(params[1:] == 0))} zeros, polished by Newton on its support", standardised=True))

    # 6. Elastic net in scikit-learn's C convention (saga to 1e-15 on standardised data).
    sk = LogisticRegression(C=0.02, l1_ratio=0.5, solver="saga", tol=1e-15, max_iter=200000).fit(xs, y)
    cases.append(case("benefits_elasticnet_C", "benefits", xs, y, "elasticnet", {"C": 0.02}, 0.5, sk.intercept_[0],
                      sk.coef_[0], mu=1 / 0.02,
                      note=f"sklearn saga, C=0.02, l1_ratio=0.5, {int(np.sum(sk.coef_[0] == 0))} zeros", standardised=True))

    # 7. Ill-conditioned: two nearly collinear columns (correlation ~ 1 - 1e-8), unpenalised.
    rng = np.random.default_rng(7)
    m = 3000
    z1 = rng.normal(size=m)
    xi = np.column_stack([z1, z1 + 1e-4 * rng.normal(size=m), rng.normal(size=m), rng.uniform(0, 5, size=m)])
    eta = -0.3 + 0.8 * xi[:, 0] + 0.4 * xi[:, 2] - 0.2 * xi[:, 3]
    yi = (rng.uniform(size=m) < 1 / (1 + np.exp(-eta))).astype(float)
    res = sm.Logit(yi, sm.add_constant(xi)).fit(method="newton", tol=1e-14, maxiter=200, disp=0)
    cond = np.linalg.cond(hessian(xi, np.ones(m), res.params[0], res.params[1:]))
    cases.append(case("ill_conditioned", "ill_conditioned", xi, yi, "none", None, 0.0, res.params[0],
                      res.params[1:], se=res.bse, se_kind="likelihood",
                      note=f"statsmodels Logit; Hessian condition number {cond:.1e}"))

    # 8. Wide: more features than rows, ridge.
    rng = np.random.default_rng(11)
    nw, pw = 80, 200
    xw = rng.normal(size=(nw, pw))
    yw = (rng.uniform(size=nw) < 1 / (1 + np.exp(-(xw[:, :5].sum(1))))).astype(float)
    sk = LogisticRegression(C=0.1, l1_ratio=0.0, solver="newton-cholesky", tol=1e-14, max_iter=1000).fit(xw, yw)
    cases.append(case("wide_ridge", "wide", xw, yw, "l2", {"C": 0.1}, 0.0,
                      sk.intercept_[0], sk.coef_[0], mu=10.0, note="sklearn newton-cholesky, 80 rows x 200 features"))

    def dataset(xd, yd, names):
        return {"featureNames": names, "x": [[float(v) for v in row] for row in xd], "y": [int(v) for v in yd]}

    datasets = {"benefits": dataset(x, y, names),
                "ill_conditioned": dataset(xi, yi, ["z", "z_nearly", "u", "v"]),
                "wide": dataset(xw, yw, [f"w{j + 1}" for j in range(pw)])}
    doc = {
        "_comment": "DO NOT EDIT: generated by Tests/Golden/generate_logistic.py "
                    "(pip install -r Tests/Golden/requirements.txt && python3 Tests/Golden/generate_logistic.py)",
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "pandas": pd.__version__,
                     "statsmodels": statsmodels.__version__, "scikit-learn": sklearn.__version__},
        "benefitsEncoding": "Benefits.csv: event = ui == 'no'; yes/no columns -> 1/0; male = sex == 'male'; "
                            "joblost one-hot with 'other' as reference; state (a code) and bluecol (constant) dropped",
        "datasets": datasets,
        "cases": cases,
    }
    with open(OUT + ".tmp", "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    os.replace(OUT + ".tmp", OUT)
    print(f"wrote {OUT} ({os.path.getsize(OUT) // 1024} KiB)", file=sys.stderr)


if __name__ == "__main__":
    main()
