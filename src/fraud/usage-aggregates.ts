import type { CallRecord } from '../data/records.js';
import { type FraudEvaluationOptions, resolveEngineOptions } from './engine-options.js';
import { runBatch } from './evaluate-rules.js';
import { parseWindow, type RuleWindow } from './rule-window.js';
import type { FraudMetric } from './usage-metrics.js';
import { fraudMetrics } from './usage-metrics.js';
import { createEngine } from './window-engine.js';

/** Options of {@link usageAggregates}. */
export interface UsageAggregatesOptions extends FraudEvaluationOptions {
  /** The window: `'1h'`, `'24h'`, `'7d'`, `'cycle'` or `{ size, step }` (sliding). @defaultValue '24h' */
  readonly window?: RuleWindow | undefined;
}

/** The metrics of one subscriber in one window occurrence (`null`: unavailable). */
export type UsageAggregateRow = {
  readonly subscriberId: string;
  readonly window: string;
  readonly windowStart: number;
  readonly windowEnd: number;
} & { readonly [metric in FraudMetric]: number | null };

/**
 * Windowed usage aggregates per subscriber: every metric a fraud rule can test (see
 * `fraudMetrics`), for every window occurrence holding at least one of the subscriber's CDRs,
 * z-scores included. Rows are sorted by window start, then subscriber.
 *
 * @example
 * usageAggregates(calls, { window: '24h' })[0];
 * // => { subscriberId: 'S1', window: '24h', windowStart: 1704067200000, windowEnd: 1704153600000,
 * //      eventCount: 12, callCount: 5, outgoingMinutes: 14.5, ..., callCountZScore: null, ... }
 */
export function usageAggregates(
  calls: readonly CallRecord[],
  options: UsageAggregatesOptions = {},
): UsageAggregateRow[] {
  const context = 'usageAggregates';
  const spec = parseWindow(options.window ?? '24h', context);
  const rows: UsageAggregateRow[] = [];
  const engine = createEngine(
    [],
    resolveEngineOptions(context, options),
    () => undefined,
    (subscriberId, window, windowStart, windowEnd, metrics) => {
      const row: Record<string, string | number | null> = { subscriberId, window, windowStart, windowEnd };
      fraudMetrics.forEach((name, index) => {
        const value = metrics[index]!;
        row[name] = Number.isNaN(value) ? null : value;
      });
      rows.push(row as UsageAggregateRow);
    },
    [spec],
  );
  runBatch(engine, calls, context);
  return rows.sort(
    (a, b) =>
      a.windowStart - b.windowStart ||
      (a.subscriberId < b.subscriberId ? -1 : a.subscriberId > b.subscriberId ? 1 : 0),
  );
}
