/**
 * Customer value and lifetime: the buy-till-you-die summary, BG/NBD (who is still active and how
 * much they will buy), Gamma-Gamma (what each purchase is worth), the shifted-beta-geometric model
 * of contract retention, customer lifetime value, value tiers and retention priority.
 *
 * @packageDocumentation
 */

export type { CustomerHistory } from './bg-nbd-predictions.js';
export {
  conditionalExpectedPurchases,
  expectedPurchases,
  probabilityAlive,
} from './bg-nbd-predictions.js';
export type { CustomerLifetimeValueOptions, CustomerValue, ValuePeriod } from './customer-lifetime-value.js';
export { customerLifetimeValue } from './customer-lifetime-value.js';
export type { ResidualLifetimeOptions } from './discounted-expected-residual-lifetime.js';
export { discountedExpectedResidualLifetime } from './discounted-expected-residual-lifetime.js';
export type { PurchaseValueHistory } from './expected-average-value.js';
export { expectedAverageValue } from './expected-average-value.js';
export type { BgNbdModel, BgNbdParameters, FitBgNbdOptions } from './fit-bg-nbd.js';
export { fitBgNbd } from './fit-bg-nbd.js';
export type { FitGammaGammaOptions, GammaGammaModel, GammaGammaParameters } from './fit-gamma-gamma.js';
export { fitGammaGamma } from './fit-gamma-gamma.js';
export type {
  FitShiftedBetaGeometricOptions,
  RetentionCohort,
  ShiftedBetaGeometricModel,
  ShiftedBetaGeometricParameters,
} from './fit-shifted-beta-geometric.js';
export { fitShiftedBetaGeometric } from './fit-shifted-beta-geometric.js';
export type { ConvergenceReport } from './newton-optimizer.js';
export type { RetentionPoint } from './retention-curve.js';
export { retentionCurve } from './retention-curve.js';
export type {
  ChurnProbabilityRow,
  CustomerValueInput,
  RetentionPriorityOptions,
  RetentionPriorityRow,
} from './retention-priority.js';
export { retentionPriority } from './retention-priority.js';
export type { SimulateBgNbdOptions, SimulatedSummary } from './simulate-bg-nbd.js';
export { simulateBgNbdCustomers } from './simulate-bg-nbd.js';
export type {
  CustomerSummary,
  PurchaseMerge,
  SummarizeTransactionsOptions,
  TransactionSummary,
} from './summarize-transactions.js';
export { summarizeTransactions } from './summarize-transactions.js';
export type { SummaryColumns, SummaryInput, SummaryReadOptions, SummaryRow } from './summary-input.js';
export type { TimeUnit, ValueOptionsBase } from './value-options.js';
export type {
  TieredCustomer,
  TierSummary,
  ValueTier,
  ValueTiersOptions,
  ValueTiersResult,
} from './value-tiers.js';
export { defaultValueTiers, valueTiers } from './value-tiers.js';
