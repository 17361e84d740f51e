"""Independent reference for tests/value/scipy-reference.test.ts.

Reads JSON on stdin: {"parameters": {r, alpha, a, b}, "queries": [[t, x, t_x, T], ...], "summary": path or null}
and writes JSON: the BG/NBD expected purchases E[X(t)], conditional expectations E[Y(t) | x, t_x, T]
and P(alive), computed with scipy.special (hyp2f1, gammaln) from Fader, Hardie & Lee (2005) eqs. 7,
10 and 11, and — when a summary CSV (ID,frequency,recency,T) is given — the maximum-likelihood
parameters from scipy.optimize.minimize (Nelder-Mead then BFGS on the log-parameters, one row per
customer, no triplet compression).
"""
import csv
import json
import sys

import numpy as np
from scipy import optimize, special


def expected(r, alpha, a, b, t):
    return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * special.hyp2f1(r, b, a + b - 1, t / (alpha + t)))


def alive(r, alpha, a, b, x, tx, T):
    if x == 0:
        return 1.0
    return 1.0 / (1.0 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x))


def conditional(r, alpha, a, b, t, x, tx, T):
    hyper = special.hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
    return (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyper) * alive(r, alpha, a, b, x, tx, T)


def negative_log_likelihood(log_params, x, tx, T):
    r, alpha, a, b = np.exp(log_params)
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.gammaln(a + b) + special.gammaln(b + x) - special.gammaln(b) - special.gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + tx), -np.inf)
    return -np.sum(a1 + a2 + np.logaddexp(a3, a4))


def main():
    request = json.load(sys.stdin)
    p = request["parameters"]
    r, alpha, a, b = p["r"], p["alpha"], p["a"], p["b"]
    answer = {
        "expected": [expected(r, alpha, a, b, q[0]) for q in request["queries"]],
        "conditional": [conditional(r, alpha, a, b, *q) for q in request["queries"]],
        "alive": [alive(r, alpha, a, b, q[1], q[2], q[3]) for q in request["queries"]],
    }
    if request.get("summary"):
        with open(request["summary"], newline="") as handle:
            rows = list(csv.DictReader(handle))
        x = np.array([float(row["frequency"]) for row in rows])
        tx = np.array([float(row["recency"]) for row in rows])
        T = np.array([float(row["T"]) for row in rows])
        start = np.log([1.0, T.max() / 10, 1.0, 1.0])
        first = optimize.minimize(negative_log_likelihood, start, args=(x, tx, T), method="Nelder-Mead",
                                  options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000, "maxfev": 40000})
        second = optimize.minimize(negative_log_likelihood, first.x, args=(x, tx, T), method="BFGS",
                                   options={"gtol": 1e-9})
        best = second if second.fun <= first.fun else first
        answer["fit"] = {"parameters": dict(zip(["r", "alpha", "a", "b"], np.exp(best.x).tolist())),
                         "logLikelihood": -float(best.fun)}
    json.dump(answer, sys.stdout)


main()
