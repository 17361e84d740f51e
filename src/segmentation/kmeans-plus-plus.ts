import type { Rng } from '../data/random.js';
import { squaredDistanceFor } from './squared-distance.js';

/**
 * Greedy k-means++ (Arthur & Vassilvitskii 2007, with the greedy refinement scikit-learn uses): each
 * new centre is the best, by resulting potential, of `2 + floor(ln k)` candidates drawn with
 * probability proportional to weight x squared distance to the nearest centre chosen so far.
 * Returns the k centroids row-major.
 */
export function kmeansPlusPlus(
  data: Float64Array,
  rows: number,
  cols: number,
  weights: Float64Array | undefined,
  k: number,
  rng: Rng,
): Float64Array {
  const squaredDistance = squaredDistanceFor(cols);
  const centroids = new Float64Array(k * cols);
  const trials = 2 + Math.floor(Math.log(k));
  const weightOf = (i: number): number => (weights === undefined ? 1 : weights[i]!);
  const first = weights === undefined ? rng.integer(rows) : rng.categorical(weights);
  centroids.set(data.subarray(first * cols, first * cols + cols), 0);
  let closest = new Float64Array(rows);
  for (let i = 0; i < rows; i++) closest[i] = squaredDistance(data, i * cols, data, first * cols);
  const cumulative = new Float64Array(rows);
  let candidate = new Float64Array(rows);
  let bestCandidate = new Float64Array(rows);
  for (let centre = 1; centre < k; centre++) {
    let running = 0;
    for (let i = 0; i < rows; i++) {
      running += closest[i]! * weightOf(i);
      cumulative[i] = running;
    }
    let bestPotential = Number.POSITIVE_INFINITY;
    let bestRow = -1;
    for (let trial = 0; trial < trials; trial++) {
      // All remaining rows coincide with a centre when the potential is 0: any row will do.
      const row = running > 0 ? searchSorted(cumulative, rng.uniform() * running) : rng.integer(rows);
      let trialPotential = 0;
      for (let i = 0; i < rows; i++) {
        const distance = Math.min(closest[i]!, squaredDistance(data, i * cols, data, row * cols));
        candidate[i] = distance;
        trialPotential += distance * weightOf(i);
      }
      if (trialPotential < bestPotential) {
        bestPotential = trialPotential;
        bestRow = row;
        const held = bestCandidate;
        bestCandidate = candidate;
        candidate = held;
      }
    }
    centroids.set(data.subarray(bestRow * cols, bestRow * cols + cols), centre * cols);
    const held = closest;
    closest = bestCandidate;
    bestCandidate = held;
  }
  return centroids;
}

/** `k` distinct rows drawn uniformly (weighted by `weights` when given) as the initial centroids. */
export function randomRows(
  data: Float64Array,
  rows: number,
  cols: number,
  weights: Float64Array | undefined,
  k: number,
  rng: Rng,
): Float64Array {
  const centroids = new Float64Array(k * cols);
  const chosen: number[] = [];
  if (weights === undefined) {
    // Partial Fisher–Yates over a sparse map: O(k) memory whatever the row count.
    const swapped = new Map<number, number>();
    for (let i = 0; i < k; i++) {
      const j = i + rng.integer(rows - i);
      const atJ = swapped.get(j) ?? j;
      swapped.set(j, swapped.get(i) ?? i);
      chosen.push(atJ);
    }
  } else {
    const remaining = Float64Array.from(weights);
    let positive = 0;
    for (let i = 0; i < rows; i++) if (remaining[i]! > 0) positive++;
    for (let i = 0; i < k; i++) {
      // Rows of zero weight are drawn last, uniformly, only when the positive ones run out.
      const row = i < positive ? rng.categorical(remaining) : zeroWeightRow(remaining, chosen, rows, rng);
      remaining[row] = 0;
      chosen.push(row);
    }
  }
  chosen.forEach((row, index) => {
    centroids.set(data.subarray(row * cols, row * cols + cols), index * cols);
  });
  return centroids;
}

function zeroWeightRow(remaining: Float64Array, chosen: readonly number[], rows: number, rng: Rng): number {
  const taken = new Set(chosen);
  for (;;) {
    const row = rng.integer(rows);
    if (!taken.has(row) && remaining[row] === 0) return row;
  }
}

/** First index whose cumulative value is >= target (numpy's `searchsorted`, side 'left'), clipped to the last. */
function searchSorted(cumulative: Float64Array, target: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulative[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return low;
}
