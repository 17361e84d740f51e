import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { OptionError } from 'telco-analytics/data';
import { connect, engineCube, engineRfmValues } from 'telco-analytics/engine';
import { afterAll, describe, expect, it } from 'vitest';
import { clickHouseStatement, clickHouseUnderTest } from './engine-fixtures.js';

// Identifiers are quoted whole and values are written by a strict literal formatter (ClickHouse
// 18.16 has no server-side query parameters), so a hostile table, column or file name is only
// ever a name: a table by that name is read, a missing one is an error, and nothing else runs.
const hostileTable = 'x` ; DROP TABLE calls; --';
const hostileDuckTable = 'x" ; DROP TABLE calls; --';
const hostileColumn = 'id`) , 1; DROP TABLE calls; -- \' " \\';
const rows = [
  ['A', 1_704_067_200_000, 'voice', 2.5],
  ['A', 1_704_153_600_000, 'sms', 0.1],
  ['B', 1_704_240_000_000, 'data', 4],
] as const;

describe('DuckDB: hostile names cannot inject', () => {
  const directory = mkdtempSync(join(tmpdir(), 'telco-engine-injection-'));
  const path = join(directory, 'calls.duckdb');
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('reads a table and a column whose names hold SQL, and leaves the calls table alone', async () => {
    const setup = await DuckDBInstance.create(path);
    const connection = await setup.connect();
    const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
    for (const table of ['calls', hostileDuckTable, hostileTable]) {
      await connection.run(
        `CREATE TABLE ${quote(table)} (${quote(hostileColumn)} VARCHAR, start BIGINT, service VARCHAR, charge DOUBLE)`,
      );
      for (const [id, start, service, charge] of rows)
        await connection.run(
          `INSERT INTO ${quote(table)} VALUES ('${id}', ${start}, '${service}', ${charge})`,
        );
    }
    connection.closeSync();
    setup.closeSync();

    const engine = await connect({ kind: 'duckdb', path });
    try {
      for (const table of [hostileDuckTable, hostileTable]) {
        const calls = await engine.registerCalls({ table }, { columns: { subscriberId: hostileColumn } });
        const values = await engineRfmValues(calls);
        expect(values.map((row) => [row.customerId, row.events])).toEqual([
          ['A', 2],
          ['B', 1],
        ]);
      }
      await expect(engine.registerCalls({ table: 'calls"; DROP TABLE calls; --' })).rejects.toThrow(
        /does not exist/,
      );
      await expect(engine.registerCalls("x'); DROP TABLE calls; --.csv")).rejects.toThrow(/No files found/);
      await expect(
        engine.registerCalls({ table: 'calls' }, { columns: { subscriberId: 'id" ; DROP TABLE calls; --' } }),
      ).rejects.toThrow(OptionError);
      const calls = await engine.registerCalls(
        { table: 'calls' },
        { columns: { subscriberId: hostileColumn } },
      );
      expect((await engineRfmValues(calls)).length).toBe(2);
    } finally {
      await engine.close();
    }
  });

  it('rejects a non-finite quantile and an unknown field before any SQL is built', async () => {
    const engine = await connect({ kind: 'duckdb', path });
    try {
      const calls = await engine.registerCalls(
        { table: 'calls' },
        { columns: { subscriberId: hostileColumn } },
      );
      await expect(
        engineCube(calls, { dimensions: ['service'], measures: { q: 'quantile:charge:NaN' } }),
      ).rejects.toThrow(OptionError);
      await expect(
        engineCube(calls, { dimensions: ['service); DROP TABLE calls; --'], measures: { n: 'count' } }),
      ).rejects.toThrow(/not a CallRecord field/);
    } finally {
      await engine.close();
    }
  });
});

const target = await clickHouseUnderTest();

describe.skipIf(target === undefined)('ClickHouse: hostile names cannot inject', () => {
  const database = 'telco_engine_injection';
  const quote = (name: string) => `\`${name.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``;
  afterAll(async () => {
    if (target !== undefined) await clickHouseStatement(target.url, `DROP DATABASE IF EXISTS ${database}`);
  });

  it('reads a table and a column whose names hold SQL, and leaves the calls table alone', async () => {
    const url = target!.url;
    await clickHouseStatement(url, `DROP DATABASE IF EXISTS ${database}`);
    await clickHouseStatement(url, `CREATE DATABASE ${database}`);
    for (const table of ['calls', hostileTable, hostileDuckTable]) {
      await clickHouseStatement(
        url,
        `CREATE TABLE ${database}.${quote(table)} (${quote(hostileColumn)} String, start Int64, service String, charge Float64) ENGINE = Memory`,
      );
      const values = rows.map(
        ([id, start, service, charge]) => `('${id}', ${start}, '${service}', ${charge})`,
      );
      await clickHouseStatement(url, `INSERT INTO ${database}.${quote(table)} VALUES ${values.join(', ')}`);
    }
    const engine = await connect({ kind: 'clickhouse', url, database });
    try {
      for (const table of [hostileTable, hostileDuckTable]) {
        const calls = await engine.registerCalls({ table }, { columns: { subscriberId: hostileColumn } });
        const values = await engineRfmValues(calls);
        expect(values.map((row) => [row.customerId, row.events])).toEqual([
          ['A', 2],
          ['B', 1],
        ]);
      }
      await expect(engine.registerCalls({ table: 'calls` ; DROP TABLE calls; --' })).rejects.toThrow(
        /doesn't exist/,
      );
      await expect(
        engine.registerCalls({ table: 'calls' }, { columns: { subscriberId: "id' ; DROP TABLE calls; --" } }),
      ).rejects.toThrow(OptionError);
      expect(await clickHouseStatement(url, `EXISTS TABLE ${database}.calls`)).toBe('1\n');
      const calls = await engine.registerCalls(
        { table: 'calls' },
        { columns: { subscriberId: hostileColumn } },
      );
      expect((await engineRfmValues(calls)).length).toBe(2);
    } finally {
      await engine.close();
    }
  });
});
