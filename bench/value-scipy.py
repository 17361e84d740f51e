"""Peer for bench/value.ts: the BG/NBD fit as lifetimes does it (scipy.optimize.minimize, BFGS, on
the log-parameters, one row per customer, numpy-vectorised log-likelihood), without lifetimes itself
(not installable here: PyPI is unreachable). Reads a CSV frequency,recency,T; prints one JSON line."""
import json
import sys
import time

import numpy as np
from scipy import optimize, special


def negative_log_likelihood(log_params, x, tx, T):
    r, alpha, a, b = np.exp(log_params)
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.gammaln(a + b) + special.gammaln(b + x) - special.gammaln(b) - special.gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + tx), -np.inf)
    return -np.mean(a1 + a2 + np.logaddexp(a3, a4))


def main():
    data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
    x, tx, T = data[:, 0], data[:, 1], data[:, 2]
    started = time.perf_counter()
    result = optimize.minimize(negative_log_likelihood, np.log([1.0, T.max() / 10, 1.0, 1.0]), args=(x, tx, T),
                               method="BFGS", options={"gtol": 1e-7})
    seconds = time.perf_counter() - started
    r, alpha, a, b = np.exp(result.x)
    print(json.dumps({"seconds": seconds, "r": r, "alpha": alpha, "a": a, "b": b, "evaluations": int(result.nfev),
                      "success": bool(result.success), "message": str(result.message),
                      "numpy": np.__version__, "scipy": __import__("scipy").__version__}))


main()
