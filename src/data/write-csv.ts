import type { CallRecord, Payment, Subscriber } from './records.js';
import { formatTimestamp } from './timestamp.js';

const needsQuoting = /[",\r\n]/;

/**
 * One CSV field (RFC 4180): quoted only when it holds a comma, quote or line break; `undefined` and
 * `null` become an empty field.
 *
 * @example
 * csvField('Smith, J.'); // => '"Smith, J."'
 * csvField(12.5); // => '12.5'
 */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : String(value);
  return needsQuoting.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One CSV line (without the line break).
 *
 * @example
 * csvLine(['S1', 3, undefined, 'a,b']); // => 'S1,3,,"a,b"'
 */
export function csvLine(values: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : ',') + csvField(values[i]);
  return line;
}

/** The columns of a calls file, in the order {@link callsToCsv} writes them. */
export const callColumns = [
  'subscriberId',
  'start',
  'service',
  'direction',
  'durationSec',
  'volumeMb',
  'destination',
  'calledNumber',
  'cellId',
  'region',
  'charge',
] as const;

/**
 * CDRs as CSV lines (each ending in `\n`), `start` as `YYYY-MM-DDTHH:mm:ssZ`.
 *
 * @example
 * callsToCsv([{ subscriberId: 'S1', start: 0, service: 'sms' }], { header: true });
 * // => 'subscriberId,start,service,direction,...\nS1,1970-01-01T00:00:00Z,sms,,,,,,,,\n'
 */
export function callsToCsv(
  calls: readonly CallRecord[],
  options: { readonly header?: boolean } = {},
): string {
  let text = options.header ? `${callColumns.join(',')}\n` : '';
  for (const call of calls) {
    text += `${csvLine([
      call.subscriberId,
      formatTimestamp(call.start),
      call.service,
      call.direction,
      call.durationSec,
      call.volumeMb,
      call.destination,
      call.calledNumber,
      call.cellId,
      call.region,
      call.charge,
    ])}\n`;
  }
  return text;
}

/** The columns of a payments file. */
export const paymentColumns = ['customerId', 'date', 'amount'] as const;

/**
 * Payments as CSV lines, `date` as `YYYY-MM-DDTHH:mm:ssZ`.
 *
 * @example
 * paymentsToCsv([{ customerId: 'C1', date: 0, amount: 10 }], { header: true });
 * // => 'customerId,date,amount\nC1,1970-01-01T00:00:00Z,10\n'
 */
export function paymentsToCsv(
  payments: readonly Payment[],
  options: { readonly header?: boolean } = {},
): string {
  let text = options.header ? `${paymentColumns.join(',')}\n` : '';
  for (const payment of payments) {
    text += `${csvLine([payment.customerId, formatTimestamp(payment.date), payment.amount])}\n`;
  }
  return text;
}

/**
 * Subscribers as CSV lines over the given columns (default: the union of the records' keys in
 * first-seen order, `subscriberId` first).
 *
 * @example
 * subscribersToCsv([{ subscriberId: 'S1', planId: 'P' }], { header: true });
 * // => 'subscriberId,planId\nS1,P\n'
 */
export function subscribersToCsv(
  subscribers: readonly Subscriber[],
  options: { readonly header?: boolean; readonly columns?: readonly string[] } = {},
): string {
  const columns = options.columns ?? subscriberColumnsOf(subscribers);
  let text = options.header ? `${csvLine(columns)}\n` : '';
  for (const subscriber of subscribers) text += `${csvLine(columns.map((column) => subscriber[column]))}\n`;
  return text;
}

/**
 * The union of the subscribers' keys, `subscriberId` first, then in first-seen order.
 *
 * @example
 * subscriberColumnsOf([{ subscriberId: 'S1', planId: 'P' }, { subscriberId: 'S2', region: 'North' }]);
 * // => ['subscriberId', 'planId', 'region']
 */
export function subscriberColumnsOf(subscribers: readonly Subscriber[]): string[] {
  const columns = new Set<string>(['subscriberId']);
  for (const subscriber of subscribers) for (const key of Object.keys(subscriber)) columns.add(key);
  return [...columns];
}
