import type { NumericMatrixInput } from '../data/dense-matrix.js';
import { clusterCentroids, compactLabels, requireClusterCount } from './cluster-labels.js';
import { prepareMatrix } from './kmeans.js';

/**
 * Calinski–Harabasz index (variance ratio criterion, 1974): between-segment dispersion over
 * within-segment dispersion, each divided by its degrees of freedom. Higher is better; 1 when every
 * segment is a single point repeated (no within-segment dispersion), as in scikit-learn.
 *
 * @example
 * calinskiHarabaszScore([[0], [2], [10], [12]], [0, 0, 1, 1]); // => 50 (between 100 / 1, within 4 / 2)
 */
export function calinskiHarabaszScore(data: NumericMatrixInput, labels: ArrayLike<number>): number {
  const context = 'calinskiHarabaszScore';
  const matrix = prepareMatrix(data, context);
  const { rows, cols, data: values } = matrix;
  const compact = compactLabels(context, labels, rows);
  requireClusterCount(context, compact.count, rows);
  const centroids = clusterCentroids(values, rows, cols, compact);
  const mean = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let c = 0; c < cols; c++) mean[c]! += values[i * cols + c]!;
  for (let c = 0; c < cols; c++) mean[c]! /= rows;
  let between = 0;
  for (let j = 0; j < compact.count; j++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += (centroids[j * cols + c]! - mean[c]!) ** 2;
    between += compact.sizes[j]! * sum;
  }
  let within = 0;
  for (let i = 0; i < rows; i++) {
    const centre = compact.labels[i]! * cols;
    for (let c = 0; c < cols; c++) within += (values[i * cols + c]! - centroids[centre + c]!) ** 2;
  }
  if (within === 0) return 1;
  return (between * (rows - compact.count)) / (within * (compact.count - 1));
}
