/** One dense layer of a fitted neural model; `weights` is row-major inputs x units. */
export interface NeuralLayer {
  readonly units: number;
  readonly activation: 'relu' | 'sigmoid';
  readonly weights: readonly number[];
  readonly bias: readonly number[];
}

/** One epoch of training. */
export interface NeuralEpoch {
  readonly epoch: number;
  /** Mean (class-weighted) binary cross-entropy over the training rows of the epoch. */
  readonly loss: number;
  /** The same on the validation rows, when `validationSplit` > 0. */
  readonly validationLoss?: number;
}

/** The TensorFlow.js backend that trained a model. */
export type NeuralBackend = 'tensorflow' | 'wasm' | 'cpu';

/** A fitted feed-forward network: plain JSON, scored without TensorFlow.js. */
export interface NeuralModel {
  readonly kind: 'neural';
  readonly version: 1;
  readonly featureNames: readonly string[];
  /** Inputs are standardised with these before the first layer (training mean and standard deviation). */
  readonly inputMeans: readonly number[];
  readonly inputScales: readonly number[];
  readonly layers: readonly NeuralLayer[];
  readonly backend: NeuralBackend;
  readonly seed: number;
  readonly hidden: readonly number[];
  readonly dropout: number;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly epochsRun: number;
  /** The epoch whose weights were kept (the best validation loss under early stopping, else the last). */
  readonly bestEpoch: number;
  readonly history: readonly NeuralEpoch[];
}

/**
 * Forward pass in double precision over a row-major matrix: the same network TensorFlow.js trained
 * (it computes in float32, so probabilities agree to about 1e-6), without loading TensorFlow.js.
 */
export function neuralLogits(
  model: NeuralModel,
  data: Float64Array,
  rows: number,
  cols: number,
): Float64Array {
  const logits = new Float64Array(rows);
  const widest = Math.max(cols, ...model.layers.map((layer) => layer.units));
  let input = new Float64Array(widest);
  let output = new Float64Array(widest);
  // Weights transposed to units x inputs, so each unit is a dot product accumulated in a register.
  let fanIn = cols;
  const layers = model.layers.map((layer) => {
    const transposed = new Float64Array(layer.units * fanIn);
    for (let i = 0; i < fanIn; i++) {
      for (let u = 0; u < layer.units; u++) transposed[u * fanIn + i] = layer.weights[i * layer.units + u]!;
    }
    const compiled = {
      units: layer.units,
      fanIn,
      relu: layer.activation === 'relu',
      weights: transposed,
      bias: Float64Array.from(layer.bias),
    };
    fanIn = layer.units;
    return compiled;
  });
  const means = Float64Array.from(model.inputMeans);
  const scales = Float64Array.from(model.inputScales);
  const last = layers.length - 1;
  // Four rows at a time: each weight loaded serves four rows, and four independent sums keep the
  // floating-point adder busy instead of waiting on one long dependency chain (about three times
  // faster). Every row's sums run in the same order as one row at a time: identical results.
  let input4 = new Float64Array(4 * widest);
  let output4 = new Float64Array(4 * widest);
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    for (let k = 0; k < 4; k++) {
      const base = (r + k) * cols;
      for (let c = 0; c < cols; c++) input4[k * widest + c] = (data[base + c]! - means[c]!) / scales[c]!;
    }
    for (let l = 0; l <= last; l++) {
      const { units, fanIn: width, relu, weights, bias } = layers[l]!;
      const clamp = relu && l < last;
      for (let u = 0; u < units; u++) {
        let sum0 = bias[u]!;
        let sum1 = sum0;
        let sum2 = sum0;
        let sum3 = sum0;
        const offset = u * width;
        for (let i = 0; i < width; i++) {
          const weight = weights[offset + i]!;
          sum0 += input4[i]! * weight;
          sum1 += input4[widest + i]! * weight;
          sum2 += input4[2 * widest + i]! * weight;
          sum3 += input4[3 * widest + i]! * weight;
        }
        output4[u] = clamp && sum0 < 0 ? 0 : sum0;
        output4[widest + u] = clamp && sum1 < 0 ? 0 : sum1;
        output4[2 * widest + u] = clamp && sum2 < 0 ? 0 : sum2;
        output4[3 * widest + u] = clamp && sum3 < 0 ? 0 : sum3;
      }
      const swap = input4;
      input4 = output4;
      output4 = swap;
    }
    logits[r] = input4[0]!;
    logits[r + 1] = input4[widest]!;
    logits[r + 2] = input4[2 * widest]!;
    logits[r + 3] = input4[3 * widest]!;
  }
  for (; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) input[c] = (data[base + c]! - means[c]!) / scales[c]!;
    for (let l = 0; l <= last; l++) {
      const { units, fanIn: width, relu, weights, bias } = layers[l]!;
      for (let u = 0; u < units; u++) {
        let sum = bias[u]!;
        const offset = u * width;
        for (let i = 0; i < width; i++) sum += input[i]! * weights[offset + i]!;
        output[u] = relu && l < last && sum < 0 ? 0 : sum;
      }
      const swap = input;
      input = output;
      output = swap;
    }
    logits[r] = input[0]!;
  }
  return logits;
}
