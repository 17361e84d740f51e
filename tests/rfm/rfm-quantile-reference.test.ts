import fc from 'fast-check';
import type { Payment } from 'telco-analytics/data';
import { rfm } from 'telco-analytics/rfm';
import { describe, expect, it } from 'vitest';

const day = 86_400_000;

/** R's type-7 quantile (`quantile(x, p)`), by its textbook definition on a sorted copy. */
function type7(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const low = sorted[lo]!;
  const high = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return low + (h - lo) * (high - low);
}

// Whole-number amounts (so whole-number monetary values) as well as fractional ones, and dates
// spread over a wide or a narrow range: both ways rfm() has of finding quantiles.
const paymentsArbitrary = fc.array(
  fc.record({
    customerId: fc.integer({ min: 0, max: 40 }).map((k) => `c${k}`),
    date: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 200_000 })).map((d) => d * day),
    amount: fc.oneof(
      fc.integer({ min: 0, max: 5 }),
      fc.integer({ min: 0, max: 1e7 }),
      fc.double({ min: 0, max: 1e4, noNaN: true }),
    ),
  }),
  { minLength: 1, maxLength: 120 },
) as fc.Arbitrary<Payment[]>;

describe('rfm: quantile breakpoints', () => {
  it('are the type-7 quantiles of the customer values', () => {
    fc.assert(
      fc.property(paymentsArbitrary, fc.integer({ min: 2, max: 9 }), (payments, bins) => {
        const { customers, breakpoints } = rfm(payments, { bins });
        for (const [measure, values] of [
          ['recency', customers.map((row) => row.recencyDays)],
          ['frequency', customers.map((row) => row.frequency)],
          ['monetary', customers.map((row) => row.monetary)],
        ] as const) {
          const expected = Array.from({ length: bins - 1 }, (_, k) => type7(values, (k + 1) / bins));
          const got = breakpoints[measure];
          expect(got).toHaveLength(bins - 1);
          got.forEach((cut, k) => {
            const want = expected[k]!;
            expect(Math.abs(cut - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
          });
        }
      }),
      { numRuns: 200 },
    );
  });
});
