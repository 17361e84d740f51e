"""Times scikit-learn's LogisticRegression(penalty=None, solver='lbfgs') on the matrix bench/churn.ts
wrote (row-major float64 X, uint8 y). Usage: python3 bench/churn-sklearn.py X.bin y.bin rows cols [tight]
Prints one JSON line: one fit (fit only, timed here, wall and CPU time of all threads) at the
defaults the issue names (tol 1e-4), iterations, coefficients, versions; with `tight`, also one fit
with tol 1e-10 and max_iter 10,000, asking for the same optimum an exact Newton/IRLS fit reaches."""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

x_path, y_path, rows, cols = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
tight = len(sys.argv) > 5 and sys.argv[5] == "tight"
X = np.fromfile(x_path, dtype=np.float64).reshape(rows, cols)
y = np.fromfile(y_path, dtype=np.uint8)


def fit(**options):
    model = LogisticRegression(penalty=None, solver="lbfgs", **options)
    started, cpu = time.perf_counter(), time.process_time()
    model.fit(X, y)
    return time.perf_counter() - started, time.process_time() - cpu, model


# The configuration the issue names, scikit-learn defaults otherwise (tol 1e-4, max_iter 100).
seconds, cpu_seconds, model = fit()
started = time.perf_counter()
model.predict_proba(X)
result = {
    "seconds": seconds,
    "cpuSeconds": cpu_seconds,
    "scoreSeconds": time.perf_counter() - started,
    "iterations": int(model.n_iter_[0]),
    "intercept": float(model.intercept_[0]),
    "coefficients": [float(v) for v in model.coef_[0]],
    "sklearn": sklearn.__version__,
    "numpy": np.__version__,
    "python": sys.version.split()[0],
}
if tight:
    tight_seconds, _, tight_model = fit(tol=1e-10, max_iter=10_000)
    result.update({
        "tightSeconds": tight_seconds,
        "tightIterations": int(tight_model.n_iter_[0]),
        "tightIntercept": float(tight_model.intercept_[0]),
        "tightCoefficients": [float(v) for v in tight_model.coef_[0]],
    })
print(json.dumps(result))
