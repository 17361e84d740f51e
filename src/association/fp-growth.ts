import { OptionError, TelcoAnalyticsError } from '../data/errors.js';
import { FpTree } from './fp-tree.js';
import { ItemsetStore } from './itemset-store.js';
import { itemsetLimitError, type MiningStop, mineFpTree } from './mine-fp-tree.js';
import {
  createItemCounter,
  type ItemDictionary,
  isAsyncIterable,
  isIterable,
  type TransactionInput,
} from './transaction-input.js';

export type { TransactionInput } from './transaction-input.js';

/** A minimum support: a fraction of the baskets in (0, 1], or an absolute number of baskets. */
export type MinimumSupport = number | { readonly count: number };

/**
 * Which frequent itemsets to return: `all`; only `closed` ones (no proper superset has the same
 * count); or only `maximal` ones (no proper superset is frequent). Rules need `all`.
 */
export type ItemsetFilter = 'all' | 'closed' | 'maximal';

/** A time and memory budget for {@link fpGrowth}: past it, mining stops and reports what it left out. */
export interface MiningBudget {
  /** Wall-clock milliseconds for the whole call. @defaultValue `Infinity` (no limit) */
  readonly maxMilliseconds?: number | undefined;
  /**
   * FP-tree nodes held at once (the main tree plus the conditional trees being mined; a node is
   * 24 bytes). @defaultValue `Infinity` (no limit)
   */
  readonly maxNodes?: number | undefined;
}

/** Options of {@link fpGrowth}. */
export interface FpGrowthOptions {
  /**
   * An itemset is frequent when its support (share of baskets holding it) is at least this
   * fraction, or, as `{ count: n }`, when at least `n` baskets hold it. @defaultValue 0.1
   */
  readonly minSupport?: MinimumSupport | undefined;
  /** Largest itemset size mined (arules' `maxlen`); `Infinity` for none. @defaultValue 10 */
  readonly maxLength?: number | undefined;
  /** Stop with a `LIMIT_EXCEEDED` error beyond this many itemsets, before memory runs out. @defaultValue 1_000_000 */
  readonly maxItemsets?: number | undefined;
  /**
   * Opt-in cap on items per basket: longer baskets keep their most frequent items (ties by name).
   * Counts of itemsets of two or more items are then lower bounds, and `trimmedBaskets` says how
   * many baskets were cut. @defaultValue `Infinity` (exact results)
   */
  readonly maxItemsPerBasket?: number | undefined;
  /** Time and memory budget; see {@link MiningBudget}. @defaultValue no limits */
  readonly budget?: MiningBudget | undefined;
  /** Keep `all` frequent itemsets, or only `closed` or `maximal` ones. @defaultValue 'all' */
  readonly filter?: ItemsetFilter | undefined;
}

/** One frequent itemset: items in code-unit order, the number of baskets holding all of them, and that as a share. */
export interface FrequentItemset {
  readonly items: readonly string[];
  readonly count: number;
  readonly support: number;
}

/** What a budget cut short. */
export interface MiningTruncation {
  readonly reason: 'time' | 'nodes';
  readonly message: string;
  /**
   * Itemsets of two or more items whose least frequent item is one of these may be missing;
   * every returned itemset's count is still exact, and single items are always complete.
   */
  readonly incompleteItems: readonly string[];
  readonly elapsedMilliseconds: number;
}

/** The result of {@link fpGrowth}. */
export interface FrequentItemsets {
  /** Sorted by size, then count (descending), then items. */
  readonly itemsets: readonly FrequentItemset[];
  /** Baskets read, empty ones included. */
  readonly transactionCount: number;
  /** The minimum support as a number of baskets. */
  readonly minCount: number;
  readonly maxLength: number;
  readonly filter: ItemsetFilter;
  /** Baskets cut by `maxItemsPerBasket` (0 unless it was set). */
  readonly trimmedBaskets: number;
  /** `null` when mining finished; otherwise what the budget left out. */
  readonly truncation: MiningTruncation | null;
}

