import type { SyntheticOperator } from '../../data/index.js';
import type { ReportCalls } from '../report-calls.js';

/** The synthetic operator without its CDRs: those come through {@link ReportCalls}. */
export type ReportOperator = Omit<SyntheticOperator, 'calls'>;

/** What every section of the operator report gets: the data, the seed, and a progress callback. */
export interface AnalysisContext {
  readonly operator: ReportOperator;
  /** The CDRs: in memory or in an engine. */
  readonly calls: ReportCalls;
  readonly seed: number;
  /** First moment after the data (`operator.end`), epoch ms. */
  readonly asOf: number;
  /** Results one analysis hands to a later one (the churn scores feed the promotion simulation). */
  readonly shared: SharedResults;
}

/** Results passed between sections of one report. */
export interface SharedResults {
  /** Churn probability and risk band per subscriber, from the churn section's logistic model. */
  churnScores?: ReadonlyMap<string, { readonly probability: number; readonly band: string }>;
}

/** A finished section with the short summary line the demo prints. */
export interface SectionResult<Section> {
  readonly section: Section;
  readonly summary: string;
}

/** Percent with one decimal. */
export function percent(share: number): string {
  return `${(100 * share).toFixed(1)}%`;
}
