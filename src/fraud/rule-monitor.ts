import { DataError, OptionError } from '../data/errors.js';
import type { CallRecord } from '../data/records.js';
import { type FraudEvaluationOptions, resolveEngineOptions } from './engine-options.js';
import { compileRules, type FraudRule } from './fraud-rule.js';
import { paneOf, paneStart } from './rule-window.js';
import {
  addCall,
  advanceTo,
  createEngine,
  createState,
  type FraudAlert,
  finishState,
  isLate,
  nextWindowEnd,
  type SubscriberState,
} from './window-engine.js';

/** Options of {@link createRuleMonitor}. */
export interface RuleMonitorOptions extends FraudEvaluationOptions {
  /**
   * How far (ms) a call may trail the newest call seen and still be accepted. Windows close once
   * the newest call minus this lateness has passed their end. @defaultValue 0
   */
  readonly allowedLatenessMs?: number | undefined;
  /** What to do with a late call: throw a DataError, or drop it and count it in `dropped`. @defaultValue 'error' */
  readonly onLate?: 'error' | 'drop' | undefined;
}

/** A streaming rule evaluator. */
export interface RuleMonitor {
  /** Adds one CDR; returns the alerts of the windows this call (or the time it carries) closed. */
  push(call: CallRecord): FraudAlert[];
  /** Closes every open window and returns their alerts; the monitor can then be reused. */
  flush(): FraudAlert[];
  /** Subscribers with state held in memory. */
  readonly activeSubscribers: number;
  /** Late calls dropped under `onLate: 'drop'`. */
  readonly dropped: number;
}

const noAlerts: FraudAlert[] = [];

/**
 * Evaluates a rule base over a stream of CDRs in bounded memory, with the same alerts as
 * {@link evaluateRules} on the same calls.
 *
 * Time order (the out-of-order policy): calls should arrive in order of `start`. The monitor
 * keeps a watermark, the newest start seen minus `allowedLatenessMs`. A window closes — its alerts
 * are returned by the `push` that closed it — once the watermark passes its end, or the
 * subscriber's own next call falls after it. A call that belongs to a window already closed, for
 * its subscriber or by the watermark, is *late*: by default `push` throws a DataError naming the
 * call (1-based position in the stream) and column `start`; with `onLate: 'drop'` it is skipped and
 * counted in `dropped`. Calls out of order inside windows still open are accepted and give the
 * same alerts as in order. With calls in time order (or late by less than `allowedLatenessMs`),
 * the alerts equal {@link evaluateRules} on the same calls.
 *
 * Memory: per subscriber, one ring of window panes and baselines; a subscriber silent for longer
 * than `stateTtlMs` is forgotten, so memory follows the active subscribers, not the stream length.
 *
 * @example
 * const monitor = createRuleMonitor(standardRules, { subscribers });
 * for await (const call of calls) for (const alert of monitor.push(call)) notify(alert);
 * for (const alert of monitor.flush()) notify(alert);
 */
