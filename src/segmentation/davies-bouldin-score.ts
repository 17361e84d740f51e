import type { NumericMatrixInput } from '../data/dense-matrix.js';
import { clusterCentroids, compactLabels, requireClusterCount } from './cluster-labels.js';
import { prepareMatrix } from './kmeans.js';

/**
 * Davies–Bouldin index (1979): for each segment, the worst ratio of summed spreads (mean distance of
 * rows to their centroid) to centroid separation, averaged over segments. Lower is better, 0 at best;
 * coincident centroids are treated as infinitely far apart, as in scikit-learn.
 *
 * @example
 * daviesBouldinScore([[0], [2], [10], [12]], [0, 0, 1, 1]); // => 0.2 ((1 + 1) / 10)
 */
export function daviesBouldinScore(data: NumericMatrixInput, labels: ArrayLike<number>): number {
  const context = 'daviesBouldinScore';
  const matrix = prepareMatrix(data, context);
  const { rows, cols, data: values } = matrix;
  const compact = compactLabels(context, labels, rows);
  requireClusterCount(context, compact.count, rows);
  const count = compact.count;
  const centroids = clusterCentroids(values, rows, cols, compact);
  const spread = new Float64Array(count);
  for (let i = 0; i < rows; i++) {
    const label = compact.labels[i]!;
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += (values[i * cols + c]! - centroids[label * cols + c]!) ** 2;
    spread[label]! += Math.sqrt(sum);
  }
  let anySpread = false;
  for (let j = 0; j < count; j++) {
    spread[j]! /= compact.sizes[j]!;
    if (spread[j]! !== 0) anySpread = true;
  }
  let anySeparation = false;
  const separation = new Float64Array(count * count);
  for (let a = 0; a < count; a++) {
    for (let b = 0; b < count; b++) {
      let sum = 0;
      for (let c = 0; c < cols; c++) sum += (centroids[a * cols + c]! - centroids[b * cols + c]!) ** 2;
      separation[a * count + b] = Math.sqrt(sum);
      if (sum !== 0) anySeparation = true;
    }
  }
  if (!anySpread || !anySeparation) return 0;
  let total = 0;
  for (let a = 0; a < count; a++) {
    let worst = 0;
    for (let b = 0; b < count; b++) {
      if (a === b) continue;
      const distance = separation[a * count + b]!;
      const ratio = distance === 0 ? 0 : (spread[a]! + spread[b]!) / distance;
      if (ratio > worst) worst = ratio;
    }
    total += worst;
  }
  return total / count;
}
