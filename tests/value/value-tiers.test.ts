import fc from 'fast-check';
import { DataError, TelcoAnalyticsError } from 'telco-analytics/data';
import { defaultValueTiers, retentionPriority, valueTiers } from 'telco-analytics/value';
import { describe, expect, it } from 'vitest';

describe('valueTiers', () => {
  it('splits ranked customers by the tier shares (hand-worked)', () => {
    const rows = Object.freeze(
      [
        { customerId: 'a', clv: 10 },
        { customerId: 'b', clv: 90 },
        { customerId: 'c', clv: 0 },
        { customerId: 'd', clv: 40 },
      ].map((row) => Object.freeze(row)),
    );
    const result = valueTiers(rows, {
      tiers: [
        { name: 'gold', share: 0.25 },
        { name: 'rest', share: 0.75 },
      ],
    });
    expect(result.customers.map((row) => [row.customerId, row.rank, row.tier])).toEqual([
      ['b', 1, 'gold'],
      ['d', 2, 'rest'],
      ['a', 3, 'rest'],
      ['c', 4, 'rest'],
    ]);
    expect(result.tiers).toEqual([
      {
        tier: 'gold',
        customers: 1,
        customerShare: 0.25,
        value: 90,
        valueShare: 90 / 140,
        minimumValue: 90,
        maximumValue: 90,
      },
      {
        tier: 'rest',
        customers: 3,
        customerShare: 0.75,
        value: 50,
        valueShare: 50 / 140,
        minimumValue: 0,
        maximumValue: 40,
      },
    ]);
  });

  it('keeps tied customers in one tier and ranks by any field', () => {
    const result = valueTiers(
      [
        { id: 'a', score: 5 },
        { id: 'b', score: 5 },
        { id: 'c', score: 1 },
        { id: 'd', score: 0 },
      ],
      {
        by: 'score',
        idColumn: 'id',
        tiers: [
          { name: 'top', share: 0.25 },
          { name: 'rest', share: 0.75 },
        ],
      },
    );
    expect(result.tiers[0]!.customers).toBe(2);
  });

  it('accounts for every customer and all the value (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (values) => {
          const rows = values.map((clv, i) => ({ customerId: `c${i}`, clv }));
          const result = valueTiers(rows);
          expect(result.tiers.map((tier) => tier.tier)).toEqual(defaultValueTiers.map((tier) => tier.name));
          expect(result.tiers.reduce((sum, tier) => sum + tier.customers, 0)).toBe(values.length);
          const total = values.reduce((sum, value) => sum + value, 0);
          if (total > 0)
            expect(result.tiers.reduce((sum, tier) => sum + tier.valueShare, 0)).toBeCloseTo(1, 9);
          // A higher tier never holds a lower value than a lower tier.
          for (let i = 1; i < result.tiers.length; i++) {
            const upper = result.tiers[i - 1]!;
            const lower = result.tiers[i]!;
            if (upper.minimumValue !== null && lower.maximumValue !== null)
              expect(upper.minimumValue).toBeGreaterThanOrEqual(lower.maximumValue);
          }
        },
      ),
      { numRuns: 100, seed: 5 },
    );
  });

  it('rejects bad rows and tiers', () => {
    expect(() => valueTiers([{ customerId: 'a', clv: Number.NaN }])).toThrow(/row 1, column 'clv'/);
    expect(() => valueTiers([{ clv: 3 }])).toThrow(/column 'customerId'/);
    expect(() => valueTiers([])).toThrow(TelcoAnalyticsError);
    expect(() => valueTiers([{ customerId: 'a', clv: 1 }], { tiers: [{ name: 'x', share: 0.5 }] })).toThrow(
      /add up to 1/,
    );
  });
});

describe('retentionPriority', () => {
  it('ranks by expected value at risk (hand-worked)', () => {
    const result = retentionPriority(
      Object.freeze([
        { customerId: 'a', clv: 1000 },
        { customerId: 'b', clv: 50 },
        { customerId: 'c', clv: 400 },
      ]),
      [
        { subscriberId: 'a', probability: 0.2 },
        { subscriberId: 'b', probability: 0.9 },
        { subscriberId: 'c', probability: 0.6 },
      ],
    );
    // value at risk: a 200, b 45, c 240 -> c, a, b; total 485.
    expect(result.map((row) => [row.rank, row.customerId, row.valueAtRisk])).toEqual([
      [1, 'c', 240],
      [2, 'a', 200],
      [3, 'b', 45],
    ]);
    expect(result[1]!.cumulativeValueAtRisk).toBe(440);
    expect(result[2]!.cumulativeShare).toBeCloseTo(1, 12);
    const top = retentionPriority([{ customerId: 'a', clv: 1 }], new Map([['a', 0.5]]), { top: 1 });
    expect(top).toHaveLength(1);
  });

  it('names the row of a customer without a probability or with a bad one', () => {
    const clv = [
      { customerId: 'a', clv: 10 },
      { customerId: 'b', clv: 20 },
    ];
    let error: unknown;
    try {
      retentionPriority(clv, new Map([['a', 0.1]]));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).issues[0]).toMatchObject({ row: 2, column: 'churnProbability' });
    expect(retentionPriority(clv, new Map([['a', 0.1]]), { missing: 'skip' })).toHaveLength(1);
    expect(() =>
      retentionPriority(
        clv,
        new Map([
          ['a', 1.5],
          ['b', 0],
        ]),
      ),
    ).toThrow(/row 1, column 'churnProbability'/);
    expect(() => retentionPriority([{ customerId: 'a', clv: -1 }], new Map([['a', 0.1]]))).toThrow(
      /column 'clv'/,
    );
    expect(() => retentionPriority(clv, new Map(), { top: 0 })).toThrow(/option 'top'/);
  });
});
