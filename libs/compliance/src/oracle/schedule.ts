/**
 * The test oracle for compliance with the "periodic reporting" measure: the person must check in,
 * in person, at least once in every period of the schedule of each authority they report to (the
 * police administration's, and a UIKS office's if the measure names one). A schedule cuts the
 * measure's days into periods, from its first day:
 * - `every_days`: periods of `everyDays` days;
 * - `monthly`: calendar months (period 0 runs from startsOn to the end of its month);
 * - `weekly`: ISO weeks, Monday to Sunday (period 0 runs from startsOn to that week's Sunday);
 * - `weekdays`: each period ends on one of the chosen ISO weekdays (1 = Monday ... 7 = Sunday);
 *   period 0 runs from startsOn to the first chosen weekday on or after it, each next period from
 *   the day after the previous one ended.
 * The last period is cut at endsOn. A period touching a suspension of the measure, or a day the
 * person spent in custody, is excused: never due, never missed.
 *
 * At run time the rules live in SQL alone (`schedule_compliance`, `person_compliance`); this is the
 * same rules stated again, independently, as pure functions over plain values, for the property
 * tests (`schedule.spec.ts`, test/compliance/sql-agrees.e2e-spec.ts) to hold the SQL to. No run-time
 * file may import it (`boundaries.spec.ts` checks). Days are Europe/Belgrade calendar dates
 * (YYYY-MM-DD, compared as strings) and a day ends at the next Belgrade midnight.
 */
import { addDays, belgradeMidnight, belgradeToday, isRealDate } from '@app/common';
import type { ComplianceStatus } from '../compliance.service';

export type { ComplianceStatus };

export type ScheduleKind = 'every_days' | 'monthly' | 'weekly' | 'weekdays';

/** One authority's schedule of a reporting measure, with the facts its compliance depends on. */
export interface ReportingMeasure {
  id: string;
  /** First day of period 0. */
  startsOn: string;
  /** Last day the measure applies (inclusive). */
  endsOn: string;
  /** How periods are cut; `every_days` when absent. */
  kind?: ScheduleKind;
  /** Length of a period in days, 1..366 (`every_days` only). */
  everyDays?: number | null;
  /** The ISO weekdays (1..7) periods end on, sorted and distinct (`weekdays` only). */
  weekdays?: ReadonlyArray<number> | null;
  status: 'active' | 'suspended' | 'ended';
  /** Days from `from` (inclusive) to `to` (exclusive; null = still suspended). */
  suspensions: ReadonlyArray<{ from: string; to: string | null }>;
  /** The person's days in custody: from `from` (inclusive) to `to` (exclusive; null = no known end). */
  custody?: ReadonlyArray<{ from: string; to: string | null }>;
  /** When the (not voided) check-ins made at this schedule's authority occurred, in any order. */
  checkIns: ReadonlyArray<Date>;
}

/** The same thing, by the name the two authorities give it. */
export type ReportingSchedule = ReportingMeasure;

export interface ComplianceRules {
  /** How long after a period ends a missing check-in counts as missed. */
  graceHours: number;
  /** A period not yet checked in is `due` during its last `dueSoonDays` days. */
  dueSoonDays: number;
}

export const DEFAULT_RULES: ComplianceRules = Object.freeze({ graceHours: 24, dueSoonDays: 3 });

export interface Period {
  /** 0, 1, 2... */
  index: number;
  /** measure.startsOn for period 0, else the day after period index - 1's natural last day. */
  startsOn: string;
  /** The period's due date: its last full day, or measure.endsOn if that comes first. */
  lastDay: string;
  /** Belgrade midnight at the end of lastDay. */
  endsAt: Date;
  /** endsAt + graceHours. */
  missedAt: Date;
  /** Some day of the period lies in a suspension or in custody. */
  excused: boolean;
  /** Some check-in's Belgrade date lies in [startsOn, lastDay]. */
  checkedIn: boolean;
}

