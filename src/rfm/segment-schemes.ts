import { OptionError } from '../data/errors.js';

/**
 * One segment of a scheme: the inclusive score ranges a customer's R, F and (optionally) M scores
 * must fall in. Schemes are read in order and the first matching rule wins.
 *
 * @example
 * const champions: SegmentRule = { name: 'Champions', r: [5, 5], f: [4, 5] };
 */
export interface SegmentRule {
  readonly name: string;
  /** Inclusive `[lowest, highest]` recency score. */
  readonly r: readonly [number, number];
  /** Inclusive `[lowest, highest]` frequency score. */
  readonly f: readonly [number, number];
  /**
   * Inclusive `[lowest, highest]` monetary score.
   * @defaultValue any monetary score
   */
  readonly m?: readonly [number, number] | undefined;
}

/**
 * The named segment schemes: `'default'` ({@link defaultSegments}) and `'rfmPackage'`
 * ({@link rfmPackageSegments}).
 *
 * @example
 * const preset: SegmentPreset = 'rfmPackage';
 */
export type SegmentPreset = 'default' | 'rfmPackage';

/**
 * The widely used ten segments over the 5 x 5 recency x frequency grid. They partition the grid
 * (every one of the 25 cells belongs to exactly one segment), so no customer is left unassigned:
 *
 * ```
 *        F=1             F=2                 F=3                 F=4        F=5
 * R=5    New             Potential Loyalist  Potential Loyalist  Champions  Champions
 * R=4    Promising       Potential Loyalist  Potential Loyalist  Loyal      Loyal
 * R=3    About to Sleep  About to Sleep      Need Attention      Loyal      Loyal
 * R=2    Hibernating     Hibernating         At Risk             At Risk    Can't Lose Them
 * R=1    Hibernating     Hibernating         At Risk             At Risk    Can't Lose Them
 * ```
 *
 * With `bins` other than 5, scores are mapped onto 1..5 (`1 + round((score - 1) * 4 / (bins - 1))`)
 * before this grid is read.
 *
 * @example
 * defaultSegments.map((rule) => rule.name).includes('Champions'); // => true
 */
export const defaultSegments: readonly SegmentRule[] = Object.freeze([
  { name: 'Champions', r: [5, 5], f: [4, 5] },
  { name: 'Loyal', r: [3, 4], f: [4, 5] },
  { name: 'Potential Loyalist', r: [4, 5], f: [2, 3] },
  { name: 'New', r: [5, 5], f: [1, 1] },
  { name: 'Promising', r: [4, 4], f: [1, 1] },
  { name: 'Need Attention', r: [3, 3], f: [3, 3] },
  { name: 'About to Sleep', r: [3, 3], f: [1, 2] },
  { name: 'At Risk', r: [1, 2], f: [3, 4] },
  { name: "Can't Lose Them", r: [1, 2], f: [5, 5] },
  { name: 'Hibernating', r: [1, 2], f: [1, 2] },
] satisfies SegmentRule[]);

/**
 * The segments of R's `rfm` package (`rfm_segment()` as documented in its reference and tested on
 * `rfm_data_orders`), first match wins; combinations none of them covers fall to the
 * `otherSegment` name (the package calls it `"Others"`). Use with `scoring: 'rfmPackage'` to
 * reproduce that package's results.
 *
 * @example
 * rfmPackageSegments[0]; // => { name: 'Champions', r: [4, 5], f: [4, 5], m: [4, 5] }
 */
export const rfmPackageSegments: readonly SegmentRule[] = Object.freeze([
  { name: 'Champions', r: [4, 5], f: [4, 5], m: [4, 5] },
  { name: 'Loyal Customers', r: [2, 5], f: [3, 5], m: [3, 5] },
  { name: 'Potential Loyalist', r: [3, 5], f: [1, 3], m: [1, 3] },
  { name: 'New Customers', r: [4, 5], f: [1, 1], m: [1, 1] },
  { name: 'Promising', r: [3, 4], f: [1, 1], m: [1, 1] },
  { name: 'Need Attention', r: [2, 3], f: [2, 3], m: [2, 3] },
  { name: 'About To Sleep', r: [2, 3], f: [1, 2], m: [1, 2] },
  { name: 'At Risk', r: [1, 2], f: [2, 5], m: [2, 5] },
  { name: "Can't Lose Them", r: [1, 1], f: [4, 5], m: [4, 5] },
  { name: 'Lost', r: [1, 2], f: [1, 2], m: [1, 2] },
] satisfies SegmentRule[]);

