import { OptionError } from './errors.js';
import type { TimestampInput } from './records.js';

const millisecondsPerDay = 86_400_000;

// Strict ISO-8601 subset: a date, optionally a time (T or space), optionally a zone.
// Date.parse alone is not used because it reads zone-less date-times as *local* time.
const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const integerPattern = /^-?\d+$/;

function parseIsoTimestamp(text: string): number {
  const match = isoPattern.exec(text);
  if (match === null) return Number.NaN;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = hour === undefined ? 0 : Number(hour);
  const mi = minute === undefined ? 0 : Number(minute);
  const s = second === undefined ? 0 : Number(second);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return Number.NaN;
  const milliseconds = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  let epoch = Date.UTC(y, mo - 1, d, h, mi, s, milliseconds);
  // Date.UTC rolls 2024-02-31 over to March; a real calendar date must survive the round trip.
  if (new Date(epoch).getUTCDate() !== d) return Number.NaN;
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2)) : 0);
    epoch -= sign * offsetMinutes * 60_000;
  }
  return epoch;
}

/**
 * Normalises a timestamp to epoch milliseconds UTC, or `NaN` when it cannot be read (callers turn
 * that into a {@link DataError} naming the row and column).
 *
 * Accepts a `Date`, epoch milliseconds (number or integer string) and ISO-8601 strings:
 * `2024-05-01`, `2024-05-01T08:30`, `2024-05-01 08:30:15.250`, with an optional `Z` or `±hh:mm`
 * zone. A string without a zone is read as UTC (never as the machine's local time).
 *
 * @example
 * toEpochMilliseconds('2024-05-01T08:30:00Z'); // => 1714552200000
 * toEpochMilliseconds('2024-05-01 10:30:00+02:00'); // => 1714552200000
 * toEpochMilliseconds('2024-02-30'); // => NaN
 */
export function toEpochMilliseconds(value: TimestampInput): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (value instanceof Date) return value.getTime();
  const text = value.trim();
  if (integerPattern.test(text)) return Number(text);
  return parseIsoTimestamp(text);
}

/**
 * Reads a timestamp option (`asOf`, `start`...) to epoch milliseconds, or throws an
 * {@link OptionError} naming the function and the option.
 *
 * @example
 * timestampOption('2024-05-01', 'rfm', 'asOf'); // => 1714521600000
 * timestampOption('soon', 'rfm', 'asOf'); // throws "rfm: option 'asOf' must be a Date, epoch milliseconds or ..."
 */
export function timestampOption(value: TimestampInput, context: string, option: string): number {
  const epoch = toEpochMilliseconds(value);
  if (Number.isNaN(epoch)) {
    throw new OptionError(
      context,
      option,
      `must be a Date, epoch milliseconds or an ISO-8601 date, received ${JSON.stringify(value)}`,
    );
  }
  return epoch;
}

/**
 * Start of the UTC day holding `epochMilliseconds`.
 *
 * @example
 * startOfUtcDay(Date.UTC(2024, 4, 1, 13, 5)); // => Date.UTC(2024, 4, 1)
 */
export function startOfUtcDay(epochMilliseconds: number): number {
  return Math.floor(epochMilliseconds / millisecondsPerDay) * millisecondsPerDay;
}

/**
 * Formats epoch milliseconds as `YYYY-MM-DDTHH:mm:ssZ` (whole seconds; the CDR convention).
 *
 * @example
 * formatTimestamp(1714552200000); // => '2024-05-01T08:30:00Z'
 */
export function formatTimestamp(epochMilliseconds: number): string {
  const iso = new Date(epochMilliseconds).toISOString();
  return `${iso.slice(0, 19)}Z`;
}

/**
 * Formats epoch milliseconds as the UTC date `YYYY-MM-DD`.
 *
 * @example
 * formatDate(1714552200000); // => '2024-05-01'
 */
export function formatDate(epochMilliseconds: number): string {
  return new Date(epochMilliseconds).toISOString().slice(0, 10);
}

export { millisecondsPerDay };
