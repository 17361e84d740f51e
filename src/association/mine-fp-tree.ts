import { TelcoAnalyticsError } from '../data/errors.js';
import { FpTree } from './fp-tree.js';
import type { ItemsetStore } from './itemset-store.js';

/** Limits of one mining run (internal). */
export interface MiningLimits {
  readonly itemCount: number;
  readonly minCount: number;
  readonly maxLength: number;
  readonly maxItemsets: number;
  readonly maxNodes: number;
  /** `performance.now()` value after which mining stops; `Infinity` for none. */
  readonly deadline: number;
}

/** Why mining stopped early, and the item ranks whose projections were not finished. */
export interface MiningStop {
  readonly reason: 'time' | 'nodes';
  readonly incompleteRanks: readonly number[];
}

const stopSignal = Symbol('budget');
type StopSignal = { readonly [stopSignal]: 'time' | 'nodes' };

function stop(reason: 'time' | 'nodes'): StopSignal {
  return { [stopSignal]: reason };
}

function isStop(value: unknown): value is StopSignal {
  return typeof value === 'object' && value !== null && stopSignal in value;
}

export function itemsetLimitError(context: string, maxItemsets: number): TelcoAnalyticsError {
  return new TelcoAnalyticsError(
    'LIMIT_EXCEEDED',
    `${context}: more than ${maxItemsets} frequent itemsets (option 'maxItemsets'); raise minSupport, lower maxLength, or raise maxItemsets if memory allows`,
  );
}

/**
 * Mines every frequent itemset of two or more items from `root` into `store` (single items are
 * the caller's, from the exact first-pass counts). FP-growth (Han, Pei & Yin 2000): for each item,
 * from the least frequent up, the paths above its nodes form its conditional pattern base; the
 * base's frequent items make a conditional FP-tree, mined recursively; a tree that is a single
 * path yields every combination of its nodes directly. Conditional trees reuse one buffer per
 * recursion depth, so memory is the trees on the current recursion path, never the candidates.
 */
