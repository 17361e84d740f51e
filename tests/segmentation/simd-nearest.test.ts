import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// Internal modules: the kernel's bits decide labels only at near ties, which a fit rarely meets, so
// the SIMD kernel is compared with the JavaScript one directly, distance by distance.
import {
  bindSimdInertia,
  bindSimdMove,
  bindSimdNearest,
  simdNearestModule,
  webAssembly,
} from '../../src/segmentation/simd-nearest.js';
import { compiledKernel, compiledNearest, loopNearest } from '../../src/segmentation/squared-distance.js';

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

  it('scans column maxima and adds inertia with the same bits as the JavaScript loops (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 20 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (cols, k, seed) => {
          const rows = 64;
          const dataBytes = rows * cols * 8;
          const centroidByte = Math.ceil(dataBytes / 16) * 16;
          const maximaByte = centroidByte + Math.ceil((k * cols * 8) / 16) * 16;
          const labelByte = maximaByte + cols * 8;
          const pages = Math.ceil((labelByte + rows * 4) / 65536);
          const module = simdNearestModule(cols, k, pages)!;
          const memory = new api!.Memory({ initial: pages, maximum: pages, shared: true });
          const data = new Float64Array(memory.buffer, 0, rows * cols);
          const centroids = new Float64Array(memory.buffer, centroidByte, k * cols);
          const labels = new Int32Array(memory.buffer, labelByte, rows);
          let state = seed;
          const next = (): number => {
            state = (Math.imul(state, 1103515245) + 12345) >>> 0;
            return state / 2 ** 32;
          };
          for (let i = 0; i < data.length; i++) data[i] = (next() - 0.5) * 10 ** Math.floor(next() * 6 - 3);
          for (let i = 0; i < centroids.length; i++)
            centroids[i] = (next() - 0.5) * 10 ** Math.floor(next() * 4 - 2);
          for (let i = 0; i < rows; i++) labels[i] = Math.floor(next() * k);
          const instance = new api!.Instance(module, { m: { m: memory } });
          const scan = instance.exports.g as (startByte: number, endByte: number, outByte: number) => number;
          const first = Math.floor(next() * rows);
          scan(first * cols * 8, dataBytes, maximaByte);
          const maxima = Array.from({ length: cols }, (_, c) => {
            let largest = 0;
            for (let i = first; i < rows; i++) largest = Math.max(largest, Math.abs(data[i * cols + c]!));
            return largest;
          });
          expect(Array.from(new Float64Array(memory.buffer, maximaByte, cols))).toEqual(maxima);
          const inertia = bindSimdInertia(
            instance.exports.h as (
              rowByte: number,
              endByte: number,
              labelByte: number,
              centroidByte: number,
            ) => number,
            data,
            labels,
            centroids,
            cols,
          );
          const distance = compiledKernel(cols)!;
          let expected = 0;
          for (let i = first; i < rows; i++)
            expected += distance(data, i * cols, centroids, labels[i]! * cols);
          expect(inertia(first, rows)).toBe(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('moves exact row pieces between cluster sums with the same bits as the JavaScript loop (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 20 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (cols, k, seed) => {
          const rows = 64;
          const width = cols + 1;
          const constantByte = Math.ceil((rows * cols * 8) / 16) * 16;
          const deltaByte = constantByte + width * 3 * 8;
          const pages = Math.ceil((deltaByte + k * width * 3 * 8) / 65536);
          const module = simdNearestModule(cols, k, pages)!;
          const memory = new api!.Memory({ initial: pages, maximum: pages, shared: true });
          const data = new Float64Array(memory.buffer, 0, rows * cols);
          const split = new Float64Array(memory.buffer, constantByte, width * 3);
          const deltas = new Float64Array(memory.buffer, deltaByte, k * width * 3);
          let state = seed;
          const next = (): number => {
            state = (Math.imul(state, 1103515245) + 12345) >>> 0;
            return state / 2 ** 32;
          };
          for (let i = 0; i < data.length; i++) data[i] = (next() - 0.5) * 10 ** Math.floor(next() * 6 - 3);
          // Grids for column magnitudes from 2^-3 to 2^8: values above a grid's range, and pieces
          // below its last unit, round the same way in both implementations.
          for (let c = 0; c < width; c++) {
            const exponent = Math.floor(next() * 12) - 3;
            split[c * 3] = 1.5 * 2 ** (exponent + 26);
            split[c * 3 + 1] = 1.5 * 2 ** exponent;
            split[c * 3 + 2] = 1.5 * 2 ** (exponent - 26);
          }
          const expected = new Float64Array(k * width * 3);
          const instance = new api!.Instance(module, { m: { m: memory } });
          const move = bindSimdMove(
            instance.exports.m as (
              rowByte: number,
              toByte: number,
              fromByte: number,
              constantByte: number,
            ) => void,
            data,
            deltas,
            split,
          );
          for (let i = 0; i < rows; i++) {
            const label = next() < 0.25 ? -1 : Math.floor(next() * k);
            const toStart = Math.floor(next() * k) * width * 3;
            const fromStart = label * width * 3;
            const base = i * cols;
            // The loop of processBlock for an unweighted row.
            for (let c = 0, s = 0; c < cols; c++, s += 3) {
              const value = data[base + c]!;
              const high = value + split[s]! - split[s]!;
              const rest = value - high;
              const middle = rest + split[s + 1]! - split[s + 1]!;
              const low = rest - middle + split[s + 2]! - split[s + 2]!;
              expected[toStart + s]! += high;
              expected[toStart + s + 1]! += middle;
              expected[toStart + s + 2]! += low;
              if (label >= 0) {
                expected[fromStart + s]! -= high;
                expected[fromStart + s + 1]! -= middle;
                expected[fromStart + s + 2]! -= low;
              }
            }
            expected[toStart + cols * 3]! += 1;
            if (label >= 0) expected[fromStart + cols * 3]! -= 1;
            move(base, toStart, fromStart, label);
          }
          expect(Array.from(deltas)).toEqual(Array.from(expected));
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
