import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { callsToCsv, paymentsToCsv, subscribersToCsv } from '../write-csv.js';
import type { OperatorDescription, OperatorStream, SubscriberTruth } from './generate-operator.js';

/** Options of {@link writeOperatorFiles}. */
export interface WriteOperatorFilesOptions {
  /** Called after each chunk with the subscribers written so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What {@link writeOperatorFiles} wrote. */
export interface OperatorFilesSummary {
  readonly directory: string;
  readonly subscribers: number;
  readonly calls: number;
  readonly payments: number;
  readonly files: readonly string[];
}

/** The columns of the generated subscribers file. */
export const generatedSubscriberColumns = [
  'subscriberId',
  'planId',
  'contract',
  'tenureMonths',
  'activationDate',
  'region',
  'ageBand',
  'device',
  'complaints',
  'arrearsDays',
  'churned',
] as const;

const linesPerWrite = 20_000;

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

/**
 * Writes a streamed synthetic operator to `directory`: `subscribers.csv`, `calls.csv`,
 * `payments.csv`, `plans.json` and `truth.json` (the description and one truth row per subscriber).
 * Memory stays bounded by one chunk. The same seed writes byte-identical files.
 *
 * @example
 * await writeOperatorFiles(streamOperator({ subscribers: 2000, months: 3, seed: 42 }), 'sample');
 * // => { directory: 'sample', subscribers: 2000, calls: ..., payments: ..., files: [...] }
 */
export async function writeOperatorFiles(
  operator: OperatorStream,
  directory: string,
  options: WriteOperatorFilesOptions = {},
): Promise<OperatorFilesSummary> {
  await mkdir(directory, { recursive: true });
  const subscribersFile = createWriteStream(join(directory, 'subscribers.csv'));
  const callsFile = createWriteStream(join(directory, 'calls.csv'));
  const paymentsFile = createWriteStream(join(directory, 'payments.csv'));
  const truth: SubscriberTruth[] = [];
  let calls = 0;
  let payments = 0;
  let header = true;
  try {
    for (const chunk of operator.chunks()) {
      await write(
        subscribersFile,
        subscribersToCsv(chunk.subscribers, { header, columns: generatedSubscriberColumns }),
      );
      for (let from = 0; from < chunk.calls.length; from += linesPerWrite) {
        await write(
          callsFile,
          callsToCsv(chunk.calls.slice(from, from + linesPerWrite), { header: header && from === 0 }),
        );
      }
      if (header && chunk.calls.length === 0) await write(callsFile, callsToCsv([], { header: true }));
      await write(paymentsFile, paymentsToCsv(chunk.payments, { header }));
      header = false;
      calls += chunk.calls.length;
      payments += chunk.payments.length;
      truth.push(...chunk.truth);
      options.onProgress?.(truth.length, operator.subscriberCount);
    }
  } finally {
    await Promise.all([close(subscribersFile), close(callsFile), close(paymentsFile)]);
  }
  const { chunks: _chunks, plans, ...description } = operator;
  const truthDocument: Omit<OperatorDescription, 'plans'> & { subscriberTruth: SubscriberTruth[] } = {
    ...description,
    subscriberTruth: truth,
  };
  await writeFile(join(directory, 'plans.json'), `${JSON.stringify(plans, null, 2)}\n`);
  await writeFile(join(directory, 'truth.json'), `${JSON.stringify(truthDocument, null, 1)}\n`);
  return {
    directory,
    subscribers: truth.length,
    calls,
    payments,
    files: ['subscribers.csv', 'calls.csv', 'payments.csv', 'plans.json', 'truth.json'],
  };
}
