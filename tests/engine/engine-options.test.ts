import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OptionError } from 'telco-analytics/data';
import {
  type CallTable,
  connect,
  engineCallBaskets,
  engineCube,
  engineRfmValues,
  engineSubscriberFeatures,
  parseEngineFlag,
  streamCalls,
} from 'telco-analytics/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('connect', () => {
  it('names the bad option', async () => {
    await expect(connect({ kind: 'oracle' } as never)).rejects.toThrow(/kind/);
    await expect(connect(undefined as never)).rejects.toThrow(OptionError);
    await expect(connect({ kind: 'duckdb', threads: 0 })).rejects.toThrow(/threads/);
    await expect(connect({ kind: 'duckdb', memoryLimit: 'lots' })).rejects.toThrow(/memoryLimit/);
    await expect(connect({ kind: 'duckdb', path: '' })).rejects.toThrow(/path/);
    await expect(connect({ kind: 'clickhouse', url: 'ftp://host' })).rejects.toThrow(/url/);
    await expect(
      connect({ kind: 'clickhouse', url: 'http://127.0.0.1:1', requestTimeoutMs: -1 }),
    ).rejects.toThrow(/requestTimeoutMs/);
    await expect(connect({ kind: 'clickhouse', url: 'http://127.0.0.1:1', cluster: '' })).rejects.toThrow(
      /cluster/,
    );
  });

  it('keeps the database clients out of the static import graph (they are imported on connect)', () => {
    const root = fileURLToPath(new URL('../../src/engine/', import.meta.url));
    const pending = [resolve(root, 'index.ts')];
    const seen = new Set<string>();
    const packages = new Set<string>();
    const pattern = /^\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]/gm;
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(pattern)) {
        const isTypeOnly = /^\s*(?:import|export)\s+type\s/.test(match[0]);
        const target = match[1]!;
        if (target.startsWith('.')) pending.push(resolve(dirname(file), target.replace(/\.js$/, '.ts')));
        else if (!isTypeOnly) packages.add(target);
      }
    }
    expect([...packages]).toEqual([]);
  });
});

describe('parseEngineFlag', () => {
  it('reads duckdb:FILES and clickhouse:URL with table, database and cluster', () => {
    expect(parseEngineFlag('duckdb:cdr/*.parquet')).toEqual({
      options: { kind: 'duckdb' },
      source: 'cdr/*.parquet',
    });
    expect(parseEngineFlag('clickhouse:http://10.0.0.5:8123/?table=cdr&database=telco&cluster=east')).toEqual(
      {
        options: { kind: 'clickhouse', url: 'http://10.0.0.5:8123/', database: 'telco', cluster: 'east' },
        source: { table: 'cdr' },
      },
    );
    expect(parseEngineFlag('clickhouse:https://ch.example:8443')).toEqual({
      options: { kind: 'clickhouse', url: 'https://ch.example:8443/' },
      source: { table: 'calls' },
    });
  });

  it('names the engine flag for anything else', () => {
    for (const bad of ['duckdb:', 'clickhouse:not a url', 'clickhouse:ftp://x', 'postgres:db', '', 'duckdb'])
      expect(() => parseEngineFlag(bad), bad).toThrow(OptionError);
  });
});

describe('push-down functions on bad input', () => {
  let engine: Awaited<ReturnType<typeof connect>>;
  beforeAll(async () => {
    engine = await connect({ kind: 'duckdb' });
  });
  afterAll(async () => engine?.close());

  it('registerCalls names a missing required column and an unknown mapping', async () => {
    const csv = fileURLToPath(new URL('./no-such-file.csv', import.meta.url));
    await expect(engine.registerCalls(csv)).rejects.toThrow();
    await expect(
      engine.registerCalls({ table: 'calls' }, { columns: { msisdn: 'x' } as never }),
    ).rejects.toThrow(/columns\.msisdn/);
    await expect(engine.registerCalls(42 as never)).rejects.toThrow(/source/);
  });

  it('rejects a start column that is neither a timestamp, a date nor integer milliseconds', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'telco-engine-start-'));
    try {
      const file = join(directory, 'calls.csv');
      writeFileSync(file, 'subscriberId,start,service\nA,1.5,voice\n');
      await expect(engine.registerCalls(file)).rejects.toThrow(/start time must be a timestamp/);
      writeFileSync(file, 'subscriberId,start,service\nA,1704153600000,voice\n');
      const calls = await engine.registerCalls(file);
      expect((await engineRfmValues(calls))[0]?.lastEvent).toBe(1_704_153_600_000);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('every push-down function rejects an object that is not a registered call table', async () => {
    const fake = { engine, source: 'x', fields: [] } as unknown as CallTable;
    await expect(engineSubscriberFeatures(fake, [], { asOf: '2024-01-01' })).rejects.toThrow(/calls/);
    await expect(engineRfmValues(fake)).rejects.toThrow(OptionError);
    await expect(engineCallBaskets(fake)).rejects.toThrow(OptionError);
    await expect(engineCube(fake, { dimensions: [], measures: { n: 'count' } })).rejects.toThrow(OptionError);
    await expect(streamCalls(fake).next()).rejects.toThrow(OptionError);
  });
});

