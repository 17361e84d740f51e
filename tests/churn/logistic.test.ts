import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Matrix } from 'ml-matrix';
import { scoreMatrix, trainLogistic } from 'telco-analytics/churn';
import { createRng } from 'telco-analytics/data';
import { describe, expect, it } from 'vitest';

// R 4.2 (Debian r-base-core): glm(y ~ x, family = binomial, control = glm.control(epsilon = 1e-14))
// with x = 1:6, y = c(0, 0, 1, 0, 1, 1):
//   (Intercept) -4.24909655047997  se 3.387850220607533  z -1.25421617656934  p 0.209763441665679
//   x            1.21402758585142  se 0.912585559884184  z  1.33031645384077  p 0.183414028209631
//   deviance 4.95597367009923, null deviance 8.31776616671934, AIC 8.95597367009923
const x = Object.freeze([[1], [2], [3], [4], [5], [6]].map((row) => Object.freeze(row)));
const y = Object.freeze([0, 0, 1, 0, 1, 1]);

function rscriptAvailable(): boolean {
  try {
    execFileSync('Rscript', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    process.stderr.write(
      'skipped: Rscript not found; the large-input glm(family = binomial) cross-check needs r-base-core\n',
    );
    return false;
  }
}

function relative(actual: number, expected: number): number {
  return Math.abs(actual / expected - 1);
}

describe('trainLogistic', () => {
  it("matches R's glm on a hand-sized example", () => {
    const model = trainLogistic(x, y, { featureNames: ['tenure'] });
    expect(relative(model.intercept.estimate, -4.24909655047997)).toBeLessThan(1e-9);
    expect(relative(model.intercept.stdError, 3.387850220607533)).toBeLessThan(1e-8);
    const [tenure] = model.coefficients;
    expect(relative(tenure!.estimate, 1.21402758585142)).toBeLessThan(1e-9);
    expect(relative(tenure!.stdError, 0.912585559884184)).toBeLessThan(1e-8);
    expect(relative(tenure!.pValue, 0.183414028209631)).toBeLessThan(1e-8);
    expect(tenure!.ci95[0]).toBeCloseTo(1.21402758585142 - 1.959963984540054 * 0.912585559884184, 8);
    expect(tenure!.oddsRatio).toBeCloseTo(Math.exp(1.21402758585142), 8);
    expect(model.residualDeviance).toBeCloseTo(4.95597367009923, 10);
    expect(model.nullDeviance).toBeCloseTo(8.31776616671934, 10);
    expect(model.aic).toBeCloseTo(8.95597367009923, 10);
    expect(model.logLikelihood).toBeCloseTo(-4.95597367009923 / 2, 10);
    expect(model.mcFaddenR2).toBeCloseTo(1 - 4.95597367009923 / 8.31776616671934, 10);
    expect(model.formula).toBe('logit(p) = -4.249 + 1.214·tenure');
    expect(scoreMatrix(model, [[3.5]])[0]).toBeCloseTo(0.5, 10);
  });

  it('accepts the three matrix forms with the same result', () => {
    const fromArrays = trainLogistic(x, y);
    const dense = trainLogistic({ data: Float64Array.from([1, 2, 3, 4, 5, 6]), rows: 6, cols: 1 }, y);
    const fromMlMatrix = trainLogistic(new Matrix([[1], [2], [3], [4], [5], [6]]), y);
    expect(dense.coefficients).toEqual(fromArrays.coefficients);
    expect(fromMlMatrix.coefficients).toEqual(fromArrays.coefficients);
    expect(fromArrays.coefficients[0]!.name).toBe('x1');
  });

  it('names the feature of an exact collinearity', () => {
    const rows = [
      [1, 2, 3],
      [2, 1, 3],
      [3, 5, 8],
      [4, 4, 8],
      [5, 7, 12],
      [6, 3, 9],
    ];
    expect(() => trainLogistic(rows, y, { featureNames: ['voice', 'sms', 'total'] })).toThrow(
      /exact collinearity: feature 'total' is an exact linear combination of other columns \(≈ 1·voice \+ 1·sms\)/,
    );
    const constant = x.map(([value]) => [value!, 7]);
    expect(() => trainLogistic(constant, y, { featureNames: ['tenure', 'plan'] })).toThrow(
      /feature 'plan' is constant/,
    );
  });

  it('names the feature behind perfect and quasi-perfect separation', () => {
    // complete: tenure > 3.5 always churns
    expect(() => trainLogistic(x, [0, 0, 0, 1, 1, 1], { featureNames: ['tenure'] })).toThrow(
      /separation: feature 'tenure'/,
    );
    // quasi: every roaming subscriber churned, the others are mixed
    const rng = createRng(5);
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 300; i++) {
      const roaming = i % 10 === 0 ? 1 : 0;
      const minutes = rng.normal();
      rows.push([minutes, roaming]);
      labels.push(roaming === 1 ? 1 : rng.uniform() < 1 / (1 + Math.exp(-minutes)) ? 1 : 0);
    }
    expect(() => trainLogistic(rows, labels, { featureNames: ['minutes', 'roaming'] })).toThrow(
      /separation: feature 'roaming'/,
    );
    // a ridge penalty gives a finite answer
    expect(
      trainLogistic(rows, labels, { featureNames: ['minutes', 'roaming'], l2: 1 }).coefficients[1]!.estimate,
    ).toBeGreaterThan(0);
  });

  it('rejects a non-binary target, a single class and NaN features naming row and column', () => {
    expect(() => trainLogistic(x, [0, 0, 1, 0, 2, 1])).toThrow(/row 5, column 'target'.*binary/);
    expect(() => trainLogistic(x, [1, 1, 1, 1, 1, 1])).toThrow(/single class/);
    // Typed arrays take a faster path with the same errors and the same fit.
    expect(() => trainLogistic(x, Float64Array.from([0, 0, 1, 0, 0.5, 1]))).toThrow(
      /row 5, column 'target'.*binary.*0\.5/,
    );
    expect(() => trainLogistic(x, new Uint8Array(6))).toThrow(/single class/);
    expect(trainLogistic(x, Uint8Array.from(y)).coefficients).toEqual(trainLogistic(x, y).coefficients);
    expect(() =>
      trainLogistic([[1], [2], [Number.NaN], [4], [5], [6]], y, { featureNames: ['tenure'] }),
    ).toThrow(/row 3, column 'tenure': not a finite number: NaN/);
    expect(() => trainLogistic(x, y, { l2: -1 })).toThrow(/option 'l2'/);
    expect(() => trainLogistic(x, y, { featureNames: ['a', 'b'] })).toThrow(/option 'featureNames'/);
  });

  it('weights the classes: balanced weights raise the intercept towards the rare class', () => {
    const rng = createRng(8);
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 400; i++) {
      const value = rng.normal();
      rows.push([value]);
      labels.push(rng.uniform() < 1 / (1 + Math.exp(-(value - 2))) ? 1 : 0);
    }
    const plain = trainLogistic(rows, labels);
    const balanced = trainLogistic(rows, labels, { classWeight: 'balanced' });
    expect(balanced.intercept.estimate).toBeGreaterThan(plain.intercept.estimate + 1);
    expect(balanced.classWeight.positive).toBeGreaterThan(1);
  });

  it('uses a subsample warm start on large inputs and still reaches the full-data optimum', () => {
    const rng = createRng(21);
    const n = 120_000;
    const data = new Float64Array(n * 3);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const a = rng.normal();
      const b = rng.normal();
      const c = rng.uniform() < 0.3 ? 1 : 0;
      data.set([a, b, c], i * 3);
      labels[i] = rng.uniform() < 1 / (1 + Math.exp(-(-1 + 0.8 * a - 0.5 * b + 1.2 * c))) ? 1 : 0;
    }
    const model = trainLogistic({ data, rows: n, cols: 3 }, labels, { tol: 1e-12 });
    // At the optimum the score X'(y − p) vanishes: the Newton step it implies along each coefficient,
    // about gradient·stdError², is far below a millionth of a standard error.
    const gradient = [0, 0, 0, 0];
    const probabilities = scoreMatrix(model, { data, rows: n, cols: 3 });
    for (let i = 0; i < n; i++) {
      const residual = labels[i]! - probabilities[i]!;
      gradient[0]! += residual;
      for (let j = 0; j < 3; j++) gradient[j + 1]! += residual * data[i * 3 + j]!;
    }
    const errors = [model.intercept, ...model.coefficients].map((coefficient) => coefficient.stdError);
    gradient.forEach((component, j) => {
      expect(Math.abs(component) * errors[j]!).toBeLessThan(1e-6);
    });
    expect(model.coefficients.map((coefficient) => coefficient.estimate)).toEqual([
      expect.closeTo(0.8, 1),
      expect.closeTo(-0.5, 1),
      expect.closeTo(1.2, 1),
    ]);
  });

  it('names collinear and separating features on large inputs too (the subsample path)', () => {
    const n = 120_000;
    const rng = createRng(3);
    const build = (kind: 'collinear' | 'complete' | 'quasi') => {
      const data = new Float64Array(n * 3);
      const labels = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const minutes = rng.normal();
        const sms = rng.normal();
        const roaming = i % 50 === 0 ? 1 : 0;
        data.set([minutes, sms, kind === 'collinear' ? minutes + 2 * sms : roaming], i * 3);
        const churns = rng.uniform() < 1 / (1 + Math.exp(-(0.5 * minutes - sms)));
        labels[i] =
          kind === 'complete' ? (minutes > 0.3 ? 1 : 0) : kind === 'quasi' && roaming ? 1 : churns ? 1 : 0;
      }
      return { data, rows: n, cols: 3, labels };
    };
    const training = (kind: 'collinear' | 'complete' | 'quasi') => {
      const { labels, ...matrix } = build(kind);
      return () => trainLogistic(matrix, labels, { featureNames: ['minutes', 'sms', 'roaming'] });
    };
    expect(training('collinear')).toThrow(/exact collinearity: feature 'roaming' .*1·minutes \+ 2·sms/);
    expect(training('complete')).toThrow(/separation: feature 'minutes'/);
    expect(training('quasi')).toThrow(/separation: feature 'roaming'/);
  });

  it.skipIf(!rscriptAvailable())(
    "gives R's glm estimates, standard errors and deviance on large inputs (the subsample path)",
    () => {
      // 150,000 rows: the subsample warm start, the gradient-only passes and one X'WX pass. The
      // standard errors are checked five times tighter than the Telco test's 1e-6: they come from the
      // information matrix where the fit stopped, and stopping merely within R's tol left them 2e-6 off.
      const rng = createRng(34);
      const n = 150_000;
      const cols = 6;
      const data = new Float64Array(n * cols);
      const labels = new Uint8Array(n);
      const lines: string[] = [];
      for (let i = 0; i < n; i++) {
        const row = [
          rng.normal(),
          rng.normal() * 3 + 1,
          rng.uniform() < 0.2 ? 1 : 0,
          rng.uniform() < 0.6 ? 1 : 0,
          Math.log1p(rng.gamma(2, 1)),
          rng.integer(72),
        ];
        data.set(row, i * cols);
        const eta =
          -2 + 0.6 * row[0]! - 0.2 * row[1]! + 0.9 * row[2]! - 0.4 * row[3]! + 0.3 * row[4]! + 0.01 * row[5]!;
        labels[i] = rng.uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
        lines.push(`${labels[i]},${row.join(',')}`);
      }
      const folder = mkdtempSync(join(tmpdir(), 'churn-large-glm-'));
      let output: string;
      try {
        const file = join(folder, 'matrix.csv');
        writeFileSync(file, `${lines.join('\n')}\n`);
        const script = fileURLToPath(new URL('../reference/churn-large-glm.R', import.meta.url));
        output = execFileSync('Rscript', [script, file], { encoding: 'utf8' });
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
      const fields = output
        .trim()
        .split('\n')
        .map((line) => line.split('\t'));
      const deviance = Number(fields.find(([name]) => name === 'deviance')![1]);
      const reference = fields.filter(([name]) => name !== 'deviance').map((pair) => pair.map(Number));
      const model = trainLogistic({ data, rows: n, cols }, labels);
      expect(model.iterations).toBe(1);
      const ours = [model.intercept, ...model.coefficients];
      expect(ours).toHaveLength(reference.length);
      ours.forEach((coefficient, j) => {
        expect(relative(coefficient.estimate, reference[j]![0]!), coefficient.name).toBeLessThan(1e-7);
        expect(relative(coefficient.stdError, reference[j]![1]!), coefficient.name).toBeLessThan(2e-7);
      });
      expect(relative(model.residualDeviance, deviance)).toBeLessThan(1e-12);
    },
  );
});
