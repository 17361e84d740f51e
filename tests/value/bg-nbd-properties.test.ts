import fc from 'fast-check';
import {
  type BgNbdModel,
  conditionalExpectedPurchases,
  customerLifetimeValue,
  expectedAverageValue,
  expectedPurchases,
  fitBgNbd,
  type GammaGammaModel,
  probabilityAlive,
  simulateBgNbdCustomers,
} from 'telco-analytics/value';
import { describe, expect, it } from 'vitest';

function modelOf(r: number, alpha: number, a: number, b: number): BgNbdModel {
  return {
    kind: 'bgNbd',
    version: 1,
    unit: 'week',
    parameters: { r, alpha, a, b },
    standardErrors: null,
    logLikelihood: 0,
    customers: 0,
    distinctTriplets: 0,
    penalizer: 0,
    convergence: { converged: true, iterations: 0, gradientNorm: 0, evaluations: 0, message: '' },
  };
}

const parameters = fc.record({
  r: fc.double({ min: 0.05, max: 5, noNaN: true }),
  alpha: fc.double({ min: 0.5, max: 50, noNaN: true }),
  // a + b > 1 keeps the hypergeometric's c = a + b - 1 positive; a = 1 is covered by its limit.
  a: fc.double({ min: 0.1, max: 5, noNaN: true }),
  b: fc.double({ min: 1.0, max: 20, noNaN: true }),
});

const history = fc
  .record({
    frequency: fc.integer({ min: 0, max: 60 }),
    T: fc.double({ min: 0.5, max: 200, noNaN: true }),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ frequency, T, share }) => ({ frequency, T, recency: frequency === 0 ? 0 : share * T }));

