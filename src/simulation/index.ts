/**
 * Tariff plans as data, rating (charging each CDR), bill runs and promotion simulation.
 *
 * @packageDocumentation
 */

export { concatEncodedCalls } from './concat-encoded-calls.js';
export type { EncodedCalls } from './encode-calls.js';
export { encodeCalls } from './encode-calls.js';
export type { TariffFinding, TariffLint } from './lint-tariff.js';
export { lintTariff } from './lint-tariff.js';
export type {
  GridParameter,
  OptimizePromotionInput,
  PromotionCandidate,
  PromotionOptimisation,
  PromotionOptimization,
} from './optimize-promotion.js';
export { optimizePromotion } from './optimize-promotion.js';
export type {
  BundlePriceComponent,
  FixedDiscountComponent,
  FreeUnitsComponent,
  GroupDiscountComponent,
  PercentOffComponent,
  Promotion,
  PromotionComponent,
  PromotionEligibility,
  RateOverrideComponent,
  SpendRebateComponent,
  TieredPricingComponent,
  UsageSelector,
} from './promotion.js';
export type { RateCallsOptions, RatedCallRow, RatedCalls } from './rate-calls.js';
export { cycleStartDate, rateCalls, ratedCallRows } from './rate-calls.js';
export type { BillCycle, BillCycleInput, Invoice, InvoiceLine, RevenueTotal } from './run-bill-cycle.js';
export { runBillCycle } from './run-bill-cycle.js';
export type {
  BridgeRow,
  PromotionSimulation,
  SimulatePromotionInput,
  SimulationGroup,
  SimulationInterval,
} from './simulate-promotion.js';
export { simulatePromotion } from './simulate-promotion.js';
export { tariffFromOperatorPlan } from './tariff-from-operator-plan.js';
export type {
  RoamingSurcharge,
  RoundingRule,
  ServiceMeasure,
  TariffAllowance,
  TariffPlan,
  TariffRate,
  TariffService,
  TimeBand,
} from './tariff-plan.js';
export { validatePromotion } from './validate-promotion.js';
export { validateTariff } from './validate-tariff.js';
