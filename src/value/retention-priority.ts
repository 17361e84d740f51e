import { DataError, type DataIssue, OptionError, TelcoAnalyticsError } from '../data/errors.js';

/**
 * A churn probability as the churn models give it (`churnRiskList` rows carry `subscriberId` and `probability`).
 *
 * @example
 * const risk: ChurnProbabilityRow = { subscriberId: 'c7', probability: 0.42 };
 */
export interface ChurnProbabilityRow {
  readonly customerId?: string | undefined;
  readonly subscriberId?: string | undefined;
  readonly probability: number;
}

/**
 * A customer's value, as {@link retentionPriority} takes it (the rows of `customerLifetimeValue` fit).
 *
 * @example
 * const row: CustomerValueInput = { customerId: 'c7', clv: 812.5 };
 */
export interface CustomerValueInput {
  readonly customerId: string;
  readonly clv: number;
}

/**
 * One line of the retention list.
 *
 * @example
 * const line: RetentionPriorityRow = { rank: 1, customerId: 'c7', clv: 812.5, churnProbability: 0.42, valueAtRisk: 341.25, cumulativeValueAtRisk: 341.25, cumulativeShare: 0.08 };
 */
export interface RetentionPriorityRow {
  readonly rank: number;
  readonly customerId: string;
  readonly clv: number;
  readonly churnProbability: number;
  /** clv * churnProbability: the value expected to be lost if nothing is done. */
  readonly valueAtRisk: number;
  /** Value at risk of this customer and every one ranked above. */
  readonly cumulativeValueAtRisk: number;
  /** `cumulativeValueAtRisk` over the total value at risk (0 when that is 0). */
  readonly cumulativeShare: number;
}

/**
 * Options of {@link retentionPriority}.
 *
 * @example
 * const options: RetentionPriorityOptions = { top: 100, missing: 'skip' };
 */
export interface RetentionPriorityOptions {
  /**
   * Keep only the first `top` rows.
   * @defaultValue every customer
   */
  readonly top?: number | undefined;
  /**
   * A customer without a churn probability: `'error'` throws a DataError naming the row, `'skip'` leaves the customer out.
   * @defaultValue 'error'
   */
  readonly missing?: 'error' | 'skip' | undefined;
}

function probabilityMap(
  churnProbability: ReadonlyMap<string, number> | readonly ChurnProbabilityRow[],
  context: string,
): ReadonlyMap<string, number> {
  if (churnProbability instanceof Map) return churnProbability;
  if (!Array.isArray(churnProbability)) {
    throw new OptionError(
      context,
      'churnProbability',
      'must be a Map from customer id to probability or an array of { customerId | subscriberId, probability }',
    );
  }
  const map = new Map<string, number>();
  churnProbability.forEach((row: ChurnProbabilityRow, index) => {
    const id = row?.customerId ?? row?.subscriberId;
    if (typeof id !== 'string' || id === '') {
      throw new DataError(context, [
        { row: index + 1, column: 'customerId', reason: 'expected a customerId or subscriberId' },
      ]);
    }
    map.set(id, row.probability);
  });
  return map;
}

/**
 * Ranks customers by expected value at risk — CLV times churn probability — so retention money
 * goes first to the customers whose loss would cost most: a valuable customer with a moderate
 * risk can outrank a near-certain churner worth little. The churn probability can come from a
 * churn model (`churnRiskList` rows) or from the value model itself (1 - P(alive)).
 * Ties rank by CLV, then by id.
 *
 * @throws {@link DataError} naming the row and column for a non-finite or negative CLV, a
 * probability outside [0, 1], or (under `missing: 'error'`) a customer without a probability;
 * {@link OptionError} for a bad option; `EMPTY_INPUT` for no customers.
 *
 * @example
 * retentionPriority(
 *   [{ customerId: 'a', clv: 1000 }, { customerId: 'b', clv: 50 }],
 *   [{ subscriberId: 'a', probability: 0.2 }, { subscriberId: 'b', probability: 0.9 }],
 * );
 * // => [{ rank: 1, customerId: 'a', clv: 1000, churnProbability: 0.2, valueAtRisk: 200, ... }, { rank: 2, customerId: 'b', ..., valueAtRisk: 45, ... }]
 */
export function retentionPriority(
  clv: readonly CustomerValueInput[],
  churnProbability: ReadonlyMap<string, number> | readonly ChurnProbabilityRow[],
  options: RetentionPriorityOptions = {},
): RetentionPriorityRow[] {
  const context = 'retentionPriority';
  const missing = options.missing ?? 'error';
  if (missing !== 'error' && missing !== 'skip') {
    throw new OptionError(
      context,
      'missing',
      `must be 'error' or 'skip', received ${JSON.stringify(missing)}`,
    );
  }
  const top = options.top;
  if (top !== undefined && (!Number.isInteger(top) || top < 1)) {
    throw new OptionError(context, 'top', `must be a positive integer, received ${top}`);
  }
  if (!Array.isArray(clv) || clv.length === 0)
    throw new TelcoAnalyticsError('EMPTY_INPUT', `${context}: no customers`);
  const probabilities = probabilityMap(churnProbability, context);
  const issues: DataIssue[] = [];
  const entries: { customerId: string; clv: number; churnProbability: number; valueAtRisk: number }[] = [];
  clv.forEach((row, index) => {
    const value = row?.clv;
    const id = row?.customerId;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      issues.push({
        row: index + 1,
        column: 'clv',
        reason: `expected a finite non-negative number, received ${JSON.stringify(value)}`,
      });
      return;
    }
    const probability = probabilities.get(String(id));
    if (probability === undefined) {
      if (missing === 'error')
        issues.push({
          row: index + 1,
          column: 'churnProbability',
          reason: `no churn probability for customer ${JSON.stringify(id)}`,
        });
      return;
    }
    if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) {
      issues.push({
        row: index + 1,
        column: 'churnProbability',
        reason: `must be in [0, 1], received ${String(probability)} for customer ${JSON.stringify(id)}`,
      });
      return;
    }
    entries.push({
      customerId: String(id),
      clv: value,
      churnProbability: probability,
      valueAtRisk: value * probability,
    });
  });
  if (issues.length > 0) throw new DataError(context, issues.slice(0, 100));
  entries.sort(
    (left, right) =>
      right.valueAtRisk - left.valueAtRisk ||
      right.clv - left.clv ||
      (left.customerId < right.customerId ? -1 : left.customerId > right.customerId ? 1 : 0),
  );
  let total = 0;
  for (const entry of entries) total += entry.valueAtRisk;
  const result: RetentionPriorityRow[] = [];
  let cumulative = 0;
  const limit = top === undefined ? entries.length : Math.min(top, entries.length);
  for (let i = 0; i < limit; i++) {
    const entry = entries[i]!;
    cumulative += entry.valueAtRisk;
    result.push({
      rank: i + 1,
      ...entry,
      cumulativeValueAtRisk: cumulative,
      cumulativeShare: total === 0 ? 0 : cumulative / total,
    });
  }
  return result;
}
