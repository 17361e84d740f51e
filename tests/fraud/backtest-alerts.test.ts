import { generateOperator } from 'telco-analytics/data';
import { backtestAlerts, backtestRules, evaluateRules, standardRules } from 'telco-analytics/fraud';
import { describe, expect, it } from 'vitest';

const operator = generateOperator({ subscribers: 300, months: 2, seed: 11 });
const accounts = { subscribers: operator.subscribers, payments: operator.payments };
const fraudsters = operator.truth.filter((row) => row.fraud !== null).map((row) => row.subscriberId);

describe('backtestAlerts', () => {
  it('scores alerts evaluated chunk by chunk (subscriber-partitioned) exactly as backtestRules on all calls', () => {
    const whole = backtestRules(operator.calls, standardRules, { ...accounts, labels: fraudsters });
    // Two chunks split by subscriber, as an engine's streamCalls would give them.
    const ids = [...new Set(operator.calls.map((call) => call.subscriberId))];
    const firstHalf = new Set(ids.slice(0, ids.length >> 1));
    const chunks = [
      operator.calls.filter((call) => firstHalf.has(call.subscriberId)),
      operator.calls.filter((call) => !firstHalf.has(call.subscriberId)),
    ];
    const alerts = chunks.flatMap((chunk) => evaluateRules(chunk, standardRules, accounts));
    const chunked = backtestAlerts(alerts, standardRules, { labels: fraudsters, population: ids });
    expect(chunked).toEqual(whole);
    expect(whole.combined.truePositives).toBeGreaterThan(0);
  });

  it('leaves out labels outside the population and requires both iterables', () => {
    const result = backtestAlerts([], standardRules, { labels: ['S1', 'elsewhere'], population: ['S1'] });
    expect(result.positives).toBe(1);
    expect(result.combined.recall).toBe(0);
    // @ts-expect-error population is required
    expect(() => backtestAlerts([], standardRules, { labels: [] })).toThrow(/backtestAlerts.*population/);
    expect(() =>
      backtestAlerts([], standardRules, { labels: [7 as unknown as string], population: [] }),
    ).toThrow(/labels.*strings/);
  });
});
