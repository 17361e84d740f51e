/**
 * OLAP roll-ups: multi-dimensional cubes over CDRs or any records, with CUBE/ROLLUP subtotals,
 * derived time dimensions, ratio measures, hierarchies, drill-down and slices.
 *
 * @packageDocumentation
 */

export type { CubeInput, CubeResult, CubeRow, CubeValue } from './cube.js';
export { cube } from './cube.js';
export type { CubeGrouping, CubeOptions, DimensionSpec, MeasureSpec, TimePart } from './cube-options.js';
export { timeParts } from './cube-options.js';
export { drillDown, slice } from './drill.js';
