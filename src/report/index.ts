/**
 * Charts (Vega-Lite specs), server-side SVG rendering and the self-contained HTML report.
 *
 * @packageDocumentation
 */
export { buildReport } from './build-report.js';
export type { BuildReportOptions, KeyFigure, ReportChart, ReportSection, ReportTable } from './build-report.js';
export { renderSvg } from './render-svg.js';
export { vegaLiteSchema } from './vega-lite-spec.js';
export type { VegaLiteSpec } from './vega-lite-spec.js';
