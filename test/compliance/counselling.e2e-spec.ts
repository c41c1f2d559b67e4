import request from 'supertest';
import { belgradeMidnight, belgradeToday } from '@app/common';
import { ComplianceScanner, ComplianceService } from '@app/compliance';
import { eventsOf, rid } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { insertAddress, insertConviction, REASON, registerPerson } from '../support/register';
import { sharedKeys } from '../support/key-files';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Counselling with an institution and a schedule: the measures API's
 * validation, attendance against the measure, and compliance — a missed
 * period raises one `missed_counselling` alert, an attendance in the period
 * prevents it, and the person's status counts it.
 */
describe('counselling schedules', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let officer: TestAccount & Tokens;
  let keys: Awaited<ReturnType<typeof sharedKeys>>;

  beforeAll(async () => {
    keys = await sharedKeys();
    t = await startTestApp(keys.env);
    clerk = await signedIn(t, 'registry_clerk');
    officer = await signedIn(t, 'police_officer', 'PU-NIS');
  });

  afterAll(async () => {
    await t.close();
    await keys.remove();
  });

  const as = (account: Tokens, requestId = rid('counselling')) => ({
    ...bearer(account.accessToken),
    ...REASON,
    'X-Request-Id': requestId,
  });
  const postMeasure = (personId: string, body: object, requestId?: string) =>
    request(t.server).post(`/api/v1/persons/${personId}/measures`).set(as(clerk, requestId)).send(body);
  const counsellingBody = (overrides: object = {}) => ({
    type: 'counselling',
    startsOn: '2025-06-02',
    endsOn: '2030-06-01',
    counselling: { institution: 'CSR-NIS', schedule: { kind: 'monthly' } },
    ...overrides,
  });

  describe('the measure', () => {
    it.each([
      [{ counselling: undefined }, 'counselling', 'is required for counselling'],
      [
        { counselling: { institution: 'CSR-ATLANTIDA', schedule: { kind: 'monthly' } } },
        'counselling.institution',
        'is not an active counselling institution',
      ],
      [
        { counselling: { institution: 'csr nis', schedule: { kind: 'monthly' } } },
        'counselling.institution',
        'institution must be a counselling institution code such as CSR-NIS',
      ],
      [{ counselling: { institution: 'CSR-NIS' } }, 'counselling.schedule', 'schedule should not be null or undefined'],
      [
        { counselling: { institution: 'CSR-NIS', schedule: { kind: 'weekdays' } } },
        'counselling.schedule.weekdays',
        'is required for weekdays',
      ],
      [
        { counselling: { institution: 'CSR-NIS', schedule: { kind: 'every_days' } } },
        'counselling.schedule.everyDays',
        'is required for every_days',
      ],
      [
        { counselling: { institution: 'CSR-NIS', schedule: { kind: 'monthly', everyDays: 30 } } },
        'counselling.schedule.everyDays',
        'is only for every_days',
      ],
      [{ type: 'periodic_reporting', reportTo: 'PU-NIS' }, 'counselling', 'is only for counselling'],
      [{ type: 'ban_places_with_minors' }, 'counselling', 'is only for counselling'],
      [{ schedule: { kind: 'monthly' } }, 'schedule', 'is only for periodic_reporting'],
    ])('refuses %j naming %s, writing nothing', async (overrides, field, message) => {
      const person = await registerPerson(t);
      await insertConviction(t, person.id);
      const res = await postMeasure(person.id, counsellingBody(overrides));
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual({ field, message });
      const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM measures WHERE person_id = $1`, [
        person.id,
      ]);
      expect(count).toBe(0);
    });

    it('refuses an institution that is not active', async () => {
      await t.dataSource.query(`UPDATE counselling_institutions SET active = false WHERE code = 'DZ-NIS'`);
      try {
        const person = await registerPerson(t);
        await insertConviction(t, person.id);
        const res = await postMeasure(
          person.id,
          counsellingBody({ counselling: { institution: 'DZ-NIS', schedule: { kind: 'weekly' } } }),
        );
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([
          { field: 'counselling.institution', message: 'is not an active counselling institution' },
        ]);
      } finally {
        await t.dataSource.query(`UPDATE counselling_institutions SET active = true WHERE code = 'DZ-NIS'`);
      }
    });

    it('names its institution and schedule; attendance takes the institution by default', async () => {
      const person = await registerPerson(t);
      await insertConviction(t, person.id);
      const created = rid('measure');
      const res = await postMeasure(
        person.id,
        counsellingBody({ counselling: { institution: 'CSR-NIS', schedule: { kind: 'weekdays', weekdays: [3, 1] } } }),
        created,
      );
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        type: 'counselling',
        startsOn: '2025-06-02',
        endsOn: '2030-06-01',
        reportTo: null,
        everyDays: null,
        schedule: null,
        uiks: null,
        counselling: { institution: 'CSR-NIS', schedule: { kind: 'weekdays', everyDays: null, weekdays: [1, 3] } },
        status: 'active',
        statusChangedOn: null,
        version: 1,
      });
      expect((await eventsOf(t, created))[0]).toMatchObject({ action: 'measure.create', resource_id: res.body.id });
      const [history] = await t.dataSource.query(
        `SELECT after FROM person_history WHERE part = 'measure' AND part_id = $1`,
        [res.body.id],
      );
      expect(history.after).toEqual(JSON.parse(JSON.stringify(res.body)));

      const today = belgradeToday();
      const attended = await request(t.server)
        .post(`/api/v1/persons/${person.id}/counselling`)
        .set(as(clerk))
        .send({ measureId: res.body.id, attendedOn: today });
      expect(attended.status).toBe(201);
      expect(attended.body).toMatchObject({
        measureId: res.body.id,
        attendedOn: today,
        institution: 'Centar za socijalni rad Sveti Sava Niš',
      });
      const named = await request(t.server)
        .post(`/api/v1/persons/${person.id}/counselling`)
        .set(as(clerk))
        .send({ measureId: res.body.id, attendedOn: today, institution: 'Dom zdravlja Niš (uz pismenu potvrdu)' });
      expect(named.body.institution).toBe('Dom zdravlja Niš (uz pismenu potvrdu)');

      // The person view shows the counselling schedule's compliance, with the attendance as its last check-in.
      const view = await request(t.server).get(`/api/v1/persons/${person.id}`).set(as(clerk));
      expect(view.status).toBe(200);
      expect(view.body.measures[0].compliance).toEqual([
        {
          authority: 'counselling',
          office: null,
          status: expect.any(String),
          nextDueAt: expect.any(String),
          lastCheckInAt: belgradeMidnight(today).toISOString(),
        },
      ]);
    });

    it('an attendance under a measure without an institution must name one', async () => {
      const person = await registerPerson(t);
      const [{ id: measureId }] = await t.dataSource.query(
        `INSERT INTO measures (person_id, type, starts_on, ends_on) VALUES ($1, 'counselling', '2025-06-02', '2030-06-01')
         RETURNING id`,
        [person.id],
      );
      const res = await request(t.server)
        .post(`/api/v1/persons/${person.id}/counselling`)
        .set(as(clerk))
        .send({ measureId, attendedOn: belgradeToday() });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'institution', message: 'is required: the measure names no institution' },
      ]);
      const [{ count }] = await t.dataSource.query(
        `SELECT count(*)::int AS count FROM counselling_attendances WHERE person_id = $1`,
        [person.id],
      );
      expect(count).toBe(0);
    });
  });

  describe('compliance', () => {
    /** A person living in PU-NIS under monthly counselling at CSR-NIS from 1 January 2026 (facts recorded directly). */
    async function counselled() {
      const person = await registerPerson(t, { regions: ['PU-NIS'] });
      await insertAddress(t, person.id, 'PU-NIS');
      const [{ id: measureId }] = await t.dataSource.query(
        `INSERT INTO measures (person_id, type, starts_on, ends_on, counselling_institution, schedule_kind)
         VALUES ($1, 'counselling', '2026-01-01', '2030-01-01', 'CSR-NIS', 'monthly') RETURNING id`,
        [person.id],
      );
      return { personId: person.id, measureId: measureId as string };
    }
    const attended = (r: { personId: string; measureId: string }, on: string) =>
      t.dataSource.query(
        `INSERT INTO counselling_attendances (person_id, measure_id, attended_on, institution, recorded_by)
         VALUES ($1, $2, $3, 'CSR Niš', $1)`,
        [r.personId, r.measureId, on],
      );
    const alertsOf = (personId: string) =>
      t.dataSource.query(
        `SELECT kind, source_id, measure_id, due_date::text, police_administration, office FROM alerts
          WHERE person_id = $1 ORDER BY due_date, kind`,
        [personId],
      );
    const policeCheckIn = (personId: string, measureId: string, on: string) =>
      t.dataSource.query(
        `INSERT INTO check_ins (person_id, measure_id, occurred_at, place, method, recorded_by)
         VALUES ($1, $2, $3, 'Niš', 'in_person', $1)`,
        [personId, measureId, new Date(belgradeMidnight(on).getTime() + 12 * 3_600_000)],
      );
    const scan = (at: string) => t.app.get(ComplianceScanner).scan(new Date(at));
    const statusAt = async (personId: string, at: string) =>
      (await t.app.get(ComplianceService).ofPerson(t.dataSource.manager, personId, new Date(at))).status;

    it('a missed period raises one missed_counselling alert across two scans, to the administration and its UIKS office', async () => {
      const r = await counselled();
      await scan('2026-02-10T10:00:00Z');
      await scan('2026-02-11T10:00:00Z');
      expect(await alertsOf(r.personId)).toEqual([
        {
          kind: 'missed_counselling',
          source_id: r.measureId,
          measure_id: r.measureId,
          due_date: '2026-01-31',
          police_administration: 'PU-NIS',
          office: 'UIKS-NIS',
        },
      ]);
      // The person's status counts the counselling schedule.
      expect(await statusAt(r.personId, '2026-02-10T10:00:00Z')).toBe('overdue');
      // A check-in at the police does not make up for counselling.
      const [{ id: policeId }] = await t.dataSource.query(
        `INSERT INTO measures (person_id, type, starts_on, ends_on, report_to, schedule_kind)
         VALUES ($1, 'periodic_reporting', '2026-01-01', '2030-01-01', 'PU-NIS', 'monthly') RETURNING id`,
        [r.personId],
      );
      await policeCheckIn(r.personId, policeId, '2026-02-15');
      await scan('2026-03-10T10:00:00Z');
      const kinds = (await alertsOf(r.personId)).map((a: { kind: string; due_date: string }) => [a.kind, a.due_date]);
      expect(kinds).toEqual([
        ['missed_check_in', '2026-01-31'],
        ['missed_counselling', '2026-01-31'],
        ['missed_counselling', '2026-02-28'],
      ]);
    });

    it('an attendance in the period prevents the alert and keeps the person compliant', async () => {
      const r = await counselled();
      await attended(r, '2026-01-20');
      await scan('2026-02-10T10:00:00Z');
      await scan('2026-02-11T10:00:00Z');
      expect(await alertsOf(r.personId)).toEqual([]);
      expect(await statusAt(r.personId, '2026-02-10T10:00:00Z')).toBe('compliant');
      // The next month is missed: once.
      await scan('2026-03-10T10:00:00Z');
      await scan('2026-03-11T10:00:00Z');
      expect((await alertsOf(r.personId)).map((a: { due_date: string }) => a.due_date)).toEqual(['2026-02-28']);
      expect(await statusAt(r.personId, '2026-03-10T10:00:00Z')).toBe('overdue');
    });

    it('voiding the only attendance makes the schedule overdue again; as of a moment before the void it still counts', async () => {
      const r = await counselled();
      const [{ id }] = await attended(r, '2026-01-20').then(() =>
        t.dataSource.query(`SELECT id FROM counselling_attendances WHERE measure_id = $1`, [r.measureId]),
      );
      expect(await statusAt(r.personId, '2026-02-10T10:00:00Z')).toBe('compliant');
      const [{ now: beforeVoid }] = await t.dataSource.query(`SELECT now()::text AS now`);
      const voided = await request(t.server)
        .post(`/api/v1/persons/${r.personId}/counselling/${id}/void`)
        .set(as(clerk));
      expect(voided.status).toBe(200);
      expect(await statusAt(r.personId, '2026-02-10T10:00:00Z')).toBe('overdue');
      await scan('2026-02-10T10:00:00Z');
      expect((await alertsOf(r.personId)).map((a: { kind: string; due_date: string }) => [a.kind, a.due_date])).toEqual(
        [['missed_counselling', '2026-01-31']],
      );
      // The register as of a moment: before the void the attendance counted, after it it does not.
      const countedAsOf = (at: string) =>
        t.dataSource.transaction(async (manager) => {
          await manager.query(`SELECT set_config('register.as_of', $1, true)`, [at]);
          const [{ count }] = await manager.query(
            `SELECT count(*)::int AS count FROM register_check_ins WHERE measure_id = $1`,
            [r.measureId],
          );
          return count as number;
        });
      expect(await countedAsOf(beforeVoid)).toBe(1);
      expect(await countedAsOf(new Date().toISOString())).toBe(0);
    });

    it('lists an overdue counselling schedule among the overdue, with its authority', async () => {
      const r = await counselled();
      const res = await request(t.server)
        .get('/api/v1/compliance/overdue')
        .query({ region: 'PU-NIS', limit: 100 })
        .set(as(clerk));
      expect(res.status).toBe(200);
      expect(res.body.items.filter((i: { personId: string }) => i.personId === r.personId)).toEqual([
        {
          personId: r.personId,
          surname: 'Petrović',
          givenNames: 'Petar',
          measureId: r.measureId,
          authority: 'counselling',
          office: null,
          dueDate: '2026-01-31',
          daysOverdue: expect.any(Number),
          policeAdministration: 'PU-NIS',
        },
      ]);
    });

    it('reminds no one of counselling falling due (the police schedule beside it is reminded of)', async () => {
      const r = await counselled();
      const [{ id: policeId }] = await t.dataSource.query(
        `INSERT INTO measures (person_id, type, starts_on, ends_on, report_to, schedule_kind)
         VALUES ($1, 'periodic_reporting', '2026-01-01', '2030-01-01', 'PU-NIS', 'monthly') RETURNING id`,
        [r.personId],
      );
      await scan('2026-01-30T10:00:00Z');
      const reminded: { source_id: string }[] = await t.dataSource.query(
        `SELECT DISTINCT source_id FROM inbox_items WHERE person_id = $1 AND user_id = $2`,
        [r.personId, officer.user.id],
      );
      expect(reminded).toEqual([{ source_id: policeId }]);
    });
  });
});
