import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DataError, generateOperator } from 'telco-analytics/data';
import { predictSegment, usageFeatures } from 'telco-analytics/segmentation';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandFlags } from '../../src/cli/command.js';
import { segmentCommand } from '../../src/cli/segment-command.js';
import { UsageError } from '../../src/cli/usage-error.js';

const folder = mkdtempSync(join(tmpdir(), 'segment-command-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function capture(): { stream: Writable; text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

async function run(argv: string[]): Promise<string> {
  const stdout = capture();
  const stderr = capture();
  await segmentCommand.run(parseCommandFlags(segmentCommand, argv), {
    stdout: stdout.stream,
    stderr: stderr.stream,
  });
  return stdout.text();
}

const operator = generateOperator({ subscribers: 600, months: 2, seed: 3 });
const features = usageFeatures(operator.calls);
const csvPath = join(folder, 'features.csv');
writeFileSync(
  csvPath,
  [
    ['subscriberId', ...features.featureNames].join(','),
    ...features.subscriberIds.map((id, r) =>
      [
        id,
        ...Array.from(
          features.matrix.data.subarray(r * features.matrix.cols, (r + 1) * features.matrix.cols),
        ),
      ].join(','),
    ),
  ].join('\n'),
);

describe('telco-analytics segment', () => {
  it('segments a features file, writes id,segment and a model that predicts from raw rows', async () => {
    const out = join(folder, 'segments.csv');
    const modelPath = join(folder, 'model.json');
    const printed = await run([
      '--features',
      csvPath,
      '--k',
      '5',
      '--seed',
      '42',
      '--log1p',
      'dataMbPerDay,smsPerDay',
      '--out',
      out,
      '--model',
      modelPath,
    ]);
    expect(printed).toContain(
      `${features.matrix.rows} rows, ${features.featureNames.length} features, k = 5`,
    );
    expect(printed.match(/^segment \d: /gm)).toHaveLength(5);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('subscriberId,segment');
    expect(lines).toHaveLength(features.matrix.rows + 1);
    const model = JSON.parse(readFileSync(modelPath, 'utf8'));
    expect(model.scaler.log1p).toHaveLength(2);
    const predicted = predictSegment(model, features.matrix);
    expect(Array.from(predicted)).toEqual(lines.slice(1).map((line) => Number(line.split(',')[1])));
  });

  it('chooses k with --k auto and says why', async () => {
    const printed = await run([
      '--features',
      csvPath,
      '--k',
      'auto',
      '--k-max',
      '7',
      '--out',
      join(folder, 'auto.csv'),
    ]);
    expect(printed).toMatch(/^k = \d: (knee of the inertia curve|no knee)/);
  });

  it('fails with a clear message on bad flags and bad cells', async () => {
    await expect(run(['--features', csvPath, '--k', '0', '--out', join(folder, 'x.csv')])).rejects.toThrow(
      UsageError,
    );
    await expect(
      run(['--features', csvPath, '--k', '3', '--scale', 'zscore', '--out', join(folder, 'x.csv')]),
    ).rejects.toThrow(/--scale/);
    await expect(
      run(['--features', csvPath, '--k', '3', '--log1p', 'nope', '--out', join(folder, 'x.csv')]),
    ).rejects.toThrow(/--log1p/);
    const bad = join(folder, 'bad.csv');
    writeFileSync(bad, 'subscriberId,calls,minutes\nS1,1,2\nS2,3,x\n');
    await expect(run(['--features', bad, '--k', '1', '--out', join(folder, 'x.csv')])).rejects.toThrow(
      DataError,
    );
    await expect(run(['--features', bad, '--k', '1', '--out', join(folder, 'x.csv')])).rejects.toThrow(
      "row 2 (line 3), column 'minutes'",
    );
  });
});
