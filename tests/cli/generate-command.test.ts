import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const code = await runCli(argv, { stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const folders: string[] = [];
async function temporaryFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'telco-cli-'));
  folders.push(folder);
  return folder;
}
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

async function filesOf(folder: string): Promise<Record<string, string>> {
  const names = (await readdir(folder)).sort();
  const entries = await Promise.all(
    names.map(async (name) => [name, await readFile(join(folder, name), 'utf8')] as const),
  );
  return Object.fromEntries(entries);
}

describe('telco-analytics generate', () => {
  it('writes the five files, byte-identical for the same seed and different for another seed', async () => {
    const [a, b, c] = await Promise.all([temporaryFolder(), temporaryFolder(), temporaryFolder()]);
    const args = ['generate', '--subscribers', '300', '--months', '2'];
    const first = await run([...args, '--seed', '42', '--out', a]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^wrote 300 subscribers, \d+ calls, \d+ payments to /);
    await run([...args, '--seed', '42', '--out', b]);
    await run([...args, '--seed', '43', '--out', c]);
    const filesA = await filesOf(a);
    expect(Object.keys(filesA)).toEqual([
      'calls.csv',
      'payments.csv',
      'plans.json',
      'subscribers.csv',
      'truth.json',
    ]);
    expect(await filesOf(b)).toEqual(filesA);
    const filesC = await filesOf(c);
    expect(filesC['calls.csv']).not.toBe(filesA['calls.csv']);
    expect(filesA['calls.csv']!.split('\n')[0]).toBe(
      'subscriberId,start,service,direction,durationSec,volumeMb,destination,calledNumber,cellId,region,charge',
    );
    const truth = JSON.parse(filesA['truth.json']!) as { subscriberTruth: unknown[]; seed: number };
    expect(truth.seed).toBe(42);
    expect(truth.subscriberTruth).toHaveLength(300);
  });

  it('documents every flag in --help', async () => {
    const { code, stdout } = await run(['generate', '--help']);
    expect(code).toBe(0);
    for (const flag of [
      '--subscribers',
      '--months',
      '--seed',
      '--start',
      '--churn-rate',
      '--out',
      '--help',
      '--debug',
    ]) {
      expect(stdout).toContain(flag);
    }
  });

  it.each([
    [['generate', '--subscribers', 'many', '--out', 'x'], /--subscribers must be an integer/],
    [['generate', '--subscribers', '10', '--months', '0', '--out', 'x'], /--months must be an integer/],
    [['generate', '--subscribers', '10'], /--out is required/],
    [['generate', '--bogus'], /Unknown option '--bogus'/],
    [['generate', 'stray'], /unexpected argument 'stray'/],
    [
      ['generate', '--subscribers', '10', '--start', '2024-02-10', '--out', 'x'],
      /option 'start' must be the first day/,
    ],
    [['generate', '--subscribers', '10', '--churn-rate', 'lots', '--out', 'x'], /option 'churnRate'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('exits with code 2 and one line on stderr for %j', async (argv, pattern) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(pattern);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('prints the stack only with --debug', async () => {
    const { stderr } = await run(['generate', '--subscribers', 'x', '--out', 'y', '--debug']);
    expect(stderr.split('\n').length).toBeGreaterThan(2);
    expect(stderr).toContain('UsageError');
  });

  it('lists the commands with no arguments (exit 2) and with --help (exit 0)', async () => {
    expect(await run([])).toMatchObject({ code: 2 });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('generate');
  });
});
