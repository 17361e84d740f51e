import { DataError, OptionError, TelcoAnalyticsError } from '../data/errors.js';

/**
 * A customer's value for the 80/20 view: any row with `customerId` and `monetary`, such as an
 * {@link RfmRow}.
 *
 * @example
 * const row: ParetoRow = { customerId: 'c1', monetary: 120 };
 */
export interface ParetoRow {
  readonly customerId: string;
  readonly monetary: number;
}

/** Options of {@link pareto}. */
export interface ParetoOptions {
  /**
   * The top share of customers whose share of the total is reported, in (0, 1].
   * @defaultValue 0.2
   */
  readonly top?: number | undefined;
  /**
   * Number of evenly spaced Lorenz curve points (population shares 0, 1/(k-1), ..., 1), at least 2.
   * @defaultValue 101 (every percentile)
   */
  readonly lorenzPoints?: number | undefined;
}

/**
 * One point of the Lorenz curve: the poorest `population` share of customers hold `share` of the
 * total.
 *
 * @example
 * const point: LorenzPoint = { population: 0.8, share: 0.35 };
 */
export interface LorenzPoint {
  readonly population: number;
  readonly share: number;
}

/**
 * The 80/20 view of a set of values.
 *
 * @example
 * const result: ParetoResult = { count: 5, total: 100, top: 0.2, topShare: 0.6, gini: 0.52, lorenz: [] };
 */
export interface ParetoResult {
  readonly count: number;
  readonly total: number;
  /** The top share asked for. */
  readonly top: number;
  /**
   * Share of the total held by the `top` share of customers (the largest values); when `top x count`
   * is not whole, read off the Lorenz curve between its vertices.
   */
  readonly topShare: number;
  /** Gini coefficient: 0 when all values are equal, (n - 1) / n when one customer holds everything. */
  readonly gini: number;
  readonly lorenz: LorenzPoint[];
}

/** Options of {@link paretoCustomers}: give `top` or `share`, not both. */
export interface ParetoCustomersOptions {
  /**
   * Return the top share of customers by value (rounded up to whole customers), in (0, 1].
   * @defaultValue 0.2 when `share` is not given
   */
  readonly top?: number | undefined;
  /**
   * Return the fewest customers (largest values first) who together hold at least this share of
   * the total, in (0, 1].
   * @defaultValue none
   */
  readonly share?: number | undefined;
}

/**
 * A customer among the top of {@link paretoCustomers}.
 *
 * @example
 * const row: ParetoCustomer = { customerId: 'c7', value: 410, rank: 1, cumulativeShare: 0.21 };
 */
export interface ParetoCustomer {
  readonly customerId: string;
  readonly value: number;
  /** 1 for the largest value. */
  readonly rank: number;
  /** Share of the total held by this customer and all ranked above. */
  readonly cumulativeShare: number;
}

function isRows(input: ArrayLike<number> | readonly ParetoRow[]): input is readonly ParetoRow[] {
  return Array.isArray(input) && input.length > 0 && typeof input[0] === 'object';
}

function readValues(input: ArrayLike<number> | readonly ParetoRow[], context: string): Float64Array {
  if (typeof input !== 'object' || input === null || typeof input.length !== 'number') {
    throw new OptionError(
      context,
      'values',
      'must be an array of numbers or of rows with customerId and monetary',
    );
  }
  const n = input.length;
  if (n === 0) throw new TelcoAnalyticsError('EMPTY_INPUT', `${context}: no values`);
  const values = new Float64Array(n);
  const rows = isRows(input);
  const column = rows ? 'monetary' : 'value';
  for (let i = 0; i < n; i++) {
    const value = rows ? (input[i] as ParetoRow | undefined)?.monetary : (input as ArrayLike<unknown>)[i];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new DataError(context, [
        {
          row: i + 1,
          column,
          reason: `must be a finite non-negative number, received ${JSON.stringify(value)}`,
        },
      ]);
    }
    values[i] = value;
  }
  return values;
}

