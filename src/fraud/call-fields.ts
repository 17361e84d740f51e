import type { CallRecord } from '../data/records.js';

/**
 * What the window engine needs of a CDR besides its numbers, packed in one small integer so the
 * batch path can hold it in a typed column. Internal.
 */
export const voiceFlag = 1;
export const incomingFlag = 2;
export const internationalFlag = 4;
export const premiumFlag = 8;
/** Started 22:00-06:00 UTC. */
export const nightFlag = 16;

const hourMs = 3_600_000;

export function callFlags(call: CallRecord): number {
  // Whole hours since the epoch are exact in a double, so this is the UTC hour without a float modulo.
  const hours = Math.floor(call.start / hourMs);
  const hour = hours - Math.floor(hours / 24) * 24;
  const destination = call.destination;
  return (
    (call.service === 'voice' ? voiceFlag : 0) |
    (call.direction === 'in' ? incomingFlag : 0) |
    (destination === 'international' ? internationalFlag : destination === 'premium' ? premiumFlag : 0) |
    (hour >= 22 || hour < 6 ? nightFlag : 0)
  );
}

/** Seconds of an outgoing voice call, 0 for anything else. */
export function outgoingSeconds(call: CallRecord, flags: number): number {
  return (flags & (voiceFlag | incomingFlag)) === voiceFlag ? (call.durationSec ?? 0) : 0;
}
