import { OptionError } from '../data/errors.js';
import type { KEvaluation } from './evaluate-k.js';
import { withDefault } from './option-checks.js';

/** Options of {@link suggestK}. */
export interface SuggestKOptions {
  /**
   * A knee is reported only when the inertia drop into it is at least this many times the drop out of
   * it. Smooth curves stay below: uniform noise in 1 to 8 dimensions scores 1.5 to 3.9 (a
   * square splits neatly in four), well-separated groups 8 to over 100. @defaultValue 5
   */
  readonly minimumSharpness?: number | undefined;
}

/** What {@link suggestK} recommends, and why. */
export interface KSuggestion {
  /** The knee of the inertia curve, or `null` when the curve bends smoothly (no knee). */
  readonly knee: number | null;
  /** Drop of inertia into the knee candidate over the drop out of it. */
  readonly kneeSharpness: number;
  /** The k with the highest silhouette. */
  readonly bestSilhouette: number;
  readonly bestSilhouetteValue: number;
  /** The knee when the two criteria agree or there is no silhouette winner; else the best silhouette. */
  readonly suggested: number;
  /** One sentence saying what was found. */
  readonly explanation: string;
}

/**
 * Reads an {@link evaluateK} table: the knee of the inertia curve (the point farthest below the chord
 * from the first to the last k, kept only when the bend is sharp) and the best silhouette. When the
 * curve has no clear knee it says so rather than inventing one.
 *
 * @example
 * const suggestion = suggestK(evaluateK(features, { kMax: 8 }));
 * suggestion.explanation; // => 'knee of the inertia curve at k = 5 (sharpness 6.1); best silhouette 0.41 at k = 5'
 */
export function suggestK(evaluations: readonly KEvaluation[], options: SuggestKOptions = {}): KSuggestion {
  const context = 'suggestK';
  const minimumSharpness = withDefault(options.minimumSharpness, 5);
  if (!(minimumSharpness >= 1) || !Number.isFinite(minimumSharpness)) {
    throw new OptionError(
      context,
      'minimumSharpness',
      `must be a finite number >= 1, received ${minimumSharpness}`,
    );
  }
  const sorted = [...evaluations].sort((a, b) => a.k - b.k);
  if (sorted.length === 0)
    throw new OptionError(context, 'evaluations', 'must hold at least one k (run evaluateK first)');
  let bestSilhouette = sorted[0]!.k;
  let bestSilhouetteValue = Number.NEGATIVE_INFINITY;
  for (const row of sorted) {
    if (row.silhouette > bestSilhouetteValue) {
      bestSilhouetteValue = row.silhouette;
      bestSilhouette = row.k;
    }
  }
  let knee: number | null = null;
  let kneeSharpness = 0;
  let reason: string;
  if (sorted.length < 3) {
    reason = `no knee: ${sorted.length} values of k are too few to show a bend (try kMax - kMin >= 2)`;
  } else {
    const first = sorted[0]!;
    const last = sorted[sorted.length - 1]!;
    const span = first.inertia - last.inertia;
    let candidate = -1;
    let farthest = 0;
    if (span > 0) {
      for (let i = 1; i < sorted.length - 1; i++) {
        const row = sorted[i]!;
        const x = (row.k - first.k) / (last.k - first.k);
        const y = (row.inertia - last.inertia) / span;
        // The chord runs from (0, 1) to (1, 0); below it means an early, steep fall.
        const below = 1 - x - y;
        if (below > farthest) {
          farthest = below;
          candidate = i;
        }
      }
    }
    if (candidate < 0) {
      reason = 'no knee: the inertia curve does not bend below its chord';
    } else {
      const row = sorted[candidate]!;
      const before = sorted[candidate - 1]!;
      const after = sorted[candidate + 1]!;
      const dropIn = (before.inertia - row.inertia) / (row.k - before.k);
      const dropOut = (row.inertia - after.inertia) / (after.k - row.k);
      kneeSharpness = dropOut > 0 ? dropIn / dropOut : Number.POSITIVE_INFINITY;
      if (kneeSharpness >= minimumSharpness) {
        knee = row.k;
        reason = `knee of the inertia curve at k = ${row.k} (sharpness ${formatNumber(kneeSharpness)})`;
      } else {
        reason = `no knee: the inertia curve bends smoothly (sharpest bend at k = ${row.k}, sharpness ${formatNumber(kneeSharpness)} < ${minimumSharpness})`;
      }
    }
  }
  const silhouetteText = Number.isFinite(bestSilhouetteValue)
    ? `best silhouette ${bestSilhouetteValue.toFixed(2)} at k = ${bestSilhouette}`
    : 'no silhouette could be computed';
  const suggested =
    knee !== null && (knee === bestSilhouette || !Number.isFinite(bestSilhouetteValue))
      ? knee
      : bestSilhouette;
  return {
    knee,
    kneeSharpness,
    bestSilhouette,
    bestSilhouetteValue,
    suggested,
    explanation: `${reason}; ${silhouetteText}`,
  };
}

function formatNumber(value: number): string {
  return Number.isFinite(value) ? value.toFixed(1) : 'infinite';
}
