import type { NearestCentroid, SquaredDistance } from './squared-distance.js';

/**
 * Rows per block. The k-means E-step runs block by block, each block writing its own partial cluster
 * sums, and the M-step adds the partials in block order. The block size is fixed (never derived from
 * the thread count), so the sums, hence centroids, labels and inertia, are bit-identical whether one
 * thread or eight process the blocks, and whatever order they finish in.
 */
export const blockRows = 4096;

/** What {@link processBlock} does with its rows (internal). */
export const blockCommand = {
  /** Worker threads leave their loop. */
  exit: 0,
  /** Every distance (Lloyd), then the block's partial sums. */
  lloyd: 1,
  /** Every distance, setting Hamerly's bounds, then the block's partial sums. */
  hamerlyFirst: 2,
  /** Hamerly's bounded step; the partial sums are recomputed only if a label in the block changed. */
  hamerly: 3,
  /**
   * Hamerly's bounded step adding every row to the partial sums in the same pass: while many labels
   * still change, reading each row once, in order, beats a second pass (and the cache misses of
   * the scattered rows whose bounds fail).
   */
  hamerlySumming: 4,
} as const;

/**
 * Everything the E-step reads and writes, as typed arrays (on SharedArrayBuffers when worker threads
 * share them). Per iteration the main thread writes `centroids`, `halfSeparation`, `shifts` and
 * `movement`; the blocks write `labels`, the bounds and their slices of the partials.
 */
export interface BlockState {
  readonly data: Float64Array;
  /** Empty when every row weighs 1. */
  readonly weights: Float64Array;
  readonly rows: number;
  readonly cols: number;
  readonly k: number;
  readonly blockRows: number;
  readonly centroids: Float64Array;
  readonly labels: Int32Array;
  /** Hamerly's upper bound on the distance to the own centroid (empty for Lloyd). */
  readonly upper: Float64Array;
  /** Hamerly's lower bound on the distance to any other centroid (empty for Lloyd). */
  readonly lower: Float64Array;
  /** Half the distance from each centroid to its nearest other centroid. */
  readonly halfSeparation: Float64Array;
  /** How far each centroid moved in the last M-step. */
  readonly shifts: Float64Array;
  /** The largest shift, its cluster, and the second largest shift. */
  readonly movement: Float64Array;
  /** Per block, k x cols weighted sums of its rows by label. */
  readonly partialSums: Float64Array;
  /** Per block, k total weights by label. */
  readonly partialWeights: Float64Array;
}

/**
 * The E-step on one block of rows: assigns each row to its nearest centroid (first index on ties)
 * and refreshes the block's partial cluster sums from scratch, always in row order, so a block's
 * partials do not depend on its history or on which thread ran it. Returns how many labels changed.
 *
 * Hamerly's step (2010) loosens each row's bounds by the last centroid movement and skips the row when
 * they prove its label cannot change; otherwise it computes the exact distances. The skip test has a
 * relative margin for the rounding the bounds accumulate, so a near tie is always settled by exact
 * distances: the labels are exactly Lloyd's.
 *
 * This function is self-contained: worker threads compile it from its source text, so it must not
 * refer to anything outside its own body (no imports, no module constants, no helpers).
 */
