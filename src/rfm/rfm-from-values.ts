import { DataError } from '../data/errors.js';
import type { CustomerTotals } from './customer-totals.js';
import { type RfmOptions, resolveRfmOptions } from './rfm-options.js';
import type { RfmResult } from './rfm-result.js';
import { scoreCustomers } from './score-customers.js';

/**
 * One customer's totals, as an SQL engine computes them from CDRs or payments
 * (`engineRfmValues` of `telco-analytics/engine` returns these rows).
 *
 * @example
 * const values: CustomerValues = { customerId: 'c1', lastEvent: Date.UTC(2024, 4, 30), events: 12, revenue: 240, activeDays: 9, activeMonths: 3 };
 */
export interface CustomerValues {
  readonly customerId: string;
  /** Epoch milliseconds of the latest event. */
  readonly lastEvent: number;
  /** Number of events. */
  readonly events: number;
  /** Sum of the amounts. */
  readonly revenue: number;
  /** Distinct UTC days with an event (needed for `frequency: 'activeDays'`). */
  readonly activeDays?: number | undefined;
  /** Distinct UTC calendar months with an event (needed for `frequency: 'activeMonths'`). */
  readonly activeMonths?: number | undefined;
}

/**
 * {@link rfm} scoring of per-customer totals computed elsewhere (an SQL engine, a data warehouse):
 * the same scores, segments, breakpoints and summary as {@link rfmFromCalls} gives on the events
 * the totals come from. Frequency counts active days by default, as in `rfmFromCalls`.
 *
 * @throws {@link DataError} naming the row and column of a missing or repeated id, a non-finite time, a
 * negative revenue or a count that is not a positive integer (or a missing active-period count the
 * frequency needs). {@link OptionError} for an invalid option. `EMPTY_INPUT` for no rows.
 * @example
 * const result = rfmFromValues([
 *   { customerId: 'a', lastEvent: Date.UTC(2024, 4, 1, 17), events: 2, revenue: 0.6, activeDays: 1 },
 *   { customerId: 'b', lastEvent: Date.UTC(2024, 4, 3, 8), events: 1, revenue: 2, activeDays: 1 },
 * ], { bins: 2 });
 * result.customers.map((row) => [row.customerId, row.frequency, row.monetary]); // => [['a', 1, 0.6], ['b', 1, 2]]
 */
export function rfmFromValues(values: readonly CustomerValues[], options: RfmOptions = {}): RfmResult {
  const context = 'rfmFromValues';
  const resolved = resolveRfmOptions(options, 'activeDays', context);
  const period =
    resolved.frequency === 'activeDays'
      ? 'activeDays'
      : resolved.frequency === 'activeMonths'
        ? 'activeMonths'
        : undefined;
  const n = values.length;
  const ids: string[] = new Array(n);
  const lastEvent = new Float64Array(n);
  const events = new Float64Array(n);
  const revenue = new Float64Array(n);
  const activePeriods = period === undefined ? undefined : new Float64Array(n);
  let latestEvent = Number.NEGATIVE_INFINITY;
  const firstRow = new Map<string, number>();
  const fail = (row: number, column: string, reason: string): never => {
    throw new DataError(context, [{ row: row + 1, column, reason }]);
  };
  for (let i = 0; i < n; i++) {
    const row = values[i]!;
    if (typeof row?.customerId !== 'string' || row.customerId === '')
      fail(i, 'customerId', 'missing customer id');
    if (!Number.isFinite(row.lastEvent))
      fail(i, 'lastEvent', `not epoch milliseconds: ${String(row.lastEvent)}`);
    if (!(Number.isInteger(row.events) && row.events >= 1))
      fail(i, 'events', `not a positive count: ${String(row.events)}`);
    if (!(Number.isFinite(row.revenue) && row.revenue >= 0))
      fail(i, 'revenue', `not a non-negative amount: ${String(row.revenue)}`);
    const earlier = firstRow.get(row.customerId);
    if (earlier !== undefined)
      fail(
        i,
        'customerId',
        `'${row.customerId}' already has totals in row ${earlier + 1}: one row per customer`,
      );
    firstRow.set(row.customerId, i);
    ids[i] = row.customerId;
    lastEvent[i] = row.lastEvent;
    events[i] = row.events;
    revenue[i] = row.revenue;
    if (row.lastEvent > latestEvent) latestEvent = row.lastEvent;
    if (period !== undefined) {
      const count = row[period];
      if (!(Number.isInteger(count) && count! >= 1))
        fail(i, period, `needed by frequency '${resolved.frequency}', received ${String(count)}`);
      activePeriods![i] = count!;
    }
  }
  const totals: CustomerTotals = { ids, lastEvent, events, revenue, activePeriods, latestEvent };
  return scoreCustomers(totals, resolved, context);
}
