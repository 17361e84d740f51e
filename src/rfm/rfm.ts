import type { Payment } from '../data/records.js';
import type { TableInput } from '../data/table-input.js';
import { validatePayments } from '../data/validate-records.js';
import type { ActivityUnit } from './calendar-period.js';
import { type CustomerTotals, type EventFields, totalsOfColumns, totalsOfEvents } from './customer-totals.js';
import { type FrequencyMeasure, type RfmOptions, resolveRfmOptions } from './rfm-options.js';
import type { RfmResult } from './rfm-result.js';
import { scoreCustomers } from './score-customers.js';

/**
 * Payments as {@link rfm} takes them: normalised {@link Payment} records, or any table the data
 * layer's `validatePayments` reads (row objects with date strings and numeric text, a columnar
 * table, a data-frame-like object). Columns `customerId`, `date` and `amount` already holding
 * normalised values (id strings, epoch milliseconds and non-negative amounts, in arrays or typed
 * arrays) are read as they are, without a row object per payment: the fastest form for large inputs.
 *
 * @example
 * const input: PaymentInput = [{ customerId: 'c1', date: '2024-05-01', amount: '9.99' }];
 * const columns: PaymentInput = {
 *   customerId: ['c1', 'c2'], date: Float64Array.of(1714521600000, 1714608000000), amount: Float64Array.of(9.99, 5),
 * };
 */
export type PaymentInput = readonly Payment[] | TableInput;

/** The activity unit a frequency measure counts, if any. @internal */
export function activityOf(frequency: FrequencyMeasure): ActivityUnit | undefined {
  if (frequency === 'activeDays') return 'day';
  return frequency === 'activeMonths' ? 'month' : undefined;
}

const paymentFields: EventFields = {
  id: 'customerId',
  time: 'date',
  amount: 'amount',
  amountOptional: false,
};

function isColumn(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/** Per-customer totals of payments, validating through the data layer when needed. @internal */
export function paymentTotals(
  input: PaymentInput,
  activity: ActivityUnit | undefined,
  threads: number | undefined,
): CustomerTotals {
  // Normalised records, or columns `customerId`, `date`, `amount` of normalised values, go straight
  // into the totals; the first value that is not (a date string, an amount as text, a negative
  // amount...) sends the whole input through `validatePayments`, which normalises it or throws a
  // DataError naming the row and column.
  if (Array.isArray(input)) {
    const totals = totalsOfEvents(input, paymentFields, activity, threads);
    if (totals !== undefined) return totals;
  } else if (typeof input === 'object' && input !== null) {
    const table = input as Readonly<Record<string, unknown>>;
    const { customerId, date, amount } = table;
    // Every column must be an array of one length, or the validator is the one to report the table.
    if (
      isColumn(customerId) &&
      isColumn(date) &&
      isColumn(amount) &&
      Object.values(table).every((column) => isColumn(column) && column.length === customerId.length)
    ) {
      const totals = totalsOfColumns({ ids: customerId, times: date, amounts: amount }, activity, threads);
      if (totals !== undefined) return totals;
    }
  }
  const { rows } = validatePayments(input as TableInput, {});
  return totalsOfEvents(rows, paymentFields, activity, threads)!;
}

/**
 * Recency, frequency and monetary scores of every customer, their segments and the segment
 * summary, from payments (bill payments, top-ups, purchases).
 *
 * Scores run 1..`bins` with 5 (the top) best: the most recent, most frequent, highest-spending
 * customers. By default breakpoints sit at the quintiles of the customers' values and a value equal
 * to a breakpoint takes the lower score, so equal values always share a score (see
 * {@link RfmScoring} for `'rank'`, `'fixed'` and `'rfmPackage'`). The breakpoints used and any
 * score left empty by ties are returned; pass `result.breakpoints` back as `breakpoints` to score a
 * later month on the same scale.
 *
 * @throws {@link DataError} (code `INVALID_DATA`) for a payment without `customerId`, `date` or
 * `amount`, an unreadable date or a negative amount, naming the row and column.
 * {@link OptionError} for an invalid option (also for `asOf` before the latest payment).
 * {@link TelcoAnalyticsError} with code `EMPTY_INPUT` for no payments.
 *
 * @example
 * const day = 86_400_000;
 * const result = rfm(
 *   [
 *     { customerId: 'a', date: 0, amount: 10 },
 *     { customerId: 'a', date: 9 * day, amount: 30 },
 *     { customerId: 'b', date: 2 * day, amount: 5 },
 *   ],
 *   { bins: 2 },
 * );
 * result.customers[0]; // => { customerId: 'a', recencyDays: 1, frequency: 2, monetary: 40, r: 2, f: 2, m: 2, cell: '222', score: 6, segment: 'Champions' }
 * result.breakpoints; // => { recency: [4.5], frequency: [1.5], monetary: [22.5], closed: 'right' }
 */
export function rfm(payments: PaymentInput, options: RfmOptions = {}): RfmResult {
  const resolved = resolveRfmOptions(options, 'events', 'rfm');
  return scoreCustomers(
    paymentTotals(payments, activityOf(resolved.frequency), resolved.threads),
    resolved,
    'rfm',
  );
}
