/**
 * Customer totals by radix partitioning. Internal to the rfm capability.
 *
 * Ten million events over a million customers: adding each event straight into one table of a
 * million customers touches a random place of a table far larger than the processor's caches and
 * its TLB reach (~8 MB), two or three times per event, and on a virtual machine each TLB miss is a
 * nested page walk. Measured here, that was ~150 ns per event whatever the prefetching. So events
 * are first spread by the top bits of their key hash over up to 256 partitions — a sequential
 * write to one of a few hundred open buffers — and each partition's events are then added to a
 * table of that partition's customers only, small enough to stay in the L2 cache. Each customer's
 * events are added in input order, so the totals (floating-point sums included) are the same as a
 * one-table pass would give; customers are put back in order of first appearance afterwards
 * (customer-order.ts).
 *
 * A customer's key is either its id packed into two words (packed-customer-id.ts) or the id's
 * hash in the high word; in the second case the ids travel with the events, the tables keep each
 * customer's id and a key match is confirmed by comparing the strings.
 *
 * Every function here uses only its arguments and this module's own functions and constants, so
 * that totals-worker.ts can run the same code in a worker thread from their source text.
 *
 * @packageDocumentation
 */

/** Int32 entries per slot: local customer index + 1 (0 = empty), key high word, key low word, key hash. @internal */
export const slotStride = 4;

/** Doubles per customer in `totals`: latest event, events, amount, input position of the first event. @internal */
export const totalsStride = 4;

/**
 * A partition's customers. `totals` is indexed by the local customer index (order of insertion),
 * four doubles per customer, so adding an event touches one slot line and one totals line.
 * @internal
 */
export interface CustomerPartition {
  slots: Int32Array;
  mask: number;
  /** Customers in the partition. */
  count: number;
  totals: Float64Array;
  /** The customers' ids, kept only when keys are hashes. */
  readonly ids: string[] | undefined;
  /** With an activity unit: one `local * 2^22 + period + 2^21` key per event, `periodKeyCount` of them. */
  periodKeys: Float64Array | undefined;
  periodKeyCount: number;
}

/** A (customer, period) pair as one double: periods within ±2^21 days or months of 1970, customers below 2^31. @internal */
export const periodSpan = 2 ** 22;
/** @internal */
export const periodOffset = 2 ** 21;

