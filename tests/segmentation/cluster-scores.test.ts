import fc from 'fast-check';
import { createRng, OptionError } from 'telco-analytics/data';
import {
  adjustedRandIndex,
  applyScaler,
  calinskiHarabaszScore,
  daviesBouldinScore,
  fitScaler,
  kmeans,
  silhouetteScore,
} from 'telco-analytics/segmentation';
import { describe, expect, it } from 'vitest';
import { sharedDataFile } from '../support/shared-data.js';
import { runSklearn, sklearnAvailable } from './sklearn-reference.js';
import { telcoNumericColumns } from './telco-table.js';

describe('cluster-validity scores: hand-worked cases', () => {
  const data = Object.freeze([[0], [2], [10], [12]].map((row) => Object.freeze(row)));
  const labels = Object.freeze([0, 0, 1, 1]);

  it('silhouette', () => {
    // Row 0: a = 2 (to 2), b = (10 + 12) / 2 = 11, s = 9/11. Row 1: a = 2, b = (8 + 10) / 2 = 9, s = 7/9.
    // Rows 2 and 3 mirror rows 1 and 0. Mean = (9/11 + 7/9) / 2.
    expect(silhouetteScore(data, labels)).toBeCloseTo((9 / 11 + 7 / 9) / 2, 14);
    // Row 0: a = 1, b = 10.5; row 1: a = 1, b = 9.5; mirrored for rows 2 and 3.
    expect(silhouetteScore([[0], [1], [10], [11]], [0, 0, 1, 1])).toBeCloseTo(
      (9.5 / 10.5 + 8.5 / 9.5) / 2,
      14,
    );
    // A row alone in its segment scores 0: rows 0 and 1 as above with b from {10} only.
    expect(silhouetteScore([[0], [2], [10]], [0, 0, 1])).toBeCloseTo((1 - 2 / 10 + 1 - 2 / 8) / 3, 14);
  });

  it('Calinski–Harabasz', () => {
    // Centroids 1 and 11, overall mean 6: between = 2 x 25 + 2 x 25 = 100 over k - 1 = 1;
    // within = 4 x 1 = 4 over n - k = 2. CH = 100 / 2 = 50.
    expect(calinskiHarabaszScore(data, labels)).toBeCloseTo(50, 12);
    expect(calinskiHarabaszScore([[1], [1], [3], [3]], [0, 0, 1, 1])).toBe(1);
  });

  it('Davies–Bouldin', () => {
    // Spreads 1 and 1, centroid distance 10: DB = (1 + 1) / 10 = 0.2 for both segments.
    expect(daviesBouldinScore(data, labels)).toBeCloseTo(0.2, 14);
    expect(daviesBouldinScore([[1], [1], [3], [3]], [0, 0, 1, 1])).toBe(0);
  });

  it('adjusted Rand index', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [5, 5, 3, 3])).toBe(1);
    expect(adjustedRandIndex(['a', 'a', 'b', 'b'], [1, 1, 0, 0])).toBe(1);
    // Pairs: n_ij all 1 -> index 0; row pairs 2, column pairs 2, total 6: expected 4/6, max 2.
    // ARI = (0 - 2/3) / (2 - 2/3) = -0.5.
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 14);
    expect(adjustedRandIndex([0, 0, 0], [0, 0, 0])).toBe(1);
    expect(adjustedRandIndex([], [])).toBe(1);
  });

  it('adjusted Rand index is symmetric and label-permutation invariant (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 })), {
          minLength: 2,
          maxLength: 80,
        }),
        (pairs) => {
          const a = pairs.map(([x]) => x);
          const b = pairs.map(([, y]) => y);
          const ari = adjustedRandIndex(a, b);
          expect(adjustedRandIndex(b, a)).toBeCloseTo(ari, 12);
          expect(
            adjustedRandIndex(
              a.map((x) => 7 - x),
              b,
            ),
          ).toBeCloseTo(ari, 12);
          expect(ari).toBeLessThanOrEqual(1 + 1e-12);
        },
      ),
    );
  });

  it('rejects bad labels', () => {
    expect(() => silhouetteScore(data, [0, 0, 0, 0])).toThrow(OptionError);
    expect(() => silhouetteScore(data, [0, 1, 2, 3])).toThrow(/between 2 and rows - 1/);
    expect(() => calinskiHarabaszScore(data, [0, 1])).toThrow(/one label per row/);
    expect(() => daviesBouldinScore(data, [0, 1, -1, 1])).toThrow(/row 3/);
    expect(() => adjustedRandIndex([0, 1], [0])).toThrow(OptionError);
    expect(() => adjustedRandIndex([0, 1.5], [0, 1])).toThrow(/row 2/);
  });

  it('samples large inputs for the silhouette, reproducibly', () => {
    const rng = createRng(3);
    const rows = Array.from({ length: 3000 }, (_, i) => [rng.normal(i % 2 === 0 ? 0 : 4, 1)]);
    const labels = rows.map(([x]) => (x! > 2 ? 1 : 0));
    const exact = silhouetteScore(rows, labels);
    const sampled = silhouetteScore(rows, labels, { sampleSize: 1000, seed: 1 });
    expect(silhouetteScore(rows, labels, { sampleSize: 1000, seed: 1 })).toBe(sampled);
    expect(Math.abs(sampled - exact)).toBeLessThan(0.03);
  });
});

const telcoPath = sharedDataFile('WA_Fn-UseC_-Telco-Customer-Churn.csv');
const withSklearn = telcoPath !== undefined && sklearnAvailable();

describe.skipIf(!withSklearn)('scores against scikit-learn', () => {
  it('silhouette, Calinski–Harabasz, Davies–Bouldin on the Telco table and ARI on random labellings', () => {
    const { rows } = telcoNumericColumns(telcoPath!);
    const scaled = applyScaler(fitScaler(rows, 'standard'), rows);
    const data = Array.from({ length: scaled.rows }, (_, i) =>
      Array.from(scaled.data.subarray(i * 3, i * 3 + 3)),
    );
    const fits = [3, 5].map((k) => Array.from(kmeans(data, { k, seed: 7, nInit: 2 }).labels));
    const rng = createRng(5);
    const pairs = [
      [Array.from({ length: 200 }, () => rng.integer(4)), Array.from({ length: 200 }, () => rng.integer(6))],
      [fits[0]!, fits[1]!],
    ] as const;
    const { results } = runSklearn<Record<string, number>>([
      ...fits.map((labels) => ({ op: 'scores', data, labels })),
      ...pairs.map(([truth, predicted]) => ({ op: 'ari', truth, predicted })),
    ]);
    fits.forEach((labels, index) => {
      const reference = results[index]!;
      expect(silhouetteScore(data, labels)).toBeCloseTo(reference.silhouette!, 10);
      expect(calinskiHarabaszScore(data, labels) / reference.calinskiHarabasz!).toBeCloseTo(1, 10);
      expect(daviesBouldinScore(data, labels)).toBeCloseTo(reference.daviesBouldin!, 10);
    });
    pairs.forEach(([truth, predicted], index) => {
      expect(adjustedRandIndex(truth, predicted)).toBeCloseTo(results[fits.length + index]!.ari!, 12);
    });
  });
});
