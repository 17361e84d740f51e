import { DataError, type DataIssue, OptionError } from './errors.js';
import {
  attributeValue,
  describeValue,
  optionalAmount,
  optionalChoice,
  optionalFlag,
  optionalText,
  RowIssues,
  requiredAmount,
  requiredChoice,
  requiredText,
  requiredTimestamp,
  type Slot,
  type Vocabulary,
  vocabulary,
} from './field-parsers.js';
import {
  type CallRecord,
  type DestinationZone,
  type Direction,
  type InvalidRecordPolicy,
  knownDirections,
  knownServices,
  knownZones,
  type Payment,
  type Service,
  type SkippedRecord,
  type Subscriber,
  type ValidationResult,
} from './records.js';
import { gridRowProblem, openTable, setOwn, type TableInput } from './table-input.js';
import { callColumns } from './write-csv.js';

/**
 * The named fields of a record type (for {@link Subscriber}, without its open-ended attributes).
 *
 * @example
 * const field: RecordField<Payment> = 'amount';
 */
export type RecordField<T> = keyof { [K in keyof T as string extends K ? never : K]: unknown } & string;

/**
 * Maps our field names to the caller's column names; fields left out keep their own name.
 *
 * @example
 * const mapping: ColumnMapping<CallRecord> = { subscriberId: 'MSISDN', start: 'EVENT_TS' };
 */
export type ColumnMapping<T> = { readonly [K in RecordField<T>]?: string };

/** Options every validator and reader takes. */
export interface RecordOptionsBase<T> {
  /**
   * Our field name to the caller's column name, e.g. `{ subscriberId: 'MSISDN' }`. Issues name the
   * caller's column.
   * @defaultValue each field read from the column of the same name
   */
  readonly columns?: ColumnMapping<T> | undefined;
  /**
   * `'error'` throws a {@link DataError} at the first bad record; `'skip'` leaves bad records out
   * and reports each in `skipped`.
   * @defaultValue 'error'
   */
  readonly onInvalid?: InvalidRecordPolicy | undefined;
}

/** The enumerations of usage records, extensible by the caller. */
export interface CallVocabularyOptions {
  /**
   * Services accepted besides {@link knownServices}.
   * @defaultValue none
   */
  readonly services?: readonly string[] | undefined;
  /**
   * Destination zones accepted besides {@link knownZones}.
   * @defaultValue none
   */
  readonly zones?: readonly string[] | undefined;
}

/**
 * Options of the validators and readers of records of type `T`; call records also take
 * {@link CallVocabularyOptions}.
 *
 * @example
 * const options: RecordOptions<CallRecord> = { columns: { start: 'EVENT_TS' }, services: ['video'], onInvalid: 'skip' };
 */
export type RecordOptions<T> = RecordOptionsBase<T> &
  (T extends CallRecord ? CallVocabularyOptions : unknown);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Slots<F extends string> = Readonly<Record<F, Slot>>;

/** Turns the cells of one row into a record, adding any problem to `issues` (the record is then garbage). @internal */
export type RowReader<T> = (cells: readonly unknown[], issues: RowIssues) => T;

/** One of our fields and the caller's column for it. @internal */
export interface FieldColumn {
  readonly field: string;
  readonly column: string;
  readonly required: boolean;
}

/** A record type bound to one call's options: how to read its rows and what to do with bad ones. @internal */
export interface RecordSchema<T> {
  readonly context: string;
  readonly policy: InvalidRecordPolicy;
  readonly fields: readonly FieldColumn[];
  /** A reader of rows whose cells are aligned with `header` (CSV records, data frame rows). */
  gridReader(header: readonly string[]): RowReader<T>;
  /** Reads one row object. */
  readObject(row: object, issues: RowIssues): T;
}

interface Shape<T, F extends string> {
  readonly fields: readonly F[];
  readonly required: readonly F[];
  /** Whether columns that are none of the fields are kept as attributes (subscribers). */
  readonly keepsExtras: boolean;
  build(cells: readonly unknown[], slots: Slots<F>, issues: RowIssues): T;
}

const directions = vocabulary<Direction>('direction', [...knownDirections]);

// The CSV writer's column order is the record's field order: one list serves both.
const callFields = callColumns satisfies readonly RecordField<CallRecord>[];

const subscriberFields = [
  'subscriberId',
  'planId',
  'tenureMonths',
  'region',
  'ageBand',
  'contract',
  'churned',
  'arrearsDays',
] as const satisfies readonly RecordField<Subscriber>[];

const paymentFields = ['customerId', 'date', 'amount'] as const satisfies readonly RecordField<Payment>[];

type CallField = (typeof callFields)[number];
type SubscriberField = (typeof subscriberFields)[number];
type PaymentField = (typeof paymentFields)[number];

