import { TelcoAnalyticsError } from '../data/errors.js';
import type { ChurnModel } from './churn-model.js';

const fileFormat = 'telco-analytics/churn-model';

/**
 * Serialises a churn model to JSON: the versioned schema with the encoder, the fitted model, its
 * backend (neural) and training metadata. No timestamps or host details go in, so the same data,
 * options and seed give a byte-identical file.
 *
 * @example
 * const json = saveModel(model);
 * loadModel(json).model.kind; // => 'logistic'
 */
export function saveModel(model: ChurnModel): string {
  return `${JSON.stringify({ format: fileFormat, ...model }, null, 2)}\n`;
}

function invalid(problem: string): TelcoAnalyticsError {
  return new TelcoAnalyticsError('INVALID_MODEL', `loadModel: ${problem}`);
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finiteArray(value: unknown, length: number | undefined, where: string): number[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'number' || !Number.isFinite(item))) {
    throw invalid(`${where} must be an array of finite numbers`);
  }
  if (length !== undefined && value.length !== length)
    throw invalid(`${where} has ${value.length} values, expected ${length}`);
  return value as number[];
}

function finite(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`${where} must be a finite number`);
  return value;
}

function checkEncoder(encoder: unknown): number {
  if (!isObject(encoder) || encoder.kind !== 'feature-encoder')
    throw invalid("'encoder' is missing or not a feature encoder");
  if (encoder.version !== 1)
    throw invalid(`encoder version ${String(encoder.version)} is not supported (expected 1)`);
  const { features, columns } = encoder;
  if (!Array.isArray(features) || features.length === 0)
    throw invalid("'encoder.features' must be a non-empty array");
  let expected = 0;
  features.forEach((feature: unknown, i) => {
    if (!isObject(feature) || typeof feature.name !== 'string')
      throw invalid(`encoder.features[${i}] has no name`);
    if (feature.type === 'numeric') {
      finite(feature.mean, `encoder.features[${i}].mean`);
      if (!(finite(feature.standardDeviation, `encoder.features[${i}].standardDeviation`) > 0)) {
        throw invalid(`encoder.features[${i}].standardDeviation must be positive`);
      }
      if (feature.transform !== 'none' && feature.transform !== 'log1p')
        throw invalid(`encoder.features[${i}].transform is unknown`);
      expected++;
    } else if (feature.type === 'boolean') {
      if (typeof feature.majority !== 'boolean')
        throw invalid(`encoder.features[${i}].majority must be a boolean`);
      expected++;
    } else if (feature.type === 'categorical') {
      const { levels, reference } = feature;
      if (
        !Array.isArray(levels) ||
        levels.some((level) => typeof level !== 'string') ||
        !levels.includes(reference)
      ) {
        throw invalid(`encoder.features[${i}] levels must be strings including the reference`);
      }
      expected += levels.length - 1;
    } else {
      throw invalid(`encoder.features[${i}].type ${String(feature.type)} is unknown`);
    }
    if (feature.missing !== 'error' && feature.missing !== 'impute')
      throw invalid(`encoder.features[${i}].missing is unknown`);
  });
  if (!Array.isArray(columns) || columns.length !== expected)
    throw invalid(`encoder.columns must list ${expected} columns`);
  finiteArray(encoder.columnMeans, expected, 'encoder.columnMeans');
  finiteArray(encoder.columnStandardDeviations, expected, 'encoder.columnStandardDeviations');
  if (!Array.isArray(encoder.columnFeature) || encoder.columnFeature.length !== expected)
    throw invalid('encoder.columnFeature has the wrong length');
  return expected;
}

function checkModel(model: unknown, columns: number): void {
  if (!isObject(model)) throw invalid("'model' is missing");
  if (model.version !== 1)
    throw invalid(`model version ${String(model.version)} is not supported (expected 1)`);
  if (!Array.isArray(model.featureNames) || model.featureNames.length !== columns)
    throw invalid(`model.featureNames must list ${columns} columns`);
  if (model.kind === 'logistic') {
    const coefficients = model.coefficients;
    if (!Array.isArray(coefficients) || coefficients.length !== columns)
      throw invalid(`model.coefficients must hold ${columns} coefficients`);
    if (!isObject(model.intercept)) throw invalid('model.intercept is missing');
    finite(model.intercept.estimate, 'model.intercept.estimate');
    coefficients.forEach((coefficient: unknown, i) => {
      if (!isObject(coefficient)) throw invalid(`model.coefficients[${i}] is not an object`);
      finite(coefficient.estimate, `model.coefficients[${i}].estimate`);
    });
    return;
  }
  if (model.kind === 'neural') {
    finiteArray(model.inputMeans, columns, 'model.inputMeans');
    finiteArray(model.inputScales, columns, 'model.inputScales');
    const layers = model.layers;
    if (!Array.isArray(layers) || layers.length === 0)
      throw invalid('model.layers must be a non-empty array');
    let inputs = columns;
    layers.forEach((layer: unknown, l) => {
      if (!isObject(layer) || !Number.isInteger(layer.units) || (layer.units as number) < 1)
        throw invalid(`model.layers[${l}].units must be a positive integer`);
      const units = layer.units as number;
      if (layer.activation !== (l === layers.length - 1 ? 'sigmoid' : 'relu'))
        throw invalid(`model.layers[${l}].activation is unexpected`);
      finiteArray(layer.weights, inputs * units, `model.layers[${l}].weights`);
      finiteArray(layer.bias, units, `model.layers[${l}].bias`);
      inputs = units;
    });
    if (inputs !== 1) throw invalid('the last layer must have one unit');
    return;
  }
  throw invalid(`model.kind ${String(model.kind)} is unknown (expected 'logistic' or 'neural')`);
}

/**
 * Reads a model written by {@link saveModel}. A file of another format or version, or one whose
 * shape was tampered with (missing fields, arrays of the wrong length, non-finite numbers), raises a
 * `TelcoAnalyticsError` with code `INVALID_MODEL` saying what is wrong.
 *
 * @example
 * const model = loadModel(readFileSync('model.json', 'utf8'));
 * predictChurn(model, rows);
 */
export function loadModel(json: string): ChurnModel {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new TelcoAnalyticsError(
      'INVALID_MODEL',
      `loadModel: not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (!isObject(parsed) || parsed.format !== fileFormat || parsed.kind !== 'churn-model') {
    throw invalid(`not a churn model file (expected format '${fileFormat}')`);
  }
  if (parsed.version !== 1)
    throw invalid(
      `file version ${String(parsed.version)} is not supported by this telco-analytics (it reads version 1)`,
    );
  if (typeof parsed.target !== 'string') throw invalid("'target' must be a string");
  const columns = checkEncoder(parsed.encoder);
  checkModel(parsed.model, columns);
  const { format: _format, ...model } = parsed;
  return model as unknown as ChurnModel;
}