export interface MeasureCompliance {
  status: Exclude<ComplianceStatus, 'none'>;
  nextDueAt: Date | null;
  lastCheckInAt: Date | null;
  /** lastDay of the oldest missed period not made up (null unless overdue). */
  overdueSince: string | null;
  /** Every missed period, made up or not, oldest first. */
  missed: Period[];
  /** The period containing today's Belgrade date, null if none. */
  current: Period | null;
}

export interface PersonCompliance {
  status: ComplianceStatus;
  nextDueAt: Date | null;
  lastCheckInAt: Date | null;
  /** The referrals to the prosecutor awaiting their outcome, as given. */
  openReferralIds: string[];
}

const HOUR_MS = 3_600_000;

/** The statuses of a measure in effect (neither suspended nor ended), mildest first. */
const ACTIVE_SEVERITY = { compliant: 0, due: 1, overdue: 2 } as const;
type ActiveStatus = keyof typeof ACTIVE_SEVERITY;

/** A measure checked once and prepared for building periods. */
interface Schedule {
  measure: ReportingMeasure;
  rules: ComplianceRules;
  /** The Belgrade dates of the check-ins, sorted. */
  checkInDays: string[];
  /** starts[k]: the first day of period k, computed as far as asked (starts[0] = startsOn). */
  starts: string[];
}

/** The periods that start on or before `throughDate` (and on or before measure.endsOn), in order. */
export function periodsOf(
  measure: ReportingMeasure,
  throughDate: string,
  rules: ComplianceRules = DEFAULT_RULES,
): Period[] {
  assertDate(throughDate, 'throughDate');
  return periodsThrough(prepare(measure, rules), throughDate);
}

export function measureCompliance(
  measure: ReportingMeasure,
  now: Date,
  rules: ComplianceRules = DEFAULT_RULES,
): MeasureCompliance {
  assertInstant(now, 'now');
  const schedule = prepare(measure, rules);
  const today = belgradeToday(now);
  // Periods starting after today cannot be missed yet.
  const periods = periodsThrough(schedule, today);
  const last = periods.at(-1);
  const current = last && today <= last.lastDay ? last : null;
  const lastCheckInAt = latest(measure.checkIns);

  const missed = periods.filter((p) => !p.excused && !p.checkedIn && now.getTime() >= p.missedAt.getTime());
  // A missed period is made up by any later check-in (at or after its end); `missed` is oldest first.
  const notMadeUp = missed.find((p) => lastCheckInAt === null || lastCheckInAt.getTime() < p.endsAt.getTime());

  let status: MeasureCompliance['status'];
  if (measure.status === 'ended' || today > measure.endsOn) status = 'ended';
  else if (measure.status === 'suspended') status = 'suspended';
  else if (notMadeUp) status = 'overdue';
  else if (
    current &&
    !current.checkedIn &&
    !current.excused &&
    today >= addDays(current.lastDay, 1 - rules.dueSoonDays)
  )
    status = 'due';
  else status = 'compliant';

  return {
    status,
    nextDueAt: isActive(status) ? nextDue(schedule, today, current) : null,
    lastCheckInAt,
    overdueSince: status === 'overdue' && notMadeUp ? notMadeUp.lastDay : null,
    missed,
    current,
  };
}

/**
 * One person's compliance over their reporting measures: the worst status of the measures in effect
 * (overdue > due > compliant); when none is in effect, `suspended` if any is suspended, else `ended`.
 * A referral to the prosecutor awaiting its outcome (`openReferralIds`) makes it `non_compliant`,
 * above them all.
 */
export function personCompliance(
  measures: ReadonlyArray<ReportingMeasure>,
  now: Date,
  rules: ComplianceRules = DEFAULT_RULES,
  openReferralIds: readonly string[] = [],
): PersonCompliance {
  const referred = { openReferralIds: [...openReferralIds] };
  const ofMeasures = measuresCompliance(measures, now, rules);
  return openReferralIds.length > 0
    ? { ...ofMeasures, status: 'non_compliant', ...referred }
    : { ...ofMeasures, ...referred };
}

