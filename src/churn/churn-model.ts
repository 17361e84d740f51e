import { type NumericMatrixInput, toDenseMatrix } from '../data/dense-matrix.js';
import { OptionError } from '../data/errors.js';
import { applyEncoder, encodeFeatures, type FeatureEncoder } from './encode-features.js';
import type { FeatureRow, FeatureSpec } from './feature-row.js';
import { type NeuralModel, neuralLogits } from './neural-model.js';
import { readTarget } from './target.js';
import { type LogisticModel, type TrainLogisticOptions, trainLogistic } from './train-logistic.js';
import { type TrainNeuralOptions, trainNeural } from './train-neural.js';

/** A churn model that scores raw rows: the fitted encoder plus a logistic or neural model. Plain JSON. */
export interface ChurnModel {
  readonly kind: 'churn-model';
  readonly version: 1;
  /** The target column it was trained on. */
  readonly target: string;
  readonly encoder: FeatureEncoder;
  readonly model: LogisticModel | NeuralModel;
  readonly training: {
    readonly rows: number;
    readonly churners: number;
  };
}

interface ChurnModelOptionsBase {
  /** The 0/1, boolean or yes/no column to predict. */
  readonly target: string;
  /** How each input column is encoded. */
  readonly features: readonly FeatureSpec[];
}

/** Options of {@link trainChurnModel}: the encoding plus the options of the chosen trainer. */
export type TrainChurnModelOptions =
  | (ChurnModelOptionsBase & { /** @defaultValue 'logistic' */ readonly kind?: 'logistic' } & Omit<
        TrainLogisticOptions,
        'featureNames'
      >)
  | (ChurnModelOptionsBase & { readonly kind: 'neural' } & Omit<TrainNeuralOptions, 'featureNames'>);

/**
 * Encodes raw rows with `features`, trains a logistic (default) or neural model on `target`, and
 * keeps the fitted encoder in the model, so that {@link predictChurn} scores raw rows.
 *
 * @example
 * const model = await trainChurnModel(rows, {
 *   target: 'Churn',
 *   features: [{ name: 'tenure', type: 'numeric' }, { name: 'Contract', type: 'categorical' }],
 * });
 * model.model.kind; // => 'logistic'
 */
export async function trainChurnModel(
  rows: readonly FeatureRow[],
  options: TrainChurnModelOptions,
): Promise<ChurnModel> {
  const { target, features } = options;
  if (typeof target !== 'string' || target === '')
    throw new OptionError('trainChurnModel', 'target', 'must name the target column');
  if (features.some((feature) => feature.name === target)) {
    throw new OptionError('trainChurnModel', 'features', `includes the target '${target}'`);
  }
  const labels = readTarget(
    rows.map((row) => row[target]),
    rows.length,
    'trainChurnModel',
    target,
  );
  const { matrix, columns, encoder } = encodeFeatures(rows, features);
  const { target: _target, features: _features, kind, ...trainerOptions } = options;
  let churners = 0;
  for (let i = 0; i < labels.length; i++) churners += labels[i]!;
  const model =
    kind === 'neural'
      ? await trainNeural(matrix, labels, {
          ...(trainerOptions as Omit<TrainNeuralOptions, 'featureNames'>),
          featureNames: columns,
        })
      : trainLogistic(matrix, labels, {
          ...(trainerOptions as Omit<TrainLogisticOptions, 'featureNames'>),
          featureNames: columns,
        });
  return {
    kind: 'churn-model',
    version: 1,
    target,
    encoder,
    model,
    training: { rows: rows.length, churners },
  };
}

/** Linear predictors (logits) of an encoded matrix. */
export function modelLogits(
  model: LogisticModel | NeuralModel,
  data: Float64Array,
  rows: number,
  cols: number,
): Float64Array {
  if (model.kind === 'neural') return neuralLogits(model, data, rows, cols);
  const logits = new Float64Array(rows);
  const beta = Float64Array.from(model.coefficients, (coefficient) => coefficient.estimate);
  const b0 = model.intercept.estimate;
  for (let r = 0; r < rows; r++) {
    let eta = b0;
    const base = r * cols;
    for (let c = 0; c < cols; c++) eta += data[base + c]! * beta[c]!;
    logits[r] = eta;
  }
  return logits;
}

export function sigmoidInPlace(values: Float64Array): Float64Array {
  for (let i = 0; i < values.length; i++) {
    const z = values[i]!;
    values[i] = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }
  return values;
}

/**
 * Churn probabilities of an already-encoded numeric matrix (any of the package's three matrix forms),
 * for a model from {@link trainLogistic} or {@link trainNeural}.
 *
 * @example
 * const model = trainLogistic([[1], [2], [3], [4], [5], [6]], [0, 0, 1, 0, 1, 1]);
 * scoreMatrix(model, [[3.5]]); // => Float64Array [0.5] (the data are symmetric about 3.5)
 */
export function scoreMatrix(model: LogisticModel | NeuralModel, X: NumericMatrixInput): Float64Array {
  const matrix = toDenseMatrix(X, 'scoreMatrix', model.featureNames);
  if (matrix.cols !== model.featureNames.length) {
    throw new OptionError(
      'scoreMatrix',
      'X',
      `has ${matrix.cols} columns; the model expects ${model.featureNames.length}`,
    );
  }
  return sigmoidInPlace(modelLogits(model, matrix.data, matrix.rows, matrix.cols));
}

/**
 * Churn probabilities for raw rows, for either model kind: the model's encoder turns the rows into
 * its columns (an unseen category raises a `DataError` naming row and column, unless the feature was
 * declared `unseen: 'reference'`), then the model scores them.
 *
 * @example
 * predictChurn(model, [{ tenure: 2, Contract: 'Month-to-month' }]); // => Float64Array [0.61...]
 */
export function predictChurn(model: ChurnModel, rows: readonly FeatureRow[]): Float64Array {
  const matrix = applyEncoder(model.encoder, rows);
  return sigmoidInPlace(modelLogits(model.model, matrix.data, matrix.rows, matrix.cols));
}
