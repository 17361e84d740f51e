import { type DenseMatrix, type NumericMatrixInput, toDenseMatrix } from '../data/dense-matrix.js';
import { OptionError, TelcoAnalyticsError } from '../data/errors.js';
import { createRng, type Rng } from '../data/random.js';
import { kmeansPlusPlus } from './kmeans-plus-plus.js';
import { assignAll, inertiaOf } from './lloyd-iterations.js';
import { requireInteger, withDefault } from './option-checks.js';
import type { SegmentModel } from './segment-model.js';

/** Options of {@link miniBatchKMeans}. */
export interface MiniBatchKMeansOptions {
  /** Number of segments. */
  readonly k: number;
  /** Rows per update step. @defaultValue 1024 */
  readonly batchSize?: number | undefined;
  /** Seed of the initialisation and of the batch draws. @defaultValue 0 */
  readonly seed?: number | undefined;
  /** Passes (epochs) over an in-memory matrix; a stream is read once whatever this is. @defaultValue 100 */
  readonly maxIter?: number | undefined;
  /**
   * Stop after this many consecutive steps without improvement of the smoothed batch inertia
   * (0 disables early stopping). @defaultValue 10
   */
  readonly maxNoImprovement?: number | undefined;
  /** Rows used to choose the initial centroids (k-means++ on them). @defaultValue 3 x batchSize */
  readonly initSize?: number | undefined;
  /** Column names, for error messages and the model. @defaultValue none */
  readonly featureNames?: readonly string[] | undefined;
}

/** Result of {@link miniBatchKMeans}. */
export interface MiniBatchKMeansResult {
  readonly centroids: number[][];
  /** Rows that have updated each centroid. */
  readonly counts: number[];
  /** Update steps taken. */
  readonly steps: number;
  /** Rows consumed (with repetition for in-memory data). */
  readonly rowsSeen: number;
  /** `true` when early stopping ended the fit. */
  readonly converged: boolean;
  /** Final labels of an in-memory matrix; `null` for a stream (it is not kept). */
  readonly labels: Int32Array | null;
  /** Inertia of an in-memory matrix under the final centroids; `null` for a stream. */
  readonly inertia: number | null;
  readonly model: SegmentModel;
}

interface Settings {
  readonly k: number;
  readonly batchSize: number;
  readonly maxNoImprovement: number;
  readonly initSize: number;
}

