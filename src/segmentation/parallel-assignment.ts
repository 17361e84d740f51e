import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  type BlockInertia,
  type BlockState,
  type BoundedStep,
  blockCommand,
  blockRows,
  driftStamps,
  processBlock,
  type RowMove,
  type RowSettle,
} from './assignment-blocks.js';
import {
  bindSimdBounded,
  bindSimdInertia,
  bindSimdMove,
  bindSimdNearest,
  bindSimdSettle,
  type SimdMemory,
  type SimdModule,
  simdNearestModule,
  webAssembly,
} from './simd-nearest.js';
import {
  compiledKernel,
  compiledNearest,
  loopKernel,
  loopNearest,
  nearestCentroidFor,
  squaredDistanceFor,
} from './squared-distance.js';

/** Runs the E-step over every block, on the calling thread and any worker threads (internal). */
export interface AssignmentRunner {
  readonly state: BlockState;
  readonly blocks: number;
  /** Threads taking part, the calling one included. */
  readonly threads: number;
  /** One E-step: every block processed with `command`; returns the number of changed labels. */
  assign(command: number): number;
  /** Stops the worker threads. Idempotent. */
  close(): void;
}

/** Below this many row x column x centroid products a worker's start-up (~30 ms) is not repaid. */
const parallelWorkThreshold = 2 ** 22;

/**
 * The default of the `threads` option: every available core when one fit's E-step is large enough to
 * repay starting workers and copying the data into shared memory, otherwise 1.
 */
export function defaultThreads(rows: number, cols: number, k: number): number {
  if (rows * cols * k < parallelWorkThreshold || rows < 2 * blockRows) return 1;
  return availableParallelism();
}

// Control words shared with the workers; then one start-up word and one reserved block per worker.
const generationSlot = 0;
const commandSlot = 1;
const nextBlockSlot = 2;
const doneBlocksSlot = 3;
const changedSlot = 4;
const errorSlot = 5;
const workerSlots = 6;
const errorTextBytes = 4096;
// Start-up word of a worker: set by the worker to `ready` or (through `failing`, while it writes the
// error) to `failed`, or by the main thread to `abandoned` when the worker did not start in time; a
// compare-exchange decides which came first.
const starting = 0;
const ready = 1;
const abandoned = 2;
const failing = 3;
const failed = 4;
const startTimeoutMilliseconds = 10_000;

/**
 * The worker's program, as source text run with `new Worker(source, { eval: true })`: it needs no
 * file on disk, so the same code runs from the TypeScript sources (tests) and from `dist/` (users),
 * and it is built from the very functions the calling thread runs, so every thread computes
 * bit-identical distances and sums.
 *
 * Protocol: the main thread writes the iteration's inputs, resets the counters, bumps the generation
 * and wakes the workers. Each worker first processes its reserved block (so every started worker
 * takes part in every E-step), then every thread (main included) claims the remaining blocks with an
 * atomic counter until none is left, so a slow or busy core simply takes fewer blocks. A block's
 * results land in its own slots, so who processed it never changes the numbers.
 */
