import { OptionError } from '../data/errors.js';

/** Parts of a timestamp a dimension can be derived from. */
export const timeParts = ['hour', 'weekday', 'day', 'week', 'month', 'quarter'] as const;
/**
 * A time part: `hour` (0-23, UTC), `weekday` (ISO 1 = Monday .. 7 = Sunday), `day` (`YYYY-MM-DD`),
 * `week` (the Monday starting the ISO week, `YYYY-MM-DD`), `month` (`YYYY-MM`), `quarter` (`YYYY-Qn`).
 */
export type TimePart = (typeof timeParts)[number];

/**
 * A dimension: a field name (`'region'`), a time part name (`'month'`: derived from `timeField`),
 * or `{ name, field?, time? }` (for example `{ name: 'callHour', field: 'start', time: 'hour' }`).
 */
export type DimensionSpec =
  | string
  | { readonly name: string; readonly field?: string | undefined; readonly time?: TimePart | undefined };

/** An aggregate over one field (or rows, for `count` without a field). */
export type MeasureSpec =
  | string
  | { readonly op: 'sum' | 'mean' | 'min' | 'max' | 'countDistinct'; readonly field: string }
  | { readonly op: 'count'; readonly field?: string | undefined }
  | { readonly op: 'quantile'; readonly field: string; readonly p: number }
  | { readonly op: 'ratio'; readonly numerator: string; readonly denominator: string };

/** How subtotals are formed. */
export type CubeGrouping = 'cube' | 'rollup' | 'none';

/** Options of {@link cube}. */
export interface CubeOptions {
  /** Dimensions, in order (the order of `rollup` and of the `grouping` bits). Required. */
  readonly dimensions: readonly DimensionSpec[];
  /**
   * Measures by output name. Strings: `'count'`, `'count:field'` (non-null values),
   * `'sum:field'`, `'mean:field'`, `'min:field'`, `'max:field'`, `'countDistinct:field'` (exact),
   * `'quantile:field:0.9'` (linear interpolation, like DuckDB `quantile_cont`), and
   * `'ratio:numerator/denominator'` over two other measures, re-derived at every level (ARPU =
   * `ratio:revenue/subscribers`). Required.
   */
  readonly measures: Readonly<Record<string, MeasureSpec>>;
  /**
   * `'cube'`: every combination of dimensions (SQL `GROUP BY CUBE`); `'rollup'`: prefixes of the
   * dimension list (`GROUP BY ROLLUP`); `'none'`: no subtotals. @defaultValue 'cube'
   */
  readonly grouping?: CubeGrouping | undefined;
  /**
   * Dimension hierarchies such as `[['region', 'cellId'], ['month', 'day']]`: under `'cube'`, a
   * level only appears with its parents (SQL `GROUP BY ROLLUP(region, cellId), ROLLUP(month, day)`).
   * Dimensions in no hierarchy vary freely. @defaultValue []
   */
  readonly hierarchies?: readonly (readonly string[])[] | undefined;
  /** The timestamp field time-part dimensions are derived from. @defaultValue 'start' */
  readonly timeField?: string | undefined;
}

/** A resolved dimension. Internal. */
export interface Dimension {
  readonly name: string;
  readonly field: string;
  readonly time: TimePart | null;
}

/** A resolved measure. Internal. */
export type Measure =
  | {
      readonly name: string;
      readonly op: 'sum' | 'mean' | 'min' | 'max' | 'countDistinct';
      readonly field: string;
    }
  | { readonly name: string; readonly op: 'count'; readonly field: string | null }
  | { readonly name: string; readonly op: 'quantile'; readonly field: string; readonly p: number }
  | { readonly name: string; readonly op: 'ratio'; readonly numerator: string; readonly denominator: string };

const fieldOps = ['sum', 'mean', 'min', 'max', 'countDistinct', 'count', 'quantile', 'ratio'];

/** Resolved options. Internal. */
export interface ResolvedCube {
  readonly dimensions: readonly Dimension[];
  readonly measures: readonly Measure[];
  /** Grouping sets as bitmasks in DuckDB's GROUPING() convention (bit set = rolled up), finest first. */
  readonly groupingSets: readonly number[];
}

