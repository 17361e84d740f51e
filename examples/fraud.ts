// Fraud and arrears alerts on the synthetic operator: the starter rule base, a backtest against
// the planted fraud, a custom rule as JSON, and the streaming monitor.
// Run: npm run build && node --import tsx examples/fraud.ts
import { generateOperator } from 'telco-analytics/data';
import {
  backtestRules,
  createRuleMonitor,
  evaluateRules,
  type FraudRule,
  standardRules,
  validateRules,
} from 'telco-analytics/fraud';

const operator = generateOperator({
  subscribers: 1500,
  months: 2,
  seed: 42,
  fraud: { 'sim-box': 0.005, 'revenue-share': 0.005, subscription: 0.005 },
});
const context = { subscribers: operator.subscribers, payments: operator.payments };

// Batch: one alert per subscriber, rule and window occurrence, with the evidence.
const alerts = evaluateRules(operator.calls, standardRules, context);
console.log(`${alerts.length} alerts on ${operator.calls.length} CDRs`);
console.table(alerts.slice(0, 5).map((alert) => ({ ...alert, evidence: JSON.stringify(alert.evidence) })));

// Backtest each pattern's rule against the planted truth.
const patterns = [
  ['sim-box', 'sim-box'],
  ['revenue-share', 'irsf-premium-burst'],
  ['subscription', 'subscription-fraud'],
] as const;
console.table(
  patterns.map(([pattern, ruleId]) => {
    const labels = operator.truth
      .filter((truth) => truth.fraud === pattern)
      .map((truth) => truth.subscriberId);
    const rule = backtestRules(operator.calls, standardRules, { ...context, labels }).rules.find(
      (r) => r.ruleId === ruleId,
    )!;
    return {
      pattern,
      ruleId,
      planted: labels.length,
      flagged: rule.subscribersFlagged,
      precision: rule.precision,
      recall: rule.recall,
    };
  }),
);

// A rule is plain JSON: store it, edit it, validate it before it goes live.
const nightOwls: FraudRule = {
  id: 'night-international',
  description: 'Mostly night-time international calling, 60+ minutes in a day',
  severity: 'medium',
  department: 'fraud',
  window: '24h',
  when: {
    all: [
      { metric: 'internationalMinutes', op: '>=', value: 60 },
      { metric: 'nightShare', op: '>=', value: 0.6 },
    ],
  },
};
console.log('problems:', validateRules([nightOwls]), validateRules([{ ...nightOwls, window: 'weekly' }]));

// Streaming: push CDRs as they arrive (in time order); alerts come out as windows close.
const monitor = createRuleMonitor([...standardRules, nightOwls], context);
const ordered = [...operator.calls].sort((a, b) => a.start - b.start);
let streamed = 0;
for (const call of ordered) streamed += monitor.push(call).length;
streamed += monitor.flush().length;
console.log(`streamed ${streamed} alerts, ${monitor.activeSubscribers} subscribers held after flush`);
