import { type CallTable, relationOf } from './call-table.js';
import { dayNumberSql, distinctCountSql, monthNumberSql } from './dialect-expressions.js';

/**
 * One customer's running totals over their CDRs, as `rfmFromCalls` in `telco-analytics/rfm`
 * accumulates them before scoring: every record counts, whatever its service or direction, and a
 * missing charge counts as 0.
 */
export interface EngineCustomerValues {
  readonly customerId: string;
  /** Epoch milliseconds of the latest event. */
  readonly lastEvent: number;
  /** Number of events. */
  readonly events: number;
  /** Sum of the charges. */
  readonly revenue: number;
  /** Distinct UTC days with an event. */
  readonly activeDays: number;
  /** Distinct UTC calendar months with an event. */
  readonly activeMonths: number;
}

/**
 * Per-customer recency, frequency and monetary inputs computed in the engine: latest event, events,
 * revenue, distinct active days and months per subscriber, one row per subscriber sorted by id.
 * These few numbers per customer are all RFM scoring needs, so the CDRs never leave the engine;
 * score them in process with `rfmFromValues` of `telco-analytics/rfm`.
 *
 * @example
 * const values = await engineRfmValues(calls);
 * values[0]; // => { customerId: 'S0000001', lastEvent: 1711929540000, events: 310, revenue: 61.5, activeDays: 88, activeMonths: 3 }
 */
export async function engineRfmValues(calls: CallTable): Promise<EngineCustomerValues[]> {
  const relation = relationOf(calls, 'engineRfmValues');
  const { dialect, field } = relation;
  const revenue =
    dialect === 'duckdb'
      ? `CAST(coalesce(sum(${field.charge}), 0) AS DOUBLE)`
      : `toFloat64(sum(coalesce(${field.charge}, 0)))`;
  const events = dialect === 'duckdb' ? 'CAST(count(*) AS DOUBLE)' : 'toFloat64(count())';
  const sql = `SELECT ${field.subscriberId} AS customer_id, max(${field.start}) AS last_event, ${events} AS events, ${revenue} AS revenue, ${distinctCountSql(dialect, dayNumberSql(dialect, field.start), '1 = 1')} AS active_days, ${distinctCountSql(dialect, monthNumberSql(dialect, field.start), '1 = 1')} AS active_months FROM ${relation.from} GROUP BY ${field.subscriberId}`;
  const rows = await relation.driver.query(sql);
  const values: EngineCustomerValues[] = rows.map((row) => ({
    customerId: String(row.customer_id),
    lastEvent: Number(row.last_event),
    events: Number(row.events),
    revenue: Number(row.revenue),
    activeDays: Number(row.active_days),
    activeMonths: Number(row.active_months),
  }));
  return values.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
}
