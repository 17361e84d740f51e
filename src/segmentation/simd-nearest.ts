import type { BlockInertia, BoundedStep, RowMove, RowSettle } from './assignment-blocks.js';
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
 * squared distances at `outByte` and `outByte + 8`. Two more exports serve the same memory:
 * `g(startByte, endByte, outByte)` stores each column's largest absolute value over the rows in
 * [startByte, endByte) at `outByte` (the split constants' scan), and
 * `h(rowByte, endByte, labelByte, centroidByte)` returns the sum, in row order, of each row's squared
 * distance to its labelled centroid (labels as i32 at `labelByte`): the unweighted inertia. For
 * unweighted rows `m` moves a row's exact pieces between cluster sums, `s` settles a row with all k
 * distances (bounds, label, `m`) and `b` runs Hamerly's whole bounded step over a block's rows, the
 * same operations in the same order as `processBlock` (see their comments below).
 *
 * The lanes hold the four running sums of {@link squaredDistanceFor} in pairs (s0, s1) and (s2, s3),
 * each added in the same column order, the remaining `cols mod 4` columns go to s0 after them, and
 * the distance is (s0 + s1) + (s2 + s3): WebAssembly's float operations round exactly as JavaScript's
 * (no fused multiply-add), so every distance, label and bound is bit-identical to the JavaScript
 * kernel's. The nearest centroid is chosen without branches (pmin, pmax and an integer mask):
 * on rows in no particular order it takes about 40% less time than the JavaScript kernel on 8 x 8.
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
  const pairMinimum = simd(246);
  const pairMaximum = simd(247);
  const infinity = [0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f];
  const body = cols - (cols & 3);
  const tail = cols - body;
  const pairs = body / 2;
  // Locals after the parameters (row 0, centroid 1, out 2): the index, the row's pairs, two
  // accumulators, a difference, the best and second best distances (splatted) and the current one
  // (v128), the row's remaining values, then three f64 scratch values.
  const bestIndex = 3;
  const pair = (p: number): number => 4 + p;
  const low = 4 + pairs;
  const high = low + 1;
  const difference = high + 1;
  const best = difference + 1;
  const second = difference + 2;
  const sumPair = difference + 3;
  const tailValue = (t: number): number => difference + 4 + t;
  const sum = difference + 4 + tail;
  const first = sum + 1;
  const scalar = sum + 2;
  const code: number[] = [];
  for (let p = 0; p < pairs; p++) code.push(...get(0), ...vectorLoad(p * 16), ...set(pair(p)));
  for (let t = 0; t < tail; t++) code.push(...get(0), ...floatLoad((body + t) * 8), ...set(tailValue(t)));
  code.push(...infinity, ...simd(20), ...set(best), ...infinity, ...simd(20), ...set(second));
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
    // Without branches (which data in no particular order mispredicts about half the time): with
    // pmin(a, b) = b < a ? b : a and pmax(a, b) = a < b ? b : a, the same values as
    // `if (sum < best) { second = best; best = sum; bestIndex = j } else if (sum < second) second = sum`.
    code.push(...get(sum), ...simd(20), ...set(sumPair));
    code.push(...get(bestIndex), ...get(bestIndex), 0x41, ...signed(j), 0x73, 0x41, 0);
    code.push(...get(sum), ...get(best), ...lane(0), 0x63, 0x6b, 0x71, 0x73, ...set(bestIndex));
    code.push(...get(second), ...get(best), ...get(sumPair), ...pairMaximum, ...pairMinimum, ...set(second));
    code.push(...get(best), ...get(sumPair), ...pairMinimum, ...set(best));
  }
  code.push(
    ...get(2),
    ...get(best),
    ...lane(0),
    0x39,
    3,
    0,
    ...get(2),
    ...get(second),
    ...lane(0),
    0x39,
    3,
    8,
  );
  code.push(...get(bestIndex), 0x0b);
  const locals = [0x03, 1, 0x7f, ...unsigned(pairs + 6), 0x7b, ...unsigned(tail + 3), 0x7c];
  const functionBody = [...locals, ...code];
  // g(startByte, endByte, outByte): the largest |value| of each column over the rows in
  // [startByte, endByte), stored as cols f64 at outByte. Exact in any order (pmax of absolute
  // values), so the same numbers as a scalar scan. Locals: one v128 accumulator per column pair,
  // one for an odd last column.
  const columnPairs = Math.floor(cols / 2);
  const odd = cols % 2;
  const columnMaxima: number[] = [];
  const accumulator = (index: number): number => 3 + index;
  columnMaxima.push(0x02, 0x40, 0x03, 0x40);
  columnMaxima.push(...get(0), ...get(1), 0x4f, 0x0d, 1);
  for (let p = 0; p < columnPairs + odd; p++) {
    columnMaxima.push(...get(accumulator(p)), ...get(0));
    if (p < columnPairs) columnMaxima.push(...vectorLoad(p * 16));
    else columnMaxima.push(...floatLoad(p * 16), ...simd(20));
    columnMaxima.push(...simd(236), ...pairMaximum, ...set(accumulator(p)));
  }
  columnMaxima.push(...get(0), 0x41, ...signed(cols * 8), 0x6a, ...set(0), 0x0c, 0, 0x0b, 0x0b);
  for (let p = 0; p < columnPairs; p++)
    columnMaxima.push(...get(2), ...get(accumulator(p)), ...simd(11), 3, ...unsigned(p * 16));
  if (odd === 1)
    columnMaxima.push(
      ...get(2),
      ...get(accumulator(columnPairs)),
      ...lane(0),
      0x39,
      3,
      ...unsigned(columnPairs * 16),
    );
  columnMaxima.push(0x41, 0, 0x0b);
  const maximaBody = [1, ...unsigned(columnPairs + odd), 0x7b, ...columnMaxima];
  // h(rowByte, endByte, labelByte, centroidByte): the sum, in row order from 0, of each row's squared
  // distance to centroid labels[row] (i32 at labelByte, one per row), each distance computed as in f.
  // Locals after the parameters: the centroid's address (i32), two accumulators and a difference
  // (v128), the total, s0 and a scalar difference (f64).
  const centroidAddress = 4;
  const [lowSum, highSum, pairDifference] = [5, 6, 7];
  const [total, firstSum, scalarDifference] = [8, 9, 10];
  const inertia: number[] = [0x02, 0x40, 0x03, 0x40];
  inertia.push(...get(0), ...get(1), 0x4f, 0x0d, 1);
  inertia.push(
    ...get(3),
    ...get(2),
    0x28,
    2,
    0,
    0x41,
    ...signed(cols * 8),
    0x6c,
    0x6a,
    ...set(centroidAddress),
  );
  for (let group = 0; group < body / 4; group++) {
    for (const [sumLocal, half] of [
      [lowSum, 0],
      [highSum, 1],
    ] as const) {
      const offset = group * 32 + half * 16;
      if (group > 0) inertia.push(...get(sumLocal));
      inertia.push(...get(0), ...vectorLoad(offset), ...get(centroidAddress), ...vectorLoad(offset));
      inertia.push(...subtract, 0x22, ...unsigned(pairDifference), ...get(pairDifference), ...multiply);
      if (group > 0) inertia.push(...add);
      inertia.push(...set(sumLocal));
    }
  }
  inertia.push(...get(lowSum), ...lane(0), ...set(firstSum));
  for (let t = 0; t < tail; t++) {
    const offset = (body + t) * 8;
    inertia.push(...get(0), ...floatLoad(offset), ...get(centroidAddress), ...floatLoad(offset), 0xa1);
    inertia.push(0x22, ...unsigned(scalarDifference), ...get(scalarDifference), 0xa2);
    inertia.push(...get(firstSum), 0xa0, ...set(firstSum));
  }
  inertia.push(...get(total), ...get(firstSum), ...get(lowSum), ...lane(1), 0xa0);
  inertia.push(...get(highSum), ...lane(0), ...get(highSum), ...lane(1), 0xa0, 0xa0, 0xa0, ...set(total));
  inertia.push(...get(0), 0x41, ...signed(cols * 8), 0x6a, ...set(0));
  inertia.push(...get(2), 0x41, 4, 0x6a, ...set(2), 0x0c, 0, 0x0b, 0x0b, ...get(total), 0x0b);
  const inertiaBody = [3, 1, 0x7f, 3, 0x7b, 3, 0x7c, ...inertia];
  // m(rowByte, toByte, fromByte, constantByte): moves an unweighted row's exact pieces into the sums
  // at toByte and, unless fromByte is negative, out of those at fromByte, as processBlock does: per
  // column c three pieces (v + C1) - C1, then of the rest (r + C2) - C2 and ((r - middle) + C3) - C3,
  // with the constants at constantByte + 24 c, then the count (1) after the cols x 3 pieces.
  const [valueLocal, highLocal, restLocal, middleLocal, lowLocal] = [4, 5, 6, 7, 8];
  const move: number[] = [];
  const constant = (c: number, m: number): number[] => [...get(3), ...floatLoad(24 * c + 8 * m)];
  const addAt = (address: number, offset: number, local: number, subtractIt: boolean): number[] => [
    ...get(address),
    ...get(address),
    ...floatLoad(offset),
    ...get(local),
    subtractIt ? 0xa1 : 0xa0,
    0x39,
    3,
    ...unsigned(offset),
  ];
  for (let c = 0; c < cols; c++) {
    move.push(...get(0), ...floatLoad(c * 8), ...set(valueLocal));
    move.push(...get(valueLocal), ...constant(c, 0), 0xa0, ...constant(c, 0), 0xa1, ...set(highLocal));
    move.push(...get(valueLocal), ...get(highLocal), 0xa1, ...set(restLocal));
    move.push(...get(restLocal), ...constant(c, 1), 0xa0, ...constant(c, 1), 0xa1, ...set(middleLocal));
    move.push(...get(restLocal), ...get(middleLocal), 0xa1, ...constant(c, 2), 0xa0, ...constant(c, 2), 0xa1);
    move.push(...set(lowLocal));
    move.push(...addAt(1, 24 * c, highLocal, false), ...addAt(1, 24 * c + 8, middleLocal, false));
    move.push(...addAt(1, 24 * c + 16, lowLocal, false));
    move.push(...get(2), 0x41, 0, 0x4e, 0x04, 0x40);
    move.push(...addAt(2, 24 * c, highLocal, true), ...addAt(2, 24 * c + 8, middleLocal, true));
    move.push(...addAt(2, 24 * c + 16, lowLocal, true), 0x0b);
  }
  const one = [0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f];
  move.push(...one, ...set(valueLocal));
  move.push(...addAt(1, 24 * cols, valueLocal, false));
  move.push(...get(2), 0x41, 0, 0x4e, 0x04, 0x40, ...addAt(2, 24 * cols, valueLocal, true), 0x0b);
  move.push(0x0b);
  const moveBody = [1, 5, 0x7c, ...move];
  // s(rowByte, boundByte, labelByte, label, outByte, deltaByte, constantByte, centroidByte): settles
  // a row with all k distances as processBlock does: f, its bounds (the square roots of the two
  // smallest distances), and when the nearest centroid is not `label`, the new label and m. Returns
  // 1 when the label changed, else 0.
  const nearestIndex = 8;
  const clusterBytes = (cols + 1) * 24;
  const settle: number[] = [...get(0), ...get(7), ...get(4), 0x10, 0, ...set(nearestIndex)];
  settle.push(...get(1), ...get(4), ...floatLoad(0), 0x9f, 0x39, 3, 0);
  settle.push(...get(1), ...get(4), ...floatLoad(8), 0x9f, 0x39, 3, 8);
  settle.push(...get(nearestIndex), ...get(3), 0x46, 0x04, 0x40, 0x41, 0, 0x0f, 0x0b);
  settle.push(...get(2), ...get(nearestIndex), 0x36, 2, 0);
  settle.push(...get(0), ...get(5), ...get(nearestIndex), 0x41, ...signed(clusterBytes), 0x6c, 0x6a);
  settle.push(...get(3), 0x41, 0, 0x4e, 0x04, 0x7f, ...get(5), ...get(3), 0x41, ...signed(clusterBytes));
  settle.push(0x6c, 0x6a, 0x05, 0x41, ...signed(-1), 0x0b, ...get(6), 0x10, 3, 0x41, 1, 0x0b);
  const settleBody = [1, 1, 0x7f, ...settle];
  // b(start, end, flags, stamp, outByte, deltaByte, labelByte, boundByte, stampByte, driftByte,
  // halfByte, centroidByte, constantByte): processBlock's bounded step over rows [start, end) of an
  // unweighted block, the same operations in the same order (flags: 1 stream, 2 direct, 4 rebase).
  // Returns the changed labels; stores the recomputed and full counts (i32) at outByte + 32 and + 36
  // and the streamed sum (f64) at outByte + 40.
  const float64Constant = (value: number): number[] => {
    // WebAssembly encodes constants little-endian, whatever the platform's byte order.
    const bytes = new DataView(new ArrayBuffer(8));
    bytes.setFloat64(0, value, true);
    return [0x44, ...new Uint8Array(bytes.buffer)];
  };
  const [rowIndex, rowLabel, address, changedCount, recomputedCount, fullCount, rowByte] = [
    13, 14, 15, 16, 17, 18, 19,
  ];
  const [upper, lower, limit, touch, own, ownScalar] = [20, 21, 22, 23, 24, 25];
  const [ownLow, ownHigh, ownDifference] = [26, 27, 28];
  const flagSet = (bit: number): number[] => [...get(2), 0x41, bit, 0x71];
  const boundAddress = [...get(7), ...get(rowIndex), 0x41, 4, 0x74, 0x6a];
  const storeBounds = (first: number): number[] => [
    ...boundAddress,
    ...get(first),
    0x39,
    3,
    0,
    ...boundAddress,
    ...get(lower),
    0x39,
    3,
    8,
  ];
  const stampAddress = [...get(8), ...get(rowIndex), 0x6a];
  const bounded: number[] = [...get(0), ...set(rowIndex), 0x02, 0x40, 0x03, 0x40];
  bounded.push(...get(rowIndex), ...get(1), 0x4e, 0x0d, 1, 0x02, 0x40);
  bounded.push(...get(rowIndex), 0x41, ...signed(cols * 8), 0x6c, ...set(rowByte));
  bounded.push(...get(6), ...get(rowIndex), 0x41, 2, 0x74, 0x6a, 0x28, 2, 0, ...set(rowLabel));
  bounded.push(...flagSet(1), 0x04, 0x40, ...get(touch), ...get(rowByte), ...floatLoad(0), 0xa0);
  bounded.push(...set(touch), 0x0b);
  bounded.push(...get(9), ...stampAddress, 0x2d, 0, 0, 0x41, ...signed(k), 0x6c, ...get(rowLabel), 0x6a);
  bounded.push(0x41, 4, 0x74, 0x6a, ...set(address));
  bounded.push(...boundAddress, ...floatLoad(0), ...get(address), ...floatLoad(0), 0xa0, ...set(upper));
  bounded.push(...boundAddress, ...floatLoad(8), ...get(address), ...floatLoad(8), 0xa1, ...set(lower));
  bounded.push(...get(10), ...get(rowLabel), 0x41, 3, 0x74, 0x6a, ...floatLoad(0), ...get(lower), 0xa5);
  bounded.push(...float64Constant(1 - 1e-10), 0xa2, ...set(limit));
  bounded.push(...get(upper), ...get(limit), 0x63, 0x04, 0x40, ...flagSet(4), 0x04, 0x40);
  bounded.push(...storeBounds(upper), ...stampAddress, ...get(3), 0x3a, 0, 0, 0x0b, 0x0c, 1, 0x0b);
  bounded.push(...stampAddress, ...get(3), 0x3a, 0, 0);
  bounded.push(...get(recomputedCount), 0x41, 1, 0x6a, ...set(recomputedCount));
  // Not direct: the exact own distance (as h computes it) may prove the label.
  bounded.push(...flagSet(2), 0x45, 0x04, 0x40);
  bounded.push(...get(11), ...get(rowLabel), 0x41, ...signed(cols * 8), 0x6c, 0x6a, ...set(address));
  for (let group = 0; group < body / 4; group++) {
    for (const [sumLocal, half] of [
      [ownLow, 0],
      [ownHigh, 1],
    ] as const) {
      const offset = group * 32 + half * 16;
      if (group > 0) bounded.push(...get(sumLocal));
      bounded.push(...get(rowByte), ...vectorLoad(offset), ...get(address), ...vectorLoad(offset));
      bounded.push(...subtract, 0x22, ...unsigned(ownDifference), ...get(ownDifference), ...multiply);
      if (group > 0) bounded.push(...add);
      bounded.push(...set(sumLocal));
    }
  }
  bounded.push(...get(ownLow), ...lane(0), ...set(own));
  for (let t = 0; t < tail; t++) {
    const offset = (body + t) * 8;
    bounded.push(...get(rowByte), ...floatLoad(offset), ...get(address), ...floatLoad(offset), 0xa1);
    bounded.push(0x22, ...unsigned(ownScalar), ...get(ownScalar), 0xa2, ...get(own), 0xa0, ...set(own));
  }
  bounded.push(...get(own), ...get(ownLow), ...lane(1), 0xa0);
  bounded.push(...get(ownHigh), ...lane(0), ...get(ownHigh), ...lane(1), 0xa0, 0xa0, 0x9f, ...set(own));
  bounded.push(...get(own), ...get(limit), 0x63, 0x04, 0x40, ...storeBounds(own), 0x0c, 2, 0x0b, 0x0b);
  bounded.push(...get(fullCount), 0x41, 1, 0x6a, ...set(fullCount));
  bounded.push(...get(changedCount), ...get(rowByte), ...boundAddress);
  bounded.push(...get(6), ...get(rowIndex), 0x41, 2, 0x74, 0x6a, ...get(rowLabel), ...get(4), ...get(5));
  bounded.push(...get(12), ...get(11), 0x10, 4, 0x6a, ...set(changedCount));
  bounded.push(0x0b, ...get(rowIndex), 0x41, 1, 0x6a, ...set(rowIndex), 0x0c, 0, 0x0b, 0x0b);
  bounded.push(...get(4), ...get(recomputedCount), 0x36, 2, 32, ...get(4), ...get(fullCount), 0x36, 2, 36);
  bounded.push(...get(4), ...get(touch), 0x39, 3, 40, ...get(changedCount), 0x0b);
  const boundedBody = [3, 7, 0x7f, 6, 0x7c, 3, 0x7b, ...bounded];
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
    ...section(1, [
      5,
      ...[0x60, 3, 0x7f, 0x7f, 0x7f, 1, 0x7f],
      ...[0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7c],
      ...[0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 0],
      ...[0x60, 8, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f],
      ...[0x60, 13, ...new Array<number>(13).fill(0x7f), 1, 0x7f],
    ]),
    ...section(2, [1, 1, 0x6d, 1, 0x6d, 0x02, 0x03, ...unsigned(pages), ...unsigned(pages)]),
    ...section(3, [6, 0, 0, 1, 2, 3, 4]),
    ...section(7, [
      6,
      ...[1, 0x66, 0x00, 0, 1, 0x67, 0x00, 1, 1, 0x68, 0x00, 2],
      ...[1, 0x6d, 0x00, 3, 1, 0x73, 0x00, 4, 1, 0x62, 0x00, 5],
    ]),
    ...section(10, [
      6,
      ...unsigned(functionBody.length),
      ...functionBody,
      ...unsigned(maximaBody.length),
      ...maximaBody,
      ...unsigned(inertiaBody.length),
      ...inertiaBody,
      ...unsigned(moveBody.length),
      ...moveBody,
      ...unsigned(settleBody.length),
      ...settleBody,
      ...unsigned(boundedBody.length),
      ...boundedBody,
    ]),
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

