import type { NearestCentroid } from './squared-distance.js';

/** The few WebAssembly constructors used here (the project's TypeScript libraries do not declare them). */
export interface WebAssemblyApi {
  readonly Module: new (bytes: Uint8Array) => SimdModule;
  readonly Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => SimdMemory;
  readonly Instance: new (
    module: SimdModule,
    imports: { m: { m: SimdMemory } },
  ) => { readonly exports: Record<string, unknown> };
}

/** A compiled WebAssembly module (opaque). */
export interface SimdModule {
  readonly simdModule?: never;
}

/** A WebAssembly memory; shared, so its buffer is a SharedArrayBuffer. */
export interface SimdMemory {
  readonly buffer: ArrayBuffer;
}

/** The runtime's WebAssembly, if any. */
export function webAssembly(): WebAssemblyApi | undefined {
  return (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
}

/**
 * A WebAssembly module (SIMD, two columns per instruction) computing the nearest-centroid kernel of
 * `compiledNearest` for rows of `cols` values and exactly `k` centroids, on a shared memory of
 * `pages` 64 KiB pages imported as `m.m` (internal). Its export `f(rowByte, centroidByte, outByte)`
 * returns the nearest centroid's index (first on ties) and stores the smallest and second smallest
 * squared distances at `outByte` and `outByte + 8`.
 *
 * The lanes hold the four running sums of {@link squaredDistanceFor} in pairs (s0, s1) and (s2, s3),
 * each added in the same column order, the remaining `cols mod 4` columns go to s0 after them, and
 * the distance is (s0 + s1) + (s2 + s3): WebAssembly's float operations round exactly as JavaScript's
 * (no fused multiply-add), so every distance, label and bound is bit-identical to the JavaScript
 * kernel's. About a quarter faster than it on 8 x 8.
 *
 * Undefined when the shape is not covered (fewer than 4 or more than 64 columns, more than 1,024 row x
 * centroid terms) or WebAssembly SIMD is not available. The module is passed to worker threads.
 */
export function simdNearestModule(cols: number, k: number, pages: number): SimdModule | undefined {
  if (!Number.isInteger(cols) || cols < 4 || cols > 64) return undefined;
  if (!Number.isInteger(k) || k < 1 || cols * k > 1024) return undefined;
  const api = webAssembly();
  if (api === undefined) return undefined;
  const unsigned = (value: number): number[] => {
    const bytes: number[] = [];
    let rest = value;
    do {
      let byte = rest & 0x7f;
      rest = Math.floor(rest / 128);
      if (rest > 0) byte |= 0x80;
      bytes.push(byte);
    } while (rest > 0);
    return bytes;
  };
  const signed = (value: number): number[] => {
    const bytes: number[] = [];
    let rest = value;
    for (;;) {
      const byte = rest & 0x7f;
      rest >>= 7;
      if ((rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0)) {
        bytes.push(byte);
        return bytes;
      }
      bytes.push(byte | 0x80);
    }
  };
  const get = (local: number): number[] => [0x20, ...unsigned(local)];
  const set = (local: number): number[] => [0x21, ...unsigned(local)];
  const simd = (op: number): number[] => [0xfd, ...unsigned(op)];
  const vectorLoad = (offset: number): number[] => [...simd(0), 3, ...unsigned(offset)];
  const floatLoad = (offset: number): number[] => [0x2b, 3, ...unsigned(offset)];
  const subtract = simd(241);
  const multiply = simd(242);
  const add = simd(240);
  const lane = (index: number): number[] => [...simd(33), index];
  const infinity = [0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f];
  const body = cols - (cols & 3);
  const tail = cols - body;
  const pairs = body / 2;
  // Locals after the parameters (row 0, centroid 1, out 2): the index, the row's pairs, two
  // accumulators and a difference (v128), the row's remaining values, then five f64 scratch values.
  const bestIndex = 3;
  const pair = (p: number): number => 4 + p;
  const low = 4 + pairs;
  const high = low + 1;
  const difference = high + 1;
  const tailValue = (t: number): number => difference + 1 + t;
  const sum = difference + 1 + tail;
  const best = sum + 1;
  const second = sum + 2;
  const first = sum + 3;
  const scalar = sum + 4;
  const code: number[] = [];
  for (let p = 0; p < pairs; p++) code.push(...get(0), ...vectorLoad(p * 16), ...set(pair(p)));
  for (let t = 0; t < tail; t++) code.push(...get(0), ...floatLoad((body + t) * 8), ...set(tailValue(t)));
  code.push(...infinity, ...set(best), ...infinity, ...set(second));
  for (let j = 0; j < k; j++) {
    const base = j * cols * 8;
    for (let group = 0; group < body / 4; group++) {
      for (const [accumulator, half] of [
        [low, 0],
        [high, 1],
      ] as const) {
        if (group > 0) code.push(...get(accumulator));
        code.push(...get(pair(2 * group + half)), ...get(1), ...vectorLoad(base + group * 32 + half * 16));
        code.push(...subtract, 0x22, ...unsigned(difference), ...get(difference), ...multiply);
        if (group > 0) code.push(...add);
        code.push(...set(accumulator));
      }
    }
    code.push(...get(low), ...lane(0), ...set(first));
    for (let t = 0; t < tail; t++) {
      code.push(...get(tailValue(t)), ...get(1), ...floatLoad(base + (body + t) * 8), 0xa1);
      code.push(0x22, ...unsigned(scalar), ...get(scalar), 0xa2, ...get(first), 0xa0, ...set(first));
    }
    // sum = (s0 + s1) + (s2 + s3); the tail was added to s0 in place: first + tail, in that order.
    code.push(...get(first), ...get(low), ...lane(1), 0xa0);
    code.push(...get(high), ...lane(0), ...get(high), ...lane(1), 0xa0, 0xa0, ...set(sum));
    // if (sum < best) { second = best; best = sum; bestIndex = j } else if (sum < second) second = sum
    code.push(...get(sum), ...get(best), 0x63, 0x04, 0x40);
    code.push(...get(best), ...set(second), ...get(sum), ...set(best), 0x41, ...signed(j), ...set(bestIndex));
    code.push(0x05, ...get(sum), ...get(second), 0x63, 0x04, 0x40, ...get(sum), ...set(second), 0x0b, 0x0b);
  }
  code.push(...get(2), ...get(best), 0x39, 3, 0, ...get(2), ...get(second), 0x39, 3, 8);
  code.push(...get(bestIndex), 0x0b);
  const locals = [0x03, 1, 0x7f, ...unsigned(pairs + 3), 0x7b, ...unsigned(tail + 5), 0x7c];
  const functionBody = [...locals, ...code];
  const section = (id: number, content: number[]): number[] => [id, ...unsigned(content.length), ...content];
  const bytes = new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...section(1, [1, 0x60, 3, 0x7f, 0x7f, 0x7f, 1, 0x7f]),
    ...section(2, [1, 1, 0x6d, 1, 0x6d, 0x02, 0x03, ...unsigned(pages), ...unsigned(pages)]),
    ...section(3, [1, 0]),
    ...section(7, [1, 1, 0x66, 0x00, 0]),
    ...section(10, [1, ...unsigned(functionBody.length), ...functionBody]),
  ]);
  try {
    return new api.Module(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The {@link NearestCentroid} form of a {@link simdNearestModule} instance's export, for rows of
 * `data` and the centroids in `centroids` (both views of the instance's memory), writing its two
 * distances through the 16 bytes at `outByte` (one such slot per thread). Any other arrays or `k` go
 * to `fallback`, which computes the same bits. Self-contained: worker threads rebuild it from its
 * source text.
 */
export function bindSimdNearest(
  nearest: (rowByte: number, centroidByte: number, outByte: number) => number,
  heap: Float64Array,
  outByte: number,
  data: Float64Array,
  centroids: Float64Array,
  k: number,
  fallback: NearestCentroid,
): NearestCentroid {
  const dataByte = data.byteOffset;
  const centroidByte = centroids.byteOffset;
  const outIndex = outByte / 8;
  return (a, aOffset, b, centroidCount, out) => {
    if (a !== data || b !== centroids || centroidCount !== k)
      return fallback(a, aOffset, b, centroidCount, out);
    const index = nearest(dataByte + aOffset * 8, centroidByte, outByte);
    out[0] = heap[outIndex]!;
    out[1] = heap[outIndex + 1]!;
    return index;
  };
}
