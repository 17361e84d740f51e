/**
 * rfm() beside the same computation in DuckDB (embedded, @duckdb/node-api), in one process run.
 *
 *   node --import tsx bench/rfm.ts            10 million payments over 1 million customers
 *   node --import tsx bench/rfm.ts --quick    1 million payments over 100,000 customers
 *   (or RFM_BENCH_QUICK=1 / BENCH_QUICK=1)
 *
 * Like with like. DuckDB computes from its own columnar table, loaded from the payments through its
 * appender before timing; rfm() is timed on the same payments as columns (`{ customerId: string[],
 * date: Float64Array, amount: Float64Array }`, the ids being the same string values). Both end with
 * the full per-customer table (recency, frequency, monetary, r, f, m, cell, score, segment: ours as
 * `RfmRow` objects, DuckDB materialised into a table) and the segment summary. Quantile scoring =
 * quintile breakpoints by type-7 quantiles (`quantile_cont`), bins closed on the right; rank scoring
 * = NTILE(5) with ties by customer id. The segment counts of both are compared.
 *
 * Then the same payments as an array of `Payment` objects (what most callers hold) are timed
 * through rfm(), after DuckDB is closed; for DuckDB the equivalent start costs the appender load,
 * printed beside it.
 *
 * rfm() runs with its default threads (on two cores or more: a worker thread adds up the totals while
 * the calling thread reads the events and packs their ids) and, beside it, with `threads: 1`.
 *
 * Runs alternate between the engines and each figure is the best of `runs`, so a machine shared
 * with other work loads all alike. Peak memory is the kernel's high-water mark of the process's
 * resident set (VmHWM, reset before each phase): first rfm(columns) alone with its input, before
 * DuckDB is started; then the phase with DuckDB and its table in the same process.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { createRng, type Payment } from '../src/data/index.js';
import { type RfmResult, type RfmScoring, rfm } from '../src/rfm/index.js';
import { kernelPeakMemory, machineLine, packageVersion } from './machine.js';

const quick =
  process.argv.includes('--quick') || process.env.RFM_BENCH_QUICK === '1' || process.env.BENCH_QUICK === '1';
const eventCount = quick ? 1_000_000 : 10_000_000;
const customerCount = quick ? 100_000 : 1_000_000;
const runs = 3;
const day = 86_400_000;
const scorings = ['quantile', 'rank'] as const;

// A type alias, not an interface, so that it is assignable to the ColumnarTable index signature.
type PaymentColumns = {
  customerId: string[];
  date: Float64Array;
  amount: Float64Array;
};

function generatePayments(): PaymentColumns {
  const rng = createRng(20240501);
  const ids = Array.from({ length: customerCount }, (_, index) => `C${String(index).padStart(7, '0')}`);
  const start = Date.UTC(2023, 0, 1);
  const spanSeconds = 730 * 86_400;
  const customerId: string[] = new Array(eventCount);
  const date = new Float64Array(eventCount);
  const amount = new Float64Array(eventCount);
  for (let i = 0; i < eventCount; i++) {
    // Every customer pays at least once; the rest of the events go to customers at random.
    customerId[i] = ids[i < customerCount ? i : rng.integer(customerCount)]!;
    date[i] = start + rng.integer(spanSeconds) * 1000;
    amount[i] = Math.round(rng.logNormal(3, 1) * 100) / 100;
  }
  return { customerId, date, amount };
}

function seconds(started: number): number {
  return (performance.now() - started) / 1000;
}

/** Processor seconds of the whole process (every thread: DuckDB's workers, V8's GC helpers) since `since`. */
function processorSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

interface Timing {
  wall: number;
  processor: number;
}

