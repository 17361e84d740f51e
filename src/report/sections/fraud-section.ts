import { backtestAlerts, standardRules } from '../../fraud/index.js';
import type { ReportSection } from '../build-report.js';
import { fraudAlertsChart } from '../charts/fraud-charts.js';
import { type AnalysisContext, percent, type SectionResult } from './analysis-context.js';
import { fraudAlertsByChunk } from './calls-by-chunk.js';

const patternRules = [
  ['sim-box', 'sim-box'],
  ['revenue-share', 'irsf-premium-burst'],
  ['subscription', 'subscription-fraud'],
] as const;

/**
 * The starter fraud and arrears rule base over all CDRs, with each planted fraud pattern backtested
 * against the generator's labels.
 *
 * @example
 * (await fraudSection(context)).summary; // => '312 alerts; SIM-box recall 1.00 precision 1.00 ...'
 */
export async function fraudSection(context: AnalysisContext): Promise<SectionResult<ReportSection>> {
  const { operator } = context;
  const accounts = { subscribers: operator.subscribers, payments: operator.payments };
  const fraudsters = operator.truth
    .filter((truth) => truth.fraud !== null)
    .map((truth) => truth.subscriberId);
  const { alerts, population } = await fraudAlertsByChunk(context.calls, standardRules, accounts);
  const backtest = backtestAlerts(alerts, standardRules, { labels: fraudsters, population });
  const byPattern = patternRules.map(([pattern, ruleId]) => {
    const labels = operator.truth
      .filter((truth) => truth.fraud === pattern)
      .map((truth) => truth.subscriberId);
    const flagged = new Set(
      alerts.filter((alert) => alert.ruleId === ruleId).map((alert) => alert.subscriberId),
    );
    const found = labels.filter((id) => flagged.has(id)).length;
    return {
      pattern,
      rule: ruleId,
      planted: labels.length,
      flagged: flagged.size,
      recall: labels.length === 0 ? Number.NaN : found / labels.length,
      precision: flagged.size === 0 ? Number.NaN : found / flagged.size,
    };
  });
  const flaggedSubscribers = new Set(alerts.map((alert) => alert.subscriberId)).size;
  const describe = byPattern.map(
    (row) => `${row.pattern} recall ${row.recall.toFixed(2)} precision ${row.precision.toFixed(2)}`,
  );
  return {
    summary: `${alerts.length} alerts on ${flaggedSubscribers} subscribers; ${describe.join('; ')}`,
    section: {
      id: 'fraud',
      title: 'Fraud and arrears alerts',
      summary: `The starter rule base raised ${alerts.length} alerts on ${flaggedSubscribers} subscribers (${percent(flaggedSubscribers / operator.subscribers.length)}). Against the planted fraud: ${describe.join('; ')}.`,
      keyFigures: [
        { label: 'alerts', value: alerts.length },
        { label: 'subscribers flagged', value: flaggedSubscribers },
        { label: 'planted fraud lines', value: fraudsters.length },
        ...byPattern.map((row) => ({ label: `${row.pattern} recall`, value: row.recall })),
      ],
      charts: [{ title: 'Alerts over time', spec: fraudAlertsChart(alerts) }],
      tables: [
        { title: 'Planted fraud found, per pattern', rows: byPattern },
        {
          title: 'Backtest per rule (labels: all planted fraud lines)',
          rows: backtest.rules.map((rule) => ({
            rule: rule.ruleId,
            hits: rule.hits,
            'subscribers flagged': rule.subscribersFlagged,
            precision: rule.precision,
            recall: rule.recall,
          })),
        },
        {
          title: 'First alerts',
          rows: alerts.slice(0, 10).map((alert) => ({
            subscriber: alert.subscriberId,
            rule: alert.ruleId,
            severity: alert.severity,
            window: `${alert.window} from ${new Date(alert.windowStart).toISOString().slice(0, 16)}Z`,
            evidence: Object.entries(alert.evidence)
              .map(([metric, value]) => `${metric}=${value === null ? 'n/a' : Number(value.toFixed(2))}`)
              .join(', '),
          })),
        },
      ],
      method: `evaluateRules(calls, standardRules (${standardRules.map((rule) => rule.id).join(', ')}), with subscribers and payments for the account metrics); backtestAlerts against the generator's fraud labels. Arrears-risk alerts target bad payers, which are not fraud, so that rule's precision against fraud labels is low by design.`,
    },
  };
}