/** The 32-bit hash of a key (Murmur3's finaliser over both words): top bits pick the partition, low bits the slot. @internal */
export function keyHash(high: number, low: number): number {
  let hash = Math.imul(high, 0x9e3779b1) ^ low;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/**
 * An empty partition sized for `expectedCustomers`. `withIds` keeps the ids (keys are hashes);
 * `withPeriods` keeps (customer, period) keys.
 * @internal
 */
export function customerPartition(
  expectedCustomers: number,
  withIds: boolean,
  withPeriods: boolean,
): CustomerPartition {
  const capacity = Math.max(8, expectedCustomers);
  const size = 2 ** Math.ceil(Math.log2(capacity * 2));
  return {
    slots: new Int32Array(size * slotStride),
    mask: size - 1,
    count: 0,
    totals: new Float64Array(capacity * totalsStride),
    ids: withIds ? [] : undefined,
    periodKeys: withPeriods ? new Float64Array(capacity * 4) : undefined,
    periodKeyCount: 0,
  };
}

/** @internal */
export function grownDoubles(array: Float64Array, length: number): Float64Array {
  const next = new Float64Array(length);
  next.set(array);
  return next;
}

/** Doubles the slots, re-placing every customer by its key. @internal */
export function rehash(partition: CustomerPartition): void {
  const old = partition.slots;
  const size = (partition.mask + 1) * 2;
  const mask = size - 1;
  const slots = new Int32Array(size * slotStride);
  for (let from = 0; from < old.length; from += slotStride) {
    if (old[from] === 0) continue;
    let slot = old[from + 3]! & mask;
    while (slots[slot * slotStride] !== 0) slot = (slot + 1) & mask;
    slots.set(old.subarray(from, from + slotStride), slot * slotStride);
  }
  partition.slots = slots;
  partition.mask = mask;
}

/** Makes room for one more customer and keeps the slots at most half full. @internal */
export function reserveCustomer(partition: CustomerPartition): void {
  const { count } = partition;
  if ((count + 1) * totalsStride > partition.totals.length) {
    partition.totals = grownDoubles(partition.totals, partition.totals.length * 2);
  }
  if ((count + 1) * 2 > partition.mask + 1) rehash(partition);
}

/**
 * Bytes per buffered event: time and amount as doubles, then as 32-bit words the input position,
 * the key's hash and the key's high and low words. @internal
 */
export const eventRecordBytes = 32;

/**
 * Events of this partition waiting to be added, in input order, records `start` to `end` of one
 * buffer seen as doubles (`values`) and as 32-bit words (`words`); and the ids when keys are hashes.
 * One record per event keeps the writes that spread events over partitions to one open cache line
 * per partition.
 * @internal
 */
export interface PartitionEvents {
  readonly words: Uint32Array;
  readonly values: Float64Array;
  readonly ids: readonly string[] | undefined;
  readonly start: number;
  readonly end: number;
}

/**
 * Adds events to the partition's customers. `periodOfTime`, when the partition keeps period keys,
 * gives the UTC day or month number of an event time.
 * @internal
 */
export function addPartitionEvents(
  partition: CustomerPartition,
  pending: PartitionEvents,
  periodOfTime: ((time: number) => number) | undefined,
): void {
  const { words, values, ids: pendingIds, start, end } = pending;
  const { ids, periodKeys: keysBefore } = partition;
  if (keysBefore !== undefined && partition.periodKeyCount + (end - start) > keysBefore.length) {
    partition.periodKeys = grownDoubles(
      keysBefore,
      Math.max(keysBefore.length * 2, partition.periodKeyCount + (end - start)),
    );
  }
  const periodKeys = partition.periodKeys;
  let { slots, mask, totals } = partition;
  let keyCount = partition.periodKeyCount;
  for (let e = start; e < end; e++) {
    const hash = words[8 * e + 5]! | 0;
    const high = words[8 * e + 6]! | 0;
    const low = words[8 * e + 7]! | 0;
    const time = values[4 * e]!;
    let slot = hash & mask;
    let local: number;
    for (;;) {
      const at = slot * slotStride;
      local = slots[at]! - 1;
      if (local < 0) {
        reserveCustomer(partition);
        local = partition.count++;
        if (slots !== partition.slots) {
          slots = partition.slots;
          mask = partition.mask;
          slot = hash & mask;
          while (slots[slot * slotStride] !== 0) slot = (slot + 1) & mask;
        }
        totals = partition.totals;
        const to = slot * slotStride;
        slots[to] = local + 1;
        slots[to + 1] = high;
        slots[to + 2] = low;
        slots[to + 3] = hash;
        if (ids !== undefined) ids.push(pendingIds![e]!);
        totals[local * totalsStride] = time;
        totals[local * totalsStride + 3] = words[8 * e + 4]!;
        break;
      }
      if (
        slots[at + 1] === high &&
        slots[at + 2] === low &&
        (ids === undefined || ids[local] === pendingIds![e])
      )
        break;
      slot = (slot + 1) & mask;
    }
    const at = local * totalsStride;
    if (time > totals[at]!) totals[at] = time;
    totals[at + 1]! += 1;
    totals[at + 2]! += values[4 * e + 1]!;
    if (periodKeys !== undefined)
      periodKeys[keyCount++] = local * periodSpan + periodOfTime!(time) + periodOffset;
  }
  partition.periodKeyCount = keyCount;
}

/** Distinct periods per local customer, from the partition's (customer, period) keys. @internal */
export function partitionActivePeriods(partition: CustomerPartition): Float64Array {
  const active = new Float64Array(partition.count);
  const keys = partition.periodKeys!.subarray(0, partition.periodKeyCount).sort();
  let previous = Number.NaN;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key !== previous) {
      active[Math.floor(key / periodSpan)]! += 1;
      previous = key;
    }
  }
  return active;
}

/** At most this many events wait in the partition buffers (32 bytes each) before being added. @internal */
export const bufferedEventLimit = 2 ** 22;

/** Customers per partition aimed at: a partition's table then fits the L2 cache. @internal */
export const customersPerPartition = 4096;

/** Customers spread over hash partitions, with the events waiting to be added to them. @internal */
export interface PartitionedCustomers {
  readonly partitions: CustomerPartition[];
  /** Partitions - 1 (a power of two minus one). */
  readonly partitionMask: number;
  /** Buffered events per partition. */
  readonly capacity: number;
  readonly buffered: Int32Array;
  /** Whether keys are packed ids (else id hashes, with the ids buffered beside them). */
  readonly packed: boolean;
  readonly bufferIds: string[] | undefined;
  /** Buffered events, one 32-byte record each: see {@link PartitionEvents}. */
  readonly bufferWords: Uint32Array;
  readonly bufferValues: Float64Array;
  readonly periodOfTime: ((time: number) => number) | undefined;
  /** The latest event time seen (epoch milliseconds). */
  latestEvent: number;
}

/**
 * Empty partitions for `events` events (of which about one in 16 is a new customer: a year of
 * monthly bills). `packed` keys customers by packed ids; `periodOfTime` asks for distinct active
 * periods per customer.
 * @internal
 */
