"""scikit-learn side of bench/kmeans.ts: times KMeans(algorithm='lloyd').fit on data written by the bench.

argv: data.bin init.bin rows cols k iterations threads. Prints one JSON line.
"""
import json
import resource
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits

data_path, init_path, rows, cols, k, iterations, threads = sys.argv[1:8]
rows, cols, k, iterations, threads = int(rows), int(cols), int(k), int(iterations), int(threads)
data = np.fromfile(data_path, dtype="<f8").reshape(rows, cols)
init = np.fromfile(init_path, dtype="<f8").reshape(k, cols)
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
with threadpool_limits(limits=threads):
    model = KMeans(n_clusters=k, init=init, n_init=1, max_iter=iterations, tol=0.0, algorithm="lloyd")
    start = time.perf_counter()
    model.fit(data)
    seconds = time.perf_counter() - start
print(json.dumps({
    "version": sklearn.__version__,
    "numpy": np.__version__,
    "seconds": seconds,
    "iterations": int(model.n_iter_),
    "inertia": float(model.inertia_),
    "peakRss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    "rssAfterLoad": rss_before,
}))
