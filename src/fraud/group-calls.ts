import { DataError } from '../data/errors.js';
import type { CallRecord } from '../data/records.js';

/**
 * Call positions grouped by subscriber (groups in first-seen order), each group in time order
 * (ties keep input order). Checks the two fields the engine cannot do without.
 */
export function groupCallsBySubscriber(calls: readonly CallRecord[], context: string): Int32Array[] {
  const groupOf = new Map<string, number>();
  const group = new Int32Array(calls.length);
  const sizes: number[] = [];
  let lastId: string | undefined;
  let lastIndex = -1;
  for (let i = 0; i < calls.length; i++) {
    const call = calls[i]!;
    if (typeof call.subscriberId !== 'string') {
      throw new DataError(context, [
        {
          row: i + 1,
          column: 'subscriberId',
          reason: `must be a string, received ${String(call.subscriberId)}`,
        },
      ]);
    }
    if (typeof call.start !== 'number' || !Number.isFinite(call.start)) {
      throw new DataError(context, [
        { row: i + 1, column: 'start', reason: `must be epoch milliseconds, received ${String(call.start)}` },
      ]);
    }
    // Files and generator chunks usually hold a subscriber's calls together: skip the lookup then.
    let index = call.subscriberId === lastId ? lastIndex : groupOf.get(call.subscriberId);
    if (index === undefined) {
      index = sizes.length;
      groupOf.set(call.subscriberId, index);
      sizes.push(0);
    }
    lastId = call.subscriberId;
    lastIndex = index;
    group[i] = index;
    sizes[index]!++;
  }
  const groups = sizes.map((size) => new Int32Array(size));
  const filled = new Int32Array(sizes.length);
  for (let i = 0; i < calls.length; i++) {
    const index = group[i]!;
    groups[index]![filled[index]!++] = i;
  }
  for (const members of groups) {
    let sorted = true;
    for (let j = 1; j < members.length; j++) {
      if (calls[members[j]!]!.start < calls[members[j - 1]!]!.start) {
        sorted = false;
        break;
      }
    }
    if (!sorted) members.sort((a, b) => calls[a]!.start - calls[b]!.start || a - b);
  }
  return groups;
}
