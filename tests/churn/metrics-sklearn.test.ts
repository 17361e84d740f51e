import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { bestThreshold, evaluateClassifier } from 'telco-analytics/churn';
import { createRng } from 'telco-analytics/data';
import { describe, expect, it } from 'vitest';

const python = '/usr/bin/python3';

function sklearnAvailable(): boolean {
  if (!existsSync(python)) {
    process.stderr.write(`skipped: ${python} not found; metric cross-checks against scikit-learn need it\n`);
    return false;
  }
  try {
    execFileSync(python, ['-c', 'import sklearn'], { stdio: 'ignore' });
    return true;
  } catch {
    process.stderr.write('skipped: python3 has no scikit-learn (apt install python3-sklearn)\n');
    return false;
  }
}

const hasSklearn = sklearnAvailable();

/** Vectors with many ties: probabilities rounded to 1 or 2 decimals. */
function testVectors(): { label: string; y: number[]; p: number[] }[] {
  const rng = createRng(11);
  const cases: { label: string; y: number[]; p: number[] }[] = [];
  for (const [label, n, decimals] of [
    ['continuous', 500, 12],
    ['ties-2-decimals', 400, 2],
    ['ties-1-decimal', 300, 1],
  ] as const) {
    const y: number[] = [];
    const p: number[] = [];
    for (let i = 0; i < n; i++) {
      const churn = rng.uniform() < 0.3 ? 1 : 0;
      const raw = 1 / (1 + Math.exp(-(rng.normal() + (churn ? 1 : -0.5))));
      const rounded = Number(raw.toFixed(decimals));
      y.push(churn);
      p.push(Math.min(0.999, Math.max(0.001, rounded)));
    }
    cases.push({ label, y, p });
  }
  cases.push({ label: 'all-tied', y: [0, 1, 0, 1, 1], p: [0.4, 0.4, 0.4, 0.4, 0.4] });
  return cases;
}

describe.skipIf(!hasSklearn)('evaluateClassifier against scikit-learn', () => {
  it('matches roc_auc_score, average_precision_score, log_loss and brier_score_loss, ties included', () => {
    const cases = testVectors();
    const script = [
      'import json, sys',
      'from sklearn.metrics import roc_auc_score, average_precision_score, log_loss, brier_score_loss',
      'out = []',
      'for case in json.load(sys.stdin):',
      '    y, p = case["y"], case["p"]',
      '    out.append([roc_auc_score(y, p), average_precision_score(y, p), log_loss(y, p), brier_score_loss(y, p)])',
      'print(json.dumps(out))',
    ].join('\n');
    const output = execFileSync(python, ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' });
    const reference = JSON.parse(output) as number[][];
    cases.forEach((testCase, i) => {
      const evaluation = evaluateClassifier(Object.freeze(testCase.y), Object.freeze(testCase.p));
      const [auc, ap, loss, brier] = reference[i]!;
      expect(evaluation.rocAuc, testCase.label).toBeCloseTo(auc!, 12);
      expect(evaluation.averagePrecision, testCase.label).toBeCloseTo(ap!, 12);
      expect(evaluation.logLoss, testCase.label).toBeCloseTo(loss!, 12);
      expect(evaluation.brier, testCase.label).toBeCloseTo(brier!, 12);
    });
  });
});

describe('evaluateClassifier by hand', () => {
  // Worked example: scores 0.1 (stay), 0.4 (stay), 0.35 (churn), 0.8 (churn). Of the 4 churn-stay pairs,
  // 3 are ordered correctly (0.8 > both, 0.35 > 0.1), so AUC = 3/4. Ranking 0.8, 0.4, 0.35, 0.1 gives
  // precision 1 at recall 1/2 and 2/3 at recall 1: AP = 0.5·1 + 0.5·2/3 = 5/6.
  it('computes the worked example', () => {
    const evaluation = evaluateClassifier([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(evaluation.rocAuc).toBeCloseTo(0.75, 15);
    expect(evaluation.averagePrecision).toBeCloseTo(5 / 6, 15);
    expect(evaluation.confusion).toEqual({
      truePositive: 1,
      falsePositive: 0,
      trueNegative: 2,
      falseNegative: 1,
    });
    expect(evaluation.brier).toBeCloseTo((0.01 + 0.16 + 0.65 ** 2 + 0.04) / 4, 15);
    expect(evaluation.deciles).toHaveLength(10);
    expect(evaluation.deciles.at(-1)!.cumulativeGain).toBe(1);
    expect(evaluation.calibration.reduce((sum, bin) => sum + bin.count, 0)).toBe(4);
    expect(evaluation.roc[0]).toEqual({
      threshold: Number.POSITIVE_INFINITY,
      falsePositiveRate: 0,
      truePositiveRate: 0,
    });
    expect(evaluation.roc.at(-1)).toMatchObject({ falsePositiveRate: 1, truePositiveRate: 1 });
  });

  it('counts a tied churner-stayer pair as one half', () => {
    expect(evaluateClassifier([0, 1], [0.5, 0.5]).rocAuc).toBe(0.5);
    expect(evaluateClassifier([0, 1, 1], [0.2, 0.2, 0.9]).rocAuc).toBe(0.75);
  });

  it('chooses thresholds by F1 and by expected profit', () => {
    expect(bestThreshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toEqual({
      threshold: 0.35,
      by: 'f1',
      value: 0.8,
      targeted: 3,
    });
    // Profit: targeting {0.8} earns 0.5·100 − 10 = 40; adding 0.4 (a stayer) costs 10 → 30; adding 0.35 (a churner) → 70.
    const choice = bestThreshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], {
      offerCost: 10,
      customerValue: 100,
      acceptRate: 0.5,
    });
    expect(choice).toEqual({ threshold: 0.35, by: 'profit', value: 70, targeted: 3 });
  });

  it('rejects a non-binary target, a single class and probabilities outside [0, 1]', () => {
    expect(() => evaluateClassifier([0, 2], [0.1, 0.2])).toThrow(/row 2, column 'yTrue'.*binary/);
    expect(() => evaluateClassifier([1, 1], [0.1, 0.2])).toThrow(/single class/);
    expect(() => evaluateClassifier([0, 1], [0.1, Number.NaN])).toThrow(/probabilities\[1\]/);
  });

  it('AUC is invariant under a order-preserving transform of the scores and flips under 1 − p', () => {
    fc.assert(
      fc.property(
        // Scores on a 1/1000 grid: ties happen, and the transforms below cannot merge distinct scores.
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 999 })), { minLength: 2, maxLength: 60 }),
        (pairs) => {
          const y = pairs.map(([label]) => (label ? 1 : 0));
          if (y.every((v) => v === y[0])) return;
          const p = pairs.map(([, score]) => score / 1000);
          const auc = evaluateClassifier(y, p).rocAuc;
          expect(
            evaluateClassifier(
              y,
              p.map((v) => v / 2),
            ).rocAuc,
          ).toBeCloseTo(auc, 12);
          expect(
            evaluateClassifier(
              y,
              p.map((v) => 1 - v),
            ).rocAuc,
          ).toBeCloseTo(1 - auc, 12);
        },
      ),
      { numRuns: 100 },
    );
  });
});
