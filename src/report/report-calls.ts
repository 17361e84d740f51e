import { type CallBasket, type CallBasketsOptions, callBaskets } from '../association/index.js';
import {
  type SubscriberFeatureRow,
  type SubscriberFeaturesOptions,
  subscriberFeatures,
} from '../churn/index.js';
import type { CallRecord, Subscriber } from '../data/index.js';
import { type CubeOptions, type CubeResult, cube } from '../olap/index.js';

/**
 * Where the report's CDRs are, and how it asks for what it needs from them: the aggregations that
 * have a push-down (churn features, baskets, cubes) and, for per-subscriber work without one (usage
 * features, usage trends, rating, fraud rules), the CDRs in chunks that each hold every call of
 * their subscribers. {@link callsInMemory} serves an array; `callsInEngine` (`telco-analytics/report`)
 * serves an engine's registered CDRs without ever holding them all.
 */
export interface ReportCalls {
  /** Where the CDRs are, for the method notes: `'memory'`, `'duckdb'` or `'clickhouse'`. */
  readonly where: string;
  /** The CDRs in chunks partitioned by subscriber (each subscriber's calls in one chunk). */
  chunks(): AsyncIterable<readonly CallRecord[]>;
  subscriberFeatures(
    subscribers: readonly Subscriber[],
    options: SubscriberFeaturesOptions,
  ): Promise<SubscriberFeatureRow[]>;
  callBaskets(options: CallBasketsOptions): Promise<CallBasket[]>;
  cube(options: CubeOptions): Promise<CubeResult>;
}

/**
 * {@link ReportCalls} over CDRs held in memory: one chunk, and the in-process functions.
 *
 * @example
 * const calls = callsInMemory(operator.calls);
 * const baskets = await calls.callBaskets({ by: 'subscriber-month' });
 */
export function callsInMemory(calls: readonly CallRecord[]): ReportCalls {
  return {
    where: 'memory',
    async *chunks() {
      yield calls;
    },
    subscriberFeatures: async (subscribers, options) => subscriberFeatures(calls, subscribers, options),
    callBaskets: async (options) => callBaskets(calls, options),
    cube: async (options) => cube(calls, options),
  };
}
