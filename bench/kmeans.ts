/**
 * k-means benchmark: telco-analytics `kmeans` vs scikit-learn (algorithm='lloyd', 2 threads, run by
 * /usr/bin/python3 timing its own `fit`) vs `ml-kmeans`, on 1,000,000 x 8 rows, k = 8, the same initial
 * centroids and a fixed iteration count for every contender.
 *
 *   node --import tsx bench/kmeans.ts            # full size
 *   node --import tsx bench/kmeans.ts --quick    # 100,000 rows (or BENCH_QUICK=1)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { createRng } from '../src/data/index.js';
import { kmeans } from '../src/segmentation/index.js';

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const rows = quick ? 100_000 : 1_000_000;
const cols = 8;
const k = 8;
const iterations = 20;
const threads = 2;

function packageVersion(name: string): string {
  const path = fileURLToPath(new URL(`../node_modules/${name}/package.json`, import.meta.url));
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

// Eight overlapping Gaussian blobs: Lloyd keeps moving for many iterations, so every contender runs
// the full fixed count instead of converging early.
const rng = createRng(2024);
const blobCentres = Array.from({ length: k }, () => Array.from({ length: cols }, () => rng.normal(0, 2)));
const data = new Float64Array(rows * cols);
for (let i = 0; i < rows; i++) {
  const centre = blobCentres[rng.integer(k)]!;
  for (let c = 0; c < cols; c++) data[i * cols + c] = centre[c]! + rng.normal(0, 1.5);
}
const initRows = Array.from({ length: k }, () => rng.integer(rows));
const init = new Float64Array(k * cols);
initRows.forEach((row, j) => {
  init.set(data.subarray(row * cols, row * cols + cols), j * cols);
});
const initArrays = Array.from({ length: k }, (_, j) => Array.from(init.subarray(j * cols, j * cols + cols)));
const matrix = { data, rows, cols };
const dataMb = data.byteLength / 2 ** 20;

interface Row {
  contender: string;
  iterations: number;
  seconds: number;
  msPerIteration: number;
  inertia: number;
  peakExtraMb: number | null;
}
const results: Row[] = [];
const mb = (bytes: number): number => bytes / 2 ** 20;

function timeOurs(algorithm: 'hamerly' | 'lloyd'): void {
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const started = performance.now();
  const result = kmeans(matrix, { k, init: initArrays, maxIter: iterations, tol: 0, algorithm });
  const seconds = (performance.now() - started) / 1000;
  const peakAfter = process.resourceUsage().maxRSS * 1024;
  // maxRSS only grows: the extra is measurable when this run raised the process peak.
  const peakExtra = peakAfter > peakBefore ? mb(peakAfter - rssBefore) : null;
  results.push({
    contender: `telco-analytics kmeans (${algorithm})`,
    iterations: result.iterations,
    seconds,
    msPerIteration: (seconds * 1000) / result.iterations,
    inertia: result.inertia,
    peakExtraMb: peakExtra,
  });
}

// Ours first, while the process peak is just the data, so the extra memory is attributable.
timeOurs('hamerly');
timeOurs('lloyd');

const folder = mkdtempSync(join(tmpdir(), 'kmeans-bench-'));
let sklearnVersion = 'absent';
try {
  const dataPath = join(folder, 'data.bin');
  const initPath = join(folder, 'init.bin');
  writeFileSync(dataPath, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  writeFileSync(initPath, new Uint8Array(init.buffer));
  const script = fileURLToPath(new URL('./kmeans-sklearn.py', import.meta.url));
  const child = spawnSync(
    '/usr/bin/python3',
    [script, dataPath, initPath, String(rows), String(cols), String(k), String(iterations), String(threads)],
    { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(threads) } },
  );
  if (child.status === 0) {
    const report = JSON.parse(child.stdout) as {
      version: string;
      numpy: string;
      seconds: number;
      iterations: number;
      inertia: number;
      peakRss: number;
      rssAfterLoad: number;
    };
    sklearnVersion = `${report.version} (numpy ${report.numpy})`;
    results.push({
      contender: `scikit-learn KMeans lloyd, ${threads} threads`,
      iterations: report.iterations,
      seconds: report.seconds,
      msPerIteration: (report.seconds * 1000) / report.iterations,
      inertia: report.inertia,
      peakExtraMb: mb(report.peakRss - report.rssAfterLoad),
    });
  } else {
    process.stderr.write(`scikit-learn skipped: ${child.stderr || child.error?.message}\n`);
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

{
  const arrays = Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * cols, i * cols + cols)));
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const started = performance.now();
  const result = mlKmeans(arrays, k, { initialization: initArrays, maxIterations: iterations, tolerance: 0 });
  const seconds = (performance.now() - started) / 1000;
  const peakAfter = process.resourceUsage().maxRSS * 1024;
  let inertia = 0;
  result.clusters.forEach((cluster, i) => {
    const centroid = result.centroids[cluster]!;
    for (let c = 0; c < cols; c++) inertia += (arrays[i]![c]! - centroid[c]!) ** 2;
  });
  results.push({
    contender: 'ml-kmeans (number[][] input)',
    iterations: result.iterations,
    seconds,
    msPerIteration: (seconds * 1000) / result.iterations,
    inertia,
    peakExtraMb: peakAfter > peakBefore ? mb(peakAfter - rssBefore) : null,
  });
}

const ours = results[0]!;
const lines = [
  `k-means benchmark: ${rows.toLocaleString('en')} x ${cols}, k = ${k}, ${iterations} iterations, same initial centroids`,
  `machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, node ${process.version}`,
  `versions: telco-analytics ${packageVersion('../')}, ml-kmeans ${packageVersion('ml-kmeans')}, scikit-learn ${sklearnVersion}`,
  `data: ${dataMb.toFixed(0)} MB (Float64Array); memory = peak RSS above the RSS before the fit (n/a: below an earlier peak)`,
  '',
  `${'contender'.padEnd(40)}${'iters'.padStart(6)}${'total s'.padStart(10)}${'ms/iter'.padStart(10)}${'ours faster by'.padStart(16)}${'inertia'.padStart(20)}${'memory MB'.padStart(11)}`,
];
for (const row of results) {
  const ratio = row.msPerIteration / ours.msPerIteration;
  lines.push(
    `${row.contender.padEnd(40)}${String(row.iterations).padStart(6)}${row.seconds.toFixed(2).padStart(10)}${row.msPerIteration
      .toFixed(1)
      .padStart(10)}${`${ratio.toFixed(2)}x`.padStart(16)}${row.inertia.toFixed(2).padStart(20)}${(
      row.peakExtraMb === null ? 'n/a' : row.peakExtraMb.toFixed(0)
    ).padStart(11)}`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
