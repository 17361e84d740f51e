import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billCommand } from '../../src/cli/bill-command.js';
import { parseCommandFlags } from '../../src/cli/command.js';
import { runCli } from '../../src/cli/run-cli.js';
import { simulateCommand } from '../../src/cli/simulate-command.js';

// billCommand is not registered in run-cli.ts yet (the lead adds it); the test drives it the way
// runCli does: parse the flags, then run.
function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'telco-bill-'));
  const sink = capture();
  const code = await runCli(
    ['generate', '--subscribers', '120', '--months', '2', '--seed', '5', '--out', folder],
    { stdout: sink.stream, stderr: sink.stream },
  );
  expect(code).toBe(0);
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function bill(argv: string[]): Promise<string> {
  const stdout = capture();
  const stderr = capture();
  await billCommand.run(parseCommandFlags(billCommand, argv), {
    stdout: stdout.stream,
    stderr: stderr.stream,
  });
  expect(stderr.text()).toBe('');
  return stdout.text();
}

describe('telco-analytics bill', () => {
  it("bills the generated operator from its own plans.json and reproduces the generator's postpaid bills", async () => {
    const out = join(folder, 'invoices.csv');
    const stdout = await bill([
      '--calls',
      join(folder, 'calls.csv'),
      '--subscribers',
      join(folder, 'subscribers.csv'),
      '--plans',
      join(folder, 'plans.json'),
      '--period',
      '2024-01',
      '--out',
      out,
    ]);
    expect(stdout).toMatch(/^bill 2024-01-01 \.\. 2024-02-01 \(exclusive\): 120 invoices written to /);
    expect(stdout).toMatch(/POST-M/);
    const rows = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    const totals = new Map(rows.filter((row) => row[4] === 'total').map((row) => [row[0]!, row[10]!]));
    expect(totals.size).toBe(120);
    // Each good postpaid payer's February payment is the January invoice total.
    const truth = JSON.parse(await readFile(join(folder, 'truth.json'), 'utf8')) as {
      subscriberTruth: { subscriberId: string; badPayer: boolean; fraud: string | null }[];
    };
    const good = new Set(
      truth.subscriberTruth
        .filter((row) => !row.badPayer && row.fraud === null)
        .map((row) => row.subscriberId),
    );
    const postpaid = new Set(rows.filter((row) => row[1]!.startsWith('POST')).map((row) => row[0]!));
    const payments = (await readFile(join(folder, 'payments.csv'), 'utf8')).trim().split('\n');
    const header = payments[0]!.split(',');
    let checked = 0;
    for (const line of payments.slice(1)) {
      const fields = line.split(',');
      const customer = fields[header.indexOf('customerId')]!;
      const date = fields[header.indexOf('date')]!;
      if (!good.has(customer) || !postpaid.has(customer) || !date.startsWith('2024-02')) continue;
      expect(Number(fields[header.indexOf('amount')])).toBeCloseTo(Number(totals.get(customer)), 9);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('applies a promotions file', async () => {
    const promotion = {
      kind: 'promotion',
      version: 1,
      promotionId: 'welcome',
      components: [{ type: 'fixed-discount', amount: 100 }],
    };
    await writeFile(join(folder, 'promo.json'), JSON.stringify(promotion));
    const out = join(folder, 'promoted.csv');
    await bill([
      '--calls',
      join(folder, 'calls.csv'),
      '--subscribers',
      join(folder, 'subscribers.csv'),
      '--plans',
      join(folder, 'plans.json'),
      '--period',
      '2024-01',
      '--promotions',
      join(folder, 'promo.json'),
      '--out',
      out,
    ]);
    expect(await readFile(out, 'utf8')).toMatch(/,discount,promotion welcome: fixed-discount,/);
  });

  it('rejects a bad band boundary and a missing plans file', async () => {
    const base = [
      '--calls',
      join(folder, 'calls.csv'),
      '--subscribers',
      join(folder, 'subscribers.csv'),
      '--period',
      '2024-01',
      '--out',
      join(folder, 'x.csv'),
    ];
    await expect(
      bill([...base, '--plans', join(folder, 'plans.json'), '--band-boundary', 'end']),
    ).rejects.toThrow(/--band-boundary/);
    await expect(bill([...base, '--plans', join(folder, 'missing.json')])).rejects.toThrow(
      /--plans: cannot read/,
    );
  });
});

describe('telco-analytics simulate', () => {
  it('runs a promotion simulation end to end on the generated files', async () => {
    const promotion = {
      kind: 'promotion',
      version: 1,
      promotionId: 'data-30',
      eligibility: { plans: ['POST-S', 'POST-M'] },
      components: [{ type: 'percent-off', service: 'data', percent: 30 }],
    };
    await writeFile(join(folder, 'data-30.json'), JSON.stringify(promotion));
    const stdout = capture();
    const stderr = capture();
    const argv = [
      '--calls',
      join(folder, 'calls.csv'),
      '--subscribers',
      join(folder, 'subscribers.csv'),
      '--plans',
      join(folder, 'plans.json'),
      '--promotion',
      join(folder, 'data-30.json'),
      '--period',
      '2024-01',
      '--churn',
      '0.02',
      '--retention',
      '0.3',
      '--uptake',
      '0.5',
      '--runs',
      '50',
    ];
    await simulateCommand.run(parseCommandFlags(simulateCommand, argv), {
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    expect(stderr.text()).toBe('');
    const text = stdout.text();
    expect(text).toMatch(/^promotion data-30: 50 runs x 6 cycles from 2024-01\n/);
    expect(text).toMatch(/\ndilution +-?\d+\.\d\d \[/);
    expect(text).toMatch(/\nbreak-even uptake: /);
    expect(text).toMatch(/\nplan +subscribers +eligible +net \(mean \[5%, 95%\]\)\n/);
    expect(text).toMatch(/\nPOST-S +\d+ +\d+ +-?\d+\.\d\d \[-?\d+\.\d\d, -?\d+\.\d\d\]\n/);
    expect(text).toMatch(/\nsegment +subscribers/);
    expect(text).toMatch(/\nrounding and increments +-?\d+\.\d\d/);
    expect(text).toMatch(/\nallowance units drawn +\d+ +\d+ +-?\d+\n/);
    await expect(
      simulateCommand.run(parseCommandFlags(simulateCommand, [...argv.slice(0, -2), '--runs', 'many']), {
        stdout: stdout.stream,
        stderr: stderr.stream,
      }),
    ).rejects.toThrow(/--runs must be an integer/);
  });

  it('ranks a grid of promotion parameters with --grid', async () => {
    await writeFile(
      join(folder, 'grid.json'),
      JSON.stringify([{ path: 'components.0.percent', values: [10, 40] }]),
    );
    const stdout = capture();
    const stderr = capture();
    const argv = [
      '--calls',
      join(folder, 'calls.csv'),
      '--subscribers',
      join(folder, 'subscribers.csv'),
      '--plans',
      join(folder, 'plans.json'),
      '--promotion',
      join(folder, 'data-30.json'),
      '--period',
      '2024-01',
      '--grid',
      join(folder, 'grid.json'),
      '--runs',
      '20',
    ];
    await simulateCommand.run(parseCommandFlags(simulateCommand, argv), {
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    const lines = stdout.text().trim().split('\n');
    expect(lines[0]).toBe('promotion data-30: 2 candidates, 20 runs each');
    // without uplift or retention the smaller discount loses less
    expect(lines[2]).toMatch(/^1 +\{"components\.0\.percent":10\}/);
    expect(lines[3]).toMatch(/^2 +\{"components\.0\.percent":40\}/);
  });
});
