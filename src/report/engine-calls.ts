import {
  type CallTable,
  engineCallBaskets,
  engineCube,
  engineSubscriberFeatures,
  type StreamCallsOptions,
  streamCalls,
} from '../engine/index.js';
import type { ReportCalls } from './report-calls.js';

/**
 * {@link ReportCalls} over CDRs registered in an engine (DuckDB or ClickHouse): churn features,
 * baskets and cubes are aggregated where the CDRs live; per-subscriber work gets them through
 * `streamCalls`, one subscriber-partitioned chunk at a time, so the report never holds them all.
 *
 * @example
 * const engine = await connect({ kind: 'duckdb' });
 * const table = await engine.registerCalls('sample/calls.csv');
 * const report = await operatorReport(operator, { calls: callsInEngine(table) });
 */
export function callsInEngine(table: CallTable, options: StreamCallsOptions = {}): ReportCalls {
  return {
    where: table.engine.kind,
    chunks: () => streamCalls(table, options),
    subscriberFeatures: (subscribers, featureOptions) =>
      engineSubscriberFeatures(table, subscribers, featureOptions),
    callBaskets: (basketOptions) => engineCallBaskets(table, basketOptions),
    cube: (cubeOptions) => engineCube(table, cubeOptions),
  };
}
