import { OptionError } from '../data/errors.js';
import type { ChurnModel } from './churn-model.js';
import { explainChurn } from './explain-churn.js';
import type { FeatureRow } from './feature-row.js';

/** A risk band. */
export type RiskBand = 'high' | 'medium' | 'low';

/** Options of {@link churnRiskList}. */
export interface ChurnRiskListOptions {
  /** Keep only the `top` highest risks. @defaultValue every subscriber */
  readonly top?: number;
  /**
   * Lower probability bounds of the bands: `high` from `bands.high`, `medium` from `bands.medium`,
   * `low` below. @defaultValue `{ high: 0.5, medium: 0.2 }`
   */
  readonly bands?: { readonly high: number; readonly medium: number };
  /** The column identifying a subscriber. @defaultValue 'subscriberId' */
  readonly idColumn?: string;
}

/** One line of the early-warning list. */
export interface ChurnRisk {
  readonly rank: number;
  readonly subscriberId: string;
  readonly probability: number;
  readonly band: RiskBand;
  /** Up to three reasons that push this subscriber's risk up most, in words, strongest first. */
  readonly reasons: readonly string[];
}

/**
 * The early-warning list: every subscriber scored, ranked by churn probability (highest first; ties
 * by id), banded high / medium / low by the documented cut-offs, with the top three reasons that
 * raise the risk (from {@link explainChurn}; only features with a positive contribution are given).
 *
 * @example
 * churnRiskList(model, subscribers, { top: 100 })[0];
 * // => { rank: 1, subscriberId: 'S0000042', probability: 0.91, band: 'high', reasons: ["contract is 'prepaid'", ...] }
 */
export function churnRiskList(
  model: ChurnModel,
  subscribers: readonly FeatureRow[],
  options: ChurnRiskListOptions = {},
): ChurnRisk[] {
  const context = 'churnRiskList';
  const bands = options.bands ?? { high: 0.5, medium: 0.2 };
  if (!(bands.medium >= 0 && bands.high <= 1 && bands.medium <= bands.high)) {
    throw new OptionError(
      context,
      'bands',
      `needs 0 <= medium <= high <= 1, received medium ${bands.medium}, high ${bands.high}`,
    );
  }
  const top = options.top ?? subscribers.length;
  if (!Number.isInteger(top) || top < 0)
    throw new OptionError(context, 'top', `must be a non-negative integer, received ${top}`);
  const idColumn = options.idColumn ?? 'subscriberId';
  const explanations = explainChurn(model, subscribers);
  const list = explanations.map((explanation) => {
    const id = subscribers[explanation.row]![idColumn];
    return {
      subscriberId: id === undefined || id === null ? String(explanation.row + 1) : String(id),
      probability: explanation.probability,
      band: (explanation.probability >= bands.high
        ? 'high'
        : explanation.probability >= bands.medium
          ? 'medium'
          : 'low') as RiskBand,
      reasons: explanation.contributions
        .filter((item) => item.contribution > 0)
        .slice(0, 3)
        .map((item) => item.reason),
    };
  });
  list.sort(
    (a, b) =>
      b.probability - a.probability ||
      (a.subscriberId < b.subscriberId ? -1 : a.subscriberId > b.subscriberId ? 1 : 0),
  );
  return list.slice(0, top).map((item, index) => ({ rank: index + 1, ...item }));
}
