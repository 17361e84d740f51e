import type { SyntheticOperator } from '../../data/index.js';

/** What every section of the operator report gets: the data, the seed, and a progress callback. */
export interface AnalysisContext {
  readonly operator: SyntheticOperator;
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
