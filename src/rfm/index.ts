/**
 * Recency, frequency and monetary (RFM) value scoring, segments, the 80/20 view and usage trends.
 *
 * @packageDocumentation
 */

export type {
  LorenzPoint,
  ParetoCustomer,
  ParetoCustomersOptions,
  ParetoOptions,
  ParetoResult,
  ParetoRow,
} from './pareto.js';
export { pareto, paretoCustomers } from './pareto.js';
export type { PaymentInput } from './rfm.js';
export { rfm } from './rfm.js';
export type { CallInput } from './rfm-from-calls.js';
export { rfmFromCalls } from './rfm-from-calls.js';
export type { CustomerValues } from './rfm-from-values.js';
export { rfmFromValues } from './rfm-from-values.js';
export type {
  FrequencyMeasure,
  IntervalClosure,
  MonetaryMeasure,
  RfmBreakpoints,
  RfmOptions,
  RfmScoring,
} from './rfm-options.js';
export type { CollapsedBins, RfmResult, RfmRow, UsedBreakpoints } from './rfm-result.js';
export type { SegmentPreset, SegmentRule } from './segment-schemes.js';
export { defaultSegments, rfmPackageSegments } from './segment-schemes.js';
export type { SegmentSummary } from './segment-summary.js';
export type {
  TrendDirection,
  TrendPeriod,
  UsageTrendOptions,
  UsageTrendResult,
  UsageTrendRow,
} from './usage-trend.js';
export { usageTrend } from './usage-trend.js';
