import { DuckDBInstance } from '@duckdb/node-api';
import { createRng } from 'telco-analytics/data';
import { type CubeOptions, type CubeResult, cube } from 'telco-analytics/olap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The reference is DuckDB's GROUP BY CUBE / ROLLUP / GROUPING SETS run on the same rows
// (@duckdb/node-api, dev dependency), with the time parts computed by DuckDB's own date functions.

interface Row {
  subscriberId: string;
  start: number;
  region: string | null;
  cellId: string | null;
  service: string;
  charge: number | null;
  durationSec: number | null;
}

const rng = createRng(11);
const regions = ['North', 'South', 'East', null];
const services = ['voice', 'sms', 'data'];
const rows: Row[] = Array.from({ length: 3000 }, () => {
  const region = regions[rng.integer(regions.length)]!;
  const service = services[rng.integer(services.length)]!;
  return {
    subscriberId: `S${rng.integer(150)}`,
    // Spread over 2023-12-20 .. 2024-04-10, crossing a year, ISO weeks and quarters.
    start: Date.UTC(2023, 11, 20) + rng.integer(112 * 86_400) * 1000 + rng.integer(1000),
    region,
    cellId: region === null ? null : rng.uniform() < 0.05 ? null : `${region.slice(0, 1)}-${rng.integer(4)}`,
    service,
    charge: rng.uniform() < 0.1 ? null : Math.round(rng.uniform() * 500) / 100,
    durationSec: service === 'voice' ? 1 + rng.integer(900) : null,
  };
});
for (const row of rows) Object.freeze(row);
Object.freeze(rows);

const timeSql: Record<string, string> = {
  hour: 'hour(ts)',
  weekday: 'isodow(ts)',
  day: "strftime(ts, '%Y-%m-%d')",
  week: "strftime(date_trunc('week', ts), '%Y-%m-%d')",
  month: "strftime(ts, '%Y-%m')",
  quarter: "year(ts) || '-Q' || quarter(ts)",
};

const measures = {
  revenue: 'sum:charge',
  calls: 'count',
  voiced: 'count:durationSec',
  subscribers: 'countDistinct:subscriberId',
  meanDuration: 'mean:durationSec',
  minCharge: 'min:charge',
  maxCharge: 'max:charge',
  p90Duration: 'quantile:durationSec:0.9',
  arpu: 'ratio:revenue/subscribers',
} as const;
const measureSql = `sum(charge) AS revenue, count(*) AS calls, count(durationSec) AS voiced,
  count(DISTINCT subscriberId) AS subscribers, avg(durationSec) AS meanDuration, min(charge) AS minCharge,
  max(charge) AS maxCharge, quantile_cont(durationSec, 0.9) AS p90Duration,
  sum(charge) / count(DISTINCT subscriberId) AS arpu`;

let connection: Awaited<ReturnType<DuckDBInstance['connect']>>;

beforeAll(async () => {
  const instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(
    'CREATE TABLE raw (subscriberId VARCHAR, start BIGINT, region VARCHAR, cellId VARCHAR, service VARCHAR, charge DOUBLE, durationSec DOUBLE)',
  );
  const appender = await connection.createAppender('raw');
  for (const row of rows) {
    appender.appendVarchar(row.subscriberId);
    appender.appendBigInt(BigInt(row.start));
    if (row.region === null) appender.appendNull();
    else appender.appendVarchar(row.region);
    if (row.cellId === null) appender.appendNull();
    else appender.appendVarchar(row.cellId);
    appender.appendVarchar(row.service);
    if (row.charge === null) appender.appendNull();
    else appender.appendDouble(row.charge);
    if (row.durationSec === null) appender.appendNull();
    else appender.appendDouble(row.durationSec);
    appender.endRow();
  }
  appender.closeSync();
  const parts = Object.entries(timeSql)
    .map(([name, sql]) => `${sql} AS "${name}"`)
    .join(', ');
  await connection.run(
    `CREATE TABLE calls AS SELECT *, ${parts} FROM (SELECT *, make_timestamp(start * 1000) AS ts FROM raw)`,
  );
});

