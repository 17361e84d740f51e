import fc from 'fast-check';
import type { Payment } from 'telco-analytics/data';
import { defaultSegments, type RfmScoring, rfm } from 'telco-analytics/rfm';
import { describe, expect, it } from 'vitest';

const day = 86_400_000;

// Small id and value alphabets so that ties (the hard part of RFM scoring) are frequent.
const paymentArbitrary: fc.Arbitrary<Payment> = fc.record({
  customerId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'),
  date: fc.integer({ min: 0, max: 60 }).map((d) => d * day + 3_600_000),
  amount: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 500, noNaN: true })),
});

const paymentsArbitrary = fc
  .array(paymentArbitrary, { minLength: 1, maxLength: 60 })
  .map((payments) => Object.freeze(payments.map((payment) => Object.freeze(payment))));
const scoringArbitrary = fc.constantFrom<RfmScoring>('quantile', 'rank', 'rfmPackage');
const binsArbitrary = fc.integer({ min: 2, max: 9 });

describe('rfm: properties', () => {
  it('gives every customer exactly one segment and scores within 1..bins', () => {
    fc.assert(
      fc.property(paymentsArbitrary, scoringArbitrary, binsArbitrary, (payments, scoring, bins) => {
        const result = rfm(payments, { scoring, bins });
        const ids = new Set(payments.map((payment) => payment.customerId));
        expect(result.customers).toHaveLength(ids.size);
        expect(new Set(result.customers.map((row) => row.customerId))).toEqual(ids);
        const names = new Set(defaultSegments.map((rule) => rule.name));
        for (const row of result.customers) {
          // The default scheme partitions the grid: nobody falls to 'Other'.
          expect(names.has(row.segment)).toBe(true);
          for (const score of [row.r, row.f, row.m]) {
            expect(Number.isInteger(score) && score >= 1 && score <= bins).toBe(true);
          }
          expect(row.cell).toBe(`${row.r}${row.f}${row.m}`);
          expect(row.score).toBe(row.r + row.f + row.m);
        }
        expect(result.segments.reduce((sum, segment) => sum + segment.customers, 0)).toBe(ids.size);
        const shares = result.segments.reduce((sum, segment) => sum + segment.customerShare, 0);
        expect(shares).toBeCloseTo(1, 9);
      }),
      { numRuns: 150 },
    );
  });

  it('is monotone: strictly more spend never lowers the M score (and equal spend shares it by value)', () => {
    fc.assert(
      fc.property(paymentsArbitrary, scoringArbitrary, binsArbitrary, (payments, scoring, bins) => {
        const { customers } = rfm(payments, { scoring, bins });
        for (const a of customers) {
          for (const b of customers) {
            if (a.monetary > b.monetary) expect(a.m).toBeGreaterThanOrEqual(b.m);
            if (a.frequency > b.frequency) expect(a.f).toBeGreaterThanOrEqual(b.f);
            if (a.recencyDays < b.recencyDays) expect(a.r).toBeGreaterThanOrEqual(b.r);
            if (scoring !== 'rank') {
              if (a.monetary === b.monetary) expect(a.m).toBe(b.m);
              if (a.recencyDays === b.recencyDays) expect(a.r).toBe(b.r);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('reports as collapsed exactly the scores nobody received', () => {
    fc.assert(
      fc.property(paymentsArbitrary, scoringArbitrary, binsArbitrary, (payments, scoring, bins) => {
        const result = rfm(payments, { scoring, bins });
        for (const [measure, letter] of [
          ['recency', 'r'],
          ['frequency', 'f'],
          ['monetary', 'm'],
        ] as const) {
          const used = new Set(result.customers.map((row) => row[letter]));
          const empty = Array.from({ length: bins }, (_, index) => index + 1).filter(
            (score) => !used.has(score),
          );
          expect(result.collapsedBins[measure]).toEqual(empty);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('reproduces its own scores when its breakpoints are passed back as fixed breakpoints', () => {
    fc.assert(
      fc.property(
        paymentsArbitrary,
        fc.constantFrom<RfmScoring>('quantile', 'rfmPackage'),
        binsArbitrary,
        (payments, scoring, bins) => {
          const first = rfm(payments, { scoring, bins });
          const again = rfm(payments, { asOf: first.asOf, breakpoints: first.breakpoints });
          expect(again.customers).toEqual(first.customers);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('gives rank scoring groups whose sizes differ by at most one', () => {
    fc.assert(
      fc.property(paymentsArbitrary, binsArbitrary, (payments, bins) => {
        const { customers } = rfm(payments, { scoring: 'rank', bins });
        const sizes = Array.from(
          { length: bins },
          (_, index) => customers.filter((row) => row.m === index + 1).length,
        );
        const nonEmpty = Math.min(bins, customers.length);
        expect(Math.max(...sizes) - Math.min(...sizes.slice(0, nonEmpty))).toBeLessThanOrEqual(1);
        // NTILE fills the first groups first: only the last groups can be empty.
        expect(sizes.slice(0, nonEmpty).every((size) => size > 0)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
