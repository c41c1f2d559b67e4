import fc from 'fast-check';
import { addDays, belgradeMidnight, belgradeToday } from '@app/common';
import {
  DEFAULT_RULES,
  measureCompliance,
  periodsOf,
  personCompliance,
  type ComplianceStatus,
  type ReportingMeasure,
  type ScheduleKind,
} from './schedule';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function measure(overrides: Partial<ReportingMeasure> = {}): ReportingMeasure {
  return {
    id: 'm1',
    startsOn: '2027-01-01',
    endsOn: '2030-12-31',
    everyDays: 30,
    status: 'active',
    suspensions: [],
    checkIns: [],
    ...overrides,
  };
}

/** Noon in Belgrade on `date`. */
const noon = (date: string) => new Date(belgradeMidnight(date).getTime() + 12 * HOUR);
const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

describe('periodsOf', () => {
  it('counts periods over a month end', () => {
    const periods = periodsOf(measure({ startsOn: '2027-01-31', everyDays: 30 }), '2027-04-15');
    expect(periods.map((p) => [p.index, p.startsOn, p.lastDay])).toEqual([
      [0, '2027-01-31', '2027-03-01'],
      [1, '2027-03-02', '2027-03-31'],
      [2, '2027-04-01', '2027-04-30'],
    ]);
  });

  it('counts 29 February in a leap year', () => {
    expect(periodsOf(measure({ startsOn: '2028-02-01', everyDays: 29 }), '2028-03-01').map((p) => p.lastDay)).toEqual([
      '2028-02-29',
      '2028-03-29',
    ]);
    expect(periodsOf(measure({ startsOn: '2028-02-29', everyDays: 1 }), '2028-03-01').map((p) => p.lastDay)).toEqual([
      '2028-02-29',
      '2028-03-01',
    ]);
    expect(periodsOf(measure({ startsOn: '2028-02-29', everyDays: 366 }), '2028-02-29')[0].lastDay).toBe('2029-02-28');
  });

  it('ends periods at Belgrade midnight across the spring DST change (23 hours shorter day)', () => {
    const [first, second] = periodsOf(measure({ startsOn: '2027-03-22', everyDays: 7 }), '2027-03-29');
    expect(first.lastDay).toBe('2027-03-28');
    expect(iso(first.endsAt)).toBe('2027-03-28T22:00:00.000Z'); // 2027-03-29 00:00 CEST
    expect(first.endsAt.getTime() - belgradeMidnight(first.startsOn).getTime()).toBe(7 * DAY - HOUR);
    expect(iso(second.endsAt)).toBe('2027-04-04T22:00:00.000Z');
    expect(second.endsAt.getTime() - first.endsAt.getTime()).toBe(7 * DAY);
  });

  it('ends periods at Belgrade midnight across the autumn DST change (25 hours longer day)', () => {
    const [first] = periodsOf(measure({ startsOn: '2027-10-25', everyDays: 7 }), '2027-10-25');
    expect(first.lastDay).toBe('2027-10-31');
    expect(iso(belgradeMidnight(first.startsOn))).toBe('2027-10-24T22:00:00.000Z');
    expect(iso(first.endsAt)).toBe('2027-10-31T23:00:00.000Z'); // 2027-11-01 00:00 CET
    expect(first.endsAt.getTime() - belgradeMidnight(first.startsOn).getTime()).toBe(7 * DAY + HOUR);
  });

  it('puts missedAt graceHours after endsAt', () => {
    const m = measure({ startsOn: '2027-01-01', everyDays: 30 });
    const [p] = periodsOf(m, '2027-01-01');
    expect(iso(p.endsAt)).toBe('2027-01-30T23:00:00.000Z');
    expect(iso(p.missedAt)).toBe('2027-01-31T23:00:00.000Z');
    expect(iso(periodsOf(m, '2027-01-01', { graceHours: 0, dueSoonDays: 3 })[0].missedAt)).toBe(iso(p.endsAt));
  });

  it('truncates the last period at endsOn and stops there', () => {
    const periods = periodsOf(measure({ startsOn: '2027-01-01', endsOn: '2027-02-10', everyDays: 30 }), '2027-12-31');
    expect(periods.map((p) => [p.startsOn, p.lastDay])).toEqual([
      ['2027-01-01', '2027-01-30'],
      ['2027-01-31', '2027-02-10'],
    ]);
    expect(iso(periods[1].endsAt)).toBe('2027-02-10T23:00:00.000Z');
  });

  it('has no periods before the measure starts', () => {
    expect(periodsOf(measure({ startsOn: '2027-01-01' }), '2026-12-31')).toEqual([]);
  });

  it('files a check-in under its Belgrade date: 22:30Z on a summer day is the next day', () => {
    const m = (at: string) => measure({ startsOn: '2027-07-01', everyDays: 10, checkIns: [new Date(at)] });
    const checked = (at: string) => periodsOf(m(at), '2027-07-11').map((p) => p.checkedIn);
    expect(checked('2027-07-10T22:30:00Z')).toEqual([false, true]); // 2027-07-11 00:30 CEST
    expect(checked('2027-07-10T21:59:59Z')).toEqual([true, false]); // 2027-07-10 23:59 CEST
    expect(checked('2027-06-30T22:00:00Z')).toEqual([true, false]); // 2027-07-01 00:00 CEST
    expect(checked('2027-06-30T21:59:59Z')).toEqual([false, false]); // before the measure
  });

  it.each([
    [{ from: '2027-07-10', to: '2027-07-11' }, [true, false]],
    [{ from: '2027-06-01', to: '2027-07-01' }, [false, false]], // `to` is exclusive
    [{ from: '2027-06-01', to: '2027-07-02' }, [true, false]],
    [{ from: '2027-07-11', to: null }, [false, true]],
    [{ from: '2027-07-05', to: '2027-07-05' }, [false, false]], // no days
    [{ from: '2027-07-25', to: null }, [false, false]],
  ])('excuses the periods a suspension %j touches', (suspension, excused) => {
    const m = measure({ startsOn: '2027-07-01', everyDays: 10, suspensions: [suspension] });
    expect(periodsOf(m, '2027-07-11').map((p) => p.excused)).toEqual(excused);
  });

  it.each([
    ['everyDays 0', { everyDays: 0 }],
    ['everyDays 367', { everyDays: 367 }],
    ['everyDays 1.5', { everyDays: 1.5 }],
    ['a startsOn that does not exist', { startsOn: '2027-02-29' }],
    ['a malformed endsOn', { endsOn: '2030-1-1' }],
    ['endsOn before startsOn', { startsOn: '2027-01-02', endsOn: '2027-01-01' }],
    ['a bad suspension date', { suspensions: [{ from: '2027-04-31', to: null }] }],
    ['an invalid check-in', { checkIns: [new Date(Number.NaN)] }],
  ])('rejects %s', (_name, overrides) => {
    expect(() => periodsOf(measure(overrides), '2027-03-01')).toThrow(RangeError);
  });

  it('rejects a throughDate or now that is not real', () => {
    expect(() => periodsOf(measure(), '2027-13-01')).toThrow(RangeError);
    expect(() => measureCompliance(measure(), new Date('nope'))).toThrow(RangeError);
  });
});