const context = 'fpGrowth';

interface ResolvedOptions {
  readonly minSupport: MinimumSupport;
  readonly maxLength: number;
  readonly maxItemsets: number;
  readonly maxItemsPerBasket: number;
  readonly maxMilliseconds: number;
  readonly maxNodes: number;
  readonly filter: ItemsetFilter;
}

function positiveInteger(option: string, value: number, allowInfinity: boolean): number {
  if (allowInfinity && value === Number.POSITIVE_INFINITY) return value;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new OptionError(
      context,
      option,
      `must be a positive integer${allowInfinity ? ' or Infinity' : ''}, received ${String(value)}`,
    );
  }
  return value;
}

function resolveOptions(options: FpGrowthOptions): ResolvedOptions {
  const minSupport = options.minSupport ?? 0.1;
  if (typeof minSupport === 'number') {
    if (!Number.isFinite(minSupport) || minSupport <= 0 || minSupport > 1) {
      throw new OptionError(
        context,
        'minSupport',
        `must be a fraction in (0, 1], received ${String(minSupport)}; for an absolute number of baskets pass { count: n }`,
      );
    }
  } else if (typeof minSupport !== 'object' || minSupport === null) {
    throw new OptionError(
      context,
      'minSupport',
      `must be a fraction or { count: n }, received ${String(minSupport)}`,
    );
  } else {
    positiveInteger('minSupport.count', minSupport.count, false);
  }
  const maxMilliseconds = options.budget?.maxMilliseconds ?? Number.POSITIVE_INFINITY;
  if (Number.isNaN(maxMilliseconds) || maxMilliseconds <= 0) {
    throw new OptionError(
      context,
      'budget.maxMilliseconds',
      `must be a positive number, received ${maxMilliseconds}`,
    );
  }
  const filter = options.filter ?? 'all';
  if (filter !== 'all' && filter !== 'closed' && filter !== 'maximal') {
    throw new OptionError(
      context,
      'filter',
      `must be 'all', 'closed' or 'maximal', received '${String(filter)}'`,
    );
  }
  return {
    minSupport,
    maxLength: positiveInteger('maxLength', options.maxLength ?? 10, true),
    maxItemsets: positiveInteger('maxItemsets', options.maxItemsets ?? 1_000_000, true),
    maxItemsPerBasket: positiveInteger(
      'maxItemsPerBasket',
      options.maxItemsPerBasket ?? Number.POSITIVE_INFINITY,
      true,
    ),
    maxMilliseconds,
    maxNodes: positiveInteger('budget.maxNodes', options.budget?.maxNodes ?? Number.POSITIVE_INFINITY, true),
    filter,
  };
}

/** The smallest count whose share of `total` reaches `fraction` (compared as count / total, as support is). */
function minimumCount(minSupport: MinimumSupport, total: number): number {
  if (typeof minSupport !== 'number') return minSupport.count;
  let count = Math.ceil(minSupport * total);
  while (count > 1 && (count - 1) / total >= minSupport) count--;
  while (count / total < minSupport) count++;
  return Math.max(1, count);
}

/**
 * The two passes of FP-growth as a state machine, so sync and async inputs share one code path.
 * Sync input is read once, its baskets kept as item ids for the second pass; async input is read
 * twice, so memory holds the FP-tree and never the baskets.
 */
