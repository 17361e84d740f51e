import { DataError } from '../data/errors.js';
import type { CallRecord } from '../data/records.js';
import { callFlags, incomingFlag, outgoingSeconds, voiceFlag } from './call-fields.js';

/**
 * A batch of CDRs decoded into columns, grouped by subscriber (groups in first-seen order) and
 * each group in time order (ties keep input order). The engine then walks memory in order instead
 * of hopping between call objects. Internal.
 */
export interface CallColumns {
  readonly subscriberIds: readonly string[];
  /** Row after the last one of each group. */
  readonly groupEnds: Int32Array;
  readonly start: Float64Array;
  /** See call-fields.ts. */
  readonly flags: Uint8Array;
  /** Outgoing voice seconds. */
  readonly seconds: Float64Array;
  readonly charge: Float64Array;
  /** Called number of outgoing voice calls. */
  readonly number: (string | undefined)[];
  readonly cell: (string | undefined)[];
}

/** Checks the two fields the engine cannot do without, and decodes the calls into columns. */
export function callColumnsBySubscriber(calls: readonly CallRecord[], context: string): CallColumns {
  const count = calls.length;
  const groupOf = new Map<string, number>();
  const subscriberIds: string[] = [];
  const group = new Int32Array(count);
  const sizes: number[] = [];
  // Per group, the latest start so far and whether an earlier call came after a later one.
  const latest: number[] = [];
  const shuffled: boolean[] = [];
  let lastId: string | undefined;
  let lastIndex = -1;
  for (let i = 0; i < count; i++) {
    const call = calls[i]!;
    const id = call.subscriberId;
    if (typeof id !== 'string') {
      throw new DataError(context, [
        { row: i + 1, column: 'subscriberId', reason: `must be a string, received ${String(id)}` },
      ]);
    }
    const start = call.start;
    if (typeof start !== 'number' || !Number.isFinite(start)) {
      throw new DataError(context, [
        { row: i + 1, column: 'start', reason: `must be epoch milliseconds, received ${String(start)}` },
      ]);
    }
    // Files and generator chunks usually hold a subscriber's calls together: skip the lookup then.
    let index = id === lastId ? lastIndex : groupOf.get(id);
    if (index === undefined) {
      index = sizes.length;
      groupOf.set(id, index);
      subscriberIds.push(id);
      sizes.push(0);
      latest.push(start);
      shuffled.push(false);
    }
    lastId = id;
    lastIndex = index;
    group[i] = index;
    sizes[index]!++;
    if (start < latest[index]!) shuffled[index] = true;
    else latest[index] = start;
  }
  const groupEnds = new Int32Array(sizes.length);
  let end = 0;
  for (let g = 0; g < sizes.length; g++) {
    end += sizes[g]!;
    groupEnds[g] = end;
  }
  // Counting sort: each call goes straight to the next free row of its group, in input order.
  const next = new Int32Array(sizes.length);
  for (let g = 1; g < sizes.length; g++) next[g] = groupEnds[g - 1]!;
  const start = new Float64Array(count);
  const flags = new Uint8Array(count);
  const seconds = new Float64Array(count);
  const charge = new Float64Array(count);
  const number: (string | undefined)[] = new Array(count);
  const cell: (string | undefined)[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const call = calls[i]!;
    const row = next[group[i]!]!++;
    const callFlagsValue = callFlags(call);
    start[row] = call.start;
    flags[row] = callFlagsValue;
    seconds[row] = outgoingSeconds(call, callFlagsValue);
    charge[row] = call.charge ?? 0;
    number[row] = (callFlagsValue & (voiceFlag | incomingFlag)) === voiceFlag ? call.calledNumber : undefined;
    cell[row] = call.cellId;
  }
  const columns = { subscriberIds, groupEnds, start, flags, seconds, charge, number, cell };
  let from = 0;
  for (let g = 0; g < sizes.length; g++) {
    if (shuffled[g]) sortRowsByTime(columns, from, groupEnds[g]!);
    from = groupEnds[g]!;
  }
  return columns;
}

/** Sorts rows `from` to `to` by start; rows of equal start keep their (input) order. */
function sortRowsByTime(columns: CallColumns, from: number, to: number): void {
  const { start } = columns;
  const rows = Array.from({ length: to - from }, (_, k) => from + k).sort(
    (a, b) => start[a]! - start[b]! || a - b,
  );
  const permute = <T>(column: { [row: number]: T }): void => {
    const moved = rows.map((row) => column[row]!);
    for (let k = 0; k < moved.length; k++) column[from + k] = moved[k]!;
  };
  permute(columns.start);
  permute(columns.flags);
  permute(columns.seconds);
  permute(columns.charge);
  permute(columns.number);
  permute(columns.cell);
}