function workerSource(): string {
  // Neither require() nor a static import: the source runs as CommonJS or as a module depending on
  // the flags the process was started with (--input-type=module), and import() works in both.
  return `'use strict';
const processBlock = ${processBlock.toString()};
const compiledKernel = ${compiledKernel.toString()};
const loopKernel = ${loopKernel.toString()};
const compiledNearest = ${compiledNearest.toString()};
const loopNearest = ${loopNearest.toString()};
const bindSimdNearest = ${bindSimdNearest.toString()};
const bindSimdInertia = ${bindSimdInertia.toString()};
const bindSimdMove = ${bindSimdMove.toString()};
const bindSimdSettle = ${bindSimdSettle.toString()};
const bindSimdBounded = ${bindSimdBounded.toString()};
function report(control, errorText, error) {
  if (Atomics.compareExchange(control, ${errorSlot}, 0, 1) !== 0) return;
  const text = new TextEncoder().encode(String(error && error.stack ? error.stack : error));
  errorText.set(text.subarray(0, errorText.length));
  Atomics.store(control, ${errorSlot}, 2 + Math.min(text.length, errorText.length));
}
function work({ state, control, errorText }, block, distance, nearest, inertia, move, settle, bounded) {
  try {
    const changed = processBlock(state, Atomics.load(control, ${commandSlot}), block, distance, nearest, inertia, move, settle, bounded);
    Atomics.add(control, ${changedSlot}, changed);
  } catch (error) {
    report(control, errorText, error);
  }
  Atomics.add(control, ${doneBlocksSlot}, 1);
  Atomics.notify(control, ${doneBlocksSlot});
}
function main(workerData) {
  const { state, control, errorText, blocks, index, simd } = workerData;
  const startSlot = ${workerSlots} + 2 * index;
  const reservedSlot = startSlot + 1;
  let distance;
  let nearest;
  let inertia;
  let move;
  let settle;
  let bounded;
  try {
    distance = compiledKernel(state.cols) ?? loopKernel(state.cols);
    nearest = compiledNearest(state.cols, state.k) ?? loopNearest(state.cols);
    if (simd !== undefined) {
      // Same bits as the JavaScript kernel, so a worker that cannot instantiate it keeps that one.
      try {
        const instance = new WebAssembly.Instance(simd.module, { m: { m: simd.memory } });
        nearest = bindSimdNearest(instance.exports.f, new Float64Array(simd.memory.buffer),
          simd.outByte + ${simdSlotBytes} * (index + 1), state.data, state.centroids, state.k, nearest);
        inertia = bindSimdInertia(instance.exports.h, state.data, state.labels, state.centroids, state.cols);
        move = bindSimdMove(instance.exports.m, state.data, state.deltas, state.splitConstants);
        settle = bindSimdSettle(instance.exports.s, state.data, state.bounds, state.labels, state.deltas,
          state.splitConstants, state.centroids, simd.outByte + ${simdSlotBytes} * (index + 1), state.cols);
        if (state.bounds.length > 0)
          bounded = bindSimdBounded(instance.exports.b, simd.memory.buffer, state,
            simd.outByte + ${simdSlotBytes} * (index + 1));
      } catch {}
    }
  } catch (error) {
    if (Atomics.compareExchange(control, startSlot, ${starting}, ${failing}) !== ${starting}) return;
    report(control, errorText, error);
    Atomics.store(control, startSlot, ${failed});
    Atomics.notify(control, startSlot);
    return;
  }
  if (Atomics.compareExchange(control, startSlot, ${starting}, ${ready}) !== ${starting}) return;
  Atomics.notify(control, startSlot);
  let seen = 0;
  for (;;) {
    const generation = Atomics.load(control, ${generationSlot});
    if (generation === seen) {
      Atomics.wait(control, ${generationSlot}, seen);
      continue;
    }
    seen = generation;
    if (Atomics.load(control, ${commandSlot}) === ${blockCommand.exit}) return;
    work(workerData, Atomics.load(control, reservedSlot), distance, nearest, inertia, move, settle, bounded);
    for (;;) {
      const block = Atomics.add(control, ${nextBlockSlot}, 1);
      if (block >= blocks) break;
      work(workerData, block, distance, nearest, inertia, move, settle, bounded);
    }
  }
}
import('node:worker_threads').then(({ workerData }) => main(workerData));
`;
}

/** Throws the first error a worker reported, if any. */
function throwWorkerError(control: Int32Array, errorText: Uint8Array): void {
  const error = Atomics.load(control, errorSlot);
  if (error === 0) return;
  const text = new TextDecoder().decode(errorText.slice(0, Math.max(0, error - 2)));
  // A failure inside the numeric kernel is a bug, not bad input: a plain Error, with the worker's stack.
  throw new Error(`kmeans: a worker thread failed: ${text}`);
}

function sharedFloat64(length: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}

/** `source` itself when it already lives in shared memory, else room there for one copy (filled later). */
function sharedSpace(source: Float64Array): Float64Array {
  if (source.buffer instanceof SharedArrayBuffer) return source;
  return sharedFloat64(source.length, true);
}

