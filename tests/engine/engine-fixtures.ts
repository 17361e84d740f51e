import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { type CallRecord, callsToCsv, generateOperator, type SyntheticOperator } from 'telco-analytics/data';
import { expect } from 'vitest';

/** The synthetic operator every engine test loads: 300 subscribers over 3 months (about 87,000 CDRs). */
export function testOperator(): SyntheticOperator {
  return generateOperator({ subscribers: 300, months: 3, seed: 11 });
}

/** The operator's CDRs written as CSV (the package's own writer) and as Parquet (by DuckDB from that CSV). */
export async function writeCallFiles(calls: readonly CallRecord[]): Promise<{
  directory: string;
  csv: string;
  parquet: string;
  remove(): void;
}> {
  const directory = mkdtempSync(join(tmpdir(), 'telco-engine-'));
  const csv = join(directory, 'calls.csv');
  const parquet = join(directory, 'calls.parquet');
  writeFileSync(csv, callsToCsv(calls, { header: true }));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(
    `COPY (SELECT * FROM read_csv('${csv}', header = true)) TO '${parquet}' (FORMAT parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
  return { directory, csv, parquet, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

/**
 * Numbers equal exactly when both are integers (counts, and sums of whole numbers), else to a
 * relative 1e-9: the engine adds fractional values (minutes, megabytes, charges with cents) in
 * another order than one pass over the array does, which moves the last bits. The 1e-12 absolute
 * floor covers values that cancel to about zero (a trend of equal months).
 */
export function expectSameValues(actual: unknown, expected: unknown, path = 'result'): void {
  const difference = firstDifference(actual, expected, path);
  if (difference !== undefined) expect.fail(difference);
}

/** The first place where `actual` and `expected` differ, or undefined (no `expect` per value: 10^6 values stay fast). */
function firstDifference(actual: unknown, expected: unknown, path: string): string | undefined {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isInteger(expected) && Number.isInteger(actual))
      return actual === expected ? undefined : `${path}: ${actual} !== ${expected}`;
    const tolerance = 1e-9 * Math.max(Math.abs(expected), Math.abs(actual)) + 1e-12;
    return Math.abs(actual - expected) <= tolerance
      ? undefined
      : `${path}: ${actual} differs from ${expected} by more than ${tolerance}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, received ${JSON.stringify(actual)}`;
    if (actual.length !== expected.length) return `${path}: length ${actual.length} !== ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const difference = firstDifference(actual[i], expected[i], `${path}[${i}]`);
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null)
      return `${path}: expected an object, received ${JSON.stringify(actual)}`;
    const record = actual as Record<string, unknown>;
    const keys = Object.keys(expected).sort().join(',');
    if (Object.keys(record).sort().join(',') !== keys)
      return `${path}: keys ${Object.keys(record).sort().join(',')} !== ${keys}`;
    for (const [key, value] of Object.entries(expected)) {
      const difference = firstDifference(record[key], value, `${path}.${key}`);
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  return Object.is(actual, expected)
    ? undefined
    : `${path}: ${JSON.stringify(actual)} !== ${JSON.stringify(expected)}`;
}

/** The ClickHouse under test: the URL the CI sets, every shard's URL and the cluster name. */
export interface ClickHouseUnderTest {
  readonly url: string;
  readonly shardUrls: readonly string[];
  readonly cluster: string;
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('/ping', url), { signal: AbortSignal.timeout(3000) });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * The cluster from `TELCO_CLICKHOUSE_URL` (set by .ci/run from scripts/clickhouse-cluster.sh), or
 * `undefined` with the reason printed when the variable is unset. A set variable whose server does
 * not answer is an error, not a skip: in CI the cluster must be there.
 */
export async function clickHouseUnderTest(): Promise<ClickHouseUnderTest | undefined> {
  const url = process.env.TELCO_CLICKHOUSE_URL;
  if (url === undefined || url === '') {
    process.stderr.write(
      'skipped: ClickHouse engine tests need TELCO_CLICKHOUSE_URL (start a cluster with scripts/clickhouse-cluster.sh start)\n',
    );
    return undefined;
  }
  const shardUrls = (process.env.TELCO_CLICKHOUSE_SHARD_URLS ?? url).split(',').filter((item) => item !== '');
  for (const shard of shardUrls) {
    if (!(await answers(shard)))
      throw new Error(`TELCO_CLICKHOUSE_URL is set but no ClickHouse answers at ${shard}`);
  }
  return { url, shardUrls, cluster: process.env.TELCO_CLICKHOUSE_CLUSTER ?? 'telco_cluster' };
}

/** Runs one statement over ClickHouse's HTTP interface (test set-up only; the library uses @clickhouse/client). */
export async function clickHouseStatement(url: string, sql: string, body?: string): Promise<string> {
  const target = new URL('/', url);
  target.searchParams.set('insert_distributed_sync', '1');
  if (body !== undefined) target.searchParams.set('query', sql);
  const response = await fetch(target, { method: 'POST', body: body ?? sql });
  const text = await response.text();
  if (!response.ok) throw new Error(`ClickHouse: ${text.trim()} (statement: ${sql.slice(0, 200)})`);
  return text;
}

const callTableColumns = `(subscriberId String, start Int64, service String, direction Nullable(String),
  durationSec Nullable(Float64), volumeMb Nullable(Float64), destination Nullable(String),
  calledNumber Nullable(String), cellId Nullable(String), region Nullable(String), charge Nullable(Float64))`;

/**
 * Loads CDRs into a two-shard ClickHouse: a MergeTree table `calls_local` on every shard and a
 * `Distributed` table `calls` over them (sharded by a hash of the subscriber), in `database`.
 * ClickHouse 18.16 syntax: `ENGINE = MergeTree() ORDER BY`, `Distributed(cluster, db, table, key)`.
 */
export async function loadClickHouseCalls(
  target: ClickHouseUnderTest,
  database: string,
  calls: readonly CallRecord[],
): Promise<void> {
  for (const shard of target.shardUrls) {
    await clickHouseStatement(shard, `DROP DATABASE IF EXISTS ${database}`);
    await clickHouseStatement(shard, `CREATE DATABASE ${database}`);
    await clickHouseStatement(
      shard,
      `CREATE TABLE ${database}.calls_local ${callTableColumns} ENGINE = MergeTree() ORDER BY (subscriberId, start)`,
    );
  }
  const distributed =
    target.shardUrls.length > 1
      ? `Distributed(${target.cluster}, ${database}, calls_local, cityHash64(subscriberId))`
      : `Merge(${database}, '^calls_local$')`;
  await clickHouseStatement(
    target.url,
    `CREATE TABLE ${database}.calls AS ${database}.calls_local ENGINE = ${distributed}`,
  );
  const lines = calls.map((call) =>
    JSON.stringify({
      subscriberId: call.subscriberId,
      start: call.start,
      service: call.service,
      direction: call.direction ?? null,
      durationSec: call.durationSec ?? null,
      volumeMb: call.volumeMb ?? null,
      destination: call.destination ?? null,
      calledNumber: call.calledNumber ?? null,
      cellId: call.cellId ?? null,
      region: call.region ?? null,
      charge: call.charge ?? null,
    }),
  );
  await clickHouseStatement(target.url, `INSERT INTO ${database}.calls FORMAT JSONEachRow`, lines.join('\n'));
}
