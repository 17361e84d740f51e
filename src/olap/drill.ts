import { OptionError } from '../data/errors.js';
import type { CubeResult, CubeRow, CubeValue } from './cube.js';

function bitOf(result: CubeResult, name: string, context: string, option: string): number {
  const index = result.dimensions.indexOf(name);
  if (index < 0)
    throw new OptionError(
      context,
      option,
      `'${name}' is not a dimension of the cube; dimensions: ${result.dimensions.join(', ')}`,
    );
  return 1 << (result.dimensions.length - 1 - index);
}

/**
 * The rows of a cube result where the given dimensions have the given values (at every level
 * that keeps those dimensions; `null` selects real nulls, not subtotals).
 *
 * @example
 * slice(result, { region: 'North' }).rows; // every North row: by month, by service, ..., the North total
 */
export function slice(result: CubeResult, filter: Readonly<Record<string, CubeValue>>): CubeResult {
  const conditions = Object.entries(filter).map(([name, value]) => ({
    name,
    value,
    bit: bitOf(result, name, 'slice', name),
  }));
  const rows = result.rows.filter((row) =>
    conditions.every(({ name, value, bit }) => (row.grouping & bit) === 0 && row[name] === value),
  );
  return { ...result, rows };
}

/**
 * Drill-down: the rows one level below `path` along `dimension` — `path` dimensions fixed to their
 * values, `dimension` broken out, every other dimension rolled up. Walk a hierarchy by adding the
 * chosen value to `path` and drilling into the next level (region → cell, month → day).
 *
 * @example
 * drillDown(result, { region: 'North' }, 'cellId').rows;
 * // => [{ region: 'North', cellId: 'NTH-000', month: null, revenue: 812.5, grouping: 1 }, ...]
 */
export function drillDown(
  result: CubeResult,
  path: Readonly<Record<string, CubeValue>>,
  dimension: string,
): CubeResult {
  const target = bitOf(result, dimension, 'drillDown', 'dimension');
  let kept = target;
  for (const name of Object.keys(path)) {
    const bit = bitOf(result, name, 'drillDown', `path.${name}`);
    if (bit === target)
      throw new OptionError('drillDown', 'dimension', `'${dimension}' is already fixed in the path`);
    kept |= bit;
  }
  const all = (1 << result.dimensions.length) - 1;
  const mask = all & ~kept;
  if (!result.groupingSets.includes(mask)) {
    throw new OptionError(
      'drillDown',
      'dimension',
      `the cube has no level with exactly ${[...Object.keys(path), dimension].join(', ')} broken out; build it with grouping 'cube' or a hierarchy that holds this path`,
    );
  }
  const rows: CubeRow[] = result.rows.filter(
    (row) => row.grouping === mask && Object.entries(path).every(([name, value]) => row[name] === value),
  );
  return { ...result, groupingSets: [mask], rows };
}
