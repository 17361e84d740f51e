"""Independent reference for tests/segmentation: scikit-learn (Debian python3-sklearn) on data sent as JSON.

stdin: {"tasks": [{"op": "kmeans", "data": [[...]], "init": [[...]], "maxIter": 300, "tol": 1e-4,
                   "sampleWeight": [...] | null}
                  | {"op": "scores", "data": [[...]], "labels": [...]}
                  | {"op": "ari", "truth": [...], "predicted": [...]}]}
stdout: {"sklearn": "<version>", "results": [...]} in the same order.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import (adjusted_rand_score, calinski_harabasz_score, davies_bouldin_score,
                             silhouette_score)


def run(task):
    op = task["op"]
    if op == "kmeans":
        data = np.asarray(task["data"], dtype=np.float64)
        init = np.asarray(task["init"], dtype=np.float64)
        model = KMeans(n_clusters=init.shape[0], init=init, n_init=1, max_iter=task["maxIter"],
                       tol=task["tol"], algorithm="lloyd", random_state=0)
        weights = task.get("sampleWeight")
        model.fit(data, sample_weight=None if weights is None else np.asarray(weights, dtype=np.float64))
        return {"labels": model.labels_.tolist(), "inertia": float(model.inertia_),
                "iterations": int(model.n_iter_), "centroids": model.cluster_centers_.tolist()}
    if op == "scores":
        data = np.asarray(task["data"], dtype=np.float64)
        labels = np.asarray(task["labels"])
        return {"silhouette": float(silhouette_score(data, labels)),
                "calinskiHarabasz": float(calinski_harabasz_score(data, labels)),
                "daviesBouldin": float(davies_bouldin_score(data, labels))}
    if op == "ari":
        return {"ari": float(adjusted_rand_score(task["truth"], task["predicted"]))}
    raise ValueError(op)


request = json.load(sys.stdin)
json.dump({"sklearn": sklearn.__version__, "results": [run(task) for task in request["tasks"]]}, sys.stdout)
