import { createRng, generateOperator, OptionError } from 'telco-analytics/data';
import {
  adjustedRandIndex,
  applyScaler,
  evaluateK,
  fitScaler,
  heavyTailedUsageFeatures,
  kmeans,
  profileSegments,
  suggestK,
  usageFeatureNames,
  usageFeatures,
} from 'telco-analytics/segmentation';
import { describe, expect, it } from 'vitest';

// One operator for the whole file: 2,000 subscribers over 3 months, about 575,000 CDRs.
const operator = generateOperator({ subscribers: 2000, months: 3, seed: 7 });
// Fraud lines keep a latent segment but their usage is the fraud pattern's: they are left out.
const ordinary = operator.truth.filter((row) => row.fraud === null);
const features = usageFeatures(operator.calls, { subscriberIds: ordinary.map((row) => row.subscriberId) });
const scaler = fitScaler(features.matrix, 'standard', {
  log1p: heavyTailedUsageFeatures,
  featureNames: features.featureNames,
});
const scaled = applyScaler(scaler, features.matrix);

describe('segments recovered from the synthetic operator', () => {
  it('builds one row of usage features per subscriber, per active day', () => {
    expect(features.matrix.rows).toBe(ordinary.length);
    expect(features.matrix.cols).toBe(usageFeatureNames.length);
    expect(features.subscriberIds).toEqual(ordinary.map((row) => row.subscriberId));
    const shares = ['nationalShare', 'internationalShare', 'roamingShare', 'nightShare'].map((name) =>
      usageFeatureNames.indexOf(name as (typeof usageFeatureNames)[number]),
    );
    for (let r = 0; r < features.matrix.rows; r++) {
      for (const column of shares) {
        const value = features.matrix.data[r * features.matrix.cols + column]!;
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
  });

  it('matches the planted latent segments with an adjusted Rand index of at least 0.8', () => {
    const result = kmeans(scaled, { k: 5, seed: 42 });
    const ari = adjustedRandIndex(
      ordinary.map((row) => row.segment),
      result.labels,
    );
    // Measured 0.98 (operator seed 7, kmeans seed 42); 0.8 is the bar set by the issue.
    expect(ari).toBeGreaterThanOrEqual(0.8);
  });

  it('is deterministic: same seed, same result', () => {
    const a = kmeans(scaled, { k: 5, seed: 9 });
    const b = kmeans(scaled, { k: 5, seed: 9 });
    expect(b.labels).toEqual(a.labels);
    expect(b.centroids).toEqual(a.centroids);
    expect(JSON.stringify(b.model)).toBe(JSON.stringify(a.model));
  });

  it('evaluateK and suggestK find k = 5 by both the knee and the silhouette', () => {
    const table = evaluateK(scaled, { kMin: 2, kMax: 8, seed: 42, nInit: 4 });
    expect(table.map((row) => row.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    for (let i = 1; i < table.length; i++) expect(table[i]!.inertia).toBeLessThan(table[i - 1]!.inertia);
    const suggestion = suggestK(table);
    expect(suggestion.knee).toBe(5);
    expect(suggestion.bestSilhouette).toBe(5);
    expect(suggestion.suggested).toBe(5);
    expect(suggestion.explanation).toContain('knee of the inertia curve at k = 5');
  });

  it('profiles describe the planted segments in words', () => {
    const result = kmeans(scaled, { k: 5, seed: 42 });
    const profiles = profileSegments(features.matrix, result.labels, { features: features.featureNames });
    expect(profiles.reduce((sum, profile) => sum + profile.size, 0)).toBe(ordinary.length);
    expect(profiles.reduce((sum, profile) => sum + profile.share, 0)).toBeCloseTo(1, 12);
    const descriptions = profiles.map((profile) => profile.description).join(' | ');
    expect(descriptions).toContain('high international share');
    expect(descriptions).toContain('high roaming share');
    expect(descriptions).toMatch(/high data (mb|sessions) per day/);
    expect(descriptions).toContain('high sms per day');
  });
});

describe('suggestK is honest about a missing knee', () => {
  it('reports no knee on uniform noise', () => {
    const rng = createRng(1);
    const rows = Array.from({ length: 600 }, () => Array.from({ length: 8 }, () => rng.uniform()));
    const suggestion = suggestK(evaluateK(rows, { kMax: 8, seed: 1, nInit: 2 }));
    expect(suggestion.knee).toBeNull();
    expect(suggestion.explanation).toMatch(/^no knee: the inertia curve bends smoothly/);
    expect(suggestion.suggested).toBe(suggestion.bestSilhouette);
  });

  it('says that two values of k cannot show a bend, and rejects bad options', () => {
    const rows = [[0], [1], [5], [6], [20], [21]];
    expect(suggestK(evaluateK(rows, { kMin: 2, kMax: 3 })).explanation).toMatch(/too few/);
    expect(() => suggestK([])).toThrow(OptionError);
    expect(() => evaluateK(rows, { kMin: 5, kMax: 3 })).toThrow(OptionError);
    expect(() => evaluateK(rows, { kMin: 1 })).toThrow(OptionError);
  });
});

describe('profileSegments', () => {
  it('computes size, share, mean, median and z-score (hand-worked)', () => {
    // Feature 'calls' 1, 3, 10, 30: population mean 11, sd sqrt((100 + 64 + 1 + 361) / 4) = sqrt(131.5).
    const rows = [{ calls: 1 }, { calls: 3 }, { calls: 10 }, { calls: 30 }];
    const [low, high] = profileSegments(rows, [0, 0, 1, 1], { features: ['calls'] });
    expect(low).toMatchObject({ segment: 0, size: 2, share: 0.5 });
    expect(low!.features[0]).toMatchObject({ feature: 'calls', mean: 2, median: 2 });
    expect(low!.features[0]!.zScore).toBeCloseTo((2 - 11) / Math.sqrt(131.5), 12);
    expect(high!.description).toBe('high calls');
    expect(low!.description).toBe('low calls');
  });

  it('handles constant features and names bad input', () => {
    const profiles = profileSegments(
      [
        [1, 5],
        [2, 5],
      ],
      [0, 1],
      { features: ['a', 'flat'] },
    );
    expect(profiles[0]!.features[1]!.zScore).toBe(0);
    expect(() => profileSegments([{ a: 1 }, { a: Number.NaN }], [0, 1], { features: ['a'] })).toThrow(
      "row 2, column 'a'",
    );
    expect(() => profileSegments([{ a: 1 }], [0])).toThrow(OptionError);
    expect(() => profileSegments([[1], [2]], [0])).toThrow(/one label per row/);
  });
});
