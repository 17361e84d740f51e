import { OptionError } from '../data/errors.js';

/**
 * The window a rule is evaluated over: `'1h'`, `'24h'`, `'7d'` (any whole number of minutes `m`,
 * hours `h` or days `d`) or `'cycle'` (the calendar month, UTC) as tumbling windows; or
 * `{ size, step }` for sliding (hopping) windows of `size` that end every `step`.
 *
 * Tumbling windows are aligned to UTC: hours and days on the clock, weeks (multiples of `7d`) on
 * Monday 00:00 UTC. A window covers `[start, end)`: a call exactly at `end` belongs to the next one.
 */
export type RuleWindow = string | { readonly size: string; readonly step: string };

/** A parsed window. Internal. */
export interface WindowSpec {
  readonly label: string;
  /** Pane length in ms (the step), or 0 for calendar months. */
  readonly step: number;
  /** Number of panes a window spans. */
  readonly panes: number;
  readonly offset: number;
  readonly sizeMs: number;
}

const unitMs: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const weekMs = 7 * 86_400_000;
// 1970-01-01 was a Thursday; the first Monday is four days later.
const mondayOffset = 4 * 86_400_000;

function parseDuration(text: string): number {
  const match = /^(\d+)(m|h|d)$/.exec(text);
  if (match === null) return Number.NaN;
  const amount = Number(match[1]);
  return amount > 0 ? amount * unitMs[match[2]!]! : Number.NaN;
}

/** Reason a window is invalid, or `null`. */
export function windowProblem(window: unknown): string | null {
  if (typeof window === 'string') {
    if (window === 'cycle' || !Number.isNaN(parseDuration(window))) return null;
    return `is '${window}'; use a duration such as '1h', '24h', '7d', or 'cycle'`;
  }
  if (typeof window === 'object' && window !== null) {
    const { size, step } = window as { size?: unknown; step?: unknown };
    if (typeof size !== 'string' || typeof step !== 'string') return 'must have string fields size and step';
    const sizeMs = parseDuration(size);
    const stepMs = parseDuration(step);
    if (Number.isNaN(sizeMs))
      return `has size '${size}'; use a duration such as '24h' (cycle windows cannot slide)`;
    if (Number.isNaN(stepMs)) return `has step '${step}'; use a duration such as '1h'`;
    if (sizeMs % stepMs !== 0) return `size '${size}' must be a whole multiple of step '${step}'`;
    return null;
  }
  return 'must be a duration string or { size, step }';
}

/** Parses a window that {@link windowProblem} accepted. */
export function parseWindow(window: RuleWindow, context: string): WindowSpec {
  const problem = windowProblem(window);
  if (problem !== null) throw new OptionError(context, 'window', problem);
  if (typeof window === 'string') {
    if (window === 'cycle') return { label: 'cycle', step: 0, panes: 1, offset: 0, sizeMs: 31 * 86_400_000 };
    const size = parseDuration(window);
    return {
      label: window,
      step: size,
      panes: 1,
      offset: size % weekMs === 0 ? mondayOffset : 0,
      sizeMs: size,
    };
  }
  const size = parseDuration(window.size);
  const step = parseDuration(window.step);
  return {
    label: `${window.size}/${window.step}`,
    step,
    panes: size / step,
    offset: step % weekMs === 0 ? mondayOffset : 0,
    sizeMs: size,
  };
}

/** Pane number holding `time`. */
export function paneOf(spec: WindowSpec, time: number): number {
  if (spec.step === 0) {
    const date = new Date(time);
    return date.getUTCFullYear() * 12 + date.getUTCMonth();
  }
  return Math.floor((time - spec.offset) / spec.step);
}

/** Start of pane `pane` in epoch ms. */
export function paneStart(spec: WindowSpec, pane: number): number {
  if (spec.step === 0) return Date.UTC(Math.floor(pane / 12), pane % 12, 1);
  return pane * spec.step + spec.offset;
}
