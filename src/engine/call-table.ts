import { OptionError } from '../data/errors.js';
import { callColumns } from '../data/write-csv.js';
import type { Engine } from './connect.js';
import type { EngineDriver } from './engine-driver.js';
import { quoteIdentifier, type SqlDialect, stringLiteral } from './sql-text.js';

/** The {@link CallRecord} fields an engine reads: the package's CSV columns. @internal */
export const callFields = callColumns;

/** A {@link CallRecord} field. */
export type CallField = (typeof callFields)[number];

const requiredFields: readonly CallField[] = ['subscriberId', 'start', 'service'];
const numericFields: ReadonlySet<CallField> = new Set(['durationSec', 'volumeMb', 'charge']);

/**
 * Where the CDRs are: a CSV or Parquet file path or glob (DuckDB only; `.parquet` files are read
 * with `read_parquet`, anything else with `read_csv`), or an existing table.
 *
 * @example
 * const files: CallSource = '/data/cdr/2024-*.parquet';
 * const table: CallSource = { table: 'calls', database: 'telco' };
 */
export type CallSource = string | { readonly table: string; readonly database?: string | undefined };

/** Options of `engine.registerCalls`. */
export interface RegisterCallsOptions {
  /**
   * The source's column for each {@link CallRecord} field whose name differs
   * (`{ subscriberId: 'msisdn', start: 'event_time' }`). `subscriberId`, `start` and `service`
   * must exist; other fields absent from the source read as missing.
   * @defaultValue each field read from the column of the same name
   */
  readonly columns?: Partial<Record<CallField, string>> | undefined;
}

/**
 * Registered CDRs: the handle the push-down functions (`engineSubscriberFeatures`, ...) take.
 * Plain data; the SQL it stands for is kept inside the engine.
 */
export interface CallTable {
  /** The engine the CDRs live in. */
  readonly engine: Engine;
  /** What was registered, for messages: the file pattern or the quoted table name. */
  readonly source: string;
  /** The {@link CallRecord} fields the source provides. */
  readonly fields: readonly CallField[];
}

/** The SQL a call table stands for. @internal */
export interface CallRelation {
  readonly driver: EngineDriver;
  readonly dialect: SqlDialect;
  /** The FROM item. */
  readonly from: string;
  /** An SQL expression per field (a typed NULL where the source lacks the field). `start` is epoch ms. */
  readonly field: Readonly<Record<CallField, string>>;
}

const relations = new WeakMap<CallTable, CallRelation>();

/** The SQL behind a call table, or an OptionError for an object that is not one. @internal */
export function relationOf(calls: CallTable, context: string): CallRelation {
  const relation = typeof calls === 'object' && calls !== null ? relations.get(calls) : undefined;
  if (relation === undefined)
    throw new OptionError(context, 'calls', 'must be a call table returned by engine.registerCalls');
  return relation;
}

function fromItem(
  dialect: SqlDialect,
  source: CallSource,
  defaultDatabase: string | undefined,
  cluster: string | undefined,
): string {
  const context = 'registerCalls';
  if (typeof source === 'string') {
    if (dialect !== 'duckdb')
      throw new OptionError(
        context,
        'source',
        'must be { table } for ClickHouse (files are read by DuckDB; load them into a table first)',
      );
    const path = stringLiteral(dialect, source, context, 'source');
    return /\.parquet$/i.test(source)
      ? `read_parquet(${path})`
      : `read_csv(${path}, header = true, auto_detect = true)`;
  }
  if (typeof source !== 'object' || source === null || typeof source.table !== 'string')
    throw new OptionError(context, 'source', 'must be a file path or glob, or { table, database? }');
  const database = source.database ?? defaultDatabase;
  const table = quoteIdentifier(dialect, source.table, context, 'source.table');
  if (cluster !== undefined && dialect === 'clickhouse') {
    const db = quoteIdentifier(dialect, database ?? 'default', context, 'source.database');
    return `cluster(${stringLiteral(dialect, cluster, context, 'cluster')}, ${db}, ${table})`;
  }
  return database === undefined
    ? table
    : `${quoteIdentifier(dialect, database, context, 'source.database')}.${table}`;
}