// Compile-time guard: a field added to a record type but missing from its list above fails type-checking here.
type Unlisted<T, Listed extends string> = Exclude<RecordField<T>, Listed>;
const everyFieldListed: [
  Unlisted<CallRecord, CallField>,
  Unlisted<Subscriber, SubscriberField>,
  Unlisted<Payment, PaymentField>,
] extends [never, never, never]
  ? true
  : never = true;
void everyFieldListed;

function callShape(
  services: Vocabulary<Service>,
  zones: Vocabulary<DestinationZone>,
): Shape<CallRecord, CallField> {
  return {
    fields: callFields,
    required: ['subscriberId', 'start', 'service'],
    keepsExtras: false,
    build(cells, s, issues) {
      const record: Mutable<CallRecord> = {
        subscriberId: requiredText(cells, s.subscriberId, issues),
        start: requiredTimestamp(cells, s.start, issues),
        service: requiredChoice(cells, s.service, services, issues),
      };
      const direction = optionalChoice(cells, s.direction, directions, issues);
      if (direction !== undefined) record.direction = direction;
      const durationSec = optionalAmount(cells, s.durationSec, issues);
      if (durationSec !== undefined) record.durationSec = durationSec;
      const volumeMb = optionalAmount(cells, s.volumeMb, issues);
      if (volumeMb !== undefined) record.volumeMb = volumeMb;
      const destination = optionalChoice(cells, s.destination, zones, issues);
      if (destination !== undefined) record.destination = destination;
      const calledNumber = optionalText(cells, s.calledNumber, issues);
      if (calledNumber !== undefined) record.calledNumber = calledNumber;
      const cellId = optionalText(cells, s.cellId, issues);
      if (cellId !== undefined) record.cellId = cellId;
      const region = optionalText(cells, s.region, issues);
      if (region !== undefined) record.region = region;
      const charge = optionalAmount(cells, s.charge, issues);
      if (charge !== undefined) record.charge = charge;
      return record;
    },
  };
}

const subscriberShape: Shape<Subscriber, SubscriberField> = {
  fields: subscriberFields,
  required: ['subscriberId'],
  keepsExtras: true,
  build(cells, s, issues) {
    const record: Mutable<Subscriber> = { subscriberId: requiredText(cells, s.subscriberId, issues) };
    const planId = optionalText(cells, s.planId, issues);
    if (planId !== undefined) record.planId = planId;
    const tenureMonths = optionalAmount(cells, s.tenureMonths, issues);
    if (tenureMonths !== undefined) record.tenureMonths = tenureMonths;
    const region = optionalText(cells, s.region, issues);
    if (region !== undefined) record.region = region;
    const ageBand = optionalText(cells, s.ageBand, issues);
    if (ageBand !== undefined) record.ageBand = ageBand;
    const contract = optionalText(cells, s.contract, issues);
    if (contract !== undefined) record.contract = contract;
    const churned = optionalFlag(cells, s.churned, issues);
    if (churned !== undefined) record.churned = churned;
    const arrearsDays = optionalAmount(cells, s.arrearsDays, issues);
    if (arrearsDays !== undefined) record.arrearsDays = arrearsDays;
    return record;
  },
};

const paymentShape: Shape<Payment, PaymentField> = {
  fields: paymentFields,
  required: ['customerId', 'date', 'amount'],
  keepsExtras: false,
  build: (cells, s, issues) => ({
    customerId: requiredText(cells, s.customerId, issues),
    date: requiredTimestamp(cells, s.date, issues),
    amount: requiredAmount(cells, s.amount, issues),
  }),
};

/** What every options object carries, before its values are checked. */
interface UncheckedOptions {
  readonly columns?: unknown;
  readonly onInvalid?: unknown;
}

function resolvePolicy(options: UncheckedOptions, context: string): InvalidRecordPolicy {
  const policy = options.onInvalid ?? 'error';
  if (policy !== 'error' && policy !== 'skip') {
    throw new OptionError(
      context,
      'onInvalid',
      `must be 'error' or 'skip', received ${JSON.stringify(policy)}`,
    );
  }
  return policy;
}

function resolveColumns<F extends string>(
  fields: readonly F[],
  mapping: unknown,
  context: string,
): Record<F, string> {
  const columns = {} as Record<F, string>;
  for (const field of fields) columns[field] = field;
  if (mapping === undefined) return columns;
  if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
    throw new OptionError(
      context,
      'columns',
      'must map field names to column names, e.g. { subscriberId: "MSISDN" }',
    );
  }
  for (const [field, column] of Object.entries(mapping)) {
    if (!(fields as readonly string[]).includes(field)) {
      throw new OptionError(
        context,
        'columns',
        `names unknown field '${field}' (fields: ${fields.join(', ')})`,
      );
    }
    if (column === undefined) continue;
    if (typeof column !== 'string' || column === '') {
      throw new OptionError(context, 'columns', `must give a non-empty column name for '${field}'`);
    }
    columns[field as F] = column;
  }
  return columns;
}

