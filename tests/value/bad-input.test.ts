import { DataError, OptionError, TelcoAnalyticsError } from 'telco-analytics/data';
import {
  type BgNbdModel,
  conditionalExpectedPurchases,
  customerLifetimeValue,
  expectedAverageValue,
  expectedPurchases,
  fitBgNbd,
  fitGammaGamma,
  type GammaGammaModel,
  probabilityAlive,
} from 'telco-analytics/value';
import { describe, expect, it } from 'vitest';

function caught(run: () => unknown): DataError {
  try {
    run();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError');
}

const good = { frequency: 2, recency: 30.43, T: 38.86 };
const convergence = { converged: true, iterations: 0, gradientNorm: 0, evaluations: 0, message: '' };
const model: BgNbdModel = {
  kind: 'bgNbd',
  version: 1,
  unit: 'week',
  parameters: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  standardErrors: null,
  logLikelihood: 0,
  customers: 0,
  distinctTriplets: 0,
  penalizer: 0,
  convergence,
};
const value: GammaGammaModel = {
  kind: 'gammaGamma',
  version: 1,
  parameters: { p: 6.25, q: 3.74, v: 15.44 },
  standardErrors: null,
  logLikelihood: 0,
  customers: 0,
  penalizer: 0,
  convergence,
};

describe('bad summaries name the row and the column', () => {
  it.each([
    ['a negative recency', { frequency: 1, recency: -1, T: 10 }, 'recency', /negative/],
    ['a recency beyond T', { frequency: 1, recency: 12, T: 10 }, 'recency', /greater than T/],
    ['a non-integer frequency', { frequency: 1.5, recency: 2, T: 10 }, 'frequency', /non-negative integer/],
    ['a negative frequency', { frequency: -1, recency: 0, T: 10 }, 'frequency', /non-negative integer/],
    ['a negative T', { frequency: 0, recency: 0, T: -3 }, 'T', /negative/],
    ['a recency without repeat purchases', { frequency: 0, recency: 2, T: 10 }, 'recency', /frequency 0/],
    ['text that is not a number', { frequency: 'two', recency: 2, T: 10 }, 'frequency', /expected a number/],
    ['a missing T', { frequency: 1, recency: 2 }, 'T', /expected a number/],
  ])('%s', (_, row, column, reason) => {
    const error = caught(() => fitBgNbd([good, good, row] as never));
    expect(error.code).toBe('INVALID_DATA');
    expect(error.issues[0]).toMatchObject({ row: 3, column });
    expect(error.issues[0]!.reason).toMatch(reason);
    expect(error.message).toContain(`row 3, column '${column}'`);
  });

  it("names the caller's own column names", () => {
    const error = caught(() =>
      fitBgNbd({ x: [1, 2], t_x: [3, 40], T: [10, 38] }, { columns: { frequency: 'x', recency: 't_x' } }),
    );
    expect(error.issues[0]).toMatchObject({ row: 2, column: 't_x' });
  });

  it('rejects an empty summary and bad options', () => {
    expect(() => fitBgNbd([])).toThrow(TelcoAnalyticsError);
    expect(() => fitBgNbd([])).toThrow(/no customers/);
    expect(() => fitBgNbd([good], { penalizer: -1 })).toThrow(OptionError);
    expect(() => fitBgNbd([good], { tolerance: 0 })).toThrow(/option 'tolerance'/);
    expect(() => fitBgNbd([good], { unit: 'month' as never })).toThrow(/option 'unit'/);
  });

  it('Gamma-Gamma needs a positive monetary value for repeat buyers', () => {
    const error = caught(() => fitGammaGamma([{ ...good, monetary: 0 }]));
    expect(error.issues[0]).toMatchObject({ row: 1, column: 'monetary' });
    expect(caught(() => fitGammaGamma([{ ...good }])).issues[0]).toMatchObject({ column: 'monetary' });
    // Only frequency and monetary are read; a customer without repeat purchases needs no monetary.
    const fitted = fitGammaGamma(
      [
        { frequency: 2, monetary: 10 },
        { frequency: 1, monetary: 5 },
        { frequency: 3, monetary: 7 },
        { frequency: 0 },
      ] as never,
      { penalizer: 0.1 },
    );
    expect(fitted.customers).toBe(3);
    expect(() => fitGammaGamma([{ frequency: 0, recency: 0, T: 3, monetary: 0 }])).toThrow(
      /no customer has a repeat purchase/,
    );
  });

  it('predictions reject impossible histories, horizons and models', () => {
    expect(caught(() => probabilityAlive(model, { frequency: 1, recency: 5, T: 4 })).issues[0]).toMatchObject(
      { column: 'recency' },
    );
    expect(
      caught(() => conditionalExpectedPurchases(model, 1, { frequency: 0.5, recency: 0, T: 4 })).issues[0],
    ).toMatchObject({
      column: 'frequency',
    });
    expect(() => expectedPurchases(model, -1)).toThrow(/option 't'/);
    expect(() => expectedPurchases({ ...model, parameters: { ...model.parameters, r: -1 } }, 1)).toThrow(
      /INVALID_MODEL|parameter r/,
    );
    expect(() => expectedAverageValue(value, { frequency: 1, monetary: -5 })).toThrow(/column 'monetary'/);
    expect(() =>
      expectedAverageValue({ ...value, parameters: { p: 1, q: 0.5, v: 1 } }, { frequency: 0, monetary: 0 }),
    ).toThrow(/q > 1/);
    expect(() =>
      customerLifetimeValue([{ ...good, monetary: 10 }], { transactions: model, value, horizon: 0 }),
    ).toThrow(/option 'horizon'/);
    expect(() =>
      customerLifetimeValue([{ ...good, monetary: 10 }], {
        transactions: model,
        value,
        period: 'decade' as never,
      }),
    ).toThrow(/option 'period'/);
  });
});
