import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateOperator,
  readOperatorFiles,
  streamOperator,
  writeOperatorFiles,
} from 'telco-analytics/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let folder: string;
const options = { subscribers: 120, months: 2, seed: 5 };

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'telco-read-operator-'));
  await writeOperatorFiles(streamOperator(options), folder);
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('readOperatorFiles', () => {
  it('reads back everything but the CDRs, which stay in calls.csv', async () => {
    const memory = generateOperator(options);
    const files = await readOperatorFiles(folder);
    expect(files.callsFile).toBe(join(folder, 'calls.csv'));
    expect('calls' in files).toBe(false);
    expect(files.truth).toEqual(memory.truth);
    expect(files.payments).toEqual(memory.payments);
    expect(files.plans).toEqual(memory.plans);
    expect(files.plantedAssociations).toEqual(memory.plantedAssociations);
    expect([files.start, files.end, files.months, files.seed]).toEqual([
      memory.start,
      memory.end,
      memory.months,
      memory.seed,
    ]);
    // CSV keeps extra attributes as text (complaints '0'); the known fields come back typed.
    expect(
      files.subscribers.map(({ subscriberId, planId, tenureMonths, churned }) => ({
        subscriberId,
        planId,
        tenureMonths,
        churned,
      })),
    ).toEqual(
      memory.subscribers.map(({ subscriberId, planId, tenureMonths, churned }) => ({
        subscriberId,
        planId,
        tenureMonths,
        churned,
      })),
    );
  });

  it('names the folder when a file is missing and refuses a truth.json it did not write', async () => {
    await expect(readOperatorFiles(join(folder, 'nowhere'))).rejects.toThrow(
      /readOperatorFiles.*directory.*truth\.json/,
    );
    const odd = await mkdtemp(join(tmpdir(), 'telco-read-operator-odd-'));
    await writeFile(join(odd, 'truth.json'), '{"seed": 1}');
    await expect(readOperatorFiles(odd)).rejects.toThrow(/lacks subscriberTruth/);
    await writeFile(join(odd, 'truth.json'), '{ not json');
    await expect(readOperatorFiles(odd)).rejects.toThrow(/not JSON/);
    await rm(odd, { recursive: true, force: true });
  });
});
