import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OptionError, TelcoAnalyticsError } from '../errors.js';
import { readPayments, readSubscribers } from '../read-records.js';
import type { OperatorDescription, SubscriberTruth, SyntheticOperator } from './generate-operator.js';

/** A synthetic operator read back from its files, without the CDRs: those stay in `callsFile`. */
export type OperatorFiles = Omit<SyntheticOperator, 'calls'> & {
  /** The path of `calls.csv`, for an engine to register (or a reader to stream). */
  readonly callsFile: string;
};

async function readJson<T>(directory: string, name: string): Promise<T> {
  const path = join(directory, name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new OptionError(
      'readOperatorFiles',
      'directory',
      `cannot read ${path} (${(error as Error).message}); write the files with writeOperatorFiles or \`telco-analytics generate --out ${directory}\``,
    );
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new TelcoAnalyticsError(
      'INVALID_DATA',
      `readOperatorFiles: ${path} is not JSON: ${(error as Error).message}`,
    );
  }
}

/**
 * Reads what {@link writeOperatorFiles} wrote — subscribers, payments, plans and the ground truth —
 * but leaves the CDRs in `calls.csv`, whose path it returns: the small tables in memory, the large
 * one for an engine (`telco-analytics/engine`) to aggregate where it lies.
 *
 * @throws OptionError naming `directory` when a file is missing; TelcoAnalyticsError `INVALID_DATA`
 * when a JSON file is not what was written;
 * DataError for bad rows (row and column named).
 * @example
 * const operator = await readOperatorFiles('sample');
 * const engine = await connect({ kind: 'duckdb' });
 * const calls = await engine.registerCalls(operator.callsFile);
 */
export async function readOperatorFiles(directory: string): Promise<OperatorFiles> {
  const { subscriberTruth, ...description } = await readJson<
    Omit<OperatorDescription, 'plans'> & { subscriberTruth?: SubscriberTruth[] }
  >(directory, 'truth.json');
  if (!Array.isArray(subscriberTruth) || typeof description.end !== 'string')
    throw new TelcoAnalyticsError(
      'INVALID_DATA',
      `readOperatorFiles: ${join(directory, 'truth.json')} lacks subscriberTruth or end: not written by writeOperatorFiles`,
    );
  const plans = await readJson<OperatorDescription['plans']>(directory, 'plans.json');
  const subscribers = await readSubscribers(join(directory, 'subscribers.csv'));
  const payments = await readPayments(join(directory, 'payments.csv'));
  return {
    ...description,
    plans,
    subscribers: subscribers.rows,
    payments: payments.rows,
    truth: subscriberTruth,
    callsFile: join(directory, 'calls.csv'),
  };
}
