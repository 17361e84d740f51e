import type { DenseMatrix } from '../data/dense-matrix.js';
import { DataError, OptionError } from '../data/errors.js';
import type { FeatureRow, FeatureSpec, FeatureValue, MissingValuePolicy } from './feature-row.js';

/** A fitted numeric feature. */
export interface EncodedNumericFeature {
  readonly name: string;
  readonly type: 'numeric';
  readonly transform: 'none' | 'log1p';
  readonly standardise: boolean;
  /** Training mean after the transform (the imputed value under `missing: 'impute'`). */
  readonly mean: number;
  /** Training standard deviation after the transform (n - 1 denominator; 1 when constant). */
  readonly standardDeviation: number;
  readonly missing: MissingValuePolicy;
}

/** A fitted categorical feature. */
export interface EncodedCategoricalFeature {
  readonly name: string;
  readonly type: 'categorical';
  /** Every training level, sorted; the reference is among them and has no column. */
  readonly levels: readonly string[];
  readonly reference: string;
  /** The most frequent training level (imputed under `missing: 'impute'`). */
  readonly mode: string;
  readonly missing: MissingValuePolicy;
  readonly unseen: 'error' | 'reference';
}

/** A fitted boolean feature. */
export interface EncodedBooleanFeature {
  readonly name: string;
  readonly type: 'boolean';
  /** The training majority (imputed under `missing: 'impute'`). */
  readonly majority: boolean;
  readonly missing: MissingValuePolicy;
}

/** A fitted feature. */
export type EncodedFeature = EncodedNumericFeature | EncodedCategoricalFeature | EncodedBooleanFeature;

/**
 * A fitted encoder: plain JSON, stored inside every churn model so that models score raw rows.
 * `columnMeans` and `columnStandardDeviations` describe the encoded training matrix (used by explanations).
 */
export interface FeatureEncoder {
  readonly kind: 'feature-encoder';
  readonly version: 1;
  readonly features: readonly EncodedFeature[];
  /** Model column names: `tenure`, `Contract=One year`, ... */
  readonly columns: readonly string[];
  /** For each column, the input feature it comes from (index into `features`). */
  readonly columnFeature: readonly number[];
  readonly columnMeans: readonly number[];
  readonly columnStandardDeviations: readonly number[];
}

/** What {@link encodeFeatures} returns. */
export interface EncodedFeatures {
  readonly matrix: DenseMatrix;
  readonly columns: readonly string[];
  readonly encoder: FeatureEncoder;
}

export function isMissing(value: FeatureValue): value is null | undefined | '' {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** Reads a number from a cell: numbers as they are, numeric strings parsed; anything else is `NaN`. */
export function parseNumber(value: FeatureValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' ? Number.NaN : Number(text);
  }
  return Number.NaN;
}

const trueWords = new Set(['true', 'yes', '1', 'y', 't']);
const falseWords = new Set(['false', 'no', '0', 'n', 'f']);

/** Reads a boolean from a cell, or `undefined` when it is not one. */
export function parseBoolean(value: FeatureValue): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (trueWords.has(word)) return true;
    if (falseWords.has(word)) return false;
  }
  return undefined;
}

