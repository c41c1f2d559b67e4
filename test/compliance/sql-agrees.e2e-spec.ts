import fc from 'fast-check';
import { addDays, belgradeMidnight } from '@app/common';
import { measureCompliance, type ReportingMeasure } from '@app/compliance';
import { registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

const DAY = 86_400_000;

/**
 * The lists, the search filter and the scan compute compliance in SQL
 * (`measure_compliance`); a person's own view uses the pure schedule. The
 * two must agree on every input: random measures, suspensions, check-ins and
 * moments, across month ends, leap days and daylight-saving changes.
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

  it('on status, overdue date, next due and last check-in', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const [{ id }] = await t.dataSource.query(
          `INSERT INTO measures (person_id, type, starts_on, ends_on, report_to, every_days, status)
           VALUES ($1, 'periodic_reporting', $2, $3, 'PU-NIS', $4, $5) RETURNING id`,
          [personId, s.startsOn, s.endsOn, s.everyDays, s.status],
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
            [personId, id, at],
          );
        }
        const [sql] = await t.dataSource.query(
          `SELECT c.status, c.overdue_since::text, c.next_due_at, c.last_check_in_at
             FROM measures m, measure_compliance(m, $2, 24, 3) c WHERE m.id = $1`,
          [id, s.now],
        );
        const measure: ReportingMeasure = { id, ...s, status: s.status as ReportingMeasure['status'] };
        const pure = measureCompliance(measure, s.now, { graceHours: 24, dueSoonDays: 3 });
        expect({
          status: sql.status,
          overdueSince: sql.overdue_since,
          nextDueAt: sql.next_due_at?.toISOString() ?? null,
          lastCheckInAt: sql.last_check_in_at?.toISOString() ?? null,
        }).toEqual({
          status: pure.status,
          overdueSince: pure.overdueSince,
          nextDueAt: pure.nextDueAt?.toISOString() ?? null,
          lastCheckInAt: pure.lastCheckInAt?.toISOString() ?? null,
        });
      }),
      { numRuns: 300 },
    );
  });
});
