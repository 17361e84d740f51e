import type { PromotionOptimization, PromotionSimulation } from '../../simulation/index.js';
import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { chartFrame } from './chart-frame.js';

/**
 * Baseline and promoted revenue per cycle, with the 90% Monte-Carlo interval of each.
 *
 * @example
 * promotionRevenueChart(simulatePromotion({ calls, subscribers, plans, promotion, period: '2024-06' }));
 */
export function promotionRevenueChart(simulation: PromotionSimulation): VegaLiteSpec {
  const values = simulation.perCycle.flatMap((cycle) => [
    {
      cycle: cycle.cycle,
      scenario: 'baseline',
      mean: cycle.baseline.mean / 100,
      low: cycle.baseline.low / 100,
      high: cycle.baseline.high / 100,
    },
    {
      cycle: cycle.cycle,
      scenario: 'promoted',
      mean: cycle.promoted.mean / 100,
      low: cycle.promoted.low / 100,
      high: cycle.promoted.high / 100,
    },
  ]);
  return chartFrame('Revenue per cycle, baseline vs promoted (90% interval)', {
    data: { values },
    layer: [
      {
        mark: { type: 'errorband', opacity: 0.25 },
        encoding: {
          x: { field: 'cycle', type: 'ordinal' },
          y: { field: 'low', type: 'quantitative', title: 'revenue', scale: { zero: false } },
          y2: { field: 'high' },
          color: { field: 'scenario', type: 'nominal' },
        },
      },
      {
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'cycle', type: 'ordinal' },
          y: { field: 'mean', type: 'quantitative' },
          color: { field: 'scenario', type: 'nominal' },
        },
      },
    ],
  });
}

/**
 * The net effect split into dilution (discount to customers who would have paid anyway), uplift
 * (extra usage) and retention (revenue kept from churners who stayed), as a waterfall.
 *
 * @example
 * promotionEffectsChart(simulation);
 */
export function promotionEffectsChart(simulation: PromotionSimulation): VegaLiteSpec {
  const steps = [
    ['dilution', simulation.effects.dilution.mean],
    ['uplift', simulation.effects.uplift.mean],
    ['retention', simulation.effects.retention.mean],
  ] as const;
  let running = 0;
  const values: { step: string; start: number; end: number; kind: string }[] = [];
  for (const [step, cents] of steps) {
    const amount = cents / 100;
    values.push({ step, start: running, end: running + amount, kind: amount < 0 ? 'loss' : 'gain' });
    running += amount;
  }
  values.push({ step: 'net', start: 0, end: running, kind: running < 0 ? 'net loss' : 'net gain' });
  return chartFrame(
    'Net effect: dilution, uplift, retention',
    {
      data: { values },
      mark: 'bar',
      encoding: {
        x: { field: 'step', type: 'nominal', sort: null, title: null },
        y: { field: 'start', type: 'quantitative', title: 'revenue change' },
        y2: { field: 'end' },
        color: {
          field: 'kind',
          type: 'nominal',
          scale: {
            domain: ['loss', 'gain', 'net loss', 'net gain'],
            range: ['#c2410c', '#15803d', '#9a3412', '#1f5fa8'],
          },
        },
      },
    },
    320,
    240,
  );
}

/**
 * The optimisation frontier: each candidate's expected net revenue with its 90% interval,
 * candidates whose interval includes a loss marked.
 *
 * @example
 * optimizationFrontierChart(optimizePromotion({ ...input, grid }));
 */
export function optimizationFrontierChart(optimisation: PromotionOptimization): VegaLiteSpec {
  const values = optimisation.candidates.map((candidate) => ({
    candidate: Object.entries(candidate.parameters)
      .map(([path, value]) => `${path.split('.').at(-1)}=${String(value)}`)
      .join(', '),
    mean: candidate.net.mean / 100,
    low: candidate.net.low / 100,
    high: candidate.net.high / 100,
    'loss possible': candidate.lossPossible,
  }));
  return chartFrame('Promotion candidates: expected net revenue (90% interval)', {
    data: { values },
    layer: [
      {
        mark: { type: 'rule', color: '#9aa3b2' },
        encoding: {
          y: { field: 'candidate', type: 'nominal', sort: null, title: null },
          x: { field: 'low', type: 'quantitative', title: 'net revenue change' },
          x2: { field: 'high' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          y: { field: 'candidate', type: 'nominal', sort: null },
          x: { field: 'mean', type: 'quantitative' },
          color: {
            field: 'loss possible',
            type: 'nominal',
            scale: { domain: [false, true], range: ['#1f5fa8', '#c2410c'] },
          },
        },
      },
    ],
  });
}

/** @deprecated Renamed {@link optimizationFrontierChart} (identifiers use American spelling); this alias goes in 1.0. */
export const optimisationFrontierChart = optimizationFrontierChart;
