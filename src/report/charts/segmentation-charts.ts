import type { KEvaluation, SegmentProfile } from '../../segmentation/index.js';
import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { chartFrame } from './chart-frame.js';

/**
 * Choosing k: inertia (elbow) and silhouette by k, side by side on a shared k axis.
 *
 * @example
 * kSelectionChart(evaluateK(matrix, { kMin: 2, kMax: 8, seed: 42 }));
 */
export function kSelectionChart(evaluations: readonly KEvaluation[]): VegaLiteSpec {
  const values = evaluations.map(({ k, inertia, silhouette }) => ({ k, inertia, silhouette }));
  const panel = (field: 'inertia' | 'silhouette', color: string) => ({
    width: 200,
    height: 200,
    mark: { type: 'line', point: true, color },
    encoding: {
      x: { field: 'k', type: 'ordinal', title: 'k' },
      y: { field, type: 'quantitative', title: field, scale: { zero: false } },
    },
  });
  const { width: _width, height: _height, ...frame } = chartFrame('Choosing k: inertia and silhouette', {});
  return {
    ...frame,
    data: { values },
    hconcat: [panel('inertia', '#1f5fa8'), panel('silhouette', '#c2410c')],
  };
}

/**
 * Segment profiles as a heat map of z-scores (segment mean against the population, in population
 * standard deviations), one row per segment, one column per feature.
 *
 * @example
 * segmentProfileChart(profileSegments(rows, result.labels, { features }));
 */
export function segmentProfileChart(profiles: readonly SegmentProfile[]): VegaLiteSpec {
  const values = profiles.flatMap((profile) =>
    profile.features.map((feature) => ({
      segment: `${profile.segment}: ${profile.description}`,
      feature: feature.feature,
      zScore: Number(feature.zScore.toFixed(3)),
    })),
  );
  return chartFrame(
    'Segment profiles (z-score against all subscribers)',
    {
      data: { values },
      mark: 'rect',
      encoding: {
        x: { field: 'feature', type: 'nominal', title: null, axis: { labelAngle: -40 } },
        y: { field: 'segment', type: 'nominal', title: null },
        color: {
          field: 'zScore',
          type: 'quantitative',
          scale: { scheme: 'redblue', domainMid: 0, reverse: true },
        },
        tooltip: [{ field: 'segment' }, { field: 'feature' }, { field: 'zScore', type: 'quantitative' }],
      },
    },
    520,
    Math.max(120, 34 * profiles.length),
  );
}
