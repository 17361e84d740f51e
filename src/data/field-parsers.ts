/**
 * Cell readers shared by the validators and the CSV readers: each turns one raw cell (a CSV string,
 * a number, a `Date`, a boolean) into a normalised value, or records why it cannot. Internal: not
 * exported from the package.
 *
 * Readers never throw and never stop at the first problem; they add it to a {@link RowIssues} and
 * return a placeholder, so a caller can report every problem of a row at once.
 *
 * @packageDocumentation
 */
import { toEpochMilliseconds } from './timestamp.js';

/** Where one of our fields sits in a row of cells, and what the caller calls that column. */
export interface Slot {
  /** Index into the row's cells; -1 when the input has no such column. */
  readonly index: number;
  /** The caller's column name, used in issues. */
  readonly column: string;
}

/** The problems of the row being read; cleared before each row so the hot path allocates nothing. */
export class RowIssues {
  readonly columns: string[] = [];
  readonly reasons: string[] = [];

  get count(): number {
    return this.columns.length;
  }

  add(column: string, reason: string): void {
    this.columns.push(column);
    this.reasons.push(reason);
  }

  clear(): void {
    if (this.columns.length === 0) return;
    this.columns.length = 0;
    this.reasons.length = 0;
  }
}

/** Accepted values of an enumerated field, mapped to one shared string so records do not each keep a copy. */
export interface Vocabulary<V extends string> {
  readonly what: string;
  readonly values: ReadonlyMap<string, V>;
  /** How to accept more values, or '' when the set is closed. */
  readonly howToExtend: string;
}

/** Builds a {@link Vocabulary} from the accepted values. */
export function vocabulary<V extends string>(
  what: string,
  values: readonly V[],
  howToExtend = '',
): Vocabulary<V> {
  return { what, values: new Map(values.map((value) => [value, value])), howToExtend };
}

const missingReason = 'missing required value';

function cell(cells: readonly unknown[], slot: Slot): unknown {
  return slot.index < 0 ? undefined : cells[slot.index];
}

/** A short rendering of a received value for messages: strings quoted, long ones cut. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (value instanceof Date)
    return `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
}

/** Text from a cell, trimmed; `undefined` when missing (absent, null, empty or blank). */
function readText(value: unknown, column: string, issues: RowIssues): string | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' ? undefined : text;
  }
  if (value === undefined || value === null) return undefined;
  // Identifiers such as MSISDNs often arrive as numbers from JSON or data frames.
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint')
    return String(value);
  issues.add(column, `expected text, received ${describeValue(value)}`);
  return undefined;
}

/** A required text field; '' (with an issue recorded) when missing or invalid. */
export function requiredText(cells: readonly unknown[], slot: Slot, issues: RowIssues): string {
  const before = issues.count;
  const text = readText(cell(cells, slot), slot.column, issues);
  if (text !== undefined) return text;
  if (issues.count === before) issues.add(slot.column, missingReason);
  return '';
}

/** An optional text field, trimmed; `undefined` when missing or invalid. */
export function optionalText(cells: readonly unknown[], slot: Slot, issues: RowIssues): string | undefined {
  return readText(cell(cells, slot), slot.column, issues);
}

/** Whether the character code after a leading `0` makes `Number()` read hex, octal or binary. */
function isRadixPrefix(text: string): boolean {
  if (text.length < 3 || text.charCodeAt(0) !== 48) return false;
  const letter = text.charCodeAt(1) | 0x20;
  return letter === 0x78 || letter === 0x6f || letter === 0x62; // x, o, b
}

/**
 * Unsigned plain decimals of at most 15 digits (`12`, `0.75`, `.5`), the common case in CDR
 * files, read without `Number()`'s general parser; `NaN` for anything else so the caller falls
 * back to `Number()`. Exact: digits and the power of ten are both exact doubles, and IEEE division
 * rounds their quotient correctly, as `Number()` rounds the decimal (tests check they agree).
 */
