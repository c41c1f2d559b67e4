/**
 * Calendar dates (YYYY-MM-DD) in the register's time zone, Europe/Belgrade:
 * one place for what a day is, when it starts, and what counts as a date.
 */

/** A calendar date (YYYY-MM-DD) that exists: 2026-02-30 does not, nor does year 0 (PostgreSQL goes from 1 BC to AD 1). */
export function isRealDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value && date.getUTCFullYear() >= 1;
}

/** The same calendar day `years` later (29 February becomes 28 February in common years). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y + years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

// Building a formatter is costly (time zone data); one of each serves every call.
const DAY_FORMAT = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Belgrade',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const HOUR_FORMAT = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Belgrade',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** Today in Europe/Belgrade, as a calendar date. */
export function belgradeToday(now = new Date()): string {
  return DAY_FORMAT.format(now);
}

/** Europe/Belgrade midnight of a calendar date, as an instant; an invalid instant for a date that does not exist. */
export function belgradeMidnight(date: string): Date {
  if (!isRealDate(date)) return new Date(Number.NaN);
  const [y, m, d] = date.split('-').map(Number);
  // Belgrade is UTC+1 or UTC+2: find the offset that maps local midnight to an instant.
  for (const offsetHours of [1, 2]) {
    const instant = new Date(Date.UTC(y, m - 1, d, -offsetHours));
    const local = HOUR_FORMAT.format(instant);
    if (local === `${date}, 00`) return instant;
  }
  return new Date(Date.UTC(y, m - 1, d, -1));
}

/** A `from` bound: a date means its first instant in Belgrade. */
export function lowerBound(value: string): Date {
  return value.length === 10 ? belgradeMidnight(value) : new Date(value);
}

/** A `to` bound, exclusive: a date means the whole day, up to the next Belgrade midnight. */
export function upperBound(value: string): Date {
  if (value.length !== 10) return new Date(value);
  if (!isRealDate(value)) return new Date(Number.NaN);
  return belgradeMidnight(addDays(value, 1));
}

export function addDays(date: string, days: number): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}
