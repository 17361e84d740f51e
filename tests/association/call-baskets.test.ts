import {
  associationRules,
  type BasketUsage,
  callBaskets,
  callItems,
  defaultCallItemThresholds,
  fpGrowth,
} from 'telco-analytics/association';
import { type CallRecord, DataError, generateOperator, OptionError } from 'telco-analytics/data';
import { describe, expect, it } from 'vitest';

const at = (iso: string): number => Date.parse(iso);

function call(subscriberId: string, start: string, fields: Partial<CallRecord>): CallRecord {
  return {
    subscriberId,
    start: at(start),
    service: 'voice',
    direction: 'out',
    destination: 'local',
    ...fields,
  };
}

// Subscriber A over a 30-day window (1-30 June): 5 voice calls made, 2 of them international (40%),
// one received while roaming; 2 of 6 voice calls at night (23:10 and 02:00 UTC: 33%); 61 SMS
// (60 sent, 1 received; 61 per 30 days >= 60), 10 of the sent international (17% < 20%);
// data 1,500 + 600 MB = 2,100 MB per 30 days, one session roaming. Subscriber B: one premium call.
const calls: CallRecord[] = [
  call('A', '2024-06-01T09:00:00Z', { destination: 'international', durationSec: 600 }),
  call('A', '2024-06-02T23:10:00Z', { destination: 'international' }),
  call('A', '2024-06-03T10:00:00Z', {}),
  call('A', '2024-06-04T11:00:00Z', {}),
  call('A', '2024-06-05T02:00:00Z', {}),
  call('A', '2024-06-06T12:00:00Z', { direction: 'in', destination: 'roaming' }),
  ...Array.from({ length: 60 }, (_, i) =>
    call('A', `2024-06-${String(10 + (i % 10)).padStart(2, '0')}T12:00:00Z`, {
      service: 'sms',
      destination: i < 10 ? 'international' : 'local',
    }),
  ),
  call('A', '2024-06-20T12:00:00Z', { service: 'sms', direction: 'in' }),
  call('A', '2024-06-21T12:00:00Z', { service: 'data', volumeMb: 1500, destination: 'national' }),
  call('A', '2024-06-30T12:00:00Z', { service: 'data', volumeMb: 600, destination: 'roaming' }),
  call('B', '2024-06-15T12:00:00Z', { destination: 'premium' }),
];

describe('callBaskets: the default itemiser', () => {
  it('itemises each subscriber by the documented thresholds', () => {
    const baskets = callBaskets(Object.freeze(calls.map((record) => Object.freeze(record))));
    expect(baskets).toEqual([
      {
        subscriberId: 'A',
        period: null,
        items: [
          'data',
          'data:heavy',
          'data:roaming',
          'sms',
          'sms:heavy',
          'voice:international',
          'voice:night',
          'voice:roaming',
        ],
      },
      { subscriberId: 'B', period: null, items: ['voice:premium'] },
    ]);
  });

  it('moves with its thresholds, and a longer window lowers the per-30-day rates', () => {
    const [a] = callBaskets(calls, { thresholds: { internationalSmsShare: 0.1, nightVoiceShare: 0.5 } });
    expect(a?.items).toContain('sms:international');
    expect(a?.items).not.toContain('voice:night');
    const [slow] = callBaskets(calls, { days: 60 });
    expect(slow?.items).not.toContain('sms:heavy');
    expect(slow?.items).not.toContain('data:heavy');
  });

  it('groups by subscriber-month and subscriber-day, naming the period', () => {
    const monthly = callBaskets(
      [call('A', '2024-01-31T12:00:00Z', {}), call('A', '2024-02-01T12:00:00Z', { service: 'sms' })],
      {
        by: 'subscriber-month',
      },
    );
    expect(monthly.map((basket) => [basket.period, basket.items])).toEqual([
      ['2024-01', []],
      ['2024-02', ['sms']],
    ]);
    const daily = callBaskets(calls.slice(0, 2), { by: 'subscriber-day' });
    expect(daily.map((basket) => basket.period)).toEqual(['2024-06-01', '2024-06-02']);
    expect(daily[1]?.items).toEqual(['voice:international', 'voice:night']);
  });

  it('adds subscriber attributes as items, and a custom itemiser replaces or extends the default', () => {
    const subscribers = [
      { subscriberId: 'B', planId: 'POST-M', region: 'North', ageBand: '18-24', contract: '24-month' },
    ];
    const [, b] = callBaskets(calls, { subscribers });
    expect(b?.items).toEqual(['age:18-24', 'plan:POST-M', 'region:North', 'voice:premium']);
    const [, withContract] = callBaskets(calls, { subscribers, subscriberAttributes: ['contract'] });
    expect(withContract?.items).toEqual(['contract:24-month', 'voice:premium']);
    const seen: BasketUsage[] = [];
    const extended = callBaskets(calls, {
      subscribers,
      itemize: (usage) => {
        seen.push(usage);
        return [...callItems(usage), usage.voiceSeconds > 300 ? 'voice:long' : 'voice:short'];
      },
    });
    expect(extended[0]?.items).toContain('voice:long');
    expect(seen[1]).toMatchObject({
      subscriberId: 'B',
      days: 30,
      premiumVoiceOut: 1,
      subscriber: subscribers[0],
    });
  });

  it('documents its defaults', () => {
    expect(defaultCallItemThresholds).toEqual({
      nightVoiceShare: 0.3,
      nightStartHour: 22,
      nightEndHour: 6,
      internationalVoiceShare: 0.2,
      internationalSmsShare: 0.2,
      heavySmsPer30Days: 60,
      heavyDataMbPer30Days: 2000,
    });
  });
});

