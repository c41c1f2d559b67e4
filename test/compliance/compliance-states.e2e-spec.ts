import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import pg from 'pg';
import { ComplianceScanner } from '@app/compliance';
import { registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Compliance kept as stored state (migration ComplianceStates): each
 * schedule's state is computed for the person's generation and a window
 * between two ticks; every write to what compliance reads raises the
 * person's generation in the same transaction, so no state computed before a
 * write is ever taken for one computed after it. (That a state equals
 * `schedule_compliance` anywhere in its window is a property in
 * sql-agrees.e2e-spec.ts.) Each person with schedules has a state of the
 * same kind (migration PersonStates): the statuses of all their schedules.
 */
describe('stored compliance states', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const generation = async (person: string): Promise<number> => {
    const [row] = await t.dataSource.query(`SELECT generation FROM compliance_generations WHERE person_id = $1`, [
      person,
    ]);
    return row ? Number(row.generation) : 0;
  };

  /** A person with a periodic reporting measure (weekly, from 60 days ago) and its UIKS schedule. */
  async function reporting(): Promise<{ person: string; measure: string; office: string }> {
    const person = (await registerPerson(t)).id;
    const [{ id: measure }] = await t.dataSource.query(
      `INSERT INTO measures (person_id, type, starts_on, ends_on, report_to, schedule_kind)
       VALUES ($1, 'periodic_reporting', current_date - 60, current_date + 300, 'PU-NIS', 'weekly') RETURNING id`,
      [person],
    );
    const [{ id: office }] = await t.dataSource.query(
      `INSERT INTO office_reporting_schedules (person_id, measure_id, office, schedule_kind, every_days)
       VALUES ($1, $2, (SELECT code FROM uiks_offices ORDER BY code LIMIT 1), 'every_days', 30) RETURNING id`,
      [person, measure],
    );
    return { person, measure, office };
  }

  const refresh = async (at: Date | string = 'now()'): Promise<number> => {
    const [{ written }] = await t.dataSource.query(
      `SELECT schedule_states_refresh(${at === 'now()' ? 'now()' : '$1::timestamptz'}, 24, 3)::integer AS written`,
      at === 'now()' ? [] : [at],
    );
    return written;
  };

  it('refuses to compute states with register.as_of set (they are the register as it is now)', async () => {
    await expect(
      t.dataSource.transaction(async (m) => {
        await m.query(`SELECT set_config('register.as_of', now()::text, true)`);
        await m.query(`SELECT schedule_states_refresh(now(), 24, 3)`);
      }),
    ).rejects.toThrow('compliance states are computed from the register as it is now');
  });

  it('every write to what compliance reads raises the person’s generation, in the same transaction', async () => {
    const { person, measure } = await reporting();
    let before = await generation(person);
    expect(before).toBeGreaterThan(0);
    const raised = async (write: () => Promise<unknown>): Promise<void> => {
      await write();
      const after = await generation(person);
      expect(after).toBeGreaterThan(before);
      before = after;
    };
    const [{ id: checkIn }] = await t.dataSource.query(
      `INSERT INTO check_ins (person_id, measure_id, occurred_at, place, method, recorded_by, authority)
       VALUES ($1, $2, now(), 'Niš', 'in_person', $1, 'police') RETURNING id`,
      [person, measure],
    );
    before = await generation(person);
    await raised(() =>
      t.dataSource.query(
        `UPDATE check_ins SET voided_at = now(), voided_by = person_id, void_reason = 'greška'
                           WHERE id = $1`,
        [checkIn],
      ),
    );
    await raised(() => t.dataSource.query(`UPDATE measures SET ends_on = ends_on - 1 WHERE id = $1`, [measure]));
    await raised(() =>
      t.dataSource.query(`UPDATE office_reporting_schedules SET every_days = 14 WHERE measure_id = $1`, [measure]),
    );
    await raised(() =>
      t.dataSource.query(
        `INSERT INTO measure_suspensions (measure_id, from_on, to_on) VALUES ($1, current_date, NULL)`,
        [measure],
      ),
    );
    await raised(() =>
      t.dataSource.query(
        `INSERT INTO convictions (person_id, court, case_number, judgment_date, finality_date, offences, victim_age,
                                  sentence_kind, sentence_months, custody_from)
         VALUES ($1, 'Viši sud u Nišu', 'K 9/2026', current_date - 10, current_date - 5,
                 '[{"article":"180","paragraph":null}]', 'child', 'imprisonment', 12, current_date - 5)`,
        [person],
      ),
    );
    const [{ id: counselling }] = await t.dataSource.query(
      `INSERT INTO measures (person_id, type, starts_on, ends_on, counselling_institution, schedule_kind, every_days)
       VALUES ($1, 'counselling', current_date - 30, current_date + 300, 'CSR-NIS', 'every_days', 14) RETURNING id`,
      [person],
    );
    before = await generation(person);
    await raised(() =>
      t.dataSource.query(
        `INSERT INTO counselling_attendances (person_id, measure_id, attended_on, institution, recorded_by)
         VALUES ($1, $2, current_date, 'CSR Niš', $1)`,
        [person, counselling],
      ),
    );
    // Another person's write leaves this one's generation alone.
    const other = await reporting();
    expect(other.person).not.toBe(person);
    expect(await generation(person)).toBe(before);
  });

  it('computes only what is missing, written since, or past its window; the scan keeps them', async () => {
    const { person, measure } = await reporting();
    await refresh();
    expect(await refresh()).toBe(0);
    const states: { schedule_id: string; generation: string; valid_from: Date; valid_until: Date }[] =
      await t.dataSource.query(
        `SELECT schedule_id, generation, valid_from, valid_until FROM schedule_states WHERE person_id = $1`,
        [person],
      );
    expect(states).toHaveLength(2);
    for (const s of states) {
      expect(Number(s.generation)).toBe(await generation(person));
      expect(s.valid_from.getTime()).toBeLessThanOrEqual(Date.now());
      expect(s.valid_until.getTime()).toBeGreaterThan(Date.now());
    }
    // A check-in: both of the person's schedules again (the generation is the person's), nobody else's.
    await t.dataSource.query(
      `INSERT INTO check_ins (person_id, measure_id, occurred_at, place, method, recorded_by, authority)
       VALUES ($1, $2, now(), 'Niš', 'in_person', $1, 'police')`,
      [person, measure],
    );
    expect(await refresh()).toBe(2);
    const [police] = await t.dataSource.query(
      `SELECT status, last_check_in_at FROM schedule_states WHERE schedule_id = $1`,
      [measure],
    );
    expect(police.status).toBe('compliant');
    expect(police.last_check_in_at).not.toBeNull();
    // A moment past the window: every state again.
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::integer AS count FROM register_reporting_schedules`);
    expect(await refresh(new Date(Date.now() + 3 * 86_400_000))).toBe(count);
    // The scan computes them as well.
    const scan = await t.app.get(ComplianceScanner).scan();
    expect(scan).toMatchObject({ ran: true, states: count });
    expect((await t.app.get(ComplianceScanner).scan()).states).toBe(0);
  });

  const personState = async (
    person: string,
  ): Promise<{ generation: string; valid_from: Date; valid_until: Date; statuses: string[] } | undefined> =>
    (
      await t.dataSource.query(
        `SELECT generation, grace_hours, due_soon_days, valid_from, valid_until, statuses
           FROM person_states WHERE person_id = $1`,
        [person],
      )
    )[0];

  it('a refresh that fails is logged and undoes none of the scan’s alerts', async () => {
    // A person weekly since 60 days ago without a check-in: the scan raises missed periods.
    const { person } = await reporting();
    await t.dataSource.query(`
      ALTER FUNCTION schedule_states_refresh(timestamptz, integer, integer) RENAME TO schedule_states_refresh_kept;
      CREATE FUNCTION schedule_states_refresh(timestamptz, integer, integer) RETURNS bigint LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'refresh failed'; END $$`);
    const logged = jest.spyOn(Logger.prototype, 'error');
    try {
      const scan = await t.app.get(ComplianceScanner).scan();
      expect(scan).toMatchObject({ ran: true, states: 0 });
      expect(scan.raised.missed_check_in).toBeGreaterThan(0);
      expect(logged).toHaveBeenCalledWith(
        expect.objectContaining({ err: expect.any(Error) }),
        'compliance states not refreshed',
      );
    } finally {
      logged.mockRestore();
      await t.dataSource.query(`
        DROP FUNCTION schedule_states_refresh(timestamptz, integer, integer);
        ALTER FUNCTION schedule_states_refresh_kept(timestamptz, integer, integer) RENAME TO schedule_states_refresh`);
    }
    // The alerts are there, committed with the scan's own transaction.
    const [{ alerts }] = await t.dataSource.query(
      `SELECT count(*)::integer AS alerts FROM alerts WHERE person_id = $1 AND kind = 'missed_check_in'`,
      [person],
    );
    expect(alerts).toBeGreaterThan(0);
    // The next scan computes what the failed one did not.
    expect((await t.app.get(ComplianceScanner).scan()).states).toBeGreaterThan(0);
  });

  it('writes each scheduled person’s state: their schedules’ statuses, of their generation, in the same window', async () => {
    const { person, measure } = await reporting();
    const unscheduled = (await registerPerson(t)).id;
    await refresh();
    const schedules: { status: string; valid_from: Date; valid_until: Date }[] = await t.dataSource.query(
      `SELECT status, valid_from, valid_until FROM schedule_states WHERE person_id = $1`,
      [person],
    );
    expect(schedules).toHaveLength(2);
    const first = await personState(person);
    expect(first).toMatchObject({
      generation: String(await generation(person)),
      grace_hours: 24,
      due_soon_days: 3,
      valid_from: schedules[0].valid_from,
      valid_until: schedules[0].valid_until,
    });
    expect([...first!.statuses].sort()).toEqual(schedules.map((s) => s.status).sort());
    // No schedule, no state (the person's status is 'none', or non-compliant with an open referral).
    expect(await personState(unscheduled)).toBeUndefined();

    // A check-in: written again, of the new generation.
    await t.dataSource.query(
      `INSERT INTO check_ins (person_id, measure_id, occurred_at, place, method, recorded_by, authority)
       VALUES ($1, $2, now(), 'Niš', 'in_person', $1, 'police')`,
      [person, measure],
    );
    expect(await refresh()).toBe(2);
    const fresh = await personState(person);
    expect(Number(fresh!.generation)).toBe(await generation(person));
    expect(Number(fresh!.generation)).toBeGreaterThan(Number(first!.generation));
    expect(fresh!.statuses).toContain('compliant');

    // Valid, and none of the person's schedule states written: left as it is (a poisoned state stays).
    await t.dataSource.query(`UPDATE person_states SET statuses = '{ended}' WHERE person_id = $1`, [person]);
    expect(await refresh()).toBe(0);
    expect((await personState(person))!.statuses).toEqual(['ended']);
    // One of their schedule states written (here: it was missing): the person's state too.
    await t.dataSource.query(`DELETE FROM schedule_states WHERE schedule_id = $1`, [measure]);
    expect(await refresh()).toBe(1);
    expect(await personState(person)).toEqual(fresh);
    // Missing, or not valid now (another generation, other settings, a passed window): written again, though no
    // schedule state is.
    for (const change of [
      `generation = generation - 1, statuses = '{ended}'`,
      `grace_hours = 48, statuses = '{ended}'`,
      `due_soon_days = 7, statuses = '{ended}'`,
      `valid_from = valid_from - interval '2 days', valid_until = valid_until - interval '2 days', statuses = '{ended}'`,
    ]) {
      await t.dataSource.query(`UPDATE person_states SET ${change} WHERE person_id = $1`, [person]);
      expect(await refresh()).toBe(0);
      expect(await personState(person)).toEqual(fresh);
    }
    await t.dataSource.query(`DELETE FROM person_states WHERE person_id = $1`, [person]);
    expect(await refresh()).toBe(0);
    expect(await personState(person)).toEqual(fresh);
  });

  it('a state computed from a snapshot taken before a write committed keeps the older generation', async () => {
    const { person, measure } = await reporting();
    const stale = new pg.Client({ connectionString: t.database.url });
    await stale.connect();
    try {
      await stale.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await stale.query('SELECT 1'); // the snapshot is taken here
      const seen = await generation(person);
      // A check-in commits while the other transaction still computes from its snapshot.
      await t.dataSource.query(
        `INSERT INTO check_ins (person_id, measure_id, occurred_at, place, method, recorded_by, authority)
         VALUES ($1, $2, now(), 'Niš', 'in_person', $1, 'police')`,
        [person, measure],
      );
      await stale.query(`SELECT schedule_states_refresh(now(), 24, 3)`);
      await stale.query('COMMIT');
      const [state] = await t.dataSource.query(
        `SELECT generation, last_check_in_at FROM schedule_states WHERE schedule_id = $1`,
        [measure],
      );
      // Computed without the check-in, and marked as of the generation before it: never used. The person's
      // state likewise.
      expect(state.last_check_in_at).toBeNull();
      expect(Number(state.generation)).toBe(seen);
      expect(Number((await personState(person))!.generation)).toBe(seen);
      expect(await generation(person)).toBeGreaterThan(seen);
      expect(await refresh()).toBeGreaterThanOrEqual(2);
      expect(Number((await personState(person))!.generation)).toBe(await generation(person));
      const [fresh] = await t.dataSource.query(
        `SELECT generation, last_check_in_at FROM schedule_states WHERE schedule_id = $1`,
        [measure],
      );
      expect(Number(fresh.generation)).toBe(await generation(person));
      expect(fresh.last_check_in_at).not.toBeNull();
    } finally {
      await stale.end();
    }
  });
});