export function levelOf(value: FeatureValue): string {
  return typeof value === 'string' ? value.trim() : String(value);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function numericValue(
  feature: { readonly name: string; readonly transform: 'none' | 'log1p' },
  raw: FeatureValue,
  row: number,
  context: string,
): number {
  const value = parseNumber(raw);
  if (!Number.isFinite(value)) {
    throw new DataError(context, [
      {
        row,
        column: feature.name,
        reason: `not a finite number: ${typeof raw === 'string' ? JSON.stringify(raw) : String(raw)}`,
      },
    ]);
  }
  if (feature.transform === 'log1p') {
    if (!(value > -1))
      throw new DataError(context, [
        { row, column: feature.name, reason: `log1p needs a value above -1, received ${value}` },
      ]);
    return Math.log1p(value);
  }
  return value;
}

function missingError(context: string, row: number, column: string): DataError {
  return new DataError(context, [
    {
      row,
      column,
      reason: "missing value (set missing: 'impute' on this feature to impute the training value)",
    },
  ]);
}

function validateSpec(spec: readonly FeatureSpec[], context: string): void {
  if (!Array.isArray(spec) || spec.length === 0)
    throw new OptionError(context, 'features', 'must be a non-empty array of feature specs');
  const seen = new Set<string>();
  spec.forEach((feature, index) => {
    if (typeof feature?.name !== 'string' || feature.name === '') {
      throw new OptionError(context, `features[${index}].name`, 'must be a non-empty string');
    }
    if (seen.has(feature.name))
      throw new OptionError(context, `features[${index}].name`, `repeats '${feature.name}'`);
    seen.add(feature.name);
    if (feature.type !== 'numeric' && feature.type !== 'categorical' && feature.type !== 'boolean') {
      throw new OptionError(
        context,
        `features[${index}].type`,
        `must be 'numeric', 'categorical' or 'boolean', received ${String((feature as { type?: unknown }).type)}`,
      );
    }
    const missing = feature.missing ?? 'error';
    if (missing !== 'error' && missing !== 'impute') {
      throw new OptionError(
        context,
        `features[${index}].missing`,
        `must be 'error' or 'impute', received ${String(missing)}`,
      );
    }
  });
}

/**
 * Fits an encoder on `rows` and encodes them: numeric features (optionally `log1p` and/or
 * standardised with the training mean and standard deviation), categorical features one-hot with the
 * reference level dropped (by default the first level in sorted order, which is what R's `factor()`
 * and treatment contrasts do), boolean features as 0/1. Missing values (`null`, `undefined`, blank)
 * raise a `DataError` naming row and column unless the feature says `missing: 'impute'`, in which
 * case the training mean / most frequent level / majority is used and recorded in the encoder.
 *
 * @example
 * const { matrix, columns } = encodeFeatures(
 *   [{ tenure: 1, contract: 'monthly' }, { tenure: 30, contract: 'yearly' }],
 *   [{ name: 'tenure', type: 'numeric' }, { name: 'contract', type: 'categorical' }],
 * );
 * columns; // => ['tenure', 'contract=yearly']
 * matrix.data; // => Float64Array [1, 0, 30, 1]
 */
export function encodeFeatures(rows: readonly FeatureRow[], spec: readonly FeatureSpec[]): EncodedFeatures {
  const context = 'encodeFeatures';
  validateSpec(spec, context);
  if (rows.length === 0) throw new OptionError(context, 'rows', 'must hold at least one row');
  const features: EncodedFeature[] = [];
  for (const feature of spec) {
    const missing = feature.missing ?? 'error';
    if (feature.type === 'numeric') {
      const transform = feature.transform ?? 'none';
      if (transform !== 'none' && transform !== 'log1p') {
        throw new OptionError(
          context,
          `${feature.name}.transform`,
          `must be 'none' or 'log1p', received ${String(transform)}`,
        );
      }
      let sum = 0;
      let count = 0;
      const values: number[] = [];
      rows.forEach((row, index) => {
        const raw = row[feature.name];
        if (isMissing(raw)) {
          if (missing === 'error') throw missingError(context, index + 1, feature.name);
          return;
        }
        const value = numericValue({ name: feature.name, transform }, raw, index + 1, context);
        values.push(value);
        sum += value;
        count++;
      });
      if (count === 0)
        throw new DataError(context, [{ row: 1, column: feature.name, reason: 'every value is missing' }]);
      const mean = sum / count;
      let squares = 0;
      for (const value of values) squares += (value - mean) ** 2;
      const deviation = count > 1 ? Math.sqrt(squares / (count - 1)) : 0;
      features.push({
        name: feature.name,
        type: 'numeric',
        transform,
        standardise: feature.standardise ?? false,
        mean,
        standardDeviation: deviation > 0 ? deviation : 1,
        missing,
      });
    } else if (feature.type === 'categorical') {
      const counts = new Map<string, number>();
      rows.forEach((row, index) => {
        const raw = row[feature.name];
        if (isMissing(raw)) {
          if (missing === 'error') throw missingError(context, index + 1, feature.name);
          return;
        }
        const level = levelOf(raw);
        counts.set(level, (counts.get(level) ?? 0) + 1);
      });
      if (counts.size === 0)
        throw new DataError(context, [{ row: 1, column: feature.name, reason: 'every value is missing' }]);
      const levels = [...counts.keys()].sort(compareText);
      const reference = feature.reference ?? levels[0]!;
      if (!counts.has(reference)) {
        throw new OptionError(
          context,
          `${feature.name}.reference`,
          `'${reference}' is not a level of the data (levels: ${levels.join(', ')})`,
        );
      }
      let mode = levels[0]!;
      for (const level of levels) if (counts.get(level)! > counts.get(mode)!) mode = level;
      const unseen = feature.unseen ?? 'error';
      if (unseen !== 'error' && unseen !== 'reference') {
        throw new OptionError(
          context,
          `${feature.name}.unseen`,
          `must be 'error' or 'reference', received ${String(unseen)}`,
        );
      }
      features.push({ name: feature.name, type: 'categorical', levels, reference, mode, missing, unseen });
    } else {
      let trues = 0;
      let count = 0;
      rows.forEach((row, index) => {
        const raw = row[feature.name];
        if (isMissing(raw)) {
          if (missing === 'error') throw missingError(context, index + 1, feature.name);
          return;
        }
        const value = parseBoolean(raw);
        if (value === undefined) {
          throw new DataError(context, [
            { row: index + 1, column: feature.name, reason: `not a boolean: ${JSON.stringify(raw)}` },
          ]);
        }
        if (value) trues++;
        count++;
      });
      if (count === 0)
        throw new DataError(context, [{ row: 1, column: feature.name, reason: 'every value is missing' }]);
      features.push({ name: feature.name, type: 'boolean', majority: trues * 2 > count, missing });
    }
  }
  const columns: string[] = [];
  const columnFeature: number[] = [];
  features.forEach((feature, index) => {
    if (feature.type === 'categorical') {
      for (const level of feature.levels) {
        if (level === feature.reference) continue;
        columns.push(`${feature.name}=${level}`);
        columnFeature.push(index);
      }
    } else {
      columns.push(feature.name);
      columnFeature.push(index);
    }
  });
  const draft: FeatureEncoder = {
    kind: 'feature-encoder',
    version: 1,
    features,
    columns,
    columnFeature,
    columnMeans: [],
    columnStandardDeviations: [],
  };
  const matrix = applyEncoder(draft, rows);
  const { rows: n, cols, data } = matrix;
  const means = new Float64Array(cols);
  for (let r = 0; r < n; r++) for (let c = 0; c < cols; c++) means[c]! += data[r * cols + c]!;
  for (let c = 0; c < cols; c++) means[c]! /= n;
  const squares = new Float64Array(cols);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < cols; c++) squares[c]! += (data[r * cols + c]! - means[c]!) ** 2;
  const encoder: FeatureEncoder = {
    ...draft,
    columnMeans: Array.from(means),
    columnStandardDeviations: Array.from(squares, (sum) => (n > 1 ? Math.sqrt(sum / (n - 1)) : 0)),
  };
  return { matrix, columns, encoder };
}

