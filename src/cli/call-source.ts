import { readCalls } from '../data/read-records.js';
import { connect, parseEngineFlag } from '../engine/index.js';
import { callsInEngine } from '../report/engine-calls.js';
import { callsInMemory, type ReportCalls } from '../report/report-calls.js';
import type { FlagSpec } from './command.js';
import { UsageError } from './usage-error.js';

/** The `--engine` flag of the commands that read CDRs. */
export const engineFlag: FlagSpec = {
  type: 'string',
  description:
    'instead of --calls: CDRs in an engine, duckdb:FILE_OR_GLOB (CSV or Parquet) or clickhouse:URL[?table=calls&database=...]; aggregations run there, per-subscriber work streams subscriber chunks',
  placeholder: 'SPEC',
};

/** Fails early (before other files are read) unless exactly one of `--calls` and `--engine` is given. */
export function checkCallSource(flags: Readonly<Record<string, string | boolean | undefined>>): void {
  if ((typeof flags.calls === 'string') === (typeof flags.engine === 'string'))
    throw new UsageError('give exactly one of --calls FILE or --engine SPEC');
}

/**
 * Runs `use` over the command's CDRs: `--calls FILE` read into memory, or `--engine SPEC` (the
 * engine is opened, the CDRs registered, and the engine closed afterwards whatever happens).
 */
export async function withCallSource<T>(
  flags: Readonly<Record<string, string | boolean | undefined>>,
  use: (calls: ReportCalls) => Promise<T>,
): Promise<T> {
  checkCallSource(flags);
  const file = typeof flags.calls === 'string' ? flags.calls : undefined;
  const spec = typeof flags.engine === 'string' ? flags.engine : undefined;
  if (file !== undefined) return use(callsInMemory((await readCalls(file)).rows));
  const { options, source } = parseEngineFlag(spec!);
  const engine = await connect(options);
  try {
    return await use(callsInEngine(await engine.registerCalls(source)));
  } finally {
    await engine.close();
  }
}
