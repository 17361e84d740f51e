import { DataError, type DataIssue, TelcoAnalyticsError } from '../data/errors.js';
import { describeValue } from '../data/field-parsers.js';
import { type TableInput, tableRows } from '../data/table-input.js';
import type { TransactionSummary } from './summarize-transactions.js';
import type { TimeUnit } from './value-options.js';

/**
 * One customer's summary as the fitting functions read it: numbers or numeric text (a CSV row).
 *
 * @example
 * const row: SummaryRow = { customerId: '1', frequency: 2, recency: 30.43, T: 38.86 };
 */
export interface SummaryRow {
  readonly customerId?: string | number | undefined;
  readonly frequency: number | string;
  readonly recency: number | string;
  readonly T: number | string;
  readonly monetary?: number | string | undefined;
}

/**
 * What the fitting and prediction functions take: the result of `summarizeTransactions`, an array
 * of {@link SummaryRow}s, or any table the data layer reads (row objects, a columnar table, a
 * data-frame-like object) whose columns are named by `columns`.
 *
 * @example
 * const input: SummaryInput = { ID: [1, 2], x: [2, 0], t_x: [30.43, 0], T: [38.86, 38.86] };
 */
export type SummaryInput = TransactionSummary | readonly SummaryRow[] | TableInput;

/**
 * The caller's column names for the summary fields, e.g. the CDNOW file's `{ frequency: 'x', recency: 't_x', monetary: 'zbar', customerId: 'ID' }`.
 *
 * @example
 * const columns: SummaryColumns = { customerId: 'ID', frequency: 'x', recency: 't_x', monetary: 'zbar' };
 */
export interface SummaryColumns {
  /** @defaultValue 'customerId' (when absent the 1-based row number is the id) */
  readonly customerId?: string | undefined;
  /** @defaultValue 'frequency' */
  readonly frequency?: string | undefined;
  /** @defaultValue 'recency' */
  readonly recency?: string | undefined;
  /** @defaultValue 'T' */
  readonly T?: string | undefined;
  /** @defaultValue 'monetary' */
  readonly monetary?: string | undefined;
}

/** Options of every function that reads a summary. */
export interface SummaryReadOptions {
  /**
   * Column names of a table input.
   * @defaultValue the field names of {@link SummaryRow}
   */
  readonly columns?: SummaryColumns | undefined;
}

/** A validated summary, column by column. @internal */
export interface ReadSummary {
  readonly customerIds: string[];
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly age: Float64Array;
  /** `NaN` where absent. */
  readonly monetary: Float64Array;
  /** The summary's own unit, when the input carried one. */
  readonly unit: TimeUnit | undefined;
}

function isTransactionSummary(input: SummaryInput): input is TransactionSummary {
  return (
    typeof input === 'object' &&
    input !== null &&
    !Array.isArray(input) &&
    (input as { kind?: unknown }).kind === 'transactionSummary' &&
    Array.isArray((input as { customers?: unknown }).customers)
  );
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { length?: unknown }).length === 'number'
  );
}

/**
 * The rows of a columnar table of equal-length columns through one reused record (no object per
 * row: a million-customer simulated table reads in a fraction of the time), or `undefined` for
 * any other input, which then goes through the data layer's `tableRows` and its checks.
 */
function columnarRecords(
  input: SummaryInput,
  names: readonly string[],
): Iterable<Record<string, unknown>> | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const table = input as Readonly<Record<string, unknown>>;
  if (Array.isArray(table.columns) && Array.isArray(table.values)) return undefined;
  const present = names.filter((name) => Object.hasOwn(table, name));
  const columns = present.map((name) => table[name]);
  if (!columns.every(isArrayLike) || present.length === 0) return undefined;
  const length = (columns[0] as ArrayLike<unknown>).length;
  if (!columns.every((column) => (column as ArrayLike<unknown>).length === length)) return undefined;
  return {
    *[Symbol.iterator]() {
      const record: Record<string, unknown> = {};
      for (let i = 0; i < length; i++) {
        for (let c = 0; c < present.length; c++) record[present[c]!] = (columns[c] as ArrayLike<unknown>)[i];
        yield record;
      }
    },
  };
}

function readNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

const maximumIssues = 100;

/**
 * Reads and validates a summary: `frequency` a non-negative integer, `recency` and `T` finite and
 * non-negative with `recency <= T`, `recency = 0` when `frequency = 0` (unless `needs.times` is
 * false: Gamma-Gamma reads neither); with `needs.monetary`, a `monetary` value for every customer
 * with repeat purchases, positive (an absent one counts as 0 without repeat purchases).
 * @internal
 */