/**
 * Encodes rows with a fitted encoder (from {@link encodeFeatures} or a model's `encoder`), without
 * refitting anything. A level not seen in training raises a `DataError` naming row and column, or is
 * encoded as the reference level when the feature was declared with `unseen: 'reference'`.
 *
 * @example
 * const { encoder } = encodeFeatures([{ plan: 'a' }, { plan: 'b' }], [{ name: 'plan', type: 'categorical' }]);
 * applyEncoder(encoder, [{ plan: 'b' }]).data; // => Float64Array [1]
 */
export function applyEncoder(encoder: FeatureEncoder, rows: readonly FeatureRow[]): DenseMatrix {
  const context = 'applyEncoder';
  const cols = encoder.columns.length;
  const n = rows.length;
  const data = new Float64Array(n * cols);
  let offset = 0;
  for (const feature of encoder.features) {
    if (feature.type === 'numeric') {
      const scale = feature.standardise ? 1 / feature.standardDeviation : 1;
      const center = feature.standardise ? feature.mean : 0;
      for (let r = 0; r < n; r++) {
        const raw = rows[r]![feature.name];
        let value: number;
        if (isMissing(raw)) {
          if (feature.missing === 'error') throw missingError(context, r + 1, feature.name);
          value = feature.mean;
        } else {
          value = numericValue(feature, raw, r + 1, context);
        }
        data[r * cols + offset] = (value - center) * scale;
      }
      offset++;
    } else if (feature.type === 'boolean') {
      for (let r = 0; r < n; r++) {
        const raw = rows[r]![feature.name];
        let value: boolean | undefined;
        if (isMissing(raw)) {
          if (feature.missing === 'error') throw missingError(context, r + 1, feature.name);
          value = feature.majority;
        } else {
          value = parseBoolean(raw);
          if (value === undefined)
            throw new DataError(context, [
              { row: r + 1, column: feature.name, reason: `not a boolean: ${JSON.stringify(raw)}` },
            ]);
        }
        data[r * cols + offset] = value ? 1 : 0;
      }
      offset++;
    } else {
      const position = new Map<string, number>();
      let next = 0;
      for (const level of feature.levels) if (level !== feature.reference) position.set(level, next++);
      for (let r = 0; r < n; r++) {
        const raw = rows[r]![feature.name];
        let level: string;
        if (isMissing(raw)) {
          if (feature.missing === 'error') throw missingError(context, r + 1, feature.name);
          level = feature.mode;
        } else {
          level = levelOf(raw);
        }
        const at = position.get(level);
        if (at !== undefined) data[r * cols + offset + at] = 1;
        else if (level !== feature.reference && feature.unseen === 'error') {
          throw new DataError(context, [
            {
              row: r + 1,
              column: feature.name,
              reason: `level '${level}' was not seen in training (known: ${feature.levels.join(', ')}); declare unseen: 'reference' to score it as the reference level`,
            },
          ]);
        }
      }
      offset += next;
    }
  }
  return { data, rows: n, cols };
}
