import { type CallRecord, OptionError } from 'telco-analytics/data';
import { evaluateRules, type FraudRule, validateRules } from 'telco-analytics/fraud';
import { describe, expect, it } from 'vitest';

const hour = 3_600_000;
const t0 = Date.UTC(2024, 0, 1);
const call = (subscriberId: string, offsetHours: number, extra: Partial<CallRecord> = {}): CallRecord =>
  Object.freeze({
    subscriberId,
    start: t0 + offsetHours * hour,
    service: 'voice',
    direction: 'out',
    durationSec: 60,
    calledNumber: `N${offsetHours}`,
    ...extra,
  });

const calls = Object.freeze([call('A', 0), call('A', 1), call('A', 2), call('B', 3), call('A', 25)]);

const rule = (when: FraudRule['when'], extra: Partial<FraudRule> = {}): FraudRule => ({
  id: 'r',
  description: 'test',
  severity: 'high',
  window: '24h',
  when,
  ...extra,
});

describe('evaluateRules', () => {
  it('emits one alert per subscriber, rule and window occurrence, with evidence', () => {
    const alerts = evaluateRules(calls, [
      rule({ metric: 'callCount', op: '>=', value: 3 }, { department: 'fraud' }),
    ]);
    expect(alerts).toEqual([
      {
        subscriberId: 'A',
        ruleId: 'r',
        severity: 'high',
        window: '24h',
        windowStart: t0,
        windowEnd: t0 + 24 * hour,
        department: 'fraud',
        evidence: { callCount: 3 },
      },
    ]);
  });

  it('combines all / any / not', () => {
    const when = {
      all: [
        { metric: 'callCount', op: '>=', value: 1 },
        {
          any: [
            { metric: 'outgoingMinutes', op: '>', value: 2.5 },
            { metric: 'eventCount', op: '==', value: 1 },
          ],
        },
        { not: { metric: 'nightShare', op: '<', value: 0.5 } },
      ],
    } as const;
    // A day 1: 3 calls at 00-02h (night share 1, 3 minutes) -> match; B: 1 call at 03h -> match (eventCount 1);
    // A day 2: one call at 01h -> match.
    const alerts = evaluateRules(calls, [rule(when)]);
    expect(alerts.map((alert) => [alert.subscriberId, alert.windowStart])).toEqual([
      ['A', t0],
      ['B', t0],
      ['A', t0 + 24 * hour],
    ]);
    expect(alerts[0]!.evidence).toEqual({ callCount: 3, outgoingMinutes: 3, eventCount: 3, nightShare: 1 });
  });

  it('treats an unavailable metric as failing every comparison, != included', () => {
    expect(evaluateRules(calls, [rule({ metric: 'arrearsDays', op: '<', value: 5 })])).toEqual([]);
    expect(evaluateRules(calls, [rule({ metric: 'arrearsDays', op: '!=', value: 5 })])).toEqual([]);
    const negated = evaluateRules(calls, [rule({ not: { metric: 'arrearsDays', op: '<', value: 5 } })]);
    expect(negated).toHaveLength(3);
    expect(negated[0]!.evidence).toEqual({ arrearsDays: null });
  });

  it('sorts alerts by window start, subscriber and rule order', () => {
    const rules = [
      rule({ metric: 'eventCount', op: '>=', value: 1 }, { id: 'second' }),
      rule({ metric: 'eventCount', op: '>=', value: 1 }, { id: 'first', window: '1h' }),
    ];
    const alerts = evaluateRules(calls, rules);
    const keys = alerts.map((alert) => `${alert.windowStart - t0}|${alert.subscriberId}|${alert.ruleId}`);
    expect(keys.slice(0, 3)).toEqual(['0|A|second', '0|A|first', '0|B|second']);
    expect(alerts).toHaveLength(3 + 5);
  });

  it('throws an OptionError naming the rule and path of a bad rule', () => {
    const bad = [rule({ metric: 'callz' as 'callCount', op: '>', value: 1 }, { id: 'spike' })];
    expect(() => evaluateRules(calls, bad)).toThrow(OptionError);
    expect(() => evaluateRules(calls, bad)).toThrow(
      /rules\[0\] 'spike' at 'when.metric': unknown metric "callz"/,
    );
  });

  it('names the row and column of a bad call', () => {
    expect(() =>
      evaluateRules([calls[0]!, { ...calls[1]!, subscriberId: 7 as unknown as string }], []),
    ).toThrow(/row 2, column 'subscriberId'/);
  });
});

describe('validateRules', () => {
  const good = rule({ metric: 'callCount', op: '>', value: 1 });

  it('accepts a valid rule base, including the JSON round trip', () => {
    expect(validateRules([good])).toEqual([]);
    expect(validateRules(JSON.parse(JSON.stringify([good])))).toEqual([]);
  });

  it.each([
    [
      'unknown metric',
      { ...good, when: { all: [{ metric: 'calls', op: '>', value: 1 }] } },
      'when.all[0].metric',
      /unknown metric "calls"/,
    ],
    [
      'unknown operator',
      { ...good, when: { metric: 'callCount', op: '=>', value: 1 } },
      'when.op',
      /unknown operator "=>"/,
    ],
    [
      'non-finite threshold',
      { ...good, when: { metric: 'callCount', op: '>', value: '3' } },
      'when.value',
      /finite number/,
    ],
    ['unknown window', { ...good, window: '2w' }, 'window', /'2w'/],
    [
      'sliding cycle',
      { ...good, window: { size: 'cycle', step: '1d' } },
      'window',
      /cycle windows cannot slide/,
    ],
    ['empty any', { ...good, when: { any: [] } }, 'when.any', /non-empty array/],
    [
      'not a condition',
      { ...good, when: { not: { metric: 'callCount' } } },
      'when.not.op',
      /unknown operator/,
    ],
    ['no kind', { ...good, when: { threshold: 3 } }, 'when', /none of all, any, not, metric/],
    [
      'extra field',
      { ...good, when: { metric: 'callCount', op: '>', value: 1, unit: 'x' } },
      'when.unit',
      /not a field/,
    ],
    ['mixed node', { ...good, when: { all: [good.when], any: [good.when] } }, 'when', /no other field/],
    ['severity', { ...good, severity: 'urgent' }, 'severity', /unknown severity "urgent"/],
    ['missing id', { ...good, id: '' }, 'id', /non-empty string/],
    ['missing description', { ...good, description: undefined }, 'description', /string/],
    ['missing condition', { ...good, when: undefined }, 'when', /required/],
    ['department', { ...good, department: 3 }, 'department', /string/],
  ])('reports %s with its path', (_, bad, path, reason) => {
    const problems = validateRules(
      [good, { ...bad, id: bad.id === '' ? '' : 'bad' }].map((r, i) => (i === 0 ? { ...r, id: 'ok' } : r)),
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ rule: 1, path });
    expect(problems[0]!.reason).toMatch(reason);
  });

  it('reports duplicate ids and non-objects', () => {
    expect(validateRules([good, good])).toEqual([
      { rule: 1, ruleId: 'r', path: 'id', reason: "duplicate id 'r'" },
    ]);
    expect(validateRules([null])[0]).toMatchObject({ rule: 0, reason: 'must be an object' });
    expect(validateRules({})[0]).toMatchObject({ rule: -1, reason: 'rules must be an array' });
  });
});
