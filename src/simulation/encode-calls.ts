import { DataError, type DataIssue } from '../data/errors.js';
import type { CallRecord } from '../data/records.js';

/**
 * CDRs held column by column (typed arrays), the form the rating engine works on. Strings are
 * coded as indexes into the `...Names` lists; `zone` is `-1` and the measures `NaN` where the
 * record left the field out. Build it once with {@link encodeCalls} to rate the same CDRs under many
 * plans or promotions without touching the objects again.
 */
export interface EncodedCalls {
  readonly kind: 'encoded-calls';
  readonly count: number;
  readonly subscriberIds: readonly string[];
  readonly subscriber: Int32Array;
  /** Epoch milliseconds UTC. */
  readonly start: Float64Array;
  readonly serviceNames: readonly string[];
  readonly service: Int32Array;
  /** 0 = out (also when absent), 1 = in. */
  readonly direction: Uint8Array;
  readonly zoneNames: readonly string[];
  readonly zone: Int32Array;
  readonly durationSec: Float64Array;
  readonly volumeMb: Float64Array;
}

function indexer(names: string[]): (name: string) => number {
  const map = new Map<string, number>();
  let lastName = '';
  let lastIndex = -1;
  return (name) => {
    // CDRs come in runs of one subscriber and a few services: the last hit saves most lookups.
    if (name === lastName && lastIndex >= 0) return lastIndex;
    let index = map.get(name);
    if (index === undefined) {
      index = names.length;
      names.push(name);
      map.set(name, index);
    }
    lastName = name;
    lastIndex = index;
    return index;
  };
}

/**
 * Turns call records into {@link EncodedCalls}. Records are expected to be validated already
 * (`validateCalls`); the checks here are the ones rating depends on: a finite `start`, a known
 * direction, non-negative finite measures. Errors name the row (1-based) and column.
 *
 * @example
 * const encoded = encodeCalls([{ subscriberId: 'S1', start: Date.UTC(2024, 4, 1, 9), service: 'voice', durationSec: 75, destination: 'local' }]);
 * encoded.count; // => 1
 * encoded.zoneNames; // => ['local']
 */
export function encodeCalls(calls: readonly CallRecord[]): EncodedCalls {
  const count = calls.length;
  const subscriberIds: string[] = [];
  const serviceNames: string[] = [];
  const zoneNames: string[] = [];
  const subscriberOf = indexer(subscriberIds);
  const serviceOf = indexer(serviceNames);
  const zoneOf = indexer(zoneNames);
  const subscriber = new Int32Array(count);
  const start = new Float64Array(count);
  const service = new Int32Array(count);
  const direction = new Uint8Array(count);
  const zone = new Int32Array(count);
  const durationSec = new Float64Array(count);
  const volumeMb = new Float64Array(count);
  const issues: DataIssue[] = [];
  const fail = (row: number, column: string, reason: string): void => {
    if (issues.length < 50) issues.push({ row, column, reason });
  };
  for (let i = 0; i < count; i++) {
    const call = calls[i]!;
    subscriber[i] = subscriberOf(call.subscriberId);
    const time = call.start;
    if (typeof time !== 'number' || !Number.isFinite(time))
      fail(i + 1, 'start', `must be epoch milliseconds, received ${String(time)}`);
    start[i] = time;
    service[i] = serviceOf(call.service);
    const way = call.direction;
    if (way !== undefined && way !== 'out' && way !== 'in')
      fail(i + 1, 'direction', `must be 'out' or 'in', received '${String(way)}'`);
    direction[i] = way === 'in' ? 1 : 0;
    const destination = call.destination;
    zone[i] = destination === undefined ? -1 : zoneOf(destination);
    const duration = call.durationSec;
    if (duration !== undefined && !(duration >= 0 && Number.isFinite(duration)))
      fail(i + 1, 'durationSec', `must be a non-negative number, received ${duration}`);
    durationSec[i] = duration ?? Number.NaN;
    const volume = call.volumeMb;
    if (volume !== undefined && !(volume >= 0 && Number.isFinite(volume)))
      fail(i + 1, 'volumeMb', `must be a non-negative number, received ${volume}`);
    volumeMb[i] = volume ?? Number.NaN;
  }
  if (issues.length > 0) throw new DataError('encodeCalls', issues);
  return {
    kind: 'encoded-calls',
    count,
    subscriberIds,
    subscriber,
    start,
    serviceNames,
    service,
    direction,
    zoneNames,
    zone,
    durationSec,
    volumeMb,
  };
}
