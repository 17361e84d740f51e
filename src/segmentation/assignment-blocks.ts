import type { NearestCentroid, SquaredDistance } from './squared-distance.js';

/**
 * The unweighted inertia of rows [start, end) to their labelled centroids, added in row order with
 * the distances of {@link SquaredDistance}: the same bits as the loop in {@link processBlock}.
 */
export type BlockInertia = (start: number, end: number) => number;

/**
 * Moves the exact pieces of an unweighted row (at element `base` of the data) into the sums at
 * element `toStart` of `deltas` and, when `label` is not negative, out of those at `fromStart`: the
 * same bits as the loop in {@link processBlock}.
 */
export type RowMove = (base: number, toStart: number, fromStart: number, label: number) => void;

/**
 * Settles an unweighted row with all k distances: its bounds, and when its nearest centroid is not
 * `label`, its new label and the move of its pieces within the block's sums at `deltaStart`. Returns
 * 1 when the label changed, else 0: the same bits as the code in {@link processBlock}.
 */
export type RowSettle = (row: number, label: number, deltaStart: number) => number;

/**
 * The bounded step of {@link processBlock} over rows [start, end) of an unweighted block (flags: 1
 * stream, 2 direct, 4 rebase), the same operations in the same order. Returns the changed labels
 * and stores the recomputed and full counts and the streamed sum in `results`.
 */
export type BoundedStep = (
  start: number,
  end: number,
  flags: number,
  stamp: number,
  deltaStart: number,
  results: Float64Array,
) => number;

/**
 * Rows per block: the unit of work a thread claims in the E-step. Each block writes its own changes to
 * the cluster sums; the sums themselves are exact (see {@link BlockState.splitConstants}), so neither
 * the block size nor which thread ran a block changes a single bit of the result.
 */
export const blockRows = 4096;

/**
 * Rows of the drift tables: Hamerly's bounds of a row are stored as set at some E-step (its stamp),
 * and the tables hold how far each centroid moved since each stamp. Every `driftStamps - 1`
 * iterations one E-step folds the drifts into the bounds and restarts the stamps at 0.
 */
export const driftStamps = 256;

/** What {@link processBlock} does with its rows (internal). */
export const blockCommand = {
  /** Worker threads leave their loop. */
  exit: 0,
  /** Every distance (Lloyd). */
  lloyd: 1,
  /** Every distance, setting Hamerly's bounds (stamp 0). */
  hamerlyFirst: 2,
  /** Hamerly's bounded step: a row whose bounds hold is read, never written. */
  hamerly: 3,
  /** Hamerly's bounded step that also folds the drifts into every row's bounds and restamps it 0. */
  hamerlyRebase: 4,
  /** No assignment: the block's weighted sum of squared distances to the assigned centroids. */
  inertia: 5,
} as const;

/**
 * Everything the E-step reads and writes, as typed arrays (on SharedArrayBuffers when worker threads
 * share them). Per iteration the main thread writes `centroids`, `halfSeparation`, the drift tables
 * and `stamp`; the blocks write `labels`, the bounds, stamps and their own slices of `deltas`.
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
  /**
   * Hamerly's bounds of row i as of its stamp (empty for Lloyd), side by side so one cache line holds
   * both: at 2i the upper bound on the distance to the own centroid, at 2i + 1 the lower bound on the
   * distance to any other centroid.
   */
  readonly bounds: Float64Array;
  /** The E-step at which each row's bounds were set, as a row of the drift tables (empty for Lloyd). */
  readonly stamps: Uint8Array;
  /**
   * `driftStamps x k x 2`: at (s k + j) 2 how far centroid j moved since stamp s (the drift of the
   * upper bound of a row labelled j), at (s k + j) 2 + 1 the summed largest move of any other centroid
   * since then (the drift of its lower bound).
   */
  readonly drift: Float64Array;
  /**
   * `[stamp, inertia]`: the stamp this E-step gives to the bounds it sets, and 1 when each block
   * should also add up its inertia after the assignment (the last E-step of a run).
   */
  readonly stamp: Float64Array;
  /** Half the distance from each centroid to its nearest other centroid. */
  readonly halfSeparation: Float64Array;
  /**
   * Per value column c of a row (cols data columns, value x * weight, then the weight), three
   * constants 1.5 x 2^(e + 52 - 26 m), m = 1..3, where every value of that column is at most 2^e in
   * magnitude: `(v + C) - C` rounds v to a multiple of 2^(e - 26 m). A value splits into three such
   * pieces, each a small integer times its unit, so sums of pieces are exact in any order, and a
   * row's pieces can be taken out of one cluster and added to another without any rounding: the sums
   * depend only on which rows each cluster holds.
   */
  readonly splitConstants: Float64Array;
  /** Per block, k x (cols + 1) x 3 changes to the exact cluster sums made by the block's rows. */
  readonly deltas: Float64Array;
  /** Per block, how many labels it changed in this E-step. */
  readonly blockChanged: Int32Array;
  /** Per block, its rows' inertia (command `inertia`), added in block order by the caller. */
  readonly blockInertia: Float64Array;
  /** Per block, how many rows failed Hamerly's bounds in its last bounded step. */
  readonly blockRecomputed: Int32Array;
  /** Per block, how many of those still failed with the exact own distance (all distances computed). */
  readonly blockFull: Int32Array;
  /** Per block, a sum of values read only to stream the rows into the cache (never used otherwise). */
  readonly blockTouch: Float64Array;
}