function createMiningRun(settings: ResolvedOptions, readTwice: boolean) {
  const started = performance.now();
  const deadline = started + settings.maxMilliseconds;
  const counter = createItemCounter(context, !readTwice);
  let dictionary: ItemDictionary;
  let minCount = 0;
  let rankNames: string[] = [];
  let rankOfId = new Int32Array(0);
  let tree: FpTree | null = null;
  let secondPassRows = 0;
  let trimmedBaskets = 0;
  let earlyStop: MiningStop | null = null;
  let basket = new Int32Array(0);
  let lastRow = new Int32Array(0);
  let scratch = new Int32Array(64);
  const store = new ItemsetStore();

  const rebasketError = (reason: string): TelcoAnalyticsError =>
    new TelcoAnalyticsError(
      'INVALID_DATA',
      `${context}: ${reason}; an async iterable must yield the same baskets each time it is iterated`,
    );

  /** Inserts one basket given as item ids; returns false once the budget ran out. */
  const insertBasket = (ids: Int32Array, from: number, to: number, row: number): boolean => {
    const currentTree = tree;
    if (currentTree === null) return true;
    let length = 0;
    for (let k = from; k < to; k++) {
      const rank = rankOfId[ids[k]!]!;
      if (rank < 0 || lastRow[rank] === row) continue;
      lastRow[rank] = row;
      // Insertion sort: baskets are short, and ascending ranks put frequent items near the root.
      let position = length++;
      while (position > 0 && basket[position - 1]! > rank) {
        basket[position] = basket[position - 1]!;
        position--;
      }
      basket[position] = rank;
    }
    if (length > settings.maxItemsPerBasket) {
      length = settings.maxItemsPerBasket;
      trimmedBaskets++;
    }
    // A lone item adds nothing to any itemset of two or more, which is all the tree is mined for.
    if (length > 1) currentTree.insert(basket, length, 1);
    if (currentTree.size > settings.maxNodes || ((row & 4095) === 0 && performance.now() > deadline)) {
      earlyStop = {
        reason: currentTree.size > settings.maxNodes ? 'nodes' : 'time',
        incompleteRanks: rankNames.map((_, rank) => rank).reverse(),
      };
      return false;
    }
    return true;
  };

  return {
    firstPass: counter.add,
    startSecondPass(): void {
      dictionary = counter.dictionary;
      const total = dictionary.transactionCount;
      minCount = minimumCount(settings.minSupport, total);
      const frequentIds: number[] = [];
      for (let id = 0; id < dictionary.names.length; id++)
        if (dictionary.counts[id]! >= minCount) frequentIds.push(id);
      frequentIds.sort(
        (a, b) =>
          dictionary.counts[b]! - dictionary.counts[a]! ||
          (dictionary.names[a]! < dictionary.names[b]! ? -1 : 1),
      );
      rankOfId = new Int32Array(dictionary.names.length).fill(-1);
      rankNames = frequentIds.map((id, rank) => {
        rankOfId[id] = rank;
        store.add([rank], 1, dictionary.counts[id]!);
        return dictionary.names[id]!;
      });
      if (store.size > settings.maxItemsets) throw itemsetLimitError(context, settings.maxItemsets);
      basket = new Int32Array(rankNames.length);
      lastRow = new Int32Array(rankNames.length);
      if (settings.maxLength >= 2 && rankNames.length >= 2) tree = new FpTree(rankNames.length, 4096);
    },
    /** False when nothing is left to mine beyond single items (maxLength 1, or under two frequent items). */
    needsSecondPass(): boolean {
      return tree !== null;
    },
    /** The second pass over the ids recorded by the first. */
    secondPassRecorded(): void {
      const { ids, ends } = counter.encoded;
      let from = 0;
      for (let row = 1; row <= dictionary.transactionCount; row++) {
        const to = ends[row - 1]!;
        secondPassRows = row;
        if (!insertBasket(ids, from, to, row)) return;
        from = to;
      }
    },
    /** One basket of a second read of the input; returns false once the budget ran out. */
    secondPass(items: readonly string[]): boolean {
      const row = ++secondPassRows;
      if (items.length > scratch.length) scratch = new Int32Array(Math.max(items.length, scratch.length * 2));
      for (let k = 0; k < items.length; k++) {
        const id = dictionary.ids.get(items[k]!);
        if (id === undefined)
          throw rebasketError(`item '${String(items[k])}' of row ${row} was not seen on the first pass`);
        scratch[k] = id;
      }
      return insertBasket(scratch, 0, items.length, row);
    },
    finish(): FrequentItemsets {
      if (earlyStop === null && tree !== null && secondPassRows !== dictionary.transactionCount) {
        throw rebasketError(
          `the first pass read ${dictionary.transactionCount} baskets and the second ${secondPassRows}`,
        );
      }
      if (earlyStop === null && tree !== null) {
        earlyStop = mineFpTree(
          context,
          tree,
          {
            itemCount: rankNames.length,
            minCount,
            maxLength: settings.maxLength,
            maxItemsets: settings.maxItemsets,
            maxNodes: settings.maxNodes,
            deadline,
          },
          store,
        );
      }
      tree = null;
      const stopped: MiningStop | null = earlyStop;
      const elapsedMilliseconds = performance.now() - started;
      const truncation: MiningTruncation | null =
        stopped === null
          ? null
          : {
              reason: stopped.reason,
              message:
                stopped.reason === 'time'
                  ? `stopped after ${Math.round(elapsedMilliseconds)} ms (budget.maxMilliseconds = ${settings.maxMilliseconds})`
                  : `stopped at more than ${settings.maxNodes} FP-tree nodes (budget.maxNodes)`,
              incompleteItems: stopped.incompleteRanks.map((rank) => rankNames[rank]!),
              elapsedMilliseconds,
            };
      return {
        itemsets: finishItemsets(store, rankNames, dictionary.transactionCount, settings.filter),
        transactionCount: dictionary.transactionCount,
        minCount,
        maxLength: settings.maxLength,
        filter: settings.filter,
        trimmedBaskets,
        truncation,
      };
    },
  };
}

