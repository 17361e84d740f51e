import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { dayMilliseconds, periodOf } from './calendar-period.js';
import type { EventBlock } from './event-blocks.js';
import { blockSize, eventBlock } from './event-blocks.js';
import {
  addPartitionEvents,
  bufferedEventLimit,
  customerPartition,
  customersPerPartition,
  eventRecordBytes,
  flushPartition,
  flushPartitions,
  grownDoubles,
  type PartitionTotals,
  partitionActivePeriods,
  partitionedCustomers,
  partitionTotals,
  periodOffset,
  periodSpan,
  rehash,
  reserveCustomer,
  scatterEvents,
  slotStride,
  totalsStride,
} from './partitioned-totals.js';

/**
 * Customer totals on two threads: the calling thread reads the events and packs their ids (the
 * only step that needs the id strings, which a worker cannot see), a worker thread spreads them
 * over the hash partitions and adds them up (typed arrays only). The two meet in a small ring of
 * chunks in shared memory, so reading chunk c + 1 overlaps adding chunk c. Internal to the rfm
 * capability.
 *
 * The worker runs partitioned-totals.ts's own functions from their source text, so both paths add
 * the same events in the same order and give the same bits. The call stays synchronous: the
 * calling thread blocks in `Atomics.wait` only when the ring is full, and receives the totals with
 * `receiveMessageOnPort`.
 *
 * @packageDocumentation
 */

/** Events per chunk of the ring (a multiple of the block size). */
const chunkEvents = 64 * blockSize;
/** Chunks in the ring. */
const ringChunks = 4;
const startTimeoutMilliseconds = 10_000;
/** A worker that moves no chunk (or, at the end, gives no result) for this long is taken as dead. */
const stalledMilliseconds = 600_000;

// Control words: chunks published (by the calling thread), chunks consumed (by the worker), a
// signal the worker sleeps on (bumped at every publish and state change, so a wake-up is never
// lost), the state (0 running, then done or aborted), the result flag and the worker's start flag.
const publishedSlot = 0;
const consumedSlot = 1;
const signalSlot = 2;
const stateSlot = 3;
const resultSlot = 4;
const readySlot = 5;
const done = 1;
const aborted = 2;
const ready = 1;
const cannotRun = 2;
const resultPosted = 1;
const resultFailed = 2;

/** One chunk of the ring: events as columns, with its event count and first input position. */
interface RingChunk {
  readonly times: Float64Array;
  readonly amounts: Float64Array;
  readonly high: Uint32Array;
  readonly low: Uint32Array;
  readonly hashes: Uint32Array;
  /** [events in the chunk, input position of its first event]. */
  readonly meta: Float64Array;
}

function ringChunk(): RingChunk {
  const shared = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);
  return {
    times: new Float64Array(shared(chunkEvents * 8)),
    amounts: new Float64Array(shared(chunkEvents * 8)),
    high: new Uint32Array(shared(chunkEvents * 4)),
    low: new Uint32Array(shared(chunkEvents * 4)),
    hashes: new Uint32Array(shared(chunkEvents * 4)),
    meta: new Float64Array(shared(16)),
  };
}

