/**
 * Rating benchmark: telco-analytics `rateCalls` vs the same per-call rating written as SQL in DuckDB
 * (@duckdb/node-api, in process), on ~10 million CDRs of the synthetic operator (about 35,000
 * subscribers x 3 months) under its five plans converted by `tariffFromOperatorPlan`.
 *
 * What both compute, per CDR: the rate (service x direction x zone, one band), the measured units
 * (ceil seconds / ceil kilobytes / 1 per event), the `first/next` increments, the monthly allowance
 * drawn in time order per subscriber and cycle (the SQL does it with a window sum: what is left
 * before a call = max(0, allowance - billable units of the earlier calls)), the split of the call
 * that exhausts it with fresh increments on the remainder, and the charge in cents. Not in the SQL:
 * time bands (the operator plans have one), band splitting, connection fees, minimum charges,
 * surcharges, rounding rules (every operator charge is whole cents), invoices and promotions.
 * Both are checked against the charges the generator wrote (sum and a weighted checksum).
 *
 *   node --import tsx --max-old-space-size=8192 bench/simulation.ts           # ~10M CDRs
 *   node --import tsx bench/simulation.ts --quick                              # ~1M CDRs (or BENCH_QUICK=1)
 */

import { loadavg } from 'node:os';
import {
  DOUBLE,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  INTEGER,
  TINYINT,
} from '@duckdb/node-api';
import { type CallRecord, streamOperator } from '../src/data/index.js';
import {
  concatEncodedCalls,
  type EncodedCalls,
  encodeCalls,
  type Promotion,
  rateCalls,
  runBillCycle,
  simulatePromotion,
  type TariffPlan,
  tariffFromOperatorPlan,
} from '../src/simulation/index.js';
import { machineLine, packageVersion, quick } from './machine.js';

const subscribers = quick ? 3500 : 35_000;
const months = 3;
const serviceNames = ['voice', 'sms', 'mms', 'data'];
const zoneNames = ['local', 'national', 'international', 'premium', 'roaming'];
const operator = streamOperator({ subscribers, months, seed: 2024 });
const plans: TariffPlan[] = operator.plans.map(tariffFromOperatorPlan);
const planIndex = new Map(operator.plans.map((plan, index) => [plan.planId, index]));

// Each chunk's CDRs are encoded per plan as they stream by, so the objects never pile up; the
// generator's own charges (in cents) are kept beside them for the correctness check.
const generationStarted = performance.now();
const partsByPlan: EncodedCalls[][] = operator.plans.map(() => []);
const expectedByPlan: number[][] = operator.plans.map(() => []);
const allSubscribers: { subscriberId: string; planId: string }[] = [];
let sampleObjects: CallRecord[] = [];
for (const chunk of operator.chunks()) {
  const planOf = new Map(
    chunk.subscribers.map((subscriber) => [subscriber.subscriberId, planIndex.get(subscriber.planId!)!]),
  );
  for (const subscriber of chunk.subscribers)
    allSubscribers.push({ subscriberId: subscriber.subscriberId, planId: subscriber.planId! });
  const callsByPlan: CallRecord[][] = operator.plans.map(() => []);
  for (const call of chunk.calls) {
    const plan = planOf.get(call.subscriberId)!;
    callsByPlan[plan]!.push(call);
    expectedByPlan[plan]!.push(Math.round(call.charge! * 100));
  }
  callsByPlan.forEach((planCalls, plan) => {
    if (planCalls.length > 0) partsByPlan[plan]!.push(encodeCalls(planCalls));
  });
  if (sampleObjects.length < 1_000_000)
    sampleObjects = sampleObjects.concat(chunk.calls.slice(0, 1_000_000 - sampleObjects.length));
}
const encodedByPlan = partsByPlan.map((parts) => concatEncodedCalls(parts));
const totalCalls = encodedByPlan.reduce((sum, encoded) => sum + encoded.count, 0);
const generationSeconds = (performance.now() - generationStarted) / 1000;

