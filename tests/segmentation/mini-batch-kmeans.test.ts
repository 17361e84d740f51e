import { createRng, OptionError } from 'telco-analytics/data';
import { kmeans, miniBatchKMeans, predictSegment } from 'telco-analytics/segmentation';
import { describe, expect, it } from 'vitest';

const rng = createRng(17);
const centres = [
  [0, 0, 0],
  [6, 0, 0],
  [0, 6, 0],
  [0, 0, 6],
];
const rows = Array.from({ length: 20_000 }, (_, i) =>
  centres[i % 4]!.map((value) => value + rng.normal(0, 1)),
);
const dense = { data: Float64Array.from(rows.flat()), rows: rows.length, cols: 3 };

async function* blocks(size: number): AsyncGenerator<number[][]> {
  for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size);
}

describe('miniBatchKMeans', () => {
  it('lands within 1% of the full k-means inertia on an in-memory matrix, deterministically', async () => {
    const full = kmeans(dense, { k: 4, seed: 1, nInit: 3 });
    const mini = await miniBatchKMeans(dense, { k: 4, seed: 1, batchSize: 512 });
    expect(mini.labels).not.toBeNull();
    expect(mini.inertia!).toBeLessThan(full.inertia * 1.01);
    expect(predictSegment(mini.model, dense)).toEqual(mini.labels);
    const again = await miniBatchKMeans(dense, { k: 4, seed: 1, batchSize: 512 });
    expect(again.centroids).toEqual(mini.centroids);
  });

  it('reads an async stream of blocks once and finds the same groups', async () => {
    const streamed = await miniBatchKMeans(blocks(3000), {
      k: 4,
      seed: 2,
      batchSize: 1000,
      maxNoImprovement: 0,
    });
    expect(streamed.labels).toBeNull();
    expect(streamed.inertia).toBeNull();
    expect(streamed.rowsSeen).toBe(rows.length);
    const found = streamed.centroids.map((centroid) => centroid.map((value) => Math.round(value / 6) * 6));
    expect(found.map((centroid) => centroid.join(',')).sort()).toEqual(
      centres.map((centre) => centre.join(',')).sort(),
    );
    expect(JSON.parse(JSON.stringify(streamed.model))).toEqual(streamed.model);
  });

  it('rejects bad input', async () => {
    await expect(miniBatchKMeans(rows, { k: 0 })).rejects.toThrow(OptionError);
    await expect(miniBatchKMeans([[1], [2]], { k: 3 })).rejects.toThrow(/at most the number of rows/);
    await expect(miniBatchKMeans([[1], [Number.NaN]], { k: 1 })).rejects.toThrow("row 2, column 'column 1'");
    async function* ragged(): AsyncGenerator<number[][]> {
      yield [[1, 2]];
      yield [[1, 2, 3]];
    }
    await expect(miniBatchKMeans(ragged(), { k: 1, initSize: 1 })).rejects.toThrow(/2 columns/);
    async function* empty(): AsyncGenerator<number[][]> {}
    await expect(miniBatchKMeans(empty(), { k: 1 })).rejects.toThrow(/no rows/);
  });
});
