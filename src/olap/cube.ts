import { DataError, OptionError } from '../data/errors.js';
import { toEpochMilliseconds } from '../data/timestamp.js';
import {
  type CubeOptions,
  type Dimension,
  type Measure,
  type ResolvedCube,
  resolveCubeOptions,
} from './cube-options.js';
import { formatTimePart } from './time-parts.js';

/** A dimension or measure value in a cube row. */
export type CubeValue = string | number | boolean | null;

/**
 * One output row: each dimension (`null` = all values, a subtotal — unless its `grouping` bit is
 * 0, then it is a real null), each measure, and `grouping`, the SQL `GROUPING(d1, ..., dn)`
 * bitmask: bit n-1-i is set when dimension i is rolled up (0 = the finest level).
 */
export type CubeRow = { readonly [name: string]: CubeValue } & { readonly grouping: number };

/** The result of {@link cube}. */
export interface CubeResult {
  readonly dimensions: readonly string[];
  readonly measures: readonly string[];
  /** The grouping sets present, as `grouping` bitmasks, finest first. */
  readonly groupingSets: readonly number[];
  /** Rows by grouping set (finest first), then by dimension values (nulls first). */
  readonly rows: readonly CubeRow[];
}

/** An input row: a plain object (a CDR, a bill, any record); fields are read by name. */
export type CubeInput = object;

/** Where a measure's running state lives in a group's slots. */
interface MeasurePlan {
  readonly measure: Measure;
  /** First numeric slot (value), second (count), or the index into the group's collections. */
  readonly slot: number;
}

interface Group {
  readonly codes: Int32Array;
  readonly numbers: Float64Array;
  readonly collections: (Set<unknown> | number[])[];
}

interface Accumulator {
  readonly cube: ResolvedCube;
  readonly plans: readonly MeasurePlan[];
  readonly numberSlots: number;
  readonly collectionKinds: readonly ('set' | 'list')[];
  readonly dictionaries: Map<unknown, number>[];
  readonly values: CubeValue[][];
  readonly timeCaches: (Map<number, CubeValue> | null)[];
  readonly groups: Map<number | string, Group>;
  readonly radix: number;
  numericKeys: boolean;
  row: number;
  /** Whether any row had each dimension's field, then each measure's field. */
  readonly dimensionSeen: boolean[];
  readonly measureSeen: boolean[];
  firstRow: object | null;
}

function planMeasures(measures: readonly Measure[]): {
  plans: MeasurePlan[];
  numberSlots: number;
  kinds: ('set' | 'list')[];
} {
  let numberSlots = 0;
  const kinds: ('set' | 'list')[] = [];
  const plans = measures.map((measure): MeasurePlan => {
    if (measure.op === 'countDistinct') {
      kinds.push('set');
      return { measure, slot: kinds.length - 1 };
    }
    if (measure.op === 'quantile') {
      kinds.push('list');
      return { measure, slot: kinds.length - 1 };
    }
    if (measure.op === 'ratio') return { measure, slot: -1 };
    const slot = numberSlots;
    numberSlots += 2;
    return { measure, slot };
  });
  return { plans, numberSlots, kinds };
}

function newGroup(accumulator: Accumulator, codes: Int32Array): Group {
  const numbers = new Float64Array(accumulator.numberSlots);
  for (const plan of accumulator.plans) {
    if (plan.measure.op === 'min') numbers[plan.slot] = Number.POSITIVE_INFINITY;
    if (plan.measure.op === 'max') numbers[plan.slot] = Number.NEGATIVE_INFINITY;
  }
  return {
    codes,
    numbers,
    collections: accumulator.collectionKinds.map((kind) => (kind === 'set' ? new Set<unknown>() : [])),
  };
}

function createAccumulator(cube: ResolvedCube): Accumulator {
  const { plans, numberSlots, kinds } = planMeasures(cube.measures);
  const d = cube.dimensions.length;
  return {
    cube,
    plans,
    numberSlots,
    collectionKinds: kinds,
    dictionaries: cube.dimensions.map(() => new Map()),
    values: cube.dimensions.map(() => []),
    timeCaches: cube.dimensions.map((dimension) => (dimension.time === null ? null : new Map())),
    groups: new Map(),
    radix: d === 0 ? 1 : 2 ** Math.floor(52 / d),
    numericKeys: true,
    row: 0,
    dimensionSeen: cube.dimensions.map(() => false),
    measureSeen: cube.measures.map(() => false),
    firstRow: null,
  };
}

