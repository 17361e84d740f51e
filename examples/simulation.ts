// Rate and bill the synthetic operator's usage, then bill it again under a promotion.
// Run: npm run build && node --import tsx examples/simulation.ts
import { generateOperator } from 'telco-analytics/data';
import {
  lintTariff,
  type Promotion,
  rateCalls,
  ratedCallRows,
  runBillCycle,
  tariffFromOperatorPlan,
} from 'telco-analytics/simulation';

const operator = generateOperator({ subscribers: 500, months: 2, seed: 42 });
const plans = operator.plans.map(tariffFromOperatorPlan);

// Rating one plan's CDRs: the charges equal the ones the generator wrote.
const medium = plans.find((plan) => plan.planId === 'POST-M')!;
const mediumIds = new Set(
  operator.subscribers
    .filter((subscriber) => subscriber.planId === 'POST-M')
    .map((subscriber) => subscriber.subscriberId),
);
const mediumCalls = operator.calls.filter((call) => mediumIds.has(call.subscriberId));
const rated = rateCalls(mediumCalls, medium);
const differences = mediumCalls.filter(
  (call, i) => Math.round(call.charge! * 100) !== rated.charge[i],
).length;
console.log(`POST-M: ${rated.count} CDRs rated, ${differences} differ from the generator's charges`);
console.table(
  ratedCallRows(rated)
    .filter((row) => row.allowanceUnits > 0 && row.chargedUnits > 0)
    .slice(0, 3),
);

// Linting the plan against the sample: which rates the traffic never touches.
const lint = lintTariff(medium, mediumCalls);
console.log(`lint: ${lint.findings.length} findings; rate hits ${JSON.stringify(lint.rateHits)}`);
for (const finding of lint.findings) console.log(`  ${finding.kind}: ${finding.message}`);

// A bill run for January, then the same under a promotion for postpaid lines: half-price voice and a
// 2.00 rebate from 20.00 of usage.
const baseline = runBillCycle({
  calls: operator.calls,
  subscribers: operator.subscribers,
  plans,
  period: '2024-01',
});
const voiceOffer: Promotion = {
  kind: 'promotion',
  version: 1,
  promotionId: 'voice-half',
  eligibility: { plans: ['POST-S', 'POST-M', 'POST-L'] },
  components: [
    { type: 'percent-off', service: 'voice', percent: 50 },
    { type: 'spend-rebate', threshold: 2000, amount: 200 },
  ],
};
const promoted = runBillCycle({
  calls: operator.calls,
  subscribers: operator.subscribers,
  plans,
  period: '2024-01',
  promotions: [voiceOffer],
});
const euros = (cents: number): string => (cents / 100).toFixed(2);
console.table(
  baseline.totals.byPlan.map((row, index) => ({
    plan: row.key,
    invoices: row.invoices,
    baseline: euros(row.total),
    promoted: euros(promoted.totals.byPlan[index]!.total),
    discounts: euros(promoted.totals.byPlan[index]!.discounts),
  })),
);
console.log(
  'first promoted invoice:',
  promoted.invoices.find((invoice) => invoice.lines.some((line) => line.kind === 'discount')),
);
