import { OptionError } from '../data/errors.js';

/** The SQL dialect an engine speaks. */
export type SqlDialect = 'duckdb' | 'clickhouse';

/**
 * An identifier (table, column, database) quoted for `dialect`: DuckDB double quotes with `"`
 * doubled; ClickHouse backticks with `\` and `` ` `` escaped by a backslash. The whole name is one
 * identifier, whatever it holds, so a hostile name can only ever name a table or column that does
 * not exist. @internal
 */
export function quoteIdentifier(dialect: SqlDialect, name: string, context: string, option: string): string {
  if (typeof name !== 'string' || name.length === 0)
    throw new OptionError(context, option, `must be a non-empty name, received ${JSON.stringify(name)}`);
  if (name.includes('\u0000')) throw new OptionError(context, option, 'must not contain a NUL character');
  if (dialect === 'duckdb') return `"${name.replaceAll('"', '""')}"`;
  return `\`${name.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``;
}

/**
 * A string literal for `dialect`. DuckDB follows standard SQL (only `'` is special, doubled);
 * ClickHouse also reads backslash escapes, so `\` and `'` are both escaped by a backslash. @internal
 */
export function stringLiteral(dialect: SqlDialect, value: string, context: string, option: string): string {
  if (typeof value !== 'string')
    throw new OptionError(context, option, `must be a string, received ${typeof value}`);
  if (value.includes('\u0000')) throw new OptionError(context, option, 'must not contain a NUL character');
  if (dialect === 'duckdb') return `'${value.replaceAll("'", "''")}'`;
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** An integer literal (epoch milliseconds, hours, counts): a safe integer or an OptionError. @internal */
export function integerLiteral(value: number, context: string, option: string): string {
  if (!Number.isSafeInteger(value))
    throw new OptionError(context, option, `must be an integer, received ${String(value)}`);
  return String(value);
}

/**
 * A numeric literal: finite numbers only, written so both dialects read back the same double
 * (`String(x)` is the shortest round-tripping form; exponent forms are valid SQL in both). @internal
 */
export function numberLiteral(value: number, context: string, option: string): string {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new OptionError(context, option, `must be a finite number, received ${String(value)}`);
  return String(value);
}
