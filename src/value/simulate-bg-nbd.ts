import { OptionError } from '../data/errors.js';
import { createRng } from '../data/random.js';
import type { BgNbdParameters } from './fit-bg-nbd.js';
import { requireNumber, withDefault } from './value-options.js';

/**
 * Options of {@link simulateBgNbdCustomers}. Times are in the model's time unit.
 *
 * @example
 * const options: SimulateBgNbdOptions = { customers: 10_000, minimumAge: 27, maximumAge: 39, timeStep: 1 / 7, seed: 7 };
 */
export interface SimulateBgNbdOptions {
  /** Number of customers. */
  readonly customers: number;
  /**
   * Shortest observation T (time from a customer's first purchase to the end).
   * @defaultValue 39
   */
  readonly minimumAge?: number | undefined;
  /**
   * Longest observation T; each customer's T is uniform between the two (on the `timeStep` grid).
   * @defaultValue 39
   */
  readonly maximumAge?: number | undefined;
  /**
   * Resolution of the recorded times: purchases are recorded at the start of their grid step and
   * several in one step count once (1/7 with weekly units = calendar days, as real data are).
   * 0 records exact times.
   * @defaultValue 0
   */
  readonly timeStep?: number | undefined;
  /** @defaultValue 0 */
  readonly seed?: number | undefined;
}

/**
 * A simulated summary, column by column (a columnar table the fitting functions accept).
 *
 * @example
 * const table: SimulatedSummary = { frequency: Float64Array.of(2, 0), recency: Float64Array.of(30.4, 0), T: Float64Array.of(38.9, 38.9) };
 */
// A type alias, not an interface, so that it is assignable to the columnar table the fits take.
export type SimulatedSummary = {
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly T: Float64Array;
};

/**
 * Simulates the BG/NBD process for `customers` customers from known parameters, with the
 * package's seeded generator: each customer's purchase rate is drawn from Gamma(r, rate alpha) and
 * their dropout probability from Beta(a, b); purchases follow a Poisson process and after each one
 * the customer leaves with that probability. Used to check that `fitBgNbd` recovers parameters,
 * and to size benchmarks.
 *
 * @throws {@link OptionError} for non-positive parameters or bad options.
 *
 * @example
 * const table = simulateBgNbdCustomers({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, { customers: 3, seed: 1 });
 * table.frequency.length; // => 3
 */
export function simulateBgNbdCustomers(
  parameters: BgNbdParameters,
  options: SimulateBgNbdOptions,
): SimulatedSummary {
  const context = 'simulateBgNbdCustomers';
  for (const name of ['r', 'alpha', 'a', 'b'] as const)
    requireNumber(context, name, parameters?.[name], 0, true);
  const customers = options.customers;
  if (!Number.isInteger(customers) || customers < 1) {
    throw new OptionError(context, 'customers', `must be a positive integer, received ${customers}`);
  }
  const minimumAge = requireNumber(context, 'minimumAge', withDefault(options.minimumAge, 39), 0);
  const maximumAge = requireNumber(context, 'maximumAge', withDefault(options.maximumAge, 39), minimumAge);
  const timeStep = requireNumber(context, 'timeStep', withDefault(options.timeStep, 0), 0);
  const rng = createRng(withDefault(options.seed, 0));
  const { r, alpha, a, b } = parameters;
  const frequency = new Float64Array(customers);
  const recency = new Float64Array(customers);
  const age = new Float64Array(customers);
  const firstStep = timeStep > 0 ? Math.ceil(minimumAge / timeStep - 1e-9) : 0;
  const lastStep = timeStep > 0 ? Math.floor(maximumAge / timeStep + 1e-9) : 0;
  if (timeStep > 0 && lastStep < firstStep) {
    throw new OptionError(
      context,
      'timeStep',
      `leaves no grid point between minimumAge and maximumAge (${timeStep})`,
    );
  }
  for (let i = 0; i < customers; i++) {
    const rate = rng.gamma(r, 1 / alpha);
    const dropout = rng.beta(a, b);
    let T: number;
    let lastCell = 0;
    if (timeStep > 0) {
      lastCell = firstStep + rng.integer(lastStep - firstStep + 1);
      T = lastCell * timeStep;
    } else {
      T = minimumAge + (maximumAge - minimumAge) * rng.uniform();
    }
    let time = 0;
    let purchases = 0;
    let last = 0;
    let previousCell = 0;
    for (;;) {
      time += rng.exponential(rate);
      if (time > T) break;
      if (timeStep > 0) {
        const cell = Math.round(time / timeStep);
        if (cell > lastCell) break;
        if (cell !== previousCell) {
          purchases++;
          previousCell = cell;
          last = cell * timeStep;
        }
      } else {
        purchases++;
        last = time;
      }
      if (rng.bernoulli(dropout)) break;
    }
    frequency[i] = purchases;
    recency[i] = last;
    age[i] = T;
  }
  return { frequency, recency, T: age };
}
