import { type DenseMatrix, type NumericMatrixInput, toDenseMatrix } from '../data/dense-matrix.js';
import { TelcoAnalyticsError } from '../data/errors.js';
import { applyScaler, checkScaler, type FeatureScaler } from './feature-scaler.js';
import { assignAll } from './lloyd-iterations.js';

/**
 * A fitted segmentation: plain versioned JSON (`JSON.stringify` / `JSON.parse` round-trip it), holding
 * the centroids in the space the model was fitted in. When `scaler` is present, {@link predictSegment}
 * scales raw rows with it first, so a model fitted on scaled features predicts from raw ones.
 */
export interface SegmentModel {
  readonly kind: 'kmeans';
  readonly version: 1;
  /** Number of segments. */
  readonly k: number;
  /** Number of features per row. */
  readonly features: number;
  /** Feature names, when the caller gave them. */
  readonly featureNames?: readonly string[];
  /** `k` rows of `features` values. */
  readonly centroids: readonly (readonly number[])[];
  /**
   * Weighted sum of squared distances of the training rows to their centroid (for a model fitted by
   * `miniBatchKMeans` on a stream, an estimate from the smoothed batch inertia).
   */
  readonly inertia: number;
  /** Seed the model was fitted with (`null` when fitted from explicit centroids only). */
  readonly seed: number | null;
  /** Scaler applied to raw rows before the centroids are compared. */
  readonly scaler?: FeatureScaler;
}

/** Checks that a value (typically parsed JSON) is a usable {@link SegmentModel}. */
export function checkSegmentModel(model: SegmentModel, context: string): void {
  const bad = (problem: string): never => {
    throw new TelcoAnalyticsError('INVALID_MODEL', `${context}: the model ${problem}`);
  };
  if (model === null || typeof model !== 'object') bad('is not an object');
  if (model.kind !== 'kmeans') bad(`has kind '${String(model.kind)}', expected 'kmeans'`);
  if (model.version !== 1) bad(`has version ${String(model.version)}; this package reads version 1`);
  if (!Array.isArray(model.centroids) || model.centroids.length !== model.k || model.k < 1) {
    bad(`must hold k = ${String(model.k)} centroids`);
  }
  for (const [index, centroid] of model.centroids.entries()) {
    if (!Array.isArray(centroid) || centroid.length !== model.features || !centroid.every(Number.isFinite)) {
      bad(`centroid ${index} must hold ${model.features} finite numbers`);
    }
  }
  if (model.scaler !== undefined) checkScaler(model.scaler, context);
}

/**
 * Assigns each row to the nearest centroid of a fitted model (first segment on ties). Rows are raw
 * features when the model carries a scaler, otherwise they must be in the space it was fitted in.
 *
 * @example
 * const { model } = kmeans([[0, 0], [0, 1], [10, 10], [10, 11]], { k: 2, seed: 1 });
 * const restored = JSON.parse(JSON.stringify(model));
 * predictSegment(restored, [[0, 0.4], [9, 10]]); // => Int32Array [0, 1]
 */
export function predictSegment(model: SegmentModel, rows: NumericMatrixInput): Int32Array {
  checkSegmentModel(model, 'predictSegment');
  let matrix: DenseMatrix = toDenseMatrix(rows, 'predictSegment', model.featureNames);
  if (matrix.rows > 0 && matrix.cols !== model.features) {
    throw new TelcoAnalyticsError(
      'INVALID_DATA',
      `predictSegment: rows have ${matrix.cols} columns but the model was fitted on ${model.features}`,
    );
  }
  if (model.scaler !== undefined) matrix = applyScaler(model.scaler, matrix);
  const centroids = new Float64Array(model.k * model.features);
  model.centroids.forEach((centroid, j) => {
    centroids.set(centroid, j * model.features);
  });
  const labels = new Int32Array(matrix.rows).fill(-1);
  assignAll(matrix.data, matrix.rows, matrix.cols, centroids, model.k, labels);
  return labels;
}
