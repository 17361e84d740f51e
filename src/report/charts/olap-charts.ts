import type { CubeResult } from '../../olap/index.js';
import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { chartFrame } from './chart-frame.js';

/**
 * A trend from a cube: one measure over a time dimension, one line per value of a second
 * dimension, read from the cube's (time, series) grouping set.
 *
 * @example
 * olapTrendChart(cube(calls, { dimensions: ['month', 'service'], measures: { revenue: 'sum:charge' } }), 'month', 'service', 'revenue');
 */
export function olapTrendChart(
  result: CubeResult,
  time: string,
  series: string,
  measure: string,
): VegaLiteSpec {
  const timeBit = result.dimensions.length - 1 - result.dimensions.indexOf(time);
  const seriesBit = result.dimensions.length - 1 - result.dimensions.indexOf(series);
  const values = result.rows
    .filter((row) => (row.grouping & (1 << timeBit)) === 0 && (row.grouping & (1 << seriesBit)) === 0)
    .filter((row) =>
      result.dimensions.every((dimension, index) => {
        const bit = result.dimensions.length - 1 - index;
        return dimension === time || dimension === series || (row.grouping & (1 << bit)) !== 0;
      }),
    )
    .map((row) => ({ [time]: row[time], [series]: row[series], [measure]: row[measure] }));
  return chartFrame(`${measure} by ${time} and ${series}`, {
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: time, type: 'ordinal' },
      y: { field: measure, type: 'quantitative' },
      color: { field: series, type: 'nominal' },
    },
  });
}
