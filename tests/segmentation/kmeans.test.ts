import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { createRng, DataError, OptionError, TelcoAnalyticsError } from 'telco-analytics/data';
import { applyScaler, fitScaler, kmeans, predictSegment } from 'telco-analytics/segmentation';
import { describe, expect, it } from 'vitest';
import { sharedDataFile } from '../support/shared-data.js';
import { runSklearn, sklearnAvailable } from './sklearn-reference.js';
import { telcoNumericColumns } from './telco-table.js';

const freezeRows = (rows: number[][]): readonly (readonly number[])[] =>
  Object.freeze(rows.map((row) => Object.freeze([...row])));

describe('kmeans: hand-worked cases', () => {
  it('converges from given centroids exactly as worked by hand', () => {
    // init 0 and 1. Iteration 1: {0} and {1, 10, 11} -> centroids 0 and 22/3. Iteration 2: {0, 1} and
    // {10, 11} -> 0.5 and 10.5. Iteration 3: no label changes (strict convergence). Inertia 4 x 0.25 = 1.
    const result = kmeans(freezeRows([[0], [1], [10], [11]]), { k: 2, init: [[0], [1]] });
    expect(Array.from(result.labels)).toEqual([0, 0, 1, 1]);
    expect(result.centroids).toEqual([[0.5], [10.5]]);
    expect(result.inertia).toBe(1);
    expect(result.iterations).toBe(3);
    expect(result.converged).toBe(true);
  });

  it('re-seeds an empty cluster with the row farthest from its centroid', () => {
    // init 1 and 100: every row is nearest 1, cluster 1 is empty. The farthest row from its centroid is
    // 10 (distance² 81), so cluster 1 restarts at 10 and cluster 0 at (0 + 1 + 2) / 3 = 1. Iteration 2
    // moves 10 to cluster 1; the centroids stay at 1 and 10 (shift 0 <= tol): stop. Inertia 1 + 0 + 1 + 0 = 2.
    const result = kmeans([[0], [1], [2], [10]], { k: 2, init: [[1], [100]] });
    expect(Array.from(result.labels)).toEqual([0, 0, 0, 1]);
    expect(result.centroids).toEqual([[1], [10]]);
    expect(result.inertia).toBe(2);
    expect(result.iterations).toBe(2);
  });

  it('weights rows: a row of weight 2 counts as two copies', () => {
    const weighted = kmeans([[0], [1], [10]], { k: 2, init: [[0], [10]], sampleWeight: [1, 2, 1] });
    const copied = kmeans([[0], [1], [1], [10]], { k: 2, init: [[0], [10]] });
    expect(weighted.centroids).toEqual(copied.centroids); // [[2/3], [10]]
    expect(weighted.inertia).toBeCloseTo(copied.inertia, 12);
  });

  it('k = rows puts every row in its own segment with zero inertia', () => {
    const result = kmeans(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      { k: 3, seed: 3 },
    );
    expect(new Set(result.labels).size).toBe(3);
    expect(result.inertia).toBe(0);
  });

  it('survives fewer distinct rows than k (duplicate centroids, empty clusters)', () => {
    const result = kmeans([[1], [1], [1], [2]], { k: 3, seed: 1 });
    expect(result.inertia).toBe(0);
    expect(Array.from(result.labels).every((label) => label >= 0 && label < 3)).toBe(true);
    expect(result.labels[3]).not.toBe(result.labels[0]);
  });

  it('keeps the best of nInit runs and records each', () => {
    const rng = createRng(11);
    const rows = Array.from({ length: 300 }, () => [rng.normal(0, 1), rng.normal(0, 1)]);
    const result = kmeans(rows, { k: 6, seed: 5, nInit: 7 });
    expect(result.runs).toHaveLength(7);
    expect(result.inertia).toBe(Math.min(...result.runs.map((run) => run.inertia)));
  });
});

