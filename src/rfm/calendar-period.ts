/**
 * The calendar periods the rfm capability counts: UTC days and months as numbers, without a `Date`
 * per event. Internal. Every function uses only its arguments, `dayMilliseconds` and `monthOfDay`,
 * so that the totals worker can run them from their source text (totals-worker.ts).
 *
 * @packageDocumentation
 */

/** Milliseconds in a UTC day. @internal */
export const dayMilliseconds = 86_400_000;

/** The calendar unit in which distinct active periods are counted. @internal */
export type ActivityUnit = 'day' | 'month';

/**
 * Months since 1970-01 of a UTC day number, by Howard Hinnant's civil-from-days algorithm.
 * @internal
 */
export function monthOfDay(day: number): number {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return (year - 1970) * 12 + (month - 1);
}

/** The UTC calendar month number (months since 1970-01) of an instant. @internal */
export function monthNumber(time: number): number {
  return monthOfDay(Math.floor(time / dayMilliseconds));
}

/** The UTC day or month number of an event time, for counting distinct active periods. @internal */
export function periodOf(activity: ActivityUnit | undefined): ((time: number) => number) | undefined {
  if (activity === undefined) return undefined;
  return activity === 'day'
    ? (time) => Math.floor(time / dayMilliseconds)
    : (time) => monthOfDay(Math.floor(time / dayMilliseconds));
}
