import { type DenseMatrix, type NumericMatrixInput, toDenseMatrix } from '../data/dense-matrix.js';
import { DataError, OptionError, TelcoAnalyticsError } from '../data/errors.js';

/** How {@link fitScaler} centres and scales each column. */
export type ScalingMethod = 'standard' | 'robust' | 'minmax';

/**
 * A fitted scaler: plain versioned JSON. Each column is first `log1p`-transformed when listed in
 * `log1p`, then mapped to `(value - center) / scale`. A constant column gets `scale` 1, so it becomes
 * 0 rather than a division by zero.
 */
export interface FeatureScaler {
  readonly kind: 'scaler';
  readonly version: 1;
  readonly method: ScalingMethod;
  /** Number of columns. */
  readonly columns: number;
  readonly featureNames?: readonly string[];
  /** 0-based indexes of the columns transformed with `log1p` before scaling. */
  readonly log1p: readonly number[];
  readonly center: readonly number[];
  readonly scale: readonly number[];
}

/** Options of {@link fitScaler}. */
export interface FitScalerOptions {
  /**
   * Columns (0-based indexes, or names from `featureNames`) to transform with `log1p` before scaling.
   * Usage counts, minutes and megabytes are heavy-tailed: a few subscribers use a hundred times the
   * median, and without `log1p` they dominate the distances and get segments of their own.
   * @defaultValue []
   */
  readonly log1p?: readonly (number | string)[] | undefined;
  /** Column names, for `log1p` by name and for error messages. @defaultValue none ('column N') */
  readonly featureNames?: readonly string[] | undefined;
}

function columnLabel(scaler: { featureNames?: readonly string[] | undefined }, column: number): string {
  return scaler.featureNames?.[column] ?? `column ${column + 1}`;
}

function resolveLogColumns(
  context: string,
  requested: readonly (number | string)[],
  cols: number,
  names?: readonly string[],
): number[] {
  const result = new Set<number>();
  for (const entry of requested) {
    const index = typeof entry === 'number' ? entry : (names?.indexOf(entry) ?? -1);
    if (!Number.isInteger(index) || index < 0 || index >= cols) {
      throw new OptionError(
        context,
        'log1p',
        `names an unknown column: ${JSON.stringify(entry)} (columns: ${names?.join(', ') ?? `0..${cols - 1}`})`,
      );
    }
    result.add(index);
  }
  return [...result].sort((a, b) => a - b);
}

/** The matrix after the log1p step, checked for values log1p cannot take. */
function logTransformed(
  matrix: DenseMatrix,
  logColumns: readonly number[],
  context: string,
  names?: readonly string[],
): Float64Array {
  const data = Float64Array.from(matrix.data);
  const { rows, cols } = matrix;
  for (const column of logColumns) {
    for (let r = 0; r < rows; r++) {
      const value = data[r * cols + column]!;
      if (!(value > -1)) {
        throw new DataError(context, [
          {
            row: r + 1,
            column: names?.[column] ?? `column ${column + 1}`,
            reason: `log1p needs a value above -1, received ${value}`,
          },
        ]);
      }
      data[r * cols + column] = Math.log1p(value);
    }
  }
  return data;
}

/** numpy's default (linear) percentile of a sorted array. */
function percentile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/**
 * Fits a per-column scaler: `'standard'` (mean and population standard deviation, as scikit-learn's
 * StandardScaler), `'robust'` (median and interquartile range, as RobustScaler) or `'minmax'` (to
 * [0, 1]). Scale before k-means: it compares squared distances, so a column in megabytes would
 * otherwise outweigh one in shares. Zero-variance columns are left centred, never divided by zero.
 *
 * @example
 * const scaler = fitScaler([[1, 100], [3, 10_000]], 'standard', { log1p: [1] });
 * applyScaler(scaler, [[2, 1000]]).data; // => Float64Array [0, -0.00175...]
 */