describe('measureCompliance', () => {
  // Period 0 is 2027-01-01..2027-01-30: endsAt 2027-01-30T23:00Z, missedAt 2027-01-31T23:00Z.
  const base = measure({ startsOn: '2027-01-01', everyDays: 30 });

  it('misses a period exactly at missedAt, not a millisecond before', () => {
    const missedAt = new Date('2027-01-31T23:00:00Z');
    const before = measureCompliance(base, new Date(missedAt.getTime() - 1));
    expect(before).toMatchObject({ status: 'compliant', missed: [], overdueSince: null });
    const at = measureCompliance(base, missedAt);
    expect(at.status).toBe('overdue');
    expect(at.missed.map((p) => p.index)).toEqual([0]);
    expect(at.overdueSince).toBe('2027-01-30');
  });

  describe('a measure started 95 days ago, every 30 days', () => {
    const now = new Date('2027-06-15T08:00:00Z');
    const today = belgradeToday(now);
    const m = measure({ startsOn: addDays(today, -95), everyDays: 30 });

    it('is overdue with 3 missed periods when nobody checked in', () => {
      const result = measureCompliance(m, now);
      expect(result.status).toBe('overdue');
      expect(result.missed.map((p) => p.index)).toEqual([0, 1, 2]);
      expect(result.overdueSince).toBe(addDays(m.startsOn, 29));
      expect(result.current?.index).toBe(3);
      expect(result.nextDueAt).toEqual(result.current?.endsAt);
      expect(result.lastCheckInAt).toBeNull();
    });

    it('is compliant after a check-in today, still listing the missed periods', () => {
      const checkIn = new Date(now.getTime() - HOUR);
      const result = measureCompliance({ ...m, checkIns: [checkIn] }, now);
      expect(result.status).toBe('compliant');
      expect(result.missed.map((p) => p.index)).toEqual([0, 1, 2]);
      expect(result.overdueSince).toBeNull();
      expect(result.lastCheckInAt).toEqual(checkIn);
      // The current period is done: the next one is due.
      expect(result.nextDueAt).toEqual(periodsOf(m, addDays(today, 30)).at(-1)?.endsAt);
    });

    it('stays overdue for the older periods when a check-in only made up the first', () => {
      // A check-in in period 1 makes up period 0 but not period 2.
      const checkIn = noon(addDays(m.startsOn, 40));
      const result = measureCompliance({ ...m, checkIns: [checkIn] }, now);
      expect(result.status).toBe('overdue');
      expect(result.missed.map((p) => p.index)).toEqual([0, 2]);
      expect(result.overdueSince).toBe(addDays(m.startsOn, 89));
    });
  });

  it('is due in the last dueSoonDays days of a period after a missed period was made up', () => {
    // Period 0 (01-01..01-30) missed, made up by a check-in in period 1; period 2 is 03-02..03-31.
    const m = { ...base, checkIns: [noon('2027-02-10')] };
    expect(measureCompliance(m, noon('2027-03-28'))).toMatchObject({ status: 'compliant', overdueSince: null });
    const due = measureCompliance(m, noon('2027-03-29'));
    expect(due.status).toBe('due');
    expect(due.missed.map((p) => p.index)).toEqual([0]);
    expect(iso(due.nextDueAt)).toBe('2027-03-31T22:00:00.000Z'); // 2027-04-01 00:00 CEST
    expect(measureCompliance(m, noon('2027-03-31')).status).toBe('due');
    expect(measureCompliance(m, noon('2027-03-29'), { graceHours: 24, dueSoonDays: 1 }).status).toBe('compliant');
  });

  it('files a check-in in the grace hours under the next period, making up the missed one', () => {
    // Exactly at period 0's endsAt: the first instant of period 1, before period 0's missedAt.
    const checkIn = new Date('2027-01-30T23:00:00Z');
    const result = measureCompliance({ ...base, checkIns: [checkIn] }, noon('2027-02-05'));
    expect(result.missed.map((p) => p.index)).toEqual([0]);
    expect(result.current).toMatchObject({ index: 1, checkedIn: true });
    expect(result).toMatchObject({ status: 'compliant', overdueSince: null });
    // One millisecond earlier it is in period 0, which is then not missed.
    const inTime = measureCompliance({ ...base, checkIns: [new Date(checkIn.getTime() - 1)] }, noon('2027-02-05'));
    expect(inTime.missed).toEqual([]);
  });

  it('does not count a check-in before the measure started', () => {
    const result = measureCompliance({ ...base, checkIns: [noon('2026-12-31')] }, noon('2027-02-05'));
    expect(result.status).toBe('overdue');
    expect(result.overdueSince).toBe('2027-01-30');
  });

  it('excuses a period touched by a suspension', () => {
    const suspended = { ...base, suspensions: [{ from: '2027-01-20', to: '2027-01-25' }] };
    const result = measureCompliance(suspended, noon('2027-02-05'));
    expect(result).toMatchObject({ status: 'compliant', missed: [], overdueSince: null });
    const endedBefore = { ...base, suspensions: [{ from: '2026-12-01', to: '2027-01-01' }] };
    expect(measureCompliance(endedBefore, noon('2027-02-05')).status).toBe('overdue');
  });

  it('is not due in a period that is excused', () => {
    const m = { ...base, suspensions: [{ from: '2027-01-29', to: null }] };
    expect(measureCompliance(m, noon('2027-01-29')).status).toBe('compliant');
  });

  it('is compliant before the measure starts, due at the end of period 0', () => {
    const result = measureCompliance(base, noon('2026-12-15'));
    expect(result).toMatchObject({ status: 'compliant', missed: [], current: null, overdueSince: null });
    expect(iso(result.nextDueAt)).toBe('2027-01-30T23:00:00.000Z');
  });

  it('gives the next period as nextDueAt once the current one is checked in, null at the end', () => {
    const m = { ...base, endsOn: '2027-02-10', checkIns: [noon('2027-01-05')] };
    expect(iso(measureCompliance(m, noon('2027-01-10')).nextDueAt)).toBe('2027-02-10T23:00:00.000Z');
    const last = { ...m, checkIns: [noon('2027-01-05'), noon('2027-02-01')] };
    const result = measureCompliance(last, noon('2027-02-05'));
    expect(result.status).toBe('compliant');
    expect(result.current?.lastDay).toBe('2027-02-10');
    expect(result.nextDueAt).toBeNull();
  });

  it('ends after endsOn, or when the measure was ended, still listing missed periods', () => {
    const m = { ...base, endsOn: '2027-03-31' };
    const onLastDay = measureCompliance(m, noon('2027-03-31'));
    expect(onLastDay.status).toBe('overdue');
    const after = measureCompliance(m, noon('2027-04-03'));
    expect(after).toMatchObject({ status: 'ended', nextDueAt: null, overdueSince: null, current: null });
    expect(after.missed.map((p) => p.index)).toEqual([0, 1, 2]);
    const ended = measureCompliance({ ...base, status: 'ended' }, noon('2027-02-05'));
    expect(ended).toMatchObject({ status: 'ended', nextDueAt: null, overdueSince: null });
    expect(ended.missed.map((p) => p.index)).toEqual([0]);
    expect(ended.current?.index).toBe(1);
  });

  it('is suspended when the measure is, still listing missed periods', () => {
    const result = measureCompliance({ ...base, status: 'suspended' }, noon('2027-02-05'));
    expect(result).toMatchObject({ status: 'suspended', nextDueAt: null, overdueSince: null });
    expect(result.missed.map((p) => p.index)).toEqual([0]);
  });

  it('reports the latest check-in whatever the order', () => {
    const checkIns = [noon('2027-01-20'), noon('2027-02-03'), noon('2027-01-05')];
    expect(measureCompliance({ ...base, checkIns }, noon('2027-02-05')).lastCheckInAt).toEqual(noon('2027-02-03'));
  });
});

