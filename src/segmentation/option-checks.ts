import { OptionError } from '../data/errors.js';

/** An explicit `undefined` must not override a default, so defaults are resolved here, not by spreading. */
export function withDefault<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

export function requireInteger(
  context: string,
  name: string,
  value: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`;
    throw new OptionError(context, name, `must be an integer ${range}, received ${String(value)}`);
  }
  return value;
}

export function requireNonNegative(context: string, name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new OptionError(context, name, `must be a finite non-negative number, received ${String(value)}`);
  }
  return value;
}

/** Validates per-row weights: one finite non-negative value per row, with a positive sum. */
export function toSampleWeights(
  context: string,
  weights: ArrayLike<number> | undefined,
  rows: number,
): Float64Array | undefined {
  if (weights === undefined) return undefined;
  if (weights.length !== rows) {
    throw new OptionError(
      context,
      'sampleWeight',
      `must have one weight per row (${rows}), received ${weights.length}`,
    );
  }
  const result = new Float64Array(rows);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const value = weights[i]!;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new OptionError(
        context,
        'sampleWeight',
        `must hold finite non-negative numbers; row ${i + 1} has ${String(value)}`,
      );
    }
    result[i] = value;
    total += value;
  }
  if (!(total > 0)) throw new OptionError(context, 'sampleWeight', 'must have a positive sum');
  return result;
}

/** Validates a label vector against the row count: integers, one per row. */
export function toLabelArray(
  context: string,
  labels: ArrayLike<number>,
  rows: number,
  name = 'labels',
): Int32Array {
  if (labels.length !== rows) {
    throw new OptionError(context, name, `must have one label per row (${rows}), received ${labels.length}`);
  }
  const result = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const value = labels[i]!;
    if (!Number.isInteger(value) || value < 0 || value > 2 ** 31 - 1) {
      throw new OptionError(
        context,
        name,
        `must hold non-negative integers; row ${i + 1} has ${String(value)}`,
      );
    }
    result[i] = value;
  }
  return result;
}
