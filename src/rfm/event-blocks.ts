import { packCustomerId } from './packed-customer-id.js';
import { keyHash } from './partitioned-totals.js';

/**
 * Events read a block at a time and given their customer keys. Internal to the rfm capability.
 *
 * @packageDocumentation
 */

/** Events read and keyed together. @internal */
export const blockSize = 256;

/**
 * One block of events as read from the input (times and amounts already validated) and, after
 * {@link keyBlock}, each event's key words. The typed arrays may be views into a larger buffer.
 * @internal
 */
export interface EventBlock {
  readonly ids: unknown[];
  readonly times: Float64Array;
  readonly amounts: Float64Array;
  readonly high: Uint32Array;
  readonly low: Uint32Array;
  /** Each key's {@link keyHash}. */
  readonly hashes: Uint32Array;
}

/** A block's buffers, the typed ones `count` long at `offset` in the given arrays (fresh ones by default). @internal */
export function eventBlock(
  ids: unknown[] = new Array<unknown>(blockSize).fill(''),
  arrays: {
    times: Float64Array;
    amounts: Float64Array;
    high: Uint32Array;
    low: Uint32Array;
    hashes: Uint32Array;
  } = {
    times: new Float64Array(blockSize),
    amounts: new Float64Array(blockSize),
    high: new Uint32Array(blockSize),
    low: new Uint32Array(blockSize),
    hashes: new Uint32Array(blockSize),
  },
  offset = 0,
): EventBlock {
  const view = <T extends Float64Array | Uint32Array>(array: T): T =>
    array.subarray(offset, offset + blockSize) as T;
  return {
    ids,
    times: view(arrays.times),
    amounts: view(arrays.amounts),
    high: view(arrays.high),
    low: view(arrays.low),
    hashes: view(arrays.hashes),
  };
}

/** FNV-1a over the UTF-16 code units with a final avalanche: the key of an id that has no packed form. @internal */
export function customerIdHash(id: string): number {
  let hash = 0x811c9dc5;
  for (let k = 0; k < id.length; k++) hash = Math.imul(hash ^ id.charCodeAt(k), 0x01000193);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  return (hash ^ (hash >>> 12)) >>> 0;
}

/** Why {@link keyBlock} refused a block: an id that is not a non-empty string, or (packed keys) an id with no packed form. @internal */
export type BlockRefusal = 'invalid id' | 'not packable';

/**
 * Writes the key words and key hashes of the first `count` events of the block: packed ids when
 * `packed`, else id hashes (low word 0). Returns why it cannot, if it cannot.
 * @internal
 */
export function keyBlock(block: EventBlock, count: number, packed: boolean): BlockRefusal | undefined {
  const { ids, high, low, hashes } = block;
  // Checking the ids is also what brings their strings into cache, in a loop short enough to have
  // many of those misses in flight before the next loop reads their characters.
  for (let k = 0; k < count; k++) {
    const id = ids[k];
    if (typeof id !== 'string' || id.length === 0) return 'invalid id';
  }
  if (packed) {
    for (let k = 0; k < count; k++) {
      if (!packCustomerId(ids[k] as string, high, low, k)) return 'not packable';
    }
  } else {
    for (let k = 0; k < count; k++) {
      high[k] = customerIdHash(ids[k] as string);
      low[k] = 0;
    }
  }
  for (let k = 0; k < count; k++) hashes[k] = keyHash(high[k]!, low[k]!);
  return undefined;
}
