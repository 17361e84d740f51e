import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { generateOperator, paymentsToCsv } from 'telco-analytics/data';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliIo, parseCommandFlags } from '../../src/cli/command.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { valueCommand } from '../../src/cli/value-command.js';

const folder = mkdtempSync(join(tmpdir(), 'value-command-'));
const paymentsFile = join(folder, 'payments.csv');
const operator = generateOperator({ subscribers: 300, months: 12, seed: 7 });
writeFileSync(paymentsFile, paymentsToCsv(operator.payments, { header: true }));

afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function run(argv: readonly string[]): Promise<string> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const io: CliIo = { stdout, stderr };
  await valueCommand.run(parseCommandFlags(valueCommand, argv), io);
  return text;
}

describe('telco-analytics value', () => {
  it('prints the fits and the value tiers, and writes the customers as CSV', async () => {
    const out = join(folder, 'value.csv');
    const output = await run([
      '--payments',
      paymentsFile,
      '--as-of',
      '2024-12-31',
      '--horizon',
      '12',
      '--penalizer',
      '0.001',
      '--out',
      out,
    ]);
    expect(output).toMatch(/customers observed up to 2024-12-31 \(weeks\)/);
    expect(output).toMatch(/BG\/NBD: r = [\d.]+ /);
    expect(output).toContain('Gamma-Gamma: p = ');
    expect(output).toMatch(/platinum\s+\d+/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'customerId,frequency,recency,T,monetary,probabilityAlive,expectedPurchases,expectedAverageValue,clv,tier',
    );
    expect(lines.length).toBeGreaterThan(100);
  });

  it('writes everything as JSON', async () => {
    const out = join(folder, 'value.json');
    await run(['--payments', paymentsFile, '--penalizer', '0.001', '--unit', 'day', '--out', out]);
    const result = JSON.parse(readFileSync(out, 'utf8')) as {
      transactions: { kind: string; unit: string };
      value: { kind: string };
      customers: { tier: string }[];
    };
    expect(result.transactions).toMatchObject({ kind: 'bgNbd', unit: 'day' });
    expect(result.value.kind).toBe('gammaGamma');
    expect(result.customers[0]!.tier).toMatch(/platinum|gold|silver|bronze/);
  });

  it('rejects bad flags with a usage error naming the flag', async () => {
    await expect(run(['--payments', paymentsFile, '--horizon', '0'])).rejects.toThrow(UsageError);
    await expect(run(['--payments', paymentsFile, '--unit', 'month'])).rejects.toThrow(/--unit/);
    await expect(run(['--payments', paymentsFile, '--out', 'x.txt'])).rejects.toThrow(/--out/);
    await expect(run(['--horizon', '3'])).rejects.toThrow(/--payments is required/);
  });
});
