import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { type CallTable, connect, type Engine } from 'telco-analytics/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import {
  clickHouseStatement,
  clickHouseUnderTest,
  loadClickHouseCalls,
  testOperator,
  writeCallFiles,
} from './engine-fixtures.js';
import { pushDownEqualityTests } from './equality-suite.js';

// The two-shard ClickHouse cluster of scripts/clickhouse-cluster.sh (Debian's clickhouse-server
// 18.16 in CI): the synthetic operator's CDRs go into a MergeTree table on each shard under a
// Distributed table, and every push-down result equals the in-process result.
const target = await clickHouseUnderTest();
const database = 'telco_engine_test';
const operator = testOperator();
let engine: Engine;
let calls: CallTable;
let perShardCalls: CallTable;
let perShardEngine: Engine;

describe.skipIf(target === undefined)('ClickHouse, two shards under a Distributed table', () => {
  beforeAll(async () => {
    await loadClickHouseCalls(target!, database, operator.calls);
    engine = await connect({ kind: 'clickhouse', url: target!.url, database });
    calls = await engine.registerCalls({ table: 'calls' });
    perShardEngine = await connect({
      kind: 'clickhouse',
      url: target!.url,
      database,
      cluster: target!.cluster,
    });
    perShardCalls = await perShardEngine.registerCalls({ table: 'calls_local' });
  });

  afterAll(async () => {
    await engine?.close();
    await perShardEngine?.close();
    for (const shard of target?.shardUrls ?? [])
      await clickHouseStatement(shard, `DROP DATABASE IF EXISTS ${database}`);
  });

  it('spreads the CDRs over both shards', async () => {
    const counts = await Promise.all(
      target!.shardUrls.map(async (shard) =>
        Number(await clickHouseStatement(shard, `SELECT count() FROM ${database}.calls_local`)),
      ),
    );
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(operator.calls.length);
    if (target!.shardUrls.length > 1) expect(Math.min(...counts)).toBeGreaterThan(0);
  });

  it('the CLI reads the cluster with --engine clickhouse:URL and writes what it writes from --calls', async () => {
    const files = await writeCallFiles(operator.calls);
    try {
      const quiet = { stdout: new PassThrough(), stderr: new PassThrough() };
      const engineSpec = `clickhouse:${target!.url}?table=calls&database=${database}`;
      const outputs: string[] = [];
      for (const source of [
        ['--calls', files.csv],
        ['--engine', engineSpec],
      ]) {
        const out = join(files.directory, `alerts-${outputs.length}.csv`);
        expect(await runCli(['fraud', ...source, '--out', out], quiet)).toBe(0);
        outputs.push(readFileSync(out, 'utf8'));
      }
      expect(outputs[1]).toBe(outputs[0]);
      expect(outputs[0]!.split('\n').length).toBeGreaterThan(2);
    } finally {
      files.remove();
    }
  });

  describe('through the Distributed table', () => {
    pushDownEqualityTests(operator, () => calls);
  });

  describe("through cluster(name, database, 'calls_local') with the cluster option", () => {
    pushDownEqualityTests(operator, () => perShardCalls, 'aggregations');
  });
});
