import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliIo, parseCommandFlags } from '../../src/cli/command.js';
import { rfmCommand } from '../../src/cli/rfm-command.js';
import { UsageError } from '../../src/cli/usage-error.js';

const folder = mkdtempSync(join(tmpdir(), 'rfm-command-'));
const paymentsFile = join(folder, 'payments.csv');
writeFileSync(
  paymentsFile,
  [
    'customerId,date,amount',
    'a,2024-05-01,10',
    'a,2024-05-09,30',
    'b,2024-05-02,5',
    'c,2024-04-01,50',
    'c,2024-04-02,50',
    'c,2024-04-03,50',
  ].join('\n'),
);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function run(argv: readonly string[]): Promise<string> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const io: CliIo = { stdout, stderr };
  await rfmCommand.run(parseCommandFlags(rfmCommand, argv), io);
  return text;
}

describe('telco-analytics rfm', () => {
  it('prints the segment summary table and the breakpoints', async () => {
    const output = await run(['--payments', paymentsFile, '--as-of', '2024-05-10', '--bins', '3']);
    expect(output).toContain('3 customers scored as of 2024-05-10 (quantile, 3 bins)');
    expect(output).toMatch(/segment\s+customers\s+share\s+revenue/);
    expect(output).toContain('Champions');
    expect(output).toContain('breakpoints (right-closed)');
  });

  it('writes the scored customers as CSV or the whole result as JSON', async () => {
    const csv = join(folder, 'out.csv');
    await run(['--payments', paymentsFile, '--out', csv, '--scoring', 'rank']);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('customerId,recencyDays,frequency,monetary,r,f,m,cell,score,segment');
    expect(lines).toHaveLength(4);
    const json = join(folder, 'out.json');
    await run(['--payments', paymentsFile, '--out', json, '--segments', 'rfm-package']);
    const result = JSON.parse(readFileSync(json, 'utf8')) as { customers: unknown[]; breakpoints: unknown };
    expect(result.customers).toHaveLength(3);
    expect(result.breakpoints).toHaveProperty('closed', 'right');
  });

  it('rejects bad flags with a usage error naming the flag', async () => {
    await expect(run(['--payments', paymentsFile, '--bins', '12'])).rejects.toThrow(UsageError);
    await expect(run(['--payments', paymentsFile, '--scoring', 'best'])).rejects.toThrow(/--scoring/);
    await expect(run(['--payments', paymentsFile, '--out', 'x.txt'])).rejects.toThrow(/--out/);
    await expect(run(['--bins', '3'])).rejects.toThrow(/--payments/);
  });
});
