import { DataError, OptionError } from './errors.js';
import { describeValue } from './field-parsers.js';

/**
 * A table held column by column: every column an array (or typed array) of the same length.
 *
 * @example
 * const table: ColumnarTable = { subscriberId: ['a', 'b'], durationSec: Float64Array.of(30, 45) };
 */
export interface ColumnarTable {
  readonly [column: string]: ArrayLike<unknown>;
}

/**
 * Anything shaped like a danfo.js `DataFrame`: column names plus one array of values per row.
 * Detected by `columns` being an array of strings and `values` an array, so a columnar table whose
 * only columns are named `columns` and `values` is read as a data frame.
 *
 * @example
 * const frame: DataFrameLike = { columns: ['subscriberId', 'start'], values: [['a', '2024-05-01']] };
 */
export interface DataFrameLike {
  readonly columns: readonly string[];
  readonly values: readonly (readonly unknown[])[];
}

/**
 * The tabular inputs the validators accept: an array of row objects, a {@link ColumnarTable} or a
 * {@link DataFrameLike}.
 *
 * @example
 * const rows: TableInput = [{ subscriberId: 'a', start: '2024-05-01T08:30:00Z', service: 'voice' }];
 */
export type TableInput = readonly Readonly<Record<string, unknown>>[] | ColumnarTable | DataFrameLike;

/** A table whose rows are arrays aligned with one list of column names (columnar tables and data frames). @internal */
export interface Grid {
  readonly columns: readonly string[];
  readonly length: number;
  /** The cells of row `index` (0-based), possibly written into `scratch`; not an array when the input row is not one. */
  row(index: number, scratch: unknown[]): unknown;
}

/** A table input resolved to its form. @internal */
export type Table =
  | { readonly form: 'objects'; readonly rows: readonly unknown[] }
  | { readonly form: 'grid'; readonly grid: Grid };

/** Sets an own property, `__proto__` included (plain assignment would change the prototype instead). @internal */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { length?: unknown }).length === 'number'
  );
}

/** The grid of a data-frame-like input, or `undefined` when `input` is not one. */
function frameGrid(input: object): Grid | undefined {
  // danfo.js computes `columns` and `values` in getters: read each once.
  const { columns, values } = input as { columns?: unknown; values?: unknown };
  if (
    !Array.isArray(columns) ||
    !columns.every((name) => typeof name === 'string') ||
    !Array.isArray(values)
  ) {
    return undefined;
  }
  return { columns: [...columns], length: values.length, row: (index) => values[index] };
}

function columnarGrid(table: ColumnarTable, context: string): Grid {
  const columns = Object.keys(table);
  const arrays: ArrayLike<unknown>[] = [];
  for (const column of columns) {
    const values = table[column];
    if (!isArrayLike(values)) {
      throw new DataError(context, [
        {
          row: 1,
          column,
          reason: `a columnar table needs an array per column, received ${describeValue(values)}`,
        },
      ]);
    }
    arrays.push(values);
  }
  const length = arrays[0]?.length ?? 0;
  const ragged = arrays.findIndex((values) => values.length !== length);
  if (ragged !== -1) {
    const count = arrays[ragged]?.length ?? 0;
    throw new DataError(context, [
      {
        row: Math.min(count, length) + 1,
        column: columns[ragged] ?? '',
        reason: `ragged columnar table: this column has ${count} values, column '${columns[0]}' has ${length}`,
      },
    ]);
  }
  return {
    columns,
    length,
    row(index, scratch) {
      for (let position = 0; position < arrays.length; position++)
        scratch[position] = arrays[position]?.[index];
      return scratch;
    },
  };
}

/**
 * Resolves a {@link TableInput} to its form, checking the shape but not the rows. @internal
 *
 * @throws {@link OptionError} when `input` is none of the accepted forms; {@link DataError} for a ragged columnar table.
 */
export function openTable(input: TableInput, context: string): Table {
  if (Array.isArray(input)) return { form: 'objects', rows: input };
  if (typeof input !== 'object' || input === null || input instanceof Map || input instanceof Set) {
    throw new OptionError(
      context,
      'input',
      `must be an array of row objects, a columnar table or a data frame, received ${describeValue(input)}`,
    );
  }
  return { form: 'grid', grid: frameGrid(input) ?? columnarGrid(input as ColumnarTable, context) };
}

/** The problem with a row of a grid, or `undefined` when it has one cell per column. @internal */
export function gridRowProblem(
  cells: unknown,
  columns: readonly string[],
): { column: string; reason: string } | undefined {
  if (!Array.isArray(cells))
    return {
      column: columns[0] ?? '',
      reason: `expected an array of values, received ${describeValue(cells)}`,
    };
  if (cells.length === columns.length) return undefined;
  const column = cells.length < columns.length ? (columns[cells.length] ?? '') : `#${columns.length + 1}`;
  return { column, reason: `expected ${columns.length} values (one per column), found ${cells.length}` };
}

function* objectRows(
  rows: readonly unknown[],
  context: string,
): Generator<Readonly<Record<string, unknown>>> {
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index];
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new DataError(context, [
        { row: index + 1, column: '(row)', reason: `expected a row object, received ${describeValue(row)}` },
      ]);
    }
    yield row as Readonly<Record<string, unknown>>;
  }
}

function* gridRows(grid: Grid, context: string): Generator<Readonly<Record<string, unknown>>> {
  const { columns } = grid;
  const scratch: unknown[] = [];
  for (let index = 0; index < grid.length; index++) {
    const cells = grid.row(index, scratch);
    const problem = gridRowProblem(cells, columns);
    if (problem !== undefined) throw new DataError(context, [{ row: index + 1, ...problem }]);
    const values = cells as readonly unknown[];
    const row: Record<string, unknown> = {};
    for (let position = 0; position < columns.length; position++)
      setOwn(row, columns[position] ?? '', values[position]);
    yield row;
  }
}

/**
 * The rows of any {@link TableInput} as plain objects, produced lazily: an array of objects is
 * passed through (its rows are not copied), columnar tables and data frames get one new object per row.
 *
 * @param context - The calling function's name, used in error messages.
 * @throws {@link DataError} (code `INVALID_DATA`) naming the row or column when a row is not an
 * object, a data frame row has the wrong length or columnar columns differ in length;
 * {@link OptionError} when `input` is not a table at all.
 *
 * @example
 * [...tableRows({ id: ['a', 'b'], minutes: [3, 5] }, 'example')];
 * // => [{ id: 'a', minutes: 3 }, { id: 'b', minutes: 5 }]
 * [...tableRows({ columns: ['id'], values: [['a']] }, 'example')]; // => [{ id: 'a' }]
 */
export function tableRows(input: TableInput, context: string): Iterable<Readonly<Record<string, unknown>>> {
  const table = openTable(input, context);
  return table.form === 'objects' ? objectRows(table.rows, context) : gridRows(table.grid, context);
}
