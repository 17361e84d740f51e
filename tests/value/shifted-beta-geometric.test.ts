import { DataError, TelcoAnalyticsError } from 'telco-analytics/data';
import {
  discountedExpectedResidualLifetime,
  fitShiftedBetaGeometric,
  retentionCurve,
} from 'telco-analytics/value';
import { describe, expect, it } from 'vitest';

// Fader & Hardie (2007), "How to project customer retention", J. Interactive Marketing 21(1),
// table 1 and section 4: customers still active at the start of years 0..12; the model is fitted
// on years 0..7 and gives gamma = 0.704, delta = 1.182 (regular) and 0.668, 3.806 (high end).
const regular = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173];
const highEnd = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394];

describe('fitShiftedBetaGeometric', () => {
  it('reproduces the published fits of both cohorts', () => {
    const model = fitShiftedBetaGeometric(Object.freeze([Object.freeze(regular.slice(0, 8))]));
    expect(model.convergence.converged).toBe(true);
    expect(model.parameters.gamma.toFixed(3)).toBe('0.704');
    expect(model.parameters.delta.toFixed(3)).toBe('1.182');
    expect(model.customers).toBe(1000);
    expect(model.standardErrors).not.toBeNull();
    const high = fitShiftedBetaGeometric([{ name: 'high end', survivors: highEnd.slice(0, 8) }]);
    expect(high.parameters.gamma.toFixed(3)).toBe('0.668');
    expect(high.parameters.delta.toFixed(3)).toBe('3.806');
  });

  it('projects the held-out years close to what happened', () => {
    const model = fitShiftedBetaGeometric([regular.slice(0, 8)]);
    const curve = retentionCurve(model, 12);
    expect(curve).toHaveLength(13);
    expect(curve[0]).toEqual({ period: 0, survival: 1, retentionRate: 1, churnProbability: 0 });
    // FH 2007 figure 4: the sBG projection stays within a few customers per thousand of the
    // actual years 8..12 (the point of the paper, against the naive curves).
    for (let year = 8; year <= 12; year++) {
      expect(Math.abs(curve[year]!.survival * 1000 - regular[year]!)).toBeLessThan(10);
    }
    // Retention rates rise with tenure (heterogeneity sorts the loyal ones out).
    for (let year = 2; year <= 12; year++)
      expect(curve[year]!.retentionRate).toBeGreaterThan(curve[year - 1]!.retentionRate);
  });

  it('pools several cohorts of different lengths', () => {
    const one = fitShiftedBetaGeometric([regular.slice(0, 8)]);
    const pooled = fitShiftedBetaGeometric([regular.slice(0, 8), regular.slice(0, 5)]);
    expect(pooled.cohorts).toBe(2);
    expect(pooled.customers).toBe(2000);
    expect(pooled.parameters.gamma).toBeCloseTo(one.parameters.gamma, 1);
  });

  it('gives the DERL of the closed form equal to the discounted sum of survival ratios', () => {
    const model = fitShiftedBetaGeometric([regular.slice(0, 8)]);
    const { gamma, delta } = model.parameters;
    for (const [discountRate, renewals] of [
      [0.1, 0],
      [0.1, 4],
      [0.02, 1],
    ] as const) {
      // Independent computation: sum_{k>=0} S(n+k)/S(n-1) / (1+d)^k by explicit products.
      const n = renewals + 1;
      let ratio = 1;
      let sum = 0;
      for (let k = 0; k < 20_000; k++) {
        const t = n + k;
        ratio *= (delta + t - 1) / (gamma + delta + t - 1);
        sum += ratio / (1 + discountRate) ** k;
      }
      expect(discountedExpectedResidualLifetime(model, { discountRate, renewals })).toBeCloseTo(sum, 9);
    }
    // A customer who renewed more is worth more (they are more likely the loyal kind).
    expect(discountedExpectedResidualLifetime(model, { discountRate: 0.1, renewals: 4 })).toBeGreaterThan(
      discountedExpectedResidualLifetime(model, { discountRate: 0.1 }),
    );
  });

  it('rejects bad cohorts naming the cohort and the period', () => {
    expect(() => fitShiftedBetaGeometric([])).toThrow(TelcoAnalyticsError);
    const rising = (() => {
      try {
        fitShiftedBetaGeometric([regular.slice(0, 4), [100, 80, 90]]);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(rising).toBeInstanceOf(DataError);
    expect((rising as DataError).issues[0]).toMatchObject({ row: 2, column: 'survivors[2]' });
    expect(() => fitShiftedBetaGeometric([[100, -1]])).toThrow(/row 1, column 'survivors\[1\]'/);
    expect(() => fitShiftedBetaGeometric([[0, 0]])).toThrow(/survivors\[0\]/);
    expect(() => fitShiftedBetaGeometric([[100]])).toThrow(/at least two periods/);
    const model = fitShiftedBetaGeometric([regular.slice(0, 8)]);
    expect(() => discountedExpectedResidualLifetime(model, { discountRate: 0 })).toThrow(/discountRate/);
    expect(() => retentionCurve(model, 1.5)).toThrow(/periods/);
  });
});
