import { OptionError } from '../data/errors.js';
import type { CallRecord } from '../data/records.js';
import { type CallTable, callFields, relationOf } from './call-table.js';
import { integerLiteral } from './sql-text.js';

/** Options of {@link streamCalls}. */
export interface StreamCallsOptions {
  /** About how many CDRs one chunk holds; sets the number of partitions. @defaultValue 1000000 */
  readonly rowsPerChunk?: number | undefined;
  /** The number of subscriber partitions (one query and one chunk each). @defaultValue ⌈CDRs / rowsPerChunk⌉ */
  readonly partitions?: number | undefined;
}

const numeric = new Set(['start', 'durationSec', 'volumeMb', 'charge']);

/**
 * The registered CDRs as chunks of {@link CallRecord}s partitioned by subscriber: every
 * subscriber's calls are in exactly one chunk, sorted by start time, so per-subscriber work
 * (rating a bill run, fraud rules, simulations) runs chunk by chunk over more CDRs than fit in
 * memory. Subscribers are spread over partitions by a hash of their id; each partition is one
 * query (a scan of the source), so fewer, larger chunks cost fewer scans.
 *
 * @throws {@link OptionError} for a `rowsPerChunk` or `partitions` that is not a positive integer.
 * @example
 * for await (const chunk of streamCalls(calls, { rowsPerChunk: 500_000 })) {
 *   alerts.push(...evaluateRules(chunk, rules).alerts);
 * }
 */
export async function* streamCalls(
  calls: CallTable,
  options: StreamCallsOptions = {},
): AsyncGenerator<CallRecord[], void, undefined> {
  const context = 'streamCalls';
  const relation = relationOf(calls, context);
  const rowsPerChunk = options.rowsPerChunk ?? 1_000_000;
  if (!(Number.isInteger(rowsPerChunk) && rowsPerChunk > 0))
    throw new OptionError(
      context,
      'rowsPerChunk',
      `must be a positive integer, received ${String(rowsPerChunk)}`,
    );
  if (options.partitions !== undefined && !(Number.isInteger(options.partitions) && options.partitions > 0))
    throw new OptionError(
      context,
      'partitions',
      `must be a positive integer, received ${String(options.partitions)}`,
    );
  const { dialect, field } = relation;
  let partitions = options.partitions;
  if (partitions === undefined) {
    const [counted] = await relation.driver.query(
      `SELECT ${dialect === 'duckdb' ? 'CAST(count(*) AS DOUBLE)' : 'toFloat64(count())'} AS n FROM ${relation.from}`,
    );
    partitions = Math.max(1, Math.ceil(Number(counted?.n ?? 0) / rowsPerChunk));
  }
  const hash = dialect === 'duckdb' ? `hash(${field.subscriberId})` : `cityHash64(${field.subscriberId})`;
  const select = callFields.map((name) => `${field[name]} AS c_${name}`).join(', ');
  for (let partition = 0; partition < partitions; partition++) {
    const where =
      partitions === 1
        ? ''
        : ` WHERE ${hash} % ${integerLiteral(partitions, context, 'partitions')} = ${integerLiteral(partition, context, 'partitions')}`;
    const rows = await relation.driver.query(
      `SELECT ${select} FROM ${relation.from}${where} ORDER BY ${field.subscriberId}, ${field.start}`,
    );
    if (rows.length === 0) continue;
    const chunk: CallRecord[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const record: Record<string, string | number> = {};
      for (const name of callFields) {
        const value = row[`c_${name}`];
        if (value === null || value === undefined) continue;
        record[name] = numeric.has(name) ? Number(value) : String(value);
      }
      chunk[i] = record as unknown as CallRecord;
    }
    yield chunk;
  }
}
