import { OptionError } from '../data/errors.js';

/** The time unit of a summary's `recency` and `T`, and of every model fitted on it. */
export type TimeUnit = 'day' | 'week';

/** Options shared by the functions that read or build summaries. */
export interface ValueOptionsBase {
  /**
   * The time unit of `recency` and `T`.
   * @defaultValue 'week'
   */
  readonly unit?: TimeUnit | undefined;
}

const millisecondsPerDay = 86_400_000;

/** An explicit `undefined` must not override a default, so defaults are resolved here. @internal */
export function withDefault<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/** Milliseconds in one time unit, or an OptionError naming the option. @internal */
export function unitMilliseconds(unit: TimeUnit, context: string, option = 'unit'): number {
  if (unit === 'day') return millisecondsPerDay;
  if (unit === 'week') return 7 * millisecondsPerDay;
  throw new OptionError(context, option, `must be 'day' or 'week', received ${JSON.stringify(unit)}`);
}

/** Requires a finite number >= `min` (or > `min` when `strict`), naming the option otherwise. @internal */
export function requireNumber(
  context: string,
  option: string,
  value: unknown,
  min: number,
  strict = false,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (strict ? value <= min : value < min)) {
    throw new OptionError(
      context,
      option,
      `must be a finite number ${strict ? '>' : '>='} ${min}, received ${typeof value === 'number' ? value : JSON.stringify(value)}`,
    );
  }
  return value;
}
