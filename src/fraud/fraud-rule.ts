import { OptionError } from '../data/errors.js';
import { parseWindow, type RuleWindow, type WindowSpec, windowProblem } from './rule-window.js';
import { type FraudMetric, fraudMetrics, metricIndex } from './usage-metrics.js';

/** How urgent an alert is. */
export type Severity = 'low' | 'medium' | 'high' | 'critical';
/** A comparison operator of a rule condition. */
export type ComparisonOperator = '>' | '>=' | '<' | '<=' | '==' | '!=';

/** One comparison: `metric op value`. A comparison on an unavailable metric is false. */
export interface MetricComparison {
  readonly metric: FraudMetric;
  readonly op: ComparisonOperator;
  readonly value: number;
}

/** A JSON condition tree: every / any / none-of sub-conditions, or one comparison. */
export type RuleCondition =
  | MetricComparison
  | { readonly all: readonly RuleCondition[] }
  | { readonly any: readonly RuleCondition[] }
  | { readonly not: RuleCondition };

/**
 * A fraud or arrears rule: plain JSON, so a rule base can be stored, reviewed and edited without
 * code. `department` tells who the alert goes to (for example `'fraud'` or `'collections'`).
 */
export interface FraudRule {
  readonly id: string;
  readonly description: string;
  readonly severity: Severity;
  readonly window: RuleWindow;
  readonly when: RuleCondition;
  readonly department?: string;
}

const severities: readonly string[] = ['low', 'medium', 'high', 'critical'];
const operators: readonly string[] = ['>', '>=', '<', '<=', '==', '!='];

/** One problem in a rule base. */
export interface RuleProblem {
  /** Index of the rule in the array. */
  readonly rule: number;
  readonly ruleId: string | null;
  /** Where in the rule, for example `when.all[1].metric`. */
  readonly path: string;
  readonly reason: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function conditionProblems(condition: unknown, path: string, out: { path: string; reason: string }[]): void {
  if (!isRecord(condition)) {
    out.push({ path, reason: 'must be an object: { all }, { any }, { not } or { metric, op, value }' });
    return;
  }
  const keys = Object.keys(condition);
  if ('all' in condition || 'any' in condition) {
    const key = 'all' in condition ? 'all' : 'any';
    const children = condition[key];
    if (keys.length !== 1)
      out.push({ path, reason: `a '${key}' node must have no other field, found ${keys.join(', ')}` });
    if (!Array.isArray(children) || children.length === 0) {
      out.push({ path: `${path}.${key}`, reason: 'must be a non-empty array of conditions' });
      return;
    }
    children.forEach((child, index) => {
      conditionProblems(child, `${path}.${key}[${index}]`, out);
    });
    return;
  }
  if ('not' in condition) {
    if (keys.length !== 1)
      out.push({ path, reason: `a 'not' node must have no other field, found ${keys.join(', ')}` });
    conditionProblems(condition.not, `${path}.not`, out);
    return;
  }
  if (!('metric' in condition)) {
    out.push({ path, reason: `has none of all, any, not, metric (found ${keys.join(', ') || 'no field'})` });
    return;
  }
  if (typeof condition.metric !== 'string' || !metricIndex.has(condition.metric)) {
    out.push({
      path: `${path}.metric`,
      reason: `unknown metric ${JSON.stringify(condition.metric)}; known: ${fraudMetrics.join(', ')}`,
    });
  }
  if (typeof condition.op !== 'string' || !operators.includes(condition.op)) {
    out.push({
      path: `${path}.op`,
      reason: `unknown operator ${JSON.stringify(condition.op)}; use one of ${operators.join(' ')}`,
    });
  }
  if (typeof condition.value !== 'number' || !Number.isFinite(condition.value)) {
    out.push({
      path: `${path}.value`,
      reason: `must be a finite number, received ${JSON.stringify(condition.value)}`,
    });
  }
  for (const key of keys) {
    if (key !== 'metric' && key !== 'op' && key !== 'value')
      out.push({ path: `${path}.${key}`, reason: 'is not a field of a comparison' });
  }
}

/**
 * Checks a rule base without throwing: every problem with the rule's index, id and the path
 * inside it. An empty array means the rules are valid.
 *
 * @example
 * validateRules([{ id: 'x', description: '', severity: 'high', window: '24h',
 *   when: { metric: 'callz', op: '>', value: 1 } }]);
 * // => [{ rule: 0, ruleId: 'x', path: 'when.metric', reason: 'unknown metric "callz"; known: ...' }]
 */
export function validateRules(rules: unknown): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (!Array.isArray(rules)) return [{ rule: -1, ruleId: null, path: '', reason: 'rules must be an array' }];
  const seen = new Set<string>();
  rules.forEach((rule: unknown, index) => {
    const found: { path: string; reason: string }[] = [];
    if (!isRecord(rule)) {
      problems.push({ rule: index, ruleId: null, path: '', reason: 'must be an object' });
      return;
    }
    const id = typeof rule.id === 'string' && rule.id.length > 0 ? rule.id : null;
    if (id === null) found.push({ path: 'id', reason: 'must be a non-empty string' });
    else if (seen.has(id)) found.push({ path: 'id', reason: `duplicate id '${id}'` });
    else seen.add(id);
    if (typeof rule.description !== 'string') found.push({ path: 'description', reason: 'must be a string' });
    if (typeof rule.severity !== 'string' || !severities.includes(rule.severity)) {
      found.push({
        path: 'severity',
        reason: `unknown severity ${JSON.stringify(rule.severity)}; use ${severities.join(', ')}`,
      });
    }
    if (rule.department !== undefined && typeof rule.department !== 'string') {
      found.push({ path: 'department', reason: 'must be a string when given' });
    }
    const window = windowProblem(rule.window);
    if (window !== null) found.push({ path: 'window', reason: window });
    if (rule.when === undefined) found.push({ path: 'when', reason: 'is required' });
    else conditionProblems(rule.when, 'when', found);
    for (const problem of found) problems.push({ rule: index, ruleId: id, ...problem });
  });
  return problems;
}

