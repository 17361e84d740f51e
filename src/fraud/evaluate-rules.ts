import type { CallRecord } from '../data/records.js';
import { callColumnsBySubscriber } from './call-columns.js';
import { type FraudEvaluationOptions, resolveEngineOptions } from './engine-options.js';
import { compileRules, type FraudRule } from './fraud-rule.js';
import {
  addCallFields,
  createEngine,
  createState,
  type Engine,
  type FraudAlert,
  finishState,
  resetState,
  type SubscriberState,
} from './window-engine.js';

/** Runs every subscriber's calls through the engine, in time order. Internal. */
export function runBatch(engine: Engine, calls: readonly CallRecord[], context: string): void {
  const columns = callColumnsBySubscriber(calls, context);
  const { start, flags, seconds, charge, number, cell } = columns;
  let state: SubscriberState | null = null;
  let from = 0;
  for (let group = 0; group < columns.subscriberIds.length; group++) {
    const subscriberId = columns.subscriberIds[group]!;
    const to = columns.groupEnds[group]!;
    // Subscribers are walked one at a time, so one state serves them all.
    if (state === null) state = createState(engine, subscriberId, start[from]!);
    else resetState(engine, state, subscriberId, start[from]!);
    for (let row = from; row < to; row++) {
      const time = start[row]!;
      if (time - state.lastCall > engine.ttl) {
        finishState(engine, state);
        resetState(engine, state, subscriberId, time);
      }
      addCallFields(engine, state, time, flags[row]!, seconds[row]!, charge[row]!, number[row], cell[row]);
    }
    finishState(engine, state);
    from = to;
  }
}

/**
 * Sorts alerts (in place, and returns them) in the order of {@link evaluateRules}: window start,
 * subscriber, rule order in `rules`, window end. For alerts gathered from several batches, e.g.
 * one `evaluateRules` per subscriber-partitioned chunk of a file larger than memory.
 *
 * @example
 * const alerts = sortAlerts([...evaluateRules(chunkA, rules), ...evaluateRules(chunkB, rules)], rules);
 */
export function sortAlerts(alerts: FraudAlert[], rules: readonly FraudRule[]): FraudAlert[] {
  const ruleOrder = new Map(rules.map((rule, index) => [rule.id, index]));
  return alerts.sort(
    (a, b) =>
      a.windowStart - b.windowStart ||
      (a.subscriberId < b.subscriberId ? -1 : a.subscriberId > b.subscriberId ? 1 : 0) ||
      ruleOrder.get(a.ruleId)! - ruleOrder.get(b.ruleId)! ||
      a.windowEnd - b.windowEnd,
  );
}

/**
 * Evaluates a rule base over a batch of CDRs: one alert per subscriber, rule and window
 * occurrence whose metrics match the rule. Calls may come in any order (they are grouped by
 * subscriber and sorted by time); alerts are sorted by window start, subscriber and rule.
 *
 * @example
 * const alerts = evaluateRules(calls, standardRules, { subscribers, payments });
 * // => [{ subscriberId: 'S000042', ruleId: 'sim-box', severity: 'high', window: '24h',
 * //       windowStart: 1704153600000, windowEnd: 1704240000000, department: 'fraud',
 * //       evidence: { callCount: 61, distinctCalledShare: 1, ... } }, ...]
 */
export function evaluateRules(
  calls: readonly CallRecord[],
  rules: readonly FraudRule[],
  options: FraudEvaluationOptions = {},
): FraudAlert[] {
  const context = 'evaluateRules';
  const compiled = compileRules(rules, context);
  const alerts: FraudAlert[] = [];
  const engine = createEngine(compiled, resolveEngineOptions(context, options), (alert) =>
    alerts.push(alert),
  );
  runBatch(engine, calls, context);
  return sortAlerts(alerts, rules);
}
