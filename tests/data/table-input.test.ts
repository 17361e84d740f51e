import { DataError, OptionError, type TableInput, tableRows } from 'telco-analytics/data';
import { describe, expect, it } from 'vitest';

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
  return dataError;
}

describe('tableRows', () => {
  const rows = Object.freeze([
    Object.freeze({ id: 'a', minutes: 3 }),
    Object.freeze({ id: 'b', minutes: 5 }),
  ]);

  it('passes an array of row objects through without copying the rows', () => {
    const seen = [...tableRows(rows, 'test')];
    expect(seen).toEqual(rows);
    expect(seen[0]).toBe(rows[0]);
  });

  it('turns a columnar table into row objects, typed arrays included', () => {
    const table = Object.freeze({ id: Object.freeze(['a', 'b']), minutes: Float64Array.of(3, 5) });
    expect([...tableRows(table, 'test')]).toEqual(rows);
  });

  it('turns a data-frame-like object into row objects', () => {
    const frame = Object.freeze({
      columns: Object.freeze(['id', 'minutes']),
      values: Object.freeze([
        ['a', 3],
        ['b', 5],
      ]),
    });
    expect([...tableRows(frame, 'test')]).toEqual(rows);
  });

  it('reads a data frame whose columns and values are getters (as danfo.js defines them)', () => {
    let reads = 0;
    class Frame {
      get columns(): string[] {
        return ['id', 'minutes'];
      }
      get values(): unknown[][] {
        reads++;
        return [
          ['a', 3],
          ['b', 5],
        ];
      }
    }
    expect([...tableRows(new Frame(), 'test')]).toEqual(rows);
    expect(reads).toBe(1);
  });

  it('produces columnar rows lazily', () => {
    const iterator = tableRows({ id: ['a', 'b', 'c'] }, 'test')[Symbol.iterator]();
    expect(iterator.next()).toEqual({ done: false, value: { id: 'a' } });
  });

  it('gives no rows for empty tables', () => {
    expect([...tableRows([], 'test')]).toEqual([]);
    expect([...tableRows({}, 'test')]).toEqual([]);
    expect([...tableRows({ id: [] }, 'test')]).toEqual([]);
    expect([...tableRows({ columns: ['id'], values: [] }, 'test')]).toEqual([]);
  });

  it('keeps a column named __proto__ as an own property', () => {
    const [row] = [...tableRows({ columns: ['__proto__'], values: [['x']] }, 'test')];
    expect(Object.keys(row ?? {})).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
  });

  it('names the column and first missing row of a ragged columnar table', () => {
    const error = expectDataError(() => tableRows({ id: ['a', 'b', 'c'], minutes: [1, 2] }, 'ctx'), {
      row: 3,
      column: 'minutes',
    });
    expect(error.message).toMatch(/^ctx: /);
    expect(error.message).toContain('ragged');
  });

  it('rejects a columnar column that is not an array', () => {
    expectDataError(() => tableRows({ id: 'abc' } as unknown as TableInput, 'ctx'), { row: 1, column: 'id' });
  });

  it('names the row of a data frame row with the wrong number of values', () => {
    const frame = { columns: ['id', 'minutes'], values: [['a', 1], ['b'], ['c', 3]] };
    expectDataError(() => [...tableRows(frame, 'ctx')], { row: 2, column: 'minutes' });
    expectDataError(() => [...tableRows({ columns: ['id'], values: [['a', 1]] }, 'ctx')], {
      row: 1,
      column: '#2',
    });
  });

  it('names a row of an array that is not an object', () => {
    const input = [{ id: 'a' }, null, 7] as unknown as TableInput;
    expectDataError(() => [...tableRows(input, 'ctx')], { row: 2, column: '(row)' });
  });

  it.each([null, 42, 'id,minutes\na,3', new Map([['id', ['a']]])])('rejects %s as a table', (input) => {
    const error = caught(() => tableRows(input as unknown as TableInput, 'ctx'));
    expect(error).toBeInstanceOf(OptionError);
    expect((error as OptionError).code).toBe('INVALID_OPTION');
    expect((error as OptionError).option).toBe('input');
  });
});
