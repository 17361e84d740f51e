import { DataError, OptionError } from './errors.js';

/** A row-major matrix in one `Float64Array`: the form every numeric hot loop of the package works on. */
export interface DenseMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** The `ml-matrix` shape, duck-typed so that `ml-matrix` stays an optional input, never a required import. */
export interface MatrixLike {
  readonly rows: number;
  readonly columns: number;
  get(row: number, column: number): number;
}

/**
 * The three numeric matrix forms every function that takes a matrix accepts: an array of rows,
 * a row-major {@link DenseMatrix}, or an `ml-matrix` `Matrix` (any object with `rows`, `columns`
 * and `get(row, column)`).
 */
export type NumericMatrixInput = readonly (readonly number[])[] | DenseMatrix | MatrixLike;

function isDense(input: NumericMatrixInput): input is DenseMatrix {
  return !Array.isArray(input) && (input as DenseMatrix).data instanceof Float64Array;
}

function isMatrixLike(input: NumericMatrixInput): input is MatrixLike {
  return !Array.isArray(input) && typeof (input as MatrixLike).get === 'function';
}

/**
 * Converts any {@link NumericMatrixInput} to a {@link DenseMatrix}, checking that every value is a
 * finite number. A non-finite value or a ragged row raises a {@link DataError} naming the 1-based
 * row and the column (by `columnNames` when given, else `column N`, 1-based). A `DenseMatrix` input
 * is checked and returned as is (not copied, never mutated).
 *
 * @example
 * toDenseMatrix([[1, 2], [3, 4]], 'kmeans'); // => { data: Float64Array [1, 2, 3, 4], rows: 2, cols: 2 }
 * toDenseMatrix([[1, Number.NaN]], 'kmeans', ['minutes', 'sms']);
 * // throws DataError "kmeans: row 1, column 'sms': not a finite number: NaN"
 */
export function toDenseMatrix(
  input: NumericMatrixInput,
  context: string,
  columnNames?: readonly string[],
): DenseMatrix {
  const columnName = (column: number): string => columnNames?.[column] ?? `column ${column + 1}`;
  const fail = (row: number, column: number, reason: string): never => {
    throw new DataError(context, [{ row: row + 1, column: columnName(column), reason }]);
  };
  if (isDense(input)) {
    const { data, rows, cols } = input;
    if (
      !Number.isInteger(rows) ||
      !Number.isInteger(cols) ||
      rows < 0 ||
      cols < 0 ||
      data.length !== rows * cols
    ) {
      throw new OptionError(
        context,
        'data',
        `has ${data.length} values, which is not rows x cols = ${rows} x ${cols}`,
      );
    }
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]!)) fail(Math.floor(i / cols), i % cols, `not a finite number: ${data[i]}`);
    }
    return input;
  }
  if (isMatrixLike(input)) {
    const { rows, columns: cols } = input;
    const data = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const value = input.get(r, c);
        if (typeof value !== 'number' || !Number.isFinite(value))
          fail(r, c, `not a finite number: ${String(value)}`);
        data[r * cols + c] = value;
      }
    }
    return { data, rows, cols };
  }
  const rows = input.length;
  const cols = rows === 0 ? 0 : input[0]!.length;
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = input[r]!;
    if (row.length !== cols) {
      throw new DataError(context, [
        {
          row: r + 1,
          column: columnName(Math.min(row.length, cols)),
          reason: `has ${row.length} values, expected ${cols} (ragged rows)`,
        },
      ]);
    }
    for (let c = 0; c < cols; c++) {
      const value = row[c];
      if (typeof value !== 'number' || !Number.isFinite(value))
        fail(r, c, `not a finite number: ${String(value)}`);
      data[r * cols + c] = value as number;
    }
  }
  return { data, rows, cols };
}
