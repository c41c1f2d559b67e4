import fc from 'fast-check';
import { addDays, belgradeMidnight, belgradeToday } from '@app/common';
import { ComplianceService } from '@app/compliance';
// The oracle is no part of the library's door: the rules' one run-time source is the SQL.
import {
  measureCompliance,
  periodsOf,
  personCompliance,
  type ReportingMeasure,
  type ScheduleKind,
} from '../../libs/compliance/src/oracle/schedule';
import { registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

const DAY = 86_400_000;
const RULES = { graceHours: 24, dueSoonDays: 3 };

/**
 * Compliance is computed, at run time, in SQL only (`schedule_compliance`,
 * `person_compliance`). The pure schedule states the same rules again as a
 * test oracle, and the two must agree on every input: random schedules of
 * every kind at either authority or as a counselling measure's (attendances
 * are its check-ins, at Belgrade midnight of the day), suspensions, custody,
 * check-ins at both authorities and moments, across month ends, leap days and daylight-saving
 * changes.
 */
describe('compliance in SQL agrees with the pure schedule', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const HOUR = 3_600_000;
  const scenario = fc
    .record({
      startOffset: fc.integer({ min: 0, max: 1500 }),
      kind: fc.constantFrom<ScheduleKind>('every_days', 'monthly', 'weekly', 'weekdays'),
      everyDays: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 11, max: 120 })),
      weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
      authority: fc.constantFrom('police' as const, 'uiks' as const, 'counselling' as const),
      length: fc.integer({ min: 1, max: 900 }),
      status: fc.constantFrom('active', 'active', 'active', 'suspended', 'ended'),
      suspension: fc.option(
        fc.record({ from: fc.integer({ min: 0, max: 400 }), days: fc.option(fc.integer({ min: 0, max: 90 })) }),
        { freq: 3 },
      ),
      // Custody from a conviction: from `from` days after the start (maybe before it) for `days` (null: no end).
      custody: fc.option(
        fc.record({ from: fc.integer({ min: -200, max: 400 }), days: fc.option(fc.integer({ min: 1, max: 120 })) }),
        { freq: 3 },
      ),
      // Each check-in at this schedule's authority or at the other one (which must not count).
      checkIns: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), here: fc.boolean() }), {
        maxLength: 5,
      }),
      // Now: anywhere, or within hours of a period's end plus the grace, or of the start of its last three days.
      now: fc.oneof(
        fc.record({ kind: fc.constant('anywhere' as const), fraction: fc.double({ min: 0, max: 1.3, noNaN: true }) }),
        fc.record({
          kind: fc.constantFrom('missed' as const, 'due' as const),
          period: fc.double({ min: 0, max: 1, noNaN: true }),
          hours: fc.integer({ min: -3, max: 3 }),
        }),
      ),
    })
    .map((s) => {
      const startsOn = addDays('2024-01-01', s.startOffset);
      const endsOn = addDays(startsOn, s.length);
      const schedule = {
        kind: s.kind,
        everyDays: s.kind === 'every_days' ? s.everyDays : null,
        weekdays: s.kind === 'weekdays' ? [...s.weekdays].sort((a, b) => a - b) : null,
      };
      const start = belgradeMidnight(startsOn).getTime();
      let nowMs: number;
      if (s.now.kind === 'anywhere') {
        nowMs = start + Math.floor(s.now.fraction * (s.length + 40) * DAY);
      } else {
        const periods = periodsOf(
          { id: '', startsOn, endsOn, ...schedule, status: 'active', suspensions: [], checkIns: [] },
          endsOn,
        );
        const periodEnd = addDays(periods[Math.floor(s.now.period * (periods.length - 1))].lastDay, 1);
        const boundary =
          s.now.kind === 'missed'
            ? belgradeMidnight(periodEnd).getTime() + 24 * HOUR
            : belgradeMidnight(addDays(periodEnd, -3)).getTime();
        nowMs = Math.max(start, boundary + s.now.hours * HOUR);
      }
      const now = new Date(nowMs);
      const span = (from: number, days: number | null) => ({
        from: addDays(startsOn, from),
        to: days === null ? null : addDays(startsOn, from + days),
      });
      const suspensions = s.suspension ? [span(s.suspension.from, s.suspension.days)] : [];
      const custody = s.custody ? [span(s.custody.from, s.custody.days)] : [];
      const checkIns = s.checkIns.map((c) => ({
        at: new Date(start + Math.floor(c.at * (nowMs - start))),
        authority: c.here ? s.authority : s.authority === 'police' ? ('uiks' as const) : ('police' as const),
      }));
      return {
        startsOn,
        endsOn,
        ...schedule,
        authority: s.authority,
        status: s.status,
        suspensions,
        custody,
        checkIns,
        now,
      };
    });

  type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

  /**
   * Records the scenario's measure for the person: its schedule at the scenario's authority (the
   * other one every 30 days), its suspensions, the person's custody and the check-ins at either
   * authority. Returns the schedule's id and the schedule as the oracle sees it.
   */
  async function record(person: string, s: Scenario): Promise<{ scheduleId: string; measure: ReportingMeasure }> {
    if (s.authority === 'counselling') return recordCounselling(person, s);
    const police = s.authority === 'police' ? s : { kind: 'every_days', everyDays: 30, weekdays: null };
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO measures (person_id, type, starts_on, ends_on, report_to, schedule_kind, every_days, weekdays, status)
       VALUES ($1, 'periodic_reporting', $2, $3, 'PU-NIS', $4, $5, $6, $7) RETURNING id`,
      [person, s.startsOn, s.endsOn, police.kind, police.everyDays, police.weekdays, s.status],
    );
    const uiks = s.authority === 'uiks' ? s : { kind: 'every_days', everyDays: 30, weekdays: null };
    const [office] = await t.dataSource.query(
      `INSERT INTO office_reporting_schedules (person_id, measure_id, office, schedule_kind, every_days, weekdays)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [person, id, OFFICE, uiks.kind, uiks.everyDays, uiks.weekdays],
    );
    await suspensionsAndCustody(person, id, s);
    for (const c of s.checkIns) {
      await t.dataSource.query(
        `INSERT INTO check_ins (person_id, measure_id, occurred_at, place, method, recorded_by, authority, office)
         VALUES ($1, $2, $3, 'Niš', 'in_person', $1, $4, $5)`,
        [person, id, c.at, c.authority, c.authority === 'uiks' ? OFFICE : null],
      );
    }
    return {
      scheduleId: s.authority === 'police' ? id : office.id,
      measure: {
        id,
        startsOn: s.startsOn,
        endsOn: s.endsOn,
        kind: s.kind,
        everyDays: s.everyDays,
        weekdays: s.weekdays,
        status: s.status as ReportingMeasure['status'],
        suspensions: s.suspensions,
        custody: s.custody,
        checkIns: s.checkIns.filter((c) => c.authority === s.authority).map((c) => c.at),
      },
    };
  }

  /** Facts shared by both kinds of scenario: the measure's suspensions and the person's custody. */
  async function suspensionsAndCustody(person: string, measureId: string, s: Scenario): Promise<void> {
    for (const suspension of s.suspensions) {
      await t.dataSource.query(`INSERT INTO measure_suspensions (measure_id, from_on, to_on) VALUES ($1, $2, $3)`, [
        measureId,
        suspension.from,
        suspension.to,
      ]);
    }
    for (const custody of s.custody) {
      // In custody from custody_from to released_on (exclusive); no release yet and no expected one: no known end.
      await t.dataSource.query(
        `INSERT INTO convictions (person_id, court, case_number, judgment_date, finality_date, offences, victim_age,
                                  sentence_kind, sentence_months, custody_from, released_on, release_facility)
         VALUES ($1, 'Viši sud u Nišu', 'K 1/2020', '2020-01-10', '2020-03-01', '[{"article":"180","paragraph":null}]',
                 'child', 'imprisonment', 60, $2, $3, CASE WHEN $3::date IS NOT NULL THEN 'KPZ Niš' END)`,
        [person, custody.from, custody.to],
      );
    }
  }

  /**
   * A counselling measure on the scenario's schedule; its check-ins "here" are attendances on their
   * Belgrade day (the others are not recorded: nothing else counts for counselling).
   */
  async function recordCounselling(
    person: string,
    s: Scenario,
  ): Promise<{ scheduleId: string; measure: ReportingMeasure }> {
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO measures (person_id, type, starts_on, ends_on, counselling_institution, schedule_kind, every_days,
                             weekdays, status)
       VALUES ($1, 'counselling', $2, $3, 'CSR-NIS', $4, $5, $6, $7) RETURNING id`,
      [person, s.startsOn, s.endsOn, s.kind, s.everyDays, s.weekdays, s.status],
    );
    await suspensionsAndCustody(person, id, s);
    const days = s.checkIns.filter((c) => c.authority === 'counselling').map((c) => belgradeToday(c.at));
    for (const day of days) {
      await t.dataSource.query(
        `INSERT INTO counselling_attendances (person_id, measure_id, attended_on, institution, recorded_by)
         VALUES ($1, $2, $3, 'CSR Niš', $1)`,
        [person, id, day],
      );
    }
    return {
      scheduleId: id,
      measure: {
        id,
        startsOn: s.startsOn,
        endsOn: s.endsOn,
        kind: s.kind,
        everyDays: s.everyDays,
        weekdays: s.weekdays,
        status: s.status as ReportingMeasure['status'],
        suspensions: s.suspensions,
        custody: s.custody,
        checkIns: days.map(belgradeMidnight),
      },
    };
  }

  const iso = (at: Date | null) => at?.toISOString() ?? null;

  it('on status, overdue date, next due and last check-in', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        // A person each: custody is the person's.
        const { scheduleId, measure } = await record((await registerPerson(t)).id, s);
        const [sql] = await t.dataSource.query(
          `SELECT c.status, c.overdue_since::text, c.next_due_at, c.last_check_in_at
             FROM register_reporting_schedules m, schedule_compliance(m, $2, 24, 3) c WHERE m.id = $1`,
          [scheduleId, s.now],
        );
        const pure = measureCompliance(measure, s.now, RULES);
        expect({
          status: sql.status,
          overdueSince: sql.overdue_since,
          nextDueAt: iso(sql.next_due_at),
          lastCheckInAt: iso(sql.last_check_in_at),
        }).toEqual({
          status: pure.status,
          overdueSince: pure.overdueSince,
          nextDueAt: iso(pure.nextDueAt),
          lastCheckInAt: iso(pure.lastCheckInAt),
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a stored state (migrations ComplianceStates, PersonStates) is the computed compliance anywhere in its window', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.double({ min: 0, max: 1, noNaN: true }), async (s, where) => {
        const person = (await registerPerson(t)).id;
        const { scheduleId } = await record(person, s);
        await t.dataSource.query(`SELECT schedule_states_refresh($1, 24, 3)`, [s.now]);
        const [state] = await t.dataSource.query(
          `SELECT status, overdue_since::text, next_due_at, last_check_in_at, valid_from, valid_until
             FROM schedule_states WHERE schedule_id = $1`,
          [scheduleId],
        );
        const [from, until] = [state.valid_from.getTime(), state.valid_until.getTime()];
        expect(from).toBeLessThanOrEqual(s.now.getTime());
        expect(until).toBeGreaterThan(s.now.getTime());
        // Its first instant, its last (a millisecond before the next tick) or anywhere between.
        const at = new Date(Math.min(until - 1, from + Math.floor(where * (until - from))));
        const [computed] = await t.dataSource.query(
          `SELECT c.status, c.overdue_since::text, c.next_due_at, c.last_check_in_at
             FROM register_reporting_schedules m, schedule_compliance(m, $2, 24, 3) c WHERE m.id = $1`,
          [scheduleId, at],
        );
        expect({
          status: state.status,
          overdueSince: state.overdue_since,
          nextDueAt: iso(state.next_due_at),
          lastCheckInAt: iso(state.last_check_in_at),
        }).toEqual({
          status: computed.status,
          overdueSince: computed.overdue_since,
          nextDueAt: iso(computed.next_due_at),
          lastCheckInAt: iso(computed.last_check_in_at),
        });
        // The person's state: the statuses of all their schedules, computed at that moment, in the same window.
        const [personState] = await t.dataSource.query(
          `SELECT statuses, valid_from, valid_until FROM person_states WHERE person_id = $1`,
          [person],
        );
        const schedules: { status: string }[] = await t.dataSource.query(
          `SELECT c.status FROM register_reporting_schedules m, schedule_compliance(m, $2, 24, 3) c
            WHERE m.person_id = $1`,
          [person, at],
        );
        expect({
          statuses: [...personState.statuses].sort(),
          window: [personState.valid_from.getTime(), personState.valid_until.getTime()],
        }).toEqual({ statuses: schedules.map((c) => c.status).sort(), window: [from, until] });
      }),
      { numRuns: 150 },
    );
    // 150 runs of a refresh each: seconds alone, minutes when the machine is busy.
  }, 240_000);

  it("on a person's compliance over several measures and referrals, as ComplianceService.ofPerson answers it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(scenario, { maxLength: 3 }),
        fc.nat(),
        // Referrals to the prosecutor: each awaiting its outcome (true) or decided.
        fc.array(fc.boolean(), { maxLength: 2 }),
        async (scenarios, pick, referrals) => {
          const person = (await registerPerson(t)).id;
          // One moment for all; no check-in lies after it; the person's custody is all the scenarios'.
          const now = scenarios.length ? scenarios[pick % scenarios.length].now : new Date('2025-06-01T10:00:00Z');
          const custody = scenarios.flatMap((s) => s.custody);
          const schedules: ReportingMeasure[] = [];
          for (const [i, s] of scenarios.entries()) {
            const checkIns = s.checkIns.filter((c) => c.at <= now);
            const { measure } = await record(person, { ...s, checkIns, custody: i === 0 ? custody : [] });
            if (s.authority === 'counselling') {
              schedules.push({ ...measure, custody });
              continue;
            }
            // Both schedules of the measure count: the other authority's is every 30 days.
            const other = s.authority === 'police' ? 'uiks' : 'police';
            schedules.push(
              { ...measure, custody },
              {
                ...measure,
                kind: 'every_days',
                everyDays: 30,
                weekdays: null,
                custody,
                checkIns: checkIns.filter((c) => c.authority === other).map((c) => c.at),
              },
            );
          }
          const open: string[] = [];
          for (const pending of referrals) {
            const [row] = await t.dataSource.query(
              `INSERT INTO referrals (person_id, prosecutor_office, referred_on, referred_by, outcome, outcome_on)
             VALUES ($1, 'OJT', '2025-01-10', $1, $2, $3) RETURNING id`,
              [person, pending ? null : 'dismissed', pending ? null : '2025-02-01'],
            );
            if (pending) open.push(row.id);
          }
          const view = await t.app.get(ComplianceService).ofPerson(t.dataSource.manager, person, now);
          const pure = personCompliance(schedules, now, RULES, open.sort());
          // The person's page takes each schedule's compliance from the same pass (person_compliance_detail).
          const [detail] = await t.dataSource.query(
            `SELECT status, schedules FROM person_compliance_detail($1, $2, 24, 3)`,
            [person, now],
          );
          expect(detail.status).toBe(pure.status);
          expect(((detail.schedules ?? []) as { status: string }[]).map((d) => d.status).sort()).toEqual(
            schedules.map((m) => measureCompliance(m, now, RULES).status).sort(),
          );
          expect({ ...view, nextDueAt: iso(view.nextDueAt), lastCheckInAt: iso(view.lastCheckInAt) }).toEqual({
            status: pure.status,
            nextDueAt: iso(pure.nextDueAt),
            lastCheckInAt: iso(pure.lastCheckInAt),
            openReferralIds: pure.openReferralIds,
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it("reads register's facts only through register's views, which the runtime role may read", async () => {
    const functions: { name: string; source: string; args: string }[] = await t.dataSource.query(
      `SELECT proname AS name, prosrc AS source, pg_get_function_identity_arguments(oid) AS args FROM pg_proc
        WHERE proname IN ('schedule_compliance', 'person_compliance', 'person_compliance_detail', 'period_excused',
                          'responsible_administration', 'reporting_period_index', 'reporting_period_start')
        ORDER BY proname`,
    );
    expect(functions.map((f) => [f.name, f.source.match(REGISTER_TABLE)])).toEqual([
      ['period_excused', null],
      ['person_compliance', null],
      ['person_compliance_detail', null],
      ['reporting_period_index', null],
      ['reporting_period_start', null],
      ['responsible_administration', null],
      ['schedule_compliance', null],
    ]);
    expect(functions[6].args).toMatch(/^s register_reporting_schedules, /);
    const views: { view: string; readable: boolean }[] = await t.dataSource.query(
      `SELECT table_name AS view, has_table_privilege('register_app', table_name, 'SELECT') AS readable
         FROM information_schema.views WHERE table_schema = 'public' AND table_name LIKE 'register\\_%'
        ORDER BY table_name`,
    );
    expect(views).toEqual(
      [
        'register_address_checks',
        'register_check_ins',
        'register_current_address_lines',
        'register_current_addresses',
        'register_current_locations',
        'register_custody',
        'register_location_place_pairs',
        'register_measure_suspensions',
        'register_measures',
        'register_persons',
        'register_places',
        'register_proximity_reach',
        'register_referrals',
        'register_releases',
        'register_reporting_measures',
        'register_reporting_schedules',
        'register_travel_notices',
      ].map((view) => ({ view, readable: true })),
    );
  });
});

/** A register table named in a FROM or JOIN. */
const REGISTER_TABLE =
  /\b(?:FROM|JOIN)\s+(?:persons|measures|check_ins|measure_suspensions|addresses|convictions|office_reporting_schedules|address_checks|workplaces|notifications|acknowledgements|counselling_attendances|breaches|places|referrals|referral_items)\b/gi;

/** The UIKS office of the schedules (seeded by migration ReferenceData). */
const OFFICE = 'UIKS-NIS';
