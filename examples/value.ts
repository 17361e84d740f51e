/**
 * Customer value on the synthetic operator: the buy-till-you-die summary of its payments, who is
 * still active, what each customer will pay in the next year, the value pyramid, whom to save
 * first, and a contract retention curve.
 * Run: npm run build && node --import tsx examples/value.ts
 */
import { generateOperator } from 'telco-analytics/data';
import {
  customerLifetimeValue,
  discountedExpectedResidualLifetime,
  expectedPurchases,
  fitBgNbd,
  fitGammaGamma,
  fitShiftedBetaGeometric,
  retentionCurve,
  retentionPriority,
  summarizeTransactions,
  valueTiers,
} from 'telco-analytics/value';

const operator = generateOperator({ subscribers: 2000, months: 12, seed: 42 });

// Payments up to the end of November; December is kept aside to check the forecast.
const asOf = Date.UTC(2024, 10, 30);
const summary = summarizeTransactions(operator.payments, { asOf, unit: 'week' });
console.log(
  `${summary.customers.length} paying customers up to ${new Date(summary.asOf).toISOString().slice(0, 10)}; ${summary.excludedAfterAsOf} later payments held out`,
);

// Monthly bill payers hardly ever drop out right after a payment, and unpenalised the dropout
// Beta(a, b) runs off to a point mass (a, b -> infinity; the convergence report says so). A small
// penalty keeps a and b finite.
const transactions = fitBgNbd(summary, { penalizer: 0.001 });
const { r, alpha, a, b } = transactions.parameters;
console.log(
  `BG/NBD r=${r.toFixed(3)} alpha=${alpha.toFixed(3)} a=${a.toFixed(3)} b=${b.toFixed(3)} on ${transactions.distinctTriplets} distinct triplets — ${transactions.convergence.message}`,
);
console.log(
  `a new customer makes ${expectedPurchases(transactions, 52).toFixed(2)} repeat payments in a year`,
);

// Monthly bills barely vary within a customer, which sends the unpenalised Gamma-Gamma fit to
// p -> infinity in the same way.
const value = fitGammaGamma(summary, { penalizer: 0.001 });
console.log(
  `Gamma-Gamma p=${value.parameters.p.toFixed(2)} q=${value.parameters.q.toFixed(2)} v=${value.parameters.v.toFixed(2)} — converged: ${value.convergence.converged}`,
);

const customers = customerLifetimeValue(summary, { transactions, value, horizon: 12, discountRate: 0.01 });
const tiers = valueTiers(customers);
console.table(
  tiers.tiers.map((tier) => ({
    tier: tier.tier,
    customers: tier.customers,
    'share %': (tier.customerShare * 100).toFixed(1),
    'CLV share %': (tier.valueShare * 100).toFixed(1),
    'min CLV': tier.minimumValue?.toFixed(0) ?? '-',
  })),
);

// Forecast check: predicted vs actual December payments (4.4 weeks) of the customers seen so far.
const december = new Map<string, number>();
const days = new Set<string>();
for (const payment of operator.payments) {
  const key = `${payment.customerId}:${Math.floor(payment.date / 86_400_000)}`;
  if (payment.date > asOf + 86_400_000 - 1 && !days.has(key)) {
    days.add(key);
    december.set(payment.customerId, (december.get(payment.customerId) ?? 0) + 1);
  }
}
const nextMonth = customerLifetimeValue(summary, {
  transactions,
  value,
  horizon: 1,
  discountRate: 0,
  periodLength: 31 / 7,
});
const predicted = nextMonth.reduce((sum, row) => sum + row.expectedPurchases, 0);
const actual = [...december.values()].reduce((sum, count) => sum + count, 0);
console.log(`December payments: predicted ${predicted.toFixed(0)}, actual ${actual}`);

// The synthetic operator knows who really churned: P(alive) should be lower for them.
const churned = new Set(operator.truth.filter((row) => row.churned).map((row) => row.subscriberId));
const meanAlive = (rows: typeof customers): number =>
  rows.reduce((sum, row) => sum + row.probabilityAlive, 0) / Math.max(rows.length, 1);
console.log(
  `mean P(alive): ${meanAlive(customers.filter((row) => churned.has(row.customerId))).toFixed(2)} for subscribers who churned, ${meanAlive(customers.filter((row) => !churned.has(row.customerId))).toFixed(2)} for the others`,
);

// Whom to save first: CLV x churn probability (here 1 - P(alive) from the value model itself).
const priority = retentionPriority(
  customers,
  new Map(customers.map((row) => [row.customerId, 1 - row.probabilityAlive])),
  { top: 5 },
);
console.table(
  priority.map((row) => ({
    rank: row.rank,
    customer: row.customerId,
    CLV: row.clv.toFixed(0),
    'P(churned)': row.churnProbability.toFixed(2),
    'value at risk': row.valueAtRisk.toFixed(0),
  })),
);

// Postpaid contracts: yearly renewals of a cohort (Fader & Hardie's "regular" example).
const contracts = fitShiftedBetaGeometric([[1000, 631, 468, 382, 326, 289, 262, 241]]);
const curve = retentionCurve(contracts, 12);
console.log(
  `sBG gamma=${contracts.parameters.gamma.toFixed(3)} delta=${contracts.parameters.delta.toFixed(3)}; projected year-12 survivors ${(curve[12]!.survival * 1000).toFixed(0)} of 1000`,
);
console.log(
  `discounted expected residual lifetime at 10%: new ${discountedExpectedResidualLifetime(contracts, { discountRate: 0.1 }).toFixed(2)} years, after 4 renewals ${discountedExpectedResidualLifetime(contracts, { discountRate: 0.1, renewals: 4 }).toFixed(2)} years`,
);
