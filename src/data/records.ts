/** Services the validators know. Pass `services` to a validator or reader to accept more. */
export const knownServices = ['voice', 'sms', 'data', 'mms'] as const;
/** Destination zones the validators know. Pass `zones` to accept more. */
export const knownZones = ['local', 'national', 'international', 'roaming', 'premium'] as const;
/** Call directions. */
export const knownDirections = ['out', 'in'] as const;

/** A usage service: one of {@link knownServices}, or another string the caller declared. */
export type Service = (typeof knownServices)[number] | (string & {});
/** A destination zone: one of {@link knownZones}, or another string the caller declared. */
export type DestinationZone = (typeof knownZones)[number] | (string & {});
/** `out` for originated usage (billed), `in` for received usage. */
export type Direction = (typeof knownDirections)[number];

/** A timestamp as callers may give it: `Date`, epoch milliseconds or an ISO-8601 string (UTC when no zone is given). */
export type TimestampInput = Date | number | string;

/**
 * A call detail record (one usage event) after normalisation: `start` is epoch milliseconds UTC.
 * Optional fields are absent, never `undefined`.
 */
export interface CallRecord {
  readonly subscriberId: string;
  /** Start of the event, epoch milliseconds UTC. */
  readonly start: number;
  readonly service: Service;
  readonly direction?: Direction;
  /** Voice/video duration in seconds (non-negative). */
  readonly durationSec?: number;
  /** Data volume in megabytes (non-negative). */
  readonly volumeMb?: number;
  readonly destination?: DestinationZone;
  readonly calledNumber?: string;
  readonly cellId?: string;
  readonly region?: string;
  /** What the operator charged for the event, in currency units (non-negative). */
  readonly charge?: number;
}

/** A subscriber (customer line). Attributes beyond the named ones are kept as given. */
export interface Subscriber {
  readonly subscriberId: string;
  readonly planId?: string;
  readonly tenureMonths?: number;
  readonly region?: string;
  readonly ageBand?: string;
  readonly contract?: string;
  readonly churned?: boolean;
  readonly arrearsDays?: number;
  readonly [attribute: string]: string | number | boolean | undefined;
}

/** A monetary event (bill payment, top-up, purchase): the RFM input. `date` is epoch milliseconds UTC. */
export interface Payment {
  readonly customerId: string;
  readonly date: number;
  /** Amount in currency units (non-negative). */
  readonly amount: number;
}

/** What a validator or reader does with a bad record: throw a {@link DataError} (default) or skip it and report it. */
export type InvalidRecordPolicy = 'error' | 'skip';

/** One record left out under `onInvalid: 'skip'`. */
export interface SkippedRecord {
  readonly row: number;
  readonly column: string;
  readonly reason: string;
  readonly line?: number;
}

/** Validated records and the ones skipped (always empty under `onInvalid: 'error'`). */
export interface ValidationResult<T> {
  readonly rows: T[];
  readonly skipped: SkippedRecord[];
}
