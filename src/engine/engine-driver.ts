import type { SqlDialect } from './sql-text.js';

/** A result row as a driver returns it: 64-bit integers already turned into numbers. @internal */
export type EngineRow = Record<string, string | number | boolean | null>;

/** What every engine does underneath: run one SQL statement and read its rows. @internal */
export interface EngineDriver {
  readonly dialect: SqlDialect;
  /** Runs a query and returns all its rows (results here are per-subscriber, never per-CDR at scale). */
  query(sql: string): Promise<EngineRow[]>;
  /** Runs a statement without a result. */
  execute(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Turns bigint and numeric-string 64-bit values into numbers, dates into epoch milliseconds. @internal */
export function plainValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.getTime();
  return String(value);
}
