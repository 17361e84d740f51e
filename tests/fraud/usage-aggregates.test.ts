import type { CallRecord } from 'telco-analytics/data';
import { usageAggregates } from 'telco-analytics/fraud';
import { describe, expect, it } from 'vitest';

const hour = 3_600_000;
const day = 24 * hour;
// 2024-01-01 is a Monday, so it also starts a 7-day window.
const t0 = Date.UTC(2024, 0, 1);

// One subscriber's day, worked by hand below.
const calls: CallRecord[] = [
  {
    subscriberId: 'A',
    start: t0,
    service: 'voice',
    direction: 'out',
    durationSec: 120,
    destination: 'international',
    calledNumber: 'N1',
    cellId: 'C1',
    charge: 1.5,
  },
  {
    subscriberId: 'A',
    start: t0 + hour,
    service: 'voice',
    direction: 'out',
    durationSec: 60,
    destination: 'premium',
    calledNumber: 'N2',
    cellId: 'C2',
    charge: 3,
  },
  {
    subscriberId: 'A',
    start: t0 + 10 * hour,
    service: 'voice',
    direction: 'in',
    durationSec: 300,
    calledNumber: 'N1',
    cellId: 'C1',
    charge: 0,
  },
  {
    subscriberId: 'A',
    start: t0 + 12 * hour,
    service: 'sms',
    direction: 'out',
    calledNumber: 'N3',
    cellId: 'C3',
    charge: 0.1,
  },
  {
    subscriberId: 'A',
    start: t0 + 14 * hour,
    service: 'voice',
    direction: 'out',
    durationSec: 180,
    destination: 'national',
    calledNumber: 'N1',
    cellId: 'C1',
    charge: 0.5,
  },
  // Exactly on the boundary: belongs to the next day's window.
  {
    subscriberId: 'A',
    start: t0 + day,
    service: 'voice',
    direction: 'out',
    durationSec: 30,
    destination: 'local',
    calledNumber: 'N4',
    cellId: 'C1',
    charge: 0.2,
  },
].map((call) => Object.freeze(call) as CallRecord);
Object.freeze(calls);

describe('usageAggregates: every metric on a hand-built day', () => {
  const rows = usageAggregates(calls, { window: '24h' });

  it('splits at the window boundary: a call at exactly 24:00 belongs to the next day', () => {
    expect(rows.map((row) => [row.windowStart, row.windowEnd, row.eventCount])).toEqual([
      [t0, t0 + day, 5],
      [t0 + day, t0 + 2 * day, 1],
    ]);
  });

  it('computes each measure as worked by hand', () => {
    const first = rows[0]!;
    // Outgoing voice: 120 s (international, night), 60 s (premium, night), 180 s (national, 14:00).
    expect(first.callCount).toBe(3);
    expect(first.incomingCallCount).toBe(1);
    expect(first.outgoingMinutes).toBeCloseTo(360 / 60, 12);
    expect(first.distinctCalledNumbers).toBe(2); // N1 twice, N2; the SMS to N3 is not a call
    expect(first.distinctCalledShare).toBeCloseTo(2 / 3, 12);
    expect(first.internationalMinutes).toBeCloseTo(2, 12);
    expect(first.premiumMinutes).toBeCloseTo(1, 12);
    expect(first.internationalShare).toBeCloseTo(120 / 360, 12);
    expect(first.premiumShare).toBeCloseTo(60 / 360, 12);
    expect(first.incomingOutgoingRatio).toBeCloseTo(1 / 3, 12);
    expect(first.meanCallSeconds).toBeCloseTo(120, 12);
    expect(first.nightShare).toBeCloseTo(2 / 3, 12); // 00:00 and 01:00 are night, 14:00 is not
    expect(first.cellCount).toBe(3);
    expect(first.spend).toBeCloseTo(5.1, 12);
    expect(first.daysSinceFirstCall).toBe(1);
    // Without subscribers/payments the account measures are unavailable.
    expect(first.arrearsDays).toBeNull();
    expect(first.unpaidBalance).toBeNull();
    expect(first.tenureDays).toBeNull();
    expect(first.callCountZScore).toBeNull();
  });

  it('gives zero shares and ratios when there is no outgoing call', () => {
    const onlyIncoming = usageAggregates([
      { subscriberId: 'B', start: t0, service: 'voice', direction: 'in', durationSec: 60 },
    ]);
    expect(onlyIncoming[0]).toMatchObject({
      callCount: 0,
      incomingCallCount: 1,
      internationalShare: 0,
      incomingOutgoingRatio: 0,
      meanCallSeconds: 0,
      nightShare: 0,
      distinctCalledShare: 0,
      cellCount: 0,
      spend: 0,
    });
  });

  it('reads arrears, tenure and the unpaid balance from subscribers and payments', () => {
    const withAccount = usageAggregates(calls, {
      window: '24h',
      subscribers: [{ subscriberId: 'A', arrearsDays: 12, activationDate: '2023-12-22' }],
      payments: [{ customerId: 'A', date: t0 + 13 * hour, amount: 2 }],
    });
    // Window ending 2024-01-02 00:00: activated 2023-12-22 -> 11 days; charges 5.1 - payment 2.
    expect(withAccount[0]!.tenureDays).toBe(11);
    expect(withAccount[0]!.arrearsDays).toBe(12);
    expect(withAccount[0]!.unpaidBalance).toBeCloseTo(3.1, 12);
    // Next day: charges 5.3 in total, still 2 paid.
    expect(withAccount[1]!.unpaidBalance).toBeCloseTo(3.3, 12);
    expect(withAccount[1]!.tenureDays).toBe(12);
  });
});