function measuresCompliance(
  measures: ReadonlyArray<ReportingMeasure>,
  now: Date,
  rules: ComplianceRules,
): Omit<PersonCompliance, 'openReferralIds'> {
  if (measures.length === 0) return { status: 'none', nextDueAt: null, lastCheckInAt: null };
  const results = measures.map((measure) => measureCompliance(measure, now, rules));
  const active = results.filter((r) => isActive(r.status));
  const activeStatuses = results.map((r) => r.status).filter(isActive);

  let status: ComplianceStatus;
  if (activeStatuses.length > 0) {
    status = activeStatuses.reduce((worst, s) => (ACTIVE_SEVERITY[s] > ACTIVE_SEVERITY[worst] ? s : worst));
  } else {
    status = results.some((r) => r.status === 'suspended') ? 'suspended' : 'ended';
  }
  return {
    status,
    nextDueAt: earliest(active.map((r) => r.nextDueAt)),
    lastCheckInAt: latest(results.map((r) => r.lastCheckInAt)),
  };
}

export function isActive(status: ComplianceStatus): status is ActiveStatus {
  return status in ACTIVE_SEVERITY;
}

/** Validates the measure and the rules (cheaply) and sorts the check-in days. */
function prepare(measure: ReportingMeasure, rules: ComplianceRules): Schedule {
  const kind = measure.kind ?? 'every_days';
  if (kind === 'every_days') {
    const { everyDays } = measure;
    if (typeof everyDays !== 'number' || !Number.isInteger(everyDays) || everyDays < 1 || everyDays > 366) {
      throw new RangeError(`everyDays must be an integer from 1 to 366, got ${everyDays}`);
    }
  } else if (kind === 'weekdays') {
    const days = measure.weekdays ?? [];
    if (
      days.length === 0 ||
      days.some((d, i) => !Number.isInteger(d) || d < 1 || d > 7 || (i > 0 && d <= days[i - 1]))
    ) {
      throw new RangeError(`weekdays must be distinct ISO weekdays 1..7 in order, got ${JSON.stringify(days)}`);
    }
  } else if (kind !== 'monthly' && kind !== 'weekly') {
    throw new RangeError(`unknown schedule kind ${String(kind)}`);
  }
  assertDate(measure.startsOn, 'startsOn');
  assertDate(measure.endsOn, 'endsOn');
  if (measure.endsOn < measure.startsOn) {
    throw new RangeError(`endsOn ${measure.endsOn} is before startsOn ${measure.startsOn}`);
  }
  for (const { from, to } of [...measure.suspensions, ...(measure.custody ?? [])]) {
    assertDate(from, 'suspension or custody from');
    if (to !== null) assertDate(to, 'suspension or custody to');
  }
  if (!(rules.graceHours >= 0) || !(rules.dueSoonDays >= 0)) {
    throw new RangeError('graceHours and dueSoonDays must not be negative');
  }
  const checkInDays = measure.checkIns.map((at) => belgradeToday(assertInstant(at, 'check-in'))).sort();
  return { measure, rules, checkInDays, starts: [measure.startsOn] };
}

/**
 * The first day of the period after the one starting on `start` (that period's natural last day
 * is the day before), found by walking the calendar forward.
 */
function nextStart(measure: ReportingMeasure, start: string): string {
  switch (measure.kind ?? 'every_days') {
    case 'every_days':
      return addDays(start, measure.everyDays as number);
    case 'monthly': {
      // The first of the next month.
      const [y, m] = start.split('-').map(Number);
      return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    }
    case 'weekly': {
      // The next Monday.
      let day = addDays(start, 1);
      while (isoWeekday(day) !== 1) day = addDays(day, 1);
      return day;
    }
    case 'weekdays': {
      // The day after the first chosen weekday on or after start.
      let day = start;
      while (!(measure.weekdays ?? []).includes(isoWeekday(day))) day = addDays(day, 1);
      return addDays(day, 1);
    }
  }
}

/** 1 = Monday ... 7 = Sunday. */
function isoWeekday(date: string): number {
  const sunday0 = new Date(`${date}T00:00:00Z`).getUTCDay();
  return sunday0 === 0 ? 7 : sunday0;
}

