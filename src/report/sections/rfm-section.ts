import { pareto, paretoCustomers, rfm } from '../../rfm/index.js';
import type { ReportSection } from '../build-report.js';
import { lorenzChart, rfmHeatmapChart, rfmSegmentChart } from '../charts/rfm-charts.js';
import { type AnalysisContext, percent, type SectionResult } from './analysis-context.js';
import { usageTrendByChunk } from './calls-by-chunk.js';

/**
 * Customer value: RFM scores and segments from the payments, the 80/20 view, and who is using more
 * or less month after month.
 *
 * @example
 * (await rfmSection(context)).summary; // => 'top 20% of customers bring 55.1% of revenue ...'
 */
export async function rfmSection(context: AnalysisContext): Promise<SectionResult<ReportSection>> {
  const { operator } = context;
  const result = rfm(operator.payments, { asOf: context.asOf });
  const view = pareto(result.customers, { top: 0.2 });
  const eighty = paretoCustomers(result.customers, { share: 0.8 }).length;
  const trend = await usageTrendByChunk(context.calls, { periods: 4, asOf: context.asOf });
  const rising = trend.customers.filter((row) => row.direction === 'rising').length;
  const falling = trend.customers.filter((row) => row.direction === 'falling').length;
  const champions = result.segments.find((row) => row.segment === 'Champions');
  return {
    summary: `top 20% of customers bring ${percent(view.topShare)} of revenue (Gini ${view.gini.toFixed(3)}); ${falling} subscribers falling, ${rising} rising`,
    section: {
      id: 'rfm',
      title: 'Customer value (RFM)',
      summary: `${result.customers.length.toLocaleString('en-US')} paying customers scored on recency, frequency and monetary value. The top 20% bring ${percent(view.topShare)} of revenue; ${eighty.toLocaleString('en-US')} customers (${percent(eighty / result.customers.length)}) bring 80%. ${falling} subscribers' usage is falling and ${rising} rising over the last four months.`,
      keyFigures: [
        { label: 'customers scored', value: result.customers.length },
        { label: 'revenue share of top 20%', value: percent(view.topShare) },
        { label: 'Gini of revenue', value: view.gini },
        { label: 'Champions', value: champions?.customers ?? 0 },
        { label: 'usage falling', value: falling },
        { label: 'usage rising', value: rising },
      ],
      charts: [
        { title: 'Segments', spec: rfmSegmentChart(result) },
        { title: 'R x F grid', spec: rfmHeatmapChart(result) },
        { title: 'Lorenz curve', spec: lorenzChart(view) },
      ],
      tables: [
        {
          title: 'Segments',
          rows: result.segments.map((row) => ({
            segment: row.segment,
            customers: row.customers,
            'customer share': percent(row.customerShare),
            'revenue share': percent(row.revenueShare),
            'mean recency (days)': row.meanRecencyDays,
            'mean frequency': row.meanFrequency,
            'mean monetary': row.meanMonetary,
          })),
        },
        {
          title: 'Steepest falling usage (retention candidates)',
          rows: trend.customers
            .filter((row) => row.direction === 'falling')
            .toSorted((a, b) => a.relativeSlope - b.relativeSlope || a.customerId.localeCompare(b.customerId))
            .slice(0, 10)
            .map((row) => ({
              subscriber: row.customerId,
              'slope per month (share of mean)': row.relativeSlope,
              series: row.series,
            })),
        },
      ],
      method: `rfm(payments, { asOf: ${operator.end}, bins 5, quantile scoring, frequency = events, monetary = sum }) with the default ten-segment scheme; breakpoints R ${result.breakpoints.recency.join('/')}, F ${result.breakpoints.frequency.join('/')}, M ${result.breakpoints.monetary.join('/')}; pareto(top 0.2); usageTrend(calls, last 4 whole months, CDR counts, threshold 0.1 of the mean per month).`,
    },
  };
}