describe('BG/NBD identities (property tests)', () => {
  it('expected purchases of a new customer start at 0 and increase with t', () => {
    fc.assert(
      fc.property(parameters, fc.double({ min: 0.01, max: 500, noNaN: true }), (p, t) => {
        const model = modelOf(p.r, p.alpha, p.a, p.b);
        expect(expectedPurchases(model, 0)).toBe(0);
        const early = expectedPurchases(model, t);
        const later = expectedPurchases(model, t * 1.5 + 0.1);
        expect(early).toBeGreaterThan(0);
        expect(later).toBeGreaterThanOrEqual(early * (1 - 1e-9));
        // Never more than a customer who never drops out would make: r t / alpha.
        expect(early).toBeLessThanOrEqual(((p.r * t) / p.alpha) * (1 + 1e-9));
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('conditional expected purchases increase with t and P(alive) is in (0, 1]', () => {
    fc.assert(
      fc.property(parameters, history, fc.double({ min: 0.01, max: 200, noNaN: true }), (p, customer, t) => {
        const model = modelOf(p.r, p.alpha, p.a, p.b);
        const early = conditionalExpectedPurchases(model, t, customer);
        const later = conditionalExpectedPurchases(model, 2 * t, customer);
        expect(early).toBeGreaterThanOrEqual(0);
        expect(later).toBeGreaterThanOrEqual(early * (1 - 1e-9));
        const alive = probabilityAlive(model, customer);
        expect(alive).toBeGreaterThan(0);
        expect(alive).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200, seed: 12 },
    );
  });

  it('P(alive) is exactly 1 for a customer without repeat purchases', () => {
    fc.assert(
      fc.property(parameters, fc.double({ min: 0, max: 1000, noNaN: true }), (p, T) => {
        expect(probabilityAlive(modelOf(p.r, p.alpha, p.a, p.b), { frequency: 0, recency: 0, T })).toBe(1);
      }),
      { numRuns: 100, seed: 13 },
    );
  });

  it('P(alive) falls with a longer silence after the last purchase', () => {
    fc.assert(
      fc.property(parameters, fc.integer({ min: 1, max: 30 }), (p, frequency) => {
        const model = modelOf(p.r, p.alpha, p.a, p.b);
        const recent = probabilityAlive(model, { frequency, recency: 30, T: 31 });
        const silent = probabilityAlive(model, { frequency, recency: 5, T: 31 });
        expect(silent).toBeLessThanOrEqual(recent);
      }),
      { numRuns: 100, seed: 14 },
    );
  });
});

describe('customerLifetimeValue identities (property tests)', () => {
  const value: GammaGammaModel = {
    kind: 'gammaGamma',
    version: 1,
    parameters: { p: 6.25, q: 3.74, v: 15.44 },
    standardErrors: null,
    logLikelihood: 0,
    customers: 0,
    penalizer: 0,
    convergence: { converged: true, iterations: 0, gradientNorm: 0, evaluations: 0, message: '' },
  };

  it('undiscounted CLV = E[M] x E[Y(horizon)]; discounting and a shorter horizon only lower it', () => {
    fc.assert(
      fc.property(
        parameters,
        history,
        fc.integer({ min: 1, max: 24 }),
        fc.double({ min: 1, max: 100, noNaN: true }),
        (p, customer, horizon, monetary) => {
          const transactions = modelOf(p.r, p.alpha, p.a, p.b);
          const row = { ...customer, monetary };
          const [flat] = customerLifetimeValue([row], { transactions, value, horizon, discountRate: 0 });
          // A month is 365.25 / 12 / 7 weeks in a weekly model.
          const weeks = (horizon * 365.25) / 12 / 7;
          const expected =
            expectedAverageValue(value, row) * conditionalExpectedPurchases(transactions, weeks, customer);
          expect(flat!.clv).toBeCloseTo(expected, 8);
          expect(flat!.expectedPurchases).toBeCloseTo(
            conditionalExpectedPurchases(transactions, weeks, customer),
            10,
          );
          const [discounted] = customerLifetimeValue([row], {
            transactions,
            value,
            horizon,
            discountRate: 0.02,
          });
          expect(discounted!.clv).toBeLessThanOrEqual(flat!.clv);
          if (horizon > 1) {
            const [shorter] = customerLifetimeValue([row], {
              transactions,
              value,
              horizon: horizon - 1,
              discountRate: 0.02,
            });
            expect(shorter!.clv).toBeLessThanOrEqual(discounted!.clv);
          }
        },
      ),
      { numRuns: 60, seed: 15 },
    );
  });
});

describe('fitBgNbd recovers the parameters data were simulated from', () => {
  const truth = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

  it.each([1, 2])('seed %i: within 4 standard errors', (seed) => {
    const table = simulateBgNbdCustomers(truth, { customers: 30_000, minimumAge: 27, maximumAge: 39, seed });
    const model = fitBgNbd(table);
    expect(model.convergence.converged).toBe(true);
    const errors = model.standardErrors!;
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(model.parameters[name] - truth[name])).toBeLessThan(4 * errors[name]);
    }
  });

  it('compresses the customers to distinct triplets and gives the same fit as one row per customer', () => {
    // Hourly resolution: many customers share a triplet.
    const table = simulateBgNbdCustomers(truth, {
      customers: 5000,
      minimumAge: 10,
      maximumAge: 20,
      timeStep: 1,
      seed: 3,
    });
    const model = fitBgNbd(table);
    expect(model.distinctTriplets).toBeLessThan(5000 / 2);
    // Weights are the customers sharing a triplet: the log-likelihood counts every customer.
    const rows = Array.from(table.frequency, (frequency, i) => ({
      frequency,
      recency: table.recency[i]!,
      T: table.T[i]!,
    }));
    const again = fitBgNbd(rows);
    expect(again.logLikelihood).toBeCloseTo(model.logLikelihood, 6);
    expect(again.parameters.r).toBeCloseTo(model.parameters.r, 8);
  });

  it('is deterministic and returns plain JSON', () => {
    const table = simulateBgNbdCustomers(truth, { customers: 2000, seed: 9 });
    const model = fitBgNbd(table, { penalizer: 0.001 });
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
    expect(
      fitBgNbd(simulateBgNbdCustomers(truth, { customers: 2000, seed: 9 }), { penalizer: 0.001 }),
    ).toEqual(model);
    expect(model.penalizer).toBe(0.001);
  });
});
