import { type BlockState, blockCommand, driftStamps } from './assignment-blocks.js';
import { updateCentroids } from './centroid-update.js';
import type { AssignmentRunner } from './parallel-assignment.js';
import { nearestCentroidFor, squaredDistanceFor } from './squared-distance.js';

/** One k-means run from given initial centroids (internal). */
export interface SingleRunResult {
  readonly centroids: Float64Array;
  readonly labels: Int32Array;
  readonly inertia: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** What one iteration reports to `onIteration`. */
export interface IterationEvent {
  /** 0-based index of the run among `nInit`. */
  readonly run: number;
  /** 1-based iteration number within the run. */
  readonly iteration: number;
  /** Rows whose label changed in this iteration. */
  readonly changedLabels: number;
  /** Sum over clusters of the squared centroid movement. */
  readonly centroidShift: number;
}

export interface RunSettings {
  readonly maxIter: number;
  /** Absolute tolerance on the summed squared centroid shift. */
  readonly tolerance: number;
  readonly algorithm: BoundedAlgorithm;
  readonly run: number;
  readonly onIteration: ((event: IterationEvent) => void) | undefined;
}

/** Lloyd with every distance, or with Hamerly's bounds (internal). */
export type BoundedAlgorithm = 'lloyd' | 'hamerly';

/**
 * Assigns every row to its nearest centroid (first index on ties) and returns how many labels changed
 * (prediction and mini-batch k-means; `kmeans` itself goes through the blocks of `processBlock`).
 */
export function assignAll(
  data: Float64Array,
  rows: number,
  cols: number,
  centroids: Float64Array,
  k: number,
  labels: Int32Array,
): number {
  const nearest = nearestCentroidFor(cols, k);
  const closest = new Float64Array(2);
  let changed = 0;
  for (let i = 0; i < rows; i++) {
    const bestIndex = nearest(data, i * cols, centroids, k, closest);
    if (labels[i] !== bestIndex) {
      labels[i] = bestIndex;
      changed++;
    }
  }
  return changed;
}

/** Weighted sum of squared distances of the rows to their assigned centroid. */
export function inertiaOf(
  data: Float64Array,
  rows: number,
  cols: number,
  weights: Float64Array | undefined,
  centroids: Float64Array,
  labels: Int32Array,
): number {
  const squaredDistance = squaredDistanceFor(cols);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    const sum = squaredDistance(data, base, centroids, labels[i]! * cols);
    total += weights === undefined ? sum : sum * weights[i]!;
  }
  return total;
}

/** Half the distance from each centroid to its nearest other centroid. */
function halfSeparations(centroids: Float64Array, k: number, cols: number, into: Float64Array): void {
  const squaredDistance = squaredDistanceFor(cols);
  into.fill(Number.POSITIVE_INFINITY);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const half = Math.sqrt(squaredDistance(centroids, a * cols, centroids, b * cols)) / 2;
      if (half < into[a]!) into[a] = half;
      if (half < into[b]!) into[b] = half;
    }
  }
}

/**
 * Adds the last M-step's centroid moves to every live row of Hamerly's drift tables: a centroid's own
 * move to its upper drift, the largest move of any other centroid to its lower drift.
 */
function addDrift(state: BlockState, shifts: Float64Array, stampsInUse: number): void {
  const { drift, k } = state;
  let largest = 0;
  let largestIndex = -1;
  let secondLargest = 0;
  for (let j = 0; j < k; j++) {
    const value = shifts[j]!;
    if (value > largest) {
      secondLargest = largest;
      largest = value;
      largestIndex = j;
    } else if (value > secondLargest) {
      secondLargest = value;
    }
  }
  for (let stamp = 0; stamp < stampsInUse; stamp++) {
    const row = stamp * k * 2;
    for (let j = 0; j < k; j++) {
      drift[row + 2 * j]! += shifts[j]!;
      drift[row + 2 * j + 1]! += j === largestIndex ? secondLargest : largest;
    }
  }
}

/**
 * Adds the blocks' changes into the exact per-cluster totals (pieces of x * weight per column, then
 * of the weight) and clears them; then rounds each total once into `sums` and `clusterWeights`. The
 * totals are exact, so the order of the blocks does not matter: the same numbers whichever threads
 * made them, and whether a cluster's rows were summed at once (Lloyd's first step) or moved in and
 * out one by one.
 */