export function partitionedCustomers(
  events: number,
  packed: boolean,
  periodOfTime: ((time: number) => number) | undefined,
): PartitionedCustomers {
  const expectedCustomers = Math.ceil(events / 16);
  const partitionCount = Math.min(
    256,
    2 ** Math.max(0, Math.ceil(Math.log2(expectedCustomers / customersPerPartition))),
  );
  const buffering = Math.min(Math.max(events, 1), bufferedEventLimit);
  // A quarter more than an even share, so uneven partitions rarely force an early flush.
  const capacity = Math.ceil((buffering / partitionCount) * 1.25) + 16;
  const slots = partitionCount * capacity;
  const buffer = new ArrayBuffer(slots * eventRecordBytes);
  return {
    partitions: Array.from({ length: partitionCount }, () =>
      customerPartition(Math.ceil(expectedCustomers / partitionCount), !packed, periodOfTime !== undefined),
    ),
    partitionMask: partitionCount - 1,
    capacity,
    buffered: new Int32Array(partitionCount),
    packed,
    bufferIds: packed ? undefined : new Array<string>(slots).fill(''),
    bufferWords: new Uint32Array(buffer),
    bufferValues: new Float64Array(buffer),
    periodOfTime,
    latestEvent: Number.NEGATIVE_INFINITY,
  };
}

/**
 * Adds partition `p`'s buffered events to its customers and empties its buffer. Partitions share
 * no customer, so flushing one alone keeps every customer's events in input order. @internal
 */
export function flushPartition(customers: PartitionedCustomers, p: number): void {
  const { partitions, buffered, capacity, bufferIds, bufferWords, bufferValues, periodOfTime } = customers;
  const start = p * capacity;
  addPartitionEvents(
    partitions[p]!,
    { words: bufferWords, values: bufferValues, ids: bufferIds, start, end: start + buffered[p]! },
    periodOfTime,
  );
  buffered[p] = 0;
}

/** Adds every buffered event to its partition's customers. @internal */
export function flushPartitions(customers: PartitionedCustomers): void {
  for (let p = 0; p < customers.partitions.length; p++) flushPartition(customers, p);
}

/**
 * Spreads `count` events over the partitions: entry `from + k` of the key words, key hashes
 * ({@link keyHash}), times, amounts (and ids when keys are id hashes) is the event at input
 * position `position + k`.
 * @internal
 */
export function scatterEvents(
  customers: PartitionedCustomers,
  high: Uint32Array,
  low: Uint32Array,
  hashes: Uint32Array,
  times: Float64Array,
  amounts: Float64Array,
  ids: readonly unknown[] | undefined,
  from: number,
  count: number,
  position: number,
): void {
  const { partitionMask, capacity, buffered, bufferIds, bufferWords, bufferValues } = customers;
  let latest = customers.latestEvent;
  for (let k = 0; k < count; k++) {
    const hash = hashes[from + k]!;
    const partition = (hash >>> 24) & partitionMask;
    if (buffered[partition] === capacity) flushPartition(customers, partition);
    const at = partition * capacity + buffered[partition]!++;
    const time = times[from + k]!;
    if (bufferIds !== undefined) bufferIds[at] = ids![from + k] as string;
    bufferValues[4 * at] = time;
    bufferValues[4 * at + 1] = amounts[from + k]!;
    bufferWords[8 * at + 4] = position + k;
    bufferWords[8 * at + 5] = hash;
    bufferWords[8 * at + 6] = high[from + k]!;
    bufferWords[8 * at + 7] = low[from + k]!;
    if (time > latest) latest = time;
  }
  customers.latestEvent = latest;
}

/**
 * Every customer's totals, partition after partition: the input position of the first event,
 * latest event, events, amount, distinct active periods (when counted) and id (when keys are
 * hashes). The order of first appearance is restored by the caller.
 * @internal
 */
export interface PartitionTotals {
  readonly firstEvent: Float64Array;
  readonly lastEvent: Float64Array;
  readonly events: Float64Array;
  readonly revenue: Float64Array;
  readonly activePeriods: Float64Array | undefined;
  readonly ids: string[] | undefined;
  readonly latestEvent: number;
}

/** Adds the events still buffered and lays every partition's customers end to end. @internal */
export function partitionTotals(customers: PartitionedCustomers): PartitionTotals {
  flushPartitions(customers);
  const { partitions } = customers;
  let total = 0;
  for (const partition of partitions) total += partition.count;
  const firstEvent = new Float64Array(total);
  const lastEvent = new Float64Array(total);
  const events = new Float64Array(total);
  const revenue = new Float64Array(total);
  const activePeriods = customers.periodOfTime === undefined ? undefined : new Float64Array(total);
  const ids: string[] | undefined = customers.packed ? undefined : [];
  let customer = 0;
  for (const partition of partitions) {
    const { totals, count } = partition;
    if (activePeriods !== undefined) activePeriods.set(partitionActivePeriods(partition), customer);
    if (ids !== undefined) for (const id of partition.ids!) ids.push(id);
    for (let local = 0; local < count; local++, customer++) {
      const at = local * totalsStride;
      lastEvent[customer] = totals[at]!;
      events[customer] = totals[at + 1]!;
      revenue[customer] = totals[at + 2]!;
      firstEvent[customer] = totals[at + 3]!;
    }
  }
  return { firstEvent, lastEvent, events, revenue, activePeriods, ids, latestEvent: customers.latestEvent };
}
