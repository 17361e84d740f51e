import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { callsToCsv, generateOperator, subscribersToCsv } from 'telco-analytics/data';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandFlags } from '../../src/cli/command.js';
import { fraudCommand } from '../../src/cli/fraud-command.js';

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

async function run(command: typeof fraudCommand, argv: string[]): Promise<string> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  await command.run(parseCommandFlags(command, argv), { stdout, stderr: new PassThrough() });
  return Buffer.concat(chunks).toString('utf8');
}

// The command is run through its CliCommand object (run-cli.ts registers it).
describe('fraud command', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'telco-fraud-'));
  folders.push(folder);
  const operator = generateOperator({ subscribers: 300, months: 2, seed: 5, fraud: { 'sim-box': 0.01 } });
  const calls = join(folder, 'calls.csv');
  const subscribers = join(folder, 'subscribers.csv');
  await writeFile(calls, callsToCsv(operator.calls, { header: true }));
  await writeFile(subscribers, subscribersToCsv(operator.subscribers, { header: true }));

  it('fraud writes alerts with the starter rules', async () => {
    const out = join(folder, 'alerts.csv');
    const message = await run(fraudCommand, ['--calls', calls, '--subscribers', subscribers, '--out', out]);
    expect(message).toMatch(/^wrote \d+ alerts \(.*sim-box \d+/);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('subscriberId,ruleId,severity,department,window,windowStart,windowEnd,evidence');
    const simBoxers = new Set(
      operator.truth.filter((truth) => truth.fraud === 'sim-box').map((truth) => truth.subscriberId),
    );
    const flagged = new Set(
      lines.filter((line) => line.split(',')[1] === 'sim-box').map((line) => line.split(',')[0]),
    );
    expect(flagged).toEqual(simBoxers);
  });

  it('fraud reads a rule file and names the bad rule in it', async () => {
    const rules = join(folder, 'rules.json');
    await writeFile(
      rules,
      JSON.stringify([
        {
          id: 'busy',
          description: '',
          severity: 'low',
          window: '24h',
          when: { metric: 'callCount', op: '>=', value: 5 },
        },
      ]),
    );
    const out = join(folder, 'busy.csv');
    expect(await run(fraudCommand, ['--calls', calls, '--rules', rules, '--out', out])).toMatch(
      /alerts \(busy \d+\)/,
    );
    await writeFile(
      rules,
      JSON.stringify([
        {
          id: 'busy',
          description: '',
          severity: 'low',
          window: '24h',
          when: { metric: 'calls', op: '>=', value: 5 },
        },
      ]),
    );
    await expect(run(fraudCommand, ['--calls', calls, '--rules', rules, '--out', out])).rejects.toThrow(
      /rules\[0\] 'busy' at 'when.metric': unknown metric "calls"/,
    );
    await expect(run(fraudCommand, ['--rules', rules, '--out', out])).rejects.toThrow(
      /exactly one of --calls FILE or --engine SPEC/,
    );
  });
});