function dimensionValue(
  accumulator: Accumulator,
  index: number,
  dimension: Dimension,
  raw: unknown,
): CubeValue {
  if (raw === null || raw === undefined) return null;
  if (dimension.time !== null) {
    const time = typeof raw === 'number' ? raw : toEpochMilliseconds(raw as string | Date);
    if (!Number.isFinite(time)) {
      throw new DataError('cube', [
        { row: accumulator.row, column: dimension.field, reason: `not a timestamp: ${String(raw)}` },
      ]);
    }
    // Every part but the hour is a function of the UTC day; the hour is cheap to compute directly.
    if (dimension.time === 'hour')
      return Math.floor((((time % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000);
    const dayNumber = Math.floor(time / 86_400_000);
    const cache = accumulator.timeCaches[index]!;
    let value = cache.get(dayNumber);
    if (value === undefined) {
      value = formatTimePart(dimension.time, dayNumber);
      cache.set(dayNumber, value);
    }
    return value;
  }
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  if (raw instanceof Date) return raw.toISOString();
  return String(raw);
}

function switchToStringKeys(accumulator: Accumulator): void {
  const groups = [...accumulator.groups.values()];
  accumulator.groups.clear();
  for (const group of groups) accumulator.groups.set(group.codes.join(','), group);
  accumulator.numericKeys = false;
}

function addRow(accumulator: Accumulator, row: CubeInput): void {
  accumulator.row++;
  const { dimensions } = accumulator.cube;
  const d = dimensions.length;
  const codes = new Int32Array(d);
  let key = 0;
  for (let i = 0; i < d; i++) {
    const dimension = dimensions[i]!;
    const raw = (row as Record<string, unknown>)[dimension.field];
    if (raw !== undefined) accumulator.dimensionSeen[i] = true;
    const value = dimensionValue(accumulator, i, dimension, raw);
    const dictionary = accumulator.dictionaries[i]!;
    let code = dictionary.get(value);
    if (code === undefined) {
      code = dictionary.size;
      dictionary.set(value, code);
      accumulator.values[i]!.push(value);
      if (code >= accumulator.radix && accumulator.numericKeys) switchToStringKeys(accumulator);
    }
    codes[i] = code;
    key = key * accumulator.radix + code;
  }
  const groupKey = accumulator.numericKeys ? key : codes.join(',');
  let group = accumulator.groups.get(groupKey);
  if (group === undefined) {
    group = newGroup(accumulator, codes);
    accumulator.groups.set(groupKey, group);
  }
  const numbers = group.numbers;
  const plans = accumulator.plans;
  for (let m = 0; m < plans.length; m++) {
    const plan = plans[m]!;
    const measure = plan.measure;
    if (measure.op === 'ratio') continue;
    if (measure.op === 'count' && measure.field === null) {
      numbers[plan.slot]!++;
      continue;
    }
    const raw = (row as Record<string, unknown>)[measure.field!];
    if (raw === undefined) continue;
    accumulator.measureSeen[m] = true;
    if (raw === null) continue;
    if (measure.op === 'countDistinct') {
      (group.collections[plan.slot] as Set<unknown>).add(raw);
      continue;
    }
    if (measure.op === 'count') {
      numbers[plan.slot]!++;
      continue;
    }
    if (typeof raw !== 'number' || Number.isNaN(raw)) {
      throw new DataError('cube', [
        {
          row: accumulator.row,
          column: measure.field!,
          reason: `${measure.op} needs a number, received ${JSON.stringify(raw)}`,
        },
      ]);
    }
    if (measure.op === 'quantile') {
      (group.collections[plan.slot] as number[]).push(raw);
      continue;
    }
    const slot = plan.slot;
    if (measure.op === 'min') {
      if (raw < numbers[slot]!) numbers[slot] = raw;
    } else if (measure.op === 'max') {
      if (raw > numbers[slot]!) numbers[slot] = raw;
    } else numbers[slot] = numbers[slot]! + raw;
    numbers[slot + 1]!++;
  }
}

function mergeInto(accumulator: Accumulator, target: Group, source: Group): void {
  for (const plan of accumulator.plans) {
    const { op } = plan.measure;
    if (op === 'ratio') continue;
    if (op === 'countDistinct') {
      const set = target.collections[plan.slot] as Set<unknown>;
      for (const value of source.collections[plan.slot] as Set<unknown>) set.add(value);
      continue;
    }
    if (op === 'quantile') {
      const list = target.collections[plan.slot] as number[];
      for (const value of source.collections[plan.slot] as number[]) list.push(value);
      continue;
    }
    const slot = plan.slot;
    if (op === 'min') target.numbers[slot] = Math.min(target.numbers[slot]!, source.numbers[slot]!);
    else if (op === 'max') target.numbers[slot] = Math.max(target.numbers[slot]!, source.numbers[slot]!);
    else target.numbers[slot] = target.numbers[slot]! + source.numbers[slot]!;
    target.numbers[slot + 1] = target.numbers[slot + 1]! + source.numbers[slot + 1]!;
  }
}

/** Linear interpolation between closest ranks (Hyndman-Fan type 7, DuckDB quantile_cont). */
function quantileOf(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const position = (sorted.length - 1) * p;
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (position - low) * (sorted[high]! - sorted[low]!);
}

function measureValues(accumulator: Accumulator, group: Group): Map<string, CubeValue> {
  const out = new Map<string, CubeValue>();
  for (const plan of accumulator.plans) {
    const measure = plan.measure;
    const n = plan.slot >= 0 ? group.numbers[plan.slot + 1]! : 0;
    switch (measure.op) {
      case 'count':
        out.set(measure.name, group.numbers[plan.slot]!);
        break;
      case 'countDistinct':
        out.set(measure.name, (group.collections[plan.slot] as Set<unknown>).size);
        break;
      case 'quantile':
        out.set(measure.name, quantileOf(group.collections[plan.slot] as number[], measure.p));
        break;
      case 'mean':
        out.set(measure.name, n === 0 ? null : group.numbers[plan.slot]! / n);
        break;
      case 'ratio':
        break;
      default:
        out.set(measure.name, n === 0 ? null : group.numbers[plan.slot]!);
    }
  }
  for (const plan of accumulator.plans) {
    const measure = plan.measure;
    if (measure.op !== 'ratio') continue;
    const numerator = out.get(measure.numerator);
    const denominator = out.get(measure.denominator);
    out.set(
      measure.name,
      typeof numerator === 'number' && typeof denominator === 'number' && denominator !== 0
        ? numerator / denominator
        : null,
    );
  }
  return out;
}

/** Order of dimension values in cube rows (null first; mixed types by kind). @internal */
export function compareCubeValues(a: CubeValue, b: CubeValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  // Mixed types in one dimension: numbers before booleans before strings, stable across runs.
  const rank = (value: CubeValue): number =>
    typeof value === 'number' ? 0 : typeof value === 'boolean' ? 1 : 2;
  return rank(a) - rank(b);
}

/** A field in no row at all is a misspelt name, not an empty column. */
function checkFieldsSeen(accumulator: Accumulator): void {
  if (accumulator.row === 0) return;
  const known = Object.keys(accumulator.firstRow ?? {}).join(', ');
  accumulator.cube.dimensions.forEach((dimension, i) => {
    if (!accumulator.dimensionSeen[i]) {
      throw new OptionError(
        'cube',
        `dimensions[${i}]`,
        `'${dimension.name}' reads field '${dimension.field}', which is in no row (fields of the first row: ${known})`,
      );
    }
  });
  accumulator.cube.measures.forEach((measure, i) => {
    const field =
      measure.op === 'ratio' || (measure.op === 'count' && measure.field === null) ? null : measure.field;
    if (field !== null && !accumulator.measureSeen[i]) {
      throw new OptionError(
        'cube',
        `measures.${measure.name}`,
        `reads field '${field}', which is in no row (fields of the first row: ${known})`,
      );
    }
  });
}

function finish(accumulator: Accumulator): CubeResult {
  checkFieldsSeen(accumulator);
  const { dimensions, measures, groupingSets } = accumulator.cube;
  const d = dimensions.length;
  const finest = [...accumulator.groups.values()];
  // Sort dictionary codes by value so rows come out ordered without comparing values per row.
  const ranks = accumulator.values.map((values) => {
    const order = values.map((_, code) => code).sort((a, b) => compareCubeValues(values[a]!, values[b]!));
    const rank = new Int32Array(values.length);
    order.forEach((code, position) => {
      rank[code] = position;
    });
    return rank;
  });
  const rows: CubeRow[] = [];
  for (const mask of groupingSets) {
    let groups: Group[];
    if (mask === 0) groups = finest;
    else {
      const coarse = new Map<string, Group>();
      for (const group of finest) {
        const codes = new Int32Array(d);
        for (let i = 0; i < d; i++) codes[i] = mask & (1 << (d - 1 - i)) ? -1 : group.codes[i]!;
        const key = codes.join(',');
        let target = coarse.get(key);
        if (target === undefined) {
          target = newGroup(accumulator, codes);
          coarse.set(key, target);
        }
        mergeInto(accumulator, target, group);
      }
      groups = [...coarse.values()];
    }
    groups.sort((a, b) => {
      for (let i = 0; i < d; i++) {
        const ca = a.codes[i]!;
        const cb = b.codes[i]!;
        if (ca === cb) continue;
        if (ca < 0) return -1;
        if (cb < 0) return 1;
        return ranks[i]![ca]! - ranks[i]![cb]!;
      }
      return 0;
    });
    for (const group of groups) {
      const row: Record<string, CubeValue> = {};
      for (let i = 0; i < d; i++) {
        const code = group.codes[i]!;
        row[dimensions[i]!.name] = code < 0 ? null : accumulator.values[i]![code]!;
      }
      for (const [name, value] of measureValues(accumulator, group)) row[name] = value;
      row.grouping = mask;
      rows.push(row as CubeRow);
    }
  }
  return {
    dimensions: dimensions.map((dimension) => dimension.name),
    measures: measures.map((measure) => measure.name),
    groupingSets,
    rows,
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function addItem(accumulator: Accumulator, item: unknown): void {
  if (Array.isArray(item)) {
    for (const row of item) addItem(accumulator, row);
    return;
  }
  if (typeof item !== 'object' || item === null) {
    throw new DataError('cube', [
      { row: accumulator.row + 1, column: '(row)', reason: `must be an object, received ${String(item)}` },
    ]);
  }
  if (accumulator.firstRow === null) accumulator.firstRow = item;
  addRow(accumulator, item as CubeInput);
}

/**
 * Multi-dimensional roll-up (an OLAP cube) in one pass over the rows: measures for every
 * combination of dimension values, with subtotals as SQL `GROUP BY CUBE` / `ROLLUP` gives them —
 * the same rows, nulls in dimensions included (tested against DuckDB).
 *
 * Rows are plain objects (CDRs, bills, subscribers); time dimensions (`hour`, `weekday`, `day`,
 * `week`, `month`, `quarter`) are derived from `timeField`. Null/undefined measure fields are
 * skipped (SQL semantics: a sum of no values is `null`, `count` counts rows); a dimension or
 * measure field that is in no row at all is taken for a misspelt name and throws an OptionError.
 * Pass an async iterable (of rows, or of arrays of rows such as `readCallBatches` yields) to
 * aggregate a file or stream: the result is then a promise.
 *
 * @example
 * const result = cube(calls, {
 *   dimensions: ['month', 'region', 'service'],
 *   measures: { revenue: 'sum:charge', subscribers: 'countDistinct:subscriberId', arpu: 'ratio:revenue/subscribers' },
 * });
 * result.rows.find((row) => row.grouping === 7);
 * // => { month: null, region: null, service: null, revenue: 182340.5, subscribers: 2000, arpu: 91.17, grouping: 7 }
 */
export function cube(rows: Iterable<CubeInput | readonly CubeInput[]>, options: CubeOptions): CubeResult;
export function cube(
  rows: AsyncIterable<CubeInput | readonly CubeInput[]>,
  options: CubeOptions,
): Promise<CubeResult>;
export function cube(
  rows: Iterable<CubeInput | readonly CubeInput[]> | AsyncIterable<CubeInput | readonly CubeInput[]>,
  options: CubeOptions,
): CubeResult | Promise<CubeResult> {
  const accumulator = createAccumulator(resolveCubeOptions(options));
  if (isAsyncIterable(rows)) {
    return (async () => {
      for await (const item of rows) addItem(accumulator, item);
      return finish(accumulator);
    })();
  }
  if (rows === null || typeof rows !== 'object' || !(Symbol.iterator in rows)) {
    throw new DataError('cube', [
      {
        row: 0,
        column: '(input)',
        reason: 'rows must be an array, an iterable or an async iterable of objects',
      },
    ]);
  }
  if (Array.isArray(rows)) {
    for (let i = 0; i < rows.length; i++) addItem(accumulator, rows[i]);
  } else for (const item of rows) addItem(accumulator, item);
  return finish(accumulator);
}
