import { OptionError, TelcoAnalyticsError } from '../data/errors.js';
import type { Payment, TimestampInput } from '../data/records.js';
import type { TableInput } from '../data/table-input.js';
import { timestampOption } from '../data/timestamp.js';
import { validatePayments } from '../data/validate-records.js';
import { type TimeUnit, unitMilliseconds, type ValueOptionsBase, withDefault } from './value-options.js';

/**
 * One customer in the buy-till-you-die summary: the standard input of BG/NBD and Gamma-Gamma.
 *
 * @example
 * const row: CustomerSummary = { customerId: 'c1', frequency: 2, recency: 30.43, T: 38.86, monetary: 22.35 };
 */
export interface CustomerSummary {
  readonly customerId: string;
  /** Repeat purchases: purchase occasions after the first (an integer >= 0). */
  readonly frequency: number;
  /** Age at the last purchase: time from the first to the last purchase, in the summary's unit (0 without repeat purchases). */
  readonly recency: number;
  /** Age at `asOf`: time from the first purchase to the end of observation, in the summary's unit. */
  readonly T: number;
  /** Mean value of the repeat purchase occasions (the first purchase left out); 0 when `frequency` is 0. */
  readonly monetary: number;
}

/**
 * The output of {@link summarizeTransactions}: one row per customer plus what the rows mean.
 *
 * @example
 * const summary: TransactionSummary = {
 *   kind: 'transactionSummary', unit: 'week', merge: 'day', asOf: Date.UTC(1997, 8, 30),
 *   customers: [{ customerId: 'c1', frequency: 2, recency: 30.43, T: 38.86, monetary: 22.35 }],
 *   excludedAfterAsOf: 0,
 * };
 */
export interface TransactionSummary {
  readonly kind: 'transactionSummary';
  /** The unit of `recency` and `T`. */
  readonly unit: TimeUnit;
  /** How purchases were merged into occasions. */
  readonly merge: PurchaseMerge;
  /** End of observation, epoch milliseconds UTC (the start of its UTC day under `merge: 'day'`). */
  readonly asOf: number;
  /** Customers in order of their first payment in the input. */
  readonly customers: CustomerSummary[];
  /** Payments dated after `asOf`, left out. */
  readonly excludedAfterAsOf: number;
}

/**
 * How payments become purchase occasions. `'day'`: all payments of a customer on one UTC day are
 * one purchase whose value is their sum, and ages are counted in whole days (as in the CDNOW data
 * of Fader, Hardie & Lee, 2005). `'none'`: every payment is a purchase, ages are exact.
 */
export type PurchaseMerge = 'day' | 'none';

/**
 * Options of {@link summarizeTransactions}.
 *
 * @example
 * const options: SummarizeTransactionsOptions = { asOf: '1997-09-30', unit: 'week' };
 */
export interface SummarizeTransactionsOptions extends ValueOptionsBase {
  /**
   * End of observation: payments after it are left out, `T` is measured up to it. Under
   * `merge: 'day'` payments *on* the `asOf` day are kept.
   * @defaultValue the latest payment
   */
  readonly asOf?: TimestampInput | undefined;
  /**
   * How payments become purchase occasions; see {@link PurchaseMerge}.
   * @defaultValue 'day'
   */
  readonly merge?: PurchaseMerge | undefined;
}

const millisecondsPerDay = 86_400_000;

function isNormalised(payments: readonly unknown[]): payments is readonly Payment[] {
  for (const payment of payments) {
    if (typeof payment !== 'object' || payment === null) return false;
    const { customerId, date, amount } = payment as Partial<Payment>;
    if (typeof customerId !== 'string' || customerId === '') return false;
    if (typeof date !== 'number' || !Number.isFinite(date)) return false;
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) return false;
  }
  return true;
}

interface CustomerAccumulator {
  /** Purchase occasion time (day number or epoch ms) to its summed value. */
  readonly occasions: Map<number, number>;
}

