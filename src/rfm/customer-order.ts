import type { CustomerTotals } from './customer-totals.js';
import type { PartitionTotals } from './partitioned-totals.js';

/**
 * Customers back in order of first appearance, after partitioned-totals.ts grouped them by hash.
 * Internal to the rfm capability.
 *
 * @packageDocumentation
 */

function bitCount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/**
 * The partitions' customers in order of their first event among `events` input events. `idAt`
 * reads the id of the event at an input position, for customers whose keys were packed ids (the
 * partitions then keep no strings).
 * @internal
 */
export function customersInInputOrder(
  totals: PartitionTotals,
  events: number,
  idAt: (position: number) => string,
): CustomerTotals {
  const { firstEvent } = totals;
  const count = firstEvent.length;
  // A customer's place is the number of customers whose first event came earlier: one bit per
  // input position marks first events, and a running count per 32 positions ranks them. No sort,
  // and the marks (an eighth of a byte per event) stay in cache.
  const words = (events >>> 5) + 1;
  const marks = new Int32Array(words);
  for (let customer = 0; customer < count; customer++) {
    const position = firstEvent[customer]!;
    marks[position >>> 5]! |= 1 << (position & 31);
  }
  const before = new Int32Array(words);
  for (let w = 1; w < words; w++) before[w] = before[w - 1]! + bitCount(marks[w - 1]!);
  const place = new Int32Array(count);
  for (let customer = 0; customer < count; customer++) {
    const position = firstEvent[customer]!;
    const word = position >>> 5;
    place[customer] = before[word]! + bitCount(marks[word]! & ((1 << (position & 31)) - 1));
  }
  // One array at a time, so each scatter's random writes stay within one array's pages.
  const ordered = (values: Float64Array): Float64Array => {
    const out = new Float64Array(count);
    for (let customer = 0; customer < count; customer++) out[place[customer]!] = values[customer]!;
    return out;
  };
  const inOrder = ordered(firstEvent);
  const ids: string[] = [];
  if (totals.ids !== undefined) {
    const byPlace = new Array<string>(count);
    for (let customer = 0; customer < count; customer++) byPlace[place[customer]!] = totals.ids[customer]!;
    for (let customer = 0; customer < count; customer++) ids.push(byPlace[customer]!);
  } else {
    // Places follow input positions, so this reads the input forwards.
    for (let customer = 0; customer < count; customer++) ids.push(idAt(inOrder[customer]!));
  }
  return {
    ids,
    lastEvent: ordered(totals.lastEvent),
    events: ordered(totals.events),
    revenue: ordered(totals.revenue),
    activePeriods: totals.activePeriods === undefined ? undefined : ordered(totals.activePeriods),
    latestEvent: totals.latestEvent,
  };
}
