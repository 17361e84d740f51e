import { type DenseMatrix, type NumericMatrixInput, toDenseMatrix } from '../data/dense-matrix.js';
import { OptionError, TelcoAnalyticsError } from '../data/errors.js';
import { createRng, deriveSeed } from '../data/random.js';
import { kmeansPlusPlus, randomRows } from './kmeans-plus-plus.js';
import {
  type BoundedAlgorithm,
  type IterationEvent,
  runLloyd,
  type SingleRunResult,
} from './lloyd-iterations.js';
import { requireInteger, requireNonNegative, toSampleWeights, withDefault } from './option-checks.js';
import { createAssignmentRunner, defaultThreads } from './parallel-assignment.js';
import type { SegmentModel } from './segment-model.js';

export type { IterationEvent } from './lloyd-iterations.js';

/** How the first centroids are chosen. */
export type KMeansInit = 'k-means++' | 'random' | NumericMatrixInput;

/** Options of {@link kmeans}. */
export interface KMeansOptions {
  /** Number of segments (clusters), 1..rows. */
  readonly k: number;
  /** Seed of every random draw (initialisation). @defaultValue 0 */
  readonly seed?: number | undefined;
  /** Independent initialisations; the run with the lowest inertia wins. 1 when `init` gives centroids. @defaultValue 10 */
  readonly nInit?: number | undefined;
  /** Iterations per run at most. @defaultValue 300 */
  readonly maxIter?: number | undefined;
  /**
   * Convergence tolerance, relative to the mean per-feature variance of the data (scikit-learn's
   * definition): a run stops when the summed squared centroid shift is at most `tol x mean variance`,
   * or when no label changes. @defaultValue 1e-4
   */
  readonly tol?: number | undefined;
  /**
   * `'k-means++'` (greedy: `2 + floor(ln k)` candidates per centre, the best by potential), `'random'`
   * (k distinct rows), or explicit k x cols initial centroids (then a single run).
   * @defaultValue 'k-means++'
   */
  readonly init?: KMeansInit | undefined;
  /** Non-negative weight per row (a subscriber standing for many, say). @defaultValue every row 1 */
  readonly sampleWeight?: ArrayLike<number> | undefined;
  /**
   * `'lloyd'` computes every row-centroid distance each iteration; `'hamerly'` (Hamerly 2010) keeps
   * two distance bounds per row and skips rows whose label provably cannot change: the same labels,
   * centroids and inertia to the last bit, far fewer distances once the centroids settle. `'auto'`
   * picks Hamerly from k = 3 up. (Elkan's k + 1 bounds per row were tried and measured slower here:
   * updating them costs more than the distances they save at the k and column counts of customer
   * segmentation.)
   * @defaultValue 'auto'
   */
  readonly algorithm?: 'auto' | 'lloyd' | 'hamerly' | undefined;
  /**
   * Threads for the assignment step, the calling one included: `threads - 1` worker threads share the
   * data through one SharedArrayBuffer copy per fit (none when a `{ data, rows, cols }` input already
   * lives in one) and are stopped when the fit returns. The result is bit-identical for every thread
   * count. At most one thread per 4,096 rows is used; `result.threads` says how many ran.
   * @defaultValue `os.availableParallelism()` when rows x cols x k reaches 2^22 (about 65,000 rows of
   * 8 features at k = 8), else 1
   */
  readonly threads?: number | undefined;
  /** Column names, for error messages and the model. @defaultValue none ('column N') */
  readonly featureNames?: readonly string[] | undefined;
  /** Called after every iteration of every run (progress bars, convergence plots). @defaultValue none */
  readonly onIteration?: ((event: IterationEvent) => void) | undefined;
}