function checksum(charges: ArrayLike<number>, offset: number): { sum: number; weighted: number } {
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < charges.length; i++) {
    sum += charges[i]!;
    weighted += charges[i]! * (((offset + i) % 997) + 1);
  }
  return { sum, weighted };
}
let expectedSum = 0;
let expectedWeighted = 0;
{
  let offset = 0;
  for (const expected of expectedByPlan) {
    const check = checksum(expected, offset);
    expectedSum += check.sum;
    expectedWeighted += check.weighted;
    offset += expected.length;
  }
}

interface Row {
  contender: string;
  cdrs: number;
  seconds: number;
  cdrsPerSecond: number;
  matchesGenerator: string;
}
const results: Row[] = [];
let simulationSummary = '';

let encodeResult: Row | undefined;
// Encoding cost from objects, on up to 1M CDR objects.
{
  const started = performance.now();
  const encoded = encodeCalls(sampleObjects);
  const seconds = (performance.now() - started) / 1000;
  encodeResult = {
    contender: 'telco-analytics encodeCalls (objects -> columns)',
    cdrs: encoded.count,
    seconds,
    cdrsPerSecond: encoded.count / seconds,
    matchesGenerator: '-',
  };
}
// The sample objects would only slow the garbage collector down from here on.
sampleObjects = [];

// --- ours: rateCalls on the encoded columns, one call per plan; the first pass is cold (the JIT
// is still compiling the hot loop), the second warm ---
function runOurs(label: string, options: { bandBoundary?: 'start' | 'split' }): void {
  const started = performance.now();
  let sum = 0;
  let weighted = 0;
  let offset = 0;
  for (let p = 0; p < plans.length; p++) {
    const rated = rateCalls(encodedByPlan[p]!, plans[p]!, options);
    const check = checksum(rated.charge, offset);
    sum += check.sum;
    weighted += check.weighted;
    offset += rated.count;
  }
  const seconds = (performance.now() - started) / 1000;
  results.push({
    contender: label,
    cdrs: totalCalls,
    seconds,
    cdrsPerSecond: totalCalls / seconds,
    matchesGenerator:
      sum === expectedSum && weighted === expectedWeighted ? 'yes' : `NO (${sum} vs ${expectedSum})`,
  });
}
runOurs('telco-analytics rateCalls (encoded, start band, cold)', {});
runOurs('telco-analytics rateCalls (encoded, start band)', {});
runOurs('telco-analytics rateCalls (encoded, split bands)', { bandBoundary: 'split' });

results.push(encodeResult!);

// Bill run for the last month on all CDRs (rating + invoices), then a 200-run promotion simulation.
const all = concatEncodedCalls(encodedByPlan);
{
  const started = performance.now();
  const bill = runBillCycle({ calls: all, subscribers: allSubscribers, plans, period: '2024-03' });
  const seconds = (performance.now() - started) / 1000;
  results.push({
    contender: `telco-analytics runBillCycle (1 month, ${bill.invoices.length} invoices)`,
    cdrs: totalCalls,
    seconds,
    cdrsPerSecond: totalCalls / seconds,
    matchesGenerator: '-',
  });
}

{
  const promotion: Promotion = {
    kind: 'promotion',
    version: 1,
    promotionId: 'data-30',
    eligibility: { plans: ['POST-S', 'POST-M'] },
    components: [{ type: 'percent-off', service: 'data', percent: 30 }],
  };
  const started = performance.now();
  const simulation = simulatePromotion({
    calls: all,
    subscribers: allSubscribers,
    plans,
    promotion,
    period: '2024-03',
    cycles: 6,
    uptake: 0.4,
    usageElasticity: 0.5,
    churnProbability: (subscriber) => (subscriber.planId === 'POST-S' ? 0.03 : 0.015),
    retentionEffect: 0.3,
    runs: 200,
    seed: 1,
  });
  const seconds = (performance.now() - started) / 1000;
  results.push({
    contender: `telco-analytics simulatePromotion (200 runs x 6 cycles, ${simulation.customers.eligible} eligible)`,
    cdrs: totalCalls,
    seconds,
    cdrsPerSecond: totalCalls / seconds,
    matchesGenerator: '-',
  });
  simulationSummary = `simulation net over 6 cycles: mean ${(simulation.total.net.mean / 100).toFixed(0)}, 90% [${(simulation.total.net.low / 100).toFixed(0)}, ${(simulation.total.net.high / 100).toFixed(0)}] (currency units)`;
}

