import { OptionError } from '../data/errors.js';
import { createRng, deriveSeed } from '../data/random.js';
import { levelOf } from './encode-features.js';
import type { FeatureRow, FeatureValue } from './feature-row.js';

/** Options of {@link trainTestSplit}. */
export interface TrainTestSplitOptions {
  /** Share of rows in the test part (rounded per stratum). @defaultValue 0.3 */
  readonly testFraction?: number;
  /** @defaultValue 0 */
  readonly seed?: number;
  /**
   * Keep the class shares equal in both parts: the labels (one per row) or, for rows, the column
   * holding them. @defaultValue no stratification
   */
  readonly stratify?: ArrayLike<FeatureValue> | string;
}

/** Row indices (ascending) of the two parts. */
export interface SplitIndices {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** Rows of the two parts, with their indices. */
export interface SplitRows<T> extends SplitIndices {
  readonly trainRows: T[];
  readonly testRows: T[];
}

/**
 * A seeded random train/test split of `n` rows (returns indices) or of an array of rows (returns the
 * rows too). With `stratify`, each class is split separately so both parts keep the class shares;
 * each stratum's rows are permuted with its own stream derived from `seed`.
 *
 * @example
 * const { train, test } = trainTestSplit(10, { testFraction: 0.3, seed: 1 });
 * test.length; // => 3
 */
export function trainTestSplit(n: number, options?: TrainTestSplitOptions): SplitIndices;
export function trainTestSplit<T extends FeatureRow>(
  rows: readonly T[],
  options?: TrainTestSplitOptions,
): SplitRows<T>;
export function trainTestSplit<T extends FeatureRow>(
  input: number | readonly T[],
  options: TrainTestSplitOptions = {},
): SplitIndices | SplitRows<T> {
  const context = 'trainTestSplit';
  const n = typeof input === 'number' ? input : input.length;
  if (!Number.isInteger(n) || n < 2)
    throw new OptionError(context, 'n', `must be an integer of at least 2, received ${n}`);
  const testFraction = options.testFraction ?? 0.3;
  if (!(testFraction > 0 && testFraction < 1))
    throw new OptionError(context, 'testFraction', `must be in (0, 1), received ${testFraction}`);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed))
    throw new OptionError(context, 'seed', `must be a safe integer, received ${seed}`);
  const strata = new Map<string, number[]>();
  const { stratify } = options;
  for (let i = 0; i < n; i++) {
    let key = '';
    if (typeof stratify === 'string') {
      if (typeof input === 'number')
        throw new OptionError(context, 'stratify', 'names a column, but no rows were given');
      key = levelOf(input[i]![stratify]);
    } else if (stratify !== undefined) {
      if (stratify.length !== n)
        throw new OptionError(context, 'stratify', `has ${stratify.length} labels for ${n} rows`);
      key = levelOf(stratify[i]);
    }
    const members = strata.get(key);
    if (members) members.push(i);
    else strata.set(key, [i]);
  }
  const keys = [...strata.keys()].sort();
  const isTest = new Uint8Array(n);
  for (const key of keys) {
    const members = strata.get(key)!;
    const permutation = createRng(deriveSeed(seed, 'split', key)).permutation(members.length);
    const testCount = Math.round(members.length * testFraction);
    for (let k = 0; k < testCount; k++) isTest[members[permutation[k]!]!] = 1;
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < n; i++) (isTest[i] ? test : train).push(i);
  const indices = { train: Int32Array.from(train), test: Int32Array.from(test) };
  if (typeof input === 'number') return indices;
  return { ...indices, trainRows: train.map((i) => input[i]!), testRows: test.map((i) => input[i]!) };
}
