/**
 * The table that interns customer ids into dense indexes (order of first appearance) and keeps
 * each customer's running totals, fed a block of events at a time. Internal to the rfm capability.
 *
 * On ten million events over a million customers every event touches three places at random: its
 * id string, the id's hash slot and the slot's totals. One at a time each is a cache (and TLB) miss
 * that the processor waits for. A block is therefore handled in short loops: the first reads every
 * id string of the block, the next hashes them (now from cache), the next reads every slot the
 * block will probe, and only the last probes and adds. Each short loop has many independent misses
 * in flight at once ("group prefetching", Chen, Ailamaki, Gibbons and Mowry, 2004).
 *
 * @packageDocumentation
 */

/** Doubles per slot of `CustomerTable.totals`: latest event, events, amount, id hash. @internal */
export const stride = 4;

/** Events handled together: enough misses in flight, and a block's lines still in L1/L2. @internal */
export const blockSize = 256;

/** One block of events, in input order; times and amounts validated, ids checked by {@link addBlock}. @internal */
export interface EventBlock {
  readonly ids: unknown[];
  readonly times: Float64Array;
  readonly amounts: Float64Array;
  /** Scratch: the hash of each event's id. */
  readonly hashes: Uint32Array;
  /** Scratch: the home slot of each event. */
  readonly slots: Int32Array;
}

/** A block's buffers. @internal */
export function eventBlock(): EventBlock {
  return {
    ids: new Array<unknown>(blockSize).fill(''),
    times: new Float64Array(blockSize),
    amounts: new Float64Array(blockSize),
    hashes: new Uint32Array(blockSize),
    slots: new Int32Array(blockSize),
  };
}

/**
 * Open addressing with linear probing, at most half full. Slot `s` holds an id in `keys[s]` and, in
 * `totals[4s..4s+3]`, the id's totals (latest event, events, amount) beside the id's hash, so
 * finding a customer and adding to it cost two cache lines, and a probe that meets another
 * customer's id rejects it by hash without reading that id's string (a cache miss of its own).
 * @internal
 */
export interface CustomerTable {
  keys: (string | undefined)[];
  totals: Float64Array;
  mask: number;
  /** Customer ids by index (order of first appearance). */
  readonly ids: string[];
  /** Hash of each customer's id, by index (to rehash without reading the strings again). */
  hashes: Uint32Array;
  /** Slot of each customer, by index. */
  slots: Int32Array;
  /** Customer index of each slot, only kept when per-event customer indexes are asked for. */
  customerOfSlot: Int32Array | undefined;
  /** The latest event time seen (epoch milliseconds). */
  latestEvent: number;
}

/** FNV-1a over the UTF-16 code units, with a final avalanche so ids differing in their last characters spread. @internal */
export function customerIdHash(id: string): number {
  let hash = 0x811c9dc5;
  for (let k = 0; k < id.length; k++) hash = Math.imul(hash ^ id.charCodeAt(k), 0x01000193);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  return (hash ^ (hash >>> 12)) >>> 0;
}

/**
 * An empty table sized for `expectedCustomers` without rehashing; `withCustomerIndexes` keeps the
 * slot -> customer map that {@link addBlock}'s `customerOfEvent` needs. @internal
 */
export function customerTable(expectedCustomers: number, withCustomerIndexes: boolean): CustomerTable {
  const size = 2 ** Math.max(4, Math.ceil(Math.log2(Math.max(1, expectedCustomers) * 2)));
  const capacity = Math.max(16, expectedCustomers);
  return {
    keys: new Array<string | undefined>(size).fill(undefined),
    totals: new Float64Array(size * stride),
    mask: size - 1,
    ids: [],
    hashes: new Uint32Array(capacity),
    slots: new Int32Array(capacity),
    customerOfSlot: withCustomerIndexes ? new Int32Array(size) : undefined,
    latestEvent: Number.NEGATIVE_INFINITY,
  };
}

function grownInt32(array: Int32Array, length: number): Int32Array {
  const next = new Int32Array(length);
  next.set(array);
  return next;
}

