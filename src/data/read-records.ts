import { createReadStream } from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { CsvError, type Parser, parse } from 'csv-parse';
import { DataError, OptionError } from './errors.js';
import { RowIssues } from './field-parsers.js';
import type { CallRecord, Payment, SkippedRecord, Subscriber, ValidationResult } from './records.js';
import {
  callSchema,
  paymentSchema,
  type RecordOptions,
  type RecordSchema,
  type RowReader,
  rejectRow,
  subscriberSchema,
} from './validate-records.js';

/**
 * Where CSV comes from: a string holding a line break is CSV text, any other string a file path;
 * a `URL` must be a `file:` URL; streams and async iterables yield the file's bytes or text.
 *
 * @example
 * const fromText: RecordSource = 'customerId,date,amount\nc1,2024-05-01,9.99\n';
 * const fromPath: RecordSource = './payments.csv';
 */
export type RecordSource =
  | string
  | URL
  | NodeJS.ReadableStream
  | Readable
  | AsyncIterable<string | Uint8Array>;

/** CSV syntax options of the readers. */
export interface CsvOptions {
  /**
   * The field separator (one or more characters, not a quote or line break).
   * @defaultValue ','
   */
  readonly delimiter?: string | undefined;
}

/**
 * Options of {@link readCalls}, {@link readSubscribers} and {@link readPayments}: the validation
 * options of records of type `T` plus {@link CsvOptions}.
 *
 * @example
 * const options: ReadOptions<Payment> = { delimiter: ';', columns: { customerId: 'KUNDE' } };
 */
export type ReadOptions<T> = RecordOptions<T> & CsvOptions;

/** Options of the batch readers beyond {@link ReadOptions}. */
export interface BatchOptions {
  /**
   * Records per yielded batch (the last one may be shorter).
   * @defaultValue 65536
   */
  readonly batchSize?: number | undefined;
  /**
   * Receives each record left out under `onInvalid: 'skip'`, in file order, before the batch that
   * would have held it is yielded. Required with `'skip'`, so no row is dropped unnoticed.
   */
  readonly onSkip?: ((record: SkippedRecord) => void) | undefined;
}

/**
 * Options of {@link readCallBatches} and {@link readPaymentBatches}.
 *
 * @example
 * const options: BatchReadOptions<CallRecord> = { batchSize: 10_000, onInvalid: 'skip', onSkip: (record) => log(record) };
 */
export type BatchReadOptions<T> = ReadOptions<T> & BatchOptions;

const defaultBatchSize = 65_536;
// Text sources are fed in slices so a batch reader's memory stays bounded by the batch, not the text.
const textSliceBytes = 1 << 20;

interface CsvSettings {
  readonly delimiter: string;
  readonly batchSize: number;
  readonly onSkip: (record: SkippedRecord) => void;
}

