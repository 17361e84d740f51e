import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';

// Every command that reads CDRs takes them from a file (--calls) or from an engine (--engine):
// the same CDRs must give the same output either way.
let folder: string;
let sample: string;

async function cli(argv: string[]): Promise<{ code: number; stderr: string }> {
  const stderr = new PassThrough();
  const text: Buffer[] = [];
  stderr.on('data', (chunk: Buffer) => text.push(chunk));
  const code = await runCli(argv, { stdout: new PassThrough(), stderr });
  return { code, stderr: Buffer.concat(text).toString() };
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'telco-engine-flag-'));
  sample = join(folder, 'sample');
  const generated = await cli([
    'generate',
    '--subscribers',
    '200',
    '--months',
    '3',
    '--seed',
    '9',
    '--out',
    sample,
  ]);
  expect(generated.code).toBe(0);
}, 60_000);
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const sources = () => ({
  file: ['--calls', join(sample, 'calls.csv')],
  engine: ['--engine', `duckdb:${join(sample, 'calls.csv')}`],
});

async function both(command: string[], name: string): Promise<[string, string]> {
  const outputs: string[] = [];
  for (const [kind, source] of Object.entries(sources())) {
    const out = join(folder, `${name}-${kind}.csv`);
    const result = await cli([...command, ...source, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    outputs.push(readFileSync(out, 'utf8'));
  }
  return [outputs[0]!, outputs[1]!];
}

describe('--engine duckdb:FILE beside --calls FILE', () => {
  it('rules, fraud and bill write identical files', async () => {
    const subscribers = join(sample, 'subscribers.csv');
    for (const [name, command] of [
      ['rules', ['rules', '--min-support', '0.02', '--min-confidence', '0.5']],
      ['fraud', ['fraud', '--subscribers', subscribers, '--payments', join(sample, 'payments.csv')]],
      [
        'bill',
        ['bill', '--subscribers', subscribers, '--plans', join(sample, 'plans.json'), '--period', '2024-02'],
      ],
    ] as const) {
      const [file, engine] = await both([...command], name);
      expect(engine, name).toBe(file);
      expect(file.split('\n').length, name).toBeGreaterThan(3);
    }
  }, 120_000);

  it('olap writes the same cube (sums to 1e-9: the engine adds in its own order)', async () => {
    const [file, engine] = await both(
      ['olap', '--dims', 'month,region,service', '--measures', 'revenue=sum:charge,calls=count'],
      'olap',
    );
    const rows = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((line) => line.split(','));
    const [a, b] = [rows(file), rows(engine)];
    expect(b.length).toBe(a.length);
    for (const [i, row] of a.entries()) {
      for (const [j, cell] of row.entries()) {
        const other = b[i]![j]!;
        if (cell !== '' && Number.isFinite(Number(cell)) && cell !== other)
          expect(Math.abs(Number(other) - Number(cell))).toBeLessThanOrEqual(1e-9 * Math.abs(Number(cell)));
        else expect(other).toBe(cell);
      }
    }
  }, 60_000);

  it('takes exactly one of --calls and --engine, and names a bad engine spec', async () => {
    const both = await cli(['fraud', ...sources().file, ...sources().engine, '--out', join(folder, 'x.csv')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/exactly one of --calls FILE or --engine SPEC/);
    const bad = await cli([
      'olap',
      '--engine',
      'oracle:db',
      '--dims',
      'month',
      '--measures',
      'n=count',
      '--out',
      join(folder, 'y.csv'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/duckdb:FILE_OR_GLOB or clickhouse:URL/);
  });
});