/** Mutable state of the online updates (Sculley 2010, with scikit-learn's per-centre learning rate). */
interface OnlineState {
  readonly centroids: Float64Array;
  readonly counts: Float64Array;
  readonly sums: Float64Array;
  readonly batchCounts: Float64Array;
  readonly labels: Int32Array;
  steps: number;
  rowsSeen: number;
  smoothed: number;
  best: number;
  sinceImprovement: number;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<NumericMatrixInput> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Updates centroids from one batch; returns `true` when early stopping says stop. */
function step(
  state: OnlineState,
  batch: Float64Array,
  batchRows: number,
  cols: number,
  settings: Settings,
  alpha: number,
): boolean {
  const { k } = settings;
  const { centroids, counts, sums, batchCounts, labels } = state;
  labels.fill(-1);
  assignAll(batch, batchRows, cols, centroids, k, labels);
  const batchInertia = inertiaOf(batch, batchRows, cols, undefined, centroids, labels) / batchRows;
  sums.fill(0);
  batchCounts.fill(0);
  for (let i = 0; i < batchRows; i++) {
    const label = labels[i]!;
    batchCounts[label]! += 1;
    for (let c = 0; c < cols; c++) sums[label * cols + c]! += batch[i * cols + c]!;
  }
  for (let j = 0; j < k; j++) {
    const added = batchCounts[j]!;
    if (added === 0) continue;
    const total = counts[j]! + added;
    for (let c = 0; c < cols; c++) {
      const index = j * cols + c;
      centroids[index] = (centroids[index]! * counts[j]! + sums[index]!) / total;
    }
    counts[j] = total;
  }
  state.steps++;
  state.rowsSeen += batchRows;
  state.smoothed = state.steps === 1 ? batchInertia : state.smoothed * (1 - alpha) + batchInertia * alpha;
  if (state.smoothed < state.best) {
    state.best = state.smoothed;
    state.sinceImprovement = 0;
  } else {
    state.sinceImprovement++;
  }
  return settings.maxNoImprovement > 0 && state.sinceImprovement >= settings.maxNoImprovement;
}

function initialCentroids(
  sample: Float64Array,
  rows: number,
  cols: number,
  k: number,
  rng: Rng,
): Float64Array {
  // Three k-means++ draws on the sample, the one with the lowest sample inertia kept.
  let best: Float64Array | undefined;
  let bestInertia = Number.POSITIVE_INFINITY;
  const labels = new Int32Array(rows);
  for (let attempt = 0; attempt < 3; attempt++) {
    const candidate = kmeansPlusPlus(sample, rows, cols, undefined, k, rng.fork(attempt));
    assignAll(sample, rows, cols, candidate, k, labels);
    const inertia = inertiaOf(sample, rows, cols, undefined, candidate, labels);
    if (inertia < bestInertia) {
      bestInertia = inertia;
      best = candidate;
    }
  }
  return best!;
}

function newState(centroids: Float64Array, k: number, cols: number, batchSize: number): OnlineState {
  return {
    centroids,
    counts: new Float64Array(k),
    sums: new Float64Array(k * cols),
    batchCounts: new Float64Array(k),
    labels: new Int32Array(batchSize),
    steps: 0,
    rowsSeen: 0,
    smoothed: 0,
    best: Number.POSITIVE_INFINITY,
    sinceImprovement: 0,
  };
}

function finish(
  state: OnlineState,
  k: number,
  cols: number,
  seed: number,
  converged: boolean,
  matrix: DenseMatrix | undefined,
  featureNames: readonly string[] | undefined,
): MiniBatchKMeansResult {
  let labels: Int32Array | null = null;
  let inertia: number | null = null;
  if (matrix !== undefined) {
    labels = new Int32Array(matrix.rows).fill(-1);
    assignAll(matrix.data, matrix.rows, cols, state.centroids, k, labels);
    inertia = inertiaOf(matrix.data, matrix.rows, cols, undefined, state.centroids, labels);
  }
  const centroids = Array.from({ length: k }, (_, j) =>
    Array.from(state.centroids.subarray(j * cols, (j + 1) * cols)),
  );
  const model: SegmentModel = {
    kind: 'kmeans',
    version: 1,
    k,
    features: cols,
    ...(featureNames === undefined ? {} : { featureNames: [...featureNames] }),
    centroids,
    inertia: inertia ?? state.smoothed * state.rowsSeen,
    seed,
  };
  return {
    centroids: centroids.map((row) => [...row]),
    counts: Array.from(state.counts),
    steps: state.steps,
    rowsSeen: state.rowsSeen,
    converged,
    labels,
    inertia,
    model,
  };
}

/**
 * Mini-batch k-means (Sculley 2010) for millions of rows or a stream: centroids move towards random
 * batches with a per-centroid learning rate of 1 / rows seen, stopping when the smoothed batch inertia
 * stops improving. An in-memory matrix is sampled with replacement for up to `maxIter` passes; an
 * async iterable of row blocks (any matrix form per block) is read once, in order, and never kept.
 * Slightly higher inertia than {@link kmeans}, in a fraction of the time and memory.
 *
 * @example
 * const result = await miniBatchKMeans(features, { k: 5, batchSize: 2048, seed: 42 });
 * const streamed = await miniBatchKMeans(featureBlocks(), { k: 5, seed: 42 }); // labels: null
 */
export async function miniBatchKMeans(
  data: NumericMatrixInput | AsyncIterable<NumericMatrixInput>,
  options: MiniBatchKMeansOptions,
): Promise<MiniBatchKMeansResult> {
  const context = 'miniBatchKMeans';
  const k = requireInteger(context, 'k', options.k, 1);
  const batchSize = requireInteger(context, 'batchSize', withDefault(options.batchSize, 1024), 1);
  const seed = withDefault(options.seed, 0);
  if (!Number.isSafeInteger(seed))
    throw new OptionError(context, 'seed', `must be a safe integer, received ${seed}`);
  const maxIter = requireInteger(context, 'maxIter', withDefault(options.maxIter, 100), 1);
  const maxNoImprovement = requireInteger(
    context,
    'maxNoImprovement',
    withDefault(options.maxNoImprovement, 10),
    0,
  );
  const initSize = requireInteger(context, 'initSize', withDefault(options.initSize, 3 * batchSize), 1);
  const settings: Settings = { k, batchSize, maxNoImprovement, initSize: Math.max(initSize, k) };
  const rng = createRng(seed);
  if (isAsyncIterable(data)) return fitStream(data, settings, seed, rng, options.featureNames);

  const matrix = toDenseMatrix(data, context, options.featureNames);
  const { rows, cols } = matrix;
  if (rows === 0 || cols === 0)
    throw new TelcoAnalyticsError('EMPTY_INPUT', `${context}: the data has no rows or no columns`);
  if (k > rows)
    throw new OptionError(context, 'k', `must be at most the number of rows (${rows}), received ${k}`);
  const initRows = Math.min(rows, settings.initSize);
  const order = rng.fork('init-sample').permutation(rows);
  const sample = new Float64Array(initRows * cols);
  for (let i = 0; i < initRows; i++)
    sample.set(matrix.data.subarray(order[i]! * cols, order[i]! * cols + cols), i * cols);
  const state = newState(initialCentroids(sample, initRows, cols, k, rng.fork('init')), k, cols, batchSize);
  const draws = rng.fork('batches');
  const batchRows = Math.min(batchSize, rows);
  const batch = new Float64Array(batchRows * cols);
  const steps = Math.ceil((maxIter * rows) / batchRows);
  const alpha = Math.min(1, (2 * batchRows) / (rows + 1));
  let converged = false;
  for (let s = 0; s < steps && !converged; s++) {
    for (let i = 0; i < batchRows; i++) {
      const row = draws.integer(rows);
      batch.set(matrix.data.subarray(row * cols, row * cols + cols), i * cols);
    }
    converged = step(state, batch, batchRows, cols, settings, alpha);
  }
  return finish(state, k, cols, seed, converged, matrix, options.featureNames);
}

async function fitStream(
  blocks: AsyncIterable<NumericMatrixInput>,
  settings: Settings,
  seed: number,
  rng: Rng,
  featureNames: readonly string[] | undefined,
): Promise<MiniBatchKMeansResult> {
  const context = 'miniBatchKMeans';
  const { k, batchSize, initSize } = settings;
  let cols = -1;
  let pending = new Float64Array(0);
  let pendingRows = 0;
  let state: OnlineState | undefined;
  let rowOffset = 0;
  let converged = false;
  const alpha = 0.1;
  const append = (matrix: DenseMatrix): void => {
    const needed = (pendingRows + matrix.rows) * cols;
    if (needed > pending.length) {
      const grown = new Float64Array(Math.max(needed, pending.length * 2));
      grown.set(pending.subarray(0, pendingRows * cols));
      pending = grown;
    }
    pending.set(matrix.data, pendingRows * cols);
    pendingRows += matrix.rows;
  };
  const drain = (final: boolean): void => {
    if (state === undefined) {
      if (pendingRows < initSize && !final) return;
      if (pendingRows < k)
        throw new OptionError(
          context,
          'k',
          `must be at most the number of rows (${pendingRows}), received ${k}`,
        );
      state = newState(
        initialCentroids(pending.subarray(0, pendingRows * cols), pendingRows, cols, k, rng.fork('init')),
        k,
        cols,
        batchSize,
      );
    }
    let start = 0;
    while (!converged && (pendingRows - start >= batchSize || (final && pendingRows > start))) {
      const size = Math.min(batchSize, pendingRows - start);
      converged = step(
        state,
        pending.subarray(start * cols, (start + size) * cols),
        size,
        cols,
        settings,
        alpha,
      );
      start += size;
    }
    pending.copyWithin(0, start * cols, pendingRows * cols);
    pendingRows -= start;
  };
  for await (const block of blocks) {
    const matrix = toDenseMatrix(block, context, featureNames);
    if (matrix.rows === 0) continue;
    if (cols === -1) cols = matrix.cols;
    if (matrix.cols !== cols) {
      throw new OptionError(
        context,
        'data',
        `blocks must all have ${cols} columns; the block at row ${rowOffset + 1} has ${matrix.cols}`,
      );
    }
    rowOffset += matrix.rows;
    append(matrix);
    drain(false);
    if (converged) break;
  }
  if (cols === -1) throw new TelcoAnalyticsError('EMPTY_INPUT', `${context}: the stream held no rows`);
  if (!converged) drain(true);
  return finish(state!, k, cols, seed, converged, undefined, featureNames);
}