export function readSummary(
  input: SummaryInput,
  context: string,
  options: SummaryReadOptions,
  needs: { readonly monetary: boolean; readonly times: boolean } = { monetary: false, times: true },
): ReadSummary {
  const needMonetary = needs.monetary;
  const summary = isTransactionSummary(input) ? input : undefined;
  const columns = options.columns ?? {};
  const names = {
    customerId: columns.customerId ?? 'customerId',
    frequency: columns.frequency ?? 'frequency',
    recency: columns.recency ?? 'recency',
    T: columns.T ?? 'T',
    monetary: columns.monetary ?? 'monetary',
  };
  const rows: Iterable<Readonly<Record<string, unknown>>> =
    summary !== undefined
      ? (summary.customers as unknown as readonly Readonly<Record<string, unknown>>[])
      : (columnarRecords(input, Object.values(names)) ?? tableRows(input as TableInput, context));
  const issues: DataIssue[] = [];
  const add = (row: number, column: string, reason: string): void => {
    if (issues.length < maximumIssues) issues.push({ row, column, reason });
  };
  const customerIds: string[] = [];
  const frequencies: number[] = [];
  const recencies: number[] = [];
  const ages: number[] = [];
  const monetaries: number[] = [];
  let row = 0;
  for (const record of rows) {
    row++;
    const rawId = record[names.customerId];
    customerIds.push(rawId === undefined || rawId === null || rawId === '' ? String(row) : String(rawId));
    const frequency = readNumber(record[names.frequency]);
    const recency = readNumber(record[names.recency]);
    const age = readNumber(record[names.T]);
    if (!Number.isFinite(frequency)) {
      add(row, names.frequency, `expected a number, received ${describeValue(record[names.frequency])}`);
    } else if (!Number.isInteger(frequency) || frequency < 0) {
      add(row, names.frequency, `must be a non-negative integer (repeat purchases), received ${frequency}`);
    }
    if (needs.times) {
      if (!Number.isFinite(recency)) {
        add(row, names.recency, `expected a number, received ${describeValue(record[names.recency])}`);
      } else if (recency < 0) {
        add(row, names.recency, `negative: ${recency}`);
      }
      if (!Number.isFinite(age)) {
        add(row, names.T, `expected a number, received ${describeValue(record[names.T])}`);
      } else if (age < 0) {
        add(row, names.T, `negative: ${age}`);
      } else if (Number.isFinite(recency) && recency > age) {
        add(
          row,
          names.recency,
          `greater than ${names.T} (${recency} > ${age}): the last purchase cannot come after the end of observation`,
        );
      }
      if (frequency === 0 && Number.isFinite(recency) && recency !== 0) {
        add(
          row,
          names.recency,
          `must be 0 for a customer without repeat purchases (frequency 0), received ${recency}`,
        );
      }
    }
    let monetary = Number.NaN;
    if (needMonetary) {
      const cell = record[names.monetary];
      monetary =
        frequency === 0 && (cell === undefined || cell === null || cell === '') ? 0 : readNumber(cell);
      if (!Number.isFinite(monetary)) {
        add(row, names.monetary, `expected a number, received ${describeValue(record[names.monetary])}`);
      } else if (monetary < 0) {
        add(row, names.monetary, `negative: ${monetary}`);
      } else if (frequency > 0 && monetary === 0) {
        add(
          row,
          names.monetary,
          'must be positive for a customer with repeat purchases (the Gamma-Gamma model takes its logarithm)',
        );
      }
    }
    frequencies.push(frequency);
    recencies.push(recency);
    ages.push(age);
    monetaries.push(monetary);
  }
  if (issues.length > 0) throw new DataError(context, issues);
  if (row === 0) throw new TelcoAnalyticsError('EMPTY_INPUT', `${context}: no customers in the summary`);
  return {
    customerIds,
    frequency: Float64Array.from(frequencies),
    recency: Float64Array.from(recencies),
    age: Float64Array.from(ages),
    monetary: Float64Array.from(monetaries),
    unit: summary?.unit,
  };
}

/**
 * Customers grouped by their distinct (frequency, recency, T) triplet, with the distinct values of
 * each coordinate listed once so that a likelihood pass computes each special function once per
 * distinct value, not once per customer. @internal
 */
export interface Triplets {
  readonly count: number;
  readonly frequencyValues: Float64Array;
  readonly recencyValues: Float64Array;
  readonly ageValues: Float64Array;
  readonly frequencyIndex: Int32Array;
  readonly recencyIndex: Int32Array;
  readonly ageIndex: Int32Array;
  /** Customers sharing the triplet. */
  readonly weight: Float64Array;
}

function distinctIndex(values: Float64Array): { values: Float64Array; index: Int32Array } {
  const positions = new Map<number, number>();
  const index = new Int32Array(values.length);
  const distinct: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    let position = positions.get(value);
    if (position === undefined) {
      position = distinct.length;
      positions.set(value, position);
      distinct.push(value);
    }
    index[i] = position;
  }
  return { values: Float64Array.from(distinct), index };
}

/** Groups customers by distinct (frequency, recency, T). @internal */
export function compressTriplets(
  frequency: Float64Array,
  recency: Float64Array,
  age: Float64Array,
): Triplets {
  const x = distinctIndex(frequency);
  const t = distinctIndex(recency);
  const big = distinctIndex(age);
  const nt = t.values.length;
  const nT = big.values.length;
  const positions = new Map<number, number>();
  const frequencyIndex: number[] = [];
  const recencyIndex: number[] = [];
  const ageIndex: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < frequency.length; i++) {
    const xi = x.index[i]!;
    const ti = t.index[i]!;
    const Ti = big.index[i]!;
    // Exact below 2^53 for any realistic number of distinct values.
    const key = (xi * nt + ti) * nT + Ti;
    const position = positions.get(key);
    if (position === undefined) {
      positions.set(key, weight.length);
      frequencyIndex.push(xi);
      recencyIndex.push(ti);
      ageIndex.push(Ti);
      weight.push(1);
    } else {
      weight[position]! += 1;
    }
  }
  return {
    count: weight.length,
    frequencyValues: x.values,
    recencyValues: t.values,
    ageValues: big.values,
    frequencyIndex: Int32Array.from(frequencyIndex),
    recencyIndex: Int32Array.from(recencyIndex),
    ageIndex: Int32Array.from(ageIndex),
    weight: Float64Array.from(weight),
  };
}