describe('personCompliance', () => {
  const now = noon('2027-03-29');
  const compliant = measure({ id: 'a', startsOn: '2027-03-20', checkIns: [noon('2027-03-21')] }); // next due 04-18
  const due = measure({ id: 'b', startsOn: '2027-01-01', checkIns: [noon('2027-02-10')] }); // due 03-31
  const overdue = measure({ id: 'c', startsOn: '2027-02-01' }); // missed 02-01..03-02
  const suspended = measure({ id: 'd', status: 'suspended', checkIns: [noon('2027-03-28')] });
  const ended = measure({ id: 'e', status: 'ended', checkIns: [noon('2027-03-29')] });

  it('is none without measures', () => {
    expect(personCompliance([], now)).toEqual({
      status: 'none',
      nextDueAt: null,
      lastCheckInAt: null,
      openReferralIds: [],
    });
  });

  it('is non_compliant while a referral awaits its outcome, above overdue and without measures', () => {
    expect(personCompliance([due, overdue], now, DEFAULT_RULES, ['r1'])).toEqual({
      ...personCompliance([due, overdue], now),
      status: 'non_compliant',
      openReferralIds: ['r1'],
    });
    expect(personCompliance([], now, DEFAULT_RULES, ['r1', 'r2'])).toEqual({
      status: 'non_compliant',
      nextDueAt: null,
      lastCheckInAt: null,
      openReferralIds: ['r1', 'r2'],
    });
  });

  it.each<[ReportingMeasure[], ComplianceStatus]>([
    [[compliant], 'compliant'],
    [[compliant, due], 'due'],
    [[due, overdue, compliant], 'overdue'],
    [[suspended, compliant], 'compliant'],
    [[suspended, ended], 'suspended'],
    [[ended], 'ended'],
    [[ended, ended], 'ended'],
  ])('takes the worst status of %#', (measures, status) => {
    expect(personCompliance(measures, now).status).toBe(status);
  });

  it('takes the earliest nextDueAt of measures in effect and the latest check-in of all', () => {
    const result = personCompliance([compliant, due, suspended, ended], now);
    expect(iso(result.nextDueAt)).toBe('2027-03-31T22:00:00.000Z');
    expect(result.lastCheckInAt).toEqual(noon('2027-03-29'));
    expect(personCompliance([suspended, ended], now)).toEqual({
      status: 'suspended',
      nextDueAt: null,
      lastCheckInAt: noon('2027-03-29'),
      openReferralIds: [],
    });
  });

  it('uses the default rules', () => {
    expect(personCompliance([due], now, DEFAULT_RULES)).toEqual(personCompliance([due], now));
  });
});

