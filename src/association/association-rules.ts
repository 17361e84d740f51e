import { DataError, OptionError, TelcoAnalyticsError } from '../data/errors.js';
import { fisherExactPValue } from './fisher-exact-test.js';
import type { ItemsetFilter, MiningTruncation } from './fp-growth.js';
import { ItemsetStore } from './itemset-store.js';
import { type RuleMetrics, ruleMetrics } from './rule-metrics.js';

/** Which items may appear on one side of a rule. Every given condition must hold. */
export interface ItemConstraint {
  /** Every item on this side is one of these (e.g. the services we sell). @defaultValue any item */
  readonly only?: readonly string[] | undefined;
  /** At least one item on this side is one of these. @defaultValue no condition */
  readonly anyOf?: readonly string[] | undefined;
  /** None of these items is on this side. @defaultValue no condition */
  readonly none?: readonly string[] | undefined;
}

/** Options of {@link associationRules}. */
export interface AssociationRulesOptions {
  /** Keep rules with at least this confidence (arules' and mlxtend's default). @defaultValue 0.8 */
  readonly minConfidence?: number | undefined;
  /** Keep rules with at least this lift. @defaultValue 0 (no condition) */
  readonly minLift?: number | undefined;
  /** Largest number of items in a consequent (arules mines 1 only). @defaultValue 1 */
  readonly maxConsequent?: number | undefined;
  /** Appearance constraint on the antecedent (left-hand side). @defaultValue none */
  readonly antecedent?: ItemConstraint | undefined;
  /** Appearance constraint on the consequent (right-hand side). @defaultValue none */
  readonly consequent?: ItemConstraint | undefined;
  /**
   * Drop a rule X => Y when a more general rule X' => Y (X' a non-empty proper subset of X) has
   * the same or a higher confidence (arules' `is.redundant`, improvement <= 0). The general rules
   * are looked up in the itemsets, whether or not they pass the other filters. @defaultValue false
   */
  readonly pruneRedundant?: boolean | undefined;
  /** Add `fisherPValue`, the one-sided Fisher exact test of positive association. @defaultValue false */
  readonly fisherTest?: boolean | undefined;
  /** Stop with a `LIMIT_EXCEEDED` error beyond this many rules. @defaultValue 1_000_000 */
  readonly maxRules?: number | undefined;
}

/** Itemsets with counts, as {@link fpGrowth} returns them; every frequent itemset must be present. */
export interface ItemsetCounts {
  readonly itemsets: readonly { readonly items: readonly string[]; readonly count: number }[];
  readonly transactionCount: number;
  readonly filter?: ItemsetFilter;
  /** A budget-truncated result lacks itemsets that rules need, so it is refused. */
  readonly truncation?: MiningTruncation | null;
}

/**
 * A rule X => Y ("baskets holding X also hold Y") with its interest measures, where s() is the
 * share of baskets holding an itemset:
 * - `support` s(X ∪ Y); `antecedentSupport` s(X); `consequentSupport` s(Y); `count` baskets holding X ∪ Y
 * - `confidence` s(X ∪ Y) / s(X); `lift` confidence / s(Y); `leverage` s(X ∪ Y) - s(X) s(Y)
 * - `conviction` (1 - s(Y)) / (1 - confidence), `Infinity` when confidence is 1
 * - `zhang` leverage / max(s(X ∪ Y)(1 - s(X)), s(X)(s(Y) - s(X ∪ Y))), in [-1, 1] (0 when undefined)
 * - `jaccard` s(X ∪ Y) / (s(X) + s(Y) - s(X ∪ Y)); `kulczynski` (confidence + s(X ∪ Y) / s(Y)) / 2
 * - `certainty` (Berzal et al. 2002): (confidence - s(Y)) / (1 - s(Y)) when confidence > s(Y),
 *   (confidence - s(Y)) / s(Y) when below, 0 when equal
 * - `fisherPValue` (with `fisherTest`): one-sided Fisher exact test p-value
 */
export interface AssociationRule extends RuleMetrics {
  readonly antecedent: readonly string[];
  readonly consequent: readonly string[];
  readonly count: number;
  readonly fisherPValue?: number;
}

const context = 'associationRules';

function checkShare(option: string, value: number, max: number): number {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new OptionError(context, option, `must be a number in [0, ${max}], received ${String(value)}`);
  }
  return value;
}