// --- DuckDB: load the same columns, rate in SQL ---
const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
const connection: DuckDBConnection = await instance.connect();
await connection.run(
  'CREATE TABLE calls (row_id INTEGER, plan TINYINT, subscriber INTEGER, start_ms DOUBLE, service TINYINT, direction TINYINT, zone TINYINT, duration DOUBLE, volume DOUBLE)',
);
const loadStarted = performance.now();
{
  const appender = await connection.createAppender('calls');
  const types = [INTEGER, TINYINT, INTEGER, DOUBLE, TINYINT, TINYINT, TINYINT, DOUBLE, DOUBLE];
  const size = 2048;
  let rowId = 0;
  let subscriberBase = 0;
  for (let p = 0; p < encodedByPlan.length; p++) {
    const part = encodedByPlan[p]!;
    for (let from = 0; from < part.count; from += size) {
      const to = Math.min(part.count, from + size);
      const n = to - from;
      const chunk = DuckDBDataChunk.create(types, n);
      const ids = new Array<number>(n);
      for (let k = 0; k < n; k++) ids[k] = rowId + k;
      const column = (values: ArrayLike<number>, nullWhenNaN = false): (number | null)[] =>
        Array.from(values, (value) => (nullWhenNaN && Number.isNaN(value) ? null : value));
      chunk.setColumnValues(0, ids);
      chunk.setColumnValues(1, new Array<number>(n).fill(p));
      chunk.setColumnValues(
        2,
        Array.from(part.subscriber.subarray(from, to), (s) => s + subscriberBase),
      );
      chunk.setColumnValues(3, column(part.start.subarray(from, to)));
      // The SQL's rate table codes services and zones by the fixed lists above.
      chunk.setColumnValues(
        4,
        Array.from(part.service.subarray(from, to), (code) => serviceNames.indexOf(part.serviceNames[code]!)),
      );
      chunk.setColumnValues(5, column(part.direction.subarray(from, to)));
      chunk.setColumnValues(
        6,
        Array.from(part.zone.subarray(from, to), (code) =>
          code < 0 ? -1 : zoneNames.indexOf(part.zoneNames[code]!),
        ),
      );
      chunk.setColumnValues(7, column(part.durationSec.subarray(from, to), true));
      chunk.setColumnValues(8, column(part.volumeMb.subarray(from, to), true));
      appender.appendDataChunk(chunk);
      rowId += n;
    }
    subscriberBase += part.subscriberIds.length;
  }
  appender.closeSync();
}
const loadSeconds = (performance.now() - loadStarted) / 1000;

// The rate table: one row per (plan, service, direction, zone) that has a rate, with its allowance.
const rateRows: string[] = [];
plans.forEach((plan, p) => {
  for (const rate of plan.rates) {
    const [first, next] = (rate.increment ?? '1/1').split('/').map(Number);
    const measure = plan.services.find((service) => service.name === rate.service)!.measure;
    for (const zone of rate.zones) {
      const direction = rate.direction === 'in' ? 1 : 0;
      const allowance = (plan.allowances ?? []).findIndex(
        (candidate) =>
          candidate.service === rate.service &&
          (candidate.direction ?? 'out') === (rate.direction ?? 'out') &&
          candidate.zones.includes(zone),
      );
      const amount = allowance < 0 ? 0 : plan.allowances![allowance]!.amount;
      const measureCode = measure === 'duration' ? 0 : measure === 'volume' ? 1 : 2;
      rateRows.push(
        `(${p}, ${serviceNames.indexOf(rate.service)}, ${direction}, ${zoneNames.indexOf(zone)}, ${measureCode}, ${rate.price}, ${rate.per ?? 1}, ${first}, ${next}, ${allowance}, ${amount})`,
      );
    }
  }
});
await connection.run(
  'CREATE TABLE rates (plan TINYINT, service TINYINT, direction TINYINT, zone TINYINT, measure TINYINT, price BIGINT, per BIGINT, first BIGINT, next BIGINT, allowance INTEGER, allowance_amount BIGINT)',
);
await connection.run(`INSERT INTO rates VALUES ${rateRows.join(', ')}`);