/**
 * The {@link BlockInertia} form of a {@link simdNearestModule} instance's export `h`, for the rows of
 * `data` labelled in `labels` with the centroids in `centroids` (all three views of the instance's
 * memory). Self-contained: worker threads rebuild it from its source text.
 */
export function bindSimdInertia(
  inertia: (rowByte: number, endByte: number, labelByte: number, centroidByte: number) => number,
  data: Float64Array,
  labels: Int32Array,
  centroids: Float64Array,
  cols: number,
): BlockInertia {
  const dataByte = data.byteOffset;
  const labelByte = labels.byteOffset;
  const centroidByte = centroids.byteOffset;
  const rowBytes = cols * 8;
  return (start, end) =>
    inertia(dataByte + start * rowBytes, dataByte + end * rowBytes, labelByte + start * 4, centroidByte);
}

/**
 * The {@link RowMove} form of a {@link simdNearestModule} instance's export `m`, for rows of `data`
 * and the sums in `deltas` split with `splitConstants` (all three views of the instance's memory).
 * Self-contained: worker threads rebuild it from its source text.
 */
export function bindSimdMove(
  move: (rowByte: number, toByte: number, fromByte: number, constantByte: number) => void,
  data: Float64Array,
  deltas: Float64Array,
  splitConstants: Float64Array,
): RowMove {
  const dataByte = data.byteOffset;
  const deltaByte = deltas.byteOffset;
  const constantByte = splitConstants.byteOffset;
  return (base, toStart, fromStart, label) =>
    move(
      dataByte + base * 8,
      deltaByte + toStart * 8,
      label >= 0 ? deltaByte + fromStart * 8 : -1,
      constantByte,
    );
}

