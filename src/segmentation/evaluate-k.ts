import type { NumericMatrixInput } from '../data/dense-matrix.js';
import { OptionError } from '../data/errors.js';
import { calinskiHarabaszScore } from './calinski-harabasz-score.js';
import { daviesBouldinScore } from './davies-bouldin-score.js';
import { kmeans, prepareMatrix } from './kmeans.js';
import { requireInteger, withDefault } from './option-checks.js';
import { silhouetteScore } from './silhouette-score.js';

/** Options of {@link evaluateK}. */
export interface EvaluateKOptions {
  /** Smallest k tried. @defaultValue 2 */
  readonly kMin?: number | undefined;
  /** Largest k tried (capped at rows - 1). @defaultValue 10 */
  readonly kMax?: number | undefined;
  /** Seed of the k-means runs and of the silhouette sample. @defaultValue 0 */
  readonly seed?: number | undefined;
  /** k-means initialisations per k. @defaultValue 10 */
  readonly nInit?: number | undefined;
  /** Rows above which the silhouette is computed on a seeded sample of this size. @defaultValue 10000 */
  readonly silhouetteSampleSize?: number | undefined;
}

/** The scores of one k. */
export interface KEvaluation {
  readonly k: number;
  /** Within-segment sum of squares (lower is tighter; always falls as k grows). */
  readonly inertia: number;
  /** Mean silhouette in [-1, 1] (higher is better). */
  readonly silhouette: number;
  /** Calinski–Harabasz index (higher is better). */
  readonly calinskiHarabasz: number;
  /** Davies–Bouldin index (lower is better). */
  readonly daviesBouldin: number;
  /** `true` when k-means produced fewer than k distinct segments (duplicate rows). */
  readonly degenerate: boolean;
}

/**
 * Runs k-means for every k in `kMin..kMax` and scores each result: inertia, silhouette (exact up to
 * 10,000 rows, a seeded sample above), Calinski–Harabasz and Davies–Bouldin. The rows are
 * `console.table`-friendly; pass them to {@link suggestK} for a recommendation.
 *
 * @example
 * const rows = evaluateK(features, { kMin: 2, kMax: 8, seed: 42 });
 * console.table(rows); // one row per k: inertia, silhouette, calinskiHarabasz, daviesBouldin
 */
export function evaluateK(data: NumericMatrixInput, options: EvaluateKOptions = {}): KEvaluation[] {
  const context = 'evaluateK';
  const matrix = prepareMatrix(data, context);
  const kMin = requireInteger(context, 'kMin', withDefault(options.kMin, 2), 2);
  const kMax = Math.min(requireInteger(context, 'kMax', withDefault(options.kMax, 10), 2), matrix.rows - 1);
  if (kMax < kMin) {
    throw new OptionError(
      context,
      'kMax',
      `must be at least kMin (${kMin}) and below the number of rows (${matrix.rows})`,
    );
  }
  const seed = withDefault(options.seed, 0);
  const nInit = withDefault(options.nInit, 10);
  const sampleSize = withDefault(options.silhouetteSampleSize, 10_000);
  const results: KEvaluation[] = [];
  for (let k = kMin; k <= kMax; k++) {
    const fit = kmeans(matrix, { k, seed, nInit });
    const distinct = new Set(fit.labels).size;
    const scorable = distinct >= 2 && distinct <= matrix.rows - 1;
    results.push({
      k,
      inertia: fit.inertia,
      silhouette: scorable ? silhouetteScore(matrix, fit.labels, { sampleSize, seed }) : Number.NaN,
      calinskiHarabasz: scorable ? calinskiHarabaszScore(matrix, fit.labels) : Number.NaN,
      daviesBouldin: scorable ? daviesBouldinScore(matrix, fit.labels) : Number.NaN,
      degenerate: distinct < k,
    });
  }
  return results;
}
