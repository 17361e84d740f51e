/**
 * k-means benchmark: telco-analytics `kmeans` (Hamerly and Lloyd, on 1 and 2 threads) vs scikit-learn
 * (algorithm='lloyd', 2 threads, run by /usr/bin/python3 timing its own `fit`) vs `ml-kmeans`, on
 * 1,000,000 x 8 rows, k = 8, the same initial centroids and a fixed iteration count for every
 * contender. Every time is the minimum over repeats (the machine may be shared); the load average is
 * printed beside the table.
 *
 *   node --expose-gc --import tsx bench/kmeans.ts            # full size
 *   node --expose-gc --import tsx bench/kmeans.ts --quick    # 100,000 rows (or BENCH_QUICK=1)
 *
 * Peak memory of our fits is measured in a fresh child process per configuration
 * (`--memory-probe ALGORITHM THREADS`), as the peak RSS above the RSS with the data in memory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { createRng } from '../src/data/index.js';
import { kmeans } from '../src/segmentation/index.js';
import { machineLine, packageVersion, quick } from './machine.js';

const rows = quick ? 100_000 : 1_000_000;
const cols = 8;
const k = 8;
const iterations = 20;
const sklearnThreads = 2;
const repeats = 3;
const mlKmeansRepeats = quick ? 3 : 2;
type Algorithm = 'hamerly' | 'lloyd';
const configurations: readonly (readonly [Algorithm, number])[] = [
  ['hamerly', 2],
  ['hamerly', 1],
  ['lloyd', 2],
  ['lloyd', 1],
];

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
const mb = (bytes: number): number => bytes / 2 ** 20;
const fitOurs = (algorithm: Algorithm, threads: number) =>
  kmeans(matrix, { k, init: initArrays, maxIter: iterations, tol: 0, algorithm, threads });

/**
 * Starts a peak-memory measurement: on Linux the kernel's peak RSS (VmHWM) is reset, so `stop()` gives
 * the peak above the current RSS even below an earlier peak; elsewhere only a new process peak counts.
 */
function peakAboveNow(): { stop(): number | null } {
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let resettable = false;
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    resettable = true;
  } catch {
    // Not Linux, or not permitted: fall back on getrusage's lifetime peak.
  }
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  return {
    stop() {
      if (resettable) {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
        if (match !== null) return Math.max(0, Number(match[1]) * 1024 - rssBefore);
      }
      const peakAfter = process.resourceUsage().maxRSS * 1024;
      return peakAfter > peakBefore ? peakAfter - rssBefore : null;
    },
  };
}

const probeAt = process.argv.indexOf('--memory-probe');
if (probeAt >= 0) {
  // Child mode: one fit, then the peak RSS it added above the RSS with the data already in memory.
  const algorithm = process.argv[probeAt + 1] as Algorithm;
  const threads = Number(process.argv[probeAt + 2]);
  const peak = peakAboveNow();
  fitOurs(algorithm, threads);
  process.stdout.write(JSON.stringify({ peakExtra: peak.stop() }));
  process.exit(0);
}

interface Row {
  contender: string;
  threads: number;
  iterations: number;
  seconds: number;
  /** CPU time of every thread of the contender's process during its fastest fit. */
  cpuSeconds: number;
  inertia: number;
  peakExtraMb: number | null;
}
const results: Row[] = [];
const loadBefore = loadavg();

// Ours, round-robin over the configurations so that a burst of load from elsewhere hits them alike.
const best = new Map<string, Row>();
for (let repeat = 0; repeat < repeats; repeat++) {
  for (const [algorithm, threads] of configurations) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const result = fitOurs(algorithm, threads);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    const key = `${algorithm}/${threads}`;
    const previous = best.get(key);
    if (previous === undefined || seconds < previous.seconds) {
      best.set(key, {
        contender: `telco-analytics kmeans (${algorithm})`,
        threads: result.threads,
        iterations: result.iterations,
        seconds,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        inertia: result.inertia,
        peakExtraMb: null,
      });
    }
  }
}
const script = fileURLToPath(import.meta.url);
for (const [algorithm, threads] of configurations) {
  const row = best.get(`${algorithm}/${threads}`)!;
  const child = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      script,
      '--memory-probe',
      algorithm,
      String(threads),
      ...(quick ? ['--quick'] : []),
    ],
    { encoding: 'utf8' },
  );
  if (child.status === 0) {
    const { peakExtra } = JSON.parse(child.stdout) as { peakExtra: number | null };
    row.peakExtraMb = peakExtra === null ? null : mb(peakExtra);
  } else process.stderr.write(`memory probe ${algorithm}/${threads} failed: ${child.stderr}\n`);
  results.push(row);
}