function resolveExtraValues(values: unknown, option: string, context: string): readonly string[] {
  if (values === undefined) return [];
  if (!Array.isArray(values) || !values.every((value) => typeof value === 'string' && value !== '')) {
    throw new OptionError(context, option, 'must be an array of non-empty strings');
  }
  return values as readonly string[];
}

function makeSchema<T, F extends string>(
  shape: Shape<T, F>,
  options: UncheckedOptions,
  context: string,
): RecordSchema<T> {
  const policy = resolvePolicy(options, context);
  const columnOf = resolveColumns(shape.fields, options.columns, context);
  const fields = shape.fields.map((field) => ({
    field,
    column: columnOf[field],
    required: shape.required.includes(field),
  }));
  const mapped = new Set(fields.map(({ column }) => column));
  // A field renamed away must not come back through an extra column of its own name.
  const reserved = new Map<string, FieldColumn>(
    fields.filter(({ field }) => !mapped.has(field)).map((entry) => [entry.field, entry]),
  );
  const checkExtra = (name: string): void => {
    const clash = reserved.get(name);
    if (clash !== undefined) {
      throw new OptionError(
        context,
        'columns',
        `maps '${clash.field}' to column '${clash.column}', but the input also has a column '${name}'; drop or rename one of them`,
      );
    }
  };
  const slotsAt = (indexOf: (column: string, position: number) => number): Slots<F> =>
    Object.fromEntries(
      fields.map(({ field, column }, position) => [field, { index: indexOf(column, position), column }]),
    ) as Slots<F>;

  const objectSlots = slotsAt((_, position) => position);
  const scratch: unknown[] = [];
  return {
    context,
    policy,
    fields,
    gridReader(header) {
      const slots = slotsAt((column) => header.indexOf(column));
      if (!shape.keepsExtras) return (cells, issues) => shape.build(cells, slots, issues);
      const extras: { readonly name: string; readonly index: number }[] = [];
      header.forEach((name, index) => {
        if (name === '' || mapped.has(name) || header.indexOf(name) !== index) return;
        checkExtra(name);
        extras.push({ name, index });
      });
      return (cells, issues) => {
        const record = shape.build(cells, slots, issues);
        for (const { name, index } of extras) {
          const value = attributeValue(cells[index], name, issues);
          if (value !== undefined) setOwn(record as Record<string, unknown>, name, value);
        }
        return record;
      };
    },
    readObject(row, issues) {
      const values = row as Readonly<Record<string, unknown>>;
      for (let position = 0; position < fields.length; position++) {
        scratch[position] = values[fields[position]?.column ?? ''];
      }
      const record = shape.build(scratch, objectSlots, issues);
      if (shape.keepsExtras) {
        for (const name of Object.keys(values)) {
          if (mapped.has(name)) continue;
          checkExtra(name);
          const value = attributeValue(values[name], name, issues);
          if (value !== undefined) setOwn(record as Record<string, unknown>, name, value);
        }
      }
      return record;
    },
  };
}

/** The schema of call records under `options`. @internal */
export function callSchema(options: RecordOptions<CallRecord>, context: string): RecordSchema<CallRecord> {
  const services = resolveExtraValues(options.services, 'services', context);
  const zones = resolveExtraValues(options.zones, 'zones', context);
  const shape = callShape(
    vocabulary<Service>(
      'service',
      [...knownServices, ...services],
      'pass the `services` option to accept more',
    ),
    vocabulary<DestinationZone>('zone', [...knownZones, ...zones], 'pass the `zones` option to accept more'),
  );
  return makeSchema(shape, options, context);
}

/** The schema of subscribers under `options`. @internal */
export function subscriberSchema(
  options: RecordOptions<Subscriber>,
  context: string,
): RecordSchema<Subscriber> {
  return makeSchema(subscriberShape, options, context);
}

/** The schema of payments under `options`. @internal */
export function paymentSchema(options: RecordOptions<Payment>, context: string): RecordSchema<Payment> {
  return makeSchema(paymentShape, options, context);
}

/**
 * Deals with a row that has issues: throws them all as a {@link DataError} under `'error'`,
 * otherwise reports the first one through `skip`. @internal
 */
