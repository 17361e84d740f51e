import {
  formatDate,
  formatTimestamp,
  OptionError,
  startOfUtcDay,
  timestampOption,
  toEpochMilliseconds,
} from 'telco-analytics/data';
import { describe, expect, it } from 'vitest';

describe('toEpochMilliseconds', () => {
  it.each([
    ['2024-05-01T08:30:00Z', Date.UTC(2024, 4, 1, 8, 30)],
    ['2024-05-01T08:30:00', Date.UTC(2024, 4, 1, 8, 30)],
    ['2024-05-01 08:30', Date.UTC(2024, 4, 1, 8, 30)],
    ['2024-05-01', Date.UTC(2024, 4, 1)],
    ['2024-05-01T10:30:00+02:00', Date.UTC(2024, 4, 1, 8, 30)],
    ['2024-05-01T03:30:00-0500', Date.UTC(2024, 4, 1, 8, 30)],
    ['2024-05-01T08:30:00.250Z', Date.UTC(2024, 4, 1, 8, 30, 0, 250)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    [' 2024-05-01 ', Date.UTC(2024, 4, 1)],
    ['1714552200000', 1714552200000],
  ])('reads %s as UTC', (text, expected) => {
    expect(toEpochMilliseconds(text)).toBe(expected);
  });

  it('passes numbers and dates through', () => {
    expect(toEpochMilliseconds(1714552200000)).toBe(1714552200000);
    expect(toEpochMilliseconds(new Date(Date.UTC(2024, 0, 2)))).toBe(Date.UTC(2024, 0, 2));
  });

  it.each(['2023-02-29', '2024-13-01', '2024-05-01T24:00', '01/05/2024', 'yesterday', '', '2024-5-1'])(
    'returns NaN for the unreadable %s',
    (text) => {
      expect(toEpochMilliseconds(text)).toBeNaN();
    },
  );

  it('returns NaN for non-finite numbers', () => {
    expect(toEpochMilliseconds(Number.POSITIVE_INFINITY)).toBeNaN();
  });
});

describe('formatting', () => {
  it('formats timestamps and dates in UTC and truncates to the day', () => {
    const t = Date.UTC(2024, 4, 1, 8, 30, 15, 999);
    expect(formatTimestamp(t)).toBe('2024-05-01T08:30:15Z');
    expect(formatDate(t)).toBe('2024-05-01');
    expect(startOfUtcDay(t)).toBe(Date.UTC(2024, 4, 1));
  });
});

describe('timestampOption', () => {
  it('reads a valid option and names the function and option of an invalid one', () => {
    expect(timestampOption('2024-05-01', 'rfm', 'asOf')).toBe(Date.UTC(2024, 4, 1));
    expect(() => timestampOption('soon', 'rfm', 'asOf')).toThrow(OptionError);
    expect(() => timestampOption('soon', 'rfm', 'asOf')).toThrow(
      `rfm: option 'asOf' must be a Date, epoch milliseconds or an ISO-8601 date, received "soon"`,
    );
  });
});
