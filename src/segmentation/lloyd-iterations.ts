import { type BlockState, blockCommand } from './assignment-blocks.js';
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
  const nearest = nearestCentroidFor(cols);
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

/** The largest shift, its cluster and the second largest, which loosen Hamerly's lower bounds. */
function recordMovement(shifts: Float64Array, movement: Float64Array, k: number): void {
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
  movement[0] = largest;
  movement[1] = largestIndex;
  movement[2] = secondLargest;
}

/** The blocks' partial sums added in block order: the same numbers whichever threads made them. */
function combinePartials(
  state: BlockState,
  blocks: number,
  sums: Float64Array,
  clusterWeights: Float64Array,
): void {
  const { partialSums, partialWeights } = state;
  const sumLength = sums.length;
  const k = clusterWeights.length;
  sums.fill(0);
  clusterWeights.fill(0);
  for (let block = 0; block < blocks; block++) {
    const sumsStart = block * sumLength;
    for (let j = 0; j < sumLength; j++) sums[j]! += partialSums[sumsStart + j]!;
    const weightsStart = block * k;
    for (let j = 0; j < k; j++) clusterWeights[j]! += partialWeights[weightsStart + j]!;
  }
}

/**
 * Lloyd's iterations from `initial` centroids, with the same stopping rule as scikit-learn's
 * `_kmeans_single_lloyd`: stop when no label changes (strict convergence) or when the summed squared
 * centroid shift is at most `tolerance`; after a tolerance stop, one more assignment so that the
 * labels match the returned centroids. The E-step runs block by block on `runner`'s threads; Hamerly's
 * bounds give exactly Lloyd's labels, sums and centroids with fewer distances.
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
  let centroids = Float64Array.from(initial);
  let next = new Float64Array(k * cols);
  const sums = new Float64Array(k * cols);
  const clusterWeights = new Float64Array(k);
  const hamerly = settings.algorithm === 'hamerly';
  // Labels that changed in the last E-step: while there are more than blocks, most blocks need fresh
  // sums, and Hamerly adds them up in the same pass.
  let lastChanged = rows;
  const assign = (first: boolean): number => {
    state.centroids.set(centroids);
    if (!hamerly) return runner.assign(blockCommand.lloyd);
    if (first) return runner.assign(blockCommand.hamerlyFirst);
    halfSeparations(centroids, k, cols, state.halfSeparation);
    recordMovement(state.shifts, state.movement, k);
    lastChanged = runner.assign(lastChanged > blocks ? blockCommand.hamerlySumming : blockCommand.hamerly);
    return lastChanged;
  };
  let strict = false;
  let converged = false;
  let iteration = 0;
  while (iteration < settings.maxIter) {
    iteration++;
    const changed = assign(iteration === 1);
    combinePartials(state, blocks, sums, clusterWeights);
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
      state.shifts,
    );
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
  // The final assignment to the returned centroids; Hamerly's bounds are still valid for it.
  if (!strict) assign(false);
  const inertia = inertiaOf(data, rows, cols, weights, centroids, labels);
  return { centroids, labels: Int32Array.from(labels), inertia, iterations: iteration, converged };
}
