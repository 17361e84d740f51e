import type { ParetoResult, RfmResult } from '../../rfm/index.js';
import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { chartFrame } from './chart-frame.js';

/**
 * RFM segments: share of customers beside share of revenue, per segment.
 *
 * @example
 * rfmSegmentChart(rfm(payments));
 */
export function rfmSegmentChart(result: RfmResult): VegaLiteSpec {
  const values = result.segments.flatMap((row) => [
    { segment: row.segment, measure: 'customers', share: row.customerShare },
    { segment: row.segment, measure: 'revenue', share: row.revenueShare },
  ]);
  return chartFrame(
    'RFM segments: share of customers and of revenue',
    {
      data: { values },
      mark: 'bar',
      encoding: {
        y: { field: 'segment', type: 'nominal', title: null, sort: null },
        x: { field: 'share', type: 'quantitative', axis: { format: '%' } },
        yOffset: { field: 'measure' },
        color: { field: 'measure', type: 'nominal', scale: { range: ['#9aa3b2', '#1f5fa8'] } },
      },
    },
    420,
    300,
  );
}

/**
 * The R x F grid: customers per cell, coloured by their mean monetary value.
 *
 * @example
 * rfmHeatmapChart(rfm(payments));
 */
export function rfmHeatmapChart(result: RfmResult): VegaLiteSpec {
  const cells = new Map<string, { r: number; f: number; customers: number; monetary: number }>();
  for (const row of result.customers) {
    const key = `${row.r}|${row.f}`;
    const cell = cells.get(key) ?? { r: row.r, f: row.f, customers: 0, monetary: 0 };
    cell.customers += 1;
    cell.monetary += row.monetary;
    cells.set(key, cell);
  }
  const values = [...cells.values()].map((cell) => ({
    r: cell.r,
    f: cell.f,
    customers: cell.customers,
    meanMonetary: Math.round((cell.monetary / cell.customers) * 100) / 100,
  }));
  return chartFrame(
    'R x F grid: customers and mean monetary value',
    {
      data: { values },
      layer: [
        {
          mark: 'rect',
          encoding: {
            x: { field: 'f', type: 'ordinal', title: 'frequency score' },
            y: { field: 'r', type: 'ordinal', title: 'recency score', sort: 'descending' },
            color: {
              field: 'meanMonetary',
              type: 'quantitative',
              title: 'mean monetary',
              scale: { scheme: 'blues' },
            },
          },
        },
        {
          mark: { type: 'text', fontSize: 11 },
          encoding: {
            x: { field: 'f', type: 'ordinal' },
            y: { field: 'r', type: 'ordinal', sort: 'descending' },
            text: { field: 'customers', type: 'quantitative' },
          },
        },
      ],
    },
    300,
    300,
  );
}

/**
 * The Lorenz curve of revenue (share of revenue held by the poorest share of customers), with the
 * line of equality and the Gini coefficient in the title.
 *
 * @example
 * lorenzChart(pareto(rfm(payments).customers));
 */
export function lorenzChart(view: ParetoResult): VegaLiteSpec {
  return chartFrame(
    `Lorenz curve of revenue (Gini ${view.gini.toFixed(3)}; top ${Math.round(view.top * 100)}% hold ${Math.round(view.topShare * 100)}%)`,
    {
      layer: [
        {
          data: { values: view.lorenz.map(({ population, share }) => ({ population, share })) },
          mark: { type: 'area', line: true, opacity: 0.3, color: '#1f5fa8' },
          encoding: {
            x: {
              field: 'population',
              type: 'quantitative',
              title: 'share of customers',
              axis: { format: '%' },
            },
            y: { field: 'share', type: 'quantitative', title: 'share of revenue', axis: { format: '%' } },
          },
        },
        {
          data: {
            values: [
              { population: 0, share: 0 },
              { population: 1, share: 1 },
            ],
          },
          mark: { type: 'line', strokeDash: [4, 4], color: '#9aa3b2' },
          encoding: {
            x: { field: 'population', type: 'quantitative' },
            y: { field: 'share', type: 'quantitative' },
          },
        },
      ],
    },
    300,
    300,
  );
}
