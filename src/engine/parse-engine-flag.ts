import { OptionError } from '../data/errors.js';
import type { CallSource } from './call-table.js';
import type { EngineOptions } from './connect.js';

/** What an `--engine` flag names: how to connect, and where the CDRs are. */
export interface EngineFlag {
  readonly options: EngineOptions;
  readonly source: CallSource;
}

/**
 * Reads the CLI's `--engine` value: `duckdb:FILE_OR_GLOB` (CSV or Parquet files read by an
 * in-memory DuckDB) or `clickhouse:URL`, where the URL may carry `?table=` (default `calls`),
 * `&database=` (default `default`) and `&cluster=`; those three are taken off the URL before it
 * reaches the client.
 *
 * @throws {@link OptionError} naming `engine` for any other form.
 * @example
 * parseEngineFlag('duckdb:cdr/*.parquet');
 * // => { options: { kind: 'duckdb' }, source: 'cdr/*.parquet' }
 * parseEngineFlag('clickhouse:http://10.0.0.5:8123/?table=cdr&database=telco');
 * // => { options: { kind: 'clickhouse', url: 'http://10.0.0.5:8123/', database: 'telco' }, source: { table: 'cdr' } }
 */
export function parseEngineFlag(value: string): EngineFlag {
  const context = 'parseEngineFlag';
  const text = typeof value === 'string' ? value.trim() : '';
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  if (kind === 'duckdb') {
    if (rest.length === 0)
      throw new OptionError(context, 'engine', "needs files after 'duckdb:', as in duckdb:cdr/*.parquet");
    return { options: { kind: 'duckdb' }, source: rest };
  }
  if (kind === 'clickhouse') {
    let url: URL;
    try {
      url = new URL(rest);
    } catch {
      throw new OptionError(
        context,
        'engine',
        `needs an http(s) URL after 'clickhouse:', received '${rest}'`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new OptionError(
        context,
        'engine',
        `needs an http(s) URL after 'clickhouse:', received '${rest}'`,
      );
    const table = url.searchParams.get('table') ?? 'calls';
    const database = url.searchParams.get('database') ?? undefined;
    const cluster = url.searchParams.get('cluster') ?? undefined;
    for (const name of ['table', 'database', 'cluster']) url.searchParams.delete(name);
    const options: EngineOptions = {
      kind: 'clickhouse',
      url: url.toString(),
      ...(database === undefined ? {} : { database }),
      ...(cluster === undefined ? {} : { cluster }),
    };
    return { options, source: { table } };
  }
  throw new OptionError(
    context,
    'engine',
    `must be duckdb:FILE_OR_GLOB or clickhouse:URL, received '${String(value)}'`,
  );
}
