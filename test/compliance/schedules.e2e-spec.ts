import request from 'supertest';
import { addDays, belgradeMidnight, belgradeToday } from '@app/common';
import { ComplianceScanner, ComplianceService } from '@app/compliance';
import { eventsOf, rid } from '../support/audit';
import { bearer, createAccount, login, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { insertConviction, REASON, registerPerson } from '../support/register';
import { sharedKeys } from '../support/key-files';
import { startTestApp, type TestApp } from '../support/test-app';

const today = belgradeToday();
const HOUR = 3_600_000;
/** Noon in Belgrade on `date`. */
const noon = (date: string) => new Date(belgradeMidnight(date).getTime() + 12 * HOUR);
/** 1 = Monday ... 7 = Sunday. */
const isoWeekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

interface Schedule {
  kind: 'every_days' | 'monthly' | 'weekly' | 'weekdays';
  everyDays?: number;
  weekdays?: number[];
}

/**
 * Reporting schedules of every kind, and the two authorities (the police
 * administration and a UIKS office): what a check-in at each satisfies, what
 * the scan raises and for whom, what custody excuses, and the measures API's
 * validation of schedules.
 */
describe('reporting schedules and authorities', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let officerNis: TestAccount & Tokens;
  /** A clerk of UIKS-NIS (serving PU-NIS), and one of UIKS-BEOGRAD. */
  let clerkNis: TestAccount & Tokens;
  let clerkBg: TestAccount & Tokens;
  let keys: Awaited<ReturnType<typeof sharedKeys>>;

  /** A clerk belonging to `office`. */
  async function officeClerk(office: string): Promise<TestAccount & Tokens> {
    const account = await createAccount(t, 'registry_clerk');
    await t.dataSource.query(`UPDATE users SET office = $2 WHERE id = $1`, [account.user.id, office]);
    return { ...account, ...(await login(t, account)) };
  }

  beforeAll(async () => {
    keys = await sharedKeys();
    t = await startTestApp(keys.env);
    clerk = await signedIn(t, 'registry_clerk');
    officerNis = await signedIn(t, 'police_officer', 'PU-NIS');
    clerkNis = await officeClerk('UIKS-NIS');
    clerkBg = await officeClerk('UIKS-BEOGRAD');
  });

  afterAll(async () => {
    await t.close();
    await keys.remove();
  });

  const as = (account: Tokens) => ({ ...bearer(account.accessToken), ...REASON });

  const columns = (s: Schedule) => [s.kind, s.kind === 'every_days' ? s.everyDays : null, s.weekdays ?? null];

  /**
   * A person under periodic reporting to PU-NIS from `startsOn`, on the police `schedule`, and at UIKS-NIS
   * on `uiks` if given (facts recorded directly).
   */
  async function reporting(startsOn: string, schedule: Schedule, uiks: Schedule | null = null) {
    const person = await registerPerson(t, { regions: ['PU-NIS'] });
    const [{ id: measureId }] = await t.dataSource.query(
      `INSERT INTO measures (person_id, type, starts_on, ends_on, report_to, schedule_kind, every_days, weekdays)
       VALUES ($1, 'periodic_reporting', $2, $3, 'PU-NIS', $4, $5, $6) RETURNING id`,
      [person.id, startsOn, addDays(startsOn, 3650), ...columns(schedule)],
    );
    let uiksId: string | null = null;
    if (uiks) {
      [{ id: uiksId }] = await t.dataSource.query(
        `INSERT INTO office_reporting_schedules (person_id, measure_id, office, schedule_kind, every_days, weekdays)
         VALUES ($1, $2, 'UIKS-NIS', $3, $4, $5) RETURNING id`,
        [person.id, measureId, ...columns(uiks)],
      );
    }
    return { personId: person.id, measureId: measureId as string, uiksId: uiksId as string };
  }

  /** A check-in recorded directly, at noon Belgrade time on `date`. */
  async function checkedIn(r: { personId: string; measureId: string }, date: string, office: string | null = null) {
    await t.dataSource.query(
      `INSERT INTO check_ins (person_id, measure_id, occurred_at, place, method, recorded_by, authority, office)
       VALUES ($1, $2, $3, 'Niš', 'in_person', $1, $4, $5)`,
      [r.personId, r.measureId, noon(date), office ? 'uiks' : 'police', office],
    );
  }

  const alertsOf = (personId: string) =>
    t.dataSource.query(
      `SELECT kind, source_id, measure_id, due_date::text, police_administration, office FROM alerts
        WHERE person_id = $1 ORDER BY due_date, source_id`,
      [personId],
    );

  const inboxOf = (userId: string, personId: string) =>
    t.dataSource.query(
      `SELECT kind, source_id, due_date::text FROM inbox_items WHERE user_id = $1 AND person_id = $2
        ORDER BY due_date, source_id`,
      [userId, personId],
    );

  const scan = (at: string) => t.app.get(ComplianceScanner).scan(new Date(at));
  const statusAt = async (personId: string, at: string) =>
    (await t.app.get(ComplianceService).ofPerson(t.dataSource.manager, personId, new Date(at))).status;

  describe('calendar months', () => {
    it('check-ins on 1 January, 1 February, 1 March and 1 April miss nothing monthly; every 30 days they miss March', async () => {
      const monthly = await reporting('2026-01-01', { kind: 'monthly' });
      const every30 = await reporting('2026-01-01', { kind: 'every_days', everyDays: 30 });
      for (const r of [monthly, every30]) {
        for (const date of ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01']) await checkedIn(r, date);
      }
      await scan('2026-04-10T10:00:00Z');
      expect(await alertsOf(monthly.personId)).toEqual([]);
      expect(await statusAt(monthly.personId, '2026-04-10T10:00:00Z')).toBe('compliant');
      // Every 30 days: 01-01..01-30, 01-31..03-01, 03-02..03-31 without a check-in (1 April made it up).
      expect(await alertsOf(every30.personId)).toEqual([
        {
          kind: 'missed_check_in',
          source_id: every30.measureId,
          measure_id: every30.measureId,
          due_date: '2026-03-31',
          police_administration: 'PU-NIS',
          office: null,
        },
      ]);
      // Before 1 April's check-in (only the first three recorded so far), monthly is due, every 30 days overdue.
      const early = await reporting('2026-01-01', { kind: 'monthly' });
      const early30 = await reporting('2026-01-01', { kind: 'every_days', everyDays: 30 });
      for (const r of [early, early30]) {
        for (const date of ['2026-01-01', '2026-02-01', '2026-03-01']) await checkedIn(r, date);
      }
      expect(await statusAt(early.personId, '2026-04-02T10:00:00Z')).toBe('compliant');
      expect(await statusAt(early30.personId, '2026-04-02T10:00:00Z')).toBe('overdue');
    });
  });

  describe('weekly and weekday schedules', () => {
    /** The days from `from` to `to` (inclusive) whose ISO weekday is one of `weekdays`. */
    const daysOn = (from: string, to: string, weekdays: number[]) => {
      const days: string[] = [];
      for (let d = from; d <= to; d = addDays(d, 1)) if (weekdays.includes(isoWeekday(d))) days.push(d);
      return days;
    };

    it('are due on Sundays (weekly) and on the chosen weekdays, in the due list', async () => {
      const weekly = await reporting(addDays(today, -20), { kind: 'weekly' });
      const weekdays = await reporting(addDays(today, -20), { kind: 'weekdays', weekdays: [1, 4] });
      const to = addDays(today, 13);
      const res = await request(t.server)
        .get(`/api/v1/compliance/due?from=${today}&to=${to}&region=PU-NIS&limit=100`)
        .set(as(clerk));
      expect(res.status).toBe(200);
      const dueOf = (personId: string) =>
        res.body.items
          .filter((i: { personId: string }) => i.personId === personId)
          .map((i: { dueDate: string; authority: string; office: string | null; checkedIn: boolean }) => [
            i.dueDate,
            i.authority,
            i.office,
            i.checkedIn,
          ]);
      expect(dueOf(weekly.personId)).toEqual(daysOn(today, to, [7]).map((d) => [d, 'police', null, false]));
      expect(dueOf(weekdays.personId)).toEqual(daysOn(today, to, [1, 4]).map((d) => [d, 'police', null, false]));
    });

    it('a weekly schedule is due from Friday, missed the day after Sunday plus the grace', async () => {
      // 2026-01-05 is a Monday.
      const r = await reporting('2026-01-07', { kind: 'weekly' });
      expect(await statusAt(r.personId, '2026-01-08T10:00:00Z')).toBe('compliant');
      expect(await statusAt(r.personId, '2026-01-09T10:00:00Z')).toBe('due');
      expect(await statusAt(r.personId, '2026-01-12T10:00:00Z')).toBe('compliant');
      expect(await statusAt(r.personId, '2026-01-13T10:00:00Z')).toBe('overdue');
      await scan('2026-01-13T10:00:00Z');
      expect((await alertsOf(r.personId)).map((a: { due_date: string }) => a.due_date)).toEqual(['2026-01-11']);
    });
  });

  describe('two authorities', () => {
    it('a police check-in does not satisfy the UIKS schedule: the UIKS alert goes to the office clerks, not to the police', async () => {
      const r = await reporting('2026-01-05', { kind: 'monthly' }, { kind: 'monthly' });
      await checkedIn(r, '2026-01-20');
      await scan('2026-02-10T10:00:00Z');
      expect(await alertsOf(r.personId)).toEqual([
        {
          kind: 'missed_check_in',
          source_id: r.uiksId,
          measure_id: r.measureId,
          due_date: '2026-01-31',
          police_administration: null,
          office: 'UIKS-NIS',
        },
      ]);
      expect(await inboxOf(clerkNis.user.id, r.personId)).toEqual([
        { kind: 'missed_check_in', source_id: expect.any(String), due_date: '2026-01-31' },
      ]);
      expect(await inboxOf(clerkBg.user.id, r.personId)).toEqual([]);
      expect(await inboxOf(clerk.user.id, r.personId)).toEqual([]);
      expect(await inboxOf(officerNis.user.id, r.personId)).toEqual([]);
      // The person's status is the worst of the two.
      expect(await statusAt(r.personId, '2026-02-10T10:00:00Z')).toBe('overdue');
    });

    it('a UIKS check-in does not satisfy the police schedule', async () => {
      const r = await reporting('2026-01-05', { kind: 'monthly' }, { kind: 'monthly' });
      await checkedIn(r, '2026-01-20', 'UIKS-NIS');
      await scan('2026-02-10T10:00:00Z');
      expect(await alertsOf(r.personId)).toEqual([
        {
          kind: 'missed_check_in',
          source_id: r.measureId,
          measure_id: r.measureId,
          due_date: '2026-01-31',
          police_administration: 'PU-NIS',
          office: null,
        },
      ]);
      expect(await inboxOf(officerNis.user.id, r.personId)).toEqual([
        { kind: 'missed_check_in', source_id: expect.any(String), due_date: '2026-01-31' },
      ]);
      expect(await inboxOf(clerkNis.user.id, r.personId)).toEqual([]);
    });

    it('the overdue list has an item per authority, with its office', async () => {
      const r = await reporting(addDays(today, -70), { kind: 'every_days', everyDays: 30 }, { kind: 'monthly' });
      const res = await request(t.server).get('/api/v1/compliance/overdue?region=PU-NIS&limit=100').set(as(clerk));
      expect(res.status).toBe(200);
      const items = res.body.items.filter((i: { personId: string }) => i.personId === r.personId);
      expect(items.map((i: { authority: string; office: string | null }) => [i.authority, i.office]).sort()).toEqual([
        ['police', null],
        ['uiks', 'UIKS-NIS'],
      ]);
      expect(items.every((i: { policeAdministration: string }) => i.policeAdministration === 'PU-NIS')).toBe(true);
    });

    it('two scans and two workers at once raise each authority alert once', async () => {
      const r = await reporting('2026-01-05', { kind: 'weekly' }, { kind: 'monthly' });
      const second = await startTestApp(keys.env, [], t.database);
      try {
        await scan('2026-02-10T10:00:00Z');
        await scan('2026-02-10T10:00:00Z');
        await Promise.all([
          t.app.get(ComplianceScanner).scan(new Date('2026-02-10T10:00:00Z')),
          second.app.get(ComplianceScanner).scan(new Date('2026-02-10T10:00:00Z')),
        ]);
      } finally {
        await second.close();
      }
      const alerts = await alertsOf(r.personId);
      // Weekly (police): the weeks ending 01-11, 01-18, 01-25, 02-01, 02-08; monthly (UIKS): January.
      expect(alerts.map((a: { due_date: string; office: string | null }) => [a.due_date, a.office])).toEqual([
        ['2026-01-11', null],
        ['2026-01-18', null],
        ['2026-01-25', null],
        ['2026-01-31', 'UIKS-NIS'],
        ['2026-02-01', null],
        ['2026-02-08', null],
      ]);
      expect(await inboxOf(clerkNis.user.id, r.personId)).toHaveLength(1);
    });

    it('reminds the office clerks of a UIKS period falling due', async () => {
      const r = await reporting('2026-01-05', { kind: 'every_days', everyDays: 30 }, { kind: 'monthly' });
      await checkedIn(r, '2026-01-20');
      // 2026-01-29: the police period ends 02-03 (6 days), the UIKS one 01-31 (2 days).
      await t.app.get(ComplianceScanner).scan(new Date('2026-01-29T10:00:00Z'));
      expect(await inboxOf(clerkNis.user.id, r.personId)).toEqual([
        { kind: 'check_in_due', source_id: r.uiksId, due_date: '2026-01-31' },
      ]);
    });
  });

  describe('custody', () => {
    it('a period in custody raises no alert and is not overdue', async () => {
      const r = await reporting('2026-01-05', { kind: 'monthly' }, { kind: 'monthly' });
      await checkedIn(r, '2026-01-20');
      await checkedIn(r, '2026-01-21', 'UIKS-NIS');
      // Arrested on 10 February, released on 15 March: February and March are excused.
      await t.dataSource.query(
        `INSERT INTO convictions (person_id, court, case_number, judgment_date, finality_date, offences, victim_age,
                                  sentence_kind, sentence_months, custody_from, released_on, release_facility)
         VALUES ($1, 'Viši sud u Nišu', 'K 2/2026', '2026-02-20', '2026-03-01', '[{"article":"180","paragraph":null}]',
                 'child', 'imprisonment', 1, '2026-02-10', '2026-03-15', 'KPZ Niš')`,
        [r.personId],
      );
      await scan('2026-04-01T10:00:00Z');
      expect(await alertsOf(r.personId)).toEqual([]);
      expect(await statusAt(r.personId, '2026-04-01T10:00:00Z')).toBe('compliant');
      // April, after the release, is due as usual.
      await scan('2026-05-02T10:00:00Z');
      expect((await alertsOf(r.personId)).map((a: { due_date: string }) => a.due_date)).toEqual([
        '2026-04-30',
        '2026-04-30',
      ]);
    });
  });

  describe('the measures API', () => {
    const post = (personId: string, body: object, account: Tokens = clerk) =>
      request(t.server).post(`/api/v1/persons/${personId}/measures`).set(as(account)).send(body);
    const reportingBody = (overrides: object = {}) => ({
      type: 'periodic_reporting',
      startsOn: '2025-06-02',
      endsOn: '2035-06-01',
      reportTo: 'PU-NIS',
      ...overrides,
    });

    it.each([
      [{ everyDays: 30, schedule: { kind: 'monthly' } }, 'everyDays'],
      [{ schedule: { kind: 'every_days' } }, 'schedule.everyDays'],
      [{ schedule: { kind: 'monthly', everyDays: 30 } }, 'schedule.everyDays'],
      [{ schedule: { kind: 'every_days', everyDays: 0 } }, 'schedule.everyDays'],
      [{ schedule: { kind: 'weekdays' } }, 'schedule.weekdays'],
      [{ schedule: { kind: 'weekdays', weekdays: [] } }, 'schedule.weekdays'],
      [{ schedule: { kind: 'weekdays', weekdays: [1, 8] } }, 'schedule.weekdays'],
      [{ schedule: { kind: 'weekdays', weekdays: [1, 1] } }, 'schedule.weekdays'],
      [{ schedule: { kind: 'weekdays', weekdays: [1.5] } }, 'schedule.weekdays'],
      [{ schedule: { kind: 'weekly', weekdays: [1] } }, 'schedule.weekdays'],
      [{ schedule: { kind: 'fortnightly' } }, 'schedule.kind'],
      [{ schedule: { kind: 'monthly', day: 1 } }, 'schedule.day'],
      [{ schedule: 'monthly' }, 'schedule'],
      [{ uiks: { office: 'UIKS-ATLANTIDA', schedule: { kind: 'monthly' } } }, 'uiks.office'],
      [{ uiks: { office: 'PU-NIS', schedule: { kind: 'monthly' } } }, 'uiks.office'],
      [{ uiks: { office: 'UIKS-NIS' } }, 'uiks.schedule'],
      [{ uiks: { office: 'UIKS-NIS', schedule: { kind: 'weekdays' } } }, 'uiks.schedule.weekdays'],
      [{ type: 'counselling', reportTo: undefined, schedule: { kind: 'monthly' } }, 'schedule'],
      [
        { type: 'counselling', reportTo: undefined, uiks: { office: 'UIKS-NIS', schedule: { kind: 'monthly' } } },
        'uiks',
      ],
    ])('refuses %j naming %s, writing nothing', async (overrides, field) => {
      const person = await registerPerson(t);
      await insertConviction(t, person.id);
      const res = await post(person.id, reportingBody(overrides));
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM measures WHERE person_id = $1`, [
        person.id,
      ]);
      expect(count).toBe(0);
    });

    it('refuses an office that is not active', async () => {
      await t.dataSource.query(`UPDATE uiks_offices SET active = false WHERE code = 'UIKS-ZAJECAR'`);
      try {
        const person = await registerPerson(t);
        await insertConviction(t, person.id);
        const res = await post(
          person.id,
          reportingBody({ uiks: { office: 'UIKS-ZAJECAR', schedule: { kind: 'monthly' } } }),
        );
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([{ field: 'uiks.office', message: 'is not an active UIKS office' }]);
      } finally {
        await t.dataSource.query(`UPDATE uiks_offices SET active = true WHERE code = 'UIKS-ZAJECAR'`);
      }
    });

    it('records both schedules, shows them on the measure and in the person view with each authority', async () => {
      const person = await registerPerson(t);
      await insertConviction(t, person.id);
      const requestId = rid('measure');
      const res = await post(
        person.id,
        reportingBody({
          schedule: { kind: 'weekdays', weekdays: [4, 1] },
          uiks: { office: 'UIKS-NIS', schedule: { kind: 'monthly' } },
        }),
      ).set('X-Request-Id', requestId);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        reportTo: 'PU-NIS',
        everyDays: null,
        schedule: { kind: 'weekdays', everyDays: null, weekdays: [1, 4] },
        uiks: { office: 'UIKS-NIS', schedule: { kind: 'monthly', everyDays: null, weekdays: null } },
      });
      const [event] = await eventsOf(t, requestId);
      expect(event).toMatchObject({ action: 'measure.create', outcome: 'allowed', resource_id: res.body.id });
      const [history] = await t.dataSource.query(
        `SELECT change, after FROM person_history WHERE part = 'measure' AND part_id = $1`,
        [res.body.id],
      );
      expect(history).toEqual({ change: 'create', after: JSON.parse(JSON.stringify(res.body)) });

      const list = await request(t.server).get(`/api/v1/persons/${person.id}/measures`).set(as(clerk));
      // Shown measures say whether their duties were acknowledged (none yet).
      expect(list.body.items).toEqual([{ ...res.body, acknowledged: false }]);
      const view = await request(t.server).get(`/api/v1/persons/${person.id}`).set(as(clerk));
      expect(view.status).toBe(200);
      expect(view.body.measures).toEqual([
        {
          ...res.body,
          acknowledged: false,
          compliance: [
            {
              authority: 'police',
              office: null,
              status: expect.any(String),
              nextDueAt: expect.any(String),
              lastCheckInAt: null,
            },
            {
              authority: 'uiks',
              office: 'UIKS-NIS',
              status: expect.any(String),
              nextDueAt: expect.any(String),
              lastCheckInAt: null,
            },
          ],
        },
      ]);
    });

    it('everyDays alone is every N days; no schedule is the default (every 30 days)', async () => {
      const person = await registerPerson(t);
      await insertConviction(t, person.id);
      const seven = await post(person.id, reportingBody({ everyDays: 7 }));
      expect(seven.body).toMatchObject({
        everyDays: 7,
        schedule: { kind: 'every_days', everyDays: 7, weekdays: null },
        uiks: null,
      });
      const plain = await post(person.id, reportingBody());
      expect(plain.body).toMatchObject({
        everyDays: 30,
        schedule: { kind: 'every_days', everyDays: 30, weekdays: null },
      });
      const ban = await post(person.id, {
        type: 'ban_places_with_minors',
        startsOn: '2025-06-02',
        endsOn: '2035-06-01',
      });
      expect(ban.body).toMatchObject({ everyDays: null, schedule: null, uiks: null });
    });

    it('REPORTING_DEFAULT_SCHEDULE=monthly makes monthly the default', async () => {
      const monthly = await startTestApp({ ...keys.env, REPORTING_DEFAULT_SCHEDULE: 'monthly' }, [], t.database);
      try {
        const person = await registerPerson(t);
        await insertConviction(t, person.id);
        const res = await request(monthly.server)
          .post(`/api/v1/persons/${person.id}/measures`)
          .set(as(clerk))
          .send(reportingBody());
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({
          everyDays: null,
          schedule: { kind: 'monthly', everyDays: null, weekdays: null },
        });
      } finally {
        await monthly.close();
      }
    });
  });

  describe('check-ins per authority', () => {
    const checkIn = (account: Tokens, personId: string, body: object, headers: Record<string, string> = {}) =>
      request(t.server)
        .post(`/api/v1/persons/${personId}/check-ins`)
        .set({ ...as(account), ...headers })
        .send({ occurredAt: new Date().toISOString(), place: 'Niš', method: 'in_person', ...body });
    const countOf = async (measureId: string) =>
      (await t.dataSource.query(`SELECT count(*)::int AS count FROM check_ins WHERE measure_id = $1`, [measureId]))[0]
        .count;

    it('refuses, before anything is written, what the caller may not record', async () => {
      const both = await reporting(addDays(today, -10), { kind: 'monthly' }, { kind: 'monthly' });
      const police = await reporting(addDays(today, -10), { kind: 'monthly' });
      const cases: [Tokens, string, object, string][] = [
        [officerNis, both.personId, { measureId: both.measureId, authority: 'uiks' }, 'authority'],
        [officerNis, both.personId, { measureId: both.measureId, office: 'UIKS-NIS' }, 'office'],
        [clerk, both.personId, { measureId: both.measureId, authority: 'uiks' }, 'office'],
        [clerk, both.personId, { measureId: both.measureId, authority: 'police', office: 'UIKS-NIS' }, 'office'],
        [clerk, police.personId, { measureId: police.measureId, authority: 'uiks', office: 'UIKS-NIS' }, 'measureId'],
        [clerk, both.personId, { measureId: both.measureId, authority: 'uiks', office: 'UIKS-LESKOVAC' }, 'measureId'],
        [clerkNis, both.personId, { measureId: both.measureId, office: 'UIKS-LESKOVAC' }, 'office'],
        [clerkNis, police.personId, { measureId: police.measureId }, 'measureId'],
        [clerk, both.personId, { measureId: both.measureId, authority: 'court' }, 'authority'],
      ];
      for (const [account, personId, body, field] of cases) {
        const res = await checkIn(account, personId, body);
        expect([JSON.stringify(body), res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([
          JSON.stringify(body),
          400,
          [field],
        ]);
      }
      expect(await countOf(both.measureId)).toBe(0);
      expect(await countOf(police.measureId)).toBe(0);
    });

    it('a clerk of an office records UIKS check-ins there by default; a clerk without one names the office', async () => {
      const r = await reporting(addDays(today, -10), { kind: 'monthly' }, { kind: 'monthly' });
      const requestId = rid('check-in');
      const atOffice = await checkIn(clerkNis, r.personId, { measureId: r.measureId }, { 'X-Request-Id': requestId });
      expect(atOffice.status).toBe(201);
      expect(atOffice.body).toMatchObject({ authority: 'uiks', office: 'UIKS-NIS', recordedBy: clerkNis.user.id });
      const [event] = await eventsOf(t, requestId);
      expect(event).toMatchObject({ action: 'check_in.create', outcome: 'allowed', resource_id: atOffice.body.id });
      const named = await checkIn(clerk, r.personId, { measureId: r.measureId, authority: 'uiks', office: 'UIKS-NIS' });
      expect(named.status).toBe(201);
      expect(named.body).toMatchObject({ authority: 'uiks', office: 'UIKS-NIS' });
      const byDefault = await checkIn(clerk, r.personId, { measureId: r.measureId });
      expect(byDefault.body).toMatchObject({ authority: 'police', office: null });
      const officer = await checkIn(officerNis, r.personId, { measureId: r.measureId, authority: 'police' });
      expect(officer.body).toMatchObject({ authority: 'police', office: null });

      const list = await request(t.server).get(`/api/v1/persons/${r.personId}/check-ins`).set(as(clerk));
      expect(list.body.items.map((c: { authority: string; office: string | null }) => [c.authority, c.office])).toEqual(
        [
          ['police', null],
          ['police', null],
          ['uiks', 'UIKS-NIS'],
          ['uiks', 'UIKS-NIS'],
        ],
      );
      // Each authority's compliance shows its own last check-in.
      const view = await request(t.server).get(`/api/v1/persons/${r.personId}`).set(as(clerk));
      const [policeCompliance, uiksCompliance] = view.body.measures[0].compliance;
      expect(policeCompliance).toMatchObject({ authority: 'police', lastCheckInAt: officer.body.occurredAt });
      expect(uiksCompliance).toMatchObject({ authority: 'uiks', lastCheckInAt: named.body.occurredAt });
    });
  });
});
