import { OptionError } from '../data/errors.js';
import type { Payment, Subscriber } from '../data/records.js';
import type { EngineOptions } from './window-engine.js';

/** Options shared by {@link evaluateRules}, {@link createRuleMonitor} and {@link usageAggregates}. */
export interface FraudEvaluationOptions {
  /** Subscriber records: `arrearsDays` and `activationDate` feed the account metrics. @defaultValue none (account metrics unavailable) */
  readonly subscribers?: readonly Subscriber[] | undefined;
  /** Payments: with the CDR charges they give `unpaidBalance`. @defaultValue none (`unpaidBalance` unavailable) */
  readonly payments?: readonly Payment[] | undefined;
  /** Number of previous window occurrences in a subscriber's baseline. @defaultValue 14 */
  readonly baselineWindows?: number | undefined;
  /** Fewest previous occurrences before z-scores are available. @defaultValue 7 */
  readonly minimumBaselineWindows?: number | undefined;
  /**
   * A subscriber silent for longer than this (ms) starts afresh: baseline, first call and balance
   * are forgotten. This is what bounds the monitor's memory; the batch functions apply it too so
   * both give the same alerts. @defaultValue the longest rule window x (baselineWindows + 1)
   */
  readonly stateTtlMs?: number | undefined;
}

function positiveInteger(context: string, name: string, value: number | undefined, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new OptionError(context, name, `must be an integer in 1..${max}, received ${value}`);
  }
}

/** Checks the shared options and returns them in the engine's shape. */
export function resolveEngineOptions(context: string, options: FraudEvaluationOptions): EngineOptions {
  positiveInteger(context, 'baselineWindows', options.baselineWindows, 10_000);
  const baseline = options.baselineWindows ?? 14;
  positiveInteger(context, 'minimumBaselineWindows', options.minimumBaselineWindows, baseline);
  if (options.stateTtlMs !== undefined && !(Number.isFinite(options.stateTtlMs) && options.stateTtlMs > 0)) {
    throw new OptionError(
      context,
      'stateTtlMs',
      `must be a positive number of milliseconds, received ${options.stateTtlMs}`,
    );
  }
  if (options.subscribers !== undefined && !Array.isArray(options.subscribers)) {
    throw new OptionError(context, 'subscribers', 'must be an array of subscriber records');
  }
  if (options.payments !== undefined && !Array.isArray(options.payments)) {
    throw new OptionError(context, 'payments', 'must be an array of payment records');
  }
  return {
    subscribers: options.subscribers,
    payments: options.payments,
    baselineWindows: baseline,
    minimumBaselineWindows: options.minimumBaselineWindows ?? Math.min(7, baseline),
    stateTtlMs: options.stateTtlMs,
  };
}
