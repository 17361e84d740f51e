/**
 * End to end at CDR scale: 100 million generated CDRs in Parquet; subscriber features and RFM
 * values computed by DuckDB (embedded) from the files, then churn training and k-means in process;
 * then the same aggregations through the two-shard ClickHouse cluster when one answers at
 * TELCO_CLICKHOUSE_URL (scripts/clickhouse-cluster.sh start). Prints the time of every step and
 * the peak resident memory of this process (DuckDB runs inside it; the ClickHouse servers do not).
 *
 *   node --import tsx bench/engine.ts            # 100 million CDRs (generated once, cached)
 *   node --import tsx bench/engine.ts --quick    # 2 million CDRs
 *   options: --cdrs N, --dir DIR (cache, default /tmp/telco-engine-bench), --skip-clickhouse,
 *            --generate-only (write the cache and stop)
 *
 * The Parquet files are written once per size (streamOperator, CSV parts converted by DuckDB; not
 * timed) and reused by later runs.
 */
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { predictChurn, subscriberFeatureSpec, trainChurnModel } from '../src/churn/index.js';
import { type Subscriber, streamOperator } from '../src/data/index.js';
import {
  type CallTable,
  connect,
  type EngineCustomerValues,
  engineRfmValues,
  engineSubscriberFeatures,
} from '../src/engine/index.js';
import * as rfmModule from '../src/rfm/index.js';
import { kmeans } from '../src/segmentation/index.js';
import { machineLine, packageVersion, peakMemory, quick, timed } from './machine.js';

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
};
const targetCdrs = Number(argument('--cdrs') ?? (quick ? 2_000_000 : 100_000_000));
const cacheRoot = argument('--dir') ?? '/tmp/telco-engine-bench';
const months = 4;
const seed = 2026;
// The synthetic operator averages about 96 CDRs per subscriber and month.
const subscriberCount = Math.max(500, Math.round(targetCdrs / (96 * months)));
const directory = join(cacheRoot, `operator-${subscriberCount}x${months}-seed${seed}`);
const marker = join(directory, 'done.json');

interface CacheInfo {
  readonly cdrs: number;
  readonly start: string;
  readonly end: string;
  readonly generationSeconds: number;
}

// --- generate once: Parquet parts of about 10 million CDRs, subscribers and churn truth as JSON ---
// CSV text per part (integer epoch milliseconds, empty = NULL), converted by DuckDB to Parquet:
// several times faster than appending the values one by one through the appender API.
const csvColumns =
  "{'subscriberId': 'VARCHAR', 'start': 'BIGINT', 'service': 'VARCHAR', 'direction': 'VARCHAR', 'durationSec': 'DOUBLE', 'volumeMb': 'DOUBLE', 'destination': 'VARCHAR', 'calledNumber': 'VARCHAR', 'cellId': 'VARCHAR', 'region': 'VARCHAR', 'charge': 'DOUBLE'}";

async function generate(): Promise<CacheInfo> {
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const started = performance.now();
  const operator = streamOperator({ subscribers: subscriberCount, months, seed });
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  const subscribers: Subscriber[] = [];
  const truth: { subscriberId: string; churned: boolean; churnDate: string | null; fraud: string | null }[] =
    [];
  let part = 0;
  let inPart = 0;
  let total = 0;
  const csv = join(directory, 'part.csv');
  let descriptor = openSync(csv, 'w');
  const flush = async (): Promise<void> => {
    closeSync(descriptor);
    const file = join(directory, `calls-${String(part).padStart(3, '0')}.parquet`);
    await connection.run(
      `COPY (SELECT * FROM read_csv('${csv}', header = false, columns = ${csvColumns})) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)`,
    );
    descriptor = openSync(csv, 'w');
    part++;
    inPart = 0;
  };
  for (const chunk of operator.chunks()) {
    subscribers.push(...chunk.subscribers);
    for (const row of chunk.truth)
      truth.push({
        subscriberId: row.subscriberId,
        churned: row.churned,
        churnDate: row.churnDate,
        fraud: row.fraud === null ? null : String(row.fraud),
      });
    // Plain concatenation and one join per chunk: template literals with eleven parts cost more here.
    const lines: string[] = new Array(chunk.calls.length);
    for (let i = 0; i < chunk.calls.length; i++) {
      const call = chunk.calls[i]!;
      const duration = call.durationSec;
      const volume = call.volumeMb;
      const charge = call.charge;
      lines[i] =
        call.subscriberId +
        ',' +
        call.start +
        ',' +
        call.service +
        ',' +
        (call.direction ?? '') +
        ',' +
        (duration === undefined ? '' : duration) +
        ',' +
        (volume === undefined ? '' : volume) +
        ',' +
        (call.destination ?? '') +
        ',' +
        (call.calledNumber ?? '') +
        ',' +
        (call.cellId ?? '') +
        ',' +
        (call.region ?? '') +
        ',' +
        (charge === undefined ? '' : charge);
    }
    if (lines.length > 0) writeSync(descriptor, `${lines.join('\n')}\n`);
    inPart += chunk.calls.length;
    total += chunk.calls.length;
    if (inPart >= 10_000_000) await flush();
  }
  if (inPart > 0) await flush();
  closeSync(descriptor);
  rmSync(csv);
  connection.closeSync();
  instance.closeSync();
  writeFileSync(join(directory, 'subscribers.json'), JSON.stringify(subscribers));
  writeFileSync(join(directory, 'truth.json'), JSON.stringify(truth));
  const info: CacheInfo = {
    cdrs: total,
    start: operator.start,
    end: operator.end,
    generationSeconds: (performance.now() - started) / 1000,
  };
  writeFileSync(marker, JSON.stringify(info));
  return info;
}

