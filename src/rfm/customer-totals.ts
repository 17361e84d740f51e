/**
 * Per-customer running totals built in one pass over the events: customer ids are interned once
 * into dense indexes and every aggregate lives in a typed array, so ten million events cost a hash
 * probe and a few array writes each. Internal to the rfm capability.
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

function grown(array: Float64Array, capacity: number): Float64Array {
  const next = new Float64Array(capacity);
  next.set(array);
  return next;
}

/** Where an event record keeps its customer id, time and amount. @internal */
export interface EventFields {
  readonly id: string;
  readonly time: string;
  readonly amount: string;
  /** Whether a missing amount counts as 0 (call records' optional `charge`). */
  readonly amountOptional: boolean;
}

// Per customer, three doubles side by side (latest event, events, revenue): one cache line per
// event instead of three, which is what a pass over millions of randomly ordered events pays for.
const stride = 3;

function hashOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let k = 0; k < id.length; k++) hash = Math.imul(hash ^ id.charCodeAt(k), 0x01000193);
  // A final avalanche so ids differing only in their last characters spread over the table.
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  return (hash ^ (hash >>> 12)) >>> 0;
}

/**
 * Per-customer totals of normalised event records in one pass, or `undefined` at the first record
 * that is not normalised (no id string, a time that is not finite epoch milliseconds, a negative
 * or non-finite amount), so the caller can hand the input to the data layer's validator instead.
 * `activity` asks for distinct active days or months per customer.
 *
 * Customer ids are interned by open addressing with linear probing over FNV-1a hashes. The table
 * is one array of (id, index) pairs, at most half full, so a probe touches one cache line, and
 * comparing the id found with `===` is a pointer comparison when the caller reuses string objects.
 * @internal
 */
export function totalsOfEvents(
  records: readonly unknown[],
  fields: EventFields,
  activity: ActivityUnit | undefined,
): CustomerTotals | undefined {
  const idKey = fields.id;
  const timeKey = fields.time;
  const amountKey = fields.amount;
  const amountOptional = fields.amountOptional;
  const n = records.length;
  const ids: string[] = [];
  // Sized for one customer per 16 events (a year of monthly bills or top-ups), so a typical input
  // neither rehashes nor regrows; every growth allocates, and on a heap holding millions of event
  // objects each large allocation brings the next full garbage collection closer.
  let capacity = Math.max(16, Math.min(n, Math.ceil(n / 16)));
  let stats: Float64Array = new Float64Array(capacity * stride);
  let tableSize = 2 ** Math.ceil(Math.log2(capacity * 2));
  let table: (string | number | undefined)[] = new Array(tableSize * 2).fill(undefined);
  let mask = tableSize - 1;
  const pairs = activity === undefined ? undefined : new Float64Array(Math.max(1, n));
  let latestEvent = Number.NEGATIVE_INFINITY;

  for (let i = 0; i < n; i++) {
    const record = records[i] as Record<string, unknown> | null | undefined;
    if (typeof record !== 'object' || record === null) return undefined;
    const id = record[idKey];
    const time = record[timeKey];
    let amount = record[amountKey];
    if (amount === undefined && amountOptional) amount = 0;
    if (
      typeof id !== 'string' ||
      id.length === 0 ||
      typeof time !== 'number' ||
      time - time !== 0 ||
      typeof amount !== 'number' ||
      !(amount >= 0 && amount - amount === 0)
    ) {
      return undefined;
    }
    let slot = hashOf(id) & mask;
    let customer = -1;
    for (;;) {
      const held = table[slot * 2];
      if (held === undefined) break;
      if (held === id) {
        customer = table[slot * 2 + 1] as number;
        break;
      }
      slot = (slot + 1) & mask;
    }
    let offset: number;
    if (customer < 0) {
      customer = ids.length;
      ids.push(id);
      table[slot * 2] = id;
      table[slot * 2 + 1] = customer;
      if (customer + 1 === capacity) {
        capacity *= 2;
        stats = grown(stats, capacity * stride);
      }
      if (ids.length * 2 > tableSize) {
        tableSize *= 2;
        mask = tableSize - 1;
        table = new Array(tableSize * 2).fill(undefined);
        for (let known = 0; known < ids.length; known++) {
          let free = hashOf(ids[known]!) & mask;
          while (table[free * 2] !== undefined) free = (free + 1) & mask;
          table[free * 2] = ids[known];
          table[free * 2 + 1] = known;
        }
      }
      offset = customer * stride;
      stats[offset] = time;
    } else {
      offset = customer * stride;
      if (time > stats[offset]!) stats[offset] = time;
    }
    stats[offset + 1]! += 1;
    stats[offset + 2]! += amount;
    if (time > latestEvent) latestEvent = time;
    if (pairs !== undefined) {
      const day = Math.floor(time / dayMilliseconds);
      pairs[i] = customer * periodSpan + (activity === 'day' ? day : monthOfDay(day)) + periodOffset;
    }
  }

  const customers = ids.length;
  const lastEvent = new Float64Array(customers);
  const events = new Float64Array(customers);
  const revenue = new Float64Array(customers);
  for (let customer = 0, offset = 0; customer < customers; customer++, offset += stride) {
    lastEvent[customer] = stats[offset]!;
    events[customer] = stats[offset + 1]!;
    revenue[customer] = stats[offset + 2]!;
  }
  let activePeriods: Float64Array | undefined;
  if (pairs !== undefined) {
    activePeriods = new Float64Array(customers);
    const sorted = pairs.subarray(0, n).sort();
    let previous = Number.NaN;
    for (let i = 0; i < sorted.length; i++) {
      const key = sorted[i]!;
      if (key !== previous) {
        activePeriods[Math.floor(key / periodSpan)]! += 1;
        previous = key;
      }
    }
  }
  return { ids, lastEvent, events, revenue, activePeriods, latestEvent };
}
