import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { callsToCsv, generateOperator } from 'telco-analytics/data';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandFlags } from '../../src/cli/command.js';
import { olapCommand } from '../../src/cli/olap-command.js';

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

async function run(command: typeof olapCommand, argv: string[]): Promise<string> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  await command.run(parseCommandFlags(command, argv), { stdout, stderr: new PassThrough() });
  return Buffer.concat(chunks).toString('utf8');
}

// The command is run through its CliCommand object (run-cli.ts registers it).
describe('olap command', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'telco-olap-'));
  folders.push(folder);
  const operator = generateOperator({ subscribers: 300, months: 2, seed: 5 });
  const calls = join(folder, 'calls.csv');
  await writeFile(calls, callsToCsv(operator.calls, { header: true }));

  it('olap writes a cube with subtotals', async () => {
    const out = join(folder, 'cube.csv');
    const message = await run(olapCommand, [
      '--calls',
      calls,
      '--dims',
      'month,region,service',
      '--measures',
      'revenue=sum:charge,minutes=sum:durationSec,subscribers=countDistinct:subscriberId,arpu=ratio:revenue/subscribers',
      '--out',
      out,
    ]);
    expect(message).toMatch(/rows \(8 grouping sets\)/);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('month,region,service,revenue,minutes,subscribers,arpu,grouping');
    const total = lines.at(-1)!.split(',');
    expect(total.slice(0, 3)).toEqual(['', '', '']);
    expect(Number(total[5])).toBe(new Set(operator.calls.map((call) => call.subscriberId)).size);
    expect(total[7]).toBe('7');
    await expect(
      run(olapCommand, ['--calls', calls, '--dims', 'month', '--measures', 'revenue', '--out', out]),
    ).rejects.toThrow(/name=op/);
    await expect(
      run(olapCommand, ['--calls', calls, '--dims', 'month', '--measures', 'x=median:charge', '--out', out]),
    ).rejects.toThrow(/measures.x/);
  });
});