function better(previous: Timing | undefined, next: Timing): Timing {
  return previous === undefined || next.wall < previous.wall ? next : previous;
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

// as_of = the day after the latest payment, taken from the per-customer maxima (no second scan).
const customersSql = `
  WITH totals AS (
    SELECT customer_id, max(date) AS last_event, count(*) AS frequency, sum(amount) AS monetary
    FROM payments GROUP BY customer_id
  ), as_of AS (SELECT floor(max(last_event) / ${day}) + 1 AS as_of_day FROM totals)
  SELECT customer_id, as_of_day - floor(last_event / ${day}) AS recency, frequency, monetary
  FROM totals, as_of`;

const rowColumns = `*, r::VARCHAR || f::VARCHAR || m::VARCHAR AS cell, r + f + m AS score, ${segmentCase} AS segment`;

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
      SELECT ${rowColumns} FROM ranked`;
  }
  const bin = (column: string, cuts: string): string =>
    `(1 + (${column} > ${cuts}[1])::INT + (${column} > ${cuts}[2])::INT + (${column} > ${cuts}[3])::INT + (${column} > ${cuts}[4])::INT)`;
  return `
    CREATE OR REPLACE TABLE scored AS
    WITH customers AS MATERIALIZED (${customersSql}),
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
    SELECT ${rowColumns} FROM binned`;
}

const summarySql = `
  CREATE OR REPLACE TABLE segment_summary AS
  SELECT segment, count(*) AS customers, count(*) / sum(count(*)) OVER () AS customer_share,
         sum(monetary) AS revenue, sum(monetary) / sum(sum(monetary)) OVER () AS revenue_share,
         avg(recency) AS mean_recency, avg(frequency) AS mean_frequency, avg(monetary) AS mean_monetary
  FROM scored GROUP BY segment`;

async function loadDuckDb(connection: DuckDBConnection, payments: PaymentColumns): Promise<number> {
  await connection.run('CREATE TABLE payments (customer_id VARCHAR, date BIGINT, amount DOUBLE)');
  const started = performance.now();
  const appender = await connection.createAppender('payments');
  for (let i = 0; i < eventCount; i++) {
    appender.appendVarchar(payments.customerId[i]!);
    appender.appendBigInt(BigInt(payments.date[i]!));
    appender.appendDouble(payments.amount[i]!);
    appender.endRow();
  }
  appender.closeSync();
  return seconds(started);
}

async function duckSegmentCounts(connection: DuckDBConnection): Promise<Map<string, number>> {
  const rows = (
    await connection.runAndReadAll('SELECT segment, customers FROM segment_summary')
  ).getRowObjectsJS();
  return new Map(rows.map((row) => [String(row.segment), Number(row.customers)]));
}

function segmentCounts(result: RfmResult): Map<string, number> {
  return new Map(
    result.segments.filter((row) => row.customers > 0).map((row) => [row.segment, row.customers]),
  );
}

function sameCounts(a: Map<string, number>, b: Map<string, number>): boolean {
  return a.size === b.size && [...a].every(([segment, count]) => b.get(segment) === count);
}

function timeOurs(
  input: Parameters<typeof rfm>[0],
  scoring: RfmScoring,
  threads?: number,
): { timing: Timing; result: RfmResult } {
  const processor = process.cpuUsage();
  const started = performance.now();
  const result = rfm(input, { scoring, threads });
  return { timing: { wall: seconds(started), processor: processorSeconds(processor) }, result };
}

function cell(value: number, width: number): string {
  return value.toFixed(2).padStart(width);
}

async function main(): Promise<void> {
  const generationStarted = performance.now();
  const columns = generatePayments();
  const generationSeconds = seconds(generationStarted);

  // Phase 0: rfm(columns) alone, for its memory (the input included).
  const aloneMemory = kernelPeakMemory();
  timeOurs(columns, 'quantile');
  const peakAlone = aloneMemory.stop();

  const memory = kernelPeakMemory();

  // Phase 1: columns against DuckDB's table.
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const threads = (
    await connection.runAndReadAll("SELECT current_setting('threads') AS threads")
  ).getRowObjectsJS()[0]!.threads;
  const loadSeconds = await loadDuckDb(connection, columns);

  const ours = new Map<RfmScoring, Timing>();
  const oneThread = new Map<RfmScoring, Timing>();
  const duck = new Map<RfmScoring, Timing>();
  const agreement = new Map<RfmScoring, boolean>();
  let customersScored = 0;
  for (let run = 0; run < runs; run++) {
    for (const scoring of scorings) {
      const mine = timeOurs(columns, scoring);
      ours.set(scoring, better(ours.get(scoring), mine.timing));
      customersScored = mine.result.customers.length;
      oneThread.set(scoring, better(oneThread.get(scoring), timeOurs(columns, scoring, 1).timing));
      const processor = process.cpuUsage();
      const started = performance.now();
      await connection.run(scoringSql(scoring));
      await connection.run(summarySql);
      duck.set(
        scoring,
        better(duck.get(scoring), { wall: seconds(started), processor: processorSeconds(processor) }),
      );
      if (run === 0)
        agreement.set(scoring, sameCounts(segmentCounts(mine.result), await duckSegmentCounts(connection)));
    }
  }
  const duckCustomers = Number(
    (await connection.runAndReadAll('SELECT count(*) AS n FROM scored')).getRowObjectsJS()[0]!.n,
  );
  connection.closeSync();
  instance.closeSync();
  const peakColumns = memory.stop();

  // Phase 2: the same payments as Payment objects (DuckDB closed).
  const objectMemory = kernelPeakMemory();
  const buildStarted = performance.now();
  const payments: Payment[] = new Array(eventCount);
  for (let i = 0; i < eventCount; i++) {
    payments[i] = { customerId: columns.customerId[i]!, date: columns.date[i]!, amount: columns.amount[i]! };
  }
  const buildSeconds = seconds(buildStarted);
  const objects = new Map<RfmScoring, Timing>();
  for (let run = 0; run < runs; run++) {
    for (const scoring of scorings) {
      objects.set(scoring, better(objects.get(scoring), timeOurs(payments, scoring).timing));
    }
  }
  const peakObjects = objectMemory.stop();
  payments.length = 0;

  // Phase 3: ids with no packed form (24 characters), so rfm() hashes them on one thread; DuckDB
  // gets the same longer strings (past its 12-byte inline limit). The ids are flat strings, as a
  // file reader makes them: built by concatenation, V8 keeps them as ropes (cons strings), every
  // character read then goes through an indirection, and rfm() takes ~1.5 s longer.
  const longIds = new Map<string, string>();
  const longColumns: PaymentColumns = {
    customerId: columns.customerId.map((id) => {
      let long = longIds.get(id);
      if (long === undefined) {
        long = Buffer.from(`account-${id}-${id.slice(-4)}-uk`, 'latin1').toString('latin1');
        longIds.set(id, long);
      }
      return long;
    }),
    date: columns.date,
    amount: columns.amount,
  };
  longIds.clear();
  const longInstance = await DuckDBInstance.create(':memory:');
  const longConnection = await longInstance.connect();
  await loadDuckDb(longConnection, longColumns);
  let oursLong: Timing | undefined;
  let duckLong: Timing | undefined;
  for (let run = 0; run < runs; run++) {
    oursLong = better(oursLong, timeOurs(longColumns, 'quantile').timing);
    const processor = process.cpuUsage();
    const started = performance.now();
    await longConnection.run(scoringSql('quantile'));
    await longConnection.run(summarySql);
    duckLong = better(duckLong, { wall: seconds(started), processor: processorSeconds(processor) });
  }
  longConnection.closeSync();
  longInstance.closeSync();

  console.log(
    `bench/rfm: ${eventCount.toLocaleString('en')} payments over ${customerCount.toLocaleString('en')} customers${quick ? ' (--quick)' : ''}`,
  );
  console.log(machineLine());
  console.log(
    `packages: telco-analytics (this tree, default threads), @duckdb/node-api ${packageVersion('@duckdb/node-api')} (DuckDB threads: ${threads}); best of ${runs} runs, engines alternating`,
  );
  console.log(
    `customers scored: ours ${customersScored.toLocaleString('en')}, DuckDB ${duckCustomers.toLocaleString('en')}; segment counts identical: ${scorings.map((s) => `${s} ${agreement.get(s) ? 'yes' : 'NO'}`).join(', ')}`,
  );
  console.log(
    `data generation ${generationSeconds.toFixed(1)} s; DuckDB appender load ${loadSeconds.toFixed(1)} s; Payment objects built in ${buildSeconds.toFixed(1)} s (none timed below)`,
  );
  console.log('');
  console.log('Wall seconds (best of the runs); in brackets the processor seconds of that run, all threads.');
  console.log('');
  console.log(
    '| scoring  | rfm(columns) s | DuckDB s      | ratio | threads: 1 s  | ratio | rfm(Payment[]) s | ratio | DuckDB load + query s |',
  );
  console.log(
    '|----------|----------------|---------------|-------|---------------|-------|------------------|-------|-----------------------|',
  );
  const both = (timing: Timing, width: number): string =>
    `${timing.wall.toFixed(2)} (${timing.processor.toFixed(2)})`.padStart(width);
  for (const scoring of scorings) {
    const mine = ours.get(scoring)!;
    const theirs = duck.get(scoring)!;
    const fromObjects = objects.get(scoring)!;
    const single = oneThread.get(scoring)!;
    console.log(
      `| ${scoring.padEnd(8)} | ${both(mine, 14)} | ${both(theirs, 13)} | ${cell(mine.wall / theirs.wall, 5)} | ${both(single, 13)} | ${cell(single.wall / theirs.wall, 5)} | ${both(fromObjects, 16)} | ${cell(fromObjects.wall / theirs.wall, 5)} | ${cell(loadSeconds + theirs.wall, 21)} |`,
    );
  }
  console.log(
    `ids without a packed form (${longColumns.customerId[0]!.length} characters, e.g. ${longColumns.customerId[0]}), quantile: rfm(columns) ${both(oursLong!, 0)} s, DuckDB ${both(duckLong!, 0)} s, ratio ${(oursLong!.wall / duckLong!.wall).toFixed(2)}`,
  );
  console.log('');
  console.log(
    `peak RSS: rfm(columns) alone, input included ${peakAlone} MB; with DuckDB and its table in the same process ${peakColumns} MB; Payment[] phase ${peakObjects} MB`,
  );
}

await main();