describe('options of the push-down functions', () => {
  let engine: Awaited<ReturnType<typeof connect>>;
  let calls: CallTable;
  beforeAll(async () => {
    engine = await connect({ kind: 'duckdb' });
    const csv = fileURLToPath(new URL('./engine-calls-sample.csv', import.meta.url));
    calls = await engine.registerCalls(csv, { columns: { subscriberId: 'msisdn', start: 'event_time' } });
  });
  afterAll(async () => engine?.close());

  it('maps renamed columns and reads the missing optional fields as absent', async () => {
    expect(calls.fields).toEqual(['subscriberId', 'start', 'service', 'direction', 'durationSec', 'charge']);
    const values = await engineRfmValues(calls);
    // Hand-worked from the sample: A has 3 events on 2 days (Jan 2, Jan 3) in one month, 0.25 + 0.10 + 0.5.
    expect(values[0]).toEqual({
      customerId: 'A',
      lastEvent: Date.UTC(2024, 0, 3, 23, 0),
      events: 3,
      revenue: 0.85,
      activeDays: 2,
      activeMonths: 1,
    });
  });

  it('names asOf, months, by, days, thresholds, itemize, rowsPerChunk and partitions', async () => {
    await expect(engineSubscriberFeatures(calls, [], {} as never)).rejects.toThrow(/asOf/);
    await expect(engineSubscriberFeatures(calls, [], { asOf: 'soon' })).rejects.toThrow(/asOf/);
    await expect(engineSubscriberFeatures(calls, [], { asOf: '2024-02-01', months: 0 })).rejects.toThrow(
      /months/,
    );
    await expect(
      engineSubscriberFeatures(calls, [{ subscriberId: '' }], { asOf: '2024-02-01' }),
    ).rejects.toThrow(/subscriberId/);
    await expect(engineCallBaskets(calls, { by: 'week' as never })).rejects.toThrow(/by/);
    await expect(engineCallBaskets(calls, { days: 0 })).rejects.toThrow(/days/);
    await expect(engineCallBaskets(calls, { thresholds: { nightStartHour: 24 } })).rejects.toThrow(
      /nightStartHour/,
    );
    await expect(engineCallBaskets(calls, { itemize: 'x' as never })).rejects.toThrow(/itemize/);
    await expect(engineCallBaskets(calls, { itemize: () => [''] })).rejects.toThrow(/itemize/);
    await expect(engineCube(calls, { dimensions: ['month'], measures: {} })).rejects.toThrow(/measures/);
    await expect(
      engineCube(calls, {
        dimensions: [{ name: 'h', field: 'charge', time: 'hour' }],
        measures: { n: 'count' },
      }),
    ).rejects.toThrow(/time parts derive from 'start'/);
    await expect(streamCalls(calls, { rowsPerChunk: 0 }).next()).rejects.toThrow(/rowsPerChunk/);
    await expect(streamCalls(calls, { partitions: 1.5 }).next()).rejects.toThrow(/partitions/);
  });

  it('a registered table survives frozen inputs and gives subscribers without calls zero usage', async () => {
    const subscribers = Object.freeze([
      Object.freeze({ subscriberId: 'A' }),
      Object.freeze({ subscriberId: 'Z' }),
    ]);
    const rows = await engineSubscriberFeatures(calls, subscribers, { asOf: '2024-02-01', months: 1 });
    expect(rows.map((row) => [row.subscriberId, row.voiceMinutes, row.spend, row.activeDays])).toEqual([
      ['A', 1.5, 0.85, 2],
      ['Z', 0, 0, 0],
    ]);
  });
});
