import { OptionError } from '../data/errors.js';
import type { EncodedCalls } from './encode-calls.js';

/** Appends `names` of one part to the merged list and returns how the part's codes map into it. */
function mergeNames(merged: string[], index: Map<string, number>, names: readonly string[]): Int32Array {
  const codes = new Int32Array(names.length);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    let code = index.get(name);
    if (code === undefined) {
      code = merged.length;
      merged.push(name);
      index.set(name, code);
    }
    codes[i] = code;
  }
  return codes;
}

/**
 * Joins {@link EncodedCalls} parts, in order, into one. Built for files larger than memory as
 * objects: encode each batch of `readCallBatches` (or each chunk of `streamOperator`) with
 * `encodeCalls`, drop the objects, and join the typed columns. Subscriber, service and zone codes are
 * remapped onto merged name lists (first appearance first), so parts need not share them; a
 * subscriber split across parts becomes one subscriber.
 *
 * @throws OptionError when `parts` is empty.
 *
 * @example
 * const monday = encodeCalls([{ subscriberId: 'S1', start: Date.UTC(2024, 4, 6, 9), service: 'voice', durationSec: 60 }]);
 * const tuesday = encodeCalls([{ subscriberId: 'S2', start: Date.UTC(2024, 4, 7, 9), service: 'sms' }]);
 * const week = concatEncodedCalls([monday, tuesday]);
 * week.count; // => 2
 * week.serviceNames; // => ['voice', 'sms']
 */
export function concatEncodedCalls(parts: readonly EncodedCalls[]): EncodedCalls {
  if (parts.length === 0) throw new OptionError('concatEncodedCalls', 'parts', 'must hold at least one part');
  let count = 0;
  for (const part of parts) count += part.count;
  const subscriberIds: string[] = [];
  const serviceNames: string[] = [];
  const zoneNames: string[] = [];
  const subscriberIndex = new Map<string, number>();
  const serviceIndex = new Map<string, number>();
  const zoneIndex = new Map<string, number>();
  const subscriber = new Int32Array(count);
  const start = new Float64Array(count);
  const service = new Int32Array(count);
  const direction = new Uint8Array(count);
  const zone = new Int32Array(count);
  const durationSec = new Float64Array(count);
  const volumeMb = new Float64Array(count);
  let offset = 0;
  for (const part of parts) {
    const subscriberCodes = mergeNames(subscriberIds, subscriberIndex, part.subscriberIds);
    const serviceCodes = mergeNames(serviceNames, serviceIndex, part.serviceNames);
    const zoneCodes = mergeNames(zoneNames, zoneIndex, part.zoneNames);
    for (let i = 0; i < part.count; i++) {
      const at = offset + i;
      subscriber[at] = subscriberCodes[part.subscriber[i]!]!;
      service[at] = serviceCodes[part.service[i]!]!;
      const zoneCode = part.zone[i]!;
      zone[at] = zoneCode < 0 ? -1 : zoneCodes[zoneCode]!;
    }
    start.set(part.start, offset);
    direction.set(part.direction, offset);
    durationSec.set(part.durationSec, offset);
    volumeMb.set(part.volumeMb, offset);
    offset += part.count;
  }
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
