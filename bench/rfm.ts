/**
 * rfm() beside the same computation in DuckDB (embedded, @duckdb/node-api), in one process run.
 *
 *   node --import tsx bench/rfm.ts            10 million payments over 1 million customers
 *   node --import tsx bench/rfm.ts --quick    1 million payments over 100,000 customers
 *   (or RFM_BENCH_QUICK=1)
 *
 * Both sides start from the same payments already in memory (ours: an array of Payment objects;
 * DuckDB: a table loaded through its appender, load time not counted) and end with every customer
 * scored and segmented and the segment summary computed (DuckDB: materialised into tables).
 * Quantile scoring = quintile breakpoints by quantile_cont; rank scoring = NTILE(5) with ties by
 * customer id. Each measurement is the best of two runs.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import { createRng, type Payment } from '../src/data/index.js';
import { type RfmScoring, rfm } from '../src/rfm/index.js';

const quick = process.argv.includes('--quick') || process.env.RFM_BENCH_QUICK === '1';
const eventCount = quick ? 1_000_000 : 10_000_000;
const customerCount = quick ? 100_000 : 1_000_000;
const day = 86_400_000;

function packageVersion(name: string): string {
  const path = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

function peakRssMegabytes(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function generatePayments(): Payment[] {
  const rng = createRng(20240501);
  const ids = Array.from({ length: customerCount }, (_, index) => `C${String(index).padStart(7, '0')}`);
  const start = Date.UTC(2023, 0, 1);
  const spanSeconds = 730 * 86_400;
  const payments: Payment[] = new Array(eventCount);
  for (let i = 0; i < eventCount; i++) {
    // Every customer pays at least once; the rest of the events go to customers at random.
    const customer = i < customerCount ? i : rng.integer(customerCount);
    payments[i] = {
      customerId: ids[customer]!,
      date: start + rng.integer(spanSeconds) * 1000,
      amount: Math.round(rng.logNormal(3, 1) * 100) / 100,
    };
  }
  return payments;
}

function best<T>(runs: number, run: () => T): { seconds: number; value: T } {
  let seconds = Number.POSITIVE_INFINITY;
  let value: T | undefined;
  for (let k = 0; k < runs; k++) {
    const started = performance.now();
    value = run();
    seconds = Math.min(seconds, (performance.now() - started) / 1000);
  }
  return { seconds, value: value! };
}

async function bestAsync(runs: number, run: () => Promise<void>): Promise<number> {
  let seconds = Number.POSITIVE_INFINITY;
  for (let k = 0; k < runs; k++) {
    const started = performance.now();
    await run();
    seconds = Math.min(seconds, (performance.now() - started) / 1000);
  }
  return seconds;
}

// The default segment grid of rfm() (defaultSegments) on R and F scores, as SQL.
const segmentCase = `CASE
  WHEN r = 5 AND f >= 4 THEN 'Champions'
  WHEN r BETWEEN 3 AND 4 AND f >= 4 THEN 'Loyal'
  WHEN r >= 4 AND f BETWEEN 2 AND 3 THEN 'Potential Loyalist'
  WHEN r = 5 AND f = 1 THEN 'New'
  WHEN r = 4 AND f = 1 THEN 'Promising'
  WHEN r = 3 AND f = 3 THEN 'Need Attention'
  WHEN r = 3 AND f <= 2 THEN 'About to Sleep'
  WHEN r <= 2 AND f BETWEEN 3 AND 4 THEN 'At Risk'
  WHEN r <= 2 AND f = 5 THEN 'Can''t Lose Them'
  ELSE 'Hibernating' END`;

const customersSql = `
  WITH totals AS (
    SELECT customer_id, max(date) AS last_event, count(*) AS frequency, sum(amount) AS monetary
    FROM payments GROUP BY customer_id
  ), as_of AS (SELECT floor(max(date) / ${day}) + 1 AS as_of_day FROM payments)
  SELECT customer_id, as_of_day - floor(last_event / ${day}) AS recency, frequency, monetary
  FROM totals, as_of`;

function scoringSql(scoring: RfmScoring): string {
  if (scoring === 'rank') {
    return `
      CREATE OR REPLACE TABLE scored AS
      WITH customers AS (${customersSql}),
      ranked AS (
        SELECT *, NTILE(5) OVER (ORDER BY recency DESC, customer_id) AS r,
                  NTILE(5) OVER (ORDER BY frequency, customer_id) AS f,
                  NTILE(5) OVER (ORDER BY monetary, customer_id) AS m
        FROM customers
      )
      SELECT *, ${segmentCase} AS segment FROM ranked`;
  }
  const bin = (column: string, cuts: string): string =>
    `(1 + (${column} > ${cuts}[1])::INT + (${column} > ${cuts}[2])::INT + (${column} > ${cuts}[3])::INT + (${column} > ${cuts}[4])::INT)`;
  return `
    CREATE OR REPLACE TABLE scored AS
    WITH customers AS (${customersSql}),
    cuts AS (
      SELECT quantile_cont(recency, [0.2, 0.4, 0.6, 0.8]) AS rc, quantile_cont(frequency, [0.2, 0.4, 0.6, 0.8]) AS fc,
             quantile_cont(monetary, [0.2, 0.4, 0.6, 0.8]) AS mc
      FROM customers
    ),
    binned AS (
      SELECT customer_id, recency, frequency, monetary,
             6 - ${bin('recency', 'rc')} AS r, ${bin('frequency', 'fc')} AS f, ${bin('monetary', 'mc')} AS m
      FROM customers, cuts
    )
    SELECT *, ${segmentCase} AS segment FROM binned`;
}

const summarySql = `
  CREATE OR REPLACE TABLE segment_summary AS
  SELECT segment, count(*) AS customers, count(*) / sum(count(*)) OVER () AS customer_share,
         sum(monetary) AS revenue, sum(monetary) / sum(sum(monetary)) OVER () AS revenue_share,
         avg(recency) AS mean_recency, avg(frequency) AS mean_frequency, avg(monetary) AS mean_monetary
  FROM scored GROUP BY segment`;

async function main(): Promise<void> {
  const generationStarted = performance.now();
  const payments = generatePayments();
  const generationSeconds = (performance.now() - generationStarted) / 1000;
  const afterGeneration = peakRssMegabytes();

  const ours = new Map<RfmScoring, number>();
  let checkCustomers = 0;
  for (const scoring of ['quantile', 'rank'] as const) {
    const { seconds, value } = best(2, () => rfm(payments, { scoring }));
    ours.set(scoring, seconds);
    checkCustomers = value.customers.length;
  }
  const afterOurs = peakRssMegabytes();

  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const threads = (
    await connection.runAndReadAll("SELECT current_setting('threads') AS threads")
  ).getRowObjectsJS()[0]!.threads;
  await connection.run('CREATE TABLE payments (customer_id VARCHAR, date BIGINT, amount DOUBLE)');
  const loadStarted = performance.now();
  const appender = await connection.createAppender('payments');
  for (let i = 0; i < payments.length; i++) {
    const payment = payments[i]!;
    appender.appendVarchar(payment.customerId);
    appender.appendBigInt(BigInt(payment.date));
    appender.appendDouble(payment.amount);
    appender.endRow();
  }
  appender.closeSync();
  const loadSeconds = (performance.now() - loadStarted) / 1000;

  const duck = new Map<RfmScoring, number>();
  for (const scoring of ['quantile', 'rank'] as const) {
    duck.set(
      scoring,
      await bestAsync(2, async () => {
        await connection.run(scoringSql(scoring));
        await connection.run(summarySql);
      }),
    );
  }
  const duckCustomers = Number(
    (await connection.runAndReadAll('SELECT count(*) AS n FROM scored')).getRowObjectsJS()[0]!.n,
  );
  const afterDuck = peakRssMegabytes();
  connection.closeSync();
  instance.closeSync();

  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  console.log(
    `bench/rfm: ${eventCount.toLocaleString('en')} payments over ${customerCount.toLocaleString('en')} customers${quick ? ' (--quick)' : ''}`,
  );
  console.log(`machine: ${cpu}, ${cpus().length} cores, node ${process.version}`);
  console.log(
    `packages: telco-analytics (this tree), @duckdb/node-api ${packageVersion('@duckdb/node-api')} (DuckDB threads: ${threads})`,
  );
  console.log(
    `customers scored: ours ${checkCustomers.toLocaleString('en')}, DuckDB ${duckCustomers.toLocaleString('en')}`,
  );
  console.log(
    `data generation ${generationSeconds.toFixed(1)} s; DuckDB appender load ${loadSeconds.toFixed(1)} s (not timed below)`,
  );
  console.log('');
  console.log('| scoring  | rfm() s | DuckDB s | ratio (ours / DuckDB) |');
  console.log('|----------|---------|----------|-----------------------|');
  for (const scoring of ['quantile', 'rank'] as const) {
    const mine = ours.get(scoring)!;
    const theirs = duck.get(scoring)!;
    console.log(
      `| ${scoring.padEnd(8)} | ${mine.toFixed(2).padStart(7)} | ${theirs.toFixed(2).padStart(8)} | ${(mine / theirs).toFixed(2).padStart(21)} |`,
    );
  }
  console.log('');
  console.log(
    `peak RSS: after generating the input ${afterGeneration.toFixed(0)} MB; after the rfm() runs ${afterOurs.toFixed(0)} MB; after DuckDB ${afterDuck.toFixed(0)} MB`,
  );
}

await main();
