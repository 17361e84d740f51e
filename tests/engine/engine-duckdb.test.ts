import { type CallTable, connect, type Engine } from 'telco-analytics/engine';
import { afterAll, beforeAll, describe } from 'vitest';
import { testOperator, writeCallFiles } from './engine-fixtures.js';
import { pushDownEqualityTests } from './equality-suite.js';

// DuckDB (embedded, @duckdb/node-api) over the synthetic operator's CDRs written as CSV by the
// package's own writer and as Parquet: every push-down result equals the in-process result.
const operator = testOperator();
const files = await writeCallFiles(operator.calls);
let engine: Engine;
let csvCalls: CallTable;
let parquetCalls: CallTable;

beforeAll(async () => {
  engine = await connect({ kind: 'duckdb', threads: 2 });
  csvCalls = await engine.registerCalls(files.csv);
  parquetCalls = await engine.registerCalls(files.parquet);
});

afterAll(async () => {
  await engine?.close();
  files.remove();
});

describe('DuckDB over Parquet', () => {
  pushDownEqualityTests(operator, () => parquetCalls);
});

describe('DuckDB over CSV', () => {
  pushDownEqualityTests(operator, () => csvCalls, 'aggregations');
});