function positiveInteger(option: string, value: number): number {
  if (value !== Number.POSITIVE_INFINITY && (!Number.isSafeInteger(value) || value < 1)) {
    throw new OptionError(
      context,
      option,
      `must be a positive integer or Infinity, received ${String(value)}`,
    );
  }
  return value;
}

interface SideFilter {
  readonly only: Set<number> | null;
  readonly anyOf: Set<number> | null;
  readonly none: Set<number> | null;
}

function sideFilter(
  option: string,
  constraint: ItemConstraint | undefined,
  ids: Map<string, number>,
): SideFilter {
  const toSet = (key: 'only' | 'anyOf' | 'none'): Set<number> | null => {
    const list = constraint?.[key];
    if (list === undefined) return null;
    if (!Array.isArray(list))
      throw new OptionError(context, `${option}.${key}`, 'must be an array of item names');
    const set = new Set<number>();
    for (const item of list) {
      if (typeof item !== 'string') {
        throw new OptionError(context, `${option}.${key}`, `must hold item names, received ${typeof item}`);
      }
      const id = ids.get(item);
      // An unknown item cannot appear in any rule, so it changes nothing; it is not an error.
      if (id !== undefined) set.add(id);
    }
    return set;
  };
  return { only: toSet('only'), anyOf: toSet('anyOf'), none: toSet('none') };
}

function allowedItem(filter: SideFilter, id: number): boolean {
  return (filter.only === null || filter.only.has(id)) && (filter.none === null || !filter.none.has(id));
}

function sideAccepts(filter: SideFilter, ids: ArrayLike<number>, length: number): boolean {
  let anyOf = filter.anyOf === null;
  for (let k = 0; k < length; k++) {
    const id = ids[k]!;
    if (!allowedItem(filter, id)) return false;
    if (!anyOf && filter.anyOf!.has(id)) anyOf = true;
  }
  return anyOf;
}

/** Interns and validates the itemsets into a store of sorted id arrays. */
function loadItemsets(input: ItemsetCounts): {
  store: ItemsetStore;
  ids: Map<string, number>;
  names: string[];
} {
  const ids = new Map<string, number>();
  const names: string[] = [];
  const store = new ItemsetStore();
  const total = input.transactionCount;
  const scratch: number[] = [];
  input.itemsets.forEach((itemset, index) => {
    const row = index + 1;
    const fail = (column: string, reason: string): never => {
      throw new DataError(context, [{ row, column, reason }]);
    };
    if (typeof itemset !== 'object' || itemset === null || !Array.isArray(itemset.items)) {
      fail('items', 'expected an itemset { items: string[], count: number }');
    }
    if (!Number.isSafeInteger(itemset.count) || itemset.count < 1 || itemset.count > total) {
      fail(
        'count',
        `must be an integer in 1..transactionCount (${total}), received ${String(itemset.count)}`,
      );
    }
    if (itemset.items.length === 0) fail('items', 'an itemset needs at least one item');
    scratch.length = 0;
    for (const item of itemset.items) {
      if (typeof item !== 'string') fail('items', `items must be strings, received ${typeof item}`);
      let id = ids.get(item);
      if (id === undefined) {
        id = names.length;
        ids.set(item, id);
        names.push(item);
      }
      scratch.push(id);
    }
    scratch.sort((a, b) => a - b);
    for (let k = 1; k < scratch.length; k++)
      if (scratch[k] === scratch[k - 1]) fail('items', 'an item is repeated');
    store.add(scratch, scratch.length, itemset.count);
  });
  store.buildIndex();
  for (let index = 0; index < store.size; index++) {
    const from = store.offsets[index]!;
    if (store.find(store.items, from, store.lengthOf(index)) !== index) {
      throw new DataError(context, [
        { row: index + 1, column: 'items', reason: 'the same itemset appears twice' },
      ]);
    }
  }
  return { store, ids, names };
}

