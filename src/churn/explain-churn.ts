import { OptionError } from '../data/errors.js';
import { type ChurnModel, modelLogits, sigmoidInPlace } from './churn-model.js';
import { applyEncoder, type EncodedFeature } from './encode-features.js';
import type { FeatureRow, FeatureValue } from './feature-row.js';

/** How much one input feature moves one subscriber's churn logit away from the average subscriber's. */
export interface FeatureContribution {
  readonly feature: string;
  readonly value: FeatureValue;
  /** In logit units: positive raises the churn risk, negative lowers it. */
  readonly contribution: number;
  /** The reason in words, e.g. `Contract is 'Month-to-month'` or `tenure is 2 (average 32.4)`. */
  readonly reason: string;
}

/** The explanation of one row. */
export interface ChurnExplanation {
  /** 0-based position in the input. */
  readonly row: number;
  readonly probability: number;
  /** Every feature, the largest contribution (the strongest push towards churn) first. */
  readonly contributions: readonly FeatureContribution[];
}

function formatValue(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

export function describeReason(
  feature: EncodedFeature,
  value: FeatureValue,
  columnMeans: readonly number[],
  firstColumn: number,
): string {
  if (feature.type === 'numeric') {
    const mean = feature.transform === 'log1p' ? Math.expm1(feature.mean) : feature.mean;
    const shown = typeof value === 'number' ? formatValue(value) : String(value ?? 'missing');
    return `${feature.name} is ${shown} (${feature.transform === 'log1p' ? 'typical' : 'average'} ${formatValue(mean)})`;
  }
  if (feature.type === 'boolean') {
    const share = columnMeans[firstColumn] ?? 0;
    const shown = value === null || value === undefined || value === '' ? 'missing' : String(value);
    return `${feature.name} is ${shown} (true for ${Math.round(share * 100)}% of subscribers)`;
  }
  return `${feature.name} is '${value === null || value === undefined || value === '' ? 'missing' : String(value)}'`;
}

/**
 * Per subscriber, how much each input feature pushes the churn risk up or down, in logit units,
 * relative to the average training subscriber, the largest push first.
 *
 * Method. Logistic models: the exact additive decomposition logit(p) − logit(p̄) = Σ_j β_j (x_j − x̄_j),
 * i.e. each coefficient times the subscriber's deviation from the training mean of its column
 * (β_j·sd_j times the standardised deviation), summed over a categorical feature's dummy columns.
 * Neural models: occlusion against the training mean — the logit minus the logit with that feature's
 * columns set to their training means. Occlusion is exact for a linear model and, for the network,
 * a first-order attribution that needs one forward pass per feature and no gradients.
 *
 * @example
 * const [first] = explainChurn(model, [{ tenure: 2, Contract: 'Month-to-month' }]);
 * first!.contributions[0]!.reason; // => "Contract is 'Month-to-month'"
 */
export function explainChurn(model: ChurnModel, rows: readonly FeatureRow[]): ChurnExplanation[] {
  const { encoder } = model;
  const matrix = applyEncoder(encoder, rows);
  const { data, rows: n, cols } = matrix;
  const logits = modelLogits(model.model, data, n, cols);
  const probabilities = sigmoidInPlace(logits.slice());
  const features = encoder.features;
  const columnsOf = features.map(() => [] as number[]);
  encoder.columnFeature.forEach((feature, column) => {
    columnsOf[feature]!.push(column);
  });
  const means = encoder.columnMeans;
  if (means.length !== cols)
    throw new OptionError('explainChurn', 'model', 'encoder and model columns disagree');
  const contributions = new Float64Array(n * features.length);
  const innerModel = model.model;
  if (innerModel.kind === 'logistic') {
    const beta = innerModel.coefficients.map((coefficient) => coefficient.estimate);
    for (let r = 0; r < n; r++) {
      for (let f = 0; f < features.length; f++) {
        let sum = 0;
        for (const c of columnsOf[f]!) sum += beta[c]! * (data[r * cols + c]! - means[c]!);
        contributions[r * features.length + f] = sum;
      }
    }
  } else {
    for (let f = 0; f < features.length; f++) {
      const occluded = data.slice();
      for (let r = 0; r < n; r++) for (const c of columnsOf[f]!) occluded[r * cols + c] = means[c]!;
      const baseline = modelLogits(innerModel, occluded, n, cols);
      for (let r = 0; r < n; r++) contributions[r * features.length + f] = logits[r]! - baseline[r]!;
    }
  }
  const explanations: ChurnExplanation[] = [];
  for (let r = 0; r < n; r++) {
    const items: FeatureContribution[] = features.map((feature, f) => {
      const value = rows[r]![feature.name];
      return {
        feature: feature.name,
        value,
        contribution: contributions[r * features.length + f]!,
        reason: describeReason(feature, value, means, columnsOf[f]![0] ?? 0),
      };
    });
    items.sort((a, b) => b.contribution - a.contribution || (a.feature < b.feature ? -1 : 1));
    explanations.push({ row: r, probability: probabilities[r]!, contributions: items });
  }
  return explanations;
}
