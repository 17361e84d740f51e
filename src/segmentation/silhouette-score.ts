import type { NumericMatrixInput } from '../data/dense-matrix.js';
import { createRng } from '../data/random.js';
import { compactLabels, requireClusterCount } from './cluster-labels.js';
import { prepareMatrix } from './kmeans.js';
import { requireInteger, withDefault } from './option-checks.js';
import { squaredDistanceFor } from './squared-distance.js';

/** Options of {@link silhouetteScore}. */
export interface SilhouetteOptions {
  /**
   * Above this many rows the score is computed on a seeded random sample of this many rows (the exact
   * score costs rows² distances). @defaultValue 10000
   */
  readonly sampleSize?: number | undefined;
  /** Seed of the sample. @defaultValue 0 */
  readonly seed?: number | undefined;
}

/**
 * Mean silhouette coefficient (Rousseeuw 1987) over rows, in [-1, 1]: for each row, `(b - a) / max(a, b)`
 * with `a` its mean Euclidean distance to its own segment and `b` to the nearest other segment; 0 for a
 * row alone in its segment. Higher is better. Exact up to `sampleSize` rows (matches scikit-learn's
 * `silhouette_score`), a seeded sample above.
 *
 * @example
 * silhouetteScore([[0], [2], [10], [12]], [0, 0, 1, 1]); // => 0.798 ((9/11 + 7/9) / 2, worked by hand)
 */
export function silhouetteScore(
  data: NumericMatrixInput,
  labels: ArrayLike<number>,
  options: SilhouetteOptions = {},
): number {
  const context = 'silhouetteScore';
  const matrix = prepareMatrix(data, context);
  const sampleSize = requireInteger(context, 'sampleSize', withDefault(options.sampleSize, 10_000), 2);
  const all = compactLabels(context, labels, matrix.rows);
  requireClusterCount(context, all.count, matrix.rows);
  const { cols } = matrix;
  const squaredDistance = squaredDistanceFor(cols);
  let rows = matrix.rows;
  let values = matrix.data;
  let sampledLabels: ArrayLike<number> = all.labels;
  if (rows > sampleSize) {
    const order = createRng(withDefault(options.seed, 0)).permutation(rows).subarray(0, sampleSize);
    values = new Float64Array(sampleSize * cols);
    const picked = new Int32Array(sampleSize);
    order.forEach((row, index) => {
      values.set(matrix.data.subarray(row * cols, row * cols + cols), index * cols);
      picked[index] = all.labels[row]!;
    });
    rows = sampleSize;
    sampledLabels = picked;
  }
  const compact = compactLabels(context, sampledLabels, rows);
  requireClusterCount(context, compact.count, rows);
  const count = compact.count;
  // Sum of distances from every row to every segment, filled pairwise (each pair computed once).
  const sums = new Float64Array(rows * count);
  const label = compact.labels;
  for (let i = 0; i < rows; i++) {
    const a = i * cols;
    const labelI = label[i]!;
    for (let j = i + 1; j < rows; j++) {
      const distance = Math.sqrt(squaredDistance(values, a, values, j * cols));
      sums[i * count + label[j]!]! += distance;
      sums[j * count + labelI]! += distance;
    }
  }
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const own = label[i]!;
    const ownSize = compact.sizes[own]!;
    if (ownSize <= 1) continue;
    const a = sums[i * count + own]! / (ownSize - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let j = 0; j < count; j++) {
      if (j !== own) b = Math.min(b, sums[i * count + j]! / compact.sizes[j]!);
    }
    const denominator = Math.max(a, b);
    total += denominator === 0 ? 0 : (b - a) / denominator;
  }
  return total / rows;
}