export function fitScaler(
  data: NumericMatrixInput,
  method: ScalingMethod = 'standard',
  options: FitScalerOptions = {},
): FeatureScaler {
  const context = 'fitScaler';
  if (method !== 'standard' && method !== 'robust' && method !== 'minmax') {
    throw new OptionError(
      context,
      'method',
      `must be 'standard', 'robust' or 'minmax', received ${JSON.stringify(method)}`,
    );
  }
  const names = options.featureNames;
  const matrix = toDenseMatrix(data, context, names);
  if (matrix.rows === 0) throw new TelcoAnalyticsError('EMPTY_INPUT', `${context}: no rows to fit on`);
  const { rows, cols } = matrix;
  if (names !== undefined && names.length !== cols) {
    throw new OptionError(context, 'featureNames', `has ${names.length} names for ${cols} columns`);
  }
  const logColumns = resolveLogColumns(context, options.log1p ?? [], cols, names);
  const values = logTransformed(matrix, logColumns, context, names);
  const center: number[] = [];
  const scale: number[] = [];
  const column = new Float64Array(rows);
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) column[r] = values[r * cols + c]!;
    let middle: number;
    let spread: number;
    if (method === 'standard') {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += column[r]!;
      middle = sum / rows;
      let squares = 0;
      for (let r = 0; r < rows; r++) squares += (column[r]! - middle) ** 2;
      spread = Math.sqrt(squares / rows);
    } else {
      column.sort();
      if (method === 'robust') {
        middle = percentile(column, 0.5);
        spread = percentile(column, 0.75) - percentile(column, 0.25);
      } else {
        middle = column[0]!;
        spread = column[rows - 1]! - middle;
      }
    }
    center.push(middle);
    // scikit-learn's rule: a scale too small to divide by safely is replaced by 1.
    scale.push(spread < 10 * Number.EPSILON * Math.max(1, Math.abs(middle)) ? 1 : spread);
  }
  return {
    kind: 'scaler',
    version: 1,
    method,
    columns: cols,
    ...(names === undefined ? {} : { featureNames: [...names] }),
    log1p: logColumns,
    center,
    scale,
  };
}

/** Checks that a value (typically parsed JSON) is a usable {@link FeatureScaler}. */
export function checkScaler(scaler: FeatureScaler, context: string): void {
  const ok =
    scaler !== null &&
    typeof scaler === 'object' &&
    scaler.kind === 'scaler' &&
    scaler.version === 1 &&
    Array.isArray(scaler.center) &&
    Array.isArray(scaler.scale) &&
    Array.isArray(scaler.log1p) &&
    scaler.center.length === scaler.columns &&
    scaler.scale.length === scaler.columns &&
    scaler.scale.every((value) => Number.isFinite(value) && value !== 0) &&
    scaler.center.every(Number.isFinite);
  if (!ok)
    throw new TelcoAnalyticsError('INVALID_MODEL', `${context}: not a version-1 scaler from fitScaler`);
}

function checkWidth(scaler: FeatureScaler, matrix: DenseMatrix, context: string): void {
  if (matrix.rows > 0 && matrix.cols !== scaler.columns) {
    throw new DataError(context, [
      {
        row: 1,
        column: columnLabel(scaler, Math.min(matrix.cols, scaler.columns)),
        reason: `has ${matrix.cols} columns, the scaler expects ${scaler.columns}`,
      },
    ]);
  }
}

/**
 * Scales rows with a fitted scaler (log1p where configured, then centre and scale). Returns a new
 * row-major matrix; the input is not touched.
 *
 * @example
 * const scaler = fitScaler([[0], [10]], 'minmax');
 * applyScaler(scaler, [[5]]).data; // => Float64Array [0.5]
 */
export function applyScaler(scaler: FeatureScaler, data: NumericMatrixInput): DenseMatrix {
  const context = 'applyScaler';
  checkScaler(scaler, context);
  const matrix = toDenseMatrix(data, context, scaler.featureNames);
  checkWidth(scaler, matrix, context);
  const values = logTransformed(matrix, scaler.log1p, context, scaler.featureNames);
  const { rows, cols } = matrix;
  for (let c = 0; c < cols; c++) {
    const center = scaler.center[c]!;
    const scale = scaler.scale[c]!;
    for (let r = 0; r < rows; r++) values[r * cols + c] = (values[r * cols + c]! - center) / scale;
  }
  return { data: values, rows, cols };
}

/**
 * Maps scaled rows (centroids, typically) back to the original units: unscale, then `expm1` on the
 * log1p columns.
 *
 * @example
 * const scaler = fitScaler([[0], [10]], 'minmax');
 * invertScaler(scaler, [[0.5]]).data; // => Float64Array [5]
 */
export function invertScaler(scaler: FeatureScaler, data: NumericMatrixInput): DenseMatrix {
  const context = 'invertScaler';
  checkScaler(scaler, context);
  const matrix = toDenseMatrix(data, context, scaler.featureNames);
  checkWidth(scaler, matrix, context);
  const { rows, cols } = matrix;
  const values = new Float64Array(rows * cols);
  const logColumns = new Set(scaler.log1p);
  for (let c = 0; c < cols; c++) {
    const center = scaler.center[c]!;
    const scale = scaler.scale[c]!;
    const log = logColumns.has(c);
    for (let r = 0; r < rows; r++) {
      const value = matrix.data[r * cols + c]! * scale + center;
      values[r * cols + c] = log ? Math.expm1(value) : value;
    }
  }
  return { data: values, rows, cols };
}