export function createRuleMonitor(
  rules: readonly FraudRule[],
  options: RuleMonitorOptions = {},
): RuleMonitor {
  const context = 'createRuleMonitor';
  const compiled = compileRules(rules, context);
  const lateness = options.allowedLatenessMs ?? 0;
  if (!Number.isFinite(lateness) || lateness < 0) {
    throw new OptionError(
      context,
      'allowedLatenessMs',
      `must be a non-negative number, received ${lateness}`,
    );
  }
  const onLate = options.onLate ?? 'error';
  if (onLate !== 'error' && onLate !== 'drop') {
    throw new OptionError(context, 'onLate', `must be 'error' or 'drop', received ${String(onLate)}`);
  }
  let pending: FraudAlert[] = [];
  const engine = createEngine(compiled, resolveEngineOptions(context, options), (alert) =>
    pending.push(alert),
  );
  const states = new Map<string, SubscriberState>();
  let watermark = Number.NEGATIVE_INFINITY;
  // Per window spec, the pane holding the watermark: calls before its start are late.
  let closedBefore = engine.plans.map(() => Number.NEGATIVE_INFINITY);
  let closedUntil = engine.plans.map(() => Number.NEGATIVE_INFINITY);
  let position = 0;
  let dropped = 0;

  // States are filed by the time their next window ends (or they expire), in buckets of the
  // shortest window step, so the watermark only visits the subscribers with something due.
  const bucketMs = Math.min(
    86_400_000,
    ...engine.plans.map((plan) => (plan.spec.step === 0 ? 86_400_000 : plan.spec.step)),
  );
  const buckets = new Map<number, SubscriberState[]>();
  let processedBucket = Number.NEGATIVE_INFINITY;

  const file = (state: SubscriberState): void => {
    // Due when the next window holding its calls ends, or when it expires, whichever is first.
    const due = Math.min(nextWindowEnd(engine, state), state.lastCall + engine.ttl + 1);
    const bucket = Math.max(Math.ceil(due / bucketMs), processedBucket + 1);
    if (state.bucket === bucket) return;
    state.bucket = bucket;
    const list = buckets.get(bucket);
    if (list === undefined) buckets.set(bucket, [state]);
    else list.push(state);
  };

  const processDue = (closing: number): void => {
    // Bucket b holds states due in ((b - 1) * bucketMs, b * bucketMs]: all due by `closing` up to this one.
    const last = Math.floor(closing / bucketMs);
    if (processedBucket === Number.NEGATIVE_INFINITY) {
      processedBucket = last;
      return;
    }
    // Buckets are visited in order; empty stretches are skipped through the map's keys.
    const due = [...buckets.keys()].filter((bucket) => bucket <= last).sort((a, b) => a - b);
    processedBucket = Math.max(processedBucket, last);
    for (const bucket of due) {
      const list = buckets.get(bucket)!;
      buckets.delete(bucket);
      for (const state of list) {
        // A state is listed again each time it is refiled (and an expired one is never refiled):
        // only the entry matching its current bucket counts.
        if (state.bucket !== bucket) continue;
        state.bucket = Number.NaN;
        if (closing - state.lastCall > engine.ttl) {
          finishState(engine, state);
          states.delete(state.subscriberId);
        } else {
          advanceTo(engine, state, closing);
          file(state);
        }
      }
    }
  };

  const take = (): FraudAlert[] => {
    if (pending.length === 0) return noAlerts;
    const out = pending;
    pending = [];
    return out;
  };

  return {
    push(call) {
      position++;
      const time = call.start;
      if (typeof call.subscriberId !== 'string') {
        throw new DataError(context, [
          {
            row: position,
            column: 'subscriberId',
            reason: `must be a string, received ${String(call.subscriberId)}`,
          },
        ]);
      }
      if (typeof time !== 'number' || !Number.isFinite(time)) {
        throw new DataError(context, [
          { row: position, column: 'start', reason: `must be epoch milliseconds, received ${String(time)}` },
        ]);
      }
      let state = states.get(call.subscriberId);
      let late = false;
      for (const boundary of closedBefore) if (time < boundary) late = true;
      if (!late && state !== undefined && time - state.lastCall <= engine.ttl && isLate(state, time))
        late = true;
      if (late) {
        if (onLate === 'drop') {
          dropped++;
          return noAlerts;
        }
        throw new DataError(context, [
          {
            row: position,
            column: 'start',
            reason: `call at ${new Date(time).toISOString()} is late: its window closed (newest call ${new Date(watermark).toISOString()}, allowed lateness ${lateness} ms)`,
          },
        ]);
      }
      if (state === undefined) {
        state = createState(engine, call.subscriberId, time);
        states.set(call.subscriberId, state);
      } else if (time - state.lastCall > engine.ttl) {
        finishState(engine, state);
        // The spent state may still sit in a bucket: unfiled, it is skipped there.
        state.bucket = Number.NaN;
        state = createState(engine, call.subscriberId, time);
        states.set(call.subscriberId, state);
      }
      addCall(engine, state, call);
      file(state);
      if (time > watermark) {
        watermark = time;
        const closing = watermark - lateness;
        let moved = false;
        for (let i = 0; i < engine.plans.length; i++) {
          if (closing < closedUntil[i]!) continue;
          const spec = engine.plans[i]!.spec;
          const pane = paneOf(spec, closing);
          closedBefore[i] = paneStart(spec, pane);
          closedUntil[i] = paneStart(spec, pane + 1);
          moved = true;
        }
        if (moved) processDue(closing);
      }
      return take();
    },
    flush() {
      for (const state of states.values()) finishState(engine, state);
      states.clear();
      buckets.clear();
      processedBucket = Number.NEGATIVE_INFINITY;
      watermark = Number.NEGATIVE_INFINITY;
      closedBefore = engine.plans.map(() => Number.NEGATIVE_INFINITY);
      closedUntil = engine.plans.map(() => Number.NEGATIVE_INFINITY);
      return take();
    },
    get activeSubscribers() {
      return states.size;
    },
    get dropped() {
      return dropped;
    },
  };
}
