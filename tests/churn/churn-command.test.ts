import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createRng } from 'telco-analytics/data';
import { describe, expect, it } from 'vitest';
import { churnCommand } from '../../src/cli/churn-command.js';

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (chunk) => {
    out += String(chunk);
  });
  return { io: { stdout, stderr }, text: () => out };
}

function writeSubscribers(path: string, count: number): void {
  const rng = createRng(12);
  const lines = ['subscriberId,contract,tenureMonths,complaints,paperless,churned'];
  for (let i = 0; i < count; i++) {
    const contract = ['12-month', '24-month', 'month-to-month'][rng.integer(3)]!;
    const tenure = Math.floor(rng.gamma(2, 12));
    const complaints = rng.poisson(0.5);
    const logit = -1.5 + (contract === 'month-to-month' ? 1.5 : 0) - 0.04 * tenure + 0.8 * complaints;
    lines.push(
      `S${i + 1},${contract},${tenure},${complaints},${rng.bernoulli(0.5) ? 'Yes' : 'No'},${rng.uniform() < 1 / (1 + Math.exp(-logit)) ? 1 : 0}`,
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('telco-analytics churn', () => {
  const folder = mkdtempSync(join(tmpdir(), 'churn-cli-'));
  const data = join(folder, 'subscribers.csv');
  writeSubscribers(data, 800);

  it('trains a logistic model (coefficient table, held-out metrics) and writes byte-identical files for the same seed', async () => {
    const first = capture();
    await churnCommand.runArgv(
      ['train', '--data', data, '--target', 'churned', '--seed', '42', '--out', join(folder, 'a.json')],
      first.io,
    );
    expect(first.text()).toMatch(/^logit\(p\) = /);
    expect(first.text()).toMatch(/\[contract=month-to-month\]/);
    expect(first.text()).toMatch(/held out: rows 240, .*ROC AUC 0\.\d+/);
    const second = capture();
    await churnCommand.runArgv(
      ['train', '--data', data, '--target', 'churned', '--seed', '42', '--out', join(folder, 'b.json')],
      second.io,
    );
    expect(readFileSync(join(folder, 'b.json'), 'utf8')).toBe(readFileSync(join(folder, 'a.json'), 'utf8'));
  });

  it('trains a small neural model and prints its training summary', async () => {
    const run = capture();
    const out = join(folder, 'neural.json');
    await churnCommand.runArgv(
      [
        'train',
        '--data',
        data,
        '--target',
        'churned',
        '--model',
        'neural',
        '--backend',
        'cpu',
        '--epochs',
        '2',
        '--out',
        out,
      ],
      run.io,
    );
    expect(run.text()).toMatch(/^neural network 5-32-16-1 on backend cpu: 2 epochs/);
    expect(JSON.parse(readFileSync(out, 'utf8')).model).toMatchObject({
      kind: 'neural',
      backend: 'cpu',
      seed: 42,
    });
  });

  it('scores and evaluates with a saved model', async () => {
    const model = join(folder, 'a.json');
    const scores = join(folder, 'scores.csv');
    const scored = capture();
    await churnCommand.runArgv(['score', '--model', model, '--data', data, '--out', scores], scored.io);
    expect(scored.text()).toMatch(/scored 800 rows/);
    const lines = readFileSync(scores, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('subscriberId,probability,band,reason1,reason2,reason3');
    expect(lines).toHaveLength(801);
    const evaluated = capture();
    await churnCommand.runArgv(['evaluate', '--model', model, '--data', data], evaluated.io);
    expect(evaluated.text()).toMatch(/ROC AUC 0\.\d{4}/);
    expect(evaluated.text()).toMatch(/decile/);
  });

  it('rejects an unknown subcommand, a bad --model and a model file from another version', async () => {
    const { io } = capture();
    await expect(churnCommand.runArgv(['predict'], io)).rejects.toThrow(/unknown churn subcommand 'predict'/);
    await expect(
      churnCommand.runArgv(['train', '--data', data, '--model', 'forest', '--out', 'x.json'], io),
    ).rejects.toThrow(/--model must be logistic or neural/);
    const json = JSON.parse(readFileSync(join(folder, 'a.json'), 'utf8'));
    writeFileSync(join(folder, 'v2.json'), JSON.stringify({ ...json, version: 2 }));
    await expect(
      churnCommand.runArgv(
        ['score', '--model', join(folder, 'v2.json'), '--data', data, '--out', join(folder, 's.csv')],
        io,
      ),
    ).rejects.toThrow(/version 2 is not supported/);
  });
});
