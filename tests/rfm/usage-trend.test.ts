import {
  type CallRecord,
  DataError,
  OptionError,
  type Payment,
  type TelcoAnalyticsError,
} from 'telco-analytics/data';
import { usageTrend } from 'telco-analytics/rfm';
import { describe, expect, it } from 'vitest';

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/** `counts[k]` payments of `amount` in month k of 2024 (January = 0), on the 10th. */
function monthly(customerId: string, counts: readonly number[], amount = 5): Payment[] {
  return counts.flatMap((count, month) =>
    Array.from({ length: count }, () =>
      Object.freeze({ customerId, date: Date.UTC(2024, month, 10), amount }),
    ),
  );
}

describe('usageTrend', () => {
  // Hand-worked slopes over t = 0..5 (centre 2.5, sum of squares 17.5):
  //   rising  [1, 2, 3, 4, 5, 6]: slope 1, mean 3.5, relative 0.286
  //   falling [6, 5, 4, 3, 2, 1]: slope -1, relative -0.286
  //   stable  [3, 3, 3, 3, 3, 3]: slope 0
  //   wobbly  [3, 4, 3, 4, 3, 4]: slope 1.5 / 17.5 = 0.0857, relative 0.0245 -> stable
  const events = Object.freeze([
    ...monthly('rising', [1, 2, 3, 4, 5, 6]),
    ...monthly('falling', [6, 5, 4, 3, 2, 1]),
    ...monthly('stable', [3, 3, 3, 3, 3, 3]),
    ...monthly('wobbly', [3, 4, 3, 4, 3, 4]),
  ]);

  it('finds rising, falling and stable customers by the relative least-squares slope', () => {
    const result = usageTrend(events, { asOf: '2024-07-01' });
    const rows = new Map(result.customers.map((row) => [row.customerId, row]));
    expect(rows.get('rising')).toMatchObject({
      series: [1, 2, 3, 4, 5, 6],
      mean: 3.5,
      slope: 1,
      direction: 'rising',
    });
    expect(rows.get('rising')!.relativeSlope).toBeCloseTo(1 / 3.5, 12);
    expect(rows.get('falling')).toMatchObject({ slope: -1, direction: 'falling' });
    expect(rows.get('stable')).toMatchObject({ slope: 0, relativeSlope: 0, direction: 'stable' });
    expect(rows.get('wobbly')!.slope).toBeCloseTo(1.5 / 17.5, 12);
    expect(rows.get('wobbly')!.direction).toBe('stable');
    expect(result.periodStarts).toEqual([0, 1, 2, 3, 4, 5].map((month) => Date.UTC(2024, month, 1)));
    expect(result.end).toBe(Date.UTC(2024, 6, 1));
    expect(result).toMatchObject({ period: 'month', measure: 'count', threshold: 0.1 });
  });

  it('reads the threshold as a share of the mean per period', () => {
    const strict = usageTrend(events, { asOf: '2024-07-01', threshold: 0.3 });
    expect(strict.customers.find((row) => row.customerId === 'rising')!.direction).toBe('stable');
    const loose = usageTrend(events, { asOf: '2024-07-01', threshold: 0.02 });
    expect(loose.customers.find((row) => row.customerId === 'wobbly')!.direction).toBe('rising');
  });

  it('leaves out the period still running at asOf (by default the day after the latest event)', () => {
    // Latest event 2024-06-10: asOf defaults to 2024-06-11, June is not whole, the window is Dec-May.
    const result = usageTrend(events);
    expect(result.periodStarts[0]).toBe(Date.UTC(2023, 11, 1));
    expect(result.end).toBe(Date.UTC(2024, 5, 1));
    expect(result.customers.find((row) => row.customerId === 'rising')!.series).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('sums amounts, also from call records, and leaves out customers idle in the window', () => {
    const calls: CallRecord[] = [
      { subscriberId: 'x', start: Date.UTC(2024, 4, 6, 9), service: 'voice', charge: 1 },
      { subscriberId: 'x', start: Date.UTC(2024, 4, 13, 9), service: 'data', charge: 2 },
      { subscriberId: 'x', start: Date.UTC(2024, 4, 14, 9), service: 'sms' },
      { subscriberId: 'idle', start: Date.UTC(2024, 0, 1), service: 'sms', charge: 1 },
    ];
    // ISO weeks (Monday 00:00 UTC): 2024-05-06 and 2024-05-13 are Mondays; asOf Monday 2024-05-20.
    const result = usageTrend(calls, { period: 'week', periods: 2, measure: 'amount', asOf: '2024-05-20' });
    expect(result.periodStarts).toEqual([Date.UTC(2024, 4, 6), Date.UTC(2024, 4, 13)]);
    expect(result.customers).toEqual([
      { customerId: 'x', series: [1, 2], mean: 1.5, slope: 1, relativeSlope: 1 / 1.5, direction: 'rising' },
    ]);
    // Sunday 2024-05-12 23:00 still belongs to the week of 2024-05-06.
    const sunday = usageTrend([{ customerId: 's', date: Date.UTC(2024, 4, 12, 23), amount: 1 }], {
      period: 'week',
      periods: 2,
      asOf: '2024-05-20',
    });
    expect(sunday.customers[0]!.series).toEqual([1, 0]);
    const days = usageTrend(calls, { period: 'day', periods: 2, asOf: '2024-05-15' });
    expect(days.customers[0]!.series).toEqual([1, 1]);
  });

  it('rejects bad input and options', () => {
    expect((caught(() => usageTrend([])) as TelcoAnalyticsError).code).toBe('EMPTY_INPUT');
    const missing = caught(() => usageTrend([{ date: 1, amount: 1 } as unknown as Payment]));
    expect(missing).toBeInstanceOf(DataError);
    expect((missing as DataError).issues[0]).toMatchObject({ row: 1, column: 'subscriberId' });
    const textDate = caught(() =>
      usageTrend([...events, { customerId: 'a', date: '2024-01-01', amount: 1 } as never]),
    );
    expect((textDate as DataError).issues[0]).toMatchObject({ row: events.length + 1, column: 'date' });
    const negative = caught(() => usageTrend([{ customerId: 'a', date: 1, amount: -1 }]));
    expect((negative as DataError).issues[0]).toMatchObject({ column: 'amount' });
    for (const [options, option] of [
      [{ periods: 1 }, 'periods'],
      [{ period: 'year' }, 'period'],
      [{ measure: 'minutes' }, 'measure'],
      [{ threshold: -0.1 }, 'threshold'],
      [{ asOf: 'later' }, 'asOf'],
    ] as const) {
      const error = caught(() => usageTrend(events, options as never));
      expect(error).toBeInstanceOf(OptionError);
      expect((error as OptionError).option).toBe(option);
    }
  });
});
