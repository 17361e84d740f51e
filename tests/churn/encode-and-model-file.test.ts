import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import {
  applyEncoder,
  churnRiskList,
  encodeFeatures,
  explainChurn,
  type FeatureRow,
  loadModel,
  predictChurn,
  saveModel,
  trainChurnModel,
  trainTestSplit,
} from 'telco-analytics/churn';
import { createRng } from 'telco-analytics/data';
import { describe, expect, it } from 'vitest';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/** A small subscriber base where month-to-month contracts, short tenure and complaints raise churn. */
function subscribers(count: number, seed: number): FeatureRow[] {
  const rng = createRng(seed);
  const contracts = ['12-month', '24-month', 'month-to-month'];
  const rows: FeatureRow[] = [];
  for (let i = 0; i < count; i++) {
    const contract = contracts[rng.integer(3)]!;
    const tenure = Math.floor(rng.gamma(2, 12));
    const complaints = rng.poisson(0.5);
    const paperless = rng.bernoulli(0.5);
    const logit =
      -1.5 +
      (contract === 'month-to-month' ? 1.5 : contract === '24-month' ? -1 : 0) -
      0.04 * tenure +
      0.8 * complaints;
    rows.push({
      subscriberId: `S${String(i + 1).padStart(4, '0')}`,
      contract,
      tenure,
      complaints,
      paperless: paperless ? 'Yes' : 'No',
      churned: rng.uniform() < 1 / (1 + Math.exp(-logit)),
    });
  }
  return deepFreeze(rows);
}

const spec = deepFreeze([
  { name: 'contract', type: 'categorical' },
  { name: 'tenure', type: 'numeric', transform: 'log1p', standardise: true },
  { name: 'complaints', type: 'numeric' },
  { name: 'paperless', type: 'boolean' },
] as const);

