import fc from 'fast-check';
import { DataError, type Payment } from 'telco-analytics/data';
import { type FrequencyMeasure, type RfmScoring, rfm } from 'telco-analytics/rfm';
import { describe, expect, it } from 'vitest';
import { columnsOf } from '../support/payment-columns.js';

const day = 86_400_000;

// Ids from a small alphabet so customers repeat; mixed-length ids so their order by code unit
// differs from their order of first appearance.
const paymentArbitrary: fc.Arbitrary<Payment> = fc.record({
  customerId: fc.constantFrom('a', 'b', 'c', 'aa', 'ab', 'B', 'Z9', 'z', '10', '9', 'é', 'c-1'),
  date: fc.integer({ min: 0, max: 400 }).map((d) => d * day + 3_600_000 * (d % 24)),
  amount: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 500, noNaN: true })),
});
const paymentsArbitrary = fc.array(paymentArbitrary, { minLength: 1, maxLength: 80 });

/** SQL `NTILE(bins) OVER (ORDER BY key, id)`, written out the slow, obvious way. */
function ntile(keys: readonly { id: string; key: number }[], bins: number): Map<string, number> {
  const ordered = [...keys].sort((a, b) => a.key - b.key || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const n = ordered.length;
  const small = Math.floor(n / bins);
  const largeGroups = n % bins;
  const groups = new Map<string, number>();
  let position = 0;
  for (let group = 1; group <= bins; group++) {
    const size = small + (group <= largeGroups ? 1 : 0);
    for (let k = 0; k < size; k++) groups.set(ordered[position++]!.id, group);
  }
  return groups;
}

describe('rfm: input forms and large inputs', () => {
  it('scores columns of normalised values exactly as the same payments as objects', () => {
    fc.assert(
      fc.property(
        paymentsArbitrary,
        fc.constantFrom<FrequencyMeasure>('events', 'activeDays', 'activeMonths'),
        fc.constantFrom<RfmScoring>('quantile', 'rank'),
        (payments, frequency, scoring) => {
          const fromObjects = rfm(payments, { frequency, scoring });
          expect(rfm(columnsOf(payments), { frequency, scoring })).toEqual(fromObjects);
          const plainArrays = {
            customerId: payments.map((payment) => payment.customerId),
            date: payments.map((payment) => payment.date),
            amount: payments.map((payment) => payment.amount),
          };
          expect(rfm(plainArrays, { frequency, scoring })).toEqual(fromObjects);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('sends columns that are not normalised through the validator (errors name row and column)', () => {
    const columns = {
      customerId: ['a', 'b', 'c'],
      date: Float64Array.of(0, day, 2 * day),
      amount: Float64Array.of(1, -2, 3),
    };
    let caught: unknown;
    try {
      rfm(columns);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DataError);
    expect((caught as DataError).issues[0]).toMatchObject({ row: 2, column: 'amount' });
    // An empty id and a ragged table are also the validator's to report.
    expect(() => rfm({ customerId: ['a', ''], date: [0, day], amount: [1, 2] })).toThrow(DataError);
    expect(() => rfm({ customerId: ['a', 'b'], date: [0], amount: [1, 2] })).toThrow(DataError);
    expect(() => rfm({ customerId: ['a', 'b'], date: [0, day], amount: [1, 2], channel: ['web'] })).toThrow(
      DataError,
    );
  });

  it('matches NTILE by (value, customer id) for rank scoring, ties included', () => {
    fc.assert(
      fc.property(paymentsArbitrary, fc.integer({ min: 2, max: 9 }), (payments, bins) => {
        const { customers } = rfm(payments, { scoring: 'rank', bins });
        const r = ntile(
          customers.map((row) => ({ id: row.customerId, key: -row.recencyDays })),
          bins,
        );
        const f = ntile(
          customers.map((row) => ({ id: row.customerId, key: row.frequency })),
          bins,
        );
        const m = ntile(
          customers.map((row) => ({ id: row.customerId, key: row.monetary })),
          bins,
        );
        for (const row of customers) {
          expect([row.r, row.f, row.m]).toEqual([
            r.get(row.customerId),
            f.get(row.customerId),
            m.get(row.customerId),
          ]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps totals exact and customers in order of first appearance on an input that grows its tables', () => {
    // 60,000 payments over 20,000 customers: past the initial table size (one customer per 16
    // events), so the table is rehashed in the middle of a block of events.
    const payments: Payment[] = [];
    for (let i = 0; i < 60_000; i++) {
      const customer = (i * 7919) % 20_000;
      payments.push({ customerId: `S${customer}`, date: (i % 300) * day, amount: (i % 13) / 4 });
    }
    const expected = new Map<string, { last: number; events: number; amount: number }>();
    for (const payment of payments) {
      const seen = expected.get(payment.customerId) ?? { last: -1, events: 0, amount: 0 };
      seen.last = Math.max(seen.last, payment.date);
      seen.events += 1;
      seen.amount += payment.amount;
      expected.set(payment.customerId, seen);
    }
    const result = rfm(Object.freeze(payments));
    expect(result.customers.map((row) => row.customerId)).toEqual([...expected.keys()]);
    const asOfDay = Math.floor(result.asOf / day);
    expect(result.customers.map((row) => [row.recencyDays, row.frequency, row.monetary])).toEqual(
      [...expected.values()].map((seen) => [asOfDay - Math.floor(seen.last / day), seen.events, seen.amount]),
    );
  });
});