export function rejectRow(
  schema: RecordSchema<unknown>,
  row: number,
  line: number | undefined,
  issues: RowIssues,
  skip: (record: SkippedRecord) => void,
): void {
  const at = (position: number): DataIssue => {
    const column = issues.columns[position] ?? '';
    const reason = issues.reasons[position] ?? '';
    return line === undefined ? { row, column, reason } : { row, column, reason, line };
  };
  if (schema.policy === 'error') {
    throw new DataError(
      schema.context,
      issues.columns.map((_, position) => at(position)),
    );
  }
  skip(at(0));
}

function validateTable<T>(input: TableInput, schema: RecordSchema<T>): ValidationResult<T> {
  const table = openTable(input, schema.context);
  const rows: T[] = [];
  const skipped: SkippedRecord[] = [];
  const skip = (record: SkippedRecord): void => {
    skipped.push(record);
  };
  const issues = new RowIssues();
  const settle = (record: T | undefined, index: number): void => {
    if (issues.count === 0 && record !== undefined) rows.push(record);
    else rejectRow(schema, index + 1, undefined, issues, skip);
    issues.clear();
  };
  if (table.form === 'objects') {
    table.rows.forEach((row, index) => {
      if (typeof row === 'object' && row !== null && !Array.isArray(row)) {
        settle(schema.readObject(row, issues), index);
      } else {
        issues.add('(row)', `expected a row object, received ${describeValue(row)}`);
        settle(undefined, index);
      }
    });
    return { rows, skipped };
  }
  const { grid } = table;
  const read = schema.gridReader(grid.columns);
  const scratch: unknown[] = [];
  for (let index = 0; index < grid.length; index++) {
    const cells = grid.row(index, scratch);
    const problem = gridRowProblem(cells, grid.columns);
    if (problem === undefined) {
      settle(read(cells as readonly unknown[], issues), index);
    } else {
      issues.add(problem.column, problem.reason);
      settle(undefined, index);
    }
  }
  return { rows, skipped };
}

/**
 * Validates and normalises call detail records from any {@link TableInput}: `start` becomes epoch
 * milliseconds UTC, numbers are read from text, ids are trimmed, empty optional cells are left out.
 *
 * @throws {@link DataError} (code `INVALID_DATA`) under `onInvalid: 'error'` at the first bad row,
 * listing that row's problems by 1-based row and the caller's column name: a missing
 * `subscriberId`/`start`/`service`, an unparsable date, a negative or non-finite number, an unknown
 * service, zone or direction. {@link OptionError} for invalid options.
 *
 * @example
 * validateCalls([{ MSISDN: ' 4477 ', start: '2024-05-01T08:30:00Z', service: 'voice', durationSec: '62' }], {
 *   columns: { subscriberId: 'MSISDN' },
 * });
 * // => { rows: [{ subscriberId: '4477', start: 1714552200000, service: 'voice', durationSec: 62 }], skipped: [] }
 */
export function validateCalls(
  input: TableInput,
  options: RecordOptions<CallRecord> = {},
): ValidationResult<CallRecord> {
  return validateTable(input, callSchema(options, 'validateCalls'));
}

/**
 * Validates and normalises subscribers from any {@link TableInput}. `churned` reads
 * true/false, yes/no and 1/0 in any case; columns other than the named fields are kept as
 * attributes, as given (CSV text stays text), empty ones left out.
 *
 * @throws {@link DataError} (code `INVALID_DATA`) under `onInvalid: 'error'` at the first bad row: a
 * missing `subscriberId`, a negative or non-finite `tenureMonths`/`arrearsDays`, an unreadable
 * `churned`. {@link OptionError} for invalid options.
 *
 * @example
 * validateSubscribers({ subscriberId: ['a'], churned: ['Yes'], segment: ['gold'] });
 * // => { rows: [{ subscriberId: 'a', churned: true, segment: 'gold' }], skipped: [] }
 */
export function validateSubscribers(
  input: TableInput,
  options: RecordOptions<Subscriber> = {},
): ValidationResult<Subscriber> {
  return validateTable(input, subscriberSchema(options, 'validateSubscribers'));
}

/**
 * Validates and normalises payments (the RFM input) from any {@link TableInput}; `date` becomes
 * epoch milliseconds UTC.
 *
 * @throws {@link DataError} (code `INVALID_DATA`) under `onInvalid: 'error'` at the first bad row: a
 * missing `customerId`, `date` or `amount`, an unparsable date, a negative or non-finite amount.
 * {@link OptionError} for invalid options.
 *
 * @example
 * validatePayments({ columns: ['customerId', 'date', 'amount'], values: [['c1', '2024-05-01', '9.99']] });
 * // => { rows: [{ customerId: 'c1', date: 1714521600000, amount: 9.99 }], skipped: [] }
 */
export function validatePayments(
  input: TableInput,
  options: RecordOptions<Payment> = {},
): ValidationResult<Payment> {
  return validateTable(input, paymentSchema(options, 'validatePayments'));
}
