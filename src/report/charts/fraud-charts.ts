import type { FraudAlert } from '../../fraud/index.js';
import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { chartFrame } from './chart-frame.js';

/**
 * Fraud and arrears alerts over time: alerts per day (window start), stacked by rule.
 *
 * @example
 * fraudAlertsChart(evaluateRules(calls, standardRules, { subscribers, payments }));
 */
export function fraudAlertsChart(alerts: readonly FraudAlert[]): VegaLiteSpec {
  const counts = new Map<string, number>();
  for (const alert of alerts) {
    const key = `${new Date(alert.windowStart).toISOString().slice(0, 10)}|${alert.ruleId}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const values = [...counts].map(([key, alertsThatDay]) => {
    const [day, rule] = key.split('|');
    return { day, rule, alerts: alertsThatDay };
  });
  return chartFrame(
    'Alerts over time, by rule',
    {
      data: { values },
      mark: 'bar',
      encoding: {
        x: { field: 'day', type: 'temporal', title: 'window start', timeUnit: 'yearmonthdate' },
        y: { field: 'alerts', type: 'quantitative', stack: 'zero' },
        color: { field: 'rule', type: 'nominal' },
      },
    },
    520,
    240,
  );
}