/**
 * The buy-till-you-die summary of payments: per customer the number of repeat purchases
 * (`frequency`), the age at the last purchase (`recency`), the age at `asOf` (`T`) and the mean
 * value of the repeat purchases (`monetary`) — the input of {@link fitBgNbd} and
 * {@link fitGammaGamma}.
 *
 * Exactly: payments dated after `asOf` are dropped. Under the default `merge: 'day'` the payments
 * of a customer on one UTC day form one purchase occasion whose value is their sum (lifetimes'
 * `summary_data_from_transaction_data` merges per period of its `freq`, which for `'W'` means per
 * calendar week and whole-week ages; here ages are whole days expressed in the `unit`, so weekly
 * summaries are days / 7 as in the published CDNOW data). With `n` occasions on days
 * `d1 < ... < dn`: `frequency = n - 1`, `recency = (dn - d1) / unit`, `T = (asOf day - d1) / unit`,
 * `monetary` = mean value of occasions 2..n (the first purchase is left out because it is not a
 * repeat purchase and often differs systematically), 0 when `n = 1`.
 *
 * @throws {@link DataError} (code `INVALID_DATA`) for a payment without `customerId`, `date` or
 * `amount`, an unreadable date or a negative amount, naming the row and column.
 * {@link OptionError} for an invalid option. {@link TelcoAnalyticsError} `EMPTY_INPUT` when no
 * payment falls on or before `asOf`.
 *
 * @example
 * const day = 86_400_000;
 * const summary = summarizeTransactions(
 *   [
 *     { customerId: 'a', date: 0, amount: 10 },
 *     { customerId: 'a', date: 7 * day, amount: 4 },
 *     { customerId: 'a', date: 7 * day + 3_600_000, amount: 6 },
 *     { customerId: 'a', date: 14 * day, amount: 20 },
 *   ],
 *   { asOf: 28 * day, unit: 'week' },
 * );
 * summary.customers[0]; // => { customerId: 'a', frequency: 2, recency: 2, T: 4, monetary: 15 }
 */
export function summarizeTransactions(
  payments: readonly Payment[] | TableInput,
  options: SummarizeTransactionsOptions = {},
): TransactionSummary {
  const context = 'summarizeTransactions';
  const unit = withDefault(options.unit, 'week');
  const unitLength = unitMilliseconds(unit, context);
  const merge = withDefault(options.merge, 'day');
  if (merge !== 'day' && merge !== 'none') {
    throw new OptionError(context, 'merge', `must be 'day' or 'none', received ${JSON.stringify(merge)}`);
  }
  const rows: readonly Payment[] =
    Array.isArray(payments) && isNormalised(payments)
      ? payments
      : validatePayments(payments as TableInput, {}).rows;
  let latest = Number.NEGATIVE_INFINITY;
  for (const payment of rows) latest = Math.max(latest, payment.date);
  const asOfInput = options.asOf === undefined ? latest : timestampOption(options.asOf, context, 'asOf');
  const toOccasion =
    merge === 'day' ? (time: number) => Math.floor(time / millisecondsPerDay) : (time: number) => time;
  const asOfOccasion = toOccasion(asOfInput);
  const customers = new Map<string, CustomerAccumulator>();
  let excluded = 0;
  for (const payment of rows) {
    const occasion = toOccasion(payment.date);
    if (occasion > asOfOccasion) {
      excluded++;
      continue;
    }
    let customer = customers.get(payment.customerId);
    if (customer === undefined) {
      customer = { occasions: new Map() };
      customers.set(payment.customerId, customer);
    }
    customer.occasions.set(occasion, (customer.occasions.get(occasion) ?? 0) + payment.amount);
  }
  if (customers.size === 0) {
    throw new TelcoAnalyticsError(
      'EMPTY_INPUT',
      `${context}: no payments on or before asOf${rows.length > 0 ? ` (all ${rows.length} are later)` : ''}`,
    );
  }
  // Occasion times are days under 'day' merging, milliseconds otherwise.
  const occasionLength = merge === 'day' ? unitLength / millisecondsPerDay : unitLength;
  const result: CustomerSummary[] = [];
  for (const [customerId, { occasions }] of customers) {
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const time of occasions.keys()) {
      if (time < first) first = time;
      if (time > last) last = time;
    }
    const frequency = occasions.size - 1;
    let repeatValue = 0;
    for (const [time, value] of occasions) if (time !== first) repeatValue += value;
    result.push({
      customerId,
      frequency,
      recency: (last - first) / occasionLength,
      T: (asOfOccasion - first) / occasionLength,
      monetary: frequency === 0 ? 0 : repeatValue / frequency,
    });
  }
  return {
    kind: 'transactionSummary',
    unit,
    merge,
    asOf: merge === 'day' ? asOfOccasion * millisecondsPerDay : asOfOccasion,
    customers: result,
    excludedAfterAsOf: excluded,
  };
}