/** A scheme bound to a number of bins: segment names and a cell -> segment table. @internal */
export interface SegmentLookup {
  /** Segment names; the last one is the fallback for unmatched cells. */
  readonly names: readonly string[];
  /** Index `(r - 1) * bins^2 + (f - 1) * bins + (m - 1)` -> index into `names`. */
  readonly segmentOfCell: Uint16Array;
}

function checkRange(
  range: unknown,
  letter: string,
  position: number,
  name: string,
  bins: number,
  context: string,
): readonly [number, number] {
  const ok =
    Array.isArray(range) &&
    range.length === 2 &&
    Number.isInteger(range[0]) &&
    Number.isInteger(range[1]) &&
    range[0] >= 1 &&
    range[0] <= range[1] &&
    range[1] <= bins;
  if (!ok) {
    throw new OptionError(
      context,
      'segments',
      `rule ${position + 1} ('${name}'): ${letter} must be [lowest, highest] integer scores with 1 <= lowest <= highest <= ${bins}, received ${JSON.stringify(range)}`,
    );
  }
  return range as unknown as readonly [number, number];
}

/** Validates a scheme option and tabulates it over every score cell. @internal */
export function resolveSegments(
  option: SegmentPreset | readonly SegmentRule[] | undefined,
  otherSegment: string,
  bins: number,
  context: string,
): SegmentLookup {
  const chosen = option ?? 'default';
  let rules: readonly SegmentRule[];
  let gridBins = bins;
  if (chosen === 'default' || chosen === 'rfmPackage') {
    rules = chosen === 'default' ? defaultSegments : rfmPackageSegments;
    gridBins = 5;
  } else if (Array.isArray(chosen) && chosen.length > 0) {
    rules = chosen;
  } else {
    throw new OptionError(
      context,
      'segments',
      `must be 'default', 'rfmPackage' or a non-empty array of { name, r, f, m? } rules, received ${JSON.stringify(chosen)}`,
    );
  }
  const checked = rules.map((rule, position) => {
    if (typeof rule !== 'object' || rule === null || typeof rule.name !== 'string' || rule.name === '') {
      throw new OptionError(context, 'segments', `rule ${position + 1} must have a non-empty string name`);
    }
    return {
      r: checkRange(rule.r, 'r', position, rule.name, gridBins, context),
      f: checkRange(rule.f, 'f', position, rule.name, gridBins, context),
      m:
        rule.m === undefined
          ? ([1, gridBins] as const)
          : checkRange(rule.m, 'm', position, rule.name, gridBins, context),
    };
  });
  const names = [...rules.map((rule) => rule.name), otherSegment];
  // Presets are written for 5 bins; other bin counts are mapped onto 1..5 keeping both ends.
  const onGrid = (score: number): number =>
    gridBins === bins ? score : 1 + Math.round(((score - 1) * (gridBins - 1)) / (bins - 1));
  const segmentOfCell = new Uint16Array(bins * bins * bins);
  for (let r = 1; r <= bins; r++) {
    for (let f = 1; f <= bins; f++) {
      for (let m = 1; m <= bins; m++) {
        const [gr, gf, gm] = [onGrid(r), onGrid(f), onGrid(m)];
        let found = checked.findIndex(
          (rule) =>
            gr >= rule.r[0] &&
            gr <= rule.r[1] &&
            gf >= rule.f[0] &&
            gf <= rule.f[1] &&
            gm >= rule.m[0] &&
            gm <= rule.m[1],
        );
        if (found < 0) found = rules.length;
        segmentOfCell[(r - 1) * bins * bins + (f - 1) * bins + (m - 1)] = found;
      }
    }
  }
  return { names, segmentOfCell };
}