/** Marks itemsets that a one-item-larger itemset rules out (same count: not closed; any: not maximal). */
function filterMask(store: ItemsetStore, filter: ItemsetFilter): Uint8Array {
  const excluded = new Uint8Array(store.size);
  if (filter === 'all') return excluded;
  const subset = new Int32Array(64);
  for (let index = 0; index < store.size; index++) {
    const length = store.lengthOf(index);
    if (length < 2) continue;
    const from = store.offsets[index]!;
    const sub = subset.length >= length ? subset : new Int32Array(length);
    for (let skip = 0; skip < length; skip++) {
      let k = 0;
      for (let j = 0; j < length; j++) if (j !== skip) sub[k++] = store.items[from + j]!;
      const found = store.find(sub, 0, length - 1);
      if (found >= 0 && (filter === 'maximal' || store.counts[found] === store.counts[index]))
        excluded[found] = 1;
    }
  }
  return excluded;
}

function finishItemsets(
  store: ItemsetStore,
  rankNames: readonly string[],
  total: number,
  filter: ItemsetFilter,
): FrequentItemset[] {
  let excluded: Uint8Array | null = null;
  if (filter !== 'all') {
    store.sortEach();
    store.buildIndex();
    excluded = filterMask(store, filter);
  }
  // Items are ordered by name through integer positions, so sorting never compares strings.
  const byName = rankNames.map((_, rank) => rank).sort((a, b) => (rankNames[a]! < rankNames[b]! ? -1 : 1));
  const namePosition = new Int32Array(rankNames.length);
  byName.forEach((rank, position) => {
    namePosition[rank] = position;
  });
  const { items, offsets, counts } = store;
  for (let k = 0; k < store.itemLength; k++) items[k] = namePosition[items[k]!]!;
  store.sortEach();
  const order: number[] = [];
  for (let index = 0; index < store.size; index++)
    if (excluded === null || excluded[index] === 0) order.push(index);
  order.sort((a, b) => {
    const lengthA = offsets[a + 1]! - offsets[a]!;
    const lengthB = offsets[b + 1]! - offsets[b]!;
    if (lengthA !== lengthB) return lengthA - lengthB;
    if (counts[a] !== counts[b]) return counts[b]! - counts[a]!;
    for (let k = 0; k < lengthA; k++) {
      const difference = items[offsets[a]! + k]! - items[offsets[b]! + k]!;
      if (difference !== 0) return difference;
    }
    return 0;
  });
  const itemsets: FrequentItemset[] = new Array(order.length);
  for (let position = 0; position < order.length; position++) {
    const index = order[position]!;
    const names: string[] = [];
    for (let k = offsets[index]!; k < offsets[index + 1]!; k++) names.push(rankNames[byName[items[k]!]!]!);
    const count = counts[index]!;
    itemsets[position] = { items: names, count, support: count / total };
  }
  return itemsets;
}

