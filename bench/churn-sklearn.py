"""Times scikit-learn's LogisticRegression(penalty=None, solver='lbfgs') on the matrix bench/churn.ts
wrote (row-major float64 X, uint8 y). Usage: python3 bench/churn-sklearn.py X.bin y.bin rows cols
Prints one JSON line: fit seconds (fit only, timed here), iterations, coefficients, versions."""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

x_path, y_path, rows, cols = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
X = np.fromfile(x_path, dtype=np.float64).reshape(rows, cols)
y = np.fromfile(y_path, dtype=np.uint8)
# The configuration the issue names, scikit-learn defaults otherwise (tol 1e-4, max_iter 100).
model = LogisticRegression(penalty=None, solver="lbfgs")
started = time.perf_counter()
model.fit(X, y)
seconds = time.perf_counter() - started
started = time.perf_counter()
model.predict_proba(X)
score_seconds = time.perf_counter() - started
print(json.dumps({
    "seconds": seconds,
    "scoreSeconds": score_seconds,
    "iterations": int(model.n_iter_[0]),
    "intercept": float(model.intercept_[0]),
    "coefficients": [float(v) for v in model.coef_[0]],
    "sklearn": sklearn.__version__,
    "numpy": np.__version__,
    "python": sys.version.split()[0],
}))
