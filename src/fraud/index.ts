/**
 * Fraud and arrears: windowed usage aggregates per subscriber, a rule base as JSON data, batch and
 * streaming evaluation with alerts, backtesting, and a starter rule base.
 *
 * @packageDocumentation
 */

export type {
  BacktestAlertsOptions,
  BacktestOptions,
  BacktestResult,
  RuleBacktest,
  RuleOverlap,
} from './backtest-rules.js';
export { backtestAlerts, backtestRules } from './backtest-rules.js';
export type { FraudEvaluationOptions } from './engine-options.js';
export { evaluateRules, sortAlerts } from './evaluate-rules.js';
export type {
  ComparisonOperator,
  FraudRule,
  MetricComparison,
  RuleCondition,
  RuleProblem,
  Severity,
} from './fraud-rule.js';
export { validateRules } from './fraud-rule.js';
export type { RuleMonitor, RuleMonitorOptions } from './rule-monitor.js';
export { createRuleMonitor } from './rule-monitor.js';
export type { RuleWindow } from './rule-window.js';
export { standardRules } from './standard-rules.js';
export type { UsageAggregateRow, UsageAggregatesOptions } from './usage-aggregates.js';
export { usageAggregates } from './usage-aggregates.js';
export type { AccountMetric, BaselineMetric, FraudMetric, UsageMetric } from './usage-metrics.js';
export { accountMetrics, baselineMetrics, fraudMetrics, usageMetrics } from './usage-metrics.js';
export type { FraudAlert } from './window-engine.js';