/**
 * The {@link RowSettle} form of a {@link simdNearestModule} instance's export `s`, on views of the
 * instance's memory, with this thread's 16-byte slot at `outByte`. Self-contained: worker threads
 * rebuild it from its source text.
 */
export function bindSimdSettle(
  settle: (
    rowByte: number,
    boundByte: number,
    labelByte: number,
    label: number,
    outByte: number,
    deltaByte: number,
    constantByte: number,
    centroidByte: number,
  ) => number,
  data: Float64Array,
  bounds: Float64Array,
  labels: Int32Array,
  deltas: Float64Array,
  splitConstants: Float64Array,
  centroids: Float64Array,
  outByte: number,
  cols: number,
): RowSettle {
  const dataByte = data.byteOffset;
  const boundByte = bounds.byteOffset;
  const labelByte = labels.byteOffset;
  const deltaByte = deltas.byteOffset;
  const constantByte = splitConstants.byteOffset;
  const centroidByte = centroids.byteOffset;
  const rowBytes = cols * 8;
  return (row, label, deltaStart) =>
    settle(
      dataByte + row * rowBytes,
      boundByte + row * 16,
      labelByte + row * 4,
      label,
      outByte,
      deltaByte + deltaStart * 8,
      constantByte,
      centroidByte,
    );
}