/** 1 = Monday ... 7 = Sunday. */
const isoWeekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** The last day of a full period starting on `start`, stated per kind as the rules say it. */
function naturalLastDay(m: ReportingMeasure, start: string): string {
  switch (m.kind ?? 'every_days') {
    case 'every_days':
      return addDays(start, (m.everyDays as number) - 1);
    case 'monthly': {
      const [y, mo] = start.split('-').map(Number);
      return new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10); // day 0 of the next month
    }
    case 'weekly':
      return addDays(start, 7 - isoWeekday(start));
    case 'weekdays': {
      const ahead = (m.weekdays ?? []).map((d) => (d - isoWeekday(start) + 7) % 7);
      return addDays(start, Math.min(...ahead));
    }
  }
}

describe('calendar schedules', () => {
  const at = (date: string) => noon(date);

  it('monthly: a check-in on the 1st of each month misses nothing; every 30 days misses March', () => {
    const checkIns = ['2027-01-01', '2027-02-01', '2027-03-01', '2027-04-01'].map(at);
    const monthly = measure({ startsOn: '2027-01-01', kind: 'monthly', everyDays: null, checkIns });
    const result = measureCompliance(monthly, at('2027-04-10'));
    expect(result).toMatchObject({ status: 'compliant', missed: [], overdueSince: null });
    expect(iso(result.nextDueAt)).toBe('2027-05-31T22:00:00.000Z'); // end of May, Belgrade
    expect(periodsOf(monthly, '2027-04-10').map((p) => [p.startsOn, p.lastDay])).toEqual([
      ['2027-01-01', '2027-01-31'],
      ['2027-02-01', '2027-02-28'],
      ['2027-03-01', '2027-03-31'],
      ['2027-04-01', '2027-04-30'],
    ]);
    const every30 = measureCompliance(measure({ startsOn: '2027-01-01', checkIns }), at('2027-04-10'));
    // Periods: 01-01..01-30, 01-31..03-01, 03-02..03-31 (no check-in), 04-01..: the 1 April check-in made it up.
    expect(every30.missed.map((p) => p.lastDay)).toEqual(['2027-03-31']);
  });

  it('monthly: period 0 runs to the end of the starting month, the last is cut at endsOn', () => {
    const m = measure({ startsOn: '2027-01-20', endsOn: '2027-03-10', kind: 'monthly', everyDays: null });
    expect(periodsOf(m, '2027-12-31').map((p) => [p.startsOn, p.lastDay])).toEqual([
      ['2027-01-20', '2027-01-31'],
      ['2027-02-01', '2027-02-28'],
      ['2027-03-01', '2027-03-10'],
    ]);
    const leap = measure({ startsOn: '2028-02-10', kind: 'monthly', everyDays: null });
    expect(periodsOf(leap, '2028-02-10')[0].lastDay).toBe('2028-02-29');
  });

  it('weekly: ISO weeks, period 0 from startsOn (a Wednesday) to that Sunday', () => {
    const m = measure({ startsOn: '2027-01-06', kind: 'weekly', everyDays: null });
    expect(periodsOf(m, '2027-01-18').map((p) => [p.startsOn, p.lastDay])).toEqual([
      ['2027-01-06', '2027-01-10'],
      ['2027-01-11', '2027-01-17'],
      ['2027-01-18', '2027-01-24'],
    ]);
    // Due during the last 3 days of the week, missed a day (the grace) after Sunday.
    expect(measureCompliance(m, at('2027-01-07')).status).toBe('compliant');
    expect(measureCompliance(m, at('2027-01-08')).status).toBe('due');
    expect(measureCompliance(m, at('2027-01-11')).status).toBe('compliant');
    expect(measureCompliance(m, at('2027-01-12')).status).toBe('overdue');
    expect(measureCompliance(m, at('2027-01-12')).overdueSince).toBe('2027-01-10');
  });

  it('weekdays: each period ends on a chosen weekday (Monday and Thursday)', () => {
    const m = measure({ startsOn: '2027-01-06', kind: 'weekdays', everyDays: null, weekdays: [1, 4] });
    expect(periodsOf(m, '2027-01-19').map((p) => [p.startsOn, p.lastDay])).toEqual([
      ['2027-01-06', '2027-01-07'],
      ['2027-01-08', '2027-01-11'],
      ['2027-01-12', '2027-01-14'],
      ['2027-01-15', '2027-01-18'],
      ['2027-01-19', '2027-01-21'],
    ]);
    // Started on a chosen weekday: period 0 is that one day.
    const thursday = measure({ startsOn: '2027-01-07', kind: 'weekdays', everyDays: null, weekdays: [4] });
    expect(periodsOf(thursday, '2027-01-08').map((p) => [p.startsOn, p.lastDay])).toEqual([
      ['2027-01-07', '2027-01-07'],
      ['2027-01-08', '2027-01-14'],
    ]);
  });

  it('excuses a period touching custody (its end day is not in custody)', () => {
    const m = measure({
      startsOn: '2027-01-01',
      kind: 'monthly',
      everyDays: null,
      custody: [{ from: '2027-02-15', to: '2027-04-01' }],
    });
    const periods = periodsOf(m, '2027-04-30');
    expect(periods.map((p) => p.excused)).toEqual([false, true, true, false]);
    const result = measureCompliance({ ...m, checkIns: [at('2027-01-05')] }, at('2027-04-10'));
    expect(result.missed).toEqual([]);
    expect(result.status).toBe('compliant');
    // No known end: excused from its first day on.
    const open = { ...m, custody: [{ from: '2027-02-15', to: null }] };
    expect(periodsOf(open, '2027-06-01').map((p) => p.excused)).toEqual([false, true, true, true, true, true]);
  });

  it('rejects a schedule that is not one', () => {
    expect(() => periodsOf(measure({ kind: 'weekdays', weekdays: [] }), '2027-02-01')).toThrow(RangeError);
    expect(() => periodsOf(measure({ kind: 'weekdays', weekdays: [4, 1] }), '2027-02-01')).toThrow(RangeError);
    expect(() => periodsOf(measure({ kind: 'weekdays', weekdays: [0] }), '2027-02-01')).toThrow(RangeError);
    expect(() => periodsOf(measure({ everyDays: null }), '2027-02-01')).toThrow(RangeError);
  });
});