afterAll(() => {
  connection?.closeSync();
});

async function duckdb(dimensions: readonly string[], groupBy: string): Promise<Record<string, unknown>[]> {
  const quoted = dimensions.map((name) => `"${name}"`).join(', ');
  const reader = await connection.runAndReadAll(
    `SELECT ${quoted}, ${measureSql}, GROUPING(${quoted}) AS "grouping" FROM calls GROUP BY ${groupBy}`,
  );
  return reader.getRowObjectsJS().map((row) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row))
      out[key] = typeof value === 'bigint' ? Number(value) : value;
    return out;
  });
}

function keyOf(row: Record<string, unknown>, dimensions: readonly string[]): string {
  return JSON.stringify([row.grouping, ...dimensions.map((name) => row[name] ?? null)]);
}

function expectSameRows(ours: CubeResult, reference: Record<string, unknown>[]): void {
  const { dimensions } = ours;
  expect(ours.rows.length).toBe(reference.length);
  const byKey = new Map(reference.map((row) => [keyOf(row, dimensions), row]));
  for (const row of ours.rows) {
    const expected = byKey.get(keyOf(row, dimensions));
    expect(expected, `DuckDB has no row ${keyOf(row, dimensions)}`).toBeDefined();
    for (const name of ours.measures) {
      const value = expected![name] ?? null;
      if (value === null || row[name] === null) expect(row[name], name).toBe(value);
      else
        expect(row[name] as number, `${name} of ${keyOf(row, dimensions)}`).toBeCloseTo(value as number, 9);
    }
  }
}

describe('cube equals DuckDB', () => {
  const options = (dimensions: string[], extra: Partial<CubeOptions> = {}): CubeOptions => ({
    dimensions,
    measures,
    ...extra,
  });

  it('GROUP BY CUBE over three dimensions with nulls', async () => {
    const dimensions = ['region', 'service', 'month'];
    const ours = cube(rows, options(dimensions));
    expect(ours.groupingSets).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // A real null region (grouping bit 0) and the all-regions subtotal (bit set) are different rows.
    expect(ours.rows.some((row) => row.region === null && (row.grouping & 4) === 0)).toBe(true);
    expectSameRows(ours, await duckdb(dimensions, 'CUBE (region, service, month)'));
  });

  it('GROUP BY ROLLUP', async () => {
    const dimensions = ['quarter', 'month', 'day'];
    const ours = cube(rows, options(dimensions, { grouping: 'rollup' }));
    expect(ours.groupingSets).toEqual([0, 1, 3, 7]);
    expectSameRows(ours, await duckdb(dimensions, 'ROLLUP (quarter, month, day)'));
  });

  it('no subtotals (plain GROUP BY) over every time part', async () => {
    const dimensions = ['hour', 'weekday', 'day', 'week', 'month', 'quarter'];
    const ours = cube(rows, options(dimensions, { grouping: 'none' }));
    expectSameRows(ours, await duckdb(dimensions, 'hour, weekday, day, week, month, quarter'));
  });

  it('hierarchies: ROLLUP(region, cellId), ROLLUP(month, day)', async () => {
    const dimensions = ['region', 'cellId', 'month', 'day'];
    const ours = cube(
      rows,
      options(dimensions, {
        hierarchies: [
          ['region', 'cellId'],
          ['month', 'day'],
        ],
      }),
    );
    expect(ours.groupingSets).toHaveLength(9);
    expectSameRows(ours, await duckdb(dimensions, 'ROLLUP (region, cellId), ROLLUP (month, day)'));
  });

  it('one pass over an async iterable of batches gives the same result', async () => {
    async function* batches(): AsyncGenerator<readonly Row[]> {
      for (let from = 0; from < rows.length; from += 700) yield rows.slice(from, from + 700);
    }
    const fromStream = await cube(batches(), options(['region', 'service']));
    expect(fromStream).toEqual(cube(rows, options(['region', 'service'])));
  });
});
