import { TelcoAnalyticsError } from '../data/errors.js';

/**
 * Scoring by rank into equal-size groups, as SQL's `NTILE(bins) OVER (ORDER BY value, id)`.
 * Internal.
 *
 * @packageDocumentation
 */

/** Customers in ascending id order, and each customer's position in it. @internal */
export interface IdOrder {
  /** Position of each customer (by index) in ascending id order. */
  readonly rankOfCustomer: Int32Array;
  /** Customer index at each position of ascending id order. */
  readonly customerAtRank: Int32Array;
}

/**
 * Orders customer ids by UTF-16 code units (JavaScript's `<`), which for ASCII ids is also SQL's
 * binary collation. @internal
 */
export function orderIds(ids: readonly string[]): IdOrder {
  const sorted = ids.slice().sort();
  const positionOf = new Map<string, number>();
  for (let i = 0; i < sorted.length; i++) positionOf.set(sorted[i]!, i);
  const rankOfCustomer = new Int32Array(ids.length);
  const customerAtRank = new Int32Array(ids.length);
  for (let customer = 0; customer < ids.length; customer++) {
    const rank = positionOf.get(ids[customer]!)!;
    rankOfCustomer[customer] = rank;
    customerAtRank[rank] = customer;
  }
  return { rankOfCustomer, customerAtRank };
}

/**
 * `NTILE(bins)` groups 1..bins of customers ordered from worst to best value (ascending, or
 * descending when `descending`), ties broken by ascending id. Like SQL, the first `n mod bins`
 * groups hold one customer more than the others. @internal
 */
export function ntileGroups(
  values: Float64Array,
  bins: number,
  descending: boolean,
  order: IdOrder,
): Uint8Array {
  const n = values.length;
  // Each customer becomes one double: (dense rank of its value) * n + (rank of its id). A numeric
  // sort of those keys is the (value, id) order, without a comparator callback per comparison.
  if (n * n > Number.MAX_SAFE_INTEGER) {
    throw new TelcoAnalyticsError(
      'LIMIT_EXCEEDED',
      `rfm: rank scoring supports up to 94 million customers, received ${n}`,
    );
  }
  const distinct = values.slice().sort();
  let unique = 0;
  for (let i = 0; i < n; i++)
    if (i === 0 || distinct[i] !== distinct[unique - 1]) distinct[unique++] = distinct[i]!;
  const levels = distinct.subarray(0, unique);
  const keys = new Float64Array(n);
  for (let customer = 0; customer < n; customer++) {
    const value = values[customer]!;
    let lo = 0;
    let hi = unique - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (levels[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    const level = descending ? unique - 1 - lo : lo;
    keys[customer] = level * n + order.rankOfCustomer[customer]!;
  }
  keys.sort();
  const groups = new Uint8Array(n);
  const small = Math.floor(n / bins);
  const large = small + 1;
  const largeGroups = n % bins;
  const inLargeGroups = largeGroups * large;
  for (let position = 0; position < n; position++) {
    const group =
      position < inLargeGroups
        ? Math.floor(position / large)
        : largeGroups + Math.floor((position - inLargeGroups) / small);
    const customer = order.customerAtRank[keys[position]! % n]!;
    groups[customer] = group + 1;
  }
  return groups;
}
