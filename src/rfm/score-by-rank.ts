import { orderStatistics } from './order-statistics.js';

/**
 * Scoring by rank into equal-size groups, as SQL's `NTILE(bins) OVER (ORDER BY value, id)`.
 * Internal.
 *
 * Only the order at the group boundaries matters: a customer whose value differs from the values
 * at every boundary is placed by comparing its value with those, and the customer ids are compared
 * only among the customers sharing a value that a boundary cuts through (with five groups, at most
 * four values). So no ordering of all the ids is ever needed.
 *
 * @packageDocumentation
 */

/** First position (0-based) of each group after the first, as NTILE sizes them. */
function groupStarts(n: number, bins: number): number[] {
  const small = Math.floor(n / bins);
  const largeGroups = n % bins;
  const starts: number[] = [];
  for (let group = 1; group < bins; group++) starts.push(group * small + Math.min(group, largeGroups));
  return starts;
}

/** The NTILE group (1-based) of a 0-based position. */
function groupOfPosition(position: number, n: number, bins: number): number {
  const small = Math.floor(n / bins);
  const large = small + 1;
  const largeGroups = n % bins;
  const inLargeGroups = largeGroups * large;
  return (
    1 +
    (position < inLargeGroups
      ? Math.floor(position / large)
      : largeGroups + Math.floor((position - inLargeGroups) / small))
  );
}

function compareIds(ids: readonly string[]): (a: number, b: number) => number {
  // UTF-16 code unit order (JavaScript's `<`), which for ASCII ids is also SQL's binary collation.
  return (a, b) => {
    const x = ids[a]!;
    const y = ids[b]!;
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

/**
 * `NTILE(bins)` groups 1..bins of customers ordered from worst to best value (ascending, or
 * descending when `descending`), ties broken by ascending id. Like SQL, the first `n mod bins`
 * groups hold one customer more than the others. `scratch` (as long as `values`) is overwritten.
 * @internal
 */
export function ntileGroups(
  values: Float64Array,
  bins: number,
  descending: boolean,
  ids: readonly string[],
  scratch: Float64Array = new Float64Array(values.length),
): Uint8Array {
  const n = values.length;
  const groups = new Uint8Array(n);
  // Keys ascending in NTILE order: the value, or its negation for a descending order.
  const sign = descending ? -1 : 1;
  const order = orderStatistics(values, sign, scratch);
  // A boundary at position p sits between keys sorted[p - 1] and sorted[p]; when they are equal the
  // boundary cuts through that value's customers, which are then ordered by id.
  const lastBefore: number[] = [];
  const cutLevels: number[] = [];
  for (const start of groupStarts(n, bins)) {
    if (start <= 0 || start >= n) continue;
    const before = order.at(start - 1);
    lastBefore.push(before);
    if (before === order.at(start) && cutLevels[cutLevels.length - 1] !== before) cutLevels.push(before);
  }
  const boundaries = lastBefore.length;
  const inCutLevel: number[][] = cutLevels.map(() => []);
  for (let customer = 0; customer < n; customer++) {
    const key = sign * values[customer]!;
    const level = cutLevels.indexOf(key);
    if (level >= 0) {
      inCutLevel[level]!.push(customer);
      continue;
    }
    let group = 1;
    for (let b = 0; b < boundaries && key > lastBefore[b]!; b++) group++;
    groups[customer] = group;
  }
  const byId = compareIds(ids);
  cutLevels.forEach((level, index) => {
    // The level's first position is the number of keys below it.
    let position = order.countBelow(level);
    const members = inCutLevel[index]!.sort(byId);
    for (const customer of members) groups[customer] = groupOfPosition(position++, n, bins);
  });
  return groups;
}
