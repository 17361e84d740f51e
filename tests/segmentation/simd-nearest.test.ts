import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// Internal modules: the kernel's bits decide labels only at near ties, which a fit rarely meets, so
// the SIMD kernel is compared with the JavaScript one directly, distance by distance.
import { bindSimdNearest, simdNearestModule, webAssembly } from '../../src/segmentation/simd-nearest.js';
import { compiledNearest, loopNearest } from '../../src/segmentation/squared-distance.js';

const api = webAssembly();
const probe = api === undefined ? undefined : simdNearestModule(4, 1, 1);
if (probe === undefined) process.stderr.write('skipped: WebAssembly SIMD is not available here\n');

describe.skipIf(probe === undefined)('SIMD nearest-centroid kernel', () => {
  it('gives the JavaScript kernel bit-identical labels and distances, for every column remainder (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 20 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (cols, k, seed) => {
          const rows = 64;
          const pages = Math.ceil(((rows + k) * cols * 8 + 256) / 65536);
          const module = simdNearestModule(cols, k, pages)!;
          const memory = new api!.Memory({ initial: pages, maximum: pages, shared: true });
          const data = new Float64Array(memory.buffer, 0, rows * cols);
          const centroids = new Float64Array(memory.buffer, rows * cols * 8, k * cols);
          // Values over six decades, and centroids copied from rows (exact ties), so that the order
          // of the additions shows in the last bits.
          let state = seed;
          const next = (): number => {
            state = (Math.imul(state, 1103515245) + 12345) >>> 0;
            return state / 2 ** 32;
          };
          for (let i = 0; i < data.length; i++) data[i] = (next() - 0.5) * 10 ** Math.floor(next() * 6 - 3);
          for (let j = 0; j < k; j++) {
            const from = Math.floor(next() * rows);
            for (let c = 0; c < cols; c++)
              centroids[j * cols + c] = data[from * cols + c]! * (j % 2 === 0 ? 1 : 1 + 1e-12);
          }
          const javascript = compiledNearest(cols, k) ?? loopNearest(cols);
          const instance = new api!.Instance(module, { m: { m: memory } });
          const outByte = Math.ceil(((rows + k) * cols * 8) / 16) * 16;
          const simd = bindSimdNearest(
            instance.exports.f as (rowByte: number, centroidByte: number, outByte: number) => number,
            new Float64Array(memory.buffer),
            outByte,
            data,
            centroids,
            k,
            javascript,
          );
          const expected = new Float64Array(2);
          const actual = new Float64Array(2);
          for (let i = 0; i < rows; i++) {
            const label = javascript(data, i * cols, centroids, k, expected);
            expect(simd(data, i * cols, centroids, k, actual)).toBe(label);
            expect(Array.from(actual)).toEqual(Array.from(expected));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is not built for shapes it does not cover', () => {
    expect(simdNearestModule(3, 4, 1)).toBeUndefined();
    expect(simdNearestModule(65, 4, 1)).toBeUndefined();
    expect(simdNearestModule(64, 17, 1)).toBeUndefined();
  });
});
