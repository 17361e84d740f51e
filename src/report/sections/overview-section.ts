import type { ReportSection } from '../build-report.js';
import { chartFrame } from '../charts/chart-frame.js';
import type { AnalysisContext, SectionResult } from './analysis-context.js';

/**
 * The operator at a glance: subscribers, CDRs, revenue by month and service.
 *
 * @example
 * (await overviewSection({ operator, calls: callsInMemory(operator.calls), seed: 42, asOf: Date.parse(operator.end), shared: {} })).section.title; // => 'The operator'
 */
export async function overviewSection(context: AnalysisContext): Promise<SectionResult<ReportSection>> {
  const { operator } = context;
  const usage = await context.calls.cube({
    dimensions: ['month', 'service'],
    measures: { revenue: 'sum:charge', calls: 'count' },
    grouping: 'none',
  });
  let usageRevenue = 0;
  let callCount = 0;
  for (const row of usage.rows) {
    usageRevenue += Number(row.revenue ?? 0);
    callCount += Number(row.calls);
  }
  const payments = operator.payments.reduce((sum, payment) => sum + payment.amount, 0);
  const values = usage.rows.map((row) => ({
    month: row.month,
    service: row.service,
    revenue: Math.round(Number(row.revenue ?? 0) * 100) / 100,
  }));
  const prepaid = operator.subscribers.filter((subscriber) => subscriber.contract === 'prepaid').length;
  return {
    summary: `${operator.subscribers.length} subscribers, ${callCount} CDRs, ${operator.start} to ${operator.end}`,
    section: {
      id: 'overview',
      title: 'The operator',
      summary: `A synthetic operator of ${operator.subscribers.length.toLocaleString('en-US')} subscribers over ${operator.months} months (${operator.start} to ${operator.end}), with planted segments, churners and fraud as ground truth.`,
      keyFigures: [
        { label: 'subscribers', value: operator.subscribers.length },
        { label: 'prepaid share', value: `${((100 * prepaid) / operator.subscribers.length).toFixed(1)}%` },
        { label: 'CDRs', value: callCount },
        { label: 'usage revenue', value: Math.round(usageRevenue) },
        { label: 'payments received', value: Math.round(payments) },
      ],
      charts: [
        {
          title: 'Usage revenue by month and service',
          spec: chartFrame('Usage revenue by month and service', {
            data: { values },
            mark: 'bar',
            encoding: {
              x: { field: 'month', type: 'ordinal', title: 'month' },
              y: { field: 'revenue', type: 'quantitative', title: 'revenue', stack: 'zero' },
              color: { field: 'service', type: 'nominal' },
            },
          }),
        },
      ],
      tables: [
        {
          title: 'Tariff plans',
          rows: operator.plans.map((plan) => ({
            plan: plan.planId,
            name: plan.name,
            kind: plan.kind,
            'monthly fee': plan.monthlyFeeCents / 100,
            'included minutes': plan.includedMinutes,
            'included SMS': plan.includedSms,
            'included MB': plan.includedMb,
            subscribers: operator.subscribers.filter((subscriber) => subscriber.planId === plan.planId)
              .length,
          })),
        },
      ],
      method: `generateOperator({ subscribers: ${operator.subscribers.length}, months: ${operator.months}, seed: ${operator.seed} }); revenue is the sum of the CDR charges rated under each subscriber's plan (monthly fees excluded)${context.calls.where === 'memory' ? '' : `, summed in ${context.calls.where}`}.`,
    },
  };
}