/** The worker's program: partitioned-totals.ts's functions and constants, then its loop. */
function workerSource(monthOfDay: (day: number) => number): string {
  const functions = [
    customerPartition,
    grownDoubles,
    rehash,
    reserveCustomer,
    addPartitionEvents,
    partitionActivePeriods,
    partitionedCustomers,
    flushPartition,
    flushPartitions,
    scatterEvents,
    partitionTotals,
  ];
  return `'use strict';
const slotStride = ${slotStride};
const totalsStride = ${totalsStride};
const periodSpan = ${periodSpan};
const periodOffset = ${periodOffset};
const eventRecordBytes = ${eventRecordBytes};
const bufferedEventLimit = ${bufferedEventLimit};
const customersPerPartition = ${customersPerPartition};
${functions.map((fn) => fn.toString()).join('\n')}
const dayMilliseconds = ${dayMilliseconds};
const monthOfDay = ${monthOfDay.toString()};
const periodOf = ${periodOf.toString()};
function main({ control, ring, events, activity, port }) {
  const periodOfTime = periodOf(activity);
  try {
    // One event through every function first: source text that cannot run here (a bundler that
    // renamed what it references, say) then means "no worker", and the caller works alone.
    const trial = partitionedCustomers(1, true, periodOfTime);
    const one = new Float64Array(1);
    const word = new Uint32Array(1);
    scatterEvents(trial, word, word, word, one, one, undefined, 0, 1, 0);
    if (partitionTotals(trial).events[0] !== 1) throw new Error('trial event not counted');
  } catch {
    Atomics.store(control, ${readySlot}, ${cannotRun});
    Atomics.notify(control, ${readySlot});
    return;
  }
  try {
    Atomics.store(control, ${readySlot}, ${ready});
    Atomics.notify(control, ${readySlot});
    const customers = partitionedCustomers(events, true, periodOfTime);
    let consumed = 0;
    let nextFlush = 0;
    for (;;) {
      const signal = Atomics.load(control, ${signalSlot});
      if (Atomics.load(control, ${stateSlot}) === ${aborted}) return;
      if (Atomics.load(control, ${publishedSlot}) > consumed) {
        const chunk = ring[consumed % ring.length];
        scatterEvents(customers, chunk.high, chunk.low, chunk.hashes, chunk.times, chunk.amounts, undefined, 0, chunk.meta[0], chunk.meta[1]);
        // One partition added up per chunk, in turn: the adding is spread evenly over the input
        // instead of coming in bursts that would stall the reading thread on a full ring.
        flushPartition(customers, nextFlush);
        nextFlush = (nextFlush + 1) % customers.partitions.length;
        consumed++;
        Atomics.store(control, ${consumedSlot}, consumed);
        Atomics.notify(control, ${consumedSlot});
        continue;
      }
      // Done is set after the last publish: once it is seen, the count read next is final.
      if (Atomics.load(control, ${stateSlot}) === ${done}) {
        if (Atomics.load(control, ${publishedSlot}) > consumed) continue;
        break;
      }
      Atomics.wait(control, ${signalSlot}, signal);
    }
    const totals = partitionTotals(customers);
    const transfer = [totals.firstEvent.buffer, totals.lastEvent.buffer, totals.events.buffer, totals.revenue.buffer];
    if (totals.activePeriods !== undefined) transfer.push(totals.activePeriods.buffer);
    port.postMessage(totals, transfer);
    Atomics.store(control, ${resultSlot}, ${resultPosted});
  } catch (error) {
    port.postMessage({ error: String(error && error.stack ? error.stack : error) });
    Atomics.store(control, ${resultSlot}, ${resultFailed});
    Atomics.notify(control, ${consumedSlot});
  }
  Atomics.notify(control, ${resultSlot});
}
import('node:worker_threads').then(({ workerData }) => main(workerData));
`;
}

/** The calling thread's side of the ring. @internal */
export interface TotalsPipeline {
  /**
   * The next block to fill, in the chunk being written (waits while the ring is full), or
   * `undefined` when the worker did not start in time or cannot run its code (it is then stopped).
   */
  nextBlock(): EventBlock | undefined;
  /** Marks the block returned last as filled with `count` events starting at input position `position`. */
  blockFilled(count: number, position: number): void;
  /**
   * Publishes the last chunk and returns the worker's totals (blocks until they arrive), or
   * `undefined` when the worker did not start in time or cannot run its code.
   */
  finish(): PartitionTotals | undefined;
  /** Stops the worker without a result (the caller then computes on its own). */
  abort(): void;
}

/**
 * Starts the worker for `events` events, or returns `undefined` when worker threads cannot be used
 * here. `monthOfDay` is the calendar function the worker's `periodOf` calls (calendar-period.ts's
 * own, but a caller may pass another).
 * @internal
 */