const cached = existsSync(marker);
const info: CacheInfo = cached ? (JSON.parse(readFileSync(marker, 'utf8')) as CacheInfo) : await generate();
if (process.argv.includes('--generate-only')) {
  console.log(
    `${info.cdrs} CDRs in ${directory} (${cached ? 'cached' : `generated in ${info.generationSeconds.toFixed(0)} s`})`,
  );
  process.exit(0);
}
const glob = join(directory, 'calls-*.parquet');
const parquetBytes = readdirSync(directory)
  .filter((name) => name.endsWith('.parquet'))
  .reduce((sum, name) => sum + statSync(join(directory, name)).size, 0);
const subscribers = JSON.parse(readFileSync(join(directory, 'subscribers.json'), 'utf8')) as Subscriber[];
const truth = new Map(
  (
    JSON.parse(readFileSync(join(directory, 'truth.json'), 'utf8')) as {
      subscriberId: string;
      churned: boolean;
      churnDate: string | null;
      fraud: string | null;
    }[]
  ).map((row) => [row.subscriberId, row]),
);

// Features as of the first day of the last month; the label: churns during the last month.
const end = new Date(`${info.end}T00:00:00Z`);
const asOf = Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 1, 1);
const asOfDate = new Date(asOf).toISOString().slice(0, 10);
const activation = new Map(
  subscribers.map((row) => [row.subscriberId, Date.parse(String(row.activationDate))]),
);
const rfmFromValues = (rfmModule as Record<string, unknown>).rfmFromValues as
  | ((values: readonly EngineCustomerValues[], options?: object) => rfmModule.RfmResult)
  | undefined;

interface StepTime {
  readonly step: string;
  readonly seconds: number;
  /** CPU seconds of this process (DuckDB's threads included; ClickHouse's servers not). */
  readonly cpuSeconds: number;
}

/** Wall and CPU time of one step: on a shared machine the CPU time is the steadier figure. */
async function measured<T>(
  work: () => T | Promise<T>,
): Promise<{ seconds: number; cpuSeconds: number; result: T }> {
  const cpu = process.cpuUsage();
  const { seconds, result } = await timed(work);
  const used = process.cpuUsage(cpu);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6, result };
}