/** The source's column types by name, read with DESCRIBE. */
async function columnTypes(driver: EngineDriver, from: string): Promise<Map<string, string>> {
  const rows =
    driver.dialect === 'duckdb'
      ? await driver.query(`DESCRIBE SELECT * FROM ${from}`)
      : await driver.query(`DESCRIBE TABLE ${from}`);
  const types = new Map<string, string>();
  for (const row of rows) {
    const name = row.column_name ?? row.name;
    const type = row.column_type ?? row.type;
    if (typeof name === 'string' && typeof type === 'string') types.set(name, type);
  }
  return types;
}

function startExpression(dialect: SqlDialect, column: string, type: string, option: string): string {
  const bare = type.replace(/^Nullable\((.*)\)$/, '$1').toUpperCase();
  if (dialect === 'duckdb') {
    if (bare.startsWith('TIMESTAMP')) return `epoch_ms(${column})`;
    if (bare === 'DATE') return `epoch_ms(CAST(${column} AS TIMESTAMP))`;
    if (/INT/.test(bare)) return `CAST(${column} AS BIGINT)`;
    if (bare === 'VARCHAR') return `epoch_ms(CAST(${column} AS TIMESTAMPTZ))`;
  } else {
    if (bare.startsWith('DATETIME')) return `(toInt64(toUnixTimestamp(${column})) * 1000)`;
    if (bare === 'DATE') return `(toInt64(${column}) * 86400000)`;
    if (/^U?INT/.test(bare)) return `toInt64(${column})`;
  }
  throw new OptionError(
    'registerCalls',
    option,
    `names a column of type ${type}; the start time must be a timestamp, a date or integer epoch milliseconds`,
  );
}

/** Registers a call source on a driver: checks the mapped columns exist and builds the relation. @internal */
export async function registerCallTable(
  engine: Engine,
  driver: EngineDriver,
  source: CallSource,
  options: RegisterCallsOptions,
  defaultDatabase: string | undefined,
  cluster: string | undefined,
): Promise<CallTable> {
  const context = 'registerCalls';
  const dialect = driver.dialect;
  const columns = options?.columns ?? {};
  if (typeof columns !== 'object' || columns === null)
    throw new OptionError(context, 'columns', 'must be an object mapping CallRecord fields to column names');
  for (const key of Object.keys(columns)) {
    if (!(callFields as readonly string[]).includes(key))
      throw new OptionError(
        context,
        `columns.${key}`,
        `is not a CallRecord field; use ${callFields.join(', ')}`,
      );
  }
  const from = fromItem(dialect, source, defaultDatabase, cluster);
  const types = await columnTypes(driver, from);
  const field = {} as Record<CallField, string>;
  const present: CallField[] = [];
  for (const name of callFields) {
    const column = columns[name] ?? name;
    const option = columns[name] === undefined ? 'source' : `columns.${name}`;
    const type = types.get(column);
    if (type === undefined) {
      if (requiredFields.includes(name) || columns[name] !== undefined)
        throw new OptionError(
          context,
          option,
          `needs a column '${column}' for ${name}, which ${from} lacks (columns: ${[...types.keys()].join(', ')})`,
        );
      field[name] = numericFields.has(name)
        ? dialect === 'duckdb'
          ? 'CAST(NULL AS DOUBLE)'
          : 'CAST(NULL AS Nullable(Float64))'
        : dialect === 'duckdb'
          ? 'CAST(NULL AS VARCHAR)'
          : 'CAST(NULL AS Nullable(String))';
      continue;
    }
    present.push(name);
    const quoted = quoteIdentifier(dialect, column, context, option);
    field[name] = name === 'start' ? startExpression(dialect, quoted, type, option) : quoted;
  }
  const table: CallTable = Object.freeze({
    engine,
    source: typeof source === 'string' ? source : from,
    fields: Object.freeze(present),
  });
  relations.set(table, { driver, dialect, from, field });
  return table;
}