/** One of the `nInit` runs. */
export interface KMeansRun {
  readonly run: number;
  readonly inertia: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Result of {@link kmeans}: the best run, plus a summary of every run. */
export interface KMeansResult {
  /** k rows of cols values. */
  readonly centroids: number[][];
  /** 0-based segment of every row. */
  readonly labels: Int32Array;
  /** Weighted sum of squared distances of the rows to their centroid. */
  readonly inertia: number;
  readonly iterations: number;
  /** `false` when the best run stopped at `maxIter`. */
  readonly converged: boolean;
  /** Threads the assignment step ran on (at most one per block of 4,096 rows). */
  readonly threads: number;
  readonly runs: readonly KMeansRun[];
  /** The fitted model as plain JSON, for {@link predictSegment}. */
  readonly model: SegmentModel;
}

/** Mean of the per-column (population) variances: the unit of `tol`. */
export function meanColumnVariance(matrix: DenseMatrix): number {
  const { data, rows, cols } = matrix;
  // Row by row (two passes over memory, not two per column), each column still summed in row order.
  const means = new Float64Array(cols);
  for (let r = 0, base = 0; r < rows; r++, base += cols)
    for (let c = 0; c < cols; c++) means[c]! += data[base + c]!;
  for (let c = 0; c < cols; c++) means[c]! /= rows;
  const squares = new Float64Array(cols);
  for (let r = 0, base = 0; r < rows; r++, base += cols)
    for (let c = 0; c < cols; c++) {
      const deviation = data[base + c]! - means[c]!;
      squares[c]! += deviation * deviation;
    }
  let total = 0;
  for (let c = 0; c < cols; c++) total += squares[c]! / rows;
  return total / cols;
}

function explicitCentroids(init: NumericMatrixInput, k: number, cols: number): Float64Array {
  const matrix = toDenseMatrix(init, 'kmeans: init');
  if (matrix.rows !== k || matrix.cols !== cols) {
    throw new OptionError(
      'kmeans',
      'init',
      `must hold k = ${k} centroids of ${cols} values, received ${matrix.rows} x ${matrix.cols}`,
    );
  }
  return Float64Array.from(matrix.data);
}

/** Validated data and options, shared with `evaluateK`. */
export function prepareMatrix(
  data: NumericMatrixInput,
  context: string,
  featureNames?: readonly string[],
): DenseMatrix {
  const matrix = toDenseMatrix(data, context, featureNames);
  if (matrix.rows === 0 || matrix.cols === 0) {
    throw new TelcoAnalyticsError('EMPTY_INPUT', `${context}: the data has no rows or no columns`);
  }
  return matrix;
}

/**
 * k-means clustering: groups subscribers whose (scaled) usage features are close. Lloyd's algorithm
 * with Hamerly's bounds, k-means++ initialisation, the best of `nInit` seeded runs by inertia; given
 * the same initial centroids it reaches the labels and inertia of scikit-learn's `KMeans`.
 * Scale the features first ({@link fitScaler}); usage features are heavy-tailed, so log1p them too.
 *
 * Large inputs are assigned on worker threads (option `threads`). The function stays synchronous, as
 * it always was: the calling thread takes its share of the rows and waits for the workers
 * (`Atomics.wait`), which are stopped before it returns, also when it throws. The cluster sums are
 * exact (each value is split into three pieces on fixed grids, down to 2^-78 of its column's largest
 * magnitude, whose sums never round up to 2^27 rows) and rounded once per iteration, and the inertia
 * is added block by block in a fixed order, so every thread count gives the same numbers; only the
 * rows whose label changes touch the sums.
 *
 * @example
 * const result = kmeans([[1, 1], [1.2, 0.8], [8, 8], [8.5, 7.9]], { k: 2, seed: 42 });
 * result.labels; // => Int32Array [0, 0, 1, 1]
 * result.inertia; // => 0.17 (0.04 + 0.13, up to rounding)
 */
export function kmeans(data: NumericMatrixInput, options: KMeansOptions): KMeansResult {
  const context = 'kmeans';
  const matrix = prepareMatrix(data, context, options.featureNames);
  const { rows, cols } = matrix;
  const k = requireInteger(context, 'k', options.k, 1);
  if (k > rows)
    throw new OptionError(context, 'k', `must be at most the number of rows (${rows}), received ${k}`);
  const seed = withDefault(options.seed, 0);
  if (!Number.isSafeInteger(seed))
    throw new OptionError(context, 'seed', `must be a safe integer, received ${seed}`);
  const init = withDefault<KMeansInit>(options.init, 'k-means++');
  const explicit = typeof init !== 'string';
  if (!explicit && init !== 'k-means++' && init !== 'random') {
    throw new OptionError(
      context,
      'init',
      `must be 'k-means++', 'random' or k x cols centroids, received ${JSON.stringify(init)}`,
    );
  }
  const nInit = requireInteger(context, 'nInit', withDefault(options.nInit, explicit ? 1 : 10), 1);
  if (explicit && nInit !== 1) {
    throw new OptionError(
      context,
      'nInit',
      `must be 1 with explicit initial centroids (every run would be the same), received ${nInit}`,
    );
  }
  const maxIter = requireInteger(context, 'maxIter', withDefault(options.maxIter, 300), 1);
  const tol = requireNonNegative(context, 'tol', withDefault(options.tol, 1e-4));
  const algorithmOption = withDefault(options.algorithm, 'auto');
  if (!['auto', 'lloyd', 'hamerly'].includes(algorithmOption)) {
    throw new OptionError(
      context,
      'algorithm',
      `must be 'auto', 'lloyd' or 'hamerly', received ${JSON.stringify(algorithmOption)}`,
    );
  }
  const algorithm: BoundedAlgorithm =
    algorithmOption === 'auto' ? (k >= 3 ? 'hamerly' : 'lloyd') : algorithmOption;
  const weights = toSampleWeights(context, options.sampleWeight, rows);
  if (options.featureNames !== undefined && options.featureNames.length !== cols) {
    throw new OptionError(
      context,
      'featureNames',
      `has ${options.featureNames.length} names for ${cols} columns`,
    );
  }
  const threads = requireInteger(
    context,
    'threads',
    withDefault(options.threads, defaultThreads(rows, cols, k)),
    1,
    256,
  );
  const initialFromCaller = explicit ? explicitCentroids(init, k, cols) : undefined;
  // As scikit-learn's `_tolerance`: no tolerance needs no pass over the data.
  const tolerance = tol === 0 ? 0 : meanColumnVariance(matrix) * tol;

  const runs: KMeansRun[] = [];
  let best: SingleRunResult | undefined;
  const runner = createAssignmentRunner(
    matrix.data,
    weights,
    rows,
    cols,
    k,
    algorithm === 'hamerly',
    threads,
  );
  try {
    for (let run = 0; run < nInit; run++) {
      const rng = createRng(deriveSeed(seed, 'kmeans-run', run));
      const initial =
        initialFromCaller ??
        (init === 'random'
          ? randomRows(matrix.data, rows, cols, weights, k, rng)
          : kmeansPlusPlus(matrix.data, rows, cols, weights, k, rng));
      const result = runLloyd(runner, weights, initial, {
        maxIter,
        tolerance,
        algorithm,
        run,
        onIteration: options.onIteration,
      });
      runs.push({ run, inertia: result.inertia, iterations: result.iterations, converged: result.converged });
      if (best === undefined || result.inertia < best.inertia) best = result;
    }
  } finally {
    runner.close();
  }
  const chosen = best!;
  const centroids = Array.from({ length: k }, (_, j) =>
    Array.from(chosen.centroids.subarray(j * cols, (j + 1) * cols)),
  );
  const model: SegmentModel = {
    kind: 'kmeans',
    version: 1,
    k,
    features: cols,
    ...(options.featureNames === undefined ? {} : { featureNames: [...options.featureNames] }),
    centroids,
    inertia: chosen.inertia,
    seed: explicit ? null : seed,
  };
  return {
    centroids: centroids.map((row) => [...row]),
    labels: chosen.labels,
    inertia: chosen.inertia,
    iterations: chosen.iterations,
    converged: chosen.converged,
    threads: runner.threads,
    runs,
    model,
  };
}
