// A first look at the synthetic operator: who its subscribers are and what they do.
// Run: npm run build && node --import tsx examples/generate-operator.ts
import { createRng, generateOperator } from 'telco-analytics/data';

const operator = generateOperator({ subscribers: 1000, months: 3, seed: 42 });
console.log(
  `${operator.subscribers.length} subscribers, ${operator.calls.length} CDRs, ${operator.payments.length} payments`,
);
console.log(`period ${operator.start} to ${operator.end}`);

// Usage by service and direction.
const usage = new Map<string, { events: number; minutes: number; megabytes: number; revenue: number }>();
for (const call of operator.calls) {
  const key = `${call.service}:${call.direction ?? 'out'}`;
  const row = usage.get(key) ?? { events: 0, minutes: 0, megabytes: 0, revenue: 0 };
  row.events += 1;
  row.minutes += (call.durationSec ?? 0) / 60;
  row.megabytes += call.volumeMb ?? 0;
  row.revenue += call.charge ?? 0;
  usage.set(key, row);
}
console.table(
  [...usage].map(([service, row]) => ({
    service,
    events: row.events,
    minutes: Math.round(row.minutes),
    megabytes: Math.round(row.megabytes),
    revenue: row.revenue.toFixed(2),
  })),
);

// The ground truth that every capability can be scored against.
const churners = operator.truth.filter((truth) => truth.churned).length;
const fraud = operator.truth.filter((truth) => truth.fraud !== null);
console.log(`churners: ${churners} (${((100 * churners) / operator.truth.length).toFixed(1)}%)`);
console.log(`planted fraud: ${fraud.map((truth) => `${truth.subscriberId} ${truth.fraud}`).join(', ')}`);

// The same seeded generator drives every random draw in the package.
const rng = createRng(7);
console.log(
  `three draws from seed 7: ${[rng.uniform(), rng.normal(), rng.poisson(4)].map((x) => x.toFixed(3)).join(', ')}`,
);