describe('usageAggregates: window kinds and edges', () => {
  it('1h windows: a call at exactly 01:00 starts the 01:00 window', () => {
    const rows = usageAggregates(calls, { window: '1h' });
    expect(rows.map((row) => (row.windowStart - t0) / hour)).toEqual([0, 1, 10, 12, 14, 24]);
    expect(rows.every((row) => row.windowEnd - row.windowStart === hour)).toBe(true);
  });

  it('7d windows start on Monday 00:00 UTC', () => {
    const rows = usageAggregates(calls, { window: '7d' });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.windowStart).toBe(t0);
    expect(rows[0]!.eventCount).toBe(6);
    // A call on Sunday 2024-01-07 23:59 and one on Monday 2024-01-08 00:00 fall in different weeks.
    const edge = usageAggregates(
      [
        { subscriberId: 'A', start: Date.UTC(2024, 0, 7, 23, 59), service: 'sms' },
        { subscriberId: 'A', start: Date.UTC(2024, 0, 8), service: 'sms' },
      ],
      { window: '7d' },
    );
    expect(edge.map((row) => row.windowStart)).toEqual([t0, Date.UTC(2024, 0, 8)]);
  });

  it('cycle windows are calendar months', () => {
    const rows = usageAggregates(
      [
        { subscriberId: 'A', start: Date.UTC(2024, 1, 29, 23, 59, 59, 999), service: 'sms' },
        { subscriberId: 'A', start: Date.UTC(2024, 2, 1), service: 'sms' },
      ],
      { window: 'cycle' },
    );
    expect(rows.map((row) => [row.windowStart, row.windowEnd])).toEqual([
      [Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1)],
      [Date.UTC(2024, 2, 1), Date.UTC(2024, 3, 1)],
    ]);
  });

  it('sliding windows of 24h every 12h, by hand', () => {
    const rows = usageAggregates(calls, { window: { size: '24h', step: '12h' } });
    // [-12h, 12h): calls at 0h, 1h, 10h; [0h, 24h): the first five; [12h, 36h): 12h, 14h, 24h; [24h, 48h): 24h.
    expect(
      rows.map((row) => [(row.windowStart - t0) / hour, (row.windowEnd - t0) / hour, row.eventCount]),
    ).toEqual([
      [-12, 12, 3],
      [0, 24, 5],
      [12, 36, 3],
      [24, 48, 1],
    ]);
    expect(rows[1]!.distinctCalledNumbers).toBe(2);
    expect(rows[2]!.distinctCalledNumbers).toBe(2); // N1 (14h) and N4 (24h)
    expect(rows[2]!.cellCount).toBe(2); // C3, C1
    expect(rows[0]!.window).toBe('24h/12h');
  });

  it('z-scores against the own trailing baseline, empty days counting as zero', () => {
    const history: CallRecord[] = [];
    const callsOn = (d: number, count: number): void => {
      for (let i = 0; i < count; i++)
        history.push({
          subscriberId: 'Z',
          start: t0 + d * day + (i + 1) * 60_000,
          service: 'voice',
          direction: 'out',
          durationSec: 60,
        });
    };
    for (let d = 0; d < 14; d++) callsOn(d, 2);
    callsOn(14, 20);
    callsOn(16, 2); // day 15 is silent
    const rows = usageAggregates(history, { window: '24h' });
    const byDay = new Map(rows.map((row) => [(row.windowStart - t0) / day, row]));
    // Fewer than 7 previous days: unavailable.
    expect(byDay.get(6)!.callCountZScore).toBeNull();
    // Day 7: seven previous days of 2 calls; flat history, deviation floored at 1 -> z = 0.
    expect(byDay.get(7)!.callCountZScore).toBe(0);
    // Day 14: mean 2, deviation 0 floored at 1 -> (20 - 2) / 1.
    expect(byDay.get(14)!.callCountZScore).toBe(18);
    // Day 16: the last 14 days are days 2..15 = twelve 2s, a 20 and a 0.
    const baseline = [...Array(12).fill(2), 20, 0] as number[];
    const mean = baseline.reduce((a, b) => a + b, 0) / 14; // 44 / 14
    const sd = Math.sqrt(baseline.reduce((a, b) => a + (b - mean) ** 2, 0) / 14); // population sd, 4.7035
    expect(byDay.get(16)!.callCountZScore).toBeCloseTo((2 - mean) / sd, 12);
    expect(byDay.get(16)!.callCountZScore).toBeCloseTo(-0.242983, 5);
  });

  it('rejects a bad window and bad options', () => {
    expect(() => usageAggregates(calls, { window: '5x' })).toThrow(/window.*'5x'/);
    expect(() => usageAggregates(calls, { window: { size: '24h', step: '7h' } })).toThrow(/whole multiple/);
    expect(() => usageAggregates(calls, { baselineWindows: 0 })).toThrow(/baselineWindows/);
    expect(() => usageAggregates(calls, { minimumBaselineWindows: 20 })).toThrow(/minimumBaselineWindows/);
    expect(() => usageAggregates(calls, { stateTtlMs: -1 })).toThrow(/stateTtlMs/);
  });

  it('names the row and column of a bad call', () => {
    const bad = [calls[0]!, { ...calls[1]!, start: Number.NaN }];
    expect(() => usageAggregates(bad)).toThrow(/row 2, column 'start'/);
  });

  it('ignores input order', () => {
    const reversed = [...calls].reverse();
    expect(usageAggregates(reversed, { window: '1h' })).toEqual(usageAggregates(calls, { window: '1h' }));
  });
});
