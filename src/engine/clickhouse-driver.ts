import type { EngineDriver, EngineRow } from './engine-driver.js';
import { plainValue } from './engine-driver.js';
import { loadOptionalPackage } from './load-optional-package.js';

// The few members of `@clickhouse/client` used here, typed locally so the package stays optional
// at compile time as well as at run time.
interface ClickHouseResultSet {
  json<T>(): Promise<T[]>;
}
interface ClickHouseClient {
  query(parameters: {
    query: string;
    format: 'JSONEachRow';
    clickhouse_settings?: Record<string, string | number>;
  }): Promise<ClickHouseResultSet>;
  command(parameters: {
    query: string;
    clickhouse_settings?: Record<string, string | number>;
  }): Promise<unknown>;
  close(): Promise<void>;
}
interface ClickHouseModule {
  createClient(config: {
    url: string;
    username?: string;
    password?: string;
    database?: string;
    request_timeout?: number;
    clickhouse_settings?: Record<string, string | number>;
    log?: { LoggerClass?: new () => SilentLogger; level?: number };
  }): ClickHouseClient;
}

// The client logs failed requests to the console by default; a library must not write there (the
// error reaches the caller as the rejected promise anyway).
class SilentLogger {
  trace(): void {}
  debug(): void {}
  info(): void {}
  warn(): void {}
  error(): void {}
}
const logOff = 127;

/** Options of the ClickHouse driver (resolved). @internal */
export interface ClickHouseDriverOptions {
  readonly url: string;
  readonly database: string;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly requestTimeoutMs: number;
}

/**
 * Connects to ClickHouse over HTTP through `@clickhouse/client`, imported on first use. 64-bit
 * integers come back as JSON numbers (`output_format_json_quote_64bit_integers = 0`; counts here
 * stay far below 2^53), and no setting newer than ClickHouse 18.16 is sent. @internal
 */
export async function openClickHouse(options: ClickHouseDriverOptions): Promise<EngineDriver> {
  const clickhouse = await loadOptionalPackage<ClickHouseModule>(
    '@clickhouse/client',
    "connect({ kind: 'clickhouse' })",
  );
  const settings = { output_format_json_quote_64bit_integers: 0 };
  const client = clickhouse.createClient({
    url: options.url,
    database: options.database,
    request_timeout: options.requestTimeoutMs,
    log: { LoggerClass: SilentLogger, level: logOff },
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
  });
  let open = true;
  return {
    dialect: 'clickhouse',
    async query(sql: string): Promise<EngineRow[]> {
      const result = await client.query({ query: sql, format: 'JSONEachRow', clickhouse_settings: settings });
      const rows = await result.json<Record<string, unknown>>();
      return rows.map((row) => {
        const plain: EngineRow = {};
        for (const key in row) plain[key] = plainValue(row[key]);
        return plain;
      });
    },
    async execute(sql: string): Promise<void> {
      await client.command({ query: sql });
    },
    async close(): Promise<void> {
      if (!open) return;
      open = false;
      await client.close();
    },
  };
}
