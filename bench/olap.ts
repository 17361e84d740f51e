/**
 * OLAP benchmark: a 3-dimension cube (month derived from the timestamp x region x service; revenue,
 * minutes, calls, distinct subscribers) over 10,000,000 CDRs, telco-analytics `cube` beside DuckDB
 * `GROUP BY CUBE` on the same rows, in one process. DuckDB loads the rows through its appender
 * first (not timed); both timings are the aggregation alone. Goal: `cube` no slower than 2x DuckDB.
 *
 *   node --import tsx --max-old-space-size=8192 bench/olap.ts          # 10M CDRs
 *   node --import tsx bench/olap.ts --quick                            # 1M CDRs (or BENCH_QUICK=1)
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { createRng } from '../src/data/index.js';
import { cube } from '../src/olap/index.js';
import { machineLine, packageVersion } from './machine.js';

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const total = quick ? 1_000_000 : 10_000_000;
const subscribers = total / 100;

interface Cdr {
  subscriberId: string;
  start: number;
  region: string;
  service: string;
  charge: number;
  durationSec: number | null;
}

const rng = createRng(3);
const regionNames = ['Capital', 'North', 'South', 'East', 'West'];
const serviceNames = ['voice', 'voice', 'sms', 'data', 'mms'];
const ids = Array.from({ length: subscribers }, (_, i) => `S${String(i).padStart(7, '0')}`);
const start = Date.UTC(2024, 0, 1);
const span = 181 * 86_400; // six months, in seconds
const rows: Cdr[] = new Array(total);
for (let i = 0; i < total; i++) {
  const service = serviceNames[rng.integer(serviceNames.length)]!;
  rows[i] = {
    subscriberId: ids[rng.integer(subscribers)]!,
    start: start + rng.integer(span) * 1000,
    region: regionNames[rng.integer(regionNames.length)]!,
    service,
    charge: rng.integer(500) / 100,
    durationSec: service === 'voice' ? 1 + rng.integer(900) : null,
  };
}

const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const connection = await instance.connect();
await connection.run(
  'CREATE TABLE calls (subscriberId VARCHAR, start BIGINT, region VARCHAR, service VARCHAR, charge DOUBLE, durationSec DOUBLE)',
);
const loadStarted = performance.now();
const appender = await connection.createAppender('calls');
for (const row of rows) {
  appender.appendVarchar(row.subscriberId);
  appender.appendBigInt(BigInt(row.start));
  appender.appendVarchar(row.region);
  appender.appendVarchar(row.service);
  appender.appendDouble(row.charge);
  if (row.durationSec === null) appender.appendNull();
  else appender.appendDouble(row.durationSec);
  appender.endRow();
}
appender.closeSync();
const loadSeconds = (performance.now() - loadStarted) / 1000;

const measureSql = (withDistinct: boolean): string =>
  `sum(charge) AS revenue, sum(durationSec) / 60 AS minutes, count(*) AS calls${withDistinct ? ', count(DISTINCT subscriberId) AS subscribers' : ''}`;
const sql = (
  withDistinct: boolean,
): string => `SELECT strftime(make_timestamp(start * 1000), '%Y-%m') AS month, region, service,
  ${measureSql(withDistinct)}, GROUPING(month, region, service) AS grouping
  FROM calls GROUP BY CUBE (month, region, service)`;

async function timeDuckdb(
  withDistinct: boolean,
): Promise<{ seconds: number; rows: number; revenue: number }> {
  const began = performance.now();
  const reader = await connection.runAndReadAll(sql(withDistinct));
  const seconds = (performance.now() - began) / 1000;
  const result = reader.getRowObjectsJS();
  const grand = result.find((row) => Number(row.grouping) === 7)!;
  return { seconds, rows: result.length, revenue: Number(grand.revenue) };
}

function timeOurs(withDistinct: boolean): { seconds: number; rows: number; revenue: number } {
  const began = performance.now();
  const result = cube(rows, {
    dimensions: ['month', 'region', 'service'],
    measures: withDistinct
      ? {
          revenue: 'sum:charge',
          seconds: 'sum:durationSec',
          calls: 'count',
          subscribers: 'countDistinct:subscriberId',
        }
      : { revenue: 'sum:charge', seconds: 'sum:durationSec', calls: 'count' },
  });
  const seconds = (performance.now() - began) / 1000;
  const grand = result.rows.find((row) => row.grouping === 7)!;
  return { seconds, rows: result.rows.length, revenue: grand.revenue as number };
}

console.log(machineLine());
console.log(
  `@duckdb/node-api ${packageVersion('@duckdb/node-api')} (2 threads); CDRs ${total.toLocaleString('en')}; DuckDB appender load ${loadSeconds.toFixed(1)} s (not timed)`,
);
// One warm-up, then the best of three (two for ours without distinct).
const best = <T extends { seconds: number }>(runs: T[]): T =>
  runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
await timeDuckdb(true);
const duck = best([await timeDuckdb(true), await timeDuckdb(true), await timeDuckdb(true)]);
const duckNoDistinct = best([await timeDuckdb(false), await timeDuckdb(false), await timeDuckdb(false)]);
timeOurs(true);
const ours = best([timeOurs(true), timeOurs(true), timeOurs(true)]);
const oursNoDistinct = best([timeOurs(false), timeOurs(false)]);
console.log('| contender | measures | seconds (best) | rows | grand revenue | vs DuckDB, same measures |');
console.log('|---|---|---|---|---|---|');
console.log(
  `| DuckDB GROUP BY CUBE | sum, sum, count, count distinct | ${duck.seconds.toFixed(2)} | ${duck.rows} | ${duck.revenue.toFixed(2)} | 1.00 |`,
);
console.log(
  `| telco-analytics cube | sum, sum, count, count distinct | ${ours.seconds.toFixed(2)} | ${ours.rows} | ${ours.revenue.toFixed(2)} | ${(ours.seconds / duck.seconds).toFixed(2)} |`,
);
console.log(
  `| DuckDB GROUP BY CUBE | sum, sum, count | ${duckNoDistinct.seconds.toFixed(2)} | ${duckNoDistinct.rows} | ${duckNoDistinct.revenue.toFixed(2)} | 1.00 |`,
);
console.log(
  `| telco-analytics cube | sum, sum, count | ${oursNoDistinct.seconds.toFixed(2)} | ${oursNoDistinct.rows} | ${oursNoDistinct.revenue.toFixed(2)} | ${(oursNoDistinct.seconds / duckNoDistinct.seconds).toFixed(2)} |`,
);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
connection.closeSync();
