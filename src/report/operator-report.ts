import { type CallRecord, OptionError } from '../data/index.js';
import type { ReportSection } from './build-report.js';
import { callsInMemory, type ReportCalls } from './report-calls.js';
import type { AnalysisContext, ReportOperator, SectionResult } from './sections/analysis-context.js';
import { associationSection } from './sections/association-section.js';
import { churnSection } from './sections/churn-section.js';
import { fraudSection } from './sections/fraud-section.js';
import { olapSection } from './sections/olap-section.js';
import { overviewSection } from './sections/overview-section.js';
import { rfmSection } from './sections/rfm-section.js';
import { segmentationSection } from './sections/segmentation-section.js';
import { simulationSection } from './sections/simulation-section.js';
import { valueSection } from './sections/value-section.js';

/** Options of {@link operatorReport}. */
export interface OperatorReportOptions {
  /** Seed of every model fitted in the analysis. @defaultValue the operator's seed */
  readonly seed?: number;
  /** Called before each analysis starts, with its name and position. */
  readonly onStep?: (step: string, index: number, total: number) => void;
  /**
   * Where the CDRs are when they are not in `operator.calls`: e.g. `callsInEngine(table)` for CDRs
   * registered in DuckDB or ClickHouse, aggregated there and streamed in subscriber chunks.
   * @defaultValue `callsInMemory(operator.calls)`
   */
  readonly calls?: ReportCalls;
}

/** The report's sections and one summary line per analysis. */
export interface OperatorReport {
  readonly sections: ReportSection[];
  readonly summary: { readonly step: string; readonly summary: string }[];
}

type Step = readonly [
  name: string,
  run: (context: AnalysisContext) => SectionResult<ReportSection> | Promise<SectionResult<ReportSection>>,
];

const steps: readonly Step[] = [
  ['overview', overviewSection],
  ['RFM', rfmSection],
  ['segmentation', segmentationSection],
  ['churn', churnSection],
  ['customer value', valueSection],
  ['association rules', associationSection],
  ['promotion simulation', simulationSection],
  ['fraud rules', fraudSection],
  ['OLAP roll-ups', olapSection],
];

/**
 * Runs the whole analysis over a synthetic operator (each capability in turn) and returns the
 * report sections, ready for {@link buildReport}. Deterministic for a given operator and seed.
 *
 * @example
 * const operator = generateOperator({ subscribers: 5000, months: 6, seed: 42 });
 * const report = await operatorReport(operator);
 * const html = await buildReport(report.sections, { title: 'Operator analytics' });
 */
export async function operatorReport(
  operator: ReportOperator & { readonly calls?: readonly CallRecord[] },
  options: OperatorReportOptions = {},
): Promise<OperatorReport> {
  const calls = options.calls ?? (operator.calls === undefined ? undefined : callsInMemory(operator.calls));
  if (calls === undefined)
    throw new OptionError('operatorReport', 'calls', 'is required when the operator holds no calls');
  const context: AnalysisContext = {
    operator,
    calls,
    seed: options.seed ?? operator.seed,
    asOf: Date.parse(`${operator.end}T00:00:00Z`),
    shared: {},
  };
  const sections: ReportSection[] = [];
  const summary: { step: string; summary: string }[] = [];
  for (const [index, [step, run]] of steps.entries()) {
    options.onStep?.(step, index, steps.length);
    const result = await run(context);
    sections.push(result.section);
    summary.push({ step, summary: result.summary });
  }
  return { sections, summary };
}
