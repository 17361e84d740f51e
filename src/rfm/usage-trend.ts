import { DataError, OptionError, TelcoAnalyticsError } from '../data/errors.js';
import type { CallRecord, Payment, TimestampInput } from '../data/records.js';
import { timestampOption } from '../data/timestamp.js';
import { dayMilliseconds, monthNumber } from './calendar-period.js';

/**
 * The calendar unit of a usage trend: UTC days, ISO weeks (Monday to Sunday, UTC) or UTC
 * calendar months.
 *
 * @example
 * const period: TrendPeriod = 'week';
 */
export type TrendPeriod = 'day' | 'week' | 'month';

/**
 * The direction of a customer's trend.
 *
 * @example
 * const direction: TrendDirection = 'falling';
 */
export type TrendDirection = 'rising' | 'falling' | 'stable';

/** Options of {@link usageTrend}. */
export interface UsageTrendOptions {
  /**
   * The calendar unit of the series.
   * @defaultValue 'month'
   */
  readonly period?: TrendPeriod | undefined;
  /**
   * Number of whole periods in the series, at least 2.
   * @defaultValue 6
   */
  readonly periods?: number | undefined;
  /**
   * What each period counts: the number of events, or their amount (`amount` of payments,
   * `charge` of call records, 0 where absent).
   * @defaultValue 'count'
   */
  readonly measure?: 'count' | 'amount' | undefined;
  /**
   * The series covers the `periods` whole periods that end at or before `asOf`; a period still
   * running at `asOf` is left out so a half month does not read as a fall.
   * @defaultValue the day after the latest event
   */
  readonly asOf?: TimestampInput | undefined;
  /**
   * A trend is `rising` when the least-squares slope per period exceeds `threshold` times the
   * customer's mean per period, `falling` when it is below `-threshold` times it, otherwise `stable`.
   * @defaultValue 0.1 (a change of 10% of the mean per period)
   */
  readonly threshold?: number | undefined;
}

/**
 * One customer's trend.
 *
 * @example
 * const row: UsageTrendRow = {
 *   customerId: 'c1', series: [2, 3, 4, 5, 6, 7], mean: 4.5, slope: 1, relativeSlope: 0.222, direction: 'rising',
 * };
 */
export interface UsageTrendRow {
  readonly customerId: string;
  /** The measure per period, oldest first (0 for a period without events). */
  readonly series: number[];
  /** Mean of the series. */
  readonly mean: number;
  /** Least-squares slope of the series against the period number (measure units per period). */
  readonly slope: number;
  /** `slope / mean` (0 when the mean is 0). */
  readonly relativeSlope: number;
  readonly direction: TrendDirection;
}

/**
 * The result of {@link usageTrend}.
 *
 * @example
 * const { periodStarts, customers } = usageTrend(payments, { periods: 3 });
 */
export interface UsageTrendResult {
  /** Start of each period, epoch milliseconds UTC, oldest first. */
  readonly periodStarts: number[];
  /** End of the last period (exclusive), epoch milliseconds UTC. */
  readonly end: number;
  readonly period: TrendPeriod;
  readonly measure: 'count' | 'amount';
  readonly threshold: number;
  /** Customers with at least one event in the window, in order of their first such event in the input. */
  readonly customers: UsageTrendRow[];
}

// ISO weeks start on Monday; 1970-01-05 (day 4) was a Monday.
const mondayOffset = 4;

function periodNumber(time: number, period: TrendPeriod): number {
  const day = Math.floor(time / dayMilliseconds);
  if (period === 'day') return day;
  if (period === 'week') return Math.floor((day - mondayOffset) / 7);
  return monthNumber(time);
}

function periodStart(number: number, period: TrendPeriod): number {
  if (period === 'day') return number * dayMilliseconds;
  if (period === 'week') return (number * 7 + mondayOffset) * dayMilliseconds;
  return Date.UTC(1970 + Math.floor(number / 12), ((number % 12) + 12) % 12, 1);
}

interface TrendEvent {
  readonly id: string;
  readonly time: number;
  readonly amount: number;
}

function readEvent(record: unknown, row: number, context: string): TrendEvent {
  const fail = (column: string, reason: string): never => {
    throw new DataError(context, [{ row, column, reason }]);
  };
  if (typeof record !== 'object' || record === null)
    return fail('(row)', 'expected a payment or call record');
  const value = record as Partial<Payment> & Partial<CallRecord>;
  const isPayment = 'customerId' in value;
  const idColumn = isPayment ? 'customerId' : 'subscriberId';
  const timeColumn = isPayment ? 'date' : 'start';
  const amountColumn = isPayment ? 'amount' : 'charge';
  const id = isPayment ? value.customerId : value.subscriberId;
  const time = isPayment ? value.date : value.start;
  const amount = isPayment ? value.amount : (value.charge ?? 0);
  if (typeof id !== 'string' || id === '')
    fail(idColumn, 'missing customer id (a customerId or subscriberId string)');
  if (typeof time !== 'number' || !Number.isFinite(time)) {
    fail(
      timeColumn,
      `must be epoch milliseconds (validate the records first), received ${JSON.stringify(time)}`,
    );
  }
  if (typeof amount !== 'number' || !(amount >= 0 && amount < Number.POSITIVE_INFINITY)) {
    fail(amountColumn, `must be a finite non-negative number, received ${JSON.stringify(amount)}`);
  }
  return { id: id as string, time: time as number, amount: amount as number };
}

