import type { EngineDriver, EngineRow } from './engine-driver.js';
import { plainValue } from './engine-driver.js';
import { loadOptionalPackage } from './load-optional-package.js';

type DuckDBModule = typeof import('@duckdb/node-api');

/** Options of the DuckDB driver (resolved). @internal */
export interface DuckDBDriverOptions {
  readonly path: string;
  readonly threads: number | undefined;
  readonly memoryLimit: string | undefined;
}

/** Opens DuckDB (in memory or a database file) through `@duckdb/node-api`, imported on first use. @internal */
export async function openDuckDB(options: DuckDBDriverOptions): Promise<EngineDriver> {
  const duckdb = await loadOptionalPackage<DuckDBModule>('@duckdb/node-api', "connect({ kind: 'duckdb' })");
  const config: Record<string, string> = {};
  if (options.threads !== undefined) config.threads = String(options.threads);
  if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
  const instance = await duckdb.DuckDBInstance.create(options.path, config);
  const connection = await instance.connect();
  let open = true;
  return {
    dialect: 'duckdb',
    async query(sql: string): Promise<EngineRow[]> {
      const reader = await connection.runAndReadAll(sql);
      const rows = reader.getRowObjectsJS();
      const out: EngineRow[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        const plain: EngineRow = {};
        for (const key in row) plain[key] = plainValue(row[key]);
        out[i] = plain;
      }
      return out;
    },
    async execute(sql: string): Promise<void> {
      await connection.run(sql);
    },
    async close(): Promise<void> {
      if (!open) return;
      open = false;
      connection.closeSync();
      instance.closeSync();
    },
  };
}
