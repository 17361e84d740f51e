import { accumulateClusters, updateCentroids } from './centroid-update.js';
import { squaredDistanceFor } from './squared-distance.js';

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

/** Reusable scratch buffers, so `nInit` runs over a million rows allocate once. */
export interface RunBuffers {
  readonly labels: Int32Array;
  /** Hamerly's bounds: upper on the distance to the own centroid, lower on any other. */
  readonly upper: Float64Array;
  readonly lower: Float64Array;
}

export function createRunBuffers(rows: number, algorithm: BoundedAlgorithm): RunBuffers {
  const bounds = algorithm === 'hamerly' ? rows : 0;
  return { labels: new Int32Array(rows), upper: new Float64Array(bounds), lower: new Float64Array(bounds) };
}

/**
 * Assigns every row to its nearest centroid (first index on ties) and returns how many labels changed.
 * With `upper`/`lower` of length `rows`, also initialises Hamerly's bounds (distances, not squared).
 */
export function assignAll(
  data: Float64Array,
  rows: number,
  cols: number,
  centroids: Float64Array,
  k: number,
  labels: Int32Array,
  upper?: Float64Array,
  lower?: Float64Array,
): number {
  const squaredDistance = squaredDistanceFor(cols);
  let changed = 0;
  const withBounds = upper !== undefined && lower !== undefined && upper.length === rows;
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let best = Number.POSITIVE_INFINITY;
    let second = Number.POSITIVE_INFINITY;
    let bestIndex = 0;
    for (let j = 0, centre = 0; j < k; j++, centre += cols) {
      const sum = squaredDistance(data, base, centroids, centre);
      if (sum < best) {
        second = best;
        best = sum;
        bestIndex = j;
      } else if (sum < second) {
        second = sum;
      }
    }
    if (labels[i] !== bestIndex) {
      labels[i] = bestIndex;
      changed++;
    }
    if (withBounds) {
      upper[i] = Math.sqrt(best);
      lower![i] = Math.sqrt(second);
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

// Bounds accumulate rounding over iterations; a row is skipped only when the bound wins by this
// relative margin, so a near tie is always settled by exact distances (first index wins, as in Lloyd).
const safety = 1 - 1e-10;

/** Centroid movement of the last M-step, which Hamerly's bounds absorb lazily (internal). */
interface Movement {
  readonly shifts: Float64Array;
  largest: number;
  largestIndex: number;
  secondLargest: number;
}

/**
 * Hamerly's assignment step (2010): one upper bound on the distance to the assigned centroid and one
 * lower bound on the distance to any other, loosened here by the last centroid movement (in the same
 * pass, to read the bounds once). Rows whose bounds prove the label cannot change skip the k distance
 * computations; near convergence that is almost every row. A row that moves updates the cluster sums
 * at once, so the M-step costs O(moved rows), not O(rows).
 */
function assignWithBounds(
  data: Float64Array,
  rows: number,
  cols: number,
  weights: Float64Array | undefined,
  centroids: Float64Array,
  k: number,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  halfSeparation: Float64Array,
  movement: Movement,
  sums: Float64Array,
  clusterWeights: Float64Array,
): number {
  const squaredDistance = squaredDistanceFor(cols);
  let changed = 0;
  const { shifts, largest, largestIndex, secondLargest } = movement;
  for (let i = 0; i < rows; i++) {
    const label = labels[i]!;
    const upperBound = upper[i]! + shifts[label]!;
    const lowerBound = lower[i]! - (label === largestIndex ? secondLargest : largest);
    upper[i] = upperBound;
    lower[i] = lowerBound;
    const separation = halfSeparation[label]!;
    const limit = Math.max(separation, lowerBound) * safety;
    if (upperBound < limit) continue;
    const base = i * cols;
    const own = squaredDistance(data, base, centroids, label * cols);
    const ownDistance = Math.sqrt(own);
    upper[i] = ownDistance;
    if (ownDistance < limit) continue;
    let best = Number.POSITIVE_INFINITY;
    let second = Number.POSITIVE_INFINITY;
    let bestIndex = 0;
    for (let j = 0, centre = 0; j < k; j++, centre += cols) {
      const sum = j === label ? own : squaredDistance(data, base, centroids, centre);
      if (sum < best) {
        second = best;
        best = sum;
        bestIndex = j;
      } else if (sum < second) {
        second = sum;
      }
    }
    upper[i] = Math.sqrt(best);
    lower[i] = Math.sqrt(second);
    if (bestIndex !== label) {
      labels[i] = bestIndex;
      changed++;
      const weight = weights === undefined ? 1 : weights[i]!;
      clusterWeights[label]! -= weight;
      clusterWeights[bestIndex]! += weight;
      const from = label * cols;
      const to = bestIndex * cols;
      for (let c = 0; c < cols; c++) {
        const value = data[base + c]! * weight;
        sums[from + c]! -= value;
        sums[to + c]! += value;
      }
    }
  }
  return changed;
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

function recordMovement(movement: Movement, k: number): void {
  movement.largest = 0;
  movement.largestIndex = -1;
  movement.secondLargest = 0;
  for (let j = 0; j < k; j++) {
    const value = movement.shifts[j]!;
    if (value > movement.largest) {
      movement.secondLargest = movement.largest;
      movement.largest = value;
      movement.largestIndex = j;
    } else if (value > movement.secondLargest) {
      movement.secondLargest = value;
    }
  }
}

/**
 * Lloyd's iterations from `initial` centroids, with the same stopping rule as scikit-learn's
 * `_kmeans_single_lloyd`: stop when no label changes (strict convergence) or when the summed squared
 * centroid shift is at most `tolerance`; after a tolerance stop, one more assignment so that the
 * labels match the returned centroids. Hamerly's bounds give the same labels with fewer distances.
 */
export function runLloyd(
  data: Float64Array,
  rows: number,
  cols: number,
  weights: Float64Array | undefined,
  initial: Float64Array,
  k: number,
  settings: RunSettings,
  buffers: RunBuffers,
): SingleRunResult {
  const { labels, upper, lower } = buffers;
  labels.fill(-1);
  let centroids = Float64Array.from(initial);
  let next = new Float64Array(k * cols);
  const sums = new Float64Array(k * cols);
  const clusterWeights = new Float64Array(k);
  const movement: Movement = { shifts: new Float64Array(k), largest: 0, largestIndex: -1, secondLargest: 0 };
  const halfSeparation = new Float64Array(k);
  const hamerly = settings.algorithm === 'hamerly';
  const boundedStep = (): number => {
    halfSeparations(centroids, k, cols, halfSeparation);
    return assignWithBounds(
      data,
      rows,
      cols,
      weights,
      centroids,
      k,
      labels,
      upper,
      lower,
      halfSeparation,
      movement,
      sums,
      clusterWeights,
    );
  };
  let strict = false;
  let converged = false;
  let iteration = 0;
  while (iteration < settings.maxIter) {
    iteration++;
    let changed: number;
    if (!hamerly) {
      changed = assignAll(data, rows, cols, centroids, k, labels);
      accumulateClusters(data, rows, cols, weights, labels, sums, clusterWeights);
    } else if (iteration === 1) {
      changed = assignAll(data, rows, cols, centroids, k, labels, upper, lower);
      accumulateClusters(data, rows, cols, weights, labels, sums, clusterWeights);
    } else {
      changed = boundedStep();
      // Past a quarter of the rows moving, a fresh sum is as cheap and sheds the rounding of the updates.
      if (changed * 4 > rows) accumulateClusters(data, rows, cols, weights, labels, sums, clusterWeights);
    }
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
      movement.shifts,
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
    if (hamerly) recordMovement(movement, k);
  }
  if (!strict) {
    // The final assignment to the returned centroids; Hamerly's bounds are still valid for it.
    if (hamerly) {
      recordMovement(movement, k);
      boundedStep();
    } else {
      assignAll(data, rows, cols, centroids, k, labels);
    }
  }
  const inertia = inertiaOf(data, rows, cols, weights, centroids, labels);
  return { centroids, labels: Int32Array.from(labels), inertia, iterations: iteration, converged };
}
