import type { SyntheticOperator } from '../../data/index.js';

/** What every section of the operator report gets: the data, the seed, and a progress callback. */
export interface AnalysisContext {
  readonly operator: SyntheticOperator;
  readonly seed: number;
  /** First moment after the data (`operator.end`), epoch ms. */
  readonly asOf: number;
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
