import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import {
  type CallRecord,
  DataError,
  formatTimestamp,
  knownDirections,
  knownServices,
  knownZones,
  OptionError,
  readCallBatches,
  readCalls,
  readPaymentBatches,
  readPayments,
  readSubscribers,
  type SkippedRecord,
  validateCalls,
} from 'telco-analytics/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const header =
  'subscriberId,start,service,direction,durationSec,volumeMb,destination,calledNumber,cellId,region,charge';
const good = 's1,2024-01-03T08:15:02Z,voice,out,62,,local,+447700900123,C17,North,0.25';
const start = Date.UTC(2024, 0, 3, 8, 15, 2);
const goodRecord: CallRecord = {
  subscriberId: 's1',
  start,
  service: 'voice',
  direction: 'out',
  durationSec: 62,
  destination: 'local',
  calledNumber: '+447700900123',
  cellId: 'C17',
  region: 'North',
  charge: 0.25,
};

/** CSV text: the lines joined with `\n`, plus a final line end. */
function csv(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function expectDataError(
  promise: Promise<unknown>,
  issue: { row: number; line: number; column: string },
): Promise<DataError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(DataError);
  const dataError = error as DataError;
  expect(dataError.code).toBe('INVALID_DATA');
  expect(dataError.issues[0]).toMatchObject(issue);
  expect(dataError.message).toContain(`row ${issue.row} (line ${issue.line}), column '${issue.column}'`);
  return dataError;
}

async function expectOptionError(promise: Promise<unknown>, option: string): Promise<OptionError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(OptionError);
  expect((error as OptionError).code).toBe('INVALID_OPTION');
  expect((error as OptionError).option).toBe(option);
  return error as OptionError;
}

