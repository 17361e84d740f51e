import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, DataError, OptionError, type Payment } from '../../src/data/index.js';
import { monthOfDay } from '../../src/rfm/calendar-period.js';
import { blockSize, eventBlock, keyBlock } from '../../src/rfm/event-blocks.js';
import { type FrequencyMeasure, rfm, rfmFromCalls } from '../../src/rfm/index.js';
import { packCustomerId } from '../../src/rfm/packed-customer-id.js';
import { partitionedCustomers, partitionTotals, scatterEvents } from '../../src/rfm/partitioned-totals.js';
import { startTotalsPipeline } from '../../src/rfm/totals-worker.js';
import { columnsOf } from '../support/payment-columns.js';

const day = 86_400_000;

/** Per-customer totals written out the obvious way: a Map in order of first appearance. */
function referenceTotals(payments: readonly Payment[], frequency: FrequencyMeasure) {
  const seen = new Map<string, { last: number; events: number; amount: number; periods: Set<number> }>();
  for (const { customerId, date, amount } of payments) {
    const entry = seen.get(customerId) ?? {
      last: -Infinity,
      events: 0,
      amount: 0,
      periods: new Set<number>(),
    };
    entry.last = Math.max(entry.last, date);
    entry.events += 1;
    entry.amount += amount;
    const when = new Date(date);
    entry.periods.add(
      frequency === 'activeMonths' ? when.getUTCFullYear() * 12 + when.getUTCMonth() : Math.floor(date / day),
    );
    seen.set(customerId, entry);
  }
  const latestDay = Math.max(...[...seen.values()].map((entry) => Math.floor(entry.last / day)));
  return [...seen].map(([customerId, entry]) => ({
    customerId,
    recencyDays: latestDay + 1 - Math.floor(entry.last / day),
    frequency: frequency === 'events' ? entry.events : entry.periods.size,
    monetary: entry.amount,
  }));
}

/** `count` payments over `customers` customers with ids made by `idOf`, seeded. */
function randomPayments(count: number, customers: number, idOf: (customer: number) => string): Payment[] {
  const rng = createRng(20261123);
  const ids = Array.from({ length: customers }, (_, customer) => idOf(customer));
  return Array.from({ length: count }, (_, i) => ({
    customerId: ids[i < customers ? i : rng.integer(customers)]!,
    date: Date.UTC(2024, 0, 1) + rng.integer(400 * 24) * 3_600_000,
    amount: Math.round(rng.logNormal(2, 1) * 100) / 100,
  }));
}

function totalsOf(result: ReturnType<typeof rfm>) {
  return result.customers.map(({ customerId, recencyDays, frequency, monetary }) => ({
    customerId,
    recencyDays,
    frequency,
    monetary,
  }));
}

describe('packCustomerId', () => {
  const pack = (id: string): [number, number] | undefined => {
    const high = new Uint32Array(1);
    const low = new Uint32Array(1);
    return packCustomerId(id, high, low, 0) ? [high[0]!, low[0]!] : undefined;
  };

  it('packs up to 15 digits, 10 of 0-9 A-Z a-z -, or 8 ASCII characters, and nothing else', () => {
    const packable = [
      '7',
      '007',
      '447700900123',
      '310150123456789',
      'C0412345',
      'CUST000123',
      'ab-CD-0123',
      'a',
      'Z9-_ .x',
      'a_b.c d!',
    ];
    for (const id of packable) expect(pack(id), id).toBeDefined();
    const unpackable = ['', '3101501234567890', 'CUST0001234', 'a_b.c d!?', 'é', 'ab\u0000', 'x😀'];
    for (const id of unpackable) expect(pack(id), id).toBeUndefined();
  });

  it('tells apart ids that differ only by leading zeros, length or class', () => {
    const forms = [
      '7',
      '07',
      '007',
      '70',
      '700',
      '0',
      '00',
      'A',
      'A0',
      'A00',
      '0A',
      '1234567',
      '12345678',
      '123456789012345',
    ].map((id) => pack(id)!.join(','));
    expect(new Set(forms).size).toBe(forms.length);
  });

  /** The id back from its packed words, written from the encoding's description. */
  const unpack = ([high, low]: [number, number]): string => {
    const tag = high >>> 30;
    const bits = [0, 4, 6, 7][tag]!;
    const inHigh = [0, 7, 5, 4][tag]!;
    const inLow = Math.floor(32 / bits);
    const mask = 2 ** bits - 1;
    const codes: number[] = [];
    for (let k = 0; k < inHigh; k++) codes.push(Math.floor(high / 2 ** ((inHigh - 1 - k) * bits)) & mask);
    for (let k = 0; k < inLow; k++) codes.push(Math.floor(low / 2 ** ((inLow - 1 - k) * bits)) & mask);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-';
    const end = codes.indexOf(0);
    return codes
      .slice(0, end === -1 ? codes.length : end)
      .map((code) =>
        tag === 1 ? String(code - 1) : tag === 2 ? alphabet[code - 1] : String.fromCharCode(code),
      )
      .join('');
  };

  it('decodes back to the id (so two ids share a packed form only when equal)', () => {
    const ids = (characters: string, maxLength: number) =>
      fc.array(fc.constantFrom(...characters), { minLength: 0, maxLength }).map((list) => list.join(''));
    const id = fc.oneof(
      ids('0123456789', 16),
      ids('0123456789ABCXYZabcxyz-', 11),
      ids('09AZaz-_ .~\u0001\u007fé', 9),
    );
    fc.assert(
      fc.property(id, (value) => {
        const packed = pack(value);
        if (packed !== undefined) expect(unpack(packed)).toBe(value);
      }),
      { numRuns: 5000 },
    );
    for (const value of [
      '310150123456789',
      '000000000000000',
      'CUST000123',
      '----------',
      'zzzzzzzzzz',
      '~~~~~~~~',
    ]) {
      expect(unpack(pack(value)!)).toBe(value);
    }
  });
});

