import {
  addBlock,
  blockSize,
  type CustomerTable,
  customerTable,
  eventBlock,
  stride,
} from './customer-table.js';

/**
 * Per-customer totals in one pass over the events, a block at a time (see customer-table.ts):
 * customer ids are interned into dense indexes and every aggregate lives in a typed array.
 * Validation happens in the same pass. Internal to the rfm capability.
 *
 * @packageDocumentation
 */

/** Milliseconds in a UTC day. @internal */
export const dayMilliseconds = 86_400_000;

/** The calendar unit in which distinct active periods are counted. @internal */
export type ActivityUnit = 'day' | 'month';

/** Totals per customer, indexed by the customer's dense index (order of first appearance). @internal */
export interface CustomerTotals {
  /** Customer ids by index. */
  readonly ids: readonly string[];
  /** Epoch milliseconds of each customer's latest event. */
  readonly lastEvent: Float64Array;
  /** Number of events per customer. */
  readonly events: Float64Array;
  /** Sum of the amounts per customer. */
  readonly revenue: Float64Array;
  /** Distinct active days or months per customer, when an activity unit was asked for. */
  readonly activePeriods: Float64Array | undefined;
  /** The latest event over all customers (epoch milliseconds). */
  readonly latestEvent: number;
}

// A (customer, period) pair is packed into one double: customer * 2^22 + period + 2^21. Periods
// are UTC day or month numbers (|day| < 2^21 covers ±5,700 years) and customers < 2^31, so the
// key stays below 2^53 and a plain numeric sort of the keys groups the pairs by customer.
const periodSpan = 2 ** 22;
const periodOffset = 2 ** 21;

/**
 * Months since 1970-01 of a UTC day number, by Howard Hinnant's civil-from-days algorithm (no
 * `Date` allocation per event).
 */
function monthOfDay(day: number): number {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return (year - 1970) * 12 + (month - 1);
}

/** The UTC calendar month number (months since 1970-01) of an instant. @internal */
export function monthNumber(time: number): number {
  return monthOfDay(Math.floor(time / dayMilliseconds));
}

/** Where an event record keeps its customer id, time and amount. @internal */
export interface EventFields {
  readonly id: string;
  readonly time: string;
  readonly amount: string;
  /** Whether a missing amount counts as 0 (call records' optional `charge`). */
  readonly amountOptional: boolean;
}

/** Events as columns: customer ids, epoch-millisecond times and amounts, one entry per event. @internal */
export interface EventColumns {
  readonly ids: ArrayLike<unknown>;
  readonly times: ArrayLike<unknown>;
  readonly amounts: ArrayLike<unknown>;
}

function isValidTime(time: unknown): time is number {
  return typeof time === 'number' && time - time === 0;
}

function isValidAmount(amount: unknown): amount is number {
  return typeof amount === 'number' && amount >= 0 && amount - amount === 0;
}

// Sized for one customer per 16 events (a year of monthly bills or top-ups), so a typical input
// neither rehashes nor regrows.
function expectedCustomers(events: number): number {
  return Math.ceil(events / 16);
}

/** Distinct active periods per customer, from each event's customer index and time. */
function countActivePeriods(
  customerOfEvent: Int32Array,
  times: (position: number) => number,
  activity: ActivityUnit,
  customers: number,
): Float64Array {
  const n = customerOfEvent.length;
  const pairs = new Float64Array(Math.max(1, n));
  for (let i = 0; i < n; i++) {
    const day = Math.floor(times(i) / dayMilliseconds);
    pairs[i] = customerOfEvent[i]! * periodSpan + (activity === 'day' ? day : monthOfDay(day)) + periodOffset;
  }
  const activePeriods = new Float64Array(customers);
  const sorted = pairs.subarray(0, n).sort();
  let previous = Number.NaN;
  for (let i = 0; i < sorted.length; i++) {
    const key = sorted[i]!;
    if (key !== previous) {
      activePeriods[Math.floor(key / periodSpan)]! += 1;
      previous = key;
    }
  }
  return activePeriods;
}