function resolveDelimiter(delimiter: unknown, context: string): string {
  if (delimiter === undefined) return ',';
  if (typeof delimiter !== 'string' || delimiter === '' || /["\r\n]/.test(delimiter)) {
    throw new OptionError(
      context,
      'delimiter',
      `must be a non-empty string without quotes or line breaks, received ${JSON.stringify(delimiter)}`,
    );
  }
  return delimiter;
}

function isStreamLike(source: object): boolean {
  return Symbol.asyncIterator in source || typeof (source as { pipe?: unknown }).pipe === 'function';
}

function checkSource(source: RecordSource, context: string): void {
  if (typeof source === 'string') return;
  if (source instanceof URL) {
    if (source.protocol !== 'file:') {
      throw new OptionError(
        context,
        'source',
        `must be a file: URL, received ${source.protocol} (fetch it and pass the stream)`,
      );
    }
    return;
  }
  if (typeof source !== 'object' || source === null || !isStreamLike(source)) {
    throw new OptionError(
      context,
      'source',
      'must be CSV text, a file path or URL, a readable stream or an async iterable',
    );
  }
}

function* slices(buffer: Buffer): Generator<Buffer> {
  for (let start = 0; start < buffer.length; start += textSliceBytes) {
    yield buffer.subarray(start, start + textSliceBytes);
  }
}

function openSource(
  source: RecordSource,
): Readable | NodeJS.ReadableStream | AsyncIterable<string | Uint8Array> {
  if (typeof source === 'string') {
    // Slicing bytes, not the string, so no character is cut in half: csv-parse decodes whole fields.
    return /[\r\n]/.test(source)
      ? Readable.from(slices(Buffer.from(source, 'utf8')))
      : createReadStream(source);
  }
  return source instanceof URL ? createReadStream(source) : source;
}

function createParser(delimiter: string, context: string): Parser {
  try {
    // Arrays, not `columns: true`: column indexes are resolved once from the header. Column counts
    // are checked here (so a bad row can be skipped) and syntax errors are reported as `skip` events
    // (so the records parsed before them are still validated first, in file order).
    return parse({ delimiter, bom: true, relax_column_count: true, skip_records_with_error: true });
  } catch (error) {
    throw new OptionError(context, 'delimiter', `is not usable: ${(error as Error).message}`);
  }
}

/** Line breaks inside the fields of a record: each moves the next record one line further. */
function lineBreaksIn(fields: readonly string[], lineBreak: string): number {
  let count = 0;
  for (const field of fields) {
    for (let at = field.indexOf(lineBreak); at !== -1; at = field.indexOf(lineBreak, at + 1)) count++;
  }
  return count;
}

/** The file's line break as csv-parse discovered it: `\r` alone in old Mac files, else `\n` (CRLF included). */
function discoveredLineBreak(parser: Parser): string {
  const [delimiter] = parser.options.record_delimiter;
  return delimiter !== undefined && delimiter.length === 1 && delimiter[0] === 13 ? '\r' : '\n';
}

function syntaxReason(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'malformed CSV: a quoted field opened here is never closed';
    case 'INVALID_OPENING_QUOTE':
      return 'malformed CSV: a quote inside an unquoted field (quote the whole field and double inner quotes)';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'malformed CSV: a closing quote is followed by other characters instead of a delimiter or line end';
    default:
      return `malformed CSV (${error.code}): ${error.message}`;
  }
}

function syntaxError(
  context: string,
  error: CsvError,
  header: readonly string[] | undefined,
  row: number,
  line: number,
): DataError {
  const index = typeof error.column === 'number' ? error.column : 0;
  const column = header?.[index] ?? `#${index + 1}`;
  return new DataError(context, [{ row, line, column, reason: syntaxReason(error) }]);
}

function checkHeader(schema: RecordSchema<unknown>, header: readonly string[]): void {
  const missing = schema.fields.filter(({ column, required }) => required && !header.includes(column));
  if (missing.length === 0) return;
  const wanted = missing.map(({ field, column }) =>
    field === column ? `'${column}'` : `'${column}' (for ${field})`,
  );
  const found = header.length === 0 ? 'none' : header.map((name) => `'${name}'`).join(', ');
  const example = missing.map(({ field }) => `${field}: '<your column>'`).join(', ');
  throw new OptionError(
    schema.context,
    'columns',
    `expects column ${wanted.join(', ')}, which the CSV header lacks (headers found: ${found}); ` +
      `rename the header or map the field to your column: columns: { ${example} }`,
  );
}

/**
 * The CSV reading loop shared by every reader: parses with csv-parse's stream API and validates
 * each record as it arrives, yielding batches of `settings.batchSize` records.
 */
