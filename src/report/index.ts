/**
 * Charts (Vega-Lite specs), server-side SVG rendering and the self-contained HTML report.
 *
 * @packageDocumentation
 */

export type {
  BuildReportOptions,
  KeyFigure,
  ReportChart,
  ReportSection,
  ReportTable,
} from './build-report.js';
export { buildReport } from './build-report.js';
export { ruleScatterChart } from './charts/association-charts.js';
export {
  calibrationChart,
  coefficientChart,
  liftChart,
  precisionRecallChart,
  rocCurveChart,
} from './charts/churn-charts.js';
export { fraudAlertsChart } from './charts/fraud-charts.js';
export { olapTrendChart } from './charts/olap-charts.js';
export { lorenzChart, rfmHeatmapChart, rfmSegmentChart } from './charts/rfm-charts.js';
export { kSelectionChart, segmentProfileChart } from './charts/segmentation-charts.js';
export {
  optimisationFrontierChart,
  optimizationFrontierChart,
  promotionEffectsChart,
  promotionRevenueChart,
} from './charts/simulation-charts.js';
export { probabilityAliveChart, valueTierChart } from './charts/value-charts.js';
export { callsInEngine } from './engine-calls.js';
export type { OperatorReport, OperatorReportOptions } from './operator-report.js';
export { operatorReport } from './operator-report.js';
export { renderSvg } from './render-svg.js';
export type { ReportCalls } from './report-calls.js';
export { callsInMemory } from './report-calls.js';
export type {
  AnalysisContext,
  ReportOperator,
  SectionResult,
  SharedResults,
} from './sections/analysis-context.js';
export { associationSection } from './sections/association-section.js';
export { churnSection } from './sections/churn-section.js';
export { fraudSection } from './sections/fraud-section.js';
export { olapSection } from './sections/olap-section.js';
export { overviewSection } from './sections/overview-section.js';
export { rfmSection } from './sections/rfm-section.js';
export { segmentationSection } from './sections/segmentation-section.js';
export { simulationSection } from './sections/simulation-section.js';
export { valueSection } from './sections/value-section.js';
export type { VegaLiteSpec } from './vega-lite-spec.js';
export { vegaLiteSchema } from './vega-lite-spec.js';
