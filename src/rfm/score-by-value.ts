import { type OrderStatistics, orderStatistics } from './order-statistics.js';

/**
 * Scoring by value against breakpoints (quantile, fixed and the R `rfm` package's rule). Internal.
 *
 * @packageDocumentation
 */

/**
 * Which side of a bin is closed. `'right'`: bins are `(b[k-1], b[k]]`, so a value equal to a
 * breakpoint falls in the lower bin. `'left'`: bins are `[b[k-1], b[k])`, so it falls in the upper one.
 */
export type IntervalClosure = 'right' | 'left';

/**
 * The `k / bins` quantile of `n` values (in the ascending order `order`) by R's default rule
 * (type 7, Hyndman & Fan 1996, the same as numpy's `linear` and DuckDB's `quantile_cont`):
 * position `h = (n - 1) k / bins`, linear between the neighbours. The position is kept as an exact fraction so a quantile that lands on a
 * value is that value, not a rounding error away from it; the interpolation is written as R
 * writes it, `(1 - h) x[lo] + h x[hi]`. @internal
 */
export function quantileOfOrder(order: OrderStatistics, n: number, k: number, bins: number): number {
  const numerator = (n - 1) * k;
  const lo = Math.floor(numerator / bins);
  const remainder = numerator - lo * bins;
  const low = order.at(lo);
  if (remainder === 0) return low;
  const high = order.at(lo + 1);
  if (high === low) return low;
  const h = remainder / bins;
  return (1 - h) * low + h * high;
}

/**
 * The `bins - 1` inner type-7 quantiles of the values, each plus `offset`. `scratch` (as long as
 * `values`) may be overwritten, so several measures can share one buffer.
 * @internal
 */
export function quantileBreakpoints(
  values: Float64Array,
  bins: number,
  offset: number,
  scratch: Float64Array = new Float64Array(values.length),
): number[] {
  const order = orderStatistics(values, 1, scratch);
  const cuts: number[] = [];
  for (let k = 1; k < bins; k++) cuts.push(quantileOfOrder(order, values.length, k, bins) + offset);
  return cuts;
}

/** Bins `1..cuts.length + 1` of each value (ascending with the value). @internal */
export function binsByBreakpoints(
  values: Float64Array,
  cuts: readonly number[],
  closed: IntervalClosure,
): Uint8Array {
  const bins = new Uint8Array(values.length);
  const count = cuts.length;
  const cutArray = Float64Array.from(cuts);
  if (closed === 'right') {
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      let bin = 1;
      for (let k = 0; k < count && value > cutArray[k]!; k++) bin++;
      bins[i] = bin;
    }
  } else {
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      let bin = 1;
      for (let k = 0; k < count && value >= cutArray[k]!; k++) bin++;
      bins[i] = bin;
    }
  }
  return bins;
}
