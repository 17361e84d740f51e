"""scikit-learn side of bench/kmeans.ts: times KMeans(algorithm='lloyd').fit on data written by the bench.

argv: data.bin init.bin rows cols k iterations threads [repeats]. Prints one JSON line with the fastest
of `repeats` fits (default 1).
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
repeats = int(sys.argv[8]) if len(sys.argv) > 8 else 1
data = np.fromfile(data_path, dtype="<f8").reshape(rows, cols)
init = np.fromfile(init_path, dtype="<f8").reshape(k, cols)


def status_kb(field):
    """A field of /proc/self/status in kB (Linux), or None."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


# On Linux the kernel's peak RSS is reset, so the peak of the fits is measured above the RSS with the
# data loaded even when loading peaked higher; elsewhere getrusage's lifetime peak is used.
try:
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
except OSError:
    pass
rss_before = (status_kb("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024
seconds = float("inf")
cpu_seconds = float("inf")
with threadpool_limits(limits=threads):
    for _ in range(repeats):
        model = KMeans(n_clusters=k, init=init, n_init=1, max_iter=iterations, tol=0.0, algorithm="lloyd")
        start = time.perf_counter()
        cpu_start = time.process_time()
        model.fit(data)
        cpu_seconds = min(cpu_seconds, time.process_time() - cpu_start)
        seconds = min(seconds, time.perf_counter() - start)
print(json.dumps({
    "version": sklearn.__version__,
    "numpy": np.__version__,
    "seconds": seconds,
    "cpuSeconds": cpu_seconds,
    "iterations": int(model.n_iter_),
    "inertia": float(model.inertia_),
    "peakRss": (status_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024,
    "rssAfterLoad": rss_before,
}))
