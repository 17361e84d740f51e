import { OptionError } from '../data/errors.js';
import {
  type CallSource,
  type CallTable,
  type RegisterCallsOptions,
  registerCallTable,
} from './call-table.js';
import { openClickHouse } from './clickhouse-driver.js';
import { openDuckDB } from './duckdb-driver.js';
import type { EngineDriver } from './engine-driver.js';

/** DuckDB, embedded in this process (`@duckdb/node-api`, an optional peer dependency). */
export interface DuckDBEngineOptions {
  readonly kind: 'duckdb';
  /** A database file to open or create. @defaultValue ':memory:' */
  readonly path?: string | undefined;
  /** Worker threads DuckDB may use. @defaultValue DuckDB's default (the number of cores) */
  readonly threads?: number | undefined;
  /** DuckDB's `memory_limit`, such as `'2GB'`; beyond it DuckDB spills to disk. @defaultValue DuckDB's default (80% of RAM) */
  readonly memoryLimit?: string | undefined;
}

/** A ClickHouse server or cluster over HTTP (`@clickhouse/client`, an optional peer dependency). */
export interface ClickHouseEngineOptions {
  readonly kind: 'clickhouse';
  /** The HTTP(S) endpoint, such as `'http://127.0.0.1:8123'`. Required. */
  readonly url: string;
  /** The database of tables given without one. @defaultValue 'default' */
  readonly database?: string | undefined;
  /**
   * A cluster from the servers' `remote_servers`: tables are then read on every shard through
   * `cluster(name, database, table)`, for per-shard tables without a `Distributed` table over
   * them. @defaultValue none (read the table as named, such as a `Distributed` table)
   */
  readonly cluster?: string | undefined;
  /** @defaultValue the client's default user */
  readonly username?: string | undefined;
  /** @defaultValue none */
  readonly password?: string | undefined;
  /** How long one query may take. @defaultValue 600000 (10 minutes) */
  readonly requestTimeoutMs?: number | undefined;
}

/** Options of {@link connect}: which engine, and where. */
export type EngineOptions = DuckDBEngineOptions | ClickHouseEngineOptions;

/**
 * An open engine: where CDRs live and the aggregations run. A plain object of functions; close
 * it when done.
 */
export interface Engine {
  readonly kind: 'duckdb' | 'clickhouse';
  /**
   * Registers CDRs (files for DuckDB, an existing table for both) under the {@link CallRecord}
   * field names, checking that the mapped columns exist.
   */
  registerCalls(source: CallSource, options?: RegisterCallsOptions): Promise<CallTable>;
  /** Closes the connection; later calls fail. */
  close(): Promise<void>;
}

const drivers = new WeakMap<Engine, EngineDriver>();

/** The driver of an engine. @internal */
export function driverOf(engine: Engine, context: string): EngineDriver {
  const driver = typeof engine === 'object' && engine !== null ? drivers.get(engine) : undefined;
  if (driver === undefined) throw new OptionError(context, 'engine', 'must be an engine returned by connect');
  return driver;
}

function optionalString(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0)
    throw new OptionError('connect', option, `must be a non-empty string, received ${JSON.stringify(value)}`);
  return value;
}

/**
 * Opens an engine: DuckDB embedded (in memory by default) or a ClickHouse server or cluster. The
 * database client is imported only now, so a program that never connects never loads it; a
 * missing client package is an error naming the package to install.
 *
 * @throws {@link OptionError} for an unknown `kind` or an invalid option;
 * {@link TelcoAnalyticsError} `UNSUPPORTED` when the client package is not installed.
 * @example
 * const engine = await connect({ kind: 'duckdb' });
 * const calls = await engine.registerCalls('/data/cdr/*.parquet');
 * const features = await engineSubscriberFeatures(calls, subscribers, { asOf: '2024-04-01' });
 * await engine.close();
 */
export async function connect(options: EngineOptions): Promise<Engine> {
  if (typeof options !== 'object' || options === null)
    throw new OptionError(
      'connect',
      'options',
      "are required: { kind: 'duckdb' } or { kind: 'clickhouse', url }",
    );
  let driver: EngineDriver;
  let database: string | undefined;
  let cluster: string | undefined;
  if (options.kind === 'duckdb') {
    const threads = options.threads;
    if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1))
      throw new OptionError('connect', 'threads', `must be a positive integer, received ${String(threads)}`);
    const memoryLimit = optionalString(options.memoryLimit, 'memoryLimit');
    if (memoryLimit !== undefined && !/^\d+(\.\d+)?\s*[KMGT]i?B$/i.test(memoryLimit))
      throw new OptionError(
        'connect',
        'memoryLimit',
        `must be a size such as '2GB', received '${memoryLimit}'`,
      );
    driver = await openDuckDB({
      path: optionalString(options.path, 'path') ?? ':memory:',
      threads,
      memoryLimit,
    });
  } else if (options.kind === 'clickhouse') {
    const url = optionalString(options.url, 'url');
    if (url === undefined || !/^https?:\/\//i.test(url))
      throw new OptionError(
        'connect',
        'url',
        `must be an http(s) URL, received ${JSON.stringify(options.url)}`,
      );
    const timeout = options.requestTimeoutMs ?? 600_000;
    if (!(Number.isInteger(timeout) && timeout > 0))
      throw new OptionError(
        'connect',
        'requestTimeoutMs',
        `must be a positive integer, received ${String(timeout)}`,
      );
    database = optionalString(options.database, 'database') ?? 'default';
    cluster = optionalString(options.cluster, 'cluster');
    driver = await openClickHouse({
      url,
      database,
      username: optionalString(options.username, 'username'),
      password: options.password,
      requestTimeoutMs: timeout,
    });
  } else {
    throw new OptionError(
      'connect',
      'kind',
      `must be 'duckdb' or 'clickhouse', received ${JSON.stringify((options as { kind?: unknown }).kind)}`,
    );
  }
  const engine: Engine = Object.freeze({
    kind: driver.dialect,
    registerCalls: (source: CallSource, registerOptions: RegisterCallsOptions = {}) =>
      registerCallTable(engine, driver, source, registerOptions, database, cluster),
    close: () => driver.close(),
  });
  drivers.set(engine, driver);
  return engine;
}
