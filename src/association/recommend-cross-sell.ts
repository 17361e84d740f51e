import { OptionError } from '../data/errors.js';
import type { AssociationRule } from './association-rules.js';
import { checkBasket } from './transaction-input.js';

/** Options of {@link recommendCrossSell}. */
export interface CrossSellOptions {
  /** How many items to recommend at most. @defaultValue 5 */
  readonly topN?: number | undefined;
}

/** One recommended item, the score it ranks by, and the rule that suggests it. */
export interface CrossSellRecommendation {
  readonly item: string;
  /** confidence x lift of the best rule suggesting the item. */
  readonly score: number;
  readonly confidence: number;
  readonly lift: number;
  readonly rule: AssociationRule;
}

const context = 'recommendCrossSell';

/**
 * Items the customer lacks, suggested by rules whose whole antecedent is in the customer's basket,
 * ranked by confidence x lift (each item keeps its best rule; ties by item name). A rule suggests
 * every consequent item the basket does not hold.
 *
 * @example
 * const baskets = [['milk', 'bread'], ['bread', 'butter'], ['beer'], ['milk', 'bread', 'butter'], ['bread', 'butter']];
 * const rules = associationRules(fpGrowth(baskets, { minSupport: 0.4 }), { minConfidence: 0.6 });
 * recommendCrossSell(rules, ['milk'], { topN: 3 });
 * // => [{ item: 'bread', score: 1.25, confidence: 1, lift: 1.25, rule: { antecedent: ['milk'], consequent: ['bread'], ... } }]
 */
export function recommendCrossSell(
  rules: readonly AssociationRule[],
  basket: readonly string[],
  options: CrossSellOptions = {},
): CrossSellRecommendation[] {
  const topN = options.topN ?? 5;
  if (!Number.isSafeInteger(topN) || topN < 1) {
    throw new OptionError(context, 'topN', `must be a positive integer, received ${String(topN)}`);
  }
  checkBasket(context, basket, 1);
  if (!Array.isArray(rules as unknown))
    throw new OptionError(context, 'rules', 'must be an array of association rules');
  const held = new Set(basket);
  const best = new Map<string, CrossSellRecommendation>();
  for (const rule of rules) {
    if (!rule.antecedent.every((item) => held.has(item))) continue;
    const score = rule.confidence * rule.lift;
    for (const item of rule.consequent) {
      if (held.has(item)) continue;
      const current = best.get(item);
      if (current === undefined || score > current.score) {
        best.set(item, { item, score, confidence: rule.confidence, lift: rule.lift, rule });
      }
    }
  }
  return [...best.values()]
    .sort((a, b) => b.score - a.score || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0))
    .slice(0, topN);
}