/** Keeps every split piece's unit a normal number and every split constant finite. */
const smallestExponent = -996;
const largestExponent = 997;

/**
 * The constants of {@link BlockState.splitConstants}: per value column (x * weight for each data
 * column, then the weight), the smallest power of two e with every |value| at most 2^e, and
 * 1.5 x 2^(e + 26), 1.5 x 2^e, 1.5 x 2^(e - 26), which round a value to multiples of 2^(e - 26),
 * 2^(e - 52) and 2^(e - 78). A value then equals the sum of its three pieces whenever it is at least
 * 2^(e - 26) in magnitude (a smaller one loses the bits below 2^(e - 78), the same loss for every
 * thread and algorithm), and up to 2^27 rows the sums of pieces never round.
 */
function splitConstantsFor(
  data: Float64Array,
  weights: Float64Array | undefined,
  rows: number,
  cols: number,
  constants: Float64Array,
  copy: Float64Array | undefined,
  columnMaxima: ColumnMaxima | undefined,
): void {
  const width = cols + 1;
  const largest = new Float64Array(width);
  // Chunk by chunk, each scanned right after it is copied (while it is in the cache).
  for (let first = 0; first < rows; first += blockRows) {
    const last = Math.min(rows, first + blockRows);
    copy?.set(data.subarray(first * cols, last * cols), first * cols);
    if (columnMaxima !== undefined && weights === undefined) {
      // The SIMD scan of the copy: the same maxima (exact in any order), several times faster.
      columnMaxima(first, last, largest);
      continue;
    }
    for (let i = first, base = first * cols; i < last; i++, base += cols) {
      const weight = weights === undefined ? 1 : weights[i]!;
      for (let c = 0; c < cols; c++) {
        const value = Math.abs(data[base + c]! * weight);
        if (value > largest[c]!) largest[c] = value;
      }
      if (weight > largest[cols]!) largest[cols] = weight;
    }
  }
  // Unweighted, the weight column is all 1 (the SIMD scan does not look at it).
  if (weights === undefined) largest[cols] = rows > 0 ? 1 : 0;
  for (let c = 0; c < width; c++) {
    const magnitude = largest[c]!;
    let exponent = magnitude > 0 ? Math.ceil(Math.log2(magnitude)) : 0;
    if (2 ** exponent < magnitude) exponent++;
    exponent = Math.min(largestExponent, Math.max(smallestExponent, exponent));
    constants[c * 3] = 1.5 * 2 ** (exponent + 26);
    constants[c * 3 + 1] = 1.5 * 2 ** exponent;
    constants[c * 3 + 2] = 1.5 * 2 ** (exponent - 26);
  }
}

/** Raises `largest[c]` to the largest |value| of column c in rows [first, last) of the copy. */
type ColumnMaxima = (first: number, last: number, largest: Float64Array) => void;

/**
 * The SIMD kernels' shared memory: the data, then the centroids, one output slot per thread, room
 * for the column maxima of the data scan, the labels, the blocks' sums, the split constants,
 * Hamerly's bounds, the drift tables, the half separations and the stamps (views of it become the
 * {@link BlockState} arrays of those names).
 */
interface SimdSpace {
  readonly module: SimdModule;
  readonly memory: SimdMemory;
  readonly data: Float64Array;
  readonly centroids: Float64Array;
  readonly outByte: number;
  readonly maximaByte: number;
  readonly labels: Int32Array;
  readonly deltas: Float64Array;
  readonly splitConstants: Float64Array;
  readonly bounds: Float64Array;
  readonly stamps: Uint8Array;
  readonly drift: Float64Array;
  readonly halfSeparation: Float64Array;
}

/** Bytes between the SIMD kernel's per-thread output slots. */
const simdSlotBytes = 128;