describe('properties', () => {
  const runs = { numRuns: 200 };
  const startArb = fc.integer({ min: 0, max: 3287 }).map((n) => addDays('2024-01-01', n)); // to 2032-12-31
  const instantArb = fc.integer({ min: Date.UTC(2023, 6, 1), max: Date.UTC(2034, 0, 1) }).map((ms) => new Date(ms));

  /** A measure (with `now`) whose check-ins and suspensions mostly fall around its periods. */
  const scenarioArb = fc
    .record({
      startsOn: startArb,
      kind: fc.constantFrom<ScheduleKind>('every_days', 'every_days', 'monthly', 'weekly', 'weekdays'),
      everyDays: fc.integer({ min: 1, max: 366 }),
      weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
      custody: fc.array(
        fc.record({ from: fc.integer({ min: -60, max: 2000 }), days: fc.option(fc.integer({ min: 0, max: 200 })) }),
        { maxLength: 1 },
      ),
      lengthDays: fc.integer({ min: 0, max: 2000 }),
      status: fc.constantFrom<ReportingMeasure['status']>('active', 'active', 'active', 'suspended', 'ended'),
      suspensions: fc.array(
        fc.record({ from: fc.integer({ min: -30, max: 2000 }), days: fc.option(fc.integer({ min: 0, max: 200 })) }),
        { maxLength: 2 },
      ),
      checkIns: fc.array(fc.oneof(fc.integer({ min: -10 * DAY, max: 2100 * DAY }), instantArb), { maxLength: 8 }),
      now: fc.oneof(fc.integer({ min: -30 * DAY, max: 2100 * DAY }), instantArb),
    })
    .map(({ startsOn, kind, everyDays, weekdays, custody, lengthDays, status, suspensions, checkIns, now }) => {
      const origin = belgradeMidnight(startsOn).getTime();
      const instant = (x: number | Date) => (x instanceof Date ? x : new Date(origin + x));
      const span = ({ from, days }: { from: number; days: number | null }) => ({
        from: addDays(startsOn, from),
        to: days === null ? null : addDays(startsOn, from + days),
      });
      const m: ReportingMeasure = {
        id: 'p',
        startsOn,
        endsOn: addDays(startsOn, lengthDays),
        kind,
        everyDays: kind === 'every_days' ? everyDays : null,
        weekdays: kind === 'weekdays' ? [...weekdays].sort((a, b) => a - b) : null,
        status,
        suspensions: suspensions.map(span),
        custody: custody.map(span),
        checkIns: checkIns.map(instant),
      };
      return { m, now: instant(now) };
    });

  const severity: Record<ComplianceStatus, number> = {
    none: 0,
    ended: 0,
    suspended: 0,
    compliant: 1,
    due: 2,
    overdue: 3,
    non_compliant: 4,
  };

  it('cuts contiguous periods from startsOn, full length except a last one ending on endsOn', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: -10, max: 2100 }), ({ m }, k) => {
        const through = addDays(m.startsOn, k);
        const limit = through < m.endsOn ? through : m.endsOn;
        const periods = periodsOf(m, through);
        if (through < m.startsOn) return expect(periods).toEqual([]);
        expect(periods[0].startsOn).toBe(m.startsOn);
        // Collect the deviations and assert once: a daily measure has thousands of periods.
        const wrong = periods.filter((p, i) => {
          const full = naturalLastDay(m, p.startsOn);
          return (
            p.index !== i ||
            p.startsOn !== (i === 0 ? m.startsOn : addDays(periods[i - 1].lastDay, 1)) ||
            p.startsOn > limit ||
            p.lastDay !== (i < periods.length - 1 ? full : full < m.endsOn ? full : m.endsOn)
          );
        });
        expect(wrong).toEqual([]);
        const last = periods[periods.length - 1];
        expect(addDays(last.lastDay, 1) > limit).toBe(true); // the next one would start after the limit
        if (through >= m.endsOn) expect(last.lastDay).toBe(m.endsOn);
      }),
      runs,
    );
  });

  it('ends every period at the Belgrade midnight after its lastDay, missed graceHours later', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.integer({ min: 0, max: 72 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        ({ m }, graceHours, picks) => {
          const periods = periodsOf(m, m.endsOn, { graceHours, dueSoonDays: 3 });
          // belgradeToday is slow: check the first and last periods and a random few.
          const sample = [0, periods.length - 1, ...picks.map((n) => n % periods.length)];
          for (const p of sample.map((i) => periods[i])) {
            expect(belgradeToday(p.endsAt)).toBe(addDays(p.lastDay, 1));
            expect(belgradeToday(new Date(p.endsAt.getTime() - 1))).toBe(p.lastDay);
            expect(p.missedAt.getTime() - p.endsAt.getTime()).toBe(graceHours * HOUR);
          }
        },
      ),
      runs,
    );
  });

  it('is never overdue with a check-in in every period up to today', () => {
    fc.assert(
      fc.property(scenarioArb, fc.double({ min: 0, max: 1, noNaN: true }), ({ m, now }, fraction) => {
        const periods = periodsOf(m, belgradeToday(now));
        const checkIns = periods.map((p) => {
          const start = belgradeMidnight(p.startsOn).getTime();
          const at = start + Math.floor(fraction * (p.endsAt.getTime() - start - 1));
          return new Date(Math.min(at, now.getTime())); // no check-ins from the future
        });
        const result = measureCompliance({ ...m, checkIns: [...m.checkIns, ...checkIns] }, now);
        expect(result.status).not.toBe('overdue');
        expect(result.missed).toEqual([]);
      }),
      runs,
    );
  });

  it('never gets worse with one more check-in', () => {
    fc.assert(
      fc.property(scenarioArb, instantArb, ({ m, now }, extra) => {
        const before = measureCompliance(m, now);
        const after = measureCompliance({ ...m, checkIns: [...m.checkIns, extra] }, now);
        expect(severity[after.status]).toBeLessThanOrEqual(severity[before.status]);
        expect(after.missed.length).toBeLessThanOrEqual(before.missed.length);
      }),
      runs,
    );
  });

  it('clears overdue (and due) with a check-in at now', () => {
    fc.assert(
      fc.property(scenarioArb, ({ m, now }) => {
        const result = measureCompliance({ ...m, checkIns: [...m.checkIns, now] }, now);
        expect(['compliant', 'suspended', 'ended']).toContain(result.status);
        expect(result.overdueSince).toBeNull();
      }),
      runs,
    );
  });

  it('does not depend on the order of check-ins', () => {
    fc.assert(
      fc.property(scenarioArb, ({ m, now }) => {
        const result = measureCompliance(m, now);
        const reversed = measureCompliance({ ...m, checkIns: [...m.checkIns].reverse() }, now);
        const sorted = measureCompliance({ ...m, checkIns: [...m.checkIns].sort((a, b) => +a - +b) }, now);
        expect(reversed).toEqual(result);
        expect(sorted).toEqual(result);
      }),
      runs,
    );
  });

  it('is overdue since period 0 without check-ins once period 0 is missed', () => {
    fc.assert(
      fc.property(
        startArb,
        fc.integer({ min: 1, max: 366 }),
        fc.integer({ min: 0, max: 1000 * DAY }),
        fc.integer({ min: 0, max: 500 }),
        (startsOn, everyDays, afterMissed, extraDays) => {
          // Period 0 in full; then pick now at or after its missedAt and an endsOn on or after today.
          const [p0] = periodsOf({ ...measure(), startsOn, endsOn: addDays(startsOn, everyDays), everyDays }, startsOn);
          const now = new Date(p0.missedAt.getTime() + afterMissed);
          const m = measure({ startsOn, everyDays, endsOn: addDays(belgradeToday(now), extraDays) });
          const result = measureCompliance(m, now);
          expect(result.status).toBe('overdue');
          expect(result.overdueSince).toBe(p0.lastDay);
          expect(result.missed[0].lastDay).toBe(p0.lastDay);
        },
      ),
      runs,
    );
  });
});