export function mineFpTree(
  context: string,
  root: FpTree,
  limits: MiningLimits,
  store: ItemsetStore,
): MiningStop | null {
  const { itemCount, minCount, maxItemsets, maxNodes, deadline } = limits;
  const maxLength = Math.min(limits.maxLength, itemCount);
  const trees: FpTree[] = [root];
  const conditionalCount = new Int32Array(itemCount);
  const touched = new Int32Array(itemCount);
  const prefix = new Int32Array(maxLength + 1);
  const path = new Int32Array(itemCount);
  const pathCounts = new Int32Array(itemCount);
  let liveNodes = root.size;
  let builds = 0;

  const emit = (length: number, count: number): void => {
    store.add(prefix, length, count);
    if (store.size > maxItemsets) throw itemsetLimitError(context, maxItemsets);
  };

  const conditionalTree = (source: FpTree, rank: number, depth: number): FpTree | null => {
    if ((++builds & 63) === 0 && performance.now() > deadline) throw stop('time');
    const { parent, item, count, nextSame } = source;
    let touchedCount = 0;
    for (let node = source.head[rank]!; node !== -1; node = nextSame[node]!) {
      const weight = count[node]!;
      for (let ancestor = parent[node]!; ancestor > 0; ancestor = parent[ancestor]!) {
        const ancestorRank = item[ancestor]!;
        if (conditionalCount[ancestorRank] === 0) touched[touchedCount++] = ancestorRank;
        conditionalCount[ancestorRank]! += weight;
      }
    }
    let frequent = 0;
    for (let i = 0; i < touchedCount; i++) if (conditionalCount[touched[i]!]! >= minCount) frequent++;
    if (frequent === 0) {
      for (let i = 0; i < touchedCount; i++) conditionalCount[touched[i]!] = 0;
      return null;
    }
    let target = trees[depth];
    if (target === undefined) {
      target = new FpTree(itemCount, Math.min(source.size, 1024));
      trees[depth] = target;
    }
    target.clear();
    for (let node = source.head[rank]!; node !== -1; node = nextSame[node]!) {
      let length = 0;
      for (let ancestor = parent[node]!; ancestor > 0; ancestor = parent[ancestor]!) {
        const ancestorRank = item[ancestor]!;
        if (conditionalCount[ancestorRank]! >= minCount) path[length++] = ancestorRank;
      }
      if (length === 0) continue;
      // Walking up gave descending ranks; the tree wants them ascending.
      for (let low = 0, high = length - 1; low < high; low++, high--) {
        const swap = path[low]!;
        path[low] = path[high]!;
        path[high] = swap;
      }
      liveNodes += target.insert(path, length, count[node]!);
      if (liveNodes > maxNodes) throw stop('nodes');
    }
    for (let i = 0; i < touchedCount; i++) conditionalCount[touched[i]!] = 0;
    return target;
  };

  const combinations = (start: number, end: number, length: number, room: number, count: number): void => {
    emit(length, count);
    if (room === 0) return;
    for (let j = start; j < end; j++) {
      prefix[length] = path[j]!;
      combinations(j + 1, end, length + 1, room - 1, count);
    }
  };

  const singlePath = (tree: FpTree, prefixLength: number): void => {
    let length = 0;
    for (let node = tree.firstChild[0]!; node !== -1; node = tree.firstChild[node]!) {
      path[length] = tree.item[node]!;
      pathCounts[length] = tree.count[node]!;
      length++;
    }
    // An itemset's count on a path is the count of its deepest node.
    const room = maxLength - prefixLength;
    for (let deepest = 0; deepest < length; deepest++) {
      prefix[prefixLength] = path[deepest]!;
      combinations(0, deepest, prefixLength + 1, room - 1, pathCounts[deepest]!);
    }
  };

  /**
   * An item with a single node has a single-path conditional base: every set of its ancestors,
   * with the node's count. `prefix[0..prefixLength)` (ending in the item) is already emitted.
   */
  const singleNode = (tree: FpTree, node: number, prefixLength: number): void => {
    let length = 0;
    for (let ancestor = tree.parent[node]!; ancestor > 0; ancestor = tree.parent[ancestor]!)
      path[length++] = tree.item[ancestor]!;
    const count = tree.count[node]!;
    const room = maxLength - prefixLength;
    for (let j = 0; j < length && room > 0; j++) {
      prefix[prefixLength] = path[j]!;
      combinations(j + 1, length, prefixLength + 1, room - 1, count);
    }
  };

  const mine = (tree: FpTree, depth: number, prefixLength: number): void => {
    if (!tree.branching) {
      singlePath(tree, prefixLength);
      return;
    }
    for (let i = 0; i < tree.presentCount; i++) {
      const rank = tree.present[i]!;
      prefix[prefixLength] = rank;
      emit(prefixLength + 1, tree.support[rank]!);
      if (prefixLength + 1 >= maxLength) continue;
      const head = tree.head[rank]!;
      if (tree.nextSame[head] === -1) {
        singleNode(tree, head, prefixLength + 1);
        continue;
      }
      const child = conditionalTree(tree, rank, depth + 1);
      if (child !== null) {
        mine(child, depth + 1, prefixLength + 1);
        liveNodes -= child.size - 1;
      }
    }
  };

  let rank = itemCount - 1;
  try {
    if (maxLength >= 2) {
      for (; rank >= 0; rank--) {
        if (performance.now() > deadline) throw stop('time');
        prefix[0] = rank;
        const head = root.head[rank]!;
        if (head === -1) continue;
        if (root.nextSame[head] === -1 && root.count[head]! >= minCount) {
          singleNode(root, head, 1);
          continue;
        }
        const child = conditionalTree(root, rank, 1);
        if (child !== null) {
          mine(child, 1, 1);
          liveNodes -= child.size - 1;
        }
      }
    }
    return null;
  } catch (error) {
    if (!isStop(error)) throw error;
    const incompleteRanks: number[] = [];
    for (let open = rank; open >= 0; open--) incompleteRanks.push(open);
    return { reason: error[stopSignal], incompleteRanks };
  }
}