// Ties in time are broken by the call's content, as rateCalls does, so both draw allowances identically.
const ratingSql = `
CREATE OR REPLACE TABLE rated AS
WITH measured AS (
  SELECT c.row_id, c.subscriber, c.start_ms, c.service, c.direction, c.zone, c.duration, c.volume,
         r.price, r.per, r.first, r.next, r.allowance, r.allowance_amount,
         year(to_timestamp(c.start_ms / 1000)) * 12 + month(to_timestamp(c.start_ms / 1000)) AS cycle,
         CASE r.measure WHEN 0 THEN ceil(c.duration) WHEN 1 THEN ceil(c.volume * 1000 - 1e-6) ELSE 1 END::BIGINT AS units
  FROM calls c JOIN rates r ON c.plan = r.plan AND c.service = r.service AND c.direction = r.direction AND c.zone = r.zone
), billed AS (
  SELECT *, CASE WHEN units <= 0 THEN 0 WHEN units <= first THEN first ELSE first + ceil((units - first) / next)::BIGINT * next END AS billable
  FROM measured
), drawn AS (
  SELECT *, CASE WHEN allowance < 0 THEN 0 ELSE greatest(allowance_amount - coalesce(sum(billable) OVER (
           PARTITION BY subscriber, cycle, allowance
           ORDER BY start_ms, service, direction, zone, coalesce(duration, -1), coalesce(volume, -1), row_id
           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0), 0) END AS left_before
  FROM billed
), charged AS (
  SELECT row_id,
         CASE WHEN billable <= left_before THEN 0
              WHEN units > left_before THEN (CASE WHEN units - left_before <= first THEN first ELSE first + ceil((units - left_before - first) / next)::BIGINT * next END)
              ELSE 0 END AS charged_units,
         price, per
  FROM drawn
)
SELECT row_id, charged_units * price // per AS charge FROM charged`;
// One thread first (like rateCalls), then both cores.
for (const threads of [1, 2]) {
  await connection.run(`SET threads = ${threads}`);
  const sqlStarted = performance.now();
  await connection.run(ratingSql);
  const sqlSeconds = (performance.now() - sqlStarted) / 1000;
  const check = await connection.runAndReadAll(
    'SELECT sum(charge)::DOUBLE, sum(charge * ((row_id % 997) + 1))::DOUBLE FROM rated',
  );
  const [sqlSum, sqlWeighted] = check.getRows()[0] as [number, number];
  results.push({
    contender: `DuckDB SQL (window functions, ${threads} thread${threads === 1 ? '' : 's'})`,
    cdrs: totalCalls,
    seconds: sqlSeconds,
    cdrsPerSecond: totalCalls / sqlSeconds,
    matchesGenerator:
      sqlSum === expectedSum && sqlWeighted === expectedWeighted ? 'yes' : `NO (${sqlSum} vs ${expectedSum})`,
  });
}
connection.closeSync();

const ours = results.find((row) => row.contender === 'telco-analytics rateCalls (encoded, start band)')!;
console.log(machineLine());
console.log(`packages: @duckdb/node-api ${packageVersion('@duckdb/node-api')}, tsx ${packageVersion('tsx')}`);
console.log(
  `data: ${totalCalls.toLocaleString('en')} CDRs of ${subscribers.toLocaleString('en')} subscribers x ${months} months, 5 plans (generated in ${generationSeconds.toFixed(1)} s; DuckDB load ${loadSeconds.toFixed(1)} s, not timed below)`,
);
console.table(
  results.map((row) => ({
    contender: row.contender,
    CDRs: row.cdrs,
    seconds: Number(row.seconds.toFixed(3)),
    'CDRs/s (M)': Number((row.cdrsPerSecond / 1e6).toFixed(2)),
    'time vs rateCalls': Number((row.seconds / ours.seconds).toFixed(2)),
    'matches generator': row.matchesGenerator,
  })),
);
console.log(simulationSummary);
console.log(
  `load average at the end: ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')} (other processes share the cores)`,
);
console.log(`peak RSS: ${Math.round((process.resourceUsage().maxRSS * 1024) / 2 ** 20)} MB`);