/**
 * Mines frequent itemsets with FP-growth (Han, Pei & Yin, 2000). Items are interned to integers
 * and the FP-tree lives in typed arrays; duplicate items in a basket count once; empty baskets
 * count towards the total. Arrays and iterables are read once (each basket kept as 4-byte item ids
 * for the second pass) and the result returned directly; an async iterable is read twice (each
 * iteration must restart from the first basket) and a promise returned, so baskets can stream from
 * a file or a database while memory holds only the FP-tree.
 *
 * Guard rails: `maxLength` (default 10), `maxItemsets` (a `LIMIT_EXCEEDED` error, not an
 * out-of-memory crash), an opt-in `maxItemsPerBasket`, and a `budget` of time and FP-tree nodes
 * that stops mining and reports in `truncation` which itemsets may be missing.
 *
 * @throws {@link DataError} naming the row of a basket that is not an array of non-empty strings.
 * @throws {@link OptionError} for an option outside its domain (e.g. `minSupport` 0 or 1.5).
 * @example
 * const result = fpGrowth(
 *   [['sms', 'data:heavy'], ['sms', 'voice:night'], ['sms', 'data:heavy', 'voice:night'], []],
 *   { minSupport: 0.5 },
 * );
 * result.transactionCount; // => 4
 * result.itemsets;
 * // => [{ items: ['sms'], count: 3, support: 0.75 }, { items: ['data:heavy'], count: 2, support: 0.5 },
 * //     { items: ['voice:night'], count: 2, support: 0.5 }, { items: ['data:heavy', 'sms'], count: 2, support: 0.5 },
 * //     { items: ['sms', 'voice:night'], count: 2, support: 0.5 }]
 */
export function fpGrowth(
  transactions: Iterable<readonly string[]>,
  options?: FpGrowthOptions,
): FrequentItemsets;
export function fpGrowth(
  transactions: AsyncIterable<readonly string[]>,
  options?: FpGrowthOptions,
): Promise<FrequentItemsets>;
export function fpGrowth(
  transactions: TransactionInput,
  options?: FpGrowthOptions,
): FrequentItemsets | Promise<FrequentItemsets>;
export function fpGrowth(
  transactions: TransactionInput,
  options: FpGrowthOptions = {},
): FrequentItemsets | Promise<FrequentItemsets> {
  const settings = resolveOptions(options);
  if (isAsyncIterable(transactions)) {
    const run = createMiningRun(settings, true);
    return (async () => {
      for await (const basket of transactions) run.firstPass(basket);
      run.startSecondPass();
      if (run.needsSecondPass()) for await (const basket of transactions) if (!run.secondPass(basket)) break;
      return run.finish();
    })();
  }
  if (!isIterable(transactions)) {
    throw new TelcoAnalyticsError(
      'INVALID_DATA',
      `${context}: transactions must be an array, an iterable or an async iterable of string arrays, received ${typeof transactions}`,
    );
  }
  const run = createMiningRun(settings, false);
  for (const basket of transactions) run.firstPass(basket);
  run.startSecondPass();
  run.secondPassRecorded();
  return run.finish();
}
