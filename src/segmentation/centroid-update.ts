import { squaredDistanceFor } from './squared-distance.js';

/**
 * The M-step shared by every k-means variant: new centroids as the weighted means of their rows
 * (`sums` / `clusterWeights`, which are not modified), with empty clusters re-seeded at the rows
 * farthest from their own centroid, as scikit-learn does. Writes `newCentroids` and the per-cluster
 * shift lengths; returns the sum over clusters of the squared shift.
 */
export function updateCentroids(
  data: Float64Array,
  rows: number,
  cols: number,
  weights: Float64Array | undefined,
  labels: Int32Array,
  k: number,
  sums: Float64Array,
  clusterWeights: Float64Array,
  oldCentroids: Float64Array,
  newCentroids: Float64Array,
  shifts: Float64Array,
): number {
  const squaredDistance = squaredDistanceFor(cols);
  newCentroids.set(sums);
  let weightsAfter = clusterWeights;
  if (clusterWeights.includes(0)) {
    weightsAfter = Float64Array.from(clusterWeights);
    relocateEmptyClusters(data, rows, cols, weights, labels, k, oldCentroids, newCentroids, weightsAfter);
  }
  for (let j = 0; j < k; j++) {
    const weight = weightsAfter[j]!;
    // A cluster emptied by a relocation keeps its (near-zero) sum as centroid, as scikit-learn's does.
    if (weight > 0) {
      const scale = 1 / weight;
      for (let c = 0; c < cols; c++) newCentroids[j * cols + c]! *= scale;
    }
  }
  let total = 0;
  for (let j = 0; j < k; j++) {
    const shift = squaredDistance(newCentroids, j * cols, oldCentroids, j * cols);
    shifts[j] = Math.sqrt(shift);
    total += shift;
  }
  return total;
}

/**
 * An empty cluster takes the row farthest from its current centroid (the next farthest for the next
 * empty cluster). The row keeps its label for this iteration, but its weight moves to the new
 * cluster, exactly as scikit-learn's `_relocate_empty_clusters_dense`.
 */
function relocateEmptyClusters(
  data: Float64Array,
  rows: number,
  cols: number,
  weights: Float64Array | undefined,
  labels: Int32Array,
  k: number,
  oldCentroids: Float64Array,
  sums: Float64Array,
  clusterWeights: Float64Array,
): void {
  const squaredDistance = squaredDistanceFor(cols);
  const empty: number[] = [];
  for (let j = 0; j < k; j++) if (clusterWeights[j] === 0) empty.push(j);
  const distances = new Float64Array(rows);
  for (let i = 0; i < rows; i++)
    distances[i] = squaredDistance(data, i * cols, oldCentroids, labels[i]! * cols);
  // Only `empty.length` rows are needed: a partial selection, not a full sort.
  const farthest: number[] = [];
  for (let i = 0; i < rows; i++) {
    const distance = distances[i]!;
    if (farthest.length < empty.length) {
      farthest.push(i);
    } else if (distance > distances[farthest[farthest.length - 1]!]!) {
      farthest[farthest.length - 1] = i;
    } else {
      continue;
    }
    for (let p = farthest.length - 1; p > 0 && distances[farthest[p]!]! > distances[farthest[p - 1]!]!; p--) {
      const held = farthest[p]!;
      farthest[p] = farthest[p - 1]!;
      farthest[p - 1] = held;
    }
  }
  for (let e = 0; e < empty.length; e++) {
    const row = farthest[e];
    if (row === undefined) break;
    const target = empty[e]!;
    const weight = weights === undefined ? 1 : weights[row]!;
    const source = labels[row]!;
    for (let c = 0; c < cols; c++) {
      const value = data[row * cols + c]! * weight;
      sums[source * cols + c]! -= value;
      sums[target * cols + c] = value;
    }
    clusterWeights[target] = weight;
    clusterWeights[source]! -= weight;
  }
}
