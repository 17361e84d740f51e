import { Matrix } from 'ml-matrix';
import { DataError, OptionError, toDenseMatrix } from 'telco-analytics/data';
import { describe, expect, it } from 'vitest';

describe('toDenseMatrix', () => {
  const expected = { data: new Float64Array([1, 2, 3, 4, 5, 6]), rows: 3, cols: 2 };

  it('accepts the three matrix forms and gives the same row-major matrix', () => {
    const rows = Object.freeze([Object.freeze([1, 2]), Object.freeze([3, 4]), Object.freeze([5, 6])]);
    expect(toDenseMatrix(rows, 'test')).toEqual(expected);
    expect(
      toDenseMatrix(
        new Matrix([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        'test',
      ),
    ).toEqual(expected);
    const dense = { data: new Float64Array([1, 2, 3, 4, 5, 6]), rows: 3, cols: 2 };
    expect(toDenseMatrix(dense, 'test')).toBe(dense);
    expect(toDenseMatrix([], 'test')).toEqual({ data: new Float64Array(0), rows: 0, cols: 0 });
  });

  it.each([
    [
      [
        [1, 2],
        [3, Number.NaN],
      ],
      2,
      'column 2',
    ],
    [[[1, Number.POSITIVE_INFINITY]], 1, 'column 2'],
    [[[1, 2], [3]], 2, 'column 2'],
    [
      [
        [1, 2],
        [3, 4, 5],
      ],
      2,
      'column 3',
    ],
  ])('names the row and column of a bad value in %j', (rows, row, column) => {
    try {
      toDenseMatrix(rows, 'kmeans');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).issues[0]).toMatchObject({ row, column });
      expect((error as DataError).message).toContain(`row ${row}, column '${column}'`);
    }
  });

  it('uses column names when given, for all three forms', () => {
    const names = ['minutes', 'sms'];
    expect(() => toDenseMatrix([[1, Number.NaN]], 'f', names)).toThrow("row 1, column 'sms'");
    expect(() =>
      toDenseMatrix(
        new Matrix([
          [1, 2],
          [Number.NaN, 3],
        ]),
        'f',
        names,
      ),
    ).toThrow("row 2, column 'minutes'");
    expect(() =>
      toDenseMatrix({ data: new Float64Array([1, 2, 3, Number.NaN]), rows: 2, cols: 2 }, 'f', names),
    ).toThrow("row 2, column 'sms'");
  });

  it('rejects a dense matrix whose size does not match rows x cols', () => {
    expect(() => toDenseMatrix({ data: new Float64Array(5), rows: 2, cols: 3 }, 'f')).toThrow(OptionError);
  });
});