async function* csvBatches<T>(
  source: RecordSource,
  schema: RecordSchema<T>,
  settings: CsvSettings,
): AsyncGenerator<T[]> {
  const { context } = schema;
  const { batchSize, onSkip } = settings;
  const parser = createParser(settings.delimiter, context);
  let failure: unknown;
  let malformed: { readonly error: CsvError; readonly position: number } | undefined;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  parser.on('skip', (error: CsvError) => {
    // `records` counts what was pushed so far, so the consumer knows where in the flow the error sits.
    malformed ??= { error, position: parser.info.records };
  });
  parser.on('readable', signal).on('end', signal);
  parser.on('error', (error) => {
    failure ??= error;
    signal();
  });
  pipeline(openSource(source), parser, (error) => {
    if (error) failure ??= error;
    signal();
  });

  let header: string[] | undefined;
  let read: RowReader<T> | undefined;
  let width = 0;
  let lineBreak = '\n';
  let consumed = 0; // records taken from the parser, header and blank lines included
  let row = 0;
  let nextLine = 1;
  let batch: T[] = [];
  const issues = new RowIssues();
  try {
    for (;;) {
      if (malformed !== undefined && malformed.position === consumed) {
        throw syntaxError(context, malformed.error, header, header === undefined ? 0 : row + 1, nextLine);
      }
      const record = parser.read() as string[] | null;
      if (record === null) {
        if (failure instanceof CsvError) throw syntaxError(context, failure, header, row + 1, nextLine);
        if (failure !== undefined) throw failure;
        if (parser.readableEnded) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      consumed++;
      const line = nextLine;
      nextLine += 1 + lineBreaksIn(record, lineBreak);
      if (record.length === 1 && record[0] === '') continue; // a blank line
      if (read === undefined) {
        header = record.map((name) => name.trim());
        checkHeader(schema, header);
        read = schema.gridReader(header);
        width = header.length;
        lineBreak = discoveredLineBreak(parser);
        continue;
      }
      row++;
      let value: T | undefined;
      if (record.length === width) {
        value = read(record, issues);
      } else {
        const column = record.length < width ? (header?.[record.length] ?? '') : `#${width + 1}`;
        issues.add(column, `expected ${width} fields as in the header, found ${record.length}`);
      }
      if (issues.count === 0 && value !== undefined) {
        batch.push(value);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      } else {
        rejectRow(schema, row, line, issues, onSkip);
        issues.clear();
      }
    }
    if (read === undefined) checkHeader(schema, []);
    if (batch.length > 0) yield batch;
  } finally {
    // Stops the source too (pipeline destroys every stage) when the caller leaves early or we throw.
    parser.destroy();
  }
}

async function readAll<T>(
  source: RecordSource,
  schema: RecordSchema<T>,
  options: CsvOptions,
): Promise<ValidationResult<T>> {
  checkSource(source, schema.context);
  const skipped: SkippedRecord[] = [];
  const settings: CsvSettings = {
    delimiter: resolveDelimiter(options.delimiter, schema.context),
    batchSize: Number.POSITIVE_INFINITY,
    onSkip: (record) => {
      skipped.push(record);
    },
  };
  let rows: T[] = [];
  // An infinite batch size makes the whole file one batch.
  for await (const batch of csvBatches(source, schema, settings)) rows = batch;
  return { rows, skipped };
}

function batchReader<T>(
  source: RecordSource,
  schema: RecordSchema<T>,
  options: CsvOptions & BatchOptions,
): AsyncIterable<T[]> {
  const { context } = schema;
  checkSource(source, context);
  const batchSize = options.batchSize ?? defaultBatchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new OptionError(context, 'batchSize', `must be a positive integer, received ${batchSize}`);
  }
  const { onSkip } = options;
  if (onSkip !== undefined && typeof onSkip !== 'function') {
    throw new OptionError(context, 'onSkip', 'must be a function');
  }
  if (schema.policy === 'skip' && onSkip === undefined) {
    throw new OptionError(
      context,
      'onSkip',
      "is required with onInvalid: 'skip', so that skipped rows are reported",
    );
  }
  const settings: CsvSettings = {
    delimiter: resolveDelimiter(options.delimiter, context),
    batchSize,
    onSkip: onSkip ?? (() => undefined),
  };
  return csvBatches(source, schema, settings);
}

