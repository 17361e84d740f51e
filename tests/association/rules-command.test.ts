import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { callsToCsv, generateOperator, subscribersToCsv } from 'telco-analytics/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandHelp, parseCommandFlags } from '../../src/cli/command.js';
import { rulesCommand } from '../../src/cli/rules-command.js';

// run-cli.ts registers commands; until `rules` is registered there, the command is run directly.
async function run(argv: string[]): Promise<{ stdout: string; error: Error | undefined }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  let error: Error | undefined;
  try {
    await rulesCommand.run(parseCommandFlags(rulesCommand, argv), { stdout, stderr: new PassThrough() });
  } catch (caught) {
    error = caught as Error;
  }
  return { stdout: Buffer.concat(chunks).toString('utf8'), error };
}

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'telco-rules-'));
  const operator = generateOperator({ subscribers: 400, months: 2, seed: 3 });
  await writeFile(join(folder, 'calls.csv'), callsToCsv(operator.calls, { header: true }));
  await writeFile(join(folder, 'subscribers.csv'), subscribersToCsv(operator.subscribers, { header: true }));
  await writeFile(join(folder, 'baskets.csv'), 'bread,milk\nbread, butter\n\nmilk,bread,butter\nbeer\n');
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('telco-analytics rules', () => {
  it('mines a basket file and prints the rules by lift', async () => {
    const { stdout, error } = await run([
      '--baskets',
      join(folder, 'baskets.csv'),
      '--min-support',
      '0.5',
      '--min-confidence',
      '0.6',
    ]);
    expect(error).toBeUndefined();
    // 4 baskets (the blank line skipped): bread 3, milk 2, butter 2, {bread, milk} 2, {bread, butter} 2 reach
    // 2 baskets; rules with confidence >= 0.6: milk => bread and butter => bread (1), bread => milk and
    // bread => butter (2/3), all with lift 0.5 / (0.75 x 0.5) = 4/3.
    expect(stdout.split('\n')[0]).toBe('4 baskets, 5 frequent itemsets, 4 rules');
    expect(stdout).toContain('{butter} => {bread}  support 0.5000  confidence 1.000  lift 1.33');
  });

  it('mines CDRs with subscriber items and writes CSV or JSON', async () => {
    const args = [
      '--calls',
      join(folder, 'calls.csv'),
      '--subscribers',
      join(folder, 'subscribers.csv'),
      '--min-support',
      '0.05',
    ];
    const csvPath = join(folder, 'rules.csv');
    const csv = await run([...args, '--consequent', 'data:roaming,sms:heavy', '--fisher', '--out', csvPath]);
    expect(csv.error).toBeUndefined();
    expect(csv.stdout).toMatch(/^400 baskets, \d+ frequent itemsets, \d+ rules; wrote /);
    const lines = (await readFile(csvPath, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe(
      'antecedent,consequent,count,support,confidence,lift,leverage,conviction,zhang,jaccard,certainty,kulczynski,antecedentSupport,consequentSupport,fisherPValue',
    );
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line.split(',')[1]).toMatch(/^(data:roaming|sms:heavy)$/);
    const jsonPath = join(folder, 'rules.json');
    expect(
      (await run([...args, '--by', 'subscriber-month', '--prune-redundant', '--out', jsonPath])).error,
    ).toBeUndefined();
    const rules = JSON.parse(await readFile(jsonPath, 'utf8')) as { antecedent: string[]; lift: number }[];
    expect(rules.length).toBeGreaterThan(0);
    expect(rules[0]!.lift).toBeGreaterThanOrEqual(rules[rules.length - 1]!.lift);
  });

  it('documents its flags', () => {
    const help = commandHelp(rulesCommand);
    for (const flag of [
      '--calls',
      '--baskets',
      '--min-support',
      '--min-confidence',
      '--out',
      '--by',
      '--fisher',
    ]) {
      expect(help).toContain(flag);
    }
  });

  it('reports a missing basket file', async () => {
    const { error } = await run(['--baskets', join(folder, 'missing.csv')]);
    expect(error?.message).toMatch(/ENOENT/);
  });

  it.each([
    [[], /exactly one of --calls FILE, --engine SPEC or --baskets FILE/],
    [['--calls', 'a.csv', '--baskets', 'b.csv'], /exactly one of/],
    [['--baskets', 'b.csv', '--min-support', '0'], /--min-support must be a number/],
    [['--baskets', 'b.csv', '--min-confidence', '2'], /--min-confidence must be a number/],
    [['--calls', 'a.csv', '--by', 'week'], /--by must be/],
    [['--baskets', 'b.csv', '--subscribers', 's.csv'], /--subscribers goes with --calls/],
  ])('rejects %j with a usage error', async (argv, pattern) => {
    const { error } = await run(argv);
    expect(error?.message).toMatch(pattern);
  });
});
