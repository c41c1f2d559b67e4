/** Europe/Belgrade midnight of a calendar date, as an instant. */
export function belgradeMidnight(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const calendar = new Date(Date.UTC(y, m - 1, d));
  // 2026-02-30 is no date: refuse it rather than roll over into March.
  if (calendar.getUTCFullYear() !== y || calendar.getUTCMonth() !== m - 1 || calendar.getUTCDate() !== d) {
    return new Date(Number.NaN);
  }
  // Belgrade is UTC+1 or UTC+2: find the offset that maps local midnight to an instant.
  for (const offsetHours of [1, 2]) {
    const instant = new Date(Date.UTC(y, m - 1, d, -offsetHours));
    const local = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Belgrade',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    }).format(instant);
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
  if (Number.isNaN(belgradeMidnight(value).getTime())) return new Date(Number.NaN);
  const next = new Date(`${value}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return belgradeMidnight(next.toISOString().slice(0, 10));
}