export function parsePlainDecimal(text: string): number {
  const length = text.length;
  if (length === 0 || length > 16) return Number.NaN;
  let mantissa = 0;
  let scale = 1;
  let digits = 0;
  let afterPoint = false;
  for (let at = 0; at < length; at++) {
    const code = text.charCodeAt(at);
    if (code >= 48 && code <= 57) {
      mantissa = mantissa * 10 + (code - 48);
      digits++;
      if (afterPoint) scale *= 10;
    } else if (code === 46 && !afterPoint) {
      afterPoint = true;
    } else {
      return Number.NaN;
    }
  }
  return digits === 0 || digits > 15 ? Number.NaN : mantissa / scale;
}

/** A finite, non-negative number; `undefined` when missing or invalid. */
function readAmount(value: unknown, column: string, issues: RowIssues): number | undefined {
  let amount: number;
  if (typeof value === 'number') {
    amount = value;
  } else if (typeof value === 'string') {
    const plain = parsePlainDecimal(value);
    if (!Number.isNaN(plain)) return plain;
    const text = value.trim();
    if (text === '') return undefined;
    amount = Number(text);
    // Number() also reads '0x1f', '0b11' and '0o7'; only decimals are data.
    if (Number.isNaN(amount) || isRadixPrefix(text)) {
      issues.add(column, `not a number: ${describeValue(value)}`);
      return undefined;
    }
  } else if (value === undefined || value === null) {
    return undefined;
  } else {
    issues.add(column, `expected a number, received ${describeValue(value)}`);
    return undefined;
  }
  if (!Number.isFinite(amount)) {
    issues.add(column, `not a finite number: ${describeValue(value)}`);
    return undefined;
  }
  if (amount < 0) {
    issues.add(column, `negative: ${amount} (must be 0 or more)`);
    return undefined;
  }
  return amount === 0 ? 0 : amount; // -0 would make equal records compare unequal
}

/** A required non-negative number; `NaN` (with an issue recorded) when missing or invalid. */
export function requiredAmount(cells: readonly unknown[], slot: Slot, issues: RowIssues): number {
  const before = issues.count;
  const amount = readAmount(cell(cells, slot), slot.column, issues);
  if (amount !== undefined) return amount;
  if (issues.count === before) issues.add(slot.column, missingReason);
  return Number.NaN;
}

/** An optional non-negative number; `undefined` when missing or invalid. */
export function optionalAmount(cells: readonly unknown[], slot: Slot, issues: RowIssues): number | undefined {
  return readAmount(cell(cells, slot), slot.column, issues);
}

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const secondsPerDay = 86_400;

function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const units = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && units >= 0 && units <= 9 ? tens * 10 + units : Number.NaN;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil), for years >= 0. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * `YYYY-MM-DDTHH:mm:ss` with an optional `Z`, the shape CDR exports use, read without a regex or a
 * `Date`; `NaN` for anything else so the caller falls back to {@link toEpochMilliseconds}, which
 * stays the single definition of what is accepted (tests check both agree).
 */
export function parseCommonTimestamp(text: string): number {
  const length = text.length;
  if (length !== 19 && !(length === 20 && (text.charCodeAt(19) | 0x20) === 0x7a)) return Number.NaN;
  const separator = text.charCodeAt(10);
  if (
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    (separator !== 84 && separator !== 32) ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58
  ) {
    return Number.NaN;
  }
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  // Years below 1000 go the slow way: Date.UTC maps 0-99 to 1900-1999 and the fallback must stay the reference.
  if (
    !(year >= 1000 && month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59)
  ) {
    return Number.NaN;
  }
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthLength = month === 2 && leap ? 29 : (daysInMonth[month - 1] ?? 0);
  if (day > monthLength) return Number.NaN;
  return (daysFromCivil(year, month, day) * secondsPerDay + hour * 3600 + minute * 60 + second) * 1000;
}

