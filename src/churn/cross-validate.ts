import { OptionError } from '../data/errors.js';
import { createRng, deriveSeed } from '../data/random.js';
import { predictChurn, type TrainChurnModelOptions, trainChurnModel } from './churn-model.js';
import { levelOf } from './encode-features.js';
import { evaluateClassifier } from './evaluate-classifier.js';
import type { FeatureRow } from './feature-row.js';

/** Options of {@link crossValidate}: those of `trainChurnModel` plus the folds. */
export type CrossValidateOptions = TrainChurnModelOptions & {
  /** @defaultValue 5 */
  readonly folds?: number;
  /** Seed of the fold assignment (and, for neural models, of each fold's training). @defaultValue 0 */
  readonly seed?: number;
};

/** Held-out scores of one fold. */
export interface FoldResult {
  readonly fold: number;
  readonly trainRows: number;
  readonly testRows: number;
  readonly rocAuc: number;
  readonly averagePrecision: number;
  readonly logLoss: number;
  readonly brier: number;
}

/** Per-fold scores and their mean and standard deviation. */
export interface CrossValidation {
  readonly folds: readonly FoldResult[];
  readonly mean: {
    readonly rocAuc: number;
    readonly averagePrecision: number;
    readonly logLoss: number;
    readonly brier: number;
  };
  readonly standardDeviation: {
    readonly rocAuc: number;
    readonly averagePrecision: number;
    readonly logLoss: number;
    readonly brier: number;
  };
}

/**
 * Stratified k-fold cross-validation of {@link trainChurnModel}: rows of each class are dealt to the
 * folds in a seeded random order, each fold is scored by a model trained on the others.
 *
 * @example
 * const cv = await crossValidate(rows, { target: 'Churn', features, folds: 5, seed: 1 });
 * cv.mean.rocAuc; // => 0.84...
 */
export async function crossValidate(
  rows: readonly FeatureRow[],
  options: CrossValidateOptions,
): Promise<CrossValidation> {
  const folds = options.folds ?? 5;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(folds) || folds < 2 || folds > rows.length) {
    throw new OptionError(
      'crossValidate',
      'folds',
      `must be an integer in 2..${rows.length}, received ${folds}`,
    );
  }
  const strata = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const key = levelOf(row[options.target]);
    const members = strata.get(key);
    if (members) members.push(i);
    else strata.set(key, [i]);
  });
  const foldOf = new Int32Array(rows.length);
  let dealt = 0;
  for (const key of [...strata.keys()].sort()) {
    const members = strata.get(key)!;
    const permutation = createRng(deriveSeed(seed, 'folds', key)).permutation(members.length);
    for (let k = 0; k < members.length; k++) foldOf[members[permutation[k]!]!] = dealt++ % folds;
  }
  const { folds: _folds, ...trainOptions } = options;
  const results: FoldResult[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const train = rows.filter((_, i) => foldOf[i] !== fold);
    const test = rows.filter((_, i) => foldOf[i] === fold);
    const model = await trainChurnModel(train, {
      ...trainOptions,
      seed: deriveSeed(seed, 'fold', fold),
    } as TrainChurnModelOptions);
    const evaluation = evaluateClassifier(
      test.map((row) => row[options.target] as number | boolean),
      predictChurn(model, test),
    );
    results.push({
      fold: fold + 1,
      trainRows: train.length,
      testRows: test.length,
      rocAuc: evaluation.rocAuc,
      averagePrecision: evaluation.averagePrecision,
      logLoss: evaluation.logLoss,
      brier: evaluation.brier,
    });
  }
  const summary = (pick: (fold: FoldResult) => number) => {
    const values = results.map(pick);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
    return { mean, deviation: Math.sqrt(variance) };
  };
  const auc = summary((fold) => fold.rocAuc);
  const ap = summary((fold) => fold.averagePrecision);
  const loss = summary((fold) => fold.logLoss);
  const brier = summary((fold) => fold.brier);
  return {
    folds: results,
    mean: { rocAuc: auc.mean, averagePrecision: ap.mean, logLoss: loss.mean, brier: brier.mean },
    standardDeviation: {
      rocAuc: auc.deviation,
      averagePrecision: ap.deviation,
      logLoss: loss.deviation,
      brier: brier.deviation,
    },
  };
}