/** The first day of period `index` (extending the schedule's list of starts as needed). */
function startOf(schedule: Schedule, index: number): string {
  const { starts, measure } = schedule;
  while (starts.length <= index) {
    const last = starts[starts.length - 1];
    // Past endsOn no period exists: stop extending (the caller checks startsOn > endsOn).
    if (last > measure.endsOn) return last;
    starts.push(nextStart(measure, last));
  }
  return starts[index];
}

/** Whether [from, to) (to null: no end) has a day in [first, last]. */
function touches({ from, to }: { from: string; to: string | null }, first: string, last: string): boolean {
  // A span with to <= from has no days.
  return from <= last && (to === null || (to > from && to > first));
}

function periodsThrough(schedule: Schedule, throughDate: string): Period[] {
  const periods: Period[] = [];
  for (let p = periodAt(schedule, 0); p && p.startsOn <= throughDate; p = periodAt(schedule, p.index + 1)) {
    periods.push(p);
  }
  return periods;
}

/** Period `index` of the measure, or null if it would start after measure.endsOn. */
function periodAt(schedule: Schedule, index: number): Period | null {
  const { measure, rules, checkInDays } = schedule;
  const startsOn = startOf(schedule, index);
  if (startsOn > measure.endsOn) return null;
  const fullLastDay = addDays(startOf(schedule, index + 1), -1);
  const lastDay = fullLastDay < measure.endsOn ? fullLastDay : measure.endsOn;
  const endsAt = midnightAfter(lastDay);
  return {
    index,
    startsOn,
    lastDay,
    endsAt,
    missedAt: new Date(endsAt.getTime() + rules.graceHours * HOUR_MS),
    excused:
      measure.suspensions.some((span) => touches(span, startsOn, lastDay)) ||
      (measure.custody ?? []).some((span) => touches(span, startsOn, lastDay)),
    checkedIn: hasDayIn(checkInDays, startsOn, lastDay),
  };
}

/** When the next check-in is due, for a measure in effect. */
function nextDue(schedule: Schedule, today: string, current: Period | null): Date | null {
  // Period 0 always exists: endsOn >= startsOn.
  if (today < schedule.measure.startsOn) return periodAt(schedule, 0)?.endsAt ?? null;
  if (!current) return null;
  if (!current.checkedIn) return current.endsAt;
  return periodAt(schedule, current.index + 1)?.endsAt ?? null;
}

/** Whether the sorted `days` include a day in [from, to]. */
function hasDayIn(days: string[], from: string, to: string): boolean {
  // Binary search for the first day >= from.
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (days[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < days.length && days[lo] <= to;
}

// belgradeMidnight goes through Intl, which is slow, and schedules ask for the same dates over and
// over (a daily measure has thousands of periods): remember the answers, within a bound.
const midnights = new Map<string, number>();

/** The Belgrade midnight that ends `date`. */
function midnightAfter(date: string): Date {
  const next = addDays(date, 1);
  let ms = midnights.get(next);
  if (ms === undefined) {
    if (midnights.size >= 50_000) midnights.clear();
    ms = belgradeMidnight(next).getTime();
    midnights.set(next, ms);
  }
  return new Date(ms);
}

function latest(dates: ReadonlyArray<Date | null>): Date | null {
  let best: number | null = null;
  for (const d of dates) if (d && (best === null || d.getTime() > best)) best = d.getTime();
  return best === null ? null : new Date(best);
}

function earliest(dates: ReadonlyArray<Date | null>): Date | null {
  let best: number | null = null;
  for (const d of dates) if (d && (best === null || d.getTime() < best)) best = d.getTime();
  return best === null ? null : new Date(best);
}

function assertDate(value: string, what: string): void {
  if (typeof value !== 'string' || !isRealDate(value)) throw new RangeError(`${what} is not a real date: ${value}`);
}

function assertInstant(value: Date, what: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new RangeError(`${what} is not a valid instant`);
  return value;
}
