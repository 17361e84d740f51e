import fc from 'fast-check';
import {
  type CallRecord,
  DataError,
  OptionError,
  type Payment,
  type RecordOptions,
  type Subscriber,
  type TableInput,
  toEpochMilliseconds,
  validateCalls,
  validatePayments,
  validateSubscribers,
} from 'telco-analytics/data';
import { describe, expect, expectTypeOf, it } from 'vitest';

type Row = Record<string, unknown>;

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function expectDataError(run: () => unknown, issue: { row: number; column: string }): DataError {
  const error = caught(run);
  expect(error).toBeInstanceOf(DataError);
  const dataError = error as DataError;
  expect(dataError.code).toBe('INVALID_DATA');
  expect(dataError.issues[0]).toMatchObject(issue);
  expect(dataError.issues[0]).not.toHaveProperty('line');
  return dataError;
}

function expectOptionError(run: () => unknown, option: string): OptionError {
  const error = caught(run);
  expect(error).toBeInstanceOf(OptionError);
  expect((error as OptionError).code).toBe('INVALID_OPTION');
  expect((error as OptionError).option).toBe(option);
  return error as OptionError;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** The same rows as an array of objects, a columnar table and a data frame. */
function inThreeForms(rows: readonly Row[]): [string, TableInput][] {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const columnar = Object.fromEntries(columns.map((column) => [column, rows.map((row) => row[column])]));
  const frame = { columns, values: rows.map((row) => columns.map((column) => row[column])) };
  return [
    ['row objects', deepFreeze(rows.map((row) => ({ ...row })))],
    ['columnar table', deepFreeze(columnar)],
    ['data frame', deepFreeze(frame)],
  ];
}

const call: Row = { subscriberId: 's1', start: '2024-01-03T08:15:02Z', service: 'voice' };
const at = (iso: string): number => Date.parse(iso);

describe('validateCalls', () => {
  it('normalises raw values', () => {
    const input = deepFreeze([
      {
        subscriberId: '  s1 ',
        start: '2024-01-03T08:15:02Z',
        service: 'voice',
        direction: 'out',
        durationSec: ' 62 ',
        volumeMb: '0',
        destination: 'international',
        calledNumber: '+447700900123',
        cellId: 'C17',
        region: 'North',
        charge: '1.25',
      },
      {
        subscriberId: 447700900123,
        start: new Date('2024-01-03T08:15:02Z'),
        service: 'data',
        volumeMb: 12.5,
      },
      { subscriberId: 's3', start: '2024-01-03 10:15:02+02:00', service: 'sms', direction: '', charge: null },
      { subscriberId: 's4', start: at('2024-01-03T08:15:02Z'), service: ' mms ', durationSec: '-0' },
      { subscriberId: 's5', start: String(at('2024-01-03T08:15:02Z')), service: 'sms', charge: '1e-2' },
    ]);
    const start = at('2024-01-03T08:15:02Z');
    expect(validateCalls(input)).toEqual({
      rows: [
        {
          subscriberId: 's1',
          start,
          service: 'voice',
          direction: 'out',
          durationSec: 62,
          volumeMb: 0,
          destination: 'international',
          calledNumber: '+447700900123',
          cellId: 'C17',
          region: 'North',
          charge: 1.25,
        },
        { subscriberId: '447700900123', start, service: 'data', volumeMb: 12.5 },
        { subscriberId: 's3', start, service: 'sms' },
        { subscriberId: 's4', start, service: 'mms', durationSec: 0 },
        { subscriberId: 's5', start, service: 'sms', charge: 0.01 },
      ],
      skipped: [],
    });
  });

  it('leaves missing optional fields out instead of setting them to undefined', () => {
    const [record] = validateCalls([{ ...call, durationSec: '', region: '   ', direction: null }]).rows;
    expect(Object.keys(record ?? {})).toEqual(['subscriberId', 'start', 'service']);
    expect(Object.is(validateCalls([{ ...call, charge: -0 }]).rows[0]?.charge, 0)).toBe(true);
  });

  it('gives identical results for the three input forms', () => {
    const rows: Row[] = [
      { ...call, durationSec: '30', destination: 'local' },
      { ...call, subscriberId: 's2', service: 'fax' },
      { ...call, subscriberId: 's3', durationSec: 4.5, charge: '0.10' },
      { ...call, subscriberId: '', start: 'soon' },
    ];
    const results = inThreeForms(rows).map(([, input]) => validateCalls(input, { onInvalid: 'skip' }));
    expect(results[0]?.rows).toHaveLength(2);
    expect(results[0]?.skipped).toHaveLength(2);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  it('reads columns named by a mapping and names the mapped column in issues', () => {
    const options: RecordOptions<CallRecord> = { columns: { subscriberId: 'MSISDN', start: 'EVENT_TS' } };
    const rows = [
      { MSISDN: 'm1', EVENT_TS: '2024-01-03T08:15:02Z', service: 'sms', subscriberId: 'ignored' },
    ];
    for (const [, input] of inThreeForms(rows)) {
      expect(validateCalls(input, options).rows).toEqual([
        { subscriberId: 'm1', start: at('2024-01-03T08:15:02Z'), service: 'sms' },
      ]);
    }
    expectDataError(() => validateCalls([{ MSISDN: 'm1', EVENT_TS: 'never', service: 'sms' }], options), {
      row: 1,
      column: 'EVENT_TS',
    });
    expectDataError(
      () => validateCalls([{ subscriberId: 'm1', start: '2024-01-03', service: 'sms' }], options),
      {
        row: 1,
        column: 'MSISDN',
      },
    );
  });

  it('types the mapping keys so typos do not compile', () => {
    // @ts-expect-error 'subscriberld' is not a field of CallRecord
    const typo: RecordOptions<CallRecord> = { columns: { subscriberld: 'MSISDN' } };
    // @ts-expect-error services are only an option of call records
    const misplaced: RecordOptions<Payment> = { services: ['video'] };
    expect([typo, misplaced]).toHaveLength(2);
    expectTypeOf<RecordOptions<Subscriber>['columns']>().toEqualTypeOf<
      | {
          readonly subscriberId?: string;
          readonly planId?: string;
          readonly tenureMonths?: string;
          readonly region?: string;
          readonly ageBand?: string;
          readonly contract?: string;
          readonly churned?: string;
          readonly arrearsDays?: string;
        }
      | undefined
    >();
  });

  const badCells: [string, Row, string, RegExp][] = [
    ['missing subscriberId', { subscriberId: undefined }, 'subscriberId', /missing required value/],
    ['blank subscriberId', { subscriberId: '   ' }, 'subscriberId', /missing/],
    ['non-text subscriberId', { subscriberId: true }, 'subscriberId', /expected text/],
    ['missing start', { start: '' }, 'start', /missing/],
    ['missing service', { service: null }, 'service', /missing/],
    ['unparsable date', { start: 'yesterday' }, 'start', /unparsable date: "yesterday"/],
    ['impossible date', { start: '2024-02-30T00:00:00Z' }, 'start', /unparsable date/],
    ['invalid Date', { start: new Date(Number.NaN) }, 'start', /unparsable date/],
    ['boolean date', { start: false }, 'start', /expected a date/],
    ['negative duration', { durationSec: '-5' }, 'durationSec', /negative: -5/],
    ['negative volume', { volumeMb: -0.5 }, 'volumeMb', /negative/],
    ['negative charge', { charge: '-1.00' }, 'charge', /negative/],
    ['decimal comma', { durationSec: '1,5' }, 'durationSec', /not a number: "1,5"/],
    ['trailing letters', { volumeMb: '12abc' }, 'volumeMb', /not a number/],
    ['hexadecimal', { charge: '0x10' }, 'charge', /not a number/],
    ['NaN text', { durationSec: 'NaN' }, 'durationSec', /not a number/],
    ['Infinity text', { durationSec: 'Infinity' }, 'durationSec', /not a finite number/],
    ['NaN number', { charge: Number.NaN }, 'charge', /not a finite number/],
    ['infinite number', { volumeMb: Number.POSITIVE_INFINITY }, 'volumeMb', /not a finite number/],
    ['boolean number', { durationSec: true }, 'durationSec', /expected a number/],
    [
      'unknown service',
      { service: 'fax' },
      'service',
      /unknown service "fax" \(accepted: voice, sms, data, mms; pass the `services` option/,
    ],
    ['differently cased service', { service: 'Voice' }, 'service', /unknown service/],
    ['unknown zone', { destination: 'mars' }, 'destination', /accepted: local, national, .*`zones` option/],
    [
      'unknown direction',
      { direction: 'both' },
      'direction',
      /unknown direction "both" \(accepted: out, in\)$/,
    ],
  ];

  it.each(badCells)('rejects a %s, naming the row and column', (_, cells, column, reason) => {
    const input = deepFreeze([{ ...call }, { ...call }, { ...call, ...cells }]);
    const error = expectDataError(() => validateCalls(input), { row: 3, column });
    expect(error.issues[0]?.reason).toMatch(reason);
    expect(error.message).toContain(`validateCalls: row 3, column '${column}'`);
    const { rows, skipped } = validateCalls(input, { onInvalid: 'skip' });
    expect(rows).toHaveLength(2);
    expect(skipped).toEqual([{ row: 3, column, reason: error.issues[0]?.reason }]);
  });

  it.each(badCells)('names the mapped column for a %s', (_, cells, column) => {
    const renamed = Object.fromEntries(
      Object.entries({ ...call, ...cells }).map(([key, value]) => [`X_${key}`, value]),
    );
    const columns = Object.fromEntries(
      Object.keys(call)
        .concat(column)
        .map((key) => [key, `X_${key}`]),
    );
    expectDataError(() => validateCalls([renamed], { columns }), { row: 1, column: `X_${column}` });
  });

  it('lists every problem of the first bad row only, and stops there', () => {
    const input = [call, { ...call, durationSec: '-1', service: 'fax' }, { ...call, start: 'never' }];
    const error = expectDataError(() => validateCalls(input), { row: 2, column: 'service' });
    expect(error.issues.map(({ row, column }) => [row, column])).toEqual([
      [2, 'service'],
      [2, 'durationSec'],
    ]);
    expect(error.message).toMatch(/\(and 1 more\)$/);
  });

  it('skips bad rows, reporting each once with its first problem', () => {
    const input = [
      { ...call, start: 'never', service: 'fax' },
      call,
      { ...call, durationSec: 'x' },
      { ...call, subscriberId: 's9' },
    ];
    const { rows, skipped } = validateCalls(input, { onInvalid: 'skip' });
    expect(rows.map((row) => row.subscriberId)).toEqual(['s1', 's9']);
    expect(skipped.map(({ row, column }) => [row, column])).toEqual([
      [1, 'start'],
      [3, 'durationSec'],
    ]);
  });

  it('accepts services and zones the caller declares', () => {
    const input = [{ ...call, service: 'video', destination: 'satellite' }];
    expect(validateCalls(input, { services: ['video'], zones: ['satellite'] }).rows).toEqual([
      { subscriberId: 's1', start: at('2024-01-03T08:15:02Z'), service: 'video', destination: 'satellite' },
    ]);
    expect(validateCalls([call], { services: ['video'] }).rows).toHaveLength(1);
  });

  it('rejects a row that is not an object', () => {
    expectDataError(() => validateCalls([call, 'oops'] as unknown as TableInput), {
      row: 2,
      column: '(row)',
    });
    expect(validateCalls([null, call] as unknown as TableInput, { onInvalid: 'skip' }).skipped).toMatchObject(
      [{ row: 1, column: '(row)' }],
    );
  });

  it('rejects a data frame row of the wrong length, or skips it', () => {
    const frame = {
      columns: ['subscriberId', 'start', 'service'],
      values: [['s1', '2024-01-03', 'sms'], ['s2']],
    };
    expectDataError(() => validateCalls(frame), { row: 2, column: 'start' });
    expect(validateCalls(frame, { onInvalid: 'skip' })).toMatchObject({
      rows: [{ subscriberId: 's1' }],
      skipped: [{ row: 2 }],
    });
  });

  it('checks its options', () => {
    expectOptionError(() => validateCalls([call], { onInvalid: 'ignore' as 'skip' }), 'onInvalid');
    expectOptionError(() => validateCalls([call], { columns: { subscriber: 'x' } as never }), 'columns');
    expectOptionError(() => validateCalls([call], { columns: { start: '' } }), 'columns');
    expectOptionError(() => validateCalls([call], { columns: 'start' as never }), 'columns');
    expectOptionError(() => validateCalls([call], { services: 'video' as never }), 'services');
    expectOptionError(() => validateCalls([call], { zones: [''] }), 'zones');
    expect(
      validateCalls([call], { onInvalid: undefined, columns: undefined, services: undefined }).rows,
    ).toHaveLength(1);
  });

  it('reads numbers from text exactly as Number() does', () => {
    const decimal = fc
      .tuple(
        fc.stringMatching(/^\d{0,12}$/),
        fc.stringMatching(/^(\.\d{0,8})?$/),
        fc.constantFrom('', ' ', '\t'),
      )
      .map(([whole, fraction, pad]) => `${pad}${whole}${fraction}${pad}`)
      .filter((text) => /\d/.test(text));
    fc.assert(
      fc.property(decimal, (text) => {
        const [record] = validateCalls([{ ...call, volumeMb: text }]).rows;
        expect(record?.volumeMb).toBe(Number(text));
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e12, noNaN: true }), (value) => {
        const [record] = validateCalls([{ ...call, charge: String(value) }]).rows;
        expect(record?.charge).toBe(value === 0 ? 0 : value);
      }),
    );
  });

  it('reads timestamps exactly as toEpochMilliseconds does', () => {
    const pad = (value: number, width: number): string => String(value).padStart(width, '0');
    const stamp = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom('T', ' ', 't'),
        fc.constantFrom('', 'Z', 'z', '+01:00', '.5Z'),
      )
      .map(
        ([year, month, day, hour, minute, second, separator, zone]) =>
          `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}${separator}${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${zone}`,
      );
    fc.assert(
      fc.property(stamp, (text) => {
        const expected = toEpochMilliseconds(text);
        const { rows, skipped } = validateCalls([{ ...call, start: text }], { onInvalid: 'skip' });
        if (Number.isNaN(expected)) expect(skipped).toHaveLength(1);
        else expect(rows[0]?.start).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('validateSubscribers', () => {
  it('reads churned from the usual spellings of yes and no', () => {
    const spellings = ['true', 'False', 'YES', 'no', '1', '0', ' Yes ', true, false, 1, 0];
    const input = spellings.map((churned, index) => ({ subscriberId: `s${index}`, churned }));
    const flags = validateSubscribers(input).rows.map((row) => row.churned);
    expect(flags).toEqual([true, false, true, false, true, false, true, true, false, true, false]);
  });

  it('rejects other churned values', () => {
    for (const churned of ['maybe', 2, 'y']) {
      const error = expectDataError(
        () => validateSubscribers([{ subscriberId: 'a' }, { subscriberId: 'b', churned }]),
        {
          row: 2,
          column: 'churned',
        },
      );
      expect(error.issues[0]?.reason).toMatch(/expected true\/false, yes\/no or 1\/0/);
    }
  });

  it('normalises the named fields and keeps the other columns as given', () => {
    const input = [
      {
        subscriberId: ' s1 ',
        planId: 'P10',
        tenureMonths: '14',
        region: 'North',
        ageBand: '25-34',
        contract: 'postpaid',
        churned: 'no',
        arrearsDays: '0',
        segment: ' gold ',
        score: 0.7,
        vip: true,
        notes: '',
        since: new Date('2024-01-01T00:00:00Z'),
        lost: undefined,
      },
    ];
    for (const [, form] of inThreeForms(input)) {
      expect(validateSubscribers(form).rows).toEqual([
        {
          subscriberId: 's1',
          planId: 'P10',
          tenureMonths: 14,
          region: 'North',
          ageBand: '25-34',
          contract: 'postpaid',
          churned: false,
          arrearsDays: 0,
          segment: ' gold ',
          score: 0.7,
          vip: true,
          since: Date.UTC(2024, 0, 1),
        },
      ]);
    }
  });

  it('rejects attributes that are neither text, numbers nor booleans', () => {
    expectDataError(() => validateSubscribers([{ subscriberId: 'a', tags: ['x'] }]), {
      row: 1,
      column: 'tags',
    });
  });

  it.each([
    ['missing subscriberId', { subscriberId: '' }, 'subscriberId'],
    ['negative tenure', { tenureMonths: '-1' }, 'tenureMonths'],
    ['text arrears', { arrearsDays: 'ten' }, 'arrearsDays'],
    ['infinite arrears', { arrearsDays: 'Infinity' }, 'arrearsDays'],
  ])('rejects a %s', (_, cells, column) => {
    expectDataError(() => validateSubscribers([{ subscriberId: 'a' }, { subscriberId: 'b', ...cells }]), {
      row: 2,
      column,
    });
  });

  it('maps columns, and refuses a second column under the renamed field name', () => {
    const options = { columns: { subscriberId: 'MSISDN', churned: 'LEFT' } };
    expect(validateSubscribers([{ MSISDN: '1', LEFT: 'yes', plan: 'x' }], options).rows).toEqual([
      { subscriberId: '1', churned: true, plan: 'x' },
    ]);
    expectDataError(() => validateSubscribers([{ MSISDN: '', LEFT: 'yes' }], options), {
      row: 1,
      column: 'MSISDN',
    });
    const error = expectOptionError(
      () => validateSubscribers([{ MSISDN: '1', subscriberId: '2' }], options),
      'columns',
    );
    expect(error.message).toContain("'subscriberId' to column 'MSISDN'");
    expectOptionError(
      () => validateSubscribers({ columns: ['MSISDN', 'churned'], values: [] }, options),
      'columns',
    );
  });
});

describe('validatePayments', () => {
  it('normalises payments', () => {
    const input = deepFreeze([
      { customerId: 'c1', date: '2024-05-01', amount: '9.99' },
      { customerId: 'c2', date: new Date('2024-05-02T10:00:00Z'), amount: 0, channel: 'app' },
    ]);
    expect(validatePayments(input)).toEqual({
      rows: [
        { customerId: 'c1', date: Date.UTC(2024, 4, 1), amount: 9.99 },
        { customerId: 'c2', date: Date.UTC(2024, 4, 2, 10), amount: 0 },
      ],
      skipped: [],
    });
  });

  it.each([
    ['missing customerId', { customerId: undefined }, 'customerId'],
    ['missing date', { date: '' }, 'date'],
    ['missing amount', { amount: '' }, 'amount'],
    ['unparsable date', { date: '01/05/2024' }, 'date'],
    ['negative amount', { amount: '-3' }, 'amount'],
    ['non-finite amount', { amount: Number.NEGATIVE_INFINITY }, 'amount'],
  ])('rejects a %s', (_, cells, column) => {
    const input = [
      { customerId: 'c1', date: '2024-05-01', amount: 1 },
      { customerId: 'c1', date: '2024-05-01', amount: 1, ...cells },
    ];
    expectDataError(() => validatePayments(input), { row: 2, column });
    expect(validatePayments(input, { onInvalid: 'skip' })).toMatchObject({
      rows: [{ amount: 1 }],
      skipped: [{ row: 2, column }],
    });
  });

  it('reads mapped columns', () => {
    const input = { KUNDE: ['c1'], DATUM: ['2024-05-01T00:00:00Z'], BETRAG: [5] };
    expect(
      validatePayments(input, { columns: { customerId: 'KUNDE', date: 'DATUM', amount: 'BETRAG' } }).rows,
    ).toEqual([{ customerId: 'c1', date: Date.UTC(2024, 4, 1), amount: 5 }]);
  });
});
