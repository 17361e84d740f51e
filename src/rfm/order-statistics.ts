/**
 * The values of a measure in ascending order, as far as scoring needs them: the value at a
 * position and the number of values below a value. Internal to the rfm capability.
 *
 * Recency (days) and event counts are small whole numbers: for those a histogram answers both
 * questions after one pass, where sorting a million doubles takes several. Other values are sorted.
 *
 * @packageDocumentation
 */

/** Ascending order of some values. @internal */
export interface OrderStatistics {
  /** The value at a 0-based position of the ascending order. */
  at(position: number): number;
  /** How many values are strictly below `value`. */
  countBelow(value: number): number;
}

function sortedStatistics(sorted: Float64Array): OrderStatistics {
  return {
    at: (position) => sorted[position]!,
    countBelow(value) {
      let low = 0;
      let high = sorted.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (sorted[middle]! < value) low = middle + 1;
        else high = middle;
      }
      return low;
    },
  };
}

function histogramStatistics(
  values: Float64Array,
  sign: number,
  lowest: number,
  span: number,
): OrderStatistics {
  // below[v - lowest] = number of values smaller than v.
  const below = new Float64Array(span + 2);
  for (let i = 0; i < values.length; i++) below[sign * values[i]! - lowest + 1]! += 1;
  for (let k = 1; k < below.length; k++) below[k]! += below[k - 1]!;
  return {
    at(position) {
      let low = 0;
      let high = span;
      // The largest v with below[v] <= position.
      while (low < high) {
        const middle = (low + high + 1) >>> 1;
        if (below[middle]! <= position) low = middle;
        else high = middle - 1;
      }
      return low + lowest;
    },
    countBelow(value) {
      if (value <= lowest) return 0;
      if (value > lowest + span) return values.length;
      return below[Math.ceil(value) - lowest]!;
    },
  };
}

/**
 * The ascending order of `values` (times `sign`, so -1 orders them descending). `scratch`, as long
 * as `values`, may be overwritten. @internal
 */
export function orderStatistics(values: Float64Array, sign: 1 | -1, scratch: Float64Array): OrderStatistics {
  const n = values.length;
  let lowest = Number.POSITIVE_INFINITY;
  let highest = Number.NEGATIVE_INFINITY;
  let whole = true;
  for (let i = 0; i < n; i++) {
    const value = sign * values[i]!;
    if (value < lowest) lowest = value;
    if (value > highest) highest = value;
    // `| 0` round-trips only for 32-bit integers, and tells -0 apart from 0 nowhere: both are 0.
    if ((value | 0) !== value) whole = false;
  }
  if (whole && n > 0 && highest - lowest <= Math.max(1024, n)) {
    return histogramStatistics(values, sign, lowest, highest - lowest);
  }
  for (let i = 0; i < n; i++) scratch[i] = sign * values[i]!;
  return sortedStatistics(scratch.subarray(0, n).sort());
}