/** Doubles the slots, moving every customer (and its totals) by its stored hash. */
function rehash(table: CustomerTable): void {
  const size = (table.mask + 1) * 2;
  const mask = size - 1;
  const keys = new Array<string | undefined>(size).fill(undefined);
  const totals = new Float64Array(size * stride);
  const customerOfSlot = table.customerOfSlot === undefined ? undefined : new Int32Array(size);
  const { ids, hashes, slots } = table;
  for (let customer = 0; customer < ids.length; customer++) {
    let slot = hashes[customer]! & mask;
    while (keys[slot] !== undefined) slot = (slot + 1) & mask;
    const from = slots[customer]! * stride;
    const to = slot * stride;
    keys[slot] = ids[customer];
    totals[to] = table.totals[from]!;
    totals[to + 1] = table.totals[from + 1]!;
    totals[to + 2] = table.totals[from + 2]!;
    totals[to + 3] = table.totals[from + 3]!;
    if (customerOfSlot !== undefined) customerOfSlot[slot] = customer;
    slots[customer] = slot;
  }
  table.keys = keys;
  table.totals = totals;
  table.mask = mask;
  table.customerOfSlot = customerOfSlot;
}

/** Registers a new customer in `slot`; returns whether the table must now grow. */
function insert(table: CustomerTable, slot: number, id: string, hash: number, time: number): boolean {
  const customer = table.ids.length;
  table.ids.push(id);
  if (customer === table.hashes.length) {
    const grownHashes = new Uint32Array(customer * 2);
    grownHashes.set(table.hashes);
    table.hashes = grownHashes;
    table.slots = grownInt32(table.slots, customer * 2);
  }
  table.hashes[customer] = hash;
  table.slots[customer] = slot;
  table.keys[slot] = id;
  table.totals[slot * stride] = time;
  table.totals[slot * stride + 3] = hash;
  if (table.customerOfSlot !== undefined) table.customerOfSlot[slot] = customer;
  return (customer + 1) * 2 > table.mask;
}

/**
 * Adds the first `count` events of `block` to the table, or returns `false` (leaving the table as
 * it was) when an id of the block is not a non-empty string. With `customerOfEvent` (the table
 * must keep customer indexes), writes each event's customer index at `customerOfEvent[offset + k]`.
 * @internal
 */
export function addBlock(
  table: CustomerTable,
  block: EventBlock,
  count: number,
  customerOfEvent?: Int32Array,
  offset = 0,
): boolean {
  const { ids, times, amounts, slots, hashes: blockHashes } = block;
  // Checking the ids is also what brings their strings into cache, in a loop short enough to have
  // many of those misses in flight; the slot reads further down only bring lines into cache, and
  // `touched` keeps them from being optimised away.
  let touched = 0;
  for (let k = 0; k < count; k++) {
    const id = ids[k];
    if (typeof id !== 'string' || id.length === 0) return false;
  }
  for (let k = 0; k < count; k++) blockHashes[k] = customerIdHash(ids[k] as string);
  let mask = table.mask;
  let keys = table.keys;
  let totals = table.totals;
  for (let k = 0; k < count; k++) {
    const slot = blockHashes[k]! & mask;
    slots[k] = slot;
    touched += totals[slot * stride + 1]!;
    if (keys[slot] === undefined) touched++;
  }
  let latest = table.latestEvent;
  for (let k = 0; k < count; k++) {
    const id = ids[k] as string;
    const hash = blockHashes[k]!;
    const time = times[k]!;
    let slot = slots[k]!;
    for (;;) {
      const held = keys[slot];
      if (held === undefined) {
        if (insert(table, slot, id, hash, time)) {
          rehash(table);
          // The block's remaining home slots were computed for the old size.
          mask = table.mask;
          keys = table.keys;
          totals = table.totals;
          slot = table.slots[table.ids.length - 1]!;
          for (let rest = k + 1; rest < count; rest++) slots[rest] = blockHashes[rest]! & mask;
        }
        break;
      }
      if (totals[slot * stride + 3] === hash && held === id) break;
      slot = (slot + 1) & mask;
    }
    const at = slot * stride;
    if (time > totals[at]!) totals[at] = time;
    totals[at + 1]! += 1;
    totals[at + 2]! += amounts[k]!;
    if (time > latest) latest = time;
    if (customerOfEvent !== undefined) customerOfEvent[offset + k] = table.customerOfSlot![slot]!;
  }
  table.latestEvent = latest + (touched === -1 ? 1 : 0);
  return true;
}