/** Room for the SIMD kernel (undefined where it does not apply: the JavaScript kernel runs instead). */
function simdSpace(
  values: number,
  rows: number,
  cols: number,
  k: number,
  threads: number,
  blocks: number,
  boundsLength: number,
): SimdSpace | undefined {
  // Each thread's slot on cache lines of its own (128 bytes: adjacent-line prefetch pairs lines):
  // slots written by two cores on one line would bounce it between them on every row.
  const centroidByte = Math.ceil((values * 8) / simdSlotBytes) * simdSlotBytes;
  const outByte = centroidByte + Math.ceil((k * cols * 8) / simdSlotBytes) * simdSlotBytes;
  const maximaByte = outByte + simdSlotBytes * threads;
  const labelByte = maximaByte + Math.ceil((cols * 8) / simdSlotBytes) * simdSlotBytes;
  const deltaByte = labelByte + Math.ceil((rows * 4) / simdSlotBytes) * simdSlotBytes;
  const deltaLength = blocks * k * (cols + 1) * 3;
  const constantByte = deltaByte + deltaLength * 8;
  const boundByte = Math.ceil((constantByte + (cols + 1) * 3 * 8) / simdSlotBytes) * simdSlotBytes;
  const driftByte = boundByte + boundsLength * 8;
  const driftLength = boundsLength > 0 ? driftStamps * k * 2 : 0;
  const halfByte = driftByte + driftLength * 8;
  const stampByte = halfByte + k * 8;
  const total = stampByte + boundsLength / 2;
  // Addresses stay below 2^31, where they pass through i32 parameters unchanged.
  if (total >= 2 ** 31) return undefined;
  const pages = Math.ceil(total / 65536);
  const api = webAssembly();
  const module = simdNearestModule(cols, k, pages);
  if (api === undefined || module === undefined) return undefined;
  try {
    const memory = new api.Memory({ initial: pages, maximum: pages, shared: true });
    return {
      module,
      memory,
      data: new Float64Array(memory.buffer, 0, values),
      centroids: new Float64Array(memory.buffer, centroidByte, k * cols),
      outByte,
      maximaByte,
      labels: new Int32Array(memory.buffer, labelByte, rows),
      deltas: new Float64Array(memory.buffer, deltaByte, deltaLength),
      splitConstants: new Float64Array(memory.buffer, constantByte, (cols + 1) * 3),
      bounds: new Float64Array(memory.buffer, boundByte, boundsLength),
      drift: new Float64Array(memory.buffer, driftByte, driftLength),
      halfSeparation: new Float64Array(memory.buffer, halfByte, k),
      stamps: new Uint8Array(memory.buffer, stampByte, boundsLength / 2),
    };
  } catch {
    return undefined;
  }
}

/**
 * Allocates the E-step's state once per fit and starts `threads - 1` workers (the calling thread is
 * the last one). With more than one thread the data is copied once into a SharedArrayBuffer (not
 * when it already is in one): a shared WebAssembly memory where {@link simdNearestModule} covers the
 * shape, so that every thread runs its WebAssembly kernels (same bits): for unweighted rows
 * Hamerly's whole bounded step, the first step's settling of each row with all k distances (bounds,
 * label, exact sums) and the inertia; the nearest centroid for the others; the column maxima of the
 * split constants. The workers stay until {@link AssignmentRunner.close}.
 */
