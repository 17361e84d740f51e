import type { ReportSection } from '../build-report.js';
import { olapTrendChart } from '../charts/olap-charts.js';
import type { AnalysisContext, SectionResult } from './analysis-context.js';

/**
 * An OLAP roll-up of the CDRs: month x region x service with revenue, minutes, active subscribers
 * and ARPU (re-derived at every level), with the monthly trend per service and the regional view.
 *
 * @example
 * (await olapSection(context)).section.tables?.[0]?.title; // => 'Revenue and ARPU by region'
 */
export async function olapSection(context: AnalysisContext): Promise<SectionResult<ReportSection>> {
  const result = await context.calls.cube({
    dimensions: ['month', 'region', 'service'],
    measures: {
      revenue: 'sum:charge',
      minutes: 'sum:durationSec',
      subscribers: 'countDistinct:subscriberId',
      arpu: 'ratio:revenue/subscribers',
    },
    grouping: 'cube',
  });
  const round = (value: unknown) => (typeof value === 'number' ? Math.round(value * 100) / 100 : value);
  // grouping bits: month = 4, region = 2, service = 1; a set bit means "all".
  const byRegion = result.rows
    .filter((row) => row.grouping === 5)
    .map((row) => ({
      region: row.region ?? '(none)',
      revenue: round(row.revenue),
      minutes: Math.round(Number(row.minutes ?? 0) / 60),
      subscribers: row.subscribers,
      ARPU: round(row.arpu),
    }));
  const total = result.rows.find((row) => row.grouping === 7);
  return {
    summary: `${result.rows.length} cube rows over ${result.groupingSets.length} grouping sets; total ARPU ${Number(round(total?.arpu)).toFixed(2)}`,
    section: {
      id: 'olap',
      title: 'Usage and revenue roll-ups (OLAP)',
      summary: `A cube over month x region x service: ${result.rows.length} rows from detail to grand total, ARPU re-derived at every level (revenue / distinct subscribers).`,
      keyFigures: [
        { label: 'total usage revenue', value: Number(round(total?.revenue)) },
        { label: 'active subscribers', value: Number(total?.subscribers ?? 0) },
        { label: 'ARPU over the period', value: Number(round(total?.arpu)) },
      ],
      charts: [{ title: 'Revenue trend', spec: olapTrendChart(result, 'month', 'service', 'revenue') }],
      tables: [{ title: 'Revenue and ARPU by region', rows: byRegion }],
      method:
        "cube(calls, { dimensions: ['month', 'region', 'service'], measures: revenue = sum:charge, minutes = sum:durationSec, subscribers = countDistinct:subscriberId, arpu = ratio:revenue/subscribers, grouping: 'cube' }). Regions of roaming usage appear as 'abroad'.",
    },
  };
}
