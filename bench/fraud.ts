/**
 * Fraud rule benchmark: `evaluateRules` (batch) and `createRuleMonitor` (streaming) with the
 * starter rule base over 10,000,000 synthetic CDRs, reporting throughput (CDRs/s, goal >= 2M) and
 * the heap while streaming (goal: flat). There is no peer library for declarative CDR rules in
 * JavaScript; the figures stand alone.
 *
 *   node --import tsx --expose-gc bench/fraud.ts          # 10M CDRs
 *   node --import tsx --expose-gc bench/fraud.ts --quick  # 1M CDRs (or BENCH_QUICK=1)
 *   node --import tsx --expose-gc bench/fraud.ts --only=batch   # or --only=stream, e.g. to profile one
 */
import type { CallRecord } from '../src/data/index.js';
import { createRng } from '../src/data/index.js';
import { createRuleMonitor, evaluateRules, standardRules } from '../src/fraud/index.js';
import { machineLine } from './machine.js';

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
// `--only=batch` or `--only=stream` runs one half (for profiling).
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const totalCalls = quick ? 1_000_000 : 10_000_000;
// About 3.3 CDRs per subscriber and day, close to the synthetic operator.
const subscriberCount = totalCalls / 100;
const days = 30;
const start = Date.UTC(2024, 0, 1);
const span = days * 86_400_000;
const zones = ['local', 'local', 'local', 'national', 'national', 'international', 'premium'] as const;
const subscriberIds = Array.from({ length: subscriberCount }, (_, i) => `S${String(i).padStart(7, '0')}`);
const numbers = Array.from({ length: 50_000 }, (_, i) => `+447${String(100_000_000 + i * 17)}`);
const cells = Array.from({ length: 200 }, (_, i) => `CELL-${i}`);

/** A CDR of a random subscriber; `position` orders the stream in time. */
function makeCall(rng: ReturnType<typeof createRng>, subscriber: number, time: number): CallRecord {
  const service = rng.uniform() < 0.7 ? 'voice' : 'sms';
  return {
    subscriberId: subscriberIds[subscriber]!,
    start: time,
    service,
    direction: rng.uniform() < 0.6 ? 'out' : 'in',
    durationSec: service === 'voice' ? 1 + rng.integer(600) : 0,
    destination: zones[rng.integer(zones.length)]!,
    calledNumber: numbers[rng.integer(numbers.length)]!,
    cellId: cells[(subscriber + rng.integer(3)) % cells.length]!,
    charge: rng.integer(100) / 100,
  };
}

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
console.log(machineLine());
console.log(
  `CDRs: ${totalCalls.toLocaleString('en')}, subscribers: ${subscriberCount.toLocaleString('en')}, ${days} days, rules: standardRules (${standardRules.length})`,
);

// Batch: subscribers in blocks, each block's CDRs over the whole period (the shape of a nightly run
// per partition); only evaluateRules is timed.
if (only !== 'stream') {
  const blocks = 10;
  const perBlock = totalCalls / blocks;
  const rng = createRng(1);
  let seconds = 0;
  let cpu = 0;
  let alerts = 0;
  for (let block = 0; block < blocks; block++) {
    const first = (block * subscriberCount) / blocks;
    const calls: CallRecord[] = new Array(perBlock);
    for (let i = 0; i < perBlock; i++) {
      calls[i] = makeCall(
        rng,
        first + rng.integer(subscriberCount / blocks),
        start + Math.floor((i / perBlock) * span),
      );
    }
    gc();
    const began = performance.now();
    const cpuBefore = process.cpuUsage();
    alerts += evaluateRules(calls, standardRules).length;
    seconds += (performance.now() - began) / 1000;
    const used = process.cpuUsage(cpuBefore);
    cpu += (used.user + used.system) / 1e6;
  }
  console.log(
    `evaluateRules (batch, ${blocks} blocks): ${seconds.toFixed(2)} s, ${(totalCalls / seconds / 1e6).toFixed(2)} M CDRs/s (CPU time ${cpu.toFixed(2)} s: ${(totalCalls / cpu / 1e6).toFixed(2)} M CDRs per CPU-second), ${alerts} alerts`,
  );
}

// Streaming: one time-ordered stream; generation is timed separately and subtracted.
if (only !== 'batch') {
  const rng = createRng(2);
  let generation = 0;
  let total = 0;
  let cpu = 0;
  let alerts = 0;
  const monitor = createRuleMonitor(standardRules);
  const heap: string[] = [];
  gc();
  const baseHeap = process.memoryUsage().heapUsed;
  const batch = 100_000;
  const buffer: CallRecord[] = new Array(batch);
  for (let done = 0; done < totalCalls; done += batch) {
    let began = performance.now();
    for (let i = 0; i < batch; i++) {
      buffer[i] = makeCall(
        rng,
        rng.integer(subscriberCount),
        start + Math.floor(((done + i) / totalCalls) * span),
      );
    }
    generation += performance.now() - began;
    began = performance.now();
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < batch; i++) alerts += monitor.push(buffer[i]!).length;
    total += performance.now() - began;
    const used = process.cpuUsage(cpuBefore);
    cpu += (used.user + used.system) / 1e6;
    if ((done + batch) % (totalCalls / 10) === 0) {
      gc();
      heap.push(mb(process.memoryUsage().heapUsed - baseHeap));
    }
  }
  const began = performance.now();
  alerts += monitor.flush().length;
  total += performance.now() - began;
  const seconds = total / 1000;
  console.log(
    `createRuleMonitor (stream): ${seconds.toFixed(2)} s, ${(totalCalls / seconds / 1e6).toFixed(2)} M CDRs/s (CPU time ${cpu.toFixed(2)} s: ${(totalCalls / cpu / 1e6).toFixed(2)} M CDRs per CPU-second), ${alerts} alerts (generation ${(generation / 1000).toFixed(2)} s, not counted)`,
  );
  console.log(`heap above start after each 10% of the stream (MiB, after GC): ${heap.join(', ')}`);
  console.log(`peak RSS: ${mb(process.resourceUsage().maxRSS * 1024)} MiB`);
}