async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[][]> {
  const all: T[][] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

let directory = '';
let fileCount = 0;

async function tempFile(content: string | Uint8Array): Promise<string> {
  fileCount++;
  const path = join(directory, `file-${fileCount}.csv`);
  await writeFile(path, content);
  return path;
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'telco-analytics-read-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('readCalls sources', () => {
  const text = csv(header, good, 's2,2024-01-03 08:15:02,sms,,,,,,,Zürich,');
  const expected = [goodRecord, { subscriberId: 's2', start, service: 'sms', region: 'Zürich' }];

  it('reads CSV text', async () => {
    expect(await readCalls(text)).toEqual({ rows: expected, skipped: [] });
  });

  it('reads a file path and a file URL', async () => {
    const path = await tempFile(text);
    expect((await readCalls(path)).rows).toEqual(expected);
    expect((await readCalls(pathToFileURL(path))).rows).toEqual(expected);
  });

  it('reads a Node stream', async () => {
    const path = await tempFile(text);
    expect((await readCalls(createReadStream(path, { highWaterMark: 7 }))).rows).toEqual(expected);
  });

  it('reads byte chunks that split characters and lines anywhere', async () => {
    const bytes = new TextEncoder().encode(`\uFEFF${text}`);
    const oneByteAtATime = Readable.from([...bytes].map((byte) => Uint8Array.of(byte)));
    expect((await readCalls(oneByteAtATime)).rows).toEqual(expected);
  });

  it('reads an async iterable of strings', async () => {
    async function* pieces(): AsyncGenerator<string> {
      for (let at = 0; at < text.length; at += 10) yield text.slice(at, at + 10);
    }
    expect((await readCalls(pieces())).rows).toEqual(expected);
  });

  it('gives the same records as validateCalls on the same cells', async () => {
    const [columns = [], ...lines] = text
      .trim()
      .split('\n')
      .map((line) => line.split(','));
    const objects = lines.map((cells) =>
      Object.fromEntries(columns.map((column, index) => [column, cells[index]])),
    );
    expect(await readCalls(text)).toEqual(validateCalls(objects));
  });

  it('reads text longer than one internal slice, with multi-byte characters across the cuts', async () => {
    const line = 's1,2024-01-03T08:15:02Z,data,in,,1.5,roaming,,Ç€,Zürich–Ost ✓,0';
    const count = 30_000; // about 2 MiB
    const { rows } = await readCalls(`${header}\n${`${line}\n`.repeat(count)}`);
    expect(rows).toHaveLength(count);
    expect(rows.every((row) => row.region === 'Zürich–Ost ✓' && row.cellId === 'Ç€')).toBe(true);
  });

  it('rejects a missing file with the file system error', async () => {
    const error = await rejection(readCalls(join(directory, 'absent.csv')));
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('rejects sources it cannot read', async () => {
    await expectOptionError(readCalls(new URL('https://example.com/calls.csv')), 'source');
    await expectOptionError(readCalls({} as never), 'source');
    await expectOptionError(readCalls(42 as never), 'source');
  });
});

describe('readCalls CSV syntax', () => {
  it('accepts CRLF line ends', async () => {
    const text = [header, good, good, 's3,2024-01-03,fax,,,,,,,,', ''].join('\r\n');
    expect((await readCalls(text, { onInvalid: 'skip' })).rows).toEqual([goodRecord, goodRecord]);
    await expectDataError(readCalls(text), { row: 3, line: 4, column: 'service' });
  });

  it('reads quoted fields holding delimiters, quotes and line breaks, and counts their lines', async () => {
    const text = csv(
      header,
      's1,2024-01-03T08:15:02Z,voice,,,,,"+44, 7700","C""17""","North\nEast",',
      's2,2024-01-03T08:15:02Z,voice,,,,,,,"a\r\nb\nc",',
      's3,2024-01-03T08:15:02Z,voice,,-1,,,,,,',
    );
    const { rows, skipped } = await readCalls(text, { onInvalid: 'skip' });
    expect(rows).toEqual([
      {
        subscriberId: 's1',
        start,
        service: 'voice',
        calledNumber: '+44, 7700',
        cellId: 'C"17"',
        region: 'North\nEast',
      },
      { subscriberId: 's2', start, service: 'voice', region: 'a\r\nb\nc' },
    ]);
    expect(skipped).toEqual([
      { row: 3, line: 7, column: 'durationSec', reason: 'negative: -1 (must be 0 or more)' },
    ]);
  });

  it('skips a byte order mark at the start', async () => {
    const path = await tempFile(`\uFEFF${csv(header, good)}`);
    expect((await readCalls(path)).rows).toEqual([goodRecord]);
  });

  it('reads a header-only file as zero rows', async () => {
    expect(await readCalls(csv(header))).toEqual({ rows: [], skipped: [] });
    expect(await readCalls(await tempFile(header))).toEqual({ rows: [], skipped: [] });
  });

  it('refuses an empty file: it has no header', async () => {
    const error = await expectOptionError(readCalls(await tempFile('')), 'columns');
    expect(error.message).toContain('headers found: none');
  });

  it('ignores blank lines but counts them in line numbers', async () => {
    const text = csv('', header, '', good, '', '', 's2,x,voice,,,,,,,,');
    const error = await expectDataError(readCalls(text), { row: 2, line: 7, column: 'start' });
    expect(error.issues).toHaveLength(1);
  });

  it('uses another delimiter when told', async () => {
    const text = csv(header.replaceAll(',', ';'), good.replaceAll(',', ';'));
    expect((await readCalls(text, { delimiter: ';' })).rows).toEqual([goodRecord]);
    expect((await readCalls(text.replaceAll(';', '\t'), { delimiter: '\t' })).rows).toEqual([goodRecord]);
    await expectOptionError(readCalls(text, { delimiter: '' }), 'delimiter');
    await expectOptionError(readCalls(text, { delimiter: '"' }), 'delimiter');
  });

  it('trims header names and ignores unknown columns', async () => {
    const text = csv(' subscriberId , start,service,extra', 's1,2024-01-03T08:15:02Z,sms,whatever');
    expect((await readCalls(text)).rows).toEqual([{ subscriberId: 's1', start, service: 'sms' }]);
  });

  it('names the first missing column of a short record and skips it when told', async () => {
    const text = csv(header, good, 's2,2024-01-03T08:15:02Z,voice,out');
    const error = await expectDataError(readCalls(text), { row: 2, line: 3, column: 'durationSec' });
    expect(error.issues[0]?.reason).toBe('expected 11 fields as in the header, found 4');
    expect(await readCalls(text, { onInvalid: 'skip' })).toEqual({
      rows: [goodRecord],
      skipped: [
        { row: 2, line: 3, column: 'durationSec', reason: 'expected 11 fields as in the header, found 4' },
      ],
    });
  });

  it('names the first extra field of a long record', async () => {
    await expectDataError(readCalls(csv(header, `${good},surplus`)), { row: 1, line: 2, column: '#12' });
  });

  it('reports an unclosed quote at the record where it opens, under either policy', async () => {
    const text = csv(header, good, good, 's3,2024-01-03T08:15:02Z,voice,,,,,"unclosed,,,', good);
    const error = await expectDataError(readCalls(text), { row: 3, line: 4, column: 'calledNumber' });
    expect(error.issues[0]?.reason).toMatch(/never closed/);
    await expectDataError(readCalls(text, { onInvalid: 'skip' }), {
      row: 3,
      line: 4,
      column: 'calledNumber',
    });
  });

  it('reports a stray quote inside a field', async () => {
    const text = csv(header, good, 's2,2024-01-03T08:15:02Z,voice,,,,,+44"77,,,');
    const error = await expectDataError(readCalls(text), { row: 2, line: 3, column: 'calledNumber' });
    expect(error.issues[0]?.reason).toMatch(/quote inside an unquoted field/);
  });

  it('reports text after a closing quote', async () => {
    await expectDataError(readCalls(csv(header, good, 's2,"2024"x,voice,,,,,,,,')), {
      row: 2,
      line: 3,
      column: 'start',
    });
  });

  it('reports a malformed header as row 0', async () => {
    await expectDataError(readCalls(csv('subscriberId,"start,service', good)), {
      row: 0,
      line: 1,
      column: '#2',
    });
  });

  it('reports a bad value before a later syntax error', async () => {
    const text = csv(header, good, 's2,2024-01-03T08:15:02Z,fax,,,,,,,,', 's3,"open');
    await expectDataError(readCalls(text), { row: 2, line: 3, column: 'service' });
  });
});

describe('readCalls validation', () => {
  const badCells: [string, Partial<Record<string, string>>, string][] = [
    ['missing subscriberId', { subscriberId: '' }, 'subscriberId'],
    ['missing start', { start: ' ' }, 'start'],
    ['missing service', { service: '' }, 'service'],
    ['unparsable date', { start: '2024-13-01T00:00:00Z' }, 'start'],
    ['negative duration', { durationSec: '-5' }, 'durationSec'],
    ['negative volume', { volumeMb: '-1.5' }, 'volumeMb'],
    ['negative charge', { charge: '-0.01' }, 'charge'],
    ['decimal comma', { durationSec: '"1,5"' }, 'durationSec'],
    ['trailing letters', { volumeMb: '12abc' }, 'volumeMb'],
    ['NaN', { charge: 'NaN' }, 'charge'],
    ['Infinity', { durationSec: 'Infinity' }, 'durationSec'],
    ['unknown service', { service: 'fax' }, 'service'],
    ['unknown zone', { destination: 'mars' }, 'destination'],
    ['unknown direction', { direction: 'sideways' }, 'direction'],
  ];
  const columns = header.split(',');
  const line = (cells: Partial<Record<string, string>>): string => {
    const values = good.split(',');
    return columns.map((column, index) => cells[column] ?? values[index]).join(',');
  };

  it.each(badCells)('rejects a %s in a file with its row, line and column', async (_, cells, column) => {
    const path = await tempFile(csv(header, good, '', good, line(cells), good));
    await expectDataError(readCalls(path), { row: 3, line: 5, column });
    const { rows, skipped } = await readCalls(path, { onInvalid: 'skip' });
    expect(rows).toHaveLength(3);
    expect(skipped).toMatchObject([{ row: 3, line: 5, column }]);
  });

  it.each(badCells)('names the mapped header for a %s', async (_, cells, column) => {
    const mapped = columns.map((name) => `F_${name}`);
    const columnsOption = Object.fromEntries(columns.map((name) => [name, `F_${name}`]));
    await expectDataError(readCalls(csv(mapped.join(','), line(cells)), { columns: columnsOption }), {
      row: 1,
      line: 2,
      column: `F_${column}`,
    });
  });

  it('reads mapped columns', async () => {
    const text = csv('MSISDN,EVENT_TS,service', '4477,2024-01-03T08:15:02Z,data');
    const options = { columns: { subscriberId: 'MSISDN', start: 'EVENT_TS' } };
    expect((await readCalls(text, options)).rows).toEqual([{ subscriberId: '4477', start, service: 'data' }]);
  });

  it('refuses a header without a required column, listing the headers found', async () => {
    const error = await expectOptionError(readCalls(csv('subscriberId,when,service', good)), 'columns');
    expect(error.message).toContain("expects column 'start', which the CSV header lacks");
    expect(error.message).toContain("headers found: 'subscriberId', 'when', 'service'");
    const mapped = await expectOptionError(
      readCalls(csv('MSISDN,start,service'), { columns: { subscriberId: 'MSISDN', start: 'EVENT_TS' } }),
      'columns',
    );
    expect(mapped.message).toContain("'EVENT_TS' (for start)");
  });

  it('accepts declared services and zones', async () => {
    const text = csv('subscriberId,start,service,destination', 's1,2024-01-03T08:15:02Z,video,satellite');
    expect((await readCalls(text, { services: ['video'], zones: ['satellite'] })).rows).toEqual([
      { subscriberId: 's1', start, service: 'video', destination: 'satellite' },
    ]);
  });

  it('rejects invalid options as a rejected promise', async () => {
    await expectOptionError(readCalls(csv(header), { onInvalid: 'never' as 'skip' }), 'onInvalid');
    await expectOptionError(readCalls(csv(header), { columns: { start: '' } }), 'columns');
  });
});

describe('readSubscribers and readPayments', () => {
  it('keeps extra subscriber columns as text, leaving empty ones out', async () => {
    const text = csv(
      'subscriberId,planId,tenureMonths,churned,segment,score',
      'a,P1,12,Yes,gold,0.5',
      'b,,,no,,',
    );
    expect(await readSubscribers(text)).toEqual({
      rows: [
        { subscriberId: 'a', planId: 'P1', tenureMonths: 12, churned: true, segment: 'gold', score: '0.5' },
        { subscriberId: 'b', churned: false },
      ],
      skipped: [],
    });
  });

  it('rejects bad subscriber values with row and line', async () => {
    const text = csv('subscriberId,churned,arrearsDays', 'a,no,0', 'b,perhaps,0', 'c,no,-2');
    await expectDataError(readSubscribers(text), { row: 2, line: 3, column: 'churned' });
    expect((await readSubscribers(text, { onInvalid: 'skip' })).skipped).toMatchObject([
      { row: 2, line: 3, column: 'churned' },
      { row: 3, line: 4, column: 'arrearsDays' },
    ]);
  });

  it('refuses a subscriber file with a second column under a renamed field name', async () => {
    const text = csv('MSISDN,subscriberId', '1,2');
    await expectOptionError(readSubscribers(text, { columns: { subscriberId: 'MSISDN' } }), 'columns');
  });

  it('reads payments', async () => {
    const text = csv(
      'customerId,date,amount,channel',
      'c1,2024-05-01,9.99,app',
      'c2,2024-05-02T10:00:00Z,0,shop',
    );
    expect((await readPayments(text)).rows).toEqual([
      { customerId: 'c1', date: Date.UTC(2024, 4, 1), amount: 9.99 },
      { customerId: 'c2', date: Date.UTC(2024, 4, 2, 10), amount: 0 },
    ]);
    await expectDataError(readPayments(csv('customerId,date,amount', 'c1,2024-05-01,')), {
      row: 1,
      line: 2,
      column: 'amount',
    });
    await expectOptionError(readPayments(csv('customerId,amount')), 'columns');
  });
});

describe('readCallBatches', () => {
  const rows = Array.from({ length: 10 }, (_, index) => good.replace('s1', `s${index}`));
  const text = csv(header, ...rows.slice(0, 4), '', ...rows.slice(4));

  it.each([1, 3, 4, 10, 65_536])('yields the records of readCalls in batches of %i', async (batchSize) => {
    const batches = await collect(readCallBatches(text, { batchSize }));
    expect(batches.map((batch) => batch.length)).toEqual(
      Array.from({ length: Math.ceil(10 / batchSize) }, (_, index) =>
        Math.min(batchSize, 10 - index * batchSize),
      ),
    );
    expect(batches.flat()).toEqual((await readCalls(text)).rows);
  });

  it('defaults to batches of 65536', async () => {
    const many = `${header}\n${`${good}\n`.repeat(70_000)}`;
    expect((await collect(readCallBatches(many))).map((batch) => batch.length)).toEqual([65_536, 4_464]);
  });

  it('reports skipped rows through onSkip, with the lines of the file', async () => {
    const path = await tempFile(
      csv(header, good, 'bad,never,voice,,,,,,,,', good, 'worse,2024-01-03,fax,,,,,,,,'),
    );
    const skipped: SkippedRecord[] = [];
    const batches = await collect(
      readCallBatches(path, { batchSize: 1, onInvalid: 'skip', onSkip: (record) => skipped.push(record) }),
    );
    expect(batches.flat()).toEqual([goodRecord, goodRecord]);
    expect(skipped).toMatchObject([
      { row: 2, line: 3, column: 'start' },
      { row: 4, line: 5, column: 'service' },
    ]);
  });

  it('throws at the first bad row after yielding the batches before it', async () => {
    const seen: CallRecord[][] = [];
    const iterate = async (): Promise<void> => {
      for await (const batch of readCallBatches(csv(header, good, good, good, 's,x,voice,,,,,,,,'), {
        batchSize: 2,
      })) {
        seen.push(batch);
      }
    };
    await expectDataError(iterate(), { row: 4, line: 5, column: 'start' });
    expect(seen.map((batch) => batch.length)).toEqual([2]);
  });

  it('checks its options when called', () => {
    expect(() => readCallBatches(text, { onInvalid: 'skip' })).toThrow(OptionError);
    expect(() => readCallBatches(text, { batchSize: 0 })).toThrow(OptionError);
    expect(() => readCallBatches(text, { batchSize: 1.5 })).toThrow(OptionError);
    expect(() => readCallBatches(text, { delimiter: '\n' })).toThrow(OptionError);
    expect(() => readCallBatches(new URL('ftp://host/calls.csv'))).toThrow(OptionError);
  });

  it('stops reading the source when the loop is left early', async () => {
    const source = Readable.from([csv(header, ...rows)], { objectMode: false });
    for await (const batch of readCallBatches(source, { batchSize: 2 })) {
      expect(batch).toHaveLength(2);
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.destroyed).toBe(true);
  });

  it('reads payments in batches', async () => {
    const payments = csv('customerId,date,amount', 'c1,2024-05-01,1', 'c2,2024-05-01,2', 'c3,2024-05-01,3');
    const batches = await collect(readPaymentBatches(payments, { batchSize: 2 }));
    expect(batches.map((batch) => batch.map((payment) => payment.amount))).toEqual([[1, 2], [3]]);
  });
});

describe('readCalls round trip (property)', () => {
  // Half the strings are built from the characters CSV treats specially, so quoting and line counting get exercised.
  const special = fc.constantFrom('a', 'Z', '7', ' ', ',', ';', '"', "'", '\n', '\r\n', '\r', 'é', '€', '😀');
  const text = fc
    .oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
      fc.string({ unit: special, minLength: 1, maxLength: 8 }),
    )
    .map((value) => value.trim())
    .filter((value) => value !== '');
  const amount = fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.double({ min: 0, max: 1e9, noNaN: true }));
  const call = fc.record(
    {
      subscriberId: text,
      start: fc.integer({ min: 946_684_800, max: 1_893_456_000 }).map((seconds) => seconds * 1000),
      service: fc.constantFrom(...knownServices),
      direction: fc.constantFrom(...knownDirections),
      durationSec: amount,
      volumeMb: amount,
      destination: fc.constantFrom(...knownZones),
      calledNumber: text,
      cellId: text,
      region: text,
      charge: amount,
    },
    { requiredKeys: ['subscriberId', 'start', 'service'] },
  );
  const columns = header.split(',') as (keyof CallRecord)[];

  /** One CSV line per record, quoting text that needs it (and some that does not). */
  function toLine(record: CallRecord, quoteAll: boolean, startStyle: number): string {
    return columns
      .map((column) => {
        const value = record[column];
        if (value === undefined) return '';
        if (column === 'start') {
          const iso = formatTimestamp(record.start);
          return [iso, String(record.start), iso.replace('T', ' ').replace('Z', '')][startStyle] ?? iso;
        }
        const cell = typeof value === 'number' ? String(value === 0 ? 0 : value) : value;
        return quoteAll || /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
      })
      .join(',');
  }

  const file = fc.record({
    records: fc.array(call, { maxLength: 20 }),
    lineEnd: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
    quoteAll: fc.boolean(),
    startStyle: fc.integer({ min: 0, max: 2 }),
  });

  it('reads back the records it was given', async () => {
    await fc.assert(
      fc.asyncProperty(file, async ({ records, lineEnd, bom, quoteAll, startStyle }) => {
        const lines = records.map((record) => toLine(record, quoteAll, startStyle));
        const content = `${bom ? '\uFEFF' : ''}${[header, ...lines].join(lineEnd)}${lineEnd}`;
        const normalised = records.map((record) =>
          Object.fromEntries(Object.entries(record).map(([key, value]) => [key, value === 0 ? 0 : value])),
        );
        expect((await readCalls(content)).rows).toEqual(normalised);
      }),
      { numRuns: 150 },
    );
  });

  it('reports the line where a bad record starts, after multi-line records', async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.nat(), async ({ records, lineEnd }, position) => {
        const lines = records.map((record) => toLine(record, false, 0));
        const at = position % (lines.length + 1);
        lines.splice(at, 0, 'bad,2024-01-03T08:15:02Z,fax,,,,,,,,');
        const before = [header, ...lines.slice(0, at)].join(lineEnd);
        const expectedLine = before.split('\n').length + 1;
        const content = `${[header, ...lines].join(lineEnd)}${lineEnd}`;
        const { skipped } = await readCalls(content, { onInvalid: 'skip' });
        expect(skipped).toEqual([
          expect.objectContaining({ row: at + 1, line: expectedLine, column: 'service' }),
        ]);
      }),
      { numRuns: 150 },
    );
  });
});
