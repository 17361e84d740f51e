/**
 * Call-pattern association mining: usage baskets from call detail records, FP-growth frequent
 * itemsets, association rules with their interest measures, and cross-sell recommendations.
 *
 * @packageDocumentation
 */

export type {
  AssociationRule,
  AssociationRulesOptions,
  ItemConstraint,
  ItemsetCounts,
} from './association-rules.js';
export { associationRules } from './association-rules.js';
export type {
  BasketGrouping,
  BasketUsage,
  CallBasket,
  CallBasketsOptions,
  CallItemThresholds,
} from './call-baskets.js';
export { callBaskets, callItems, defaultCallItemThresholds } from './call-baskets.js';
export type {
  FpGrowthOptions,
  FrequentItemset,
  FrequentItemsets,
  ItemsetFilter,
  MinimumSupport,
  MiningBudget,
  MiningTruncation,
  TransactionInput,
} from './fp-growth.js';
export { fpGrowth } from './fp-growth.js';
export type { CrossSellOptions, CrossSellRecommendation } from './recommend-cross-sell.js';
export { recommendCrossSell } from './recommend-cross-sell.js';
export type { RuleMetrics } from './rule-metrics.js';