function combineDeltas(
  state: BlockState,
  blocks: number,
  totals: Float64Array,
  sums: Float64Array,
  clusterWeights: Float64Array,
): void {
  const { deltas, blockChanged, cols, k } = state;
  const length = totals.length;
  for (let block = 0; block < blocks; block++) {
    if (blockChanged[block] === 0) continue;
    const start = block * length;
    for (let j = 0; j < length; j++) totals[j]! += deltas[start + j]!;
    deltas.fill(0, start, start + length);
  }
  const width = cols + 1;
  for (let j = 0; j < k; j++) {
    for (let c = 0; c < width; c++) {
      const at = (j * width + c) * 3;
      const value = totals[at]! + (totals[at + 1]! + totals[at + 2]!);
      if (c < cols) sums[j * cols + c] = value;
      else clusterWeights[j] = value;
    }
  }
}

/**
 * Lloyd's iterations from `initial` centroids, with the same stopping rule as scikit-learn's
 * `_kmeans_single_lloyd`: stop when no label changes (strict convergence) or when the summed squared
 * centroid shift is at most `tolerance`; after a tolerance stop, one more assignment so that the
 * labels match the returned centroids. The E-step runs block by block on `runner`'s threads; only the
 * rows whose label changes touch the (exact) cluster sums. Hamerly's bounds give exactly Lloyd's
 * labels, sums and centroids with fewer distances.
 */
export function runLloyd(
  runner: AssignmentRunner,
  weights: Float64Array | undefined,
  initial: Float64Array,
  settings: RunSettings,
): SingleRunResult {
  const { state, blocks } = runner;
  const { data, rows, cols, k, labels } = state;
  labels.fill(-1);
  state.deltas.fill(0);
  let centroids = Float64Array.from(initial);
  let next = new Float64Array(k * cols);
  const totals = new Float64Array(k * (cols + 1) * 3);
  const sums = new Float64Array(k * cols);
  const clusterWeights = new Float64Array(k);
  const shifts = new Float64Array(k);
  const hamerly = settings.algorithm === 'hamerly';
  // Rows of the drift tables in use; the next E-step stamps its bounds with this row.
  let stampsInUse = 0;
  const assign = (first: boolean): number => {
    state.centroids.set(centroids);
    if (!hamerly) return runner.assign(blockCommand.lloyd);
    if (first) {
      state.drift.fill(0);
      stampsInUse = 1;
      return runner.assign(blockCommand.hamerlyFirst);
    }
    halfSeparations(centroids, k, cols, state.halfSeparation);
    if (stampsInUse < driftStamps) {
      state.stamp[0] = stampsInUse;
      const changed = runner.assign(blockCommand.hamerly);
      stampsInUse++;
      return changed;
    }
    // The tables are full: this E-step folds the drifts into every row's bounds and stamps them 0.
    state.stamp[0] = 0;
    const changed = runner.assign(blockCommand.hamerlyRebase);
    state.drift.fill(0);
    stampsInUse = 1;
    return changed;
  };
  let strict = false;
  let converged = false;
  let iteration = 0;
  while (iteration < settings.maxIter) {
    iteration++;
    const changed = assign(iteration === 1);
    combineDeltas(state, blocks, totals, sums, clusterWeights);
    const shift = updateCentroids(
      data,
      rows,
      cols,
      weights,
      labels,
      k,
      sums,
      clusterWeights,
      centroids,
      next,
      shifts,
    );
    if (hamerly) addDrift(state, shifts, stampsInUse);
    const held = centroids;
    centroids = next;
    next = held;
    settings.onIteration?.({ run: settings.run, iteration, changedLabels: changed, centroidShift: shift });
    if (changed === 0) {
      strict = true;
      converged = true;
      break;
    }
    if (shift <= settings.tolerance) {
      converged = true;
      break;
    }
  }
  // The final assignment to the returned centroids (Hamerly's bounds are still valid for it), each
  // block adding up its inertia in the same pass; block by block on every thread, within a block in
  // row order, so up to 4,096 rows this is the sum of `inertiaOf`.
  if (strict) {
    state.centroids.set(centroids);
    runner.assign(blockCommand.inertia);
  } else {
    state.stamp[1] = 1;
    try {
      assign(false);
    } finally {
      state.stamp[1] = 0;
    }
    combineDeltas(state, blocks, totals, sums, clusterWeights);
  }
  let inertia = 0;
  for (let block = 0; block < blocks; block++) inertia += state.blockInertia[block]!;
  return { centroids, labels: labels.slice(), inertia, iterations: iteration, converged };
}
