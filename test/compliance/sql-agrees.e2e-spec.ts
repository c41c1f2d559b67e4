import fc from 'fast-check';
import { addDays, belgradeMidnight } from '@app/common';
import { ComplianceService } from '@app/compliance';
// The oracle is no part of the library's door: the rules' one run-time source is the SQL.
import { measureCompliance, personCompliance, type ReportingMeasure } from '../../libs/compliance/src/oracle/schedule';
import { registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

const DAY = 86_400_000;
const RULES = { graceHours: 24, dueSoonDays: 3 };

/**
 * Compliance is computed, at run time, in SQL only (`measure_compliance`,
 * `person_compliance`). The pure schedule states the same rules again as a
 * test oracle, and the two must agree on every input: random measures,
 * suspensions, check-ins and moments, across month ends, leap days and
 * daylight-saving changes.
 */
describe('compliance in SQL agrees with the pure schedule', () => {
  let t: TestApp;
  let personId: string;

  beforeAll(async () => {
    t = await startTestApp();
    personId = (await registerPerson(t)).id;
  });

  afterAll(async () => {
    await t.close();
  });

  const HOUR = 3_600_000;
  const scenario = fc
    .record({
      startOffset: fc.integer({ min: 0, max: 1500 }),
      everyDays: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 11, max: 120 })),
      length: fc.integer({ min: 1, max: 900 }),
      status: fc.constantFrom('active', 'active', 'active', 'suspended', 'ended'),
      suspension: fc.option(
        fc.record({ from: fc.integer({ min: 0, max: 400 }), days: fc.option(fc.integer({ min: 0, max: 90 })) }),
        { freq: 3 },
      ),
      checkIns: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
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
      const start = belgradeMidnight(startsOn).getTime();
      let nowMs: number;
      if (s.now.kind === 'anywhere') {
        nowMs = start + Math.floor(s.now.fraction * (s.length + 40) * DAY);
      } else {
        const period = Math.floor(s.now.period * Math.ceil(s.length / s.everyDays));
        const periodEnd = addDays(startsOn, (period + 1) * s.everyDays);
        const boundary =
          s.now.kind === 'missed'
            ? belgradeMidnight(periodEnd).getTime() + 24 * HOUR
            : belgradeMidnight(addDays(periodEnd, -3)).getTime();
        nowMs = Math.max(start, boundary + s.now.hours * HOUR);
      }
      const now = new Date(nowMs);
      const suspensions = s.suspension
        ? [
            {
              from: addDays(startsOn, s.suspension.from),
              to: s.suspension.days === null ? null : addDays(startsOn, s.suspension.from + s.suspension.days),
            },
          ]
        : [];
      const checkIns = s.checkIns.map((f) => new Date(start + Math.floor(f * (nowMs - start))));
      return { startsOn, endsOn, everyDays: s.everyDays, status: s.status, suspensions, checkIns, now };
    });

  type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

  /** Records the scenario's measure (its suspensions and check-ins) for the person, as the oracle sees it. */
  async function record(person: string, s: Scenario): Promise<ReportingMeasure> {
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO measures (person_id, type, starts_on, ends_on, report_to, every_days, status)
       VALUES ($1, 'periodic_reporting', $2, $3, 'PU-NIS', $4, $5) RETURNING id`,
      [person, s.startsOn, s.endsOn, s.everyDays, s.status],
    );
    for (const suspension of s.suspensions) {
      await t.dataSource.query(`INSERT INTO measure_suspensions (measure_id, from_on, to_on) VALUES ($1, $2, $3)`, [
        id,
        suspension.from,
        suspension.to,
      ]);
    }
    for (const at of s.checkIns) {
      await t.dataSource.query(
        `INSERT INTO check_ins (person_id, measure_id, occurred_at, place, method, recorded_by)
         VALUES ($1, $2, $3, 'PU Niš', 'in_person', $1)`,
        [person, id, at],
      );
    }
    return { id, ...s, status: s.status as ReportingMeasure['status'] };
  }

  const iso = (at: Date | null) => at?.toISOString() ?? null;

  it('on status, overdue date, next due and last check-in', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const measure = await record(personId, s);
        const [sql] = await t.dataSource.query(
          `SELECT c.status, c.overdue_since::text, c.next_due_at, c.last_check_in_at
             FROM register_reporting_measures m, measure_compliance(m, $2, 24, 3) c WHERE m.id = $1`,
          [measure.id, s.now],
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

  it("on a person's compliance over several measures, as ComplianceService.ofPerson answers it", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(scenario, { maxLength: 3 }), fc.nat(), async (scenarios, pick) => {
        const person = (await registerPerson(t)).id;
        // One moment for all; no check-in lies after it.
        const now = scenarios.length ? scenarios[pick % scenarios.length].now : new Date('2025-06-01T10:00:00Z');
        const measures = [];
        for (const s of scenarios)
          measures.push(await record(person, { ...s, checkIns: s.checkIns.filter((at) => at <= now) }));
        const view = await t.app.get(ComplianceService).ofPerson(t.dataSource.manager, person, now);
        const pure = personCompliance(measures, now, RULES);
        expect({ ...view, nextDueAt: iso(view.nextDueAt), lastCheckInAt: iso(view.lastCheckInAt) }).toEqual({
          status: pure.status,
          nextDueAt: iso(pure.nextDueAt),
          lastCheckInAt: iso(pure.lastCheckInAt),
        });
      }),
      { numRuns: 60 },
    );
  });

  it("reads register's facts only through register's views, which the runtime role may read", async () => {
    const functions: { name: string; source: string; args: string }[] = await t.dataSource.query(
      `SELECT proname AS name, prosrc AS source, pg_get_function_identity_arguments(oid) AS args FROM pg_proc
        WHERE proname IN ('measure_compliance', 'person_compliance', 'period_excused', 'responsible_administration')
        ORDER BY proname`,
    );
    expect(functions.map((f) => [f.name, f.source.match(REGISTER_TABLE)])).toEqual([
      ['measure_compliance', null],
      ['period_excused', null],
      ['person_compliance', null],
      ['responsible_administration', null],
    ]);
    expect(functions[0].args).toMatch(/^m register_reporting_measures, /);
    const views: { view: string; readable: boolean }[] = await t.dataSource.query(
      `SELECT table_name AS view, has_table_privilege('register_app', table_name, 'SELECT') AS readable
         FROM information_schema.views WHERE table_schema = 'public' AND table_name LIKE 'register\\_%'
        ORDER BY table_name`,
    );
    expect(views).toEqual(
      [
        'register_check_ins',
        'register_current_addresses',
        'register_measure_suspensions',
        'register_measures',
        'register_persons',
        'register_reporting_measures',
      ].map((view) => ({ view, readable: true })),
    );
  });
});

/** A register table named in a FROM or JOIN. */
const REGISTER_TABLE = /\b(?:FROM|JOIN)\s+(?:persons|measures|check_ins|measure_suspensions|addresses)\b/gi;
