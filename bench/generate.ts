// Benchmark of the data layer: the synthetic operator's generation speed, and readCalls on a
// 1 GB calls.csv made by the generator beside csv-parse used plainly (the floor: parsing alone).
// Run: npm run build && node --import tsx --max-old-space-size=16384 bench/generate.ts [--quick]
import { createReadStream, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { readCallBatches, readCalls, streamOperator, writeOperatorFiles } from 'telco-analytics/data';
import { machineLine, packageVersion, peakMemory, quick, timed } from './machine.js';

const generatorSubscribers = quick ? 5000 : 100_000;
const fileSubscribers = quick ? 2000 : 24_000;
const months = 6;

console.log(machineLine());
console.log(`telco-analytics (this tree), csv-parse ${packageVersion('csv-parse')}`);

// 1. Generation alone: CDRs per second, memory bounded by one chunk.
{
  const memory = peakMemory();
  const { seconds, result: calls } = await timed(() => {
    let count = 0;
    for (const chunk of streamOperator({ subscribers: generatorSubscribers, months, seed: 42 }).chunks()) {
      count += chunk.calls.length;
    }
    return count;
  });
  console.log(
    `generate ${generatorSubscribers} subscribers x ${months} months: ${calls} CDRs in ${seconds.toFixed(1)} s = ` +
      `${Math.round(calls / seconds).toLocaleString('en')} CDRs/s, peak RSS ${memory.stop()} MB`,
  );
}

// 2. The CSV file (cached between runs: same seed, same bytes).
const folder = join(tmpdir(), `telco-bench-calls-${fileSubscribers}x${months}`);
const file = join(folder, 'calls.csv');
if (!existsSync(file)) {
  const { seconds } = await timed(() =>
    writeOperatorFiles(streamOperator({ subscribers: fileSubscribers, months, seed: 42 }), folder),
  );
  console.log(`wrote ${file} in ${seconds.toFixed(1)} s`);
}
const bytes = statSync(file).size;
console.log(`calls.csv: ${(bytes / 2 ** 30).toFixed(2)} GiB`);

async function plainCsvParse(): Promise<number> {
  let rows = 0;
  const parser = createReadStream(file).pipe(parse());
  for await (const _record of parser) rows++;
  return rows - 1;
}

async function ourBatches(): Promise<number> {
  let rows = 0;
  for await (const batch of readCallBatches(file)) rows += batch.length;
  return rows;
}

async function ourReadCalls(): Promise<number> {
  const { rows } = await readCalls(file);
  return rows.length;
}

const results: { name: string; rows: number; seconds: number; peakMb: number }[] = [];
for (const [name, run] of [
  ['csv-parse, plain (arrays, no validation)', plainCsvParse],
  ['readCallBatches (streaming, validated records)', ourBatches],
  ['readCalls (all records in memory)', ourReadCalls],
] as const) {
  const memory = peakMemory();
  const { seconds, result: rows } = await timed(run);
  results.push({ name, rows, seconds, peakMb: memory.stop() });
}
const floor = results[0]!.seconds;
console.table(
  results.map((result) => ({
    reader: result.name,
    rows: result.rows,
    seconds: Number(result.seconds.toFixed(2)),
    'rows/s': Math.round(result.rows / result.seconds).toLocaleString('en'),
    'MB/s': Math.round(bytes / 2 ** 20 / result.seconds),
    'time vs csv-parse': `${(result.seconds / floor).toFixed(2)}x`,
    'peak RSS MB': result.peakMb,
  })),
);