/** The whole path through one engine: aggregation pushed down, training and clustering in process. */
async function endToEnd(calls: CallTable): Promise<{ steps: StepTime[]; summary: string[] }> {
  const steps: StepTime[] = [];
  const summary: string[] = [];
  const features = await measured(() => engineSubscriberFeatures(calls, subscribers, { asOf, months: 3 }));
  steps.push({
    step: 'subscriber features (engine)',
    seconds: features.seconds,
    cpuSeconds: features.cpuSeconds,
  });
  const values = await measured(() => engineRfmValues(calls));
  steps.push({ step: 'RFM values (engine)', seconds: values.seconds, cpuSeconds: values.cpuSeconds });
  if (rfmFromValues !== undefined) {
    const scored = await measured(() => rfmFromValues(values.result));
    steps.push({ step: 'RFM scoring (in process)', seconds: scored.seconds, cpuSeconds: scored.cpuSeconds });
    summary.push(
      `RFM: ${scored.result.customers.length} customers, ${scored.result.segments.length} segments`,
    );
  } else summary.push('RFM scoring skipped: rfmFromValues is not in telco-analytics/rfm yet');

  const rows = features.result
    .filter((row) => {
      const planted = truth.get(String(row.subscriberId));
      if (planted === undefined || planted.fraud !== null) return false;
      if (activation.get(String(row.subscriberId))! >= asOf) return false;
      return !(planted.churned && planted.churnDate !== null && planted.churnDate <= asOfDate);
    })
    .map((row) => ({ ...row, churnsNextMonth: truth.get(String(row.subscriberId))!.churned }));
  const spec = subscriberFeatureSpec().filter(
    (feature) => feature.name !== 'planId' && feature.name !== 'complaints' && feature.name !== 'arrearsDays',
  );
  const model = await measured(() => trainChurnModel(rows, { target: 'churnsNextMonth', features: spec }));
  steps.push({
    step: `churn logistic training (in process, ${rows.length} rows)`,
    seconds: model.seconds,
    cpuSeconds: model.cpuSeconds,
  });
  const scores = predictChurn(model.result, rows);
  let auc = 0;
  {
    // AUC by ranks (Mann-Whitney): the share of (churner, stayer) pairs ordered correctly.
    const order = Array.from(scores, (score, i) => [score, rows[i]!.churnsNextMonth ? 1 : 0] as const).sort(
      (a, b) => a[0] - b[0],
    );
    let positives = 0;
    let rankSum = 0;
    order.forEach(([, label], i) => {
      if (label === 1) {
        positives++;
        rankSum += i + 1;
      }
    });
    const negatives = order.length - positives;
    auc = (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
  }
  summary.push(`churn: ${rows.length} subscribers, in-sample AUC ${auc.toFixed(3)}`);

  const usage = features.result.map((row) =>
    ['voiceMinutes', 'sms', 'dataMb', 'spend', 'nightShare', 'internationalShare'].map((name) => {
      const value = Number(row[name]);
      return name.endsWith('Share') ? value : Math.log1p(value);
    }),
  );
  const clusters = await measured(() => kmeans(usage, { k: 6, seed, nInit: 1 }));
  steps.push({
    step: `k-means k=6 (in process, ${usage.length} rows)`,
    seconds: clusters.seconds,
    cpuSeconds: clusters.cpuSeconds,
  });
  summary.push(`k-means: ${clusters.result.iterations} iterations`);
  return { steps, summary };
}

function printSteps(title: string, steps: readonly StepTime[], peakMb: number): void {
  console.log(`\n${title}`);
  console.log('| step | wall s | CPU s (this process) |');
  console.log('|---|---:|---:|');
  for (const { step, seconds, cpuSeconds } of steps)
    console.log(`| ${step} | ${seconds.toFixed(2)} | ${cpuSeconds.toFixed(2)} |`);
  const total = steps.reduce((sum, step) => sum + step.seconds, 0);
  const cpu = steps.reduce((sum, step) => sum + step.cpuSeconds, 0);
  console.log(`| **end to end** | **${total.toFixed(2)}** | **${cpu.toFixed(2)}** |`);
  console.log(`peak resident memory of this process: ${peakMb} MB`);
}

console.log(machineLine());
console.log(
  `packages: @duckdb/node-api ${packageVersion('@duckdb/node-api')}, @clickhouse/client ${packageVersion('@clickhouse/client')}`,
);
console.log(
  `data: ${info.cdrs.toLocaleString('en')} CDRs of ${subscriberCount.toLocaleString('en')} subscribers over ${months} months, ${(parquetBytes / 2 ** 30).toFixed(2)} GiB Parquet in ${directory} (${cached ? 'cached' : `generated in ${info.generationSeconds.toFixed(0)} s, not timed`})`,
);

{
  const memory = peakMemory();
  const engine = await connect({ kind: 'duckdb', threads: 2 });
  const started = performance.now();
  const calls = await engine.registerCalls(glob);
  const result = await endToEnd(calls);
  await engine.close();
  const wall = (performance.now() - started) / 1000;
  printSteps(`DuckDB over ${glob} (2 threads), wall ${wall.toFixed(2)} s`, result.steps, memory.stop());
  for (const line of result.summary) console.log(`  ${line}`);
}

// --- the same through the two-shard ClickHouse cluster ---
const clickhouseUrl = process.env.TELCO_CLICKHOUSE_URL;
async function clickhouse(sql: string, body?: ReadableStream<Uint8Array>): Promise<string> {
  const target = new URL('/', clickhouseUrl);
  target.searchParams.set('insert_distributed_sync', '1');
  if (body !== undefined) target.searchParams.set('query', sql);
  const response = await fetch(target, {
    method: 'POST',
    body: body ?? sql,
    ...(body === undefined ? {} : { duplex: 'half' }),
  } as RequestInit);
  const text = await response.text();
  if (!response.ok) throw new Error(`ClickHouse: ${text.trim()}`);
  return text;
}

if (process.argv.includes('--skip-clickhouse') || clickhouseUrl === undefined || clickhouseUrl === '') {
  console.log('\nClickHouse: skipped (set TELCO_CLICKHOUSE_URL, from scripts/clickhouse-cluster.sh start)');
} else {
  const shards = (process.env.TELCO_CLICKHOUSE_SHARD_URLS ?? clickhouseUrl).split(',');
  const cluster = process.env.TELCO_CLICKHOUSE_CLUSTER ?? 'telco_cluster';
  const database = 'telco_bench';
  const columns =
    '(subscriberId String, start Int64, service String, direction Nullable(String), durationSec Nullable(Float64), volumeMb Nullable(Float64), destination Nullable(String), calledNumber Nullable(String), cellId Nullable(String), region Nullable(String), charge Nullable(Float64))';
  let loaded = 0;
  try {
    loaded = Number(await clickhouse(`SELECT count() FROM ${database}.calls`));
  } catch {
    loaded = 0;
  }
  let loadSeconds = 0;
  if (loaded !== info.cdrs) {
    const started = performance.now();
    for (const shard of shards) {
      const target = new URL('/', shard);
      for (const sql of [
        `DROP DATABASE IF EXISTS ${database}`,
        `CREATE DATABASE ${database}`,
        `CREATE TABLE ${database}.calls_local ${columns} ENGINE = MergeTree() ORDER BY (subscriberId, start)`,
      ]) {
        const response = await fetch(target, { method: 'POST', body: sql });
        if (!response.ok) throw new Error(`ClickHouse ${shard}: ${(await response.text()).trim()}`);
      }
    }
    await clickhouse(
      `CREATE TABLE ${database}.calls AS ${database}.calls_local ENGINE = Distributed(${cluster}, ${database}, calls_local, cityHash64(subscriberId))`,
    );
    // ClickHouse 18.16 reads no Parquet: DuckDB writes each part as TSV (\N for NULL), streamed in.
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const connection = await instance.connect();
    for (const name of readdirSync(directory)
      .filter((file) => file.endsWith('.parquet'))
      .sort()) {
      const tsv = join(directory, `${name}.tsv`);
      await connection.run(
        `COPY (SELECT * FROM read_parquet('${join(directory, name)}')) TO '${tsv}' (FORMAT csv, DELIMITER '\t', HEADER false, QUOTE '', NULLSTR '\\N')`,
      );
      await clickhouse(
        `INSERT INTO ${database}.calls FORMAT TabSeparated`,
        Readable.toWeb(createReadStream(tsv)) as ReadableStream<Uint8Array>,
      );
      rmSync(tsv);
    }
    connection.closeSync();
    instance.closeSync();
    loadSeconds = (performance.now() - started) / 1000;
    loaded = Number(await clickhouse(`SELECT count() FROM ${database}.calls`));
  }
  const memory = peakMemory();
  const engine = await connect({ kind: 'clickhouse', url: clickhouseUrl, database });
  const started = performance.now();
  const calls = await engine.registerCalls({ table: 'calls' });
  const result = await endToEnd(calls);
  await engine.close();
  const wall = (performance.now() - started) / 1000;
  printSteps(
    `ClickHouse ${await clickhouse('SELECT version()').then((text) => text.trim())}, ${shards.length} shards under a Distributed table (${loaded.toLocaleString('en')} CDRs; load ${loadSeconds > 0 ? `${loadSeconds.toFixed(0)} s, not timed` : 'cached'}), wall ${wall.toFixed(2)} s`,
    result.steps,
    memory.stop(),
  );
  for (const line of result.summary) console.log(`  ${line}`);
}
