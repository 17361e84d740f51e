// The README's first example, kept runnable: `npm run build && node --import tsx examples/readme.ts`.
import { predictChurn, subscriberFeatures, trainChurnModel } from 'telco-analytics/churn';
import { generateOperator } from 'telco-analytics/data';

const operator = generateOperator({ subscribers: 1000, months: 3, seed: 42 });
console.log(operator.calls[0]);
console.log(operator.truth.filter((t) => t.churned).length, 'planted churners');

const rows = subscriberFeatures(operator.calls, operator.subscribers, { asOf: '2024-03-01' });
const churned = new Map(operator.truth.map((t) => [t.subscriberId, t.churned]));
const labelled = rows.map((row) => ({ ...row, churned: churned.get(String(row.subscriberId)) ?? false }));
const model = await trainChurnModel(labelled, {
  target: 'churned',
  features: [
    { name: 'contract', type: 'categorical' },
    { name: 'complaints', type: 'numeric' },
    { name: 'voiceMinutesTrend', type: 'numeric' },
    { name: 'daysSinceLastActivity', type: 'numeric', transform: 'log1p' },
  ],
});
if (model.model.kind === 'logistic') console.log(model.model.formula);
console.log('first five churn probabilities:', Array.from(predictChurn(model, labelled.slice(0, 5))));
