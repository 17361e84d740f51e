/**
 * Push-down of the CDR aggregations to an SQL engine: DuckDB embedded (files or tables, larger than
 * memory) or a ClickHouse server or cluster. The engine sums the CDRs where they live; the small
 * per-subscriber tables it returns have the shapes the in-process functions of `churn`, `rfm`,
 * `association` and `olap` produce or take, so training and scoring stay in process.
 *
 * `@duckdb/node-api` and `@clickhouse/client` are optional peer dependencies, imported only by
 * {@link connect} for the engine asked for.
 *
 * @packageDocumentation
 */

export type { CallField, CallSource, CallTable, RegisterCallsOptions } from './call-table.js';
export type { ClickHouseEngineOptions, DuckDBEngineOptions, Engine, EngineOptions } from './connect.js';
export { connect } from './connect.js';
export { engineCallBaskets } from './engine-call-baskets.js';
export { engineCube } from './engine-cube.js';
export type { EngineCustomerValues } from './engine-rfm-values.js';
export { engineRfmValues } from './engine-rfm-values.js';
export { engineSubscriberFeatures } from './engine-subscriber-features.js';
export type { EngineFlag } from './parse-engine-flag.js';
export { parseEngineFlag } from './parse-engine-flag.js';
export type { StreamCallsOptions } from './stream-calls.js';
export { streamCalls } from './stream-calls.js';