export function createAssignmentRunner(
  data: Float64Array,
  weights: Float64Array | undefined,
  rows: number,
  cols: number,
  k: number,
  withBounds: boolean,
  requestedThreads: number,
): AssignmentRunner {
  const blocks = Math.ceil(rows / blockRows);
  const threads = Math.max(1, Math.min(requestedThreads, blocks));
  const shared = threads > 1;
  const boundsLength = withBounds ? rows : 0;
  const width = cols + 1;
  // With threads, the data is copied into shared memory anyway: into the SIMD kernel's memory when
  // it applies (data already shared by the caller is used in place, with the JavaScript kernel).
  const simd =
    shared && !(data.buffer instanceof SharedArrayBuffer)
      ? simdSpace(data.length, rows, cols, k, threads, blocks, 2 * boundsLength)
      : undefined;
  const state: BlockState = {
    data: simd !== undefined ? simd.data : shared ? sharedSpace(data) : data,
    weights: weights === undefined ? new Float64Array(0) : shared ? sharedSpace(weights) : weights,
    rows,
    cols,
    k,
    blockRows,
    centroids: simd !== undefined ? simd.centroids : sharedFloat64(k * cols, shared),
    labels:
      simd !== undefined
        ? simd.labels
        : shared
          ? new Int32Array(new SharedArrayBuffer(rows * 4))
          : new Int32Array(rows),
    bounds: simd !== undefined ? simd.bounds : sharedFloat64(2 * boundsLength, shared),
    stamps:
      simd !== undefined
        ? simd.stamps
        : shared
          ? new Uint8Array(new SharedArrayBuffer(boundsLength))
          : new Uint8Array(boundsLength),
    drift: simd !== undefined ? simd.drift : sharedFloat64(withBounds ? driftStamps * k * 2 : 0, shared),
    stamp: sharedFloat64(2, shared),
    halfSeparation: simd !== undefined ? simd.halfSeparation : sharedFloat64(k, shared),
    splitConstants: simd !== undefined ? simd.splitConstants : sharedFloat64((cols + 1) * 3, shared),
    deltas: simd !== undefined ? simd.deltas : sharedFloat64(blocks * k * width * 3, shared),
    blockChanged: shared ? new Int32Array(new SharedArrayBuffer(blocks * 4)) : new Int32Array(blocks),
    blockInertia: sharedFloat64(blocks, shared),
    blockRecomputed: shared ? new Int32Array(new SharedArrayBuffer(blocks * 4)) : new Int32Array(blocks),
    blockFull: shared ? new Int32Array(new SharedArrayBuffer(blocks * 4)) : new Int32Array(blocks),
    blockTouch: sharedFloat64(blocks, shared),
  };
  // Filled while the workers start (they read nothing before the first E-step).
  const fill = (): void => {
    if (weights !== undefined && state.weights !== weights) state.weights.set(weights);
    splitConstantsFor(
      data,
      weights,
      rows,
      cols,
      state.splitConstants,
      state.data === data ? undefined : state.data,
      columnMaxima,
    );
  };
  const distance = squaredDistanceFor(cols);
  let nearest = nearestCentroidFor(cols, k);
  let columnMaxima: ColumnMaxima | undefined;
  let inertia: BlockInertia | undefined;
  let move: RowMove | undefined;
  let settle: RowSettle | undefined;
  let boundedStep: BoundedStep | undefined;
  if (simd !== undefined) {
    try {
      const api = webAssembly();
      if (api === undefined) throw new Error('no WebAssembly');
      const instance = new api.Instance(simd.module, { m: { m: simd.memory } });
      const scan = instance.exports.g as (startByte: number, endByte: number, outByte: number) => number;
      const maxima = new Float64Array(simd.memory.buffer, simd.maximaByte, cols);
      const rowBytes = cols * 8;
      columnMaxima = (first, last, largest) => {
        scan(first * rowBytes, last * rowBytes, simd.maximaByte);
        for (let c = 0; c < cols; c++) if (maxima[c]! > largest[c]!) largest[c] = maxima[c]!;
      };
      nearest = bindSimdNearest(
        instance.exports.f as (rowByte: number, centroidByte: number, outByte: number) => number,
        new Float64Array(simd.memory.buffer),
        simd.outByte,
        state.data,
        state.centroids,
        k,
        nearest,
      );
      inertia = bindSimdInertia(
        instance.exports.h as (
          rowByte: number,
          endByte: number,
          labelByte: number,
          centroidByte: number,
        ) => number,
        state.data,
        state.labels,
        state.centroids,
        cols,
      );
      move = bindSimdMove(
        instance.exports.m as (
          rowByte: number,
          toByte: number,
          fromByte: number,
          constantByte: number,
        ) => void,
        state.data,
        state.deltas,
        state.splitConstants,
      );
      settle = bindSimdSettle(
        instance.exports.s as Parameters<typeof bindSimdSettle>[0],
        state.data,
        state.bounds,
        state.labels,
        state.deltas,
        state.splitConstants,
        state.centroids,
        simd.outByte,
        cols,
      );
      if (state.bounds.length > 0)
        boundedStep = bindSimdBounded(
          instance.exports.b as (...addresses: number[]) => number,
          simd.memory.buffer,
          state,
          simd.outByte,
        );
    } catch {
      // The JavaScript kernel computes the same bits.
    }
  }
  if (!shared) {
    fill();
    return {
      state,
      blocks,
      threads: 1,
      assign(command) {
        let changed = 0;
        for (let block = 0; block < blocks; block++)
          changed += processBlock(
            state,
            command,
            block,
            distance,
            nearest,
            inertia,
            move,
            settle,
            boundedStep,
          );
        return changed;
      },
      close() {},
    };
  }

  const control = new Int32Array(new SharedArrayBuffer((workerSlots + 2 * threads) * 4));
  // No block is claimable before the first E-step.
  control[nextBlockSlot] = blocks;
  const errorText = new Uint8Array(new SharedArrayBuffer(errorTextBytes));
  const source = workerSource();
  const workers: Worker[] = [];
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    Atomics.store(control, commandSlot, blockCommand.exit);
    Atomics.add(control, generationSlot, 1);
    Atomics.notify(control, generationSlot);
    for (const worker of workers) void worker.terminate();
  };
  let active = 0;
  try {
    for (let index = 0; index < threads - 1; index++) {
      const worker = new Worker(source, {
        eval: true,
        workerData: {
          state,
          control,
          errorText,
          blocks,
          index,
          simd:
            simd === undefined
              ? undefined
              : { module: simd.module, memory: simd.memory, outByte: simd.outByte },
        },
      });
      // A worker that cannot start is left out (below); this listener keeps its late 'error' event
      // from crashing the process.
      worker.on('error', () => {});
      worker.unref();
      workers.push(worker);
    }
    fill();
    // The calling thread blocks while the workers start (tens of milliseconds), so that each of them
    // can be given a reserved block: a worker that is not running after the time-out is left out for
    // good, and the fit goes on with the others.
    const deadline = performance.now() + startTimeoutMilliseconds;
    for (let index = 0; index < workers.length; index++) {
      const slot = workerSlots + 2 * index;
      for (;;) {
        const status = Atomics.load(control, slot);
        if (status !== starting && status !== failing) break;
        const remaining = deadline - performance.now();
        if (status === starting && remaining <= 0) {
          if (Atomics.compareExchange(control, slot, starting, abandoned) === starting) break;
          continue;
        }
        Atomics.wait(control, slot, status, Math.max(remaining, 10));
      }
      if (Atomics.load(control, slot) === ready) {
        control[slot + 1] = active;
        active++;
      }
    }
    throwWorkerError(control, errorText);
  } catch (error) {
    close();
    throw error;
  }
  return {
    state,
    blocks,
    threads: 1 + active,
    assign(command) {
      Atomics.store(control, commandSlot, command);
      Atomics.store(control, doneBlocksSlot, 0);
      Atomics.store(control, changedSlot, 0);
      // Last: once a block is claimable, every input of this E-step is in place. Blocks below
      // `active` are the workers' reserved ones.
      Atomics.store(control, nextBlockSlot, active);
      Atomics.add(control, generationSlot, 1);
      Atomics.notify(control, generationSlot);
      let changed = 0;
      for (;;) {
        const block = Atomics.add(control, nextBlockSlot, 1);
        if (block >= blocks) break;
        changed += processBlock(state, command, block, distance, nearest, inertia, move, settle, boundedStep);
        Atomics.add(control, doneBlocksSlot, 1);
      }
      for (;;) {
        const done = Atomics.load(control, doneBlocksSlot);
        if (done >= blocks) break;
        Atomics.wait(control, doneBlocksSlot, done);
      }
      throwWorkerError(control, errorText);
      return changed + Atomics.load(control, changedSlot);
    },
    close,
  };
}
