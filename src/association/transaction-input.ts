import { DataError } from '../data/errors.js';

/**
 * Baskets as callers give them: an array or any iterable of string arrays (read once), or an async
 * iterable of them that can be iterated twice (each `[Symbol.asyncIterator]()` call restarts from
 * the first basket), so baskets need not sit in memory.
 */
export type TransactionInput = Iterable<readonly string[]> | AsyncIterable<readonly string[]>;

/** Items interned to integers in first-seen order, with the number of baskets holding each. */
export interface ItemDictionary {
  readonly ids: Map<string, number>;
  readonly names: string[];
  readonly counts: number[];
  transactionCount: number;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `a ${typeof value} (${String(value)})`;
  }
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function basketError(context: string, row: number, reason: string): DataError {
  return new DataError(context, [{ row, column: 'items', reason }]);
}

/** Throws unless `basket` is an array of non-empty strings; `row` is 1-based. */
export function checkBasket(
  context: string,
  basket: unknown,
  row: number,
): asserts basket is readonly string[] {
  if (!Array.isArray(basket)) {
    throw basketError(context, row, `expected an array of item names, received ${describeValue(basket)}`);
  }
  for (let position = 0; position < basket.length; position++) {
    const item: unknown = basket[position];
    if (typeof item !== 'string') {
      throw basketError(context, row, `item ${position + 1} is ${describeValue(item)}, expected a string`);
    }
    if (item.length === 0) throw basketError(context, row, `item ${position + 1} is an empty string`);
  }
}

/** Item ids of every basket, deduplicated, end to end; `ends[row - 1]` is where basket `row` ends. */
export interface EncodedBaskets {
  ids: Int32Array;
  ends: Int32Array;
  length: number;
}

/**
 * First pass: interns items and counts the baskets holding each (duplicates in a basket count
 * once). With `record`, also keeps each basket as item ids (4 bytes an item), so a second pass
 * needs neither the strings nor a re-iterable input.
 */
export function createItemCounter(
  context: string,
  record: boolean,
): {
  readonly dictionary: ItemDictionary;
  readonly encoded: EncodedBaskets;
  add(basket: unknown): void;
} {
  const dictionary: ItemDictionary = { ids: new Map(), names: [], counts: [], transactionCount: 0 };
  const encoded: EncodedBaskets = {
    ids: new Int32Array(record ? 1024 : 0),
    ends: new Int32Array(record ? 256 : 0),
    length: 0,
  };
  // lastRow[id] === current row marks an item already counted in this basket, without a per-basket Set.
  const lastRow: number[] = [];
  const ids = dictionary.ids;
  const counts = dictionary.counts;
  return {
    dictionary,
    encoded,
    add(basket) {
      const row = ++dictionary.transactionCount;
      checkBasket(context, basket, row);
      if (record && encoded.length + basket.length > encoded.ids.length) {
        const grown = new Int32Array(Math.max(encoded.ids.length * 2, encoded.length + basket.length));
        grown.set(encoded.ids);
        encoded.ids = grown;
      }
      for (let position = 0; position < basket.length; position++) {
        const item = basket[position]!;
        let id = ids.get(item);
        if (id === undefined) {
          id = dictionary.names.length;
          ids.set(item, id);
          dictionary.names.push(item);
          counts.push(0);
          lastRow.push(0);
        }
        if (lastRow[id] !== row) {
          lastRow[id] = row;
          counts[id]!++;
          if (record) encoded.ids[encoded.length++] = id;
        }
      }
      if (record) {
        if (row > encoded.ends.length) {
          const grown = new Int32Array(encoded.ends.length * 2);
          grown.set(encoded.ends);
          encoded.ends = grown;
        }
        encoded.ends[row - 1] = encoded.length;
      }
    },
  };
}

export function isAsyncIterable(input: unknown): input is AsyncIterable<unknown> {
  return typeof (input as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === 'function';
}

export function isIterable(input: unknown): input is Iterable<unknown> {
  return (
    typeof input !== 'string' &&
    typeof (input as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator] === 'function'
  );
}