/**
 * The E-step on one block of rows: assigns each row to its nearest centroid (first index on ties) and,
 * for each row whose label changes, moves its exact value pieces from the old cluster's sums to the
 * new one's (in the block's slice of `deltas`). Returns how many labels changed.
 *
 * Hamerly's step (2010) skips a row when its bounds, loosened by the centroid drift since they were
 * set, prove its label cannot change; otherwise it computes exact distances. The skip test has a
 * relative margin for the rounding the bounds accumulate, so a near tie is always settled by exact
 * distances: the labels are exactly Lloyd's.
 *
 * The optional kernels (`inertia`, `move`, `settle`, `boundedStep`: WebAssembly on the threaded
 * path, see `simdNearestModule`) replace parts of this body for unweighted rows with the same
 * operations in the same order; undefined, this body does everything.
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
  inertia: BlockInertia | undefined,
  move: RowMove | undefined,
  settle: RowSettle | undefined,
  boundedStep: BoundedStep | undefined,
): number {
  const { data, weights, rows, cols, k, centroids, labels, bounds, stamps } = state;
  const start = block * state.blockRows;
  const end = Math.min(rows, start + state.blockRows);
  // Smallest and second smallest squared distance of the last `nearest` call.
  const closest = new Float64Array(2);
  const weighted = weights.length > 0;
  const width = cols + 1;
  const split = state.splitConstants;
  const deltas = state.deltas;
  const deltaStart = block * k * width * 3;
  // Commands as literals (lloyd = 1, hamerlyFirst = 2, hamerly = 3, hamerlyRebase = 4, inertia = 5):
  // this body must stand alone (no helper functions either: a bundler may wrap them in its own helpers).
  // The inertia command assigns nothing; `stamp[1] === 1` asks for the inertia after the assignment,
  // while the block's rows are still in the cache.
  const assignEnd = command === 5 ? start : end;
  const withInertia = command === 5 || state.stamp[1] === 1;
  let changed = 0;
  const bounded = command === 3 || command === 4;
  const rebase = command === 4;
  const withBounds = command === 2;
  const { halfSeparation, drift } = state;
  const stamp = bounded ? state.stamp[0]! : 0;
  const safety = 1 - 1e-10;
  // Rows failing their bounds are scattered, and fetching each from memory on its own stalls (about
  // three times the cost of streaming them all): when many of the block's rows failed last time, one
  // value of every row is read in order, so that the hardware prefetcher streams the block's rows in.
  const stream = bounded && state.blockRecomputed[block]! * 32 > end - start;
  // When most failing rows also failed with their exact own distance last time (the first steps,
  // while the centroids still move far), that distance is skipped: all k distances settle the row
  // anyway. Either way the labels are exact; only how many rows later fail their bounds differs.
  const direct = bounded && state.blockFull[block]! * 2 > state.blockRecomputed[block]!;
  let touch = 0;
  let recomputed = 0;
  let full = 0;
  let loopEnd = assignEnd;
  if (bounded && boundedStep !== undefined && !weighted) {
    const results = new Float64Array(3);
    changed = boundedStep(
      start,
      end,
      (stream ? 1 : 0) | (direct ? 2 : 0) | (rebase ? 4 : 0),
      stamp,
      deltaStart,
      results,
    );
    recomputed = results[0]!;
    full = results[1]!;
    touch = results[2]!;
    loopEnd = start;
  }
  for (let i = start; i < loopEnd; i++) {
    const label = labels[i]!;
    const base = i * cols;
    if (bounded) {
      if (stream) touch += data[base]!;
      const row = (stamps[i]! * k + label) * 2;
      const upperBound = bounds[2 * i]! + drift[row]!;
      const lowerBound = bounds[2 * i + 1]! - drift[row + 1]!;
      const separation = halfSeparation[label]!;
      const limit = Math.max(separation, lowerBound) * safety;
      if (upperBound < limit) {
        if (rebase) {
          bounds[2 * i] = upperBound;
          bounds[2 * i + 1] = lowerBound;
          stamps[i] = stamp;
        }
        continue;
      }
      stamps[i] = stamp;
      recomputed++;
      if (!direct) {
        const ownDistance = Math.sqrt(distance(data, base, centroids, label * cols));
        if (ownDistance < limit) {
          bounds[2 * i] = ownDistance;
          bounds[2 * i + 1] = lowerBound;
          continue;
        }
      }
      full++;
    }
    if (settle !== undefined && !weighted && (bounded || withBounds)) {
      if (withBounds) stamps[i] = 0;
      changed += settle(i, label, deltaStart);
      continue;
    }
    const bestIndex = nearest(data, base, centroids, k, closest);
    if (bounded || withBounds) {
      bounds[2 * i] = Math.sqrt(closest[0]!);
      bounds[2 * i + 1] = Math.sqrt(closest[1]!);
      if (withBounds) stamps[i] = 0;
    }
    if (bestIndex === label) continue;
    labels[i] = bestIndex;
    changed++;
    // The row's exact pieces leave cluster `label` (none on the first step) and join `bestIndex`;
    // the weight is the last value column (a count of 1 when unweighted: one exact piece).
    const fromStart = deltaStart + label * width * 3;
    const toStart = deltaStart + bestIndex * width * 3;
    if (move !== undefined && !weighted) {
      move(base, toStart, fromStart, label);
      continue;
    }
    const weight = weighted ? weights[i]! : 1;
    const valueColumns = weighted ? width : cols;
    for (let c = 0, s = 0; c < valueColumns; c++, s += 3) {
      const value = !weighted ? data[base + c]! : c < cols ? data[base + c]! * weight : weight;
      const first = split[s]!;
      const second = split[s + 1]!;
      const third = split[s + 2]!;
      const high = value + first - first;
      const rest = value - high;
      const middle = rest + second - second;
      const low = rest - middle + third - third;
      deltas[toStart + s]! += high;
      deltas[toStart + s + 1]! += middle;
      deltas[toStart + s + 2]! += low;
      if (label >= 0) {
        deltas[fromStart + s]! -= high;
        deltas[fromStart + s + 1]! -= middle;
        deltas[fromStart + s + 2]! -= low;
      }
    }
    if (!weighted) {
      deltas[toStart + cols * 3]! += 1;
      if (label >= 0) deltas[fromStart + cols * 3]! -= 1;
    }
  }
  state.blockChanged[block] = changed;
  if (bounded) {
    state.blockRecomputed[block] = recomputed;
    state.blockFull[block] = full;
    state.blockTouch[block] = touch;
  } else if (withBounds) {
    state.blockRecomputed[block] = end - start;
    state.blockFull[block] = end - start;
  }
  if (withInertia) {
    let total = 0;
    if (inertia !== undefined && !weighted) total = inertia(start, end);
    else
      for (let i = start; i < end; i++) {
        const sum = distance(data, i * cols, centroids, labels[i]! * cols);
        total += weighted ? sum * weights[i]! : sum;
      }
    state.blockInertia[block] = total;
  }
  return changed;
}