/**
 * Association rules X => Y from frequent itemsets (those of {@link fpGrowth}, filter `all`), with
 * support, confidence, lift, leverage, conviction, Zhang's metric, Jaccard, certainty factor,
 * Kulczynski and optionally a Fisher exact test p-value (see {@link AssociationRule}).
 *
 * Consequents grow level-wise from those that passed `minConfidence` (Agrawal & Srikant's
 * ap-genrules: a consequent can only pass if all its subsets did, since confidence falls as items
 * move from antecedent to consequent). Appearance constraints restrict either side; redundancy
 * pruning looks each rule's more general forms up in the itemsets, memoised, so it costs a few
 * lookups per rule rather than a comparison of every pair of rules. Rules are sorted by lift, then
 * confidence, then support (all descending), then items. Antecedents are never empty.
 *
 * @throws {@link DataError} when an itemset is malformed or a subset needed for a rule is missing.
 * @throws {@link OptionError} for closed/maximal or budget-truncated itemsets, and bad options.
 * @example
 * const baskets = [['milk', 'bread'], ['bread', 'butter'], ['beer'], ['milk', 'bread', 'butter'], ['bread', 'butter']];
 * const rules = associationRules(fpGrowth(baskets, { minSupport: 0.4 }), { minConfidence: 0.6 });
 * rules.map((rule) => [rule.antecedent, rule.consequent, rule.confidence, rule.lift]);
 * // => [[['butter'], ['bread'], 1, 1.25], [['milk'], ['bread'], 1, 1.25], [['bread'], ['butter'], 0.75, 1.25]]
 * associationRules(itemsets, { consequent: { only: ['data:roaming'] }, fisherTest: true }); // rules selling roaming data
 */
