import type { ClassifierEvaluation, LogisticModel } from '../../churn/index.js';
import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { chartFrame } from './chart-frame.js';

const diagonal = {
  data: {
    values: [
      { x: 0, y: 0 },
      { x: 1, y: 1 },
    ],
  },
  mark: { type: 'line', strokeDash: [4, 4], color: '#9aa3b2' },
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
};

/**
 * The ROC curve with its AUC in the title, beside the chance diagonal.
 *
 * @example
 * rocCurveChart(evaluateClassifier(yTrue, probabilities));
 */
export function rocCurveChart(evaluation: ClassifierEvaluation): VegaLiteSpec {
  return chartFrame(
    `ROC curve (AUC ${evaluation.rocAuc.toFixed(3)})`,
    {
      layer: [
        {
          data: {
            values: evaluation.roc.map(({ falsePositiveRate, truePositiveRate }) => ({
              falsePositiveRate,
              truePositiveRate,
            })),
          },
          mark: { type: 'line', color: '#1f5fa8' },
          encoding: {
            x: { field: 'falsePositiveRate', type: 'quantitative', title: 'false positive rate' },
            y: { field: 'truePositiveRate', type: 'quantitative', title: 'true positive rate' },
          },
        },
        diagonal,
      ],
    },
    300,
    300,
  );
}

/**
 * The precision-recall curve with its average precision in the title.
 *
 * @example
 * precisionRecallChart(evaluateClassifier(yTrue, probabilities));
 */
export function precisionRecallChart(evaluation: ClassifierEvaluation): VegaLiteSpec {
  return chartFrame(
    `Precision-recall (AP ${evaluation.averagePrecision.toFixed(3)})`,
    {
      data: { values: evaluation.precisionRecall.map(({ recall, precision }) => ({ recall, precision })) },
      mark: { type: 'line', color: '#c2410c', interpolate: 'step-after' },
      encoding: {
        x: { field: 'recall', type: 'quantitative', scale: { domain: [0, 1] } },
        y: { field: 'precision', type: 'quantitative', scale: { domain: [0, 1] } },
      },
    },
    300,
    300,
  );
}

/**
 * Lift by decile (bars) and cumulative gains (line): how much better than random the top-scored
 * customers are.
 *
 * @example
 * liftChart(evaluateClassifier(yTrue, probabilities));
 */
export function liftChart(evaluation: ClassifierEvaluation): VegaLiteSpec {
  const values = evaluation.deciles.map(({ decile, lift, cumulativeGain }) => ({
    decile,
    lift,
    cumulativeGain,
  }));
  const { width: _width, height: _height, ...frame } = chartFrame('Lift and cumulative gains by decile', {});
  return {
    ...frame,
    data: { values },
    hconcat: [
      {
        width: 220,
        height: 220,
        mark: { type: 'bar', color: '#1f5fa8' },
        encoding: {
          x: { field: 'decile', type: 'ordinal', title: 'decile (1 = highest risk)' },
          y: { field: 'lift', type: 'quantitative', title: 'lift' },
        },
      },
      {
        width: 220,
        height: 220,
        mark: { type: 'line', point: true, color: '#c2410c' },
        encoding: {
          x: { field: 'decile', type: 'ordinal', title: 'decile' },
          y: {
            field: 'cumulativeGain',
            type: 'quantitative',
            title: 'share of churners captured',
            scale: { domain: [0, 1] },
          },
        },
      },
    ],
  };
}

/**
 * Calibration: mean predicted probability against the observed churn rate per bin.
 *
 * @example
 * calibrationChart(evaluateClassifier(yTrue, probabilities));
 */
export function calibrationChart(evaluation: ClassifierEvaluation): VegaLiteSpec {
  const values = evaluation.calibration
    .filter((bin) => bin.count > 0)
    .map(({ meanPredicted, observedRate, count }) => ({ meanPredicted, observedRate, count }));
  return chartFrame(
    'Calibration (predicted vs observed churn rate)',
    {
      layer: [
        {
          data: { values },
          mark: { type: 'line', point: true, color: '#1f5fa8' },
          encoding: {
            x: {
              field: 'meanPredicted',
              type: 'quantitative',
              title: 'mean predicted probability',
              scale: { domain: [0, 1] },
            },
            y: {
              field: 'observedRate',
              type: 'quantitative',
              title: 'observed churn rate',
              scale: { domain: [0, 1] },
            },
            tooltip: [{ field: 'count', type: 'quantitative' }],
          },
        },
        diagonal,
      ],
    },
    300,
    300,
  );
}

/**
 * The logistic coefficients with their 95% confidence intervals (log-odds scale), largest effect on top.
 *
 * @example
 * coefficientChart(trainLogistic(X, y, { featureNames }));
 */
export function coefficientChart(model: LogisticModel): VegaLiteSpec {
  const values = model.coefficients.map(({ name, estimate, ci95 }) => ({
    name,
    estimate,
    low: ci95[0],
    high: ci95[1],
  }));
  const sort = { field: 'estimate', op: 'max', order: 'descending' };
  return chartFrame(
    'Logistic coefficients with 95% intervals (log-odds)',
    {
      data: { values },
      layer: [
        {
          mark: { type: 'rule', color: '#9aa3b2' },
          encoding: {
            y: { field: 'name', type: 'nominal', sort, title: null },
            x: { field: 'low', type: 'quantitative', title: 'coefficient' },
            x2: { field: 'high' },
          },
        },
        {
          mark: { type: 'point', filled: true, color: '#1f5fa8' },
          encoding: {
            y: { field: 'name', type: 'nominal', sort },
            x: { field: 'estimate', type: 'quantitative' },
          },
        },
      ],
    },
    420,
    Math.max(160, 18 * values.length),
  );
}