describe('callBaskets: bad input', () => {
  it('names the row and column of a bad call', () => {
    const bad = (record: unknown) => () => callBaskets([calls[0]!, record as CallRecord]);
    expect(bad({ ...calls[0], subscriberId: '' })).toThrow(DataError);
    expect(bad({ ...calls[0], subscriberId: '' })).toThrow("callBaskets: row 2, column 'subscriberId'");
    expect(bad({ ...calls[0], start: Number.NaN })).toThrow("row 2, column 'start'");
    expect(bad({ ...calls[0], service: 3 })).toThrow("row 2, column 'service'");
    expect(bad(null)).toThrow('row 2');
  });

  it('rejects bad options', () => {
    expect(() => callBaskets(calls, { by: 'week' as 'subscriber' })).toThrow(OptionError);
    expect(() => callBaskets(calls, { days: 0 })).toThrow("option 'days'");
    expect(() => callBaskets(calls, { thresholds: { nightStartHour: 24 } })).toThrow(
      "option 'thresholds.nightStartHour'",
    );
    expect(() => callBaskets(calls, { thresholds: { nightVoiceShare: 0 } })).toThrow(
      "option 'thresholds.nightVoiceShare'",
    );
    expect(() => callBaskets(calls, { thresholds: { heavy: 3 } as object })).toThrow('is not a threshold');
    expect(() => callBaskets(calls, { itemize: () => [5 as unknown as string] })).toThrow("option 'itemize'");
  });

  it('returns no baskets for no calls', () => {
    expect(callBaskets([])).toEqual([]);
  });
});

describe('callBaskets on the synthetic operator', () => {
  const operator = generateOperator({ subscribers: 2000, months: 3, seed: 42 });
  const baskets = callBaskets(operator.calls, { subscribers: operator.subscribers });

  it('makes one basket per subscriber with usage, with plan, region and age items', () => {
    const withCalls = new Set(operator.calls.map((record) => record.subscriberId));
    expect(baskets).toHaveLength(withCalls.size);
    for (const basket of baskets.slice(0, 50)) {
      expect(basket.items.filter((item) => item.startsWith('plan:'))).toHaveLength(1);
      expect(basket.items.filter((item) => item.startsWith('age:'))).toHaveLength(1);
    }
  });

  it('the planted usage correlations are the top rules by lift', () => {
    const planted = operator.plantedAssociations.map((association) => association.items);
    expect(planted).toEqual([
      ['voice:roaming', 'data:roaming'],
      ['voice:night', 'sms:heavy'],
      ['voice:international', 'sms:international'],
    ]);
    const usage = baskets.map((basket) => basket.items.filter((item) => !/^(plan|region|age):/.test(item)));
    const rules = associationRules(fpGrowth(usage, { minSupport: 0.02, maxLength: 2 }), {
      minConfidence: 0.3,
    });
    const top = rules.slice(0, 6).map((rule) => [...rule.antecedent, ...rule.consequent].sort().join(' & '));
    const expected = planted.flatMap((items) => {
      const pair = [...items].sort().join(' & ');
      return [pair, pair];
    });
    expect(top.sort()).toEqual(expected.sort());
    for (const rule of rules.slice(0, 6)) expect(rule.lift).toBeGreaterThan(3);
    expect(rules[6]!.lift).toBeLessThan(2);
  });
});