function finished(table: CustomerTable, activePeriods: Float64Array | undefined): CustomerTotals {
  const customers = table.ids.length;
  const lastEvent = new Float64Array(customers);
  const events = new Float64Array(customers);
  const revenue = new Float64Array(customers);
  const { totals, slots } = table;
  for (let customer = 0; customer < customers; customer++) {
    const at = slots[customer]! * stride;
    lastEvent[customer] = totals[at]!;
    events[customer] = totals[at + 1]!;
    revenue[customer] = totals[at + 2]!;
  }
  return { ids: table.ids, lastEvent, events, revenue, activePeriods, latestEvent: table.latestEvent };
}

/**
 * Per-customer totals of normalised event records in one pass, or `undefined` at the first record
 * that is not normalised (not an object, no non-empty id string, a time that is not finite epoch
 * milliseconds, a negative or non-finite amount), so the caller can hand the input to the data
 * layer's validator instead. `activity` asks for distinct active days or months per customer.
 * @internal
 */
export function totalsOfEvents(
  records: readonly unknown[],
  fields: EventFields,
  activity: ActivityUnit | undefined,
): CustomerTotals | undefined {
  const { id: idKey, time: timeKey, amount: amountKey, amountOptional } = fields;
  const n = records.length;
  const table = customerTable(expectedCustomers(n), activity !== undefined);
  const customerOfEvent = activity === undefined ? undefined : new Int32Array(n);
  const block = eventBlock();
  const { ids, times, amounts } = block;
  for (let start = 0; start < n; start += blockSize) {
    const count = Math.min(blockSize, n - start);
    for (let k = 0; k < count; k++) {
      const record = records[start + k] as Record<string, unknown> | null | undefined;
      if (typeof record !== 'object' || record === null) return undefined;
      const id = record[idKey];
      const time = record[timeKey];
      let amount = record[amountKey];
      if (amount === undefined && amountOptional) amount = 0;
      if (!isValidTime(time) || !isValidAmount(amount)) return undefined;
      ids[k] = id;
      times[k] = time;
      amounts[k] = amount;
    }
    if (!addBlock(table, block, count, customerOfEvent, start)) return undefined;
  }
  const activePeriods =
    customerOfEvent === undefined
      ? undefined
      : countActivePeriods(
          customerOfEvent,
          (position) => (records[position] as Record<string, number>)[timeKey]!,
          activity!,
          table.ids.length,
        );
  return finished(table, activePeriods);
}

/**
 * Per-customer totals of events held as columns, or `undefined` at the first value that is not
 * normalised (the checks of {@link totalsOfEvents}) or when the columns differ in length. @internal
 */
export function totalsOfColumns(
  columns: EventColumns,
  activity: ActivityUnit | undefined,
): CustomerTotals | undefined {
  const { ids: idColumn, times: timeColumn, amounts: amountColumn } = columns;
  const n = idColumn.length;
  if (timeColumn.length !== n || amountColumn.length !== n) return undefined;
  const table = customerTable(expectedCustomers(n), activity !== undefined);
  const customerOfEvent = activity === undefined ? undefined : new Int32Array(n);
  const block = eventBlock();
  const { ids, times, amounts } = block;
  for (let start = 0; start < n; start += blockSize) {
    const count = Math.min(blockSize, n - start);
    for (let k = 0; k < count; k++) {
      const id = idColumn[start + k];
      const time = timeColumn[start + k];
      const amount = amountColumn[start + k];
      if (!isValidTime(time) || !isValidAmount(amount)) return undefined;
      ids[k] = id;
      times[k] = time;
      amounts[k] = amount;
    }
    if (!addBlock(table, block, count, customerOfEvent, start)) return undefined;
  }
  const activePeriods =
    customerOfEvent === undefined
      ? undefined
      : countActivePeriods(
          customerOfEvent,
          (position) => timeColumn[position] as number,
          activity!,
          table.ids.length,
        );
  return finished(table, activePeriods);
}
