import { type NumericMatrixInput, toDenseMatrix } from '../data/dense-matrix.js';
import { OptionError } from '../data/errors.js';
import { createRng, deriveSeed } from '../data/random.js';
import { type BackendPreference, loadTensorFlow } from './load-tensorflow.js';
import type { NeuralEpoch, NeuralLayer, NeuralModel } from './neural-model.js';
import { type ClassWeightOption, readTarget, resolveClassWeight } from './target.js';

/** Options of {@link trainNeural}. */
export interface TrainNeuralOptions {
  /** Column names. @defaultValue `x1`, `x2`, ... */
  readonly featureNames?: readonly string[];
  /** Units of each hidden ReLU layer. @defaultValue [32, 16] */
  readonly hidden?: readonly number[];
  /** Dropout rate after each hidden layer (masks drawn with the package PRNG). @defaultValue 0 */
  readonly dropout?: number;
  /** @defaultValue 30 */
  readonly epochs?: number;
  /** @defaultValue 64 */
  readonly batchSize?: number;
  /** Adam learning rate. @defaultValue 0.001 */
  readonly learningRate?: number;
  /** L2 penalty on the weights (not the biases), added to the mean loss. @defaultValue 0 */
  readonly l2?: number;
  /** Seed of the initial weights, the shuffling, the validation rows and the dropout masks. @defaultValue 0 */
  readonly seed?: number;
  /** Share of rows held out to monitor the loss (and for early stopping). @defaultValue 0, or 0.1 with earlyStopping */
  readonly validationSplit?: number;
  /**
   * Stop when the validation loss has not improved for `patience` epochs; the best epoch's weights are kept.
   * @defaultValue undefined (train all `epochs`, keep the last weights)
   */
  readonly earlyStopping?: { readonly patience: number };
  /** @defaultValue no weighting */
  readonly classWeight?: ClassWeightOption;
  /** `auto` picks tfjs-node, then wasm, then cpu. @defaultValue 'auto' */
  readonly backend?: BackendPreference;
  /** Called after each epoch. @defaultValue undefined (no callback) */
  readonly onEpoch?: (epoch: NeuralEpoch) => void;
}

const context = 'trainNeural';

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new OptionError(context, name, `must be a positive integer, received ${value}`);
  return value;
}

/**
 * Trains a feed-forward network (hidden ReLU layers, a sigmoid output) on TensorFlow.js, imported
 * only when this function runs. Inputs are standardised with the training means and standard
 * deviations (recorded in the model). Deterministic for a given backend: the Glorot-uniform initial
 * weights, the per-epoch shuffling, the validation rows and the dropout masks all come from
 * {@link createRng} with `seed`; TensorFlow.js draws nothing. The fitted weights are copied into the
 * returned plain-JSON model, which scores without TensorFlow.js.
 *
 * @example
 * const model = await trainNeural(X, y, { hidden: [16], epochs: 20, seed: 42, backend: 'cpu' });
 * model.history.at(-1)!.loss; // the last epoch's training loss
 */