function resolveDimension(spec: DimensionSpec, index: number, timeField: string): Dimension {
  const where = `dimensions[${index}]`;
  if (typeof spec === 'string') {
    if (spec.length === 0) throw new OptionError('cube', where, 'must be a non-empty name');
    const time = (timeParts as readonly string[]).includes(spec) ? (spec as TimePart) : null;
    return { name: spec, field: time === null ? spec : timeField, time };
  }
  if (typeof spec !== 'object' || spec === null || typeof spec.name !== 'string' || spec.name.length === 0) {
    throw new OptionError('cube', where, 'must be a field name or { name, field?, time? }');
  }
  if (spec.time !== undefined && !(timeParts as readonly string[]).includes(spec.time)) {
    throw new OptionError(
      'cube',
      `${where}.time`,
      `is '${String(spec.time)}'; use one of ${timeParts.join(', ')}`,
    );
  }
  const time = spec.time ?? null;
  return { name: spec.name, field: spec.field ?? (time === null ? spec.name : timeField), time };
}

function resolveMeasure(name: string, spec: MeasureSpec): Measure {
  const where = `measures.${name}`;
  if (typeof spec === 'string') {
    const [op = '', field, extra, ...rest] = spec.split(':');
    if (!fieldOps.includes(op) || rest.length > 0) {
      throw new OptionError(
        'cube',
        where,
        `is '${spec}'; use count, count:field, sum:field, mean:field, min:field, max:field, countDistinct:field, quantile:field:p or ratio:a/b`,
      );
    }
    if (op === 'count') {
      if (extra !== undefined)
        throw new OptionError('cube', where, `is '${spec}'; count takes at most a field`);
      return { name, op, field: field === undefined || field === '' ? null : field };
    }
    if (op === 'ratio') {
      const parts = (field ?? '').split('/');
      if (parts.length !== 2 || !parts[0] || !parts[1] || extra !== undefined) {
        throw new OptionError(
          'cube',
          where,
          `is '${spec}'; a ratio is 'ratio:numerator/denominator' over two measure names`,
        );
      }
      return { name, op, numerator: parts[0], denominator: parts[1] };
    }
    if (field === undefined || field === '')
      throw new OptionError('cube', where, `is '${spec}'; ${op} needs a field, as in '${op}:charge'`);
    if (op === 'quantile')
      return resolveMeasure(name, { op, field, p: extra === undefined ? Number.NaN : Number(extra) });
    if (extra !== undefined) throw new OptionError('cube', where, `is '${spec}'; ${op} takes one field`);
    return { name, op: op as 'sum', field };
  }
  if (typeof spec !== 'object' || spec === null || !fieldOps.includes((spec as { op: string }).op)) {
    throw new OptionError(
      'cube',
      where,
      `has unknown op ${JSON.stringify((spec as { op?: unknown } | null)?.op)}; use ${fieldOps.join(', ')}`,
    );
  }
  if (spec.op === 'ratio') {
    if (typeof spec.numerator !== 'string' || typeof spec.denominator !== 'string') {
      throw new OptionError('cube', where, 'a ratio needs numerator and denominator measure names');
    }
    return { name, op: 'ratio', numerator: spec.numerator, denominator: spec.denominator };
  }
  if (spec.op === 'count') {
    if (spec.field !== undefined && typeof spec.field !== 'string')
      throw new OptionError('cube', `${where}.field`, 'must be a string');
    return { name, op: 'count', field: spec.field ?? null };
  }
  if (typeof spec.field !== 'string' || spec.field.length === 0)
    throw new OptionError('cube', `${where}.field`, 'must be a field name');
  if (spec.op === 'quantile') {
    if (!(typeof spec.p === 'number' && spec.p >= 0 && spec.p <= 1)) {
      throw new OptionError(
        'cube',
        `${where}.p`,
        `must be a probability in 0..1, received ${String(spec.p)}`,
      );
    }
    return { name, op: 'quantile', field: spec.field, p: spec.p };
  }
  return { name, op: spec.op, field: spec.field };
}