export function associationRules(
  itemsets: ItemsetCounts,
  options: AssociationRulesOptions = {},
): AssociationRule[] {
  if (typeof itemsets !== 'object' || itemsets === null || !Array.isArray(itemsets.itemsets)) {
    throw new TelcoAnalyticsError(
      'INVALID_DATA',
      `${context}: expected the result of fpGrowth ({ itemsets, transactionCount })`,
    );
  }
  const total = itemsets.transactionCount;
  if (!Number.isSafeInteger(total) || total < 1) {
    throw new DataError(context, [
      { row: 1, column: 'transactionCount', reason: `must be a positive integer, received ${String(total)}` },
    ]);
  }
  if (itemsets.filter !== undefined && itemsets.filter !== 'all') {
    throw new OptionError(
      context,
      'itemsets',
      `must hold every frequent itemset, received the '${itemsets.filter}' ones only (mine with filter 'all')`,
    );
  }
  if (itemsets.truncation !== undefined && itemsets.truncation !== null) {
    throw new OptionError(
      context,
      'itemsets',
      `must be complete, but mining stopped early (${itemsets.truncation.reason} budget); raise the budget or minSupport`,
    );
  }
  const minConfidence = checkShare('minConfidence', options.minConfidence ?? 0.8, 1);
  const minLift = checkShare('minLift', options.minLift ?? 0, Number.MAX_VALUE);
  const maxConsequent = positiveInteger('maxConsequent', options.maxConsequent ?? 1);
  const maxRules = positiveInteger('maxRules', options.maxRules ?? 1_000_000);
  const pruneRedundant = options.pruneRedundant ?? false;
  const fisherTest = options.fisherTest ?? false;

  const { store, ids, names } = loadItemsets(itemsets);
  const antecedentFilter = sideFilter('antecedent', options.antecedent, ids);
  const consequentFilter = sideFilter('consequent', options.consequent, ids);

  const countOf = (source: ArrayLike<number>, length: number, owner: number): number => {
    const found = store.find(source, 0, length);
    if (found < 0) {
      const missing = Array.from({ length }, (_, k) => names[source[k]!]!);
      throw new DataError(context, [
        {
          row: owner + 1,
          column: 'items',
          reason: `its subset [${missing.join(', ')}] is not among the itemsets; rules need every frequent itemset`,
        },
      ]);
    }
    return store.counts[found]!;
  };

  // Highest confidence of X' => Y over non-empty proper subsets X' of X, memoised by (X', Y).
  const generality = new Map<string, number>();
  const bestGeneralConfidence = (
    antecedent: readonly number[],
    consequent: readonly number[],
    owner: number,
  ): number => {
    if (antecedent.length < 2) return Number.NEGATIVE_INFINITY;
    const key = `${antecedent.join(',')}>${consequent.join(',')}`;
    const known = generality.get(key);
    if (known !== undefined) return known;
    let best = Number.NEGATIVE_INFINITY;
    for (let skip = 0; skip < antecedent.length; skip++) {
      const general = antecedent.filter((_, k) => k !== skip);
      const union = [...general, ...consequent].sort((a, b) => a - b);
      const confidence = countOf(union, union.length, owner) / countOf(general, general.length, owner);
      best = Math.max(best, confidence, bestGeneralConfidence(general, consequent, owner));
    }
    generality.set(key, best);
    return best;
  };

  const rules: AssociationRule[] = [];
  const antecedent = new Int32Array(64);
  const consequent = new Int32Array(64);
  for (let index = 0; index < store.size; index++) {
    const length = store.lengthOf(index);
    if (length < 2) continue;
    const from = store.offsets[index]!;
    const items = store.items.subarray(from, from + length);
    const bothCount = store.counts[index]!;
    const antecedentBuffer = length <= 64 ? antecedent : new Int32Array(length);
    const consequentBuffer = length <= 64 ? consequent : new Int32Array(length);

    // Returns whether the consequent (positions into `items`, ascending) passes minConfidence.
    const evaluate = (positions: readonly number[]): boolean => {
      let a = 0;
      let c = 0;
      for (let k = 0, p = 0; k < length; k++) {
        if (p < positions.length && positions[p] === k) {
          consequentBuffer[c++] = items[k]!;
          p++;
        } else antecedentBuffer[a++] = items[k]!;
      }
      const antecedentCount = countOf(antecedentBuffer, a, index);
      if (bothCount / antecedentCount < minConfidence) return false;
      if (
        !sideAccepts(antecedentFilter, antecedentBuffer, a) ||
        !sideAccepts(consequentFilter, consequentBuffer, c)
      ) {
        return true;
      }
      const consequentCount = countOf(consequentBuffer, c, index);
      const metrics = ruleMetrics(antecedentCount, consequentCount, bothCount, total);
      if (metrics.lift < minLift) return true;
      const antecedentIds = Array.from(antecedentBuffer.subarray(0, a));
      const consequentIds = Array.from(consequentBuffer.subarray(0, c));
      if (pruneRedundant && bestGeneralConfidence(antecedentIds, consequentIds, index) >= metrics.confidence)
        return true;
      const rule: AssociationRule = {
        antecedent: antecedentIds.map((id) => names[id]!).sort(),
        consequent: consequentIds.map((id) => names[id]!).sort(),
        count: bothCount,
        ...metrics,
        ...(fisherTest
          ? { fisherPValue: fisherExactPValue(bothCount, antecedentCount, consequentCount, total) }
          : {}),
      };
      rules.push(rule);
      if (rules.length > maxRules) {
        throw new TelcoAnalyticsError(
          'LIMIT_EXCEEDED',
          `${context}: more than ${maxRules} rules (option 'maxRules'); raise minConfidence or minLift, or constrain the sides`,
        );
      }
      return true;
    };

    let level: number[][] = [];
    for (let k = 0; k < length; k++) {
      if (allowedItem(consequentFilter, items[k]!) && evaluate([k])) level.push([k]);
    }
    for (let size = 2; size <= Math.min(maxConsequent, length - 1) && level.length > 1; size++) {
      const passed = new Set(level.map((positions) => positions.join(',')));
      const next: number[][] = [];
      for (let i = 0; i < level.length; i++) {
        for (let j = i + 1; j < level.length; j++) {
          const left = level[i]!;
          const right = level[j]!;
          let samePrefix = true;
          for (let k = 0; k < size - 2; k++) if (left[k] !== right[k]) samePrefix = false;
          if (!samePrefix) continue;
          const candidate = [...left, right[size - 2]!].sort((a, b) => a - b);
          let subsetsPassed = true;
          for (let skip = 0; skip < size && subsetsPassed; skip++) {
            subsetsPassed = passed.has(candidate.filter((_, k) => k !== skip).join(','));
          }
          if (subsetsPassed && evaluate(candidate)) next.push(candidate);
        }
      }
      level = next;
    }
  }

  return rules.sort((a, b) => {
    if (a.lift !== b.lift) return b.lift - a.lift;
    if (a.confidence !== b.confidence) return b.confidence - a.confidence;
    if (a.support !== b.support) return b.support - a.support;
    const left = `${a.antecedent.join('\u0000')}\u0001${a.consequent.join('\u0000')}`;
    const right = `${b.antecedent.join('\u0000')}\u0001${b.consequent.join('\u0000')}`;
    return left < right ? -1 : left > right ? 1 : 0;
  });
}