function checkShare(value: unknown, option: string, context: string): number {
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) {
    throw new OptionError(context, option, `must be a number in (0, 1], received ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * The 80/20 view: the share of the total held by the top share of customers, the Lorenz curve and
 * the Gini coefficient. Takes plain values or rows with `monetary` (e.g. `rfm(...).customers`).
 *
 * @throws {@link DataError} for a negative or non-finite value (naming its row), `EMPTY_INPUT` for
 * no values or values that sum to 0, {@link OptionError} for invalid options.
 *
 * @example
 * const result = pareto([1, 1, 1, 1, 6], { top: 0.2, lorenzPoints: 6 });
 * result.topShare; // => 0.6
 * result.gini; // => 0.4
 * result.lorenz.map((point) => point.share); // => [0, 0.1, 0.2, 0.3, 0.4, 1]
 */
export function pareto(
  values: ArrayLike<number> | readonly ParetoRow[],
  options: ParetoOptions = {},
): ParetoResult {
  const context = 'pareto';
  const top = checkShare(options.top ?? 0.2, 'top', context);
  const points = options.lorenzPoints ?? 101;
  if (!Number.isInteger(points) || points < 2) {
    throw new OptionError(
      context,
      'lorenzPoints',
      `must be an integer of at least 2, received ${JSON.stringify(points)}`,
    );
  }
  const sorted = readValues(values, context).sort();
  const n = sorted.length;
  const cumulative = new Float64Array(n + 1);
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    cumulative[i + 1] = cumulative[i]! + sorted[i]!;
    weighted += (i + 1) * sorted[i]!;
  }
  const total = cumulative[n]!;
  if (total === 0)
    throw new TelcoAnalyticsError(
      'EMPTY_INPUT',
      `${context}: the values sum to 0, there is no total to share`,
    );
  // The Lorenz curve joins (i / n, cumulative[i] / total); between vertices it is linear.
  const lorenzAt = (population: number): number => {
    const position = population * n;
    const whole = Math.min(n, Math.floor(position + 1e-9));
    const fraction = whole >= n ? 0 : Math.max(0, position - whole);
    // Each term divided separately: stays exact for tiny (even subnormal) totals.
    return cumulative[whole]! / total + fraction * (whole < n ? sorted[whole]! / total : 0);
  };
  const lorenz: LorenzPoint[] = [];
  for (let k = 0; k < points; k++) {
    const population = k / (points - 1);
    lorenz.push({ population, share: lorenzAt(population) });
  }
  return {
    count: n,
    total,
    top,
    topShare: 1 - lorenzAt(1 - top),
    gini: (2 * weighted) / (n * total) - (n + 1) / n,
    lorenz,
  };
}

/**
 * Who the top customers are: the top share of customers by `monetary` (`top`, default 0.2), or the
 * fewest customers holding a given share of the total (`share`, e.g. 0.8 for "who brings 80%"),
 * largest first, ties broken by customer id.
 *
 * @throws {@link DataError} for a negative or non-finite `monetary` (naming its row), `EMPTY_INPUT`
 * for no rows or a zero total, {@link OptionError} for invalid options or both `top` and `share`.
 *
 * @example
 * paretoCustomers(
 *   [{ customerId: 'a', monetary: 10 }, { customerId: 'b', monetary: 70 }, { customerId: 'c', monetary: 20 }],
 *   { share: 0.8 },
 * );
 * // => [{ customerId: 'b', value: 70, rank: 1, cumulativeShare: 0.7 }, { customerId: 'c', value: 20, rank: 2, cumulativeShare: 0.9 }]
 */
export function paretoCustomers(
  rows: readonly ParetoRow[],
  options: ParetoCustomersOptions = {},
): ParetoCustomer[] {
  const context = 'paretoCustomers';
  if (options.top !== undefined && options.share !== undefined) {
    throw new OptionError(context, 'share', "cannot be combined with 'top'; give one of them");
  }
  const share = options.share === undefined ? undefined : checkShare(options.share, 'share', context);
  const top = share === undefined ? checkShare(options.top ?? 0.2, 'top', context) : undefined;
  if (!Array.isArray(rows))
    throw new OptionError(context, 'rows', 'must be an array of { customerId, monetary } rows');
  const values = readValues(rows, context);
  rows.forEach((row, index) => {
    if (typeof row.customerId !== 'string') {
      throw new DataError(context, [{ row: index + 1, column: 'customerId', reason: 'missing customer id' }]);
    }
  });
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  if (total === 0)
    throw new TelcoAnalyticsError(
      'EMPTY_INPUT',
      `${context}: the values sum to 0, there is no total to share`,
    );
  const order = Array.from({ length: values.length }, (_, index) => index).sort((a, b) => {
    const difference = values[b]! - values[a]!;
    if (difference !== 0) return difference;
    const idA = rows[a]!.customerId;
    const idB = rows[b]!.customerId;
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  });
  // A relative tolerance keeps "exactly 80%" from missing by a rounding error.
  const wanted =
    top === undefined ? Number.POSITIVE_INFINITY : Math.max(1, Math.ceil(top * values.length - 1e-9));
  const result: ParetoCustomer[] = [];
  let running = 0;
  for (let rank = 0; rank < order.length && rank < wanted; rank++) {
    const index = order[rank]!;
    running += values[index]!;
    result.push({
      customerId: rows[index]!.customerId,
      value: values[index]!,
      rank: rank + 1,
      cumulativeShare: running / total,
    });
    if (share !== undefined && running / total >= share - 1e-12) break;
  }
  return result;
}
