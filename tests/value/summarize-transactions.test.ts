import { DataError, type Payment, TelcoAnalyticsError } from 'telco-analytics/data';
import { summarizeTransactions } from 'telco-analytics/value';
import { describe, expect, it } from 'vitest';

const day = 86_400_000;
const at = (days: number, hours = 0): number => Date.UTC(2024, 0, 1) + days * day + hours * 3_600_000;

// Worked by hand: customer a buys on days 0, 7 (twice: 4 + 6) and 14; b once on day 3; c only
// after asOf (day 28).
const payments: readonly Payment[] = Object.freeze(
  [
    { customerId: 'a', date: at(0, 9), amount: 10 },
    { customerId: 'a', date: at(7, 8), amount: 4 },
    { customerId: 'b', date: at(3), amount: 99 },
    { customerId: 'a', date: at(7, 20), amount: 6 },
    { customerId: 'a', date: at(14), amount: 20 },
    { customerId: 'c', date: at(30), amount: 5 },
  ].map((payment) => Object.freeze(payment)),
);

describe('summarizeTransactions', () => {
  it('merges same-day purchases and measures ages in whole days (hand-worked)', () => {
    const summary = summarizeTransactions(payments, { asOf: at(28), unit: 'week' });
    expect(summary).toMatchObject({
      kind: 'transactionSummary',
      unit: 'week',
      merge: 'day',
      asOf: at(28),
      excludedAfterAsOf: 1,
    });
    // a: occasions on days 0, 7 (4 + 6 = 10), 14 -> 2 repeats, recency 14 days = 2 weeks,
    // T 28 days = 4 weeks, monetary mean(10, 20) = 15 (the first purchase is left out).
    expect(summary.customers).toEqual([
      { customerId: 'a', frequency: 2, recency: 2, T: 4, monetary: 15 },
      { customerId: 'b', frequency: 0, recency: 0, T: 25 / 7, monetary: 0 },
    ]);
    const days = summarizeTransactions(payments, { asOf: '2024-01-29', unit: 'day' });
    expect(days.customers[0]).toEqual({ customerId: 'a', frequency: 2, recency: 14, T: 28, monetary: 15 });
  });

  it("keeps every payment apart with merge: 'none' (exact ages)", () => {
    const summary = summarizeTransactions(payments, { asOf: at(28), unit: 'day', merge: 'none' });
    const a = summary.customers[0]!;
    expect(a.frequency).toBe(3);
    expect(a.recency).toBeCloseTo(14 - 9 / 24, 12);
    expect(a.T).toBeCloseTo(28 - 9 / 24, 12);
    expect(a.monetary).toBeCloseTo(10, 12);
  });

  it('defaults asOf to the latest payment and reads any table the data layer reads', () => {
    const summary = summarizeTransactions(payments);
    expect(summary.asOf).toBe(at(30));
    expect(summary.customers).toHaveLength(3);
    const table = summarizeTransactions({
      customerId: ['x', 'x', 'y'],
      date: ['2024-01-01', '2024-01-08', '2024-01-05'],
      amount: ['1', '3.5', '2'],
    });
    expect(table.customers[0]).toEqual({ customerId: 'x', frequency: 1, recency: 1, T: 1, monetary: 3.5 });
  });

  it('names the row and column of a bad payment', () => {
    expect(() =>
      summarizeTransactions([
        { customerId: 'a', date: '2024-01-01', amount: 1 },
        { customerId: 'a', date: '2024-01-01', amount: -1 },
      ] as never),
    ).toThrow(DataError);
    try {
      summarizeTransactions([{ customerId: 'a', date: 'soon', amount: 1 }] as never);
    } catch (error) {
      expect((error as DataError).issues[0]).toMatchObject({ row: 1, column: 'date' });
    }
    expect(() => summarizeTransactions(payments, { asOf: 'tomorrow' })).toThrow(/option 'asOf'/);
    expect(() => summarizeTransactions(payments, { unit: 'month' as never })).toThrow(/option 'unit'/);
    expect(() => summarizeTransactions(payments, { merge: 'hour' as never })).toThrow(/option 'merge'/);
    expect(() => summarizeTransactions([])).toThrow(TelcoAnalyticsError);
    expect(() => summarizeTransactions(payments, { asOf: at(-5) })).toThrow(/no payments on or before asOf/);
  });
});