export function processBlock(
  state: BlockState,
  command: number,
  block: number,
  distance: SquaredDistance,
  nearest: NearestCentroid,
): number {
  const { data, weights, rows, cols, k, centroids, labels, upper, lower } = state;
  const start = block * state.blockRows;
  const end = Math.min(rows, start + state.blockRows);
  // Smallest and second smallest squared distance of the last `nearest` call.
  const closest = new Float64Array(2);
  let changed = 0;
  const sums = state.partialSums;
  const clusterWeights = state.partialWeights;
  const sumsStart = block * k * cols;
  const weightsStart = block * k;
  const weighted = weights.length > 0;
  const body = cols - (cols & 3);
  // Commands as literals (blockCommand.hamerly = 3, hamerlySumming = 4, hamerlyFirst = 2): this body
  // must stand alone.
  if (command === 3 || command === 4) {
    const summing = command === 4;
    if (summing) {
      sums.fill(0, sumsStart, sumsStart + k * cols);
      clusterWeights.fill(0, weightsStart, weightsStart + k);
    }
    const { shifts, halfSeparation, movement } = state;
    const largest = movement[0]!;
    const largestIndex = movement[1]!;
    const secondLargest = movement[2]!;
    const safety = 1 - 1e-10;
    for (let i = start; i < end; i++) {
      let label = labels[i]!;
      const base = i * cols;
      const upperBound = upper[i]! + shifts[label]!;
      const lowerBound = lower[i]! - (label === largestIndex ? secondLargest : largest);
      upper[i] = upperBound;
      lower[i] = lowerBound;
      const limit = Math.max(halfSeparation[label]!, lowerBound) * safety;
      if (upperBound >= limit) {
        const ownDistance = Math.sqrt(distance(data, base, centroids, label * cols));
        upper[i] = ownDistance;
        if (ownDistance >= limit) {
          const bestIndex = nearest(data, base, centroids, k, closest);
          upper[i] = Math.sqrt(closest[0]!);
          lower[i] = Math.sqrt(closest[1]!);
          if (bestIndex !== label) {
            labels[i] = bestIndex;
            label = bestIndex;
            changed++;
          }
        }
      }
      if (!summing) continue;
      // The same additions, in the same order, as the separate pass below.
      const weight = weighted ? weights[i]! : 1;
      clusterWeights[weightsStart + label]! += weight;
      const target = sumsStart + label * cols;
      let c = 0;
      for (; c < body; c += 4) {
        sums[target + c]! += data[base + c]! * weight;
        sums[target + c + 1]! += data[base + c + 1]! * weight;
        sums[target + c + 2]! += data[base + c + 2]! * weight;
        sums[target + c + 3]! += data[base + c + 3]! * weight;
      }
      for (; c < cols; c++) sums[target + c]! += data[base + c]! * weight;
    }
    // Unchanged labels: the partials from scratch would be the same numbers, so they are kept.
    if (summing || changed === 0) return changed;
  } else {
    const withBounds = command === 2;
    sums.fill(0, sumsStart, sumsStart + k * cols);
    clusterWeights.fill(0, weightsStart, weightsStart + k);
    for (let i = start; i < end; i++) {
      const base = i * cols;
      const label = nearest(data, base, centroids, k, closest);
      if (labels[i] !== label) {
        labels[i] = label;
        changed++;
      }
      if (withBounds) {
        upper[i] = Math.sqrt(closest[0]!);
        lower[i] = Math.sqrt(closest[1]!);
      }
      const weight = weighted ? weights[i]! : 1;
      clusterWeights[weightsStart + label]! += weight;
      const target = sumsStart + label * cols;
      let c = 0;
      for (; c < body; c += 4) {
        sums[target + c]! += data[base + c]! * weight;
        sums[target + c + 1]! += data[base + c + 1]! * weight;
        sums[target + c + 2]! += data[base + c + 2]! * weight;
        sums[target + c + 3]! += data[base + c + 3]! * weight;
      }
      for (; c < cols; c++) sums[target + c]! += data[base + c]! * weight;
    }
    return changed;
  }
  // Hamerly's step changed labels here: the block's partials from scratch, in row order.
  sums.fill(0, sumsStart, sumsStart + k * cols);
  clusterWeights.fill(0, weightsStart, weightsStart + k);
  for (let i = start; i < end; i++) {
    const weight = weighted ? weights[i]! : 1;
    const label = labels[i]!;
    clusterWeights[weightsStart + label]! += weight;
    const base = i * cols;
    const target = sumsStart + label * cols;
    let c = 0;
    for (; c < body; c += 4) {
      sums[target + c]! += data[base + c]! * weight;
      sums[target + c + 1]! += data[base + c + 1]! * weight;
      sums[target + c + 2]! += data[base + c + 2]! * weight;
      sums[target + c + 3]! += data[base + c + 3]! * weight;
    }
    for (; c < cols; c++) sums[target + c]! += data[base + c]! * weight;
  }
  return changed;
}
