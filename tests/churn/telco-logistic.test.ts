import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  crossValidate,
  encodeFeatures,
  evaluateClassifier,
  predictChurn,
  saveModel,
  trainChurnModel,
  trainLogistic,
  trainTestSplit,
} from 'telco-analytics/churn';
import { describe, expect, it } from 'vitest';
import { sharedDataFile } from '../support/shared-data.js';
import { readTelco, telcoFeatures } from './telco-recipe.js';

const path = sharedDataFile('WA_Fn-UseC_-Telco-Customer-Churn.csv');
const rScript = fileURLToPath(new URL('../reference/churn-telco-glm.R', import.meta.url));

function rscriptAvailable(): boolean {
  try {
    execFileSync('Rscript', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    process.stderr.write(
      'skipped: Rscript not found; the glm(family = binomial) cross-check needs r-base-core\n',
    );
    return false;
  }
}

const churned = (rows: readonly Record<string, unknown>[]) =>
  rows.map((row) => (row.Churn === 'Yes' ? 1 : 0));

describe.skipIf(path === undefined)('IBM Telco churn table', () => {
  const telco = path === undefined ? { rows: [], dropped: 0 } : readTelco(path);

  it('drops the 11 rows with a blank TotalCharges (the recipe says so)', () => {
    expect(telco.dropped).toBe(11);
    expect(telco.rows).toHaveLength(7032);
  });

  it.skipIf(!rscriptAvailable())(
    "equals R's glm(family = binomial): estimates and standard errors to relative 1e-6",
    () => {
      const output = execFileSync('Rscript', [rScript, path!], { encoding: 'utf8' });
      const lines = output
        .trim()
        .split('\n')
        .map((line) => line.split('\t'));
      const coefficientLines = lines.filter((fields) => fields.length === 5);
      const scalar = (name: string) => Number(lines.find((fields) => fields[0] === name)![1]);
      const { matrix, columns } = encodeFeatures(telco.rows, telcoFeatures);
      const model = trainLogistic(matrix, churned(telco.rows), { featureNames: columns });
      const ours = [model.intercept, ...model.coefficients];
      expect(ours).toHaveLength(coefficientLines.length);
      coefficientLines.forEach(([term, estimate, stdError, z, pValue], i) => {
        const coefficient = ours[i]!;
        // R names dummies by pasting factor and level ('ContractOne year'); ours are 'Contract=One year'.
        expect(coefficient.name.replace('=', '')).toBe(term);
        expect(Math.abs(coefficient.estimate / Number(estimate) - 1), term).toBeLessThan(1e-6);
        expect(Math.abs(coefficient.stdError / Number(stdError) - 1), term).toBeLessThan(1e-6);
        expect(Math.abs(coefficient.z / Number(z) - 1), term).toBeLessThan(1e-6);
        expect(Math.abs(coefficient.pValue / Number(pValue) - 1), term).toBeLessThan(1e-5);
      });
      expect(model.nullDeviance).toBeCloseTo(scalar('null.deviance'), 6);
      expect(model.residualDeviance).toBeCloseTo(scalar('deviance'), 6);
      expect(model.aic).toBeCloseTo(scalar('aic'), 6);
      expect(model.converged).toBe(true);
      expect(model.formula.startsWith('logit(p) = 1.165 + 0.2168·SeniorCitizen')).toBe(true);
    },
  );

  it('reaches a held-out ROC AUC of at least 0.83 on a seeded stratified 70/30 split', async () => {
    const split = trainTestSplit(telco.rows, { testFraction: 0.3, seed: 42, stratify: 'Churn' });
    expect(split.testRows).toHaveLength(Math.round(1869 * 0.3) + Math.round(5163 * 0.3));
    const model = await trainChurnModel(split.trainRows, { target: 'Churn', features: telcoFeatures });
    const evaluation = evaluateClassifier(churned(split.testRows), predictChurn(model, split.testRows));
    // Measured: 0.8515.
    expect(evaluation.rocAuc).toBeGreaterThanOrEqual(0.83);
  });

  it('gives byte-identical model files for the same data twice', async () => {
    const first = saveModel(await trainChurnModel(telco.rows, { target: 'Churn', features: telcoFeatures }));
    const second = saveModel(await trainChurnModel(telco.rows, { target: 'Churn', features: telcoFeatures }));
    expect(second).toBe(first);
  });

  it('cross-validates with stratified folds', async () => {
    const cv = await crossValidate(telco.rows, {
      target: 'Churn',
      features: telcoFeatures,
      folds: 5,
      seed: 3,
    });
    expect(cv.folds).toHaveLength(5);
    expect(cv.folds.reduce((sum, fold) => sum + fold.testRows, 0)).toBe(7032);
    expect(cv.mean.rocAuc).toBeGreaterThan(0.82);
    expect(cv.standardDeviation.rocAuc).toBeLessThan(0.05);
  });
});