export function startTotalsPipeline(
  events: number,
  activity: 'day' | 'month' | undefined,
  monthOfDay: (day: number) => number,
): TotalsPipeline | undefined {
  const control = new Int32Array(new SharedArrayBuffer(8 * 4));
  const ring = Array.from({ length: ringChunks }, ringChunk);
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    worker = new Worker(workerSource(monthOfDay), {
      eval: true,
      workerData: { control, ring, events, activity, port: port2 },
      transferList: [port2],
    });
  } catch {
    port1.close();
    return undefined;
  }
  worker.unref();
  // Blocks of every chunk, made once: a block is a view into its chunk at its offset.
  const ids = new Array<unknown>(blockSize).fill('');
  const blocks = ring.map((chunk) =>
    Array.from({ length: chunkEvents / blockSize }, (_, index) => eventBlock(ids, chunk, index * blockSize)),
  );
  let published = 0;
  let filled = 0;
  let chunkStart = 0;
  let finished = false;

  const stop = (): void => {
    finished = true;
    port1.close();
    void worker.terminate();
  };
  const started = (): boolean => {
    if (Atomics.load(control, readySlot) === 0) Atomics.wait(control, readySlot, 0, startTimeoutMilliseconds);
    return Atomics.load(control, readySlot) === ready;
  };
  const workerError = (): Error => {
    const message = receiveMessageOnPort(port1)?.message as { error?: string } | undefined;
    stop();
    return new Error(`rfm: the totals worker thread failed: ${message?.error ?? 'no reason given'}`);
  };
  /** Sleeps until `slot` moves off `value`; throws if the worker failed or made no progress for too long. */
  const waitWhile = (slot: number, value: number): void => {
    let waited = 0;
    while (Atomics.load(control, slot) === value) {
      if (Atomics.load(control, resultSlot) === resultFailed) throw workerError();
      if (waited >= stalledMilliseconds) {
        stop();
        throw new Error(`rfm: the totals worker thread made no progress for ${stalledMilliseconds / 1000} s`);
      }
      Atomics.wait(control, slot, value, 1000);
      waited += 1000;
    }
  };
  const publish = (): void => {
    const chunk = ring[published % ringChunks]!;
    chunk.meta[0] = filled;
    chunk.meta[1] = chunkStart;
    published++;
    Atomics.store(control, publishedSlot, published);
    Atomics.add(control, signalSlot, 1);
    Atomics.notify(control, signalSlot);
    filled = 0;
  };
  const pipeline: TotalsPipeline = {
    nextBlock(): EventBlock | undefined {
      if (filled === 0 && published >= ringChunks) {
        // The chunk about to be written must have been consumed.
        if (!started()) {
          pipeline.abort();
          return undefined;
        }
        const consumed = Atomics.load(control, consumedSlot);
        if (published - consumed >= ringChunks) waitWhile(consumedSlot, consumed);
      }
      return blocks[published % ringChunks]![filled / blockSize]!;
    },
    blockFilled(count: number, position: number): void {
      if (filled === 0) chunkStart = position;
      filled += count;
      if (filled === chunkEvents || count < blockSize) publish();
    },
    finish(): PartitionTotals | undefined {
      if (filled > 0) publish();
      Atomics.store(control, stateSlot, done);
      Atomics.add(control, signalSlot, 1);
      Atomics.notify(control, signalSlot);
      if (!started()) {
        pipeline.abort();
        return undefined;
      }
      waitWhile(resultSlot, 0);
      if (Atomics.load(control, resultSlot) === resultFailed) throw workerError();
      const message = receiveMessageOnPort(port1)?.message as PartitionTotals;
      stop();
      return message;
    },
    abort(): void {
      if (finished) return;
      Atomics.store(control, stateSlot, aborted);
      Atomics.add(control, signalSlot, 1);
      Atomics.notify(control, signalSlot);
      stop();
    },
  };
  return pipeline;
}
