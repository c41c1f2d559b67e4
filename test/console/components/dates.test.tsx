import { describe, expect, it } from 'vitest';
import { addDays, formatDate, formatDue, formatTime } from '../../../apps/console/src/components/form';
import { show } from '../../../apps/console/src/diff';

/** The no-break space that holds a date's parts together. */
const _ = '\u00a0';

describe('formatDate', () => {
  it('shows nothing as a dash', () => {
    expect([formatDate(null), formatDate(undefined), formatDate('')]).toEqual(['—', '—', '—']);
  });

  it('gives a calendar day in the Serbian form, with no-break spaces and no leading zeros', () => {
    expect(formatDate('2026-12-03')).toBe(`3.${_}12.${_}2026.`);
    expect(formatDate('1985-01-01', 'sr')).toBe(`1.${_}1.${_}1985.`);
    expect(formatDate('2026-12-03')).not.toMatch(/ /);
  });

  it('gives the day, the month in short and the year in English', () => {
    expect(formatDate('2026-12-03', 'en')).toBe(`3${_}Dec${_}2026`);
    expect(formatDate('2027-05-31', 'en')).toBe(`31${_}May${_}2027`);
  });

  it("gives an instant's day in Belgrade, not in UTC", () => {
    // 23:30 UTC on 2 December is half past midnight on 3 December in Belgrade (CET, +1).
    expect(formatDate('2026-12-02T23:30:00Z')).toBe(`3.${_}12.${_}2026.`);
    // 22:30 UTC on 30 June is half past midnight on 1 July (CEST, +2).
    expect(formatDate('2026-06-30T22:30:00Z')).toBe(`1.${_}7.${_}2026.`);
    expect(formatDate('2026-06-30T21:30:00Z')).toBe(`30.${_}6.${_}2026.`);
  });

  it('leaves what is not a date as it is', () => {
    expect(formatDate('sutra')).toBe('sutra');
  });
});

describe('formatTime', () => {
  it('gives the day and the time on the clock in Belgrade, with no-break spaces', () => {
    expect(formatTime('2026-12-03T13:05:00Z')).toBe(`3.${_}12.${_}2026.${_}14:05`);
    expect(formatTime('2026-12-03T13:05:00Z', 'en')).toBe(`3${_}Dec${_}2026,${_}14:05`);
    expect(formatTime('2026-07-01T06:00:00Z')).toBe(`1.${_}7.${_}2026.${_}08:00`);
    expect(formatTime(null)).toBe('—');
  });

  it('counts the hour the clocks skip and the hour they repeat', () => {
    // 29 March 2026: 02:00 CET becomes 03:00 CEST.
    expect(formatTime('2026-03-29T00:59:00Z')).toBe(`29.${_}3.${_}2026.${_}01:59`);
    expect(formatTime('2026-03-29T01:00:00Z')).toBe(`29.${_}3.${_}2026.${_}03:00`);
    // 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 happens twice.
    expect(formatTime('2026-10-25T00:30:00Z')).toBe(`25.${_}10.${_}2026.${_}02:30`);
    expect(formatTime('2026-10-25T01:30:00Z')).toBe(`25.${_}10.${_}2026.${_}02:30`);
  });
});

describe('formatDue: the last day to report', () => {
  it('is the day before the midnight in Belgrade that ends the period, never that midnight', () => {
    // The api's end of a period that ends on 3 December: midnight starting 4 December in Belgrade.
    expect(formatDue('2026-12-03T23:00:00Z')).toBe(`3.${_}12.${_}2026.`);
    expect(formatDue('2026-12-03T23:00:00.000Z', 'en')).toBe(`3${_}Dec${_}2026`);
  });

  it('holds over summer time and the nights the clocks change', () => {
    // Midnight starting 1 July (CEST, +2) is 22:00 UTC on 30 June: the last day is 30 June.
    expect(formatDue('2026-06-30T22:00:00Z')).toBe(`30.${_}6.${_}2026.`);
    // The period ending on the day the clocks go forward (29 March): midnight starting 30 March is 22:00 UTC.
    expect(formatDue('2026-03-29T22:00:00Z')).toBe(`29.${_}3.${_}2026.`);
    // The day the clocks go back (25 October): midnight starting 26 October is 23:00 UTC.
    expect(formatDue('2026-10-25T23:00:00Z')).toBe(`25.${_}10.${_}2026.`);
    // The last day of a year.
    expect(formatDue('2026-12-31T23:00:00Z')).toBe(`31.${_}12.${_}2026.`);
  });

  it('takes an exclusive end given as a day too, across months and years', () => {
    expect(formatDue('2026-12-04')).toBe(`3.${_}12.${_}2026.`);
    expect(formatDue('2027-01-01')).toBe(`31.${_}12.${_}2026.`);
    expect(formatDue('2028-03-01')).toBe(`29.${_}2.${_}2028.`);
    expect(formatDue(null)).toBe('—');
  });
});

describe('addDays', () => {
  it('counts calendar days, whatever the clocks do', () => {
    expect([addDays('2026-03-28', 1), addDays('2026-10-25', 1), addDays('2026-01-01', -1)]).toEqual([
      '2026-03-29',
      '2026-10-26',
      '2025-12-31',
    ]);
  });
});

describe('show: a changed field in the history and the conflict table', () => {
  it('gives dates and instants in the one format, other values as they are', () => {
    expect([
      show('2026-12-03'),
      show('2026-12-03T13:05:00.000Z', 'en'),
      show('0101985710016'),
      show('K 12/2020'),
      show(null),
    ]).toEqual([`3.${_}12.${_}2026.`, `3${_}Dec${_}2026,${_}14:05`, '0101985710016', 'K 12/2020', '—']);
  });
});