describe('keyBlock', () => {
  it('gives distinct ids well-spread key hashes (partitions from the top byte, slots from the low bits)', () => {
    // A degenerate hash keeps every total right but turns the partitions into long probe chains.
    for (const packed of [true, false]) {
      const topBytes = new Set<number>();
      const lowBits = new Set<number>();
      const hashes = new Set<number>();
      const block = eventBlock();
      for (let start = 0; start < 20_000; start += blockSize) {
        for (let k = 0; k < blockSize; k++) block.ids[k] = `C${String(start + k).padStart(7, '0')}`;
        expect(keyBlock(block, blockSize, packed)).toBeUndefined();
        for (const hash of block.hashes) {
          hashes.add(hash);
          topBytes.add(hash >>> 24);
          lowBits.add(hash & 0xfff);
        }
      }
      expect(hashes.size).toBeGreaterThan(19_900);
      expect(topBytes.size).toBe(256);
      expect(lowBits.size).toBeGreaterThan(4000);
    }
  });
});

describe('per-customer totals: partitions, the worker thread and the fallbacks', () => {
  // 300,000 events: more than the worker's ring holds (4 chunks of 16,384), over 40,000 customers
  // (many hash partitions, tables that grow).
  const packable = randomPayments(300_000, 40_000, (customer) => `C${String(customer).padStart(7, '0')}`);
  const digits = randomPayments(300_000, 40_000, (customer) => String(447_700_000_000 + customer * 7919));

  it.each<FrequencyMeasure>(['events', 'activeDays', 'activeMonths'])(
    'gives the reference totals with one thread and with a worker (frequency %s)',
    (frequency) => {
      const expected = referenceTotals(packable, frequency);
      const oneThread = rfm(columnsOf(packable), { frequency, threads: 1 });
      const worker = rfm(columnsOf(packable), { frequency, threads: 2 });
      expect(totalsOf(oneThread)).toEqual(expected);
      expect(worker).toEqual(oneThread);
      expect(rfm(packable, { frequency, threads: 2 })).toEqual(oneThread);
    },
  );

  it('groups digit ids (MSISDN-like) exactly, with and without the worker', () => {
    const expected = referenceTotals(digits, 'events');
    expect(totalsOf(rfm(digits, { threads: 1 }))).toEqual(expected);
    expect(totalsOf(rfm(columnsOf(digits), { threads: 2 }))).toEqual(expected);
  });

  it('starts over with hashed ids when an id late in the input has no packed form', () => {
    const payments = [
      ...packable.slice(0, 100_000),
      { customerId: 'a-much-longer-account-id', date: 5 * day, amount: 1 },
    ];
    payments.push(...packable.slice(100_000, 120_000));
    const expected = referenceTotals(payments, 'activeDays');
    for (const threads of [1, 2]) {
      expect(totalsOf(rfm(columnsOf(payments), { frequency: 'activeDays', threads }))).toEqual(expected);
    }
  });

  it('groups ids with no packed form (UUIDs, accents, surrogate pairs) exactly, whatever threads', () => {
    const rng = createRng(7);
    const hex = (digits: number) =>
      Array.from({ length: digits }, () => '0123456789abcdef'[rng.integer(16)]).join('');
    const special = ['é'.repeat(41), 'é'.repeat(42), '😀'.repeat(21), `${'😀'.repeat(21)}x`, 'CUST0001234'];
    const uuids = randomPayments(
      200_000,
      20_000,
      (customer) => special[customer] ?? `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
    );
    const expected = referenceTotals(uuids, 'events');
    expect(totalsOf(rfm(columnsOf(uuids), { threads: 1 }))).toEqual(expected);
    expect(totalsOf(rfm(uuids, { threads: 2 }))).toEqual(expected);
  });

  it('keeps one heavy customer exact when its partition fills up mid-block', () => {
    const payments: Payment[] = [];
    for (let i = 0; i < 200_000; i++) {
      payments.push({
        customerId: i % 50 === 0 ? `other${i % 7}` : 'heavy',
        date: (i % 500) * day,
        amount: (i % 13) / 8,
      });
    }
    const expected = referenceTotals(payments, 'events');
    expect(totalsOf(rfm(payments, { threads: 1 }))).toEqual(expected);
    expect(totalsOf(rfm(payments, { threads: 2 }))).toEqual(expected);
  });

  it('reports a bad value after many good ones through the validator, naming row and column', () => {
    const columns = columnsOf(packable.slice(0, 200_000));
    columns.amount[150_000] = -1;
    for (const threads of [1, 2]) {
      let caught: unknown;
      try {
        rfm(columns, { threads });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DataError);
      expect((caught as DataError).issues[0]).toMatchObject({ row: 150_001, column: 'amount' });
    }
  });

  it('counts active days of call records the same with the worker', () => {
    const calls = packable.slice(0, 200_000).map((payment) => ({
      subscriberId: payment.customerId,
      start: payment.date,
      service: 'voice' as const,
      charge: payment.amount,
    }));
    expect(rfmFromCalls(calls, { threads: 2 })).toEqual(rfmFromCalls(calls, { threads: 1 }));
  });

  it('runs the worker thread itself (no silent fall-back) and gets the same partition totals', () => {
    const payments = packable.slice(0, 250_000);
    const n = payments.length;
    const pipeline = startTotalsPipeline(n, 'month', monthOfDay);
    expect(pipeline).toBeDefined();
    const single = partitionedCustomers(n, true, (time) => monthOfDay(Math.floor(time / day)));
    for (let start = 0; start < n; start += blockSize) {
      const count = Math.min(blockSize, n - start);
      const block = pipeline!.nextBlock()!;
      expect(block).toBeDefined();
      for (let k = 0; k < count; k++) {
        const { customerId, date, amount } = payments[start + k]!;
        block.ids[k] = customerId;
        block.times[k] = date;
        block.amounts[k] = amount;
      }
      expect(keyBlock(block, count, true)).toBeUndefined();
      scatterEvents(
        single,
        block.high,
        block.low,
        block.hashes,
        block.times,
        block.amounts,
        undefined,
        0,
        count,
        start,
      );
      pipeline!.blockFilled(count, start);
    }
    const fromWorker = pipeline!.finish()!;
    const fromThisThread = partitionTotals(single);
    expect(fromWorker.firstEvent).toEqual(fromThisThread.firstEvent);
    expect(fromWorker.revenue).toEqual(fromThisThread.revenue);
    expect(fromWorker.activePeriods).toEqual(fromThisThread.activePeriods);
    expect(fromWorker.latestEvent).toBe(fromThisThread.latestEvent);
  });

  /** Feeds `n` events (one a day) through a pipeline and finishes it. */
  function runPipeline(n: number, monthOfDayInWorker: (day: number) => number) {
    const pipeline = startTotalsPipeline(n, 'month', monthOfDayInWorker)!;
    for (let start = 0; start < n; start += blockSize) {
      const count = Math.min(blockSize, n - start);
      const block = pipeline.nextBlock();
      if (block === undefined) return undefined;
      for (let k = 0; k < count; k++) {
        block.ids[k] = `C${(start + k) % 5000}`;
        block.times[k] = (start + k) * day;
        block.amounts[k] = 1;
      }
      keyBlock(block, count, true);
      pipeline.blockFilled(count, start);
    }
    return pipeline.finish();
  }

  it('reports a failure inside the worker as an error instead of waiting for it', () => {
    const failsLater = (dayNumber: number): number => {
      if (dayNumber > 1000) throw new Error('calendar broke');
      return dayNumber;
    };
    expect(() => runPipeline(200_000, failsLater)).toThrow(/totals worker thread failed: .*calendar broke/);
  });

  it('gives no worker (so the caller works alone) when the worker cannot run its source text', () => {
    // What a bundler renaming a referenced function would do: the name is missing in the worker.
    const renamed = new Function('day', 'return renamedByABundler(day);') as (day: number) => number;
    expect(runPipeline(200_000, renamed)).toBeUndefined();
    expect(runPipeline(1000, renamed)).toBeUndefined();
  });

  it('refuses a thread count that is not a whole number of at least 1', () => {
    for (const threads of [0, 1.5, -2, Number.NaN]) {
      expect(() => rfm(packable.slice(0, 10), { threads })).toThrow(OptionError);
    }
  });
});
