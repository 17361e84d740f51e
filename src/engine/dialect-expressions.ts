import type { SqlDialect } from './sql-text.js';

// SQL expressions over a call's start time `start` (epoch milliseconds, a 64-bit integer) that
// reproduce the package's own UTC calendar arithmetic in each dialect. ClickHouse 18.16 has no
// 64-bit timestamp type, so its calendar parts go through the UTC day number and `Date` (days
// since 1970), which needs no time zone; DuckDB converts with `epoch_ms`.

const dayMs = 86_400_000;

/** The UTC day number (floor of days since 1970-01-01), as a whole number. @internal */
export function dayNumberSql(dialect: SqlDialect, start: string): string {
  return dialect === 'duckdb' ? `floor(${start} / ${dayMs}.0)` : `floor(${start} / ${dayMs})`;
}

/** The UTC hour 0..23, also for instants before 1970 (a floor modulo). @internal */
export function hourSql(dialect: SqlDialect, start: string): string {
  const ofDay = `((${start} % ${dayMs}) + ${dayMs}) % ${dayMs}`;
  return dialect === 'duckdb'
    ? `CAST(floor((${ofDay}) / 3600000.0) AS INTEGER)`
    : `intDiv(${ofDay}, 3600000)`;
}

/** The UTC calendar date of the start. @internal */
function dateSql(dialect: SqlDialect, start: string): string {
  return dialect === 'duckdb'
    ? `CAST(epoch_ms(CAST(${start} AS BIGINT)) AS DATE)`
    : `toDate(toUInt16(intDiv(${start}, ${dayMs})))`;
}

/** Months since 1970-01 (year × 12 + month − 1 − 1970 × 12), UTC. @internal */
export function monthNumberSql(dialect: SqlDialect, start: string): string {
  const date = dateSql(dialect, start);
  return dialect === 'duckdb'
    ? `((year(${date}) - 1970) * 12 + month(${date}) - 1)`
    : `((toYear(${date}) - 1970) * 12 + toMonth(${date}) - 1)`;
}

/** The derived time parts of `telco-analytics/olap` (`TimePart`), formatted as `cube` formats them. @internal */
export function timePartSql(
  dialect: SqlDialect,
  part: 'hour' | 'weekday' | 'day' | 'week' | 'month' | 'quarter',
  start: string,
): string {
  if (part === 'hour') return hourSql(dialect, start);
  const date = dateSql(dialect, start);
  if (dialect === 'duckdb') {
    switch (part) {
      case 'weekday':
        return `CAST(isodow(${date}) AS INTEGER)`;
      case 'day':
        return `strftime(${date}, '%Y-%m-%d')`;
      case 'week':
        return `strftime(date_trunc('week', ${date}), '%Y-%m-%d')`;
      case 'month':
        return `strftime(${date}, '%Y-%m')`;
      default:
        return `strftime(${date}, '%Y') || '-Q' || CAST(quarter(${date}) AS VARCHAR)`;
    }
  }
  switch (part) {
    case 'weekday':
      return `toDayOfWeek(${date})`;
    case 'day':
      return `toString(${date})`;
    case 'week':
      return `toString(toMonday(${date}))`;
    case 'month':
      return `substring(toString(${date}), 1, 7)`;
    default:
      return `concat(toString(toYear(${date})), '-Q', toString(toQuarter(${date})))`;
  }
}

/** Exact distinct count of the non-null values of `value` where `condition` holds. @internal */
export function distinctCountSql(dialect: SqlDialect, value: string, condition: string): string {
  return dialect === 'duckdb'
    ? `count(DISTINCT CASE WHEN ${condition} THEN ${value} END)`
    : `uniqExactIf(${value}, ${value} IS NOT NULL AND ${condition})`;
}

/** A count of rows where `condition` holds, as a double (JSON-safe in both dialects). @internal */
export function countWhereSql(dialect: SqlDialect, condition: string): string {
  return dialect === 'duckdb'
    ? `CAST(count(*) FILTER (WHERE ${condition}) AS DOUBLE)`
    : `toFloat64(countIf(${condition}))`;
}

/** A sum of `value` (nulls as 0) over rows where `condition` holds, as a double. @internal */
export function sumWhereSql(dialect: SqlDialect, value: string, condition: string): string {
  return dialect === 'duckdb'
    ? `CAST(coalesce(sum(${value}) FILTER (WHERE ${condition}), 0) AS DOUBLE)`
    : `toFloat64(sumIf(coalesce(${value}, 0), ${condition}))`;
}