/**
 * Per customer, the least-squares trend of usage or spend over the last whole periods: who is
 * rising (to upsell) and who is fading (to retain). Takes validated payments or call records
 * (`rfm` and `rfmFromCalls` inputs once normalised), or a mix.
 *
 * The slope is fitted to the per-period series against the period number 0..periods-1 and read
 * relative to the customer's mean, so a customer going from 2 to 4 top-ups and one going from 20 to
 * 40 get the same `relativeSlope`. `direction` is `rising` above `threshold`, `falling` below
 * `-threshold`, `stable` between.
 *
 * @throws {@link DataError} for a record without id, with a time that is not epoch milliseconds or
 * a negative amount (naming the row and column), `EMPTY_INPUT` for no events,
 * {@link OptionError} for invalid options.
 *
 * @example
 * const month = (m: number) => Date.UTC(2024, m, 15);
 * const events = [0, 1, 1, 2, 2, 2].map((m) => ({ customerId: 'a', date: month(m), amount: 5 }));
 * const trend = usageTrend(events, { periods: 3, asOf: '2024-04-01' });
 * trend.customers[0]; // => { customerId: 'a', series: [1, 2, 3], mean: 2, slope: 1, relativeSlope: 0.5, direction: 'rising' }
 */
export function usageTrend(
  events: readonly (Payment | CallRecord)[],
  options: UsageTrendOptions = {},
): UsageTrendResult {
  const context = 'usageTrend';
  const period = options.period ?? 'month';
  if (period !== 'day' && period !== 'week' && period !== 'month') {
    throw new OptionError(
      context,
      'period',
      `must be 'day', 'week' or 'month', received ${JSON.stringify(period)}`,
    );
  }
  const periods = options.periods ?? 6;
  if (!Number.isInteger(periods) || periods < 2 || periods > 10_000) {
    throw new OptionError(
      context,
      'periods',
      `must be an integer in 2..10000, received ${JSON.stringify(periods)}`,
    );
  }
  const measure = options.measure ?? 'count';
  if (measure !== 'count' && measure !== 'amount') {
    throw new OptionError(
      context,
      'measure',
      `must be 'count' or 'amount', received ${JSON.stringify(measure)}`,
    );
  }
  const threshold = options.threshold ?? 0.1;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold < Number.POSITIVE_INFINITY)) {
    throw new OptionError(
      context,
      'threshold',
      `must be a finite non-negative number, received ${JSON.stringify(threshold)}`,
    );
  }
  if (!Array.isArray(events))
    throw new OptionError(context, 'events', 'must be an array of payments or call records');
  if (events.length === 0) throw new TelcoAnalyticsError('EMPTY_INPUT', `${context}: no events`);

  const parsed = events.map((record, index) => readEvent(record, index + 1, context));
  let asOf: number;
  if (options.asOf === undefined) {
    let latest = Number.NEGATIVE_INFINITY;
    for (const event of parsed) if (event.time > latest) latest = event.time;
    asOf = (Math.floor(latest / dayMilliseconds) + 1) * dayMilliseconds;
  } else {
    asOf = timestampOption(options.asOf, context, 'asOf');
  }
  // The window ends (exclusive) where the period holding asOf starts: that period is not whole yet.
  const endNumber = periodNumber(asOf, period);
  const firstNumber = endNumber - periods;
  const periodStarts: number[] = [];
  for (let k = 0; k < periods; k++) periodStarts.push(periodStart(firstNumber + k, period));

  const seriesOf = new Map<string, Float64Array>();
  for (const event of parsed) {
    const slot = periodNumber(event.time, period) - firstNumber;
    if (slot < 0 || slot >= periods) continue;
    let series = seriesOf.get(event.id);
    if (series === undefined) {
      series = new Float64Array(periods);
      seriesOf.set(event.id, series);
    }
    series[slot]! += measure === 'count' ? 1 : event.amount;
  }
  const centre = (periods - 1) / 2;
  const spread = (periods * (periods * periods - 1)) / 12;
  const customers: UsageTrendRow[] = [];
  for (const [customerId, series] of seriesOf) {
    let sum = 0;
    let covariance = 0;
    for (let t = 0; t < periods; t++) {
      sum += series[t]!;
      covariance += (t - centre) * series[t]!;
    }
    const mean = sum / periods;
    const slope = covariance / spread;
    const relativeSlope = mean === 0 ? 0 : slope / mean;
    const direction: TrendDirection =
      relativeSlope > threshold ? 'rising' : relativeSlope < -threshold ? 'falling' : 'stable';
    customers.push({ customerId, series: Array.from(series), mean, slope, relativeSlope, direction });
  }
  return { periodStarts, end: periodStart(endNumber, period), period, measure, threshold, customers };
}
