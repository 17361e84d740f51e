import { availableParallelism } from 'node:os';
import { type ActivityUnit, monthOfDay, periodOf } from './calendar-period.js';
import { customersInInputOrder } from './customer-order.js';
import { type BlockRefusal, blockSize, type EventBlock, eventBlock, keyBlock } from './event-blocks.js';
import { partitionedCustomers, partitionTotals, scatterEvents } from './partitioned-totals.js';
import { startTotalsPipeline } from './totals-worker.js';

/**
 * Per-customer totals in one pass over the events, a block at a time: values are validated as
 * they are read, ids are packed (or hashed) into keys, and customers are grouped by key in hash
 * partitions (partitioned-totals.ts), on this thread or, for large inputs, with a worker thread
 * adding up while this one reads (totals-worker.ts). Internal to the rfm capability.
 *
 * @packageDocumentation
 */

/**
 * From this many events on, `threads` defaults to 2. Below, one thread is as fast: measured with
 * bench/rfm-sized data, 2M and 4M events took the same time either way, 10M 25% less with the worker.
 */
const parallelEventThreshold = 2 ** 22;

/** The threads to use for `events` events: the option when given, else by size and cores. @internal */
export function totalsThreads(threads: number | undefined, events: number): number {
  if (threads !== undefined) return threads;
  return events >= parallelEventThreshold ? Math.min(2, availableParallelism()) : 1;
}

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

/** Fills `block` with the `count` events from input position `start`, or says `false` at a value that is not normalised. */
type BlockReader = (start: number, count: number, block: EventBlock) => boolean;

/** Totals with a worker thread adding up; `'not packable'` or `'unavailable'` send the caller to one thread. */
function pipelinedTotals(
  n: number,
  activity: ActivityUnit | undefined,
  readBlock: BlockReader,
  idAt: (position: number) => string,
): CustomerTotals | undefined | 'not packable' | 'unavailable' {
  const pipeline = startTotalsPipeline(n, activity, monthOfDay);
  if (pipeline === undefined) return 'unavailable';
  try {
    for (let start = 0; start < n; start += blockSize) {
      const count = Math.min(blockSize, n - start);
      const block = pipeline.nextBlock();
      if (block === undefined) return 'unavailable';
      const refusal = readBlock(start, count, block) ? keyBlock(block, count, true) : 'invalid id';
      if (refusal !== undefined) {
        pipeline.abort();
        return refusal === 'invalid id' ? undefined : refusal;
      }
      pipeline.blockFilled(count, start);
    }
    const totals = pipeline.finish();
    return totals === undefined ? 'unavailable' : customersInInputOrder(totals, n, idAt);
  } catch (error) {
    pipeline.abort();
    throw error;
  }
}

function totalsOfBlocks(
  n: number,
  activity: ActivityUnit | undefined,
  readBlock: BlockReader,
  idAt: (position: number) => string,
  threads: number,
): CustomerTotals | undefined {
  let packedForms = [true, false];
  if (threads > 1 && n > 0) {
    const totals = pipelinedTotals(n, activity, readBlock, idAt);
    if (totals === 'not packable') packedForms = [false];
    else if (totals !== 'unavailable') return totals;
  }
  // Packed ids first; the first id without a packed form starts the pass over with hashed ids.
  for (const packed of packedForms) {
    const customers = partitionedCustomers(n, packed, periodOf(activity));
    const block = eventBlock();
    let refusal: BlockRefusal | undefined;
    for (let start = 0; start < n && refusal === undefined; start += blockSize) {
      const count = Math.min(blockSize, n - start);
      refusal = readBlock(start, count, block) ? keyBlock(block, count, packed) : 'invalid id';
      if (refusal === undefined) {
        const { high, low, hashes, times, amounts, ids } = block;
        scatterEvents(
          customers,
          high,
          low,
          hashes,
          times,
          amounts,
          packed ? undefined : ids,
          0,
          count,
          start,
        );
      }
    }
    if (refusal === undefined) return customersInInputOrder(partitionTotals(customers), n, idAt);
    if (refusal === 'invalid id') return undefined;
  }
  throw new Error('unreachable: hashed ids are never refused as not packable');
}

/**
 * Per-customer totals of normalised event records in one pass, or `undefined` at the first record
 * that is not normalised (not an object, no non-empty id string, a time that is not finite epoch
 * milliseconds, a negative or non-finite amount), so the caller can hand the input to the data
 * layer's validator instead. `activity` asks for distinct active days or months per customer;
 * `threads` above 1 adds up on a worker thread while this one reads (`undefined`: by size).
 * @internal
 */
export function totalsOfEvents(
  records: readonly unknown[],
  fields: EventFields,
  activity: ActivityUnit | undefined,
  threads: number | undefined,
): CustomerTotals | undefined {
  const { id: idKey, time: timeKey, amount: amountKey, amountOptional } = fields;
  return totalsOfBlocks(
    records.length,
    activity,
    (start, count, { ids, times, amounts }) => {
      for (let k = 0; k < count; k++) {
        const record = records[start + k] as Record<string, unknown> | null | undefined;
        if (typeof record !== 'object' || record === null) return false;
        const time = record[timeKey];
        let amount = record[amountKey];
        if (amount === undefined && amountOptional) amount = 0;
        if (!isValidTime(time) || !isValidAmount(amount)) return false;
        ids[k] = record[idKey];
        times[k] = time;
        amounts[k] = amount;
      }
      return true;
    },
    (position) => (records[position] as Record<string, string>)[idKey]!,
    totalsThreads(threads, records.length),
  );
}

/**
 * Per-customer totals of events held as columns, or `undefined` at the first value that is not
 * normalised (the checks of {@link totalsOfEvents}) or when the columns differ in length. @internal
 */
export function totalsOfColumns(
  columns: EventColumns,
  activity: ActivityUnit | undefined,
  threads: number | undefined,
): CustomerTotals | undefined {
  const { ids: idColumn, times: timeColumn, amounts: amountColumn } = columns;
  const n = idColumn.length;
  if (timeColumn.length !== n || amountColumn.length !== n) return undefined;
  return totalsOfBlocks(
    n,
    activity,
    (start, count, { ids, times, amounts }) => {
      for (let k = 0; k < count; k++) {
        const time = timeColumn[start + k];
        const amount = amountColumn[start + k];
        if (!isValidTime(time) || !isValidAmount(amount)) return false;
        ids[k] = idColumn[start + k];
        times[k] = time;
        amounts[k] = amount;
      }
      return true;
    },
    (position) => idColumn[position] as string,
    totalsThreads(threads, n),
  );
}