describe('kmeans: determinism, variants and invariants', () => {
  const rng = createRng(99);
  const rows = Array.from({ length: 500 }, (_, i) => [
    rng.normal(i % 3, 0.6),
    rng.normal((i % 5) / 2, 0.6),
    rng.uniform(),
  ]);

  it('gives identical results for the same seed, whatever the input form, and never mutates the input', () => {
    const frozen = freezeRows(rows);
    const dense = { data: Float64Array.from(rows.flat()), rows: rows.length, cols: 3 };
    const copy = Float64Array.from(dense.data);
    const a = kmeans(frozen, { k: 4, seed: 42 });
    const b = kmeans(dense, { k: 4, seed: 42 });
    expect(b.labels).toEqual(a.labels);
    expect(b.centroids).toEqual(a.centroids);
    expect(b.inertia).toBe(a.inertia);
    expect(dense.data).toEqual(copy);
    expect(kmeans(frozen, { k: 4, seed: 42, init: 'random' }).runs).toEqual(
      kmeans(frozen, { k: 4, seed: 42, init: 'random' }).runs,
    );
  });

  it('an explicit undefined does not override a default', () => {
    const a = kmeans(rows, { k: 3, seed: undefined, nInit: undefined, tol: undefined, maxIter: undefined });
    const b = kmeans(rows, { k: 3 });
    expect(a.labels).toEqual(b.labels);
    expect(a.runs).toHaveLength(10);
  });

  it('reports progress through onIteration', () => {
    const events: number[] = [];
    const result = kmeans(rows, { k: 3, nInit: 1, onIteration: (event) => events.push(event.iteration) });
    expect(events).toHaveLength(result.iterations);
  });

  it('Lloyd and Hamerly reach the same labels; labels are the nearest centroids (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -100, max: 100, noNaN: true }),
            fc.double({ min: -100, max: 100, noNaN: true }),
          ),
          {
            minLength: 6,
            maxLength: 60,
          },
        ),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        (points, k, seed) => {
          const data = points.map(([x, y]) => [x, y]);
          const lloyd = kmeans(data, { k, seed, nInit: 2, algorithm: 'lloyd' });
          const hamerly = kmeans(data, { k, seed, nInit: 2, algorithm: 'hamerly' });
          // The bounds only skip provably unchanged rows and the sums are refreshed from scratch, so
          // Hamerly is not merely close to Lloyd: every number is the same.
          expect(hamerly.labels).toEqual(lloyd.labels);
          expect(hamerly.centroids).toEqual(lloyd.centroids);
          expect(hamerly.inertia).toBe(lloyd.inertia);
          expect(predictSegment(lloyd.model, data)).toEqual(lloyd.labels);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('Lloyd and Hamerly agree on grid data full of exact ties, with weights (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: -6, max: 6 }),
            fc.integer({ min: -6, max: 6 }),
            fc.integer({ min: 1, max: 3 }),
          ),
          {
            minLength: 20,
            maxLength: 200,
          },
        ),
        fc.integer({ min: 3, max: 7 }),
        fc.integer({ min: 0, max: 1000 }),
        (points, k, seed) => {
          const data = points.map(([x, y]) => [x, y]);
          const sampleWeight = points.map(([, , weight]) => weight);
          const options = { k: Math.min(k, data.length), seed, nInit: 1, tol: 0, sampleWeight };
          const lloyd = kmeans(data, { ...options, algorithm: 'lloyd' });
          const hamerly = kmeans(data, { ...options, algorithm: 'hamerly' });
          expect(hamerly.labels).toEqual(lloyd.labels);
          expect(hamerly.iterations).toBe(lloyd.iterations);
          expect(hamerly.centroids).toEqual(lloyd.centroids);
          expect(hamerly.inertia).toBe(lloyd.inertia);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('gives the same result where code generation is disabled (unrolled kernel vs loop)', () => {
    const fixture = fileURLToPath(new URL('./kmeans-fixture.ts', import.meta.url));
    const fitInChild = (flags: string[]): unknown => {
      const child = spawnSync(process.execPath, [...flags, '--import', 'tsx', fixture], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(child.stderr);
      return JSON.parse(child.stdout);
    };
    expect(fitInChild(['--disallow-code-generation-from-strings'])).toEqual(fitInChild([]));
  });

  it('models round-trip through JSON and predict the training labels', () => {
    const result = kmeans(rows, { k: 4, seed: 1, featureNames: ['a', 'b', 'c'] });
    const restored = JSON.parse(JSON.stringify(result.model));
    expect(restored).toEqual(result.model);
    expect(predictSegment(restored, rows)).toEqual(result.labels);
  });

  it('a model carrying a scaler predicts from raw rows', () => {
    const scaler = fitScaler(rows, 'standard');
    const result = kmeans(applyScaler(scaler, rows), { k: 4, seed: 1 });
    const model = JSON.parse(JSON.stringify({ ...result.model, scaler }));
    expect(predictSegment(model, rows)).toEqual(result.labels);
  });
});

describe('kmeans: bad input', () => {
  const rows = [
    [1, 2],
    [3, 4],
    [5, 6],
  ];
  it.each([
    [{ k: 4 }, 'k', 'at most the number of rows (3)'],
    [{ k: 0 }, 'k', 'integer'],
    [{ k: 1.5 }, 'k', 'integer'],
    [{ k: 2, nInit: 0 }, 'nInit', 'integer'],
    [{ k: 2, maxIter: 0 }, 'maxIter', 'integer'],
    [{ k: 2, tol: -1 }, 'tol', 'non-negative'],
    [{ k: 2, init: [[1, 2]] }, 'init', 'k = 2 centroids of 2 values'],
    [
      {
        k: 2,
        init: [
          [1, 2],
          [3, 4],
        ],
        nInit: 5,
      },
      'nInit',
      'explicit initial centroids',
    ],
    [{ k: 2, sampleWeight: [1, 1] }, 'sampleWeight', 'one weight per row'],
    [{ k: 2, sampleWeight: [1, -1, 1] }, 'sampleWeight', 'row 2'],
    [{ k: 2, sampleWeight: [0, 0, 0] }, 'sampleWeight', 'positive sum'],
    [{ k: 2, seed: 0.5 }, 'seed', 'safe integer'],
    [{ k: 2, init: 'farthest' }, 'init', "'k-means++', 'random'"],
    [{ k: 2, algorithm: 'elkan' }, 'algorithm', "'auto', 'lloyd' or 'hamerly'"],
    [{ k: 2, threads: 0 }, 'threads', 'integer in 1..256'],
    [{ k: 2, threads: 1.5 }, 'threads', 'received 1.5'],
    [{ k: 2, threads: 1000 }, 'threads', 'integer in 1..256'],
    [{ k: 2, featureNames: ['a'] }, 'featureNames', '1 names for 2 columns'],
  ])('rejects %j naming the option', (options, option, text) => {
    try {
      kmeans(rows, options as never);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OptionError);
      expect((error as OptionError).option).toBe(option);
      expect((error as Error).message).toContain(text);
    }
  });

  it.each([
    [
      [
        [1, 2],
        [3, Number.NaN],
        [5, 6],
      ],
      2,
      'minutes',
    ],
    [
      [
        [1, 2],
        [3, 4],
        [Number.POSITIVE_INFINITY, 6],
      ],
      3,
      'calls',
    ],
    [[[1, 2], [3], [5, 6]], 2, 'minutes'],
  ])('names the row and column of bad data %j', (data, row, column) => {
    try {
      kmeans(data, { k: 2, featureNames: ['calls', 'minutes'] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).issues[0]).toMatchObject({ row, column });
    }
  });

  it('rejects empty data and bad models', () => {
    expect(() => kmeans([], { k: 1 })).toThrow(TelcoAnalyticsError);
    const { model } = kmeans(rows, { k: 2 });
    expect(() => predictSegment({ ...model, version: 2 as 1 }, rows)).toThrow(/version/);
    expect(() => predictSegment(model, [[1, 2, 3]])).toThrow(/3 columns/);
  });
});

