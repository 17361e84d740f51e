import { OptionError } from '../data/errors.js';
import type { CallRecord } from '../data/records.js';
import type { FraudEvaluationOptions } from './engine-options.js';
import { evaluateRules } from './evaluate-rules.js';
import type { FraudRule } from './fraud-rule.js';
import type { FraudAlert } from './window-engine.js';

/** Options of {@link backtestRules}. */
export interface BacktestOptions extends FraudEvaluationOptions {
  /** Subscribers known to be fraudulent (or bad debt): the positives. Required. */
  readonly labels: Iterable<string>;
}

/** How one rule (or the whole rule base, `ruleId: '*'`) did against the labels. */
export interface RuleBacktest {
  readonly ruleId: string;
  /** Number of alerts (window occurrences). */
  readonly hits: number;
  readonly subscribersFlagged: number;
  readonly truePositives: number;
  /** Share of flagged subscribers that are labelled; `null` when nobody was flagged. */
  readonly precision: number | null;
  /** Share of labelled subscribers that were flagged; `null` when there are no labels. */
  readonly recall: number | null;
}

/** Subscribers flagged by two rules. */
export interface RuleOverlap {
  readonly ruleId: string;
  readonly otherRuleId: string;
  readonly subscribers: number;
  /** Shared subscribers over those flagged by either rule (Jaccard index); `null` when neither flagged any. */
  readonly jaccard: number | null;
}

/** The result of {@link backtestRules}. */
export interface BacktestResult {
  readonly rules: RuleBacktest[];
  /** The rule base as a whole (a subscriber flagged by any rule). */
  readonly combined: RuleBacktest;
  /** One entry per pair of rules, in rule order. */
  readonly overlap: RuleOverlap[];
  /** Subscribers seen in the calls. */
  readonly population: number;
  /** Labelled subscribers seen in the calls (labels without calls cannot be found and are left out). */
  readonly positives: number;
}

function score(
  ruleId: string,
  hits: number,
  flagged: ReadonlySet<string>,
  labels: ReadonlySet<string>,
): RuleBacktest {
  let truePositives = 0;
  for (const id of flagged) if (labels.has(id)) truePositives++;
  return {
    ruleId,
    hits,
    subscribersFlagged: flagged.size,
    truePositives,
    precision: flagged.size === 0 ? null : truePositives / flagged.size,
    recall: labels.size === 0 ? null : truePositives / labels.size,
  };
}

/**
 * Backtests a rule base on history: per rule the alerts, the subscribers flagged, precision and
 * recall against labelled subscribers, and how much the rules overlap — to tune thresholds before
 * a rule goes live.
 *
 * @example
 * const simBoxers = operator.truth.filter((t) => t.fraud === 'sim-box').map((t) => t.subscriberId);
 * backtestRules(operator.calls, standardRules, { labels: simBoxers }).rules[0];
 * // => { ruleId: 'sim-box', hits: 812, subscribersFlagged: 15, truePositives: 15, precision: 1, recall: 1 }
 */
export function backtestRules(
  calls: readonly CallRecord[],
  rules: readonly FraudRule[],
  options: BacktestOptions,
): BacktestResult {
  const context = 'backtestRules';
  if (
    options === undefined ||
    options.labels === undefined ||
    typeof options.labels[Symbol.iterator] !== 'function'
  ) {
    throw new OptionError(
      context,
      'labels',
      'is required: an iterable of labelled (positive) subscriber ids',
    );
  }
  const { labels, ...evaluation } = options;
  const alerts = evaluateRules(calls, rules, evaluation);
  const population = new Set<string>();
  for (const call of calls) population.add(call.subscriberId);
  return backtestAlerts(alerts, rules, { labels, population });
}

/** Options of {@link backtestAlerts}. */
export interface BacktestAlertsOptions {
  /** Subscribers known to be fraudulent (or bad debt): the positives. Required. */
  readonly labels: Iterable<string>;
  /** The subscribers the alerts were evaluated over; labels outside it cannot be found and are left out. Required. */
  readonly population: Iterable<string>;
}

/**
 * {@link backtestRules} on alerts already evaluated: scores them against the labels without
 * evaluating the rules again. For CDRs that arrive in chunks (each subscriber's calls in one chunk,
 * as an engine's `streamCalls` gives them): evaluate each chunk, keep the alerts and the
 * subscribers seen, then score once.
 *
 * @example
 * const alerts = evaluateRules(calls, standardRules);
 * backtestAlerts(alerts, standardRules, { labels: fraudsters, population: calls.map((call) => call.subscriberId) }).combined.recall;
 * // => 1
 */
export function backtestAlerts(
  alerts: readonly FraudAlert[],
  rules: readonly FraudRule[],
  options: BacktestAlertsOptions,
): BacktestResult {
  const context = 'backtestAlerts';
  for (const option of ['labels', 'population'] as const) {
    const value = options?.[option];
    if (value === undefined || typeof value[Symbol.iterator] !== 'function')
      throw new OptionError(context, option, 'is required: an iterable of subscriber ids');
  }
  const population = new Set(options.population);
  const labels = new Set<string>();
  for (const id of options.labels) {
    if (typeof id !== 'string')
      throw new OptionError(context, 'labels', `must hold subscriber id strings, found ${String(id)}`);
    if (population.has(id)) labels.add(id);
  }
  const flagged = new Map(rules.map((rule) => [rule.id, new Set<string>()]));
  const hits = new Map(rules.map((rule) => [rule.id, 0]));
  const any = new Set<string>();
  for (const alert of alerts) {
    flagged.get(alert.ruleId)!.add(alert.subscriberId);
    hits.set(alert.ruleId, hits.get(alert.ruleId)! + 1);
    any.add(alert.subscriberId);
  }
  const overlap: RuleOverlap[] = [];
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const a = flagged.get(rules[i]!.id)!;
      const b = flagged.get(rules[j]!.id)!;
      let shared = 0;
      for (const id of a) if (b.has(id)) shared++;
      const union = a.size + b.size - shared;
      overlap.push({
        ruleId: rules[i]!.id,
        otherRuleId: rules[j]!.id,
        subscribers: shared,
        jaccard: union === 0 ? null : shared / union,
      });
    }
  }
  return {
    rules: rules.map((rule) => score(rule.id, hits.get(rule.id)!, flagged.get(rule.id)!, labels)),
    combined: score('*', alerts.length, any, labels),
    overlap,
    population: population.size,
    positives: labels.size,
  };
}
