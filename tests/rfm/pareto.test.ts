import fc from 'fast-check';
import { DataError, type OptionError, type TelcoAnalyticsError } from 'telco-analytics/data';
import { pareto, paretoCustomers, rfm } from 'telco-analytics/rfm';
import { describe, expect, it } from 'vitest';

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('pareto: textbook cases', () => {
  it('equal values: Gini 0, the top 20% hold 20%, the Lorenz curve is the diagonal', () => {
    const result = pareto(Object.freeze([5, 5, 5, 5]), { lorenzPoints: 5 });
    expect(result.gini).toBeCloseTo(0, 12);
    expect(result.topShare).toBeCloseTo(0.2, 12);
    expect(result.lorenz.map((point) => point.population)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    result.lorenz.forEach((point) => {
      expect(point.share).toBeCloseTo(point.population, 12);
    });
    expect(result).toMatchObject({ count: 4, total: 20, top: 0.2 });
  });

  it('one customer holds everything: Gini (n - 1) / n, the top quarter holds 100%', () => {
    const result = pareto([0, 0, 0, 10], { top: 0.25 });
    expect(result.gini).toBeCloseTo(0.75, 12);
    expect(result.topShare).toBeCloseTo(1, 12);
  });

  it('1, 2, 3, 4, 5: Gini = mean absolute difference / (2 x mean) = 1.6 / 6 = 4/15', () => {
    // sum over all ordered pairs |xi - xj| = 40; 40 / 5^2 = 1.6; mean 3.
    const result = pareto(Float64Array.of(3, 1, 5, 2, 4), { lorenzPoints: 6 });
    expect(result.gini).toBeCloseTo(4 / 15, 12);
    const expected = [0, 1, 3, 6, 10, 15].map((cumulative) => cumulative / 15);
    result.lorenz.forEach((point, index) => {
      expect(point.share).toBeCloseTo(expected[index]!, 12);
    });
    // Top 20% = the largest of five values, 5 of 15.
    expect(result.topShare).toBeCloseTo(1 / 3, 12);
  });

  it('the 80/20 case: two of ten customers bring 80%', () => {
    const values = [40, 40, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5];
    expect(pareto(values).topShare).toBeCloseTo(0.8, 12);
    // Between vertices the curve is linear: the top 15% (1.5 customers) hold 40 + 0.5 x 40 = 60%.
    expect(pareto(values, { top: 0.15 }).topShare).toBeCloseTo(0.6, 12);
  });

  it('reads monetary from rows such as rfm customers', () => {
    const day = 86_400_000;
    const { customers } = rfm([
      { customerId: 'a', date: day, amount: 90 },
      { customerId: 'b', date: day, amount: 10 },
    ]);
    expect(pareto(customers, { top: 0.5 }).topShare).toBeCloseTo(0.9, 12);
  });

  it('keeps the Gini coefficient in [0, (n - 1) / n] and the curve under the diagonal (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (values) => {
          fc.pre(values.some((value) => value > 0));
          const result = pareto(values);
          const n = values.length;
          expect(result.gini).toBeGreaterThanOrEqual(-1e-9);
          expect(result.gini).toBeLessThanOrEqual((n - 1) / n + 1e-9);
          let previous = -1;
          for (const point of result.lorenz) {
            expect(point.share).toBeLessThanOrEqual(point.population + 1e-9);
            expect(point.share).toBeGreaterThanOrEqual(previous - 1e-12);
            previous = point.share;
          }
          expect(result.topShare).toBeGreaterThanOrEqual(0.2 - 1e-9);
        },
      ),
    );
  });

  it('rejects bad values and options', () => {
    const negative = caught(() => pareto([1, -2]));
    expect(negative).toBeInstanceOf(DataError);
    expect((negative as DataError).issues[0]).toMatchObject({ row: 2, column: 'value' });
    const badRow = caught(() => pareto([{ customerId: 'a', monetary: Number.NaN }]));
    expect((badRow as DataError).issues[0]).toMatchObject({ row: 1, column: 'monetary' });
    expect((caught(() => pareto([])) as TelcoAnalyticsError).code).toBe('EMPTY_INPUT');
    expect((caught(() => pareto([0, 0])) as TelcoAnalyticsError).code).toBe('EMPTY_INPUT');
    expect((caught(() => pareto([1], { top: 0 })) as OptionError).option).toBe('top');
    expect((caught(() => pareto([1], { top: 1.5 })) as OptionError).option).toBe('top');
    expect((caught(() => pareto([1], { lorenzPoints: 1 })) as OptionError).option).toBe('lorenzPoints');
  });
});

describe('paretoCustomers', () => {
  const rows = Object.freeze(
    [
      { customerId: 'c', monetary: 20 },
      { customerId: 'a', monetary: 40 },
      { customerId: 'b', monetary: 20 },
      { customerId: 'd', monetary: 10 },
      { customerId: 'e', monetary: 10 },
    ].map((row) => Object.freeze(row)),
  );

  it('lists the top share of customers, largest first, ties by id', () => {
    expect(paretoCustomers(rows, { top: 0.4 })).toEqual([
      { customerId: 'a', value: 40, rank: 1, cumulativeShare: 0.4 },
      { customerId: 'b', value: 20, rank: 2, cumulativeShare: 0.6 },
    ]);
    // 20% of 5 customers is one customer (whole customers, rounded up).
    expect(paretoCustomers(rows).map((row) => row.customerId)).toEqual(['a']);
    expect(paretoCustomers(rows, { top: 0.3 }).map((row) => row.customerId)).toEqual(['a', 'b']);
  });

  it('lists the fewest customers who hold a share of the total', () => {
    expect(paretoCustomers(rows, { share: 0.8 }).map((row) => row.customerId)).toEqual(['a', 'b', 'c']);
    // Exactly 60% is reached by two customers.
    expect(paretoCustomers(rows, { share: 0.6 }).map((row) => row.customerId)).toEqual(['a', 'b']);
    expect(paretoCustomers(rows, { share: 1 })).toHaveLength(5);
  });

  it('rejects contradictory or bad options', () => {
    expect((caught(() => paretoCustomers(rows, { top: 0.2, share: 0.8 })) as OptionError).option).toBe(
      'share',
    );
    expect((caught(() => paretoCustomers(rows, { share: 0 })) as OptionError).option).toBe('share');
    const missingId = caught(() => paretoCustomers([{ monetary: 3 } as never]));
    expect((missingId as DataError).issues[0]).toMatchObject({ row: 1, column: 'customerId' });
  });
});
