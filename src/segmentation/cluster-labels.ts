import { OptionError } from '../data/errors.js';
import { toLabelArray } from './option-checks.js';

/** Labels renumbered 0..count-1 in order of first appearance (internal). */
export interface CompactLabels {
  readonly labels: Int32Array;
  readonly count: number;
  readonly sizes: Float64Array;
}

export function compactLabels(
  context: string,
  labels: ArrayLike<number>,
  rows: number,
  name = 'labels',
): CompactLabels {
  const raw = toLabelArray(context, labels, rows, name);
  const mapping = new Map<number, number>();
  const compact = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let index = mapping.get(raw[i]!);
    if (index === undefined) {
      index = mapping.size;
      mapping.set(raw[i]!, index);
    }
    compact[i] = index;
  }
  const sizes = new Float64Array(mapping.size);
  for (let i = 0; i < rows; i++) sizes[compact[i]!]! += 1;
  return { labels: compact, count: mapping.size, sizes };
}

/** The internal cluster-validity scores need 2 <= clusters <= rows - 1, as scikit-learn's do. */
export function requireClusterCount(context: string, count: number, rows: number): void {
  if (count < 2 || count > rows - 1) {
    throw new OptionError(
      context,
      'labels',
      `must hold between 2 and rows - 1 (${rows - 1}) distinct segments, received ${count}`,
    );
  }
}

/** Per-cluster means (row-major, count x cols). */
export function clusterCentroids(
  data: Float64Array,
  rows: number,
  cols: number,
  compact: CompactLabels,
): Float64Array {
  const centroids = new Float64Array(compact.count * cols);
  for (let i = 0; i < rows; i++) {
    const target = compact.labels[i]! * cols;
    for (let c = 0; c < cols; c++) centroids[target + c]! += data[i * cols + c]!;
  }
  for (let j = 0; j < compact.count; j++) {
    for (let c = 0; c < cols; c++) centroids[j * cols + c]! /= compact.sizes[j]!;
  }
  return centroids;
}