/**
 * The {@link BoundedStep} form of a {@link simdNearestModule} instance's export `b`, on views of the
 * instance's memory, with this thread's slot at `outByte`. Self-contained: worker threads rebuild
 * it from its source text.
 */
export function bindSimdBounded(
  bounded: (...addresses: number[]) => number,
  memory: ArrayBuffer,
  state: {
    readonly labels: Int32Array;
    readonly bounds: Float64Array;
    readonly stamps: Uint8Array;
    readonly drift: Float64Array;
    readonly halfSeparation: Float64Array;
    readonly centroids: Float64Array;
    readonly splitConstants: Float64Array;
    readonly deltas: Float64Array;
  },
  outByte: number,
): BoundedStep {
  const counts = new Int32Array(memory, outByte + 32, 2);
  const streamed = new Float64Array(memory, outByte + 40, 1);
  const deltaByte = state.deltas.byteOffset;
  return (start, end, flags, stamp, deltaStart, results) => {
    const changed = bounded(
      start,
      end,
      flags,
      stamp,
      outByte,
      deltaByte + deltaStart * 8,
      state.labels.byteOffset,
      state.bounds.byteOffset,
      state.stamps.byteOffset,
      state.drift.byteOffset,
      state.halfSeparation.byteOffset,
      state.centroids.byteOffset,
      state.splitConstants.byteOffset,
    );
    results[0] = counts[0]!;
    results[1] = counts[1]!;
    results[2] = streamed[0]!;
    return changed;
  };
}
