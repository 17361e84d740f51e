import fc from 'fast-check';
import { type CallRecord, DataError, generateOperator } from 'telco-analytics/data';
import {
  createRuleMonitor,
  evaluateRules,
  type FraudAlert,
  type FraudRule,
  type RuleMonitor,
  standardRules,
} from 'telco-analytics/fraud';
import { describe, expect, it } from 'vitest';

const hour = 3_600_000;
const day = 24 * hour;
const t0 = Date.UTC(2024, 0, 1);

const key = (alert: FraudAlert): string => JSON.stringify(alert);
const sorted = (alerts: readonly FraudAlert[]): string[] => alerts.map(key).sort();

function stream(monitor: RuleMonitor, calls: readonly CallRecord[]): FraudAlert[] {
  const out: FraudAlert[] = [];
  for (const call of calls) out.push(...monitor.push(call));
  out.push(...monitor.flush());
  return out;
}

const inTimeOrder = (calls: readonly CallRecord[]): CallRecord[] =>
  calls
    .map((call, index) => ({ call, index }))
    .sort((a, b) => a.call.start - b.call.start || a.index - b.index)
    .map(({ call }) => call);

describe('createRuleMonitor gives the batch alerts', () => {
  const operator = generateOperator({
    subscribers: 400,
    months: 2,
    seed: 7,
    fraud: { 'sim-box': 0.01, 'revenue-share': 0.01, subscription: 0.01 },
  });
  const ordered = inTimeOrder(operator.calls);
  const context = { subscribers: operator.subscribers, payments: operator.payments };
  // The starter rules plus a z-score rule on a sliding window, to cover every code path.
  const rules: FraudRule[] = [
    ...standardRules,
    {
      id: 'sliding-spike',
      description: 'calls far above the own baseline in a sliding 24h window',
      severity: 'low',
      window: { size: '24h', step: '6h' },
      when: {
        all: [
          { metric: 'callCountZScore', op: '>=', value: 3 },
          { metric: 'distinctCalledNumbers', op: '>=', value: 3 },
        ],
      },
    },
  ];

  it('on the synthetic operator streamed in time order', () => {
    const batch = evaluateRules(operator.calls, rules, context);
    expect(batch.length).toBeGreaterThan(50);
    expect(new Set(batch.map((alert) => alert.ruleId)).size).toBeGreaterThanOrEqual(6);
    const streamed = stream(createRuleMonitor(rules, context), ordered);
    expect(sorted(streamed)).toEqual(sorted(batch));
  });

  it('with a short state TTL that forgets idle subscribers', () => {
    const options = { ...context, stateTtlMs: 3 * day };
    const batch = evaluateRules(operator.calls, rules, options);
    expect(sorted(stream(createRuleMonitor(rules, options), ordered))).toEqual(sorted(batch));
    // The TTL changes the baselines, so the alerts differ from the default.
    expect(sorted(batch)).not.toEqual(sorted(evaluateRules(operator.calls, rules, context)));
  });

  it('for random CDRs and windows (property)', () => {
    const windows = [
      '1h',
      '24h',
      '7d',
      'cycle',
      { size: '24h', step: '6h' },
      { size: '3h', step: '1h' },
    ] as const;
    const arbitraryCall = fc.record({
      subscriber: fc.integer({ min: 0, max: 3 }),
      offset: fc.integer({ min: 0, max: 40 * day }),
      out: fc.boolean(),
      voice: fc.boolean(),
      seconds: fc.integer({ min: 1, max: 900 }),
      zone: fc.constantFrom('local', 'international', 'premium'),
      number: fc.integer({ min: 0, max: 5 }),
      cell: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(arbitraryCall, { maxLength: 120 }),
        fc.constantFrom(...windows),
        fc.integer({ min: 1, max: 4 }),
        (drawn, window, threshold) => {
          const calls: CallRecord[] = drawn.map((d) => ({
            subscriberId: `S${d.subscriber}`,
            start: t0 + d.offset,
            service: d.voice ? 'voice' : 'sms',
            direction: d.out ? 'out' : 'in',
            durationSec: d.seconds,
            destination: d.zone,
            calledNumber: `N${d.number}`,
            cellId: `C${d.cell}`,
            charge: d.seconds / 100,
          }));
          const rules: FraudRule[] = [
            {
              id: 'count',
              description: '',
              severity: 'low',
              window,
              when: { metric: 'eventCount', op: '>=', value: threshold },
            },
            {
              id: 'z',
              description: '',
              severity: 'low',
              window,
              when: {
                any: [
                  { metric: 'eventCountZScore', op: '>', value: 1 },
                  { metric: 'cellCount', op: '>=', value: 3 },
                ],
              },
            },
          ];
          const options = { minimumBaselineWindows: 2, baselineWindows: 4, stateTtlMs: 5 * day };
          const batch = evaluateRules(calls, rules, options);
          const streamed = stream(createRuleMonitor(rules, options), inTimeOrder(calls));
          expect(sorted(streamed)).toEqual(sorted(batch));
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });
});

describe('createRuleMonitor: time order (documented policy)', () => {
  const rules: FraudRule[] = [
    {
      id: 'any',
      description: '',
      severity: 'low',
      window: '1h',
      when: { metric: 'eventCount', op: '>=', value: 1 },
    },
  ];
  const at = (subscriberId: string, minutes: number): CallRecord => ({
    subscriberId,
    start: t0 + minutes * 60_000,
    service: 'sms',
  });

  it('accepts calls out of order inside a still-open window, with the batch alerts', () => {
    const calls = [at('A', 30), at('A', 10), at('B', 20), at('A', 70)];
    expect(sorted(stream(createRuleMonitor(rules), calls))).toEqual(sorted(evaluateRules(calls, rules)));
  });

  it('throws a DataError naming the late call by default', () => {
    const monitor = createRuleMonitor(rules);
    monitor.push(at('A', 10));
    monitor.push(at('B', 70)); // the watermark enters 01:00: the 00:00 window is closed for everyone
    expect(() => monitor.push(at('A', 50))).toThrow(DataError);
    try {
      monitor.push(at('C', 59));
    } catch (error) {
      expect((error as DataError).issues[0]).toMatchObject({ row: 4, column: 'start' });
      expect((error as DataError).message).toMatch(/is late/);
    }
  });

  it('drops and counts late calls with onLate: drop, and still emits the closed window once', () => {
    const monitor = createRuleMonitor(rules, { onLate: 'drop' });
    const emitted = [
      ...monitor.push(at('A', 10)),
      ...monitor.push(at('A', 70)),
      ...monitor.push(at('A', 50)),
      ...monitor.flush(),
    ];
    expect(monitor.dropped).toBe(1);
    expect(emitted.map((alert) => (alert.windowStart - t0) / hour)).toEqual([0, 1]);
  });

  it('accepts calls up to allowedLatenessMs behind the newest one', () => {
    const monitor = createRuleMonitor(rules, { allowedLatenessMs: 30 * 60_000 });
    const calls = [at('A', 10), at('B', 70), at('A', 55), at('A', 100)];
    expect(sorted(stream(monitor, calls))).toEqual(sorted(evaluateRules(calls, rules)));
    expect(() => monitor.push(at('A', 200)) && monitor.push(at('A', 160))).toThrow(/late/);
  });

  it('emits alerts as the watermark passes a window end, not only on flush', () => {
    const monitor = createRuleMonitor(rules);
    expect(monitor.push(at('A', 10))).toEqual([]);
    const next = monitor.push(at('B', 61));
    expect(next.map((alert) => alert.subscriberId)).toEqual(['A']);
  });

  it('rejects bad options and bad calls', () => {
    expect(() => createRuleMonitor(rules, { allowedLatenessMs: -1 })).toThrow(/allowedLatenessMs/);
    expect(() => createRuleMonitor(rules, { onLate: 'ignore' as 'drop' })).toThrow(/onLate/);
    expect(() => createRuleMonitor([{ ...rules[0]!, window: 'weekly' }])).toThrow(
      /rules\[0\] 'any' at 'window'/,
    );
    expect(() => createRuleMonitor(rules).push({ ...at('A', 1), start: Number.NaN })).toThrow(
      /row 1, column 'start'/,
    );
  });
});

describe('createRuleMonitor memory', () => {
  it('holds state only for recently active subscribers however long the stream', () => {
    // 400 days; each subscriber is active for 5 days and then never again: 80 cohorts of 50.
    const monitor = createRuleMonitor(standardRules, { stateTtlMs: 2 * day });
    let maxActive = 0;
    let pushed = 0;
    for (let minute = 0; minute < 400 * 24 * 60; minute += 7) {
      const cohort = Math.floor(minute / (5 * 24 * 60));
      monitor.push({
        subscriberId: `S${cohort}-${minute % 50}`,
        start: t0 + minute * 60_000,
        service: 'voice',
        direction: 'out',
        durationSec: 30,
        calledNumber: `N${minute}`,
      });
      pushed++;
      maxActive = Math.max(maxActive, monitor.activeSubscribers);
    }
    monitor.flush();
    expect(pushed).toBeGreaterThan(80_000);
    // At most two cohorts (this one and the previous, within the TTL) are held.
    expect(maxActive).toBeLessThanOrEqual(100);
    expect(monitor.activeSubscribers).toBe(0);
  });
});
