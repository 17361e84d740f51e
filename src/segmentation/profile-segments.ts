import { type DenseMatrix, type NumericMatrixInput, toDenseMatrix } from '../data/dense-matrix.js';
import { DataError, OptionError, TelcoAnalyticsError } from '../data/errors.js';
import { requireInteger, requireNonNegative, toLabelArray, withDefault } from './option-checks.js';

/** Options of {@link profileSegments}. */
export interface ProfileSegmentsOptions {
  /**
   * Feature names: the keys to read when rows are objects (required then), the column names when rows
   * are a matrix. @defaultValue 'column 1', 'column 2', ... for a matrix
   */
  readonly features?: readonly string[] | undefined;
  /** A feature is called high or low in the description when |z| reaches this. @defaultValue 0.5 */
  readonly describeThreshold?: number | undefined;
  /** At most this many features in each description. @defaultValue 3 */
  readonly describeFeatures?: number | undefined;
}

/** One feature of one segment. */
export interface FeatureProfile {
  readonly feature: string;
  readonly mean: number;
  readonly median: number;
  /** (segment mean - population mean) / population standard deviation; 0 for a constant feature. */
  readonly zScore: number;
}

/** One segment's profile. */
export interface SegmentProfile {
  readonly segment: number;
  readonly size: number;
  /** Share of all rows, in [0, 1]. */
  readonly share: number;
  readonly features: readonly FeatureProfile[];
  /** The most distinctive features in words, e.g. 'high international share, low data mb per day'. */
  readonly description: string;
}

type FeatureRow = Readonly<Record<string, unknown>>;

function isRecordRows(rows: NumericMatrixInput | readonly FeatureRow[]): rows is readonly FeatureRow[] {
  return Array.isArray(rows) && rows.length > 0 && !Array.isArray(rows[0]);
}

function recordsToMatrix(rows: readonly FeatureRow[], features: readonly string[] | undefined): DenseMatrix {
  if (features === undefined || features.length === 0) {
    throw new OptionError(
      'profileSegments',
      'features',
      'must name the fields to profile when rows are objects',
    );
  }
  const cols = features.length;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => {
    features.forEach((feature, c) => {
      const value = row[feature];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new DataError('profileSegments', [
          { row: r + 1, column: feature, reason: `not a finite number: ${String(value)}` },
        ]);
      }
      data[r * cols + c] = value;
    });
  });
  return { data, rows: rows.length, cols };
}

/** camelCase and snake_case names in words: 'internationalShare' -> 'international share'. */
function inWords(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const middle = values.length >> 1;
  return values.length % 2 === 1 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2;
}

/**
 * Describes each segment: size, share, mean and median of every feature, its z-score against the
 * whole population, and a short description built from the features that stand out most
 * (|z| >= 0.5 by default), e.g. "high international minutes, low data". Profile the raw
 * (unscaled) features, so that means and medians are in their own units.
 *
 * @example
 * profileSegments([[1, 50], [2, 40], [30, 1], [28, 2]], [0, 0, 1, 1], { features: ['calls', 'dataMb'] })[1]!.description;
 * // => 'high calls, low data mb'
 */
export function profileSegments(
  rows: NumericMatrixInput | readonly FeatureRow[],
  labels: ArrayLike<number>,
  options: ProfileSegmentsOptions = {},
): SegmentProfile[] {
  const context = 'profileSegments';
  const matrix = isRecordRows(rows)
    ? recordsToMatrix(rows, options.features)
    : toDenseMatrix(rows, context, options.features);
  if (matrix.rows === 0) throw new TelcoAnalyticsError('EMPTY_INPUT', `${context}: no rows to profile`);
  const { data, rows: count, cols } = matrix;
  const names = options.features ?? Array.from({ length: cols }, (_, c) => `column ${c + 1}`);
  if (names.length !== cols)
    throw new OptionError(context, 'features', `has ${names.length} names for ${cols} columns`);
  const threshold = requireNonNegative(
    context,
    'describeThreshold',
    withDefault(options.describeThreshold, 0.5),
  );
  const describeCount = requireInteger(
    context,
    'describeFeatures',
    withDefault(options.describeFeatures, 3),
    0,
  );
  const segmentOf = toLabelArray(context, labels, count);
  const populationMean = new Float64Array(cols);
  const populationSd = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    let sum = 0;
    for (let r = 0; r < count; r++) sum += data[r * cols + c]!;
    const mean = sum / count;
    let squares = 0;
    for (let r = 0; r < count; r++) squares += (data[r * cols + c]! - mean) ** 2;
    populationMean[c] = mean;
    populationSd[c] = Math.sqrt(squares / count);
  }
  const members = new Map<number, number[]>();
  for (let r = 0; r < count; r++) {
    const list = members.get(segmentOf[r]!);
    if (list === undefined) members.set(segmentOf[r]!, [r]);
    else list.push(r);
  }
  return [...members.keys()]
    .sort((a, b) => a - b)
    .map((segment) => {
      const rowsOfSegment = members.get(segment)!;
      const features: FeatureProfile[] = names.map((feature, c) => {
        const values = rowsOfSegment.map((r) => data[r * cols + c]!);
        const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
        const sd = populationSd[c]!;
        const zScore = sd > 0 ? (mean - populationMean[c]!) / sd : 0;
        return { feature, mean, median: median(values), zScore };
      });
      const distinctive = features
        .filter((profile) => Math.abs(profile.zScore) >= threshold)
        .sort((a, b) => Math.abs(b.zScore) - Math.abs(a.zScore))
        .slice(0, describeCount);
      const description =
        distinctive.length === 0
          ? 'close to the population average'
          : distinctive
              .map((profile) => `${profile.zScore > 0 ? 'high' : 'low'} ${inWords(profile.feature)}`)
              .join(', ');
      return {
        segment,
        size: rowsOfSegment.length,
        share: rowsOfSegment.length / count,
        features,
        description,
      };
    });
}
