import type { TimePart } from './cube-options.js';

const pad = (value: number): string => String(value).padStart(2, '0');

/** The value of a day-based time part for UTC day number `dayNumber` (days since 1970-01-01). */
export function formatTimePart(part: Exclude<TimePart, 'hour'>, dayNumber: number): string | number {
  const date = new Date(dayNumber * 86_400_000);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  switch (part) {
    case 'weekday':
      return ((date.getUTCDay() + 6) % 7) + 1;
    case 'day':
      return `${year}-${pad(month + 1)}-${pad(date.getUTCDate())}`;
    case 'week': {
      const monday = new Date((dayNumber - ((date.getUTCDay() + 6) % 7)) * 86_400_000);
      return `${monday.getUTCFullYear()}-${pad(monday.getUTCMonth() + 1)}-${pad(monday.getUTCDate())}`;
    }
    case 'month':
      return `${year}-${pad(month + 1)}`;
    default:
      return `${year}-Q${Math.floor(month / 3) + 1}`;
  }
}
