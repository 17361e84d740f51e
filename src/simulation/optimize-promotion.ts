import { OptionError } from '../data/errors.js';
import type { CallRecord } from '../data/records.js';
import { encodeCalls } from './encode-calls.js';
import type { Promotion } from './promotion.js';
import { billCycleWithBreakdown } from './run-bill-cycle.js';
import {
  type PromotionSimulation,
  type SimulatePromotionInput,
  type SimulationInterval,
  simulateWithBaseline,
} from './simulate-promotion.js';

/** One promotion parameter to vary: a path into the promotion (`components.0.percent`) and its values. */
export interface GridParameter {
  readonly path: string;
  readonly values: readonly unknown[];
}

/** Input of {@link optimizePromotion}: a simulation input whose `promotion` is the template the grid edits. */
export interface OptimizePromotionInput extends SimulatePromotionInput {
  /** Every combination of the parameters' values is one candidate (at most 1000). */
  readonly grid: readonly GridParameter[];
  /** What to maximise. @defaultValue expected net revenue less the campaign cost: `simulation.total.net.mean - campaignCost` */
  readonly objective?: (simulation: PromotionSimulation) => number;
}

/** One candidate of {@link optimizePromotion}, best first. */
export interface PromotionCandidate {
  readonly rank: number;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly promotion: Promotion;
  readonly objective: number;
  readonly net: SimulationInterval;
  readonly effects: PromotionSimulation['effects'];
  readonly breakEvenUptake: number | null;
  /** The 90% interval of the net effect (less the campaign cost) reaches below zero. */
  readonly lossPossible: boolean;
}

/** Result of {@link optimizePromotion}. */
export interface PromotionOptimization {
  readonly kind: 'promotion-optimisation';
  readonly candidates: readonly PromotionCandidate[];
}

/** @deprecated Renamed {@link PromotionOptimization} (identifiers use American spelling); this alias goes in 1.0. */
export type PromotionOptimisation = PromotionOptimization;

const maxCandidates = 1000;

function setPath(target: unknown, path: string, value: unknown): boolean {
  const parts = path.split('.');
  let node = target as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) {
    const child = node[part];
    if (child === null || typeof child !== 'object') return false;
    node = child as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
  return true;
}

/**
 * Searches a grid of promotion parameters (e.g. discount 5..30%, free minutes 0..300, eligible
 * segments) and ranks the candidates by the objective, each with its simulation summary. The
 * baseline is billed once; each candidate bills the observed cycle once with its promotion and
 * then samples behaviours (same seed for every candidate, so differences are not noise). Candidates
 * whose 90% net interval, less the campaign cost, reaches below zero are flagged `lossPossible`.
 *
 * @example
 * const { candidates } = optimizePromotion({ calls, subscribers, plans, period: '2024-03', promotion: template,
 *   grid: [{ path: 'components.0.percent', values: [5, 10, 20, 30] }], churnProbability, retentionEffect: 0.5 });
 * candidates[0]; // => { rank: 1, parameters: { 'components.0.percent': 5 }, objective: 1520.4, lossPossible: false, ... }
 */
export function optimizePromotion(input: OptimizePromotionInput): PromotionOptimization {
  if (!Array.isArray(input.grid) || input.grid.length === 0)
    throw new OptionError('optimizePromotion', 'grid', 'must list at least one parameter');
  let combinations = 1;
  input.grid.forEach((parameter, index) => {
    if (typeof parameter.path !== 'string' || parameter.path.length === 0)
      throw new OptionError(
        'optimizePromotion',
        `grid[${index}].path`,
        'must be a dotted path such as components.0.percent',
      );
    if (!Array.isArray(parameter.values) || parameter.values.length === 0)
      throw new OptionError('optimizePromotion', `grid[${index}].values`, 'must list at least one value');
    combinations *= parameter.values.length;
  });
  if (combinations > maxCandidates)
    throw new OptionError(
      'optimizePromotion',
      'grid',
      `makes ${combinations} candidates, more than ${maxCandidates}`,
    );
  const calls =
    'kind' in input.calls && input.calls.kind === 'encoded-calls'
      ? input.calls
      : encodeCalls(input.calls as readonly CallRecord[]);
  const shared = { ...input, calls };
  const baseline = billCycleWithBreakdown(
    {
      calls,
      subscribers: input.subscribers,
      plans: input.plans,
      period: input.period,
      ...(input.cycleStartDay === undefined ? {} : { cycleStartDay: input.cycleStartDay }),
      ...(input.bandBoundary === undefined ? {} : { bandBoundary: input.bandBoundary }),
    },
    true,
  );
  const cost = input.campaignCost ?? 0;
  const objective =
    input.objective ?? ((simulation: PromotionSimulation) => simulation.total.net.mean - cost);
  const scored: Omit<PromotionCandidate, 'rank'>[] = [];
  for (let combination = 0; combination < combinations; combination++) {
    const promotion = structuredClone(input.promotion) as Promotion;
    const parameters: Record<string, unknown> = {};
    let rest = combination;
    input.grid.forEach((parameter, index) => {
      const value = parameter.values[rest % parameter.values.length];
      rest = Math.floor(rest / parameter.values.length);
      if (!setPath(promotion, parameter.path, structuredClone(value))) {
        throw new OptionError(
          'optimizePromotion',
          `grid[${index}].path`,
          `'${parameter.path}' does not lead into the promotion`,
        );
      }
      parameters[parameter.path] = value;
    });
    const simulation = simulateWithBaseline({ ...shared, promotion }, baseline);
    scored.push({
      parameters,
      promotion,
      objective: objective(simulation),
      net: simulation.total.net,
      effects: simulation.effects,
      breakEvenUptake: simulation.breakEvenUptake,
      lossPossible: simulation.total.net.low - cost < 0,
    });
  }
  // Stable: ties keep grid order.
  const ranked = scored
    .map((candidate, index) => ({ candidate, index }))
    .sort((a, b) => b.candidate.objective - a.candidate.objective || a.index - b.index);
  return {
    kind: 'promotion-optimisation',
    candidates: ranked.map(({ candidate }, index) => ({ rank: index + 1, ...candidate })),
  };
}