describe('encodeFeatures', () => {
  it('one-hot encodes with the first sorted level as the dropped reference, as R does', () => {
    const rows = deepFreeze([
      { plan: 'gold', minutes: 10, roaming: 'yes' },
      { plan: 'basic', minutes: 20, roaming: 'no' },
      { plan: 'silver', minutes: 30, roaming: true },
    ]);
    const { matrix, columns, encoder } = encodeFeatures(rows, [
      { name: 'plan', type: 'categorical' },
      { name: 'minutes', type: 'numeric', standardise: true },
      { name: 'roaming', type: 'boolean' },
    ]);
    expect(columns).toEqual(['plan=gold', 'plan=silver', 'minutes', 'roaming']);
    // minutes: mean 20, sd 10 → -1, 0, 1
    expect(Array.from(matrix.data)).toEqual([1, 0, -1, 1, 0, 0, 0, 0, 0, 1, 1, 1]);
    const chosen = encodeFeatures(rows, [{ name: 'plan', type: 'categorical', reference: 'silver' }]);
    expect(chosen.columns).toEqual(['plan=basic', 'plan=gold']);
    expect(encoder.features[0]).toMatchObject({
      type: 'categorical',
      reference: 'basic',
      levels: ['basic', 'gold', 'silver'],
    });
  });

  it('applies log1p before standardising and reuses the training statistics at scoring', () => {
    const { encoder } = encodeFeatures(
      [{ mb: 0 }, { mb: Math.E - 1 }],
      [{ name: 'mb', type: 'numeric', transform: 'log1p', standardise: true }],
    );
    const feature = encoder.features[0]!;
    expect(feature).toMatchObject({ mean: 0.5, standardDeviation: Math.SQRT1_2 });
    expect(applyEncoder(encoder, [{ mb: Math.E - 1 }]).data[0]).toBeCloseTo(0.5 / Math.SQRT1_2, 12);
  });

  it('raises on a missing or NaN value naming row and column, or imputes the recorded training value', () => {
    const rows = [
      { tenure: 5, plan: 'a' },
      { tenure: null, plan: 'b' },
      { tenure: 7, plan: '' },
    ];
    expect(() => encodeFeatures(rows, [{ name: 'tenure', type: 'numeric' }])).toThrow(
      /row 2, column 'tenure': missing value/,
    );
    expect(() =>
      encodeFeatures([{ tenure: 1 }, { tenure: Number.NaN }], [{ name: 'tenure', type: 'numeric' }]),
    ).toThrow(/row 2, column 'tenure': not a finite number: NaN/);
    expect(() => encodeFeatures([{ tenure: 'abc' }], [{ name: 'tenure', type: 'numeric' }])).toThrow(
      /row 1, column 'tenure'.*"abc"/,
    );
    const imputed = encodeFeatures(rows, [
      { name: 'tenure', type: 'numeric', missing: 'impute' },
      { name: 'plan', type: 'categorical', missing: 'impute' },
    ]);
    expect(imputed.encoder.features[0]).toMatchObject({ mean: 6 });
    expect(Array.from(imputed.matrix.data)).toEqual([5, 0, 6, 1, 7, 0]);
  });

  it('rejects an unseen category at scoring unless the feature scores it as the reference', () => {
    const strict = encodeFeatures(
      [{ plan: 'a' }, { plan: 'b' }],
      [{ name: 'plan', type: 'categorical' }],
    ).encoder;
    expect(() => applyEncoder(strict, [{ plan: 'b' }, { plan: 'c' }])).toThrow(
      /row 2, column 'plan': level 'c' was not seen in training/,
    );
    const lenient = encodeFeatures(
      [{ plan: 'a' }, { plan: 'b' }],
      [{ name: 'plan', type: 'categorical', unseen: 'reference' }],
    ).encoder;
    expect(Array.from(applyEncoder(lenient, [{ plan: 'c' }, { plan: 'b' }]).data)).toEqual([0, 1]);
  });

  it('validates the spec', () => {
    expect(() => encodeFeatures([{ a: 1 }], [])).toThrow(/option 'features'/);
    expect(() =>
      encodeFeatures(
        [{ a: 1 }],
        [
          { name: 'a', type: 'numeric' },
          { name: 'a', type: 'numeric' },
        ],
      ),
    ).toThrow(/repeats 'a'/);
    expect(() => encodeFeatures([{ a: 'x' }], [{ name: 'a', type: 'categorical', reference: 'y' }])).toThrow(
      /'y' is not a level/,
    );
  });

  it('encodes any numeric column to its standardised form with mean 0 (property)', () => {
    fc.assert(
      fc.property(
        // Integers: a column of near-equal huge doubles would standardise rounding noise, which is not the point.
        fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { minLength: 2, maxLength: 50 }),
        (values) => {
          const { matrix } = encodeFeatures(
            values.map((value) => ({ v: value })),
            [{ name: 'v', type: 'numeric', standardise: true }],
          );
          const mean = matrix.data.reduce((sum, value) => sum + value, 0) / values.length;
          expect(Math.abs(mean)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('churn models from records', () => {
  const rows = subscribers(1500, 3);

  it('trains, predicts, explains and ranks from raw rows without touching the inputs', async () => {
    const model = await trainChurnModel(rows, { target: 'churned', features: spec });
    expect(model.encoder.columns).toEqual([
      'contract=24-month',
      'contract=month-to-month',
      'tenure',
      'complaints',
      'paperless',
    ]);
    const probabilities = predictChurn(model, rows.slice(0, 5));
    expect(probabilities).toBeInstanceOf(Float64Array);
    const [explanation] = explainChurn(model, rows.slice(0, 1));
    // Logistic explanations add up exactly: Σ contributions = logit(p) − logit at the training means.
    const inner = model.model.kind === 'logistic' ? model.model : undefined;
    const meanLogit =
      inner!.intercept.estimate +
      inner!.coefficients.reduce((sum, c, j) => sum + c.estimate * model.encoder.columnMeans[j]!, 0);
    const total = explanation!.contributions.reduce((sum, item) => sum + item.contribution, 0);
    const p = explanation!.probability;
    expect(total).toBeCloseTo(Math.log(p / (1 - p)) - meanLogit, 10);
    const list = churnRiskList(model, rows, { top: 20 });
    expect(list).toHaveLength(20);
    expect(list[0]!.rank).toBe(1);
    expect(list[0]!.probability).toBeGreaterThanOrEqual(list[19]!.probability);
    expect(list[0]!.band).toBe('high');
    expect(list[0]!.reasons.length).toBeGreaterThan(0);
    expect(list[0]!.reasons.length).toBeLessThanOrEqual(3);
    expect(list[0]!.reasons.join(' ')).toMatch(/contract is 'month-to-month'|complaints is \d/);
    const bands = churnRiskList(model, rows, { bands: { high: 0.6, medium: 0.3 } });
    for (const item of bands)
      expect(item.band).toBe(item.probability >= 0.6 ? 'high' : item.probability >= 0.3 ? 'medium' : 'low');
  });

  it('saves and loads models, rejecting another version or a tampered shape', async () => {
    const model = await trainChurnModel(rows, { target: 'churned', features: spec });
    const json = saveModel(model);
    const loaded = loadModel(json);
    expect(predictChurn(loaded, rows.slice(0, 10))).toEqual(predictChurn(model, rows.slice(0, 10)));
    const parsed = JSON.parse(json);
    expect(() => loadModel(JSON.stringify({ ...parsed, version: 2 }))).toThrow(
      /file version 2 is not supported/,
    );
    expect(() => loadModel(JSON.stringify({ ...parsed, format: 'something-else' }))).toThrow(
      /not a churn model file/,
    );
    const tampered = JSON.parse(json);
    tampered.model.coefficients.pop();
    expect(() => loadModel(JSON.stringify(tampered))).toThrow(/model.coefficients must hold 5 coefficients/);
    const badNumber = JSON.parse(json);
    badNumber.encoder.features[1].mean = 'x';
    expect(() => loadModel(JSON.stringify(badNumber))).toThrow(
      /encoder.features\[1\].mean must be a finite number/,
    );
    expect(() => loadModel('{not json')).toThrow(/not JSON/);
    try {
      loadModel(JSON.stringify({ ...parsed, version: 2 }));
    } catch (error) {
      expect((error as { code: string }).code).toBe('INVALID_MODEL');
    }
  });

  it('rejects a non-binary target, a single class and the target among the features', async () => {
    const bad = rows.map((row, i) => (i === 6 ? { ...row, churned: 'maybe' } : row));
    await expect(trainChurnModel(bad, { target: 'churned', features: spec })).rejects.toThrow(
      /row 7, column 'churned'.*binary/,
    );
    const single = rows.map((row) => ({ ...row, churned: false }));
    await expect(trainChurnModel(single, { target: 'churned', features: spec })).rejects.toThrow(
      /single class/,
    );
    await expect(trainChurnModel(rows, { target: 'tenure', features: spec })).rejects.toThrow(
      /includes the target/,
    );
  });

  it('splits with stratification, reproducibly', () => {
    const first = trainTestSplit(rows, { seed: 4, stratify: 'churned' });
    const second = trainTestSplit(rows, { seed: 4, stratify: 'churned' });
    expect(first.test).toEqual(second.test);
    expect(first.train.length + first.test.length).toBe(rows.length);
    const rate = (part: readonly FeatureRow[]) => part.filter((row) => row.churned).length / part.length;
    expect(Math.abs(rate(first.trainRows) - rate(first.testRows))).toBeLessThan(0.005);
    expect(trainTestSplit(10, { testFraction: 0.3, seed: 1 }).test).toHaveLength(3);
    expect(() => trainTestSplit(10, { testFraction: 1 })).toThrow(/option 'testFraction'/);
  });
});

describe('lazy TensorFlow.js', () => {
  it('no module reachable from the churn entry imports TensorFlow.js statically', () => {
    const folder = fileURLToPath(new URL('../../src/churn/', import.meta.url));
    for (const file of readdirSync(folder)) {
      const text = readFileSync(`${folder}${file}`, 'utf8');
      expect(text, file).not.toMatch(/^import [^;]*from '@tensorflow/m);
      expect(text, file).not.toMatch(/^import '@tensorflow/m);
    }
  });
});
