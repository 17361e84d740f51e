import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { createRng } from 'telco-analytics/data';
import { type KMeansResult, kmeans } from 'telco-analytics/segmentation';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `rows` points around `blobs` Gaussian centres: overlapping clusters keep Lloyd busy for a while. */
function blobData(seed: number, rows: number, cols: number, blobs: number): Float64Array {
  const rng = createRng(seed);
  const centres = Array.from({ length: blobs }, () => Array.from({ length: cols }, () => rng.normal(0, 2)));
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const centre = centres[rng.integer(blobs)]!;
    for (let c = 0; c < cols; c++) data[i * cols + c] = centre[c]! + rng.normal(0, 1.5);
  }
  return data;
}

/** Everything a fit returns except the thread count, which is the one thing allowed to differ. */
function numbers(result: KMeansResult): unknown {
  const { threads: _threads, ...rest } = result;
  return { ...rest, labels: Array.from(result.labels) };
}

describe('kmeans on worker threads', () => {
  it('gives bit-identical results on 1, 2 and 3 threads, with Lloyd and Hamerly alike (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        // Past 4,096 rows: two to four blocks, so workers really take part.
        fc.integer({ min: 4097, max: 14_000 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        (seed, rows, cols, k, weighted) => {
          const data = blobData(seed, rows, cols, 5);
          const rng = createRng(seed + 1);
          const sampleWeight = weighted ? Array.from({ length: rows }, () => 0.5 + rng.uniform()) : undefined;
          const options = { k, seed, nInit: 2, maxIter: 40, sampleWeight };
          const matrix = { data, rows, cols };
          const lloyd = kmeans(matrix, { ...options, algorithm: 'lloyd', threads: 1 });
          expect(lloyd.threads).toBe(1);
          for (const algorithm of ['lloyd', 'hamerly'] as const) {
            for (const threads of [1, 2, 3]) {
              const result = kmeans(matrix, { ...options, algorithm, threads });
              expect(result.threads).toBe(Math.min(threads, Math.ceil(rows / 4096)));
              expect(numbers(result)).toEqual(numbers(lloyd));
            }
          }
        },
      ),
      { numRuns: 6 },
    );
  });

  // With threads, 4 to 64 columns and up to 1,024 column x centroid terms, the distances come from a
  // WebAssembly SIMD kernel holding the four running sums in lane pairs, with the columns past a
  // multiple of 4 added to the first one: every such remainder must give the JavaScript kernel's bits.
  it('gives bit-identical results with the SIMD kernel of the threaded path, for every column remainder', () => {
    const rows = 8200;
    for (const cols of [4, 5, 6, 7, 8, 9, 10, 11, 13, 16]) {
      for (const k of [2, 5, 8]) {
        const data = blobData(cols * 31 + k, rows, cols, 4);
        const options = { k, seed: cols + k, nInit: 1, maxIter: 8, algorithm: 'hamerly' as const };
        const one = kmeans({ data, rows, cols }, { ...options, threads: 1 });
        const two = kmeans({ data, rows, cols }, { ...options, threads: 2 });
        expect(two.threads).toBe(2);
        expect(numbers(two)).toEqual(numbers(one));
      }
    }
  });

  // On the threaded path Hamerly's whole bounded step runs in WebAssembly; past 255 iterations the
  // drift tables are full and one step folds them into every row's bounds (the rebase).
  it('gives bit-identical results past the rebase of the drift tables (396 iterations)', () => {
    const rows = 30_000;
    const cols = 5;
    const rng = createRng(2);
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal(0, 1);
    const options = { k: 7, seed: 2, nInit: 1, maxIter: 700, tol: 0 };
    const one = kmeans({ data, rows, cols }, { ...options, algorithm: 'hamerly', threads: 1 });
    const two = kmeans({ data, rows, cols }, { ...options, algorithm: 'hamerly', threads: 2 });
    const lloyd = kmeans({ data, rows, cols }, { ...options, algorithm: 'lloyd', threads: 1 });
    expect(one.iterations).toBeGreaterThan(256);
    expect(two.threads).toBe(2);
    expect(numbers(two)).toEqual(numbers(one));
    expect(numbers(lloyd)).toEqual(numbers(one));
  });

  it('leaves the input as it was, and uses data already in shared memory without a copy', () => {
    const rows = 9000;
    const cols = 4;
    const data = blobData(7, rows, cols, 4);
    const before = Float64Array.from(data);
    const inPlace = kmeans({ data, rows, cols }, { k: 4, seed: 1, threads: 2 });
    expect(data).toEqual(before);
    const shared = new Float64Array(new SharedArrayBuffer(data.byteLength));
    shared.set(data);
    const fromShared = kmeans({ data: shared, rows, cols }, { k: 4, seed: 1, threads: 2 });
    expect(shared).toEqual(before);
    expect(numbers(fromShared)).toEqual(numbers(inPlace));
  });

  it('uses every core by default only where the work repays starting workers', () => {
    const small = kmeans({ data: blobData(3, 9000, 4, 4), rows: 9000, cols: 4 }, { k: 4, nInit: 1 });
    expect(small.threads).toBe(1);
    // 70,000 x 8 x 8 = 4.5 million distance terms per iteration: above the 2^22 threshold.
    const rows = 70_000;
    const large = kmeans({ data: blobData(3, rows, 8, 8), rows, cols: 8 }, { k: 8, nInit: 1, maxIter: 2 });
    expect(large.threads).toBe(Math.min(availableParallelism(), Math.ceil(rows / 4096)));
  });

  it('stops the workers and passes on an error thrown during the fit', () => {
    const rows = 9000;
    const matrix = { data: blobData(11, rows, 3, 3), rows, cols: 3 };
    const failing = (): KMeansResult =>
      kmeans(matrix, {
        k: 3,
        threads: 2,
        onIteration: (event) => {
          if (event.iteration === 2) throw new Error('progress bar closed');
        },
      });
    expect(failing).toThrow('progress bar closed');
    // The next fit starts fresh workers and is unaffected.
    expect(kmeans(matrix, { k: 3, seed: 2, threads: 2 }).threads).toBe(2);
  });

  // The fixture fits with 2 threads and also lets an error escape, then the process must end by itself:
  // a worker left running would keep it alive until the timeout.
  const fixture = `
    const { kmeans } = await import(process.argv[1]);
    const rows = 9000, cols = 5;
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 12.9898) * 43758.5453 % 3;
    const options = { k: 5, seed: 4, nInit: 2 };
    const one = kmeans({ data, rows, cols }, { ...options, threads: 1 });
    const two = kmeans({ data, rows, cols }, { ...options, threads: 2 });
    let escaped = '';
    try {
      kmeans({ data, rows, cols }, { ...options, threads: 2, onIteration: () => { throw new Error('stop'); } });
    } catch (error) { escaped = error.message; }
    process.stdout.write(JSON.stringify({
      threads: [one.threads, two.threads],
      same: JSON.stringify([one.centroids, Array.from(one.labels), one.inertia]) ===
        JSON.stringify([two.centroids, Array.from(two.labels), two.inertia]),
      inertia: two.inertia,
      escaped,
    }));
  `;
  const runFixture = (
    flags: string[],
    entry: string,
  ): { threads: number[]; same: boolean; escaped: string } => {
    const child = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', fixture, entry], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.error, 'the process did not end: a worker thread kept it alive').toBeUndefined();
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    return JSON.parse(child.stdout) as { threads: number[]; same: boolean; escaped: string };
  };

  it('runs its workers from the TypeScript sources, with and without code generation from strings', () => {
    const entry = fileURLToPath(new URL('../../src/segmentation/index.ts', import.meta.url));
    for (const flags of [[], ['--disallow-code-generation-from-strings']]) {
      const result = runFixture([...flags, '--import', 'tsx'], entry);
      expect(result).toMatchObject({ threads: [1, 2], same: true, escaped: 'stop' });
    }
  });

  // Users run dist/*.js, where the worker source is built from the compiled functions.
  const built = fileURLToPath(new URL('../../dist/segmentation/parallel-assignment.js', import.meta.url));
  const builtPresent = existsSync(built);
  if (!builtPresent)
    process.stderr.write(
      `skipped: ${built} not found (the build predates worker threads; npm test builds)\n`,
    );
  it.skipIf(!builtPresent)('runs its workers from the built package', () => {
    const result = runFixture([], 'telco-analytics/segmentation');
    expect(result).toMatchObject({ threads: [1, 2], same: true, escaped: 'stop' });
  });
});
