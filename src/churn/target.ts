import { DataError, OptionError } from '../data/errors.js';
import { parseBoolean } from './encode-features.js';
import type { FeatureValue } from './feature-row.js';

/** Class weights: `'balanced'` gives each class n / (2·n_class), as scikit-learn does. */
export type ClassWeightOption = 'balanced' | { readonly negative: number; readonly positive: number };

/**
 * Reads a binary target into 0/1 bytes. Accepts 0/1, booleans and (from rows) the words yes/no,
 * true/false (any case); anything else is a `DataError` naming the row. A target with one class only
 * is an error too: no model can be fitted to it.
 */
export function readTarget(
  values: ArrayLike<FeatureValue>,
  rows: number,
  context: string,
  column = 'target',
): Uint8Array {
  if (values.length !== rows) {
    throw new OptionError(context, 'y', `has ${values.length} values for ${rows} rows`);
  }
  const labels = new Uint8Array(rows);
  let positives = 0;
  // A typed array holds numbers only: compare them directly instead of parsing each (a million
  // labels in a millisecond); any other value falls through to the loop below, which names the row.
  if (ArrayBuffer.isView(values)) {
    const numbers = values as ArrayLike<number>;
    let i = 0;
    for (; i < rows; i++) {
      const value = numbers[i]!;
      if (value !== 0 && value !== 1) break;
      labels[i] = value;
      positives += value;
    }
    if (i === rows) return checkBothClasses(labels, positives, rows, context, column);
    positives = 0;
  }
  for (let i = 0; i < rows; i++) {
    const value = parseBoolean(values[i]);
    if (value === undefined) {
      throw new DataError(context, [
        {
          row: i + 1,
          column,
          reason: `target must be binary (0/1, true/false, yes/no), received ${JSON.stringify(values[i]) ?? String(values[i])}`,
        },
      ]);
    }
    labels[i] = value ? 1 : 0;
    positives += labels[i]!;
  }
  return checkBothClasses(labels, positives, rows, context, column);
}

function checkBothClasses(
  labels: Uint8Array,
  positives: number,
  rows: number,
  context: string,
  column: string,
): Uint8Array {
  if (rows === 0) throw new OptionError(context, 'y', 'is empty');
  if (positives === 0 || positives === rows) {
    throw new DataError(context, [
      {
        row: 1,
        column,
        reason: `target has a single class (every one of ${rows} rows is ${positives === 0 ? 0 : 1}); a churn model needs both churners and stayers`,
      },
    ]);
  }
  return labels;
}

export function resolveClassWeight(
  option: ClassWeightOption | undefined,
  labels: Uint8Array,
  context: string,
): { negative: number; positive: number } {
  if (option === undefined) return { negative: 1, positive: 1 };
  if (option === 'balanced') {
    let positives = 0;
    for (let i = 0; i < labels.length; i++) positives += labels[i]!;
    return {
      negative: labels.length / (2 * (labels.length - positives)),
      positive: labels.length / (2 * positives),
    };
  }
  const { negative, positive } = option;
  if (!(negative > 0) || !(positive > 0) || !Number.isFinite(negative) || !Number.isFinite(positive)) {
    throw new OptionError(
      context,
      'classWeight',
      `must be 'balanced' or { negative, positive } with positive finite weights`,
    );
  }
  return { negative, positive };
}
