import { OptionError } from '../data/errors.js';
import { compactLabels } from './cluster-labels.js';

const pairs = (n: number): number => (n * (n - 1)) / 2;

/**
 * Adjusted Rand index (Hubert & Arabie 1985) between two labellings of the same rows: 1 for identical
 * partitions (whatever the label numbers), about 0 for independent ones, negative below chance. Use it
 * to score recovered segments against known ones (the synthetic operator's `truth.segment`).
 *
 * @example
 * adjustedRandIndex([0, 0, 1, 1], [5, 5, 3, 3]); // => 1
 * adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]); // => -0.5
 */
export function adjustedRandIndex(
  truth: ArrayLike<number | string>,
  predicted: ArrayLike<number | string>,
): number {
  const context = 'adjustedRandIndex';
  if (truth.length !== predicted.length) {
    throw new OptionError(
      context,
      'predicted',
      `must have as many labels as truth (${truth.length}), received ${predicted.length}`,
    );
  }
  const rows = truth.length;
  const a = compactLabels(context, numbered(truth), rows, 'truth');
  const b = compactLabels(context, numbered(predicted), rows, 'predicted');
  // Both trivial (one segment each, or every row alone in both): identical partitions, as scikit-learn says.
  if (a.count === b.count && (a.count === 1 || a.count === rows)) return 1;
  const table = new Map<number, number>();
  for (let i = 0; i < rows; i++) {
    const key = a.labels[i]! * b.count + b.labels[i]!;
    table.set(key, (table.get(key) ?? 0) + 1);
  }
  let index = 0;
  for (const count of table.values()) index += pairs(count);
  let rowPairs = 0;
  for (const size of a.sizes) rowPairs += pairs(size);
  let columnPairs = 0;
  for (const size of b.sizes) columnPairs += pairs(size);
  const expected = (rowPairs * columnPairs) / pairs(rows);
  const maximum = (rowPairs + columnPairs) / 2;
  if (maximum === expected) return 1;
  return (index - expected) / (maximum - expected);
}

/** String labels (segment names) are numbered in order of first appearance. */
function numbered(labels: ArrayLike<number | string>): ArrayLike<number> {
  const ids = new Map<number | string, number>();
  const result = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (typeof label === 'number' && !Number.isInteger(label)) {
      throw new OptionError(
        'adjustedRandIndex',
        'labels',
        `must be integers or strings; row ${i + 1} has ${label}`,
      );
    }
    let id = ids.get(label);
    if (id === undefined) {
      id = ids.size;
      ids.set(label, id);
    }
    result[i] = id;
  }
  return result;
}