const folder = mkdtempSync(join(tmpdir(), 'kmeans-bench-'));
let sklearnVersion = 'absent';
try {
  const dataPath = join(folder, 'data.bin');
  const initPath = join(folder, 'init.bin');
  writeFileSync(dataPath, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  writeFileSync(initPath, new Uint8Array(init.buffer));
  const sklearnScript = fileURLToPath(new URL('./kmeans-sklearn.py', import.meta.url));
  const child = spawnSync(
    '/usr/bin/python3',
    [
      sklearnScript,
      dataPath,
      initPath,
      String(rows),
      String(cols),
      String(k),
      String(iterations),
      String(sklearnThreads),
      String(repeats),
    ],
    { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(sklearnThreads) } },
  );
  if (child.status === 0) {
    const report = JSON.parse(child.stdout) as {
      version: string;
      numpy: string;
      seconds: number;
      cpuSeconds: number;
      iterations: number;
      inertia: number;
      peakRss: number;
      rssAfterLoad: number;
    };
    sklearnVersion = `${report.version} (numpy ${report.numpy})`;
    results.push({
      contender: 'scikit-learn KMeans (lloyd)',
      threads: sklearnThreads,
      iterations: report.iterations,
      seconds: report.seconds,
      cpuSeconds: report.cpuSeconds,
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
  const peak = peakAboveNow();
  // ml-kmeans takes number[][]: building it is the caller's cost, outside the timing but in the memory.
  const arrays = Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * cols, i * cols + cols)));
  let fastest: Row | undefined;
  for (let repeat = 0; repeat < mlKmeansRepeats; repeat++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const result = mlKmeans(arrays, k, {
      initialization: initArrays,
      maxIterations: iterations,
      tolerance: 0,
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    if (fastest !== undefined && seconds >= fastest.seconds) continue;
    let inertia = 0;
    result.clusters.forEach((cluster, i) => {
      const centroid = result.centroids[cluster]!;
      for (let c = 0; c < cols; c++) inertia += (arrays[i]![c]! - centroid[c]!) ** 2;
    });
    fastest = {
      contender: 'ml-kmeans (number[][] input)',
      threads: 1,
      iterations: result.iterations,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      inertia,
      peakExtraMb: null,
    };
  }
  const peakExtra = peak.stop();
  fastest!.peakExtraMb = peakExtra === null ? null : mb(peakExtra);
  results.push(fastest!);
}

const loadAfter = loadavg();
const msPerIteration = (row: Row): number => (row.seconds * 1000) / row.iterations;
const cpuMsPerIteration = (row: Row): number => (row.cpuSeconds * 1000) / row.iterations;
const sklearn = results.find((row) => row.contender.startsWith('scikit-learn'));
const ml = results.find((row) => row.contender.startsWith('ml-kmeans'))!;
const ratio = (peer: Row | undefined, row: Row): string =>
  peer === undefined ? 'n/a' : `${(msPerIteration(peer) / msPerIteration(row)).toFixed(2)}x`;
const load = (values: number[]): string => values.map((value) => value.toFixed(2)).join(' ');
const columns: readonly (readonly [string, number, (row: Row) => string])[] = [
  ['contender', -32, (row) => row.contender],
  ['threads', 8, (row) => String(row.threads)],
  ['iters', 6, (row) => String(row.iterations)],
  ['total s', 9, (row) => row.seconds.toFixed(2)],
  ['ms/iter', 9, (row) => msPerIteration(row).toFixed(1)],
  ['cpu ms/iter', 13, (row) => cpuMsPerIteration(row).toFixed(1)],
  ['sklearn/this', 14, (row) => ratio(sklearn, row)],
  ['ml-kmeans/this', 16, (row) => ratio(ml, row)],
  ['inertia', 19, (row) => row.inertia.toFixed(2)],
  ['memory MB', 11, (row) => (row.peakExtraMb === null ? 'n/a' : row.peakExtraMb.toFixed(0))],
];
const line = (cell: (column: (typeof columns)[number]) => string): string =>
  columns
    .map((column) => (column[1] < 0 ? cell(column).padEnd(-column[1]) : cell(column).padStart(column[1])))
    .join('');
const lines = [
  `k-means benchmark: ${rows.toLocaleString('en')} x ${cols}, k = ${k}, ${iterations} iterations, same initial centroids, best of ${repeats} (ml-kmeans ${mlKmeansRepeats})`,
  machineLine(),
  `load average (1, 5, 15 min): ${load(loadBefore)} before, ${load(loadAfter)} after`,
  `versions: telco-analytics ${packageVersion('telco-analytics')}, ml-kmeans ${packageVersion('ml-kmeans')}, scikit-learn ${sklearnVersion}`,
  `data: ${mb(data.byteLength).toFixed(0)} MB (Float64Array); memory = peak RSS above the RSS with the data loaded (ours: a fresh process per configuration)`,
  'ms/iter = wall time of the fastest fit / iterations; cpu ms/iter = CPU time of all its threads / iterations; ratios on ms/iter',
  '',
  line((column) => column[0]),
  ...results.map((row) => line((column) => column[2](row))),
];
process.stdout.write(`${lines.join('\n')}\n`);