const timestampHint = '(use ISO-8601 such as 2024-05-01T08:30:00Z, or epoch milliseconds)';

/** A timestamp as epoch milliseconds UTC; `NaN` (with an issue recorded) when missing or unreadable. */
export function requiredTimestamp(cells: readonly unknown[], slot: Slot, issues: RowIssues): number {
  const value = cell(cells, slot);
  if (typeof value === 'string') {
    const fast = parseCommonTimestamp(value);
    if (!Number.isNaN(fast)) return fast;
    if (value.trim() === '') {
      issues.add(slot.column, missingReason);
      return Number.NaN;
    }
  } else if (value === undefined || value === null) {
    issues.add(slot.column, missingReason);
    return Number.NaN;
  } else if (typeof value !== 'number' && !(value instanceof Date)) {
    issues.add(slot.column, `expected a date, received ${describeValue(value)}`);
    return Number.NaN;
  }
  const epoch = toEpochMilliseconds(value);
  if (Number.isNaN(epoch))
    issues.add(slot.column, `unparsable date: ${describeValue(value)} ${timestampHint}`);
  return epoch;
}

/** A yes/no flag from true/false, yes/no or 1/0 (any case); `undefined` when missing or invalid. */
export function optionalFlag(cells: readonly unknown[], slot: Slot, issues: RowIssues): boolean | undefined {
  const value = cell(cells, slot);
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) return undefined;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === '') return undefined;
    if (text === 'true' || text === 'yes' || text === '1') return true;
    if (text === 'false' || text === 'no' || text === '0') return false;
  }
  issues.add(slot.column, `expected true/false, yes/no or 1/0, received ${describeValue(value)}`);
  return undefined;
}

function readChoice<V extends string>(
  value: unknown,
  column: string,
  accepted: Vocabulary<V>,
  issues: RowIssues,
): V | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    issues.add(column, `expected a ${accepted.what} name, received ${describeValue(value)}`);
    return undefined;
  }
  const known = accepted.values.get(value) ?? accepted.values.get(value.trim());
  if (known !== undefined) return known;
  if (value.trim() === '') return undefined;
  const list = [...accepted.values.keys()].join(', ');
  const extend = accepted.howToExtend === '' ? '' : `; ${accepted.howToExtend}`;
  issues.add(column, `unknown ${accepted.what} ${describeValue(value)} (accepted: ${list}${extend})`);
  return undefined;
}

/** A required value from a {@link Vocabulary}; '' (with an issue recorded) when missing or unknown. */
export function requiredChoice<V extends string>(
  cells: readonly unknown[],
  slot: Slot,
  accepted: Vocabulary<V>,
  issues: RowIssues,
): V | '' {
  const before = issues.count;
  const choice = readChoice(cell(cells, slot), slot.column, accepted, issues);
  if (choice !== undefined) return choice;
  if (issues.count === before) issues.add(slot.column, missingReason);
  return '';
}

/** An optional value from a {@link Vocabulary}; `undefined` when missing or unknown. */
export function optionalChoice<V extends string>(
  cells: readonly unknown[],
  slot: Slot,
  accepted: Vocabulary<V>,
  issues: RowIssues,
): V | undefined {
  return readChoice(cell(cells, slot), slot.column, accepted, issues);
}

/**
 * A free-form attribute kept as given (a subscriber's extra columns): strings, numbers and booleans
 * unchanged, a `Date` as epoch milliseconds, a bigint as text; `undefined` when empty.
 */
export function attributeValue(
  value: unknown,
  column: string,
  issues: RowIssues,
): string | number | boolean | undefined {
  switch (typeof value) {
    case 'string':
      return value === '' ? undefined : value;
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return String(value);
    case 'undefined':
      return undefined;
    default:
      if (value === null) return undefined;
      if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
      issues.add(column, `expected text, a number or a boolean, received ${describeValue(value)}`);
      return undefined;
  }
}
