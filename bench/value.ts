/**
 * BG/NBD maximum likelihood on 1,000,000 simulated customers: ours (distinct-triplet compression,
 * Newton) beside scipy.optimize as lifetimes uses it (BFGS, one row per customer), in one process run.
 *
 *   node --import tsx bench/value.ts           1,000,000 customers
 *   node --import tsx bench/value.ts --quick   100,000 customers (or BENCH_QUICK=1)
 *
 * Data: simulated with the package PRNG from the published CDNOW parameters (r 0.243, alpha 4.414,
 * a 0.793, b 2.426; weeks), T uniform in 27..39 weeks, purchase times recorded to the hour (real
 * logs carry timestamps; same-hour purchases count once) — and once more with exact times, where no
 * two customers share a triplet, to show what the compression buys. Each time is the best of two runs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitBgNbd, type SimulatedSummary, simulateBgNbdCustomers } from '../src/value/index.js';
import { machineLine, peakMemory, quick, timed } from './machine.js';

const customers = quick ? 100_000 : 1_000_000;
const truth = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

function format(value: number): string {
  return value.toFixed(3);
}

async function best<T>(work: () => T): Promise<{ seconds: number; result: T }> {
  const first = await timed(work);
  const second = await timed(work);
  return second.seconds < first.seconds ? second : first;
}

const lines: string[] = [];
function row(cells: readonly string[]): void {
  lines.push(cells.map((cell, i) => (i === 0 ? cell.padEnd(44) : cell.padStart(10))).join(' '));
}

const memory = peakMemory();
const simulation = await timed(() =>
  simulateBgNbdCustomers(truth, {
    customers,
    minimumAge: 27,
    maximumAge: 39,
    timeStep: 1 / 168,
    seed: 20240501,
  }),
);
const exact = simulateBgNbdCustomers(truth, { customers, minimumAge: 27, maximumAge: 39, seed: 20240501 });

console.log(machineLine());
console.log(`customers: ${customers.toLocaleString('en')}; simulated in ${simulation.seconds.toFixed(2)} s`);
row(['fit', 'seconds', 'triplets', 'r', 'alpha', 'a', 'b', 'converged']);
row(['truth', '', '', format(truth.r), format(truth.alpha), format(truth.a), format(truth.b), '']);

const results: { name: string; seconds: number }[] = [];
for (const [name, table] of [
  ['ours, hourly timestamps', simulation.result],
  ['ours, exact times (no two triplets equal)', exact],
] as const satisfies readonly (readonly [string, SimulatedSummary])[]) {
  const { seconds, result } = await best(() => fitBgNbd(table));
  const p = result.parameters;
  results.push({ name, seconds });
  row([
    name,
    seconds.toFixed(2),
    String(result.distinctTriplets),
    format(p.r),
    format(p.alpha),
    format(p.a),
    format(p.b),
    `${result.convergence.converged} (${result.convergence.iterations} it.)`,
  ]);
  if (name.startsWith('ours, hourly')) {
    const se = result.standardErrors;
    if (se !== null) {
      row(['  standard errors', '', '', format(se.r), format(se.alpha), format(se.a), format(se.b), '']);
    }
  }
}

// Python lifetimes is the peer the issue names; it is not installed (PyPI unreachable here).
let lifetimes = 'not installed';
try {
  lifetimes = execFileSync('/usr/bin/python3', ['-c', 'import lifetimes; print(lifetimes.__version__)'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
} catch {
  // stays 'not installed'
}
console.log(`python lifetimes: ${lifetimes}`);
if (existsSync('/usr/bin/python3')) {
  const folder = mkdtempSync(join(tmpdir(), 'value-bench-'));
  try {
    const csv = join(folder, 'summary.csv');
    const table = simulation.result;
    const text = ['frequency,recency,T'];
    for (let i = 0; i < table.frequency.length; i++)
      text.push(`${table.frequency[i]},${table.recency[i]},${table.T[i]}`);
    writeFileSync(csv, `${text.join('\n')}\n`);
    const script = new URL('./value-scipy.py', import.meta.url).pathname;
    const runs = [0, 1].map(
      () =>
        JSON.parse(
          execFileSync('/usr/bin/python3', [script, csv], { encoding: 'utf8', maxBuffer: 1 << 24 }),
        ) as {
          seconds: number;
          r: number;
          alpha: number;
          a: number;
          b: number;
          evaluations: number;
          success: boolean;
          numpy: string;
          scipy: string;
        },
    );
    const peer = runs[0]!.seconds <= runs[1]!.seconds ? runs[0]! : runs[1]!;
    results.push({ name: 'scipy BFGS', seconds: peer.seconds });
    row([
      `scipy ${peer.scipy} BFGS, one row per customer`,
      peer.seconds.toFixed(2),
      String(customers),
      format(peer.r),
      format(peer.alpha),
      format(peer.a),
      format(peer.b),
      `${peer.success} (${peer.evaluations} ev.)`,
    ]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
} else {
  console.log('python3 not found: scipy peer skipped');
}
console.log(lines.join('\n'));
const ours = results[0]!.seconds;
for (const other of results.slice(1))
  console.log(`${other.name}: ${(other.seconds / ours).toFixed(1)}x the time of ours (hourly)`);
console.log(`peak memory (RSS): ${memory.stop()} MB`);
if (!quick)
  console.log(`goal < 10 s for 1,000,000 customers: ${ours < 10 ? 'met' : 'NOT met'} (${ours.toFixed(2)} s)`);