/** Grouping sets, finest first, as GROUPING() bitmasks. */
function groupingSets(
  dimensions: readonly Dimension[],
  grouping: CubeGrouping,
  hierarchies: readonly (readonly string[])[],
): number[] {
  const d = dimensions.length;
  const bit = (index: number): number => 1 << (d - 1 - index);
  if (grouping === 'none') return [0];
  if (grouping === 'rollup') {
    const sets: number[] = [];
    for (let kept = d; kept >= 0; kept--) {
      let mask = 0;
      for (let i = kept; i < d; i++) mask |= bit(i);
      sets.push(mask);
    }
    return sets;
  }
  const names = dimensions.map((dimension) => dimension.name);
  const chains: number[][] = [];
  const placed = new Set<string>();
  hierarchies.forEach((hierarchy, h) => {
    if (!Array.isArray(hierarchy) || hierarchy.length === 0)
      throw new OptionError('cube', `hierarchies[${h}]`, 'must be a non-empty array of dimension names');
    chains.push(
      hierarchy.map((name, level) => {
        const index = names.indexOf(name);
        if (index < 0)
          throw new OptionError(
            'cube',
            `hierarchies[${h}][${level}]`,
            `'${name}' is not a dimension; dimensions: ${names.join(', ')}`,
          );
        if (placed.has(name))
          throw new OptionError('cube', `hierarchies[${h}][${level}]`, `'${name}' is in two hierarchies`);
        placed.add(name);
        return index;
      }),
    );
  });
  names.forEach((name, index) => {
    if (!placed.has(name)) chains.push([index]);
  });
  // Product of each chain's prefixes (a chain of length L contributes L + 1 choices).
  let sets = [0];
  const all = (1 << d) - 1;
  for (const chain of chains) {
    const next: number[] = [];
    for (const mask of sets) {
      for (let kept = chain.length; kept >= 0; kept--) {
        let rolled = mask;
        for (let level = kept; level < chain.length; level++) rolled |= bit(chain[level]!);
        next.push(rolled);
      }
    }
    sets = next;
  }
  return [...new Set(sets)].filter((mask) => mask <= all).sort((a, b) => a - b);
}

/** Checks and resolves the options of {@link cube}. */
export function resolveCubeOptions(options: CubeOptions): ResolvedCube {
  if (options === undefined || options === null || typeof options !== 'object') {
    throw new OptionError('cube', 'options', 'are required: { dimensions, measures }');
  }
  if (!Array.isArray(options.dimensions)) throw new OptionError('cube', 'dimensions', 'must be an array');
  if (options.dimensions.length > 20)
    throw new OptionError(
      'cube',
      'dimensions',
      `allows at most 20 dimensions, received ${options.dimensions.length}`,
    );
  const timeField = options.timeField ?? 'start';
  const dimensions = options.dimensions.map((spec, index) => resolveDimension(spec, index, timeField));
  const seen = new Set<string>();
  for (const dimension of dimensions) {
    if (seen.has(dimension.name))
      throw new OptionError('cube', 'dimensions', `has '${dimension.name}' twice`);
    if (dimension.name === 'grouping')
      throw new OptionError('cube', 'dimensions', "cannot use the name 'grouping' (the subtotal marker)");
    seen.add(dimension.name);
  }
  if (
    typeof options.measures !== 'object' ||
    options.measures === null ||
    Object.keys(options.measures).length === 0
  ) {
    throw new OptionError('cube', 'measures', 'must name at least one measure, as in { calls: "count" }');
  }
  const measures = Object.entries(options.measures).map(([name, spec]) => {
    if (seen.has(name) || name === 'grouping')
      throw new OptionError('cube', `measures.${name}`, 'clashes with a dimension name or grouping');
    return resolveMeasure(name, spec);
  });
  const measureNames = measures.map((measure) => measure.name);
  for (const measure of measures) {
    if (measure.op !== 'ratio') continue;
    for (const part of [measure.numerator, measure.denominator]) {
      const target = measures.find((candidate) => candidate.name === part);
      if (target === undefined)
        throw new OptionError(
          'cube',
          `measures.${measure.name}`,
          `refers to unknown measure '${part}'; measures: ${measureNames.join(', ')}`,
        );
      if (target.op === 'ratio')
        throw new OptionError('cube', `measures.${measure.name}`, `refers to another ratio '${part}'`);
    }
  }
  const grouping = options.grouping ?? 'cube';
  if (grouping !== 'cube' && grouping !== 'rollup' && grouping !== 'none') {
    throw new OptionError('cube', 'grouping', `is '${String(grouping)}'; use 'cube', 'rollup' or 'none'`);
  }
  const hierarchies = options.hierarchies ?? [];
  if (!Array.isArray(hierarchies))
    throw new OptionError('cube', 'hierarchies', 'must be an array of arrays of dimension names');
  if (hierarchies.length > 0 && grouping !== 'cube') {
    throw new OptionError(
      'cube',
      'hierarchies',
      `apply to grouping 'cube' only (rollup follows the dimension order), received grouping '${grouping}'`,
    );
  }
  return { dimensions, measures, groupingSets: groupingSets(dimensions, grouping, hierarchies) };
}