/** Throws an OptionError naming the first problem's rule and path. */
export function assertValidRules(rules: unknown, context: string): asserts rules is readonly FraudRule[] {
  const problems = validateRules(rules);
  const first = problems[0];
  if (first === undefined) return;
  const name = first.ruleId === null ? `rules[${first.rule}]` : `rules[${first.rule}] '${first.ruleId}'`;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : '';
  throw new OptionError(context, 'rules', `${name} at '${first.path || '(rule)'}': ${first.reason}${more}`);
}

/** A rule turned into a predicate over the metric vector. Internal. */
export interface CompiledRule {
  readonly rule: FraudRule;
  readonly window: WindowSpec;
  readonly test: (metrics: Float64Array) => boolean;
  /** Metric indices the condition reads, in first-use order (the alert evidence). */
  readonly metrics: readonly number[];
}

function compileCondition(condition: RuleCondition, used: number[]): (metrics: Float64Array) => boolean {
  if ('all' in condition) {
    const parts = condition.all.map((child) => compileCondition(child, used));
    return (metrics) => {
      for (const part of parts) if (!part(metrics)) return false;
      return true;
    };
  }
  if ('any' in condition) {
    const parts = condition.any.map((child) => compileCondition(child, used));
    return (metrics) => {
      for (const part of parts) if (part(metrics)) return true;
      return false;
    };
  }
  if ('not' in condition) {
    const part = compileCondition(condition.not, used);
    return (metrics) => !part(metrics);
  }
  const index = metricIndex.get(condition.metric)!;
  if (!used.includes(index)) used.push(index);
  const value = condition.value;
  // NaN (an unavailable metric) fails every comparison, `!=` included.
  switch (condition.op) {
    case '>':
      return (metrics) => metrics[index]! > value;
    case '>=':
      return (metrics) => metrics[index]! >= value;
    case '<':
      return (metrics) => metrics[index]! < value;
    case '<=':
      return (metrics) => metrics[index]! <= value;
    case '==':
      return (metrics) => metrics[index]! === value;
    default:
      return (metrics) => !Number.isNaN(metrics[index]!) && metrics[index]! !== value;
  }
}

/** Validates and compiles a rule base. */
export function compileRules(rules: readonly FraudRule[], context: string): CompiledRule[] {
  assertValidRules(rules, context);
  return rules.map((rule) => {
    const used: number[] = [];
    const test = compileCondition(rule.when, used);
    return { rule, window: parseWindow(rule.window, context), test, metrics: used };
  });
}