export async function trainNeural(
  X: NumericMatrixInput,
  y: ArrayLike<number | boolean>,
  options: TrainNeuralOptions = {},
): Promise<NeuralModel> {
  const matrix = toDenseMatrix(X, context, options.featureNames);
  const { rows, cols, data } = matrix;
  const names = options.featureNames ?? Array.from({ length: cols }, (_, j) => `x${j + 1}`);
  if (names.length !== cols)
    throw new OptionError(context, 'featureNames', `has ${names.length} names for ${cols} columns`);
  const labels = readTarget(y, rows, context);
  const hidden = options.hidden ?? [32, 16];
  hidden.forEach((units, i) => {
    positiveInteger(`hidden[${i}]`, units);
  });
  const dropout = options.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1))
    throw new OptionError(context, 'dropout', `must be in [0, 1), received ${dropout}`);
  const epochs = positiveInteger('epochs', options.epochs ?? 30);
  const batchSize = positiveInteger('batchSize', options.batchSize ?? 64);
  const learningRate = options.learningRate ?? 0.001;
  if (!(learningRate > 0) || !Number.isFinite(learningRate))
    throw new OptionError(context, 'learningRate', `must be a positive number, received ${learningRate}`);
  const l2 = options.l2 ?? 0;
  if (!(l2 >= 0) || !Number.isFinite(l2))
    throw new OptionError(context, 'l2', `must be a finite non-negative number, received ${l2}`);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed))
    throw new OptionError(context, 'seed', `must be a safe integer, received ${seed}`);
  const patience = options.earlyStopping?.patience;
  if (patience !== undefined) positiveInteger('earlyStopping.patience', patience);
  const validationSplit = options.validationSplit ?? (patience === undefined ? 0 : 0.1);
  if (!(validationSplit >= 0 && validationSplit < 1))
    throw new OptionError(context, 'validationSplit', `must be in [0, 1), received ${validationSplit}`);
  if (patience !== undefined && validationSplit === 0)
    throw new OptionError(context, 'earlyStopping', 'needs validationSplit > 0');
  const classWeight = resolveClassWeight(options.classWeight, labels, context);

  // Standardisation statistics over all rows, so the model does not depend on the validation draw.
  const inputMeans = new Float64Array(cols);
  const inputScales = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) inputMeans[c]! += data[r * cols + c]!;
  for (let c = 0; c < cols; c++) inputMeans[c]! /= rows;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) inputScales[c]! += (data[r * cols + c]! - inputMeans[c]!) ** 2;
  for (let c = 0; c < cols; c++) {
    const deviation = Math.sqrt(inputScales[c]! / Math.max(1, rows - 1));
    inputScales[c] = deviation > 0 ? deviation : 1;
  }
  const standardised = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++)
      standardised[r * cols + c] = (data[r * cols + c]! - inputMeans[c]!) / inputScales[c]!;
  }

  const order = createRng(deriveSeed(seed, 'validation')).permutation(rows);
  const validationCount = Math.floor(rows * validationSplit);
  const validationRows = order.slice(0, validationCount);
  const trainingRows = order.slice(validationCount);
  if (trainingRows.length === 0) throw new OptionError(context, 'validationSplit', 'leaves no training rows');

  const sizes = [cols, ...hidden, 1];
  const initRng = createRng(deriveSeed(seed, 'initial-weights'));
  const initial = sizes.slice(1).map((units, l) => {
    const fanIn = sizes[l]!;
    const limit = Math.sqrt(6 / (fanIn + units));
    const weights = new Float32Array(fanIn * units);
    for (let i = 0; i < weights.length; i++) weights[i] = (2 * initRng.uniform() - 1) * limit;
    return { fanIn, units, weights };
  });

  const { tf, backend } = await loadTensorFlow(options.backend ?? 'auto');
  // TF.js prints a banner to the console on first use in Node; a library must not write there.
  const wasProduction = tf.env().getBool('PROD');
  tf.env().set('PROD', true);
  const variables = initial.map(({ fanIn, units, weights }, l) => ({
    kernel: tf.variable(tf.tensor2d(weights, [fanIn, units]), true, `churn_kernel_${l}`),
    bias: tf.variable(tf.zeros([units]), true, `churn_bias_${l}`),
  }));
  const trainable = variables.flatMap(({ kernel, bias }) => [kernel, bias]);
  const optimizer = tf.train.adam(learningRate);
  const shuffleRng = createRng(deriveSeed(seed, 'shuffle'));
  const dropoutRng = createRng(deriveSeed(seed, 'dropout'));

  const gather = (indices: ArrayLike<number>) => {
    const x = new Float32Array(indices.length * cols);
    const target = new Float32Array(indices.length);
    const weight = new Float32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const r = indices[i]!;
      x.set(standardised.subarray(r * cols, (r + 1) * cols), i * cols);
      target[i] = labels[r]!;
      weight[i] = labels[r] === 1 ? classWeight.positive : classWeight.negative;
    }
    return { x, target, weight, count: indices.length };
  };

  type Tensor = ReturnType<typeof tf.tensor>;
  const forward = (x: Tensor, masks: readonly (Tensor | null)[]): Tensor => {
    let h = x;
    variables.forEach(({ kernel, bias }, l) => {
      h = tf.add(tf.matMul(h, kernel), bias) as Tensor;
      if (l < variables.length - 1) {
        h = tf.relu(h) as Tensor;
        const mask = masks[l];
        if (mask) h = tf.mul(h, mask) as Tensor;
      }
    });
    return h;
  };
  // Weighted binary cross-entropy from logits: softplus(z) − y·z, stable for any z.
  const lossOf = (logits: Tensor, target: Tensor, weight: Tensor, withPenalty: boolean) => {
    const z = tf.reshape(logits, [-1]);
    const perRow = tf.sub(tf.softplus(z), tf.mul(target, z));
    let loss = tf.div(tf.sum(tf.mul(perRow, weight)), tf.sum(weight));
    if (withPenalty && l2 > 0) {
      for (const { kernel } of variables) loss = tf.add(loss, tf.mul(l2, tf.sum(tf.square(kernel))));
    }
    return loss as unknown as ReturnType<typeof tf.scalar>;
  };

  const validation = validationCount > 0 ? gather(validationRows) : undefined;
  const history: NeuralEpoch[] = [];
  let best = { loss: Number.POSITIVE_INFINITY, epoch: 0, weights: [] as Float32Array[] };
  let sinceBest = 0;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const shuffled = shuffleRng.shuffle(Array.from(trainingRows));
      let lossSum = 0;
      let weightSum = 0;
      for (let from = 0; from < shuffled.length; from += batchSize) {
        const batch = gather(shuffled.slice(from, from + batchSize));
        const maskValues = hidden.map((units) => {
          if (dropout === 0) return null;
          const values = new Float32Array(batch.count * units);
          const keep = 1 / (1 - dropout);
          for (let i = 0; i < values.length; i++) values[i] = dropoutRng.uniform() < dropout ? 0 : keep;
          return values;
        });
        const batchLoss = tf.tidy(() => {
          const x = tf.tensor2d(batch.x, [batch.count, cols]);
          const target = tf.tensor1d(batch.target);
          const weight = tf.tensor1d(batch.weight);
          const masks = maskValues.map((values, l) =>
            values === null ? null : tf.tensor2d(values, [batch.count, hidden[l]!]),
          );
          const cost = optimizer.minimize(
            () => lossOf(forward(x, masks), target, weight, true),
            true,
            trainable,
          );
          return cost === null ? 0 : cost.dataSync()[0]!;
        });
        let batchWeight = 0;
        for (let i = 0; i < batch.count; i++) batchWeight += batch.weight[i]!;
        lossSum += batchLoss * batchWeight;
        weightSum += batchWeight;
      }
      const record: { epoch: number; loss: number; validationLoss?: number } = {
        epoch,
        loss: lossSum / weightSum,
      };
      if (validation) {
        record.validationLoss = tf.tidy(() => {
          const x = tf.tensor2d(validation.x, [validation.count, cols]);
          return lossOf(
            forward(x, []),
            tf.tensor1d(validation.target),
            tf.tensor1d(validation.weight),
            false,
          ).dataSync()[0]!;
        });
      }
      history.push(record);
      options.onEpoch?.(record);
      const monitored = record.validationLoss ?? record.loss;
      if (patience === undefined || monitored < best.loss) {
        best = {
          loss: monitored,
          epoch,
          weights: trainable.map((variable) => variable.dataSync() as Float32Array),
        };
        sinceBest = 0;
      } else if (++sinceBest >= patience) {
        break;
      }
    }
  } finally {
    tf.env().set('PROD', wasProduction);
    optimizer.dispose();
    for (const variable of trainable) variable.dispose();
  }

  const layers: NeuralLayer[] = initial.map(({ units }, l) => ({
    units,
    activation: l < initial.length - 1 ? 'relu' : 'sigmoid',
    weights: Array.from(best.weights[2 * l]!),
    bias: Array.from(best.weights[2 * l + 1]!),
  }));
  return {
    kind: 'neural',
    version: 1,
    featureNames: [...names],
    inputMeans: Array.from(inputMeans),
    inputScales: Array.from(inputScales),
    layers,
    backend,
    seed,
    hidden: [...hidden],
    dropout,
    learningRate,
    batchSize,
    epochsRun: history.length,
    bestEpoch: best.epoch,
    history,
  };
}