/**
 * Reads and validates call detail records from CSV (see {@link RecordSource}): the header names
 * the columns (unknown ones are ignored), a UTF-8 BOM and CRLF line ends are accepted, blank lines
 * are ignored. Issues carry `row` (1-based data record) and `line` (1-based line where the record
 * starts in the file, the header being line 1, lines counted by `\n`).
 *
 * @throws {@link DataError} (code `INVALID_DATA`) for a bad record under `onInvalid: 'error'` (as
 * {@link validateCalls}), for a record with more or fewer fields than the header (skipped under
 * `'skip'`), and for malformed CSV such as an unclosed quote (always: the parser cannot resume
 * reliably; row 0 stands for the header line). {@link OptionError} (option `columns`) when the
 * header lacks a required column, listing the headers found; for other invalid options. File
 * system errors (`ENOENT`...) are passed through.
 *
 * @example
 * const { rows } = await readCalls('MSISDN,start,service\n4477,2024-05-01T08:30:00Z,sms\n', {
 *   columns: { subscriberId: 'MSISDN' },
 * });
 * rows; // => [{ subscriberId: '4477', start: 1714552200000, service: 'sms' }]
 */
export async function readCalls(
  source: RecordSource,
  options: ReadOptions<CallRecord> = {},
): Promise<ValidationResult<CallRecord>> {
  return readAll(source, callSchema(options, 'readCalls'), options);
}

/**
 * Reads and validates subscribers from CSV, as {@link readCalls} does for calls; columns other
 * than the named fields are kept as text attributes.
 *
 * @example
 * const { rows } = await readSubscribers('subscriberId,churned,segment\na,no,gold\n');
 * rows; // => [{ subscriberId: 'a', churned: false, segment: 'gold' }]
 */
export async function readSubscribers(
  source: RecordSource,
  options: ReadOptions<Subscriber> = {},
): Promise<ValidationResult<Subscriber>> {
  return readAll(source, subscriberSchema(options, 'readSubscribers'), options);
}

/**
 * Reads and validates payments from CSV, as {@link readCalls} does for calls.
 *
 * @example
 * const { rows } = await readPayments('customerId,date,amount\nc1,2024-05-01,9.99\n');
 * rows; // => [{ customerId: 'c1', date: 1714521600000, amount: 9.99 }]
 */
export async function readPayments(
  source: RecordSource,
  options: ReadOptions<Payment> = {},
): Promise<ValidationResult<Payment>> {
  return readAll(source, paymentSchema(options, 'readPayments'), options);
}

/**
 * Reads call records from CSV in batches, for files larger than memory; same rules as
 * {@link readCalls}. Reading is pulled by the loop: the file is read no faster than batches are
 * consumed, and leaving the loop early closes the file. Skipped records (under
 * `onInvalid: 'skip'`) go to the required `onSkip` callback. Options and the kind of source are
 * checked when called (throwing {@link OptionError}); the file is opened when iteration starts.
 *
 * @example
 * for await (const batch of readCallBatches('calls.csv', { batchSize: 50_000 })) {
 *   total += batch.length;
 * }
 */
export function readCallBatches(
  source: RecordSource,
  options: BatchReadOptions<CallRecord> = {},
): AsyncIterable<CallRecord[]> {
  return batchReader(source, callSchema(options, 'readCallBatches'), options);
}

/**
 * Reads payments from CSV in batches, as {@link readCallBatches} does for calls.
 *
 * @example
 * for await (const batch of readPaymentBatches('payments.csv')) revenue += batch.reduce((sum, p) => sum + p.amount, 0);
 */
export function readPaymentBatches(
  source: RecordSource,
  options: BatchReadOptions<Payment> = {},
): AsyncIterable<Payment[]> {
  return batchReader(source, paymentSchema(options, 'readPaymentBatches'), options);
}