const telcoPath = sharedDataFile('WA_Fn-UseC_-Telco-Customer-Churn.csv');
const withSklearn = telcoPath !== undefined && sklearnAvailable();

describe.skipIf(!withSklearn)('kmeans against scikit-learn on the IBM Telco churn table', () => {
  it('reaches the same labels, inertia and iteration count from the same initial centroids', () => {
    const { rows, dropped } = telcoNumericColumns(telcoPath!);
    // 11 customers with tenure 0 have a blank TotalCharges: dropped, 7,032 rows remain.
    expect(dropped).toBe(11);
    expect(rows).toHaveLength(7032);
    const scaled = applyScaler(fitScaler(rows, 'standard'), rows);
    const data = Array.from({ length: scaled.rows }, (_, i) =>
      Array.from(scaled.data.subarray(i * 3, i * 3 + 3)),
    );
    const rng = createRng(2024);
    const cases = [2, 3, 4, 5, 8].map((k) => ({
      k,
      init: Array.from({ length: k }, () => data[rng.integer(data.length)]!),
    }));
    const weights = Array.from({ length: data.length }, () => 0.5 + rng.uniform());
    const tasks = [
      ...cases.map(({ init }) => ({ op: 'kmeans', data, init, maxIter: 300, tol: 1e-4, sampleWeight: null })),
      { op: 'kmeans', data, init: cases[2]!.init, maxIter: 300, tol: 1e-4, sampleWeight: weights },
      {
        op: 'kmeans',
        data: [[0], [1], [2], [10]],
        init: [[1], [100]],
        maxIter: 300,
        tol: 1e-4,
        sampleWeight: null,
      },
    ];
    const { results } = runSklearn<{ labels: number[]; inertia: number; iterations: number }>(tasks);
    cases.forEach(({ k, init }, index) => {
      const reference = results[index]!;
      // The Telco table spans two blocks of rows, so `threads: 2` runs a worker thread on one of them.
      for (const [algorithm, threads] of [
        ['lloyd', 1],
        ['hamerly', 1],
        ['lloyd', 2],
        ['hamerly', 2],
      ] as const) {
        const ours = kmeans(data, { k, init, algorithm, threads });
        expect(ours.threads).toBe(threads);
        expect(Array.from(ours.labels)).toEqual(reference.labels);
        expect(Math.abs(ours.inertia - reference.inertia) / reference.inertia).toBeLessThan(1e-9);
        expect(ours.iterations).toBe(reference.iterations);
      }
    });
    const weighted = kmeans(data, { k: 4, init: cases[2]!.init, sampleWeight: weights });
    expect(Array.from(weighted.labels)).toEqual(results[5]!.labels);
    expect(Math.abs(weighted.inertia - results[5]!.inertia) / results[5]!.inertia).toBeLessThan(1e-9);
    const relocated = kmeans([[0], [1], [2], [10]], { k: 2, init: [[1], [100]] });
    expect(Array.from(relocated.labels)).toEqual(results[6]!.labels);
    expect(relocated.inertia).toBeCloseTo(results[6]!.inertia, 12);
    expect(relocated.iterations).toBe(results[6]!.iterations);
  });
});
