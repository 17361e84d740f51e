/**
 * RFM on the synthetic operator: scores, the segment summary, the 80/20 view, who is fading, and
 * a re-run on fixed breakpoints (how a later month keeps this month's scale).
 * Run: npm run build && node --import tsx examples/rfm.ts
 */
import { generateOperator } from 'telco-analytics/data';
import { pareto, paretoCustomers, rfm, rfmFromCalls, usageTrend } from 'telco-analytics/rfm';

const operator = generateOperator({ subscribers: 2000, months: 6, seed: 42 });

const result = rfm(operator.payments);
console.log(
  `${result.customers.length} paying customers as of ${new Date(result.asOf).toISOString().slice(0, 10)}`,
);
console.table(
  result.segments.map((row) => ({
    segment: row.segment,
    customers: row.customers,
    'share %': (row.customerShare * 100).toFixed(1),
    'revenue %': (row.revenueShare * 100).toFixed(1),
    'mean R days': row.meanRecencyDays?.toFixed(1) ?? '-',
    'mean F': row.meanFrequency?.toFixed(2) ?? '-',
    'mean M': row.meanMonetary?.toFixed(2) ?? '-',
  })),
);
console.log('breakpoints used:', result.breakpoints, 'collapsed bins:', result.collapsedBins);

const view = pareto(result.customers);
console.log(
  `top 20% of customers bring ${(view.topShare * 100).toFixed(1)}% of revenue; Gini ${view.gini.toFixed(3)}`,
);
console.log(`${paretoCustomers(result.customers, { share: 0.8 }).length} customers bring 80% of revenue`);

const trend = usageTrend(operator.calls, { periods: 4 });
const falling = trend.customers.filter((row) => row.direction === 'falling');
console.log(`${falling.length} of ${trend.customers.length} subscribers are using less month after month`);

// Usage-only scoring, and the same scale kept for a later run.
const fromCalls = rfmFromCalls(operator.calls);
const again = rfmFromCalls(operator.calls, { breakpoints: fromCalls.breakpoints });
console.log(
  `from CDRs: ${fromCalls.customers.length} subscribers; re-scored on fixed breakpoints: ${again.scoring}`,
);
