import pg from 'pg';
import request from 'supertest';
import { addDays, belgradeMidnight, belgradeToday } from '@app/common';
import { ComplianceScanner } from '@app/compliance';
import { eventsOf, rid } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { insertAddress, insertConviction, REASON, registerPerson } from '../support/register';
import { sharedKeys } from '../support/key-files';
import { startTestApp, type TestApp } from '../support/test-app';

const today = belgradeToday();

describe('compliance', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let judge: TestAccount & Tokens;
  let officerNis: TestAccount & Tokens;
  let officerBg: TestAccount & Tokens;
  // Files, so that a second instance (a second worker) verifies the same tokens.
  let keys: Awaited<ReturnType<typeof sharedKeys>>;

  beforeAll(async () => {
    keys = await sharedKeys();
    t = await startTestApp(keys.env);
    clerk = await signedIn(t, 'registry_clerk');
    judge = await signedIn(t, 'judicial_officer');
    officerNis = await signedIn(t, 'police_officer', 'PU-NIS');
    officerBg = await signedIn(t, 'police_officer', 'PU-BEOGRAD');
  });

  afterAll(async () => {
    await t.close();
    await keys.remove();
  });

  const as = (account: Tokens) => ({ ...bearer(account.accessToken), ...REASON });

  /** A person under periodic reporting to `reportTo`, started `daysAgo` days ago, every `everyDays` days. */
  async function reporting(daysAgo: number, everyDays = 30, reportTo = 'PU-NIS') {
    const person = await registerPerson(t);
    await insertConviction(t, person.id, addDays(today, -daysAgo - 10));
    const [{ id: measureId }] = await t.dataSource.query(
      `INSERT INTO measures (person_id, type, starts_on, ends_on, report_to, every_days, schedule_kind)
       VALUES ($1, 'periodic_reporting', $2, $3, $4, $5, 'every_days') RETURNING id`,
      [person.id, addDays(today, -daysAgo), addDays(today, 3650), reportTo, everyDays],
    );
    await t.dataSource.query(`UPDATE persons SET regions = ARRAY[$2] WHERE id = $1`, [person.id, reportTo]);
    return { personId: person.id, measureId: measureId as string, startsOn: addDays(today, -daysAgo) };
  }

  const checkIn = (account: Tokens, personId: string, body: object, headers: Record<string, string> = {}) =>
    request(t.server)
      .post(`/api/v1/persons/${personId}/check-ins`)
      .set({ ...as(account), ...headers })
      .send(body);

  const alertsOf = (sourceId: string) =>
    t.dataSource.query(
      `SELECT kind, due_date::text, police_administration, status FROM alerts WHERE source_id = $1 ORDER BY due_date, kind`,
      [sourceId],
    );

  describe('check-ins: refused before anything is written', () => {
    it('an officer of another region gets 404, and nothing is recorded', async () => {
      const r = await reporting(10);
      const res = await checkIn(officerBg, r.personId, {
        measureId: r.measureId,
        occurredAt: new Date().toISOString(),
        place: 'PU Niš',
        method: 'in_person',
      });
      expect(res.status).toBe(404);
      expect(await t.dataSource.query(`SELECT id FROM check_ins WHERE person_id = $1`, [r.personId])).toEqual([]);
    });

    it('a check-in in the future, before the measure, or under another kind of measure is 400 with its field', async () => {
      const r = await reporting(10);
      const future = await checkIn(officerNis, r.personId, {
        measureId: r.measureId,
        occurredAt: new Date(Date.now() + 3_600_000).toISOString(),
        place: 'PU Niš',
        method: 'in_person',
      });
      expect(future.status).toBe(400);
      expect(future.body.errors).toEqual([{ field: 'occurredAt', message: 'must not be in the future' }]);

      const before = await checkIn(officerNis, r.personId, {
        measureId: r.measureId,
        occurredAt: belgradeMidnight(addDays(today, -20)).toISOString(),
        place: 'PU Niš',
        method: 'in_person',
      });
      expect(before.status).toBe(400);
      expect(before.body.errors[0].field).toBe('measureId');

      const [{ id: ban }] = await t.dataSource.query(
        `INSERT INTO measures (person_id, type, starts_on, ends_on) VALUES ($1, 'ban_places_with_minors', $2, $3) RETURNING id`,
        [r.personId, addDays(today, -10), addDays(today, 100)],
      );
      const wrongKind = await checkIn(officerNis, r.personId, {
        measureId: ban,
        occurredAt: new Date().toISOString(),
        place: 'PU Niš',
        method: 'in_person',
      });
      expect(wrongKind.status).toBe(400);
      expect(wrongKind.body.errors).toEqual([{ field: 'measureId', message: 'is not a periodic_reporting measure' }]);

      const malformed = await checkIn(officerNis, r.personId, {
        measureId: r.measureId,
        occurredAt: '2026-11-28 10:00',
        place: 'PU Niš',
        method: 'by_phone',
      });
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['method', 'occurredAt']);
      expect(await t.dataSource.query(`SELECT id FROM check_ins WHERE person_id = $1`, [r.personId])).toEqual([]);
    });
  });

  describe('a check-in recorded', () => {
    it('is one audit event naming it, a history entry that is its answer, in four statements', async () => {
      const r = await reporting(10);
      const requestId = rid('check-in');
      const sent: string[] = [];
      const query = pg.Client.prototype.query;
      // Every statement any pool sends while the request runs (the api runs in this process).
      pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
        const config = args[0] as string | { text?: string };
        sent.push(typeof config === 'string' ? config : (config.text ?? ''));
        return (query as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof query;
      let res: request.Response;
      try {
        res = await checkIn(
          officerNis,
          r.personId,
          { measureId: r.measureId, occurredAt: new Date().toISOString(), place: 'PU Niš', method: 'in_person' },
          { 'X-Request-Id': requestId },
        );
      } finally {
        pg.Client.prototype.query = query;
      }
      expect(res.status).toBe(201);
      // Begin; the person locked and scoped, the measure found and the check-in inserted; its history entry,
      // the audit event and the compliance; commit. (The answer's hook writes nothing more.)
      expect(sent.map((text) => text.trim().split(/\s+/)[0])).toEqual(['START', 'WITH', 'WITH', 'COMMIT']);
      expect(await eventsOf(t, requestId)).toEqual([
        expect.objectContaining({
          action: 'check_in.create',
          outcome: 'allowed',
          http_status: 201,
          actor_user_id: officerNis.user.id,
          resource_type: 'check_in',
          resource_id: res.body.id,
          subject_person_ids: [r.personId],
          reason: 'KT-100/2026',
        }),
      ]);
      const { compliance, ...checkInView } = res.body;
      expect(compliance).toEqual({
        status: 'compliant',
        nextDueAt: belgradeMidnight(addDays(r.startsOn, 60)).toISOString(),
        lastCheckInAt: res.body.occurredAt,
        openReferralIds: [],
      });
      const history = await t.dataSource.query(
        `SELECT person_id, change, before, after FROM person_history WHERE part = 'check_in' AND part_id = $1`,
        [res.body.id],
      );
      expect(history).toEqual([{ person_id: r.personId, change: 'create', before: null, after: checkInView }]);
      const [row] = await t.dataSource.query(
        `SELECT measure_id, authority, office, occurred_at, place, method, recorded_by, version FROM check_ins WHERE id = $1`,
        [res.body.id],
      );
      expect(row).toEqual({
        measure_id: r.measureId,
        authority: 'police',
        office: null,
        occurred_at: new Date(res.body.occurredAt),
        place: 'PU Niš',
        method: 'in_person',
        recorded_by: officerNis.user.id,
        version: 1,
      });
    });
  });

  describe('a measure started 95 days ago, every 30 days, without a check-in', () => {
    let r: Awaited<ReturnType<typeof reporting>>;

    beforeAll(async () => {
      r = await reporting(95);
    });

    it('is overdue on the person, in the overdue list and in the search filter', async () => {
      const person = await request(t.server).get(`/api/v1/persons/${r.personId}`).set(as(officerNis));
      expect(person.status).toBe(200);
      expect(person.body.compliance).toEqual({
        status: 'overdue',
        nextDueAt: belgradeMidnight(addDays(r.startsOn, 120)).toISOString(),
        lastCheckInAt: null,
        openReferralIds: [],
      });

      const overdue = await request(t.server).get('/api/v1/compliance/overdue?region=PU-NIS&limit=100').set(as(clerk));
      expect(overdue.status).toBe(200);
      expect(overdue.body.items.filter((i: { personId: string }) => i.personId === r.personId)).toEqual([
        {
          personId: r.personId,
          surname: 'Petrović',
          givenNames: 'Petar',
          measureId: r.measureId,
          authority: 'police',
          office: null,
          dueDate: addDays(r.startsOn, 29),
          daysOverdue: 66,
          policeAdministration: 'PU-NIS',
        },
      ]);
      const dueDates = overdue.body.items.map((i: { dueDate: string }) => i.dueDate);
      expect(dueDates).toEqual([...dueDates].sort());

      const search = await request(t.server)
        .get(`/api/v1/persons?status=overdue&region=PU-NIS&limit=100`)
        .set(as(officerNis));
      expect(search.body.items).toContainEqual(
        expect.objectContaining({ id: r.personId, compliance: { status: 'overdue' } }),
      );
      const compliant = await request(t.server).get(`/api/v1/persons?status=compliant&limit=100`).set(as(clerk));
      expect(compliant.body.items.map((i: { id: string }) => i.id)).not.toContain(r.personId);
    });

    it('an officer of another region sees none of it', async () => {
      const overdue = await request(t.server).get('/api/v1/compliance/overdue?limit=100').set(as(officerBg));
      expect(overdue.body.items.map((i: { personId: string }) => i.personId)).not.toContain(r.personId);
      const asked = await request(t.server).get('/api/v1/compliance/overdue?region=PU-NIS').set(as(officerBg));
      expect(asked.body).toEqual({ items: [], nextCursor: null });
    });

    it('two scans and two workers at once raise one alert per missed period', async () => {
      const second = await startTestApp(keys.env, [], t.database);
      try {
        await t.app.get(ComplianceScanner).scan();
        await t.app.get(ComplianceScanner).scan();
        await Promise.all([t.app.get(ComplianceScanner).scan(), second.app.get(ComplianceScanner).scan()]);
      } finally {
        await second.close();
      }
      expect(await alertsOf(r.measureId)).toEqual(
        [29, 59, 89].map((d) => ({
          kind: 'missed_check_in',
          due_date: addDays(r.startsOn, d),
          police_administration: 'PU-NIS',
          status: 'open',
        })),
      );
      // The scan that raised them left one audit event naming the person.
      const events = await t.dataSource.query(
        `SELECT actor_username, outcome, details FROM audit_events
          WHERE action = 'compliance.scan' AND $1 = ANY(subject_person_ids)`,
        [r.personId],
      );
      expect(events).toEqual([
        {
          actor_username: 'system',
          outcome: 'allowed',
          details: expect.objectContaining({
            raised: expect.objectContaining({ missed_check_in: expect.any(Number) }),
          }),
        },
      ]);
      // The officers of PU-NIS are told, once per alert.
      const [{ count }] = await t.dataSource.query(
        `SELECT count(*)::int AS count FROM inbox_items WHERE user_id = $1 AND source_id IN
           (SELECT id FROM alerts WHERE source_id = $2)`,
        [officerNis.user.id, r.measureId],
      );
      expect(count).toBe(3);
    });

    it('a check-in makes the person compliant; the alerts stay until resolved; voiding it makes them overdue again', async () => {
      const res = await checkIn(officerNis, r.personId, {
        measureId: r.measureId,
        occurredAt: new Date().toISOString(),
        place: 'PU Niš, Vožda Karađorđa 2',
        method: 'in_person',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        measureId: r.measureId,
        place: 'PU Niš, Vožda Karađorđa 2',
        method: 'in_person',
        recordedBy: officerNis.user.id,
        voidedAt: null,
        version: 1,
        compliance: {
          status: 'compliant',
          nextDueAt: belgradeMidnight(addDays(r.startsOn, 150)).toISOString(),
          lastCheckInAt: res.body.occurredAt,
          openReferralIds: [],
        },
      });
      expect((await alertsOf(r.measureId)).map((a: { status: string }) => a.status)).toEqual(['open', 'open', 'open']);
      const history = await t.dataSource.query(
        `SELECT change, reason FROM person_history WHERE part = 'check_in' AND part_id = $1`,
        [res.body.id],
      );
      expect(history).toEqual([{ change: 'create', reason: 'KT-100/2026' }]);

      const voidAsOfficer = await request(t.server)
        .post(`/api/v1/persons/${r.personId}/check-ins/${res.body.id}/void`)
        .set(as(officerNis));
      expect(voidAsOfficer.status).toBe(403);
      const voided = await request(t.server)
        .post(`/api/v1/persons/${r.personId}/check-ins/${res.body.id}/void`)
        .set({ ...as(clerk), 'X-Access-Reason': 'Pogre%C5%A1no%20uneto' });
      expect(voided.status).toBe(200);
      expect(voided.body).toMatchObject({ voidedBy: clerk.user.id, voidReason: 'Pogrešno uneto', version: 2 });
      const again = await request(t.server)
        .post(`/api/v1/persons/${r.personId}/check-ins/${res.body.id}/void`)
        .set(as(clerk));
      expect(again.status).toBe(409);
      const person = await request(t.server).get(`/api/v1/persons/${r.personId}`).set(as(clerk));
      expect(person.body.compliance.status).toBe('overdue');
      const list = await request(t.server).get(`/api/v1/persons/${r.personId}/check-ins`).set(as(clerk));
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([expect.objectContaining({ id: res.body.id, voidReason: 'Pogrešno uneto' })]);
    });
  });

  it('a scan looks back COMPLIANCE_SCAN_LOOKBACK_DAYS (7) for measures recorded before that, at every period for newer ones', async () => {
    const old = await reporting(95, 30, 'PU-VALJEVO');
    await t.dataSource.query(`UPDATE measures SET created_at = now() - interval '100 days' WHERE id = $1`, [
      old.measureId,
    ]);
    const recent = await reporting(95, 30, 'PU-VALJEVO');
    await t.app.get(ComplianceScanner).scan();
    // Earlier scans would have raised the older periods of the old measure; this one sees the last week only.
    expect((await alertsOf(old.measureId)).map((a: { due_date: string }) => a.due_date)).toEqual([
      addDays(old.startsOn, 89),
    ]);
    expect((await alertsOf(recent.measureId)).map((a: { due_date: string }) => a.due_date)).toEqual(
      [29, 59, 89].map((d) => addDays(recent.startsOn, d)),
    );
  });

  it('the due list shows the periods ending in the range and whether each is checked in', async () => {
    const r = await reporting(28, 30, 'PU-BOR');
    const res = await request(t.server)
      .get(`/api/v1/compliance/due?from=${today}&to=${addDays(today, 7)}&region=PU-BOR`)
      .set(as(clerk));
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        personId: r.personId,
        surname: 'Petrović',
        givenNames: 'Petar',
        measureId: r.measureId,
        authority: 'police',
        office: null,
        dueDate: addDays(r.startsOn, 29),
        policeAdministration: 'PU-BOR',
        checkedIn: false,
      },
    ]);
    const person = await request(t.server).get(`/api/v1/persons/${r.personId}`).set(as(clerk));
    expect(person.body.compliance.status).toBe('due');
    const bad = await request(t.server).get(`/api/v1/compliance/due?from=${today}&to=2020-01-01`).set(as(clerk));
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { field: 'to', message: 'must be on or after from and at most 366 days after it' },
    ]);
  });

  it('a suspended measure is suspended, and a period touching the suspension raises no alert', async () => {
    const r = await reporting(65, 30, 'PU-PIROT');
    await insertConviction(t, r.personId);
    const suspend = await request(t.server)
      .patch(`/api/v1/persons/${r.personId}/measures/${r.measureId}`)
      .set({ ...as(clerk), 'If-Match': '1' })
      .send({ action: 'suspend', effectiveOn: addDays(r.startsOn, 10) });
    expect(suspend.status).toBe(200);
    const resume = await request(t.server)
      .patch(`/api/v1/persons/${r.personId}/measures/${r.measureId}`)
      .set({ ...as(clerk), 'If-Match': '2' })
      .send({ action: 'resume', effectiveOn: addDays(r.startsOn, 12) });
    expect(resume.status).toBe(200);
    await t.app.get(ComplianceScanner).scan();
    // Period 0 touched the suspension; period 1 (ended 5 days ago) was missed.
    expect((await alertsOf(r.measureId)).map((a: { due_date: string }) => a.due_date)).toEqual([
      addDays(r.startsOn, 59),
    ]);
    await request(t.server)
      .patch(`/api/v1/persons/${r.personId}/measures/${r.measureId}`)
      .set({ ...as(clerk), 'If-Match': '3' })
      .send({ action: 'suspend', effectiveOn: today })
      .expect(200);
    const person = await request(t.server).get(`/api/v1/persons/${r.personId}`).set(as(clerk));
    expect(person.body.compliance).toEqual({
      status: 'suspended',
      nextDueAt: null,
      lastCheckInAt: null,
      openReferralIds: [],
    });
  });

  describe('notifications', () => {
    const notify = (account: Tokens, personId: string, body: object) =>
      request(t.server).post(`/api/v1/persons/${personId}/notifications`).set(as(account)).send(body);

    it('a late travel notice states its deadline, is not on time, and raises an alert for the administration', async () => {
      const person = await registerPerson(t, { regions: ['PU-NIS'] });
      await insertAddress(t, person.id, 'PU-NIS');
      const departOn = addDays(today, 3);
      const res = await notify(officerNis, person.id, {
        kind: 'travel_abroad',
        notifiedAt: new Date().toISOString(),
        effectiveOn: departOn,
        details: { destinationCountry: 'HU', departOn, returnOn: addDays(today, 10) },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        kind: 'travel_abroad',
        effectiveOn: departOn,
        details: { destinationCountry: 'HU', departOn, returnOn: addDays(today, 10) },
        deadline: addDays(departOn, -8),
        onTime: false,
      });
      expect(await alertsOf(res.body.id)).toEqual([
        { kind: 'late_notification', due_date: addDays(departOn, -8), police_administration: 'PU-NIS', status: 'open' },
      ]);
    });

    it('a notice on time raises nothing', async () => {
      const person = await registerPerson(t, { regions: ['PU-NIS'] });
      const departOn = addDays(today, 30);
      const res = await notify(officerNis, person.id, {
        kind: 'travel_abroad',
        notifiedAt: new Date().toISOString(),
        effectiveOn: departOn,
        details: { destinationCountry: 'AT', departOn, returnOn: departOn },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ deadline: addDays(departOn, -8), onTime: true });
      expect(await alertsOf(res.body.id)).toEqual([]);
    });

    it('details are validated for their kind, with field paths', async () => {
      const person = await registerPerson(t, { regions: ['PU-NIS'] });
      const res = await notify(officerNis, person.id, {
        kind: 'residence_change',
        notifiedAt: new Date().toISOString(),
        effectiveOn: today,
        details: {
          address: {
            kind: 'permanent',
            street: '',
            city: 'Niš',
            postalCode: '18',
            policeAdministration: 'PU-NIS',
            validFrom: today,
          },
          extra: 1,
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'details.extra', message: 'is not a known property' }]);
      const res2 = await notify(officerNis, person.id, {
        kind: 'residence_change',
        notifiedAt: new Date().toISOString(),
        effectiveOn: today,
        details: {
          address: {
            kind: 'permanent',
            street: '',
            city: 'Niš',
            postalCode: '18',
            policeAdministration: 'PU-NIS',
            validFrom: today,
          },
        },
      });
      expect(res2.status).toBe(400);
      expect(res2.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'details.address.postalCode',
        'details.address.street',
      ]);
      expect(await t.dataSource.query(`SELECT id FROM notifications WHERE person_id = $1`, [person.id])).toEqual([]);
    });

    it('a residence change records the address; another administration is a transfer alerting both', async () => {
      const r = await reporting(10, 30, 'PU-NIS');
      await insertAddress(t, r.personId, 'PU-NIS');
      const res = await notify(clerk, r.personId, {
        kind: 'residence_change',
        notifiedAt: new Date().toISOString(),
        effectiveOn: addDays(today, -2),
        details: {
          address: {
            kind: 'permanent',
            street: 'Knez Mihailova 5',
            city: 'Beograd',
            postalCode: '11000',
            policeAdministration: 'PU-BEOGRAD',
            validFrom: addDays(today, -2),
          },
        },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ deadline: addDays(today, 6), onTime: true });
      const [address] = await t.dataSource.query(
        `SELECT id, police_administration FROM addresses WHERE person_id = $1 AND valid_to IS NULL AND kind = 'permanent'`,
        [r.personId],
      );
      expect(address).toEqual({ id: res.body.recordedPartId, police_administration: 'PU-BEOGRAD' });
      const [transfer] = await t.dataSource.query(
        `SELECT id, from_administration, to_administration, effective_on::text FROM transfers WHERE person_id = $1`,
        [r.personId],
      );
      expect(transfer).toMatchObject({
        from_administration: 'PU-NIS',
        to_administration: 'PU-BEOGRAD',
        effective_on: addDays(today, -2),
      });
      expect(await alertsOf(transfer.id)).toEqual([
        { kind: 'transfer_in', due_date: addDays(today, -2), police_administration: 'PU-BEOGRAD', status: 'open' },
        { kind: 'transfer_out', due_date: addDays(today, -2), police_administration: 'PU-NIS', status: 'open' },
      ]);
      const [measure] = await t.dataSource.query(`SELECT report_to FROM measures WHERE id = $1`, [r.measureId]);
      expect(measure.report_to).toBe('PU-BEOGRAD');
      // Both administrations' officers are told.
      const told = await t.dataSource.query(
        `SELECT DISTINCT user_id FROM inbox_items WHERE source_id IN (SELECT id FROM alerts WHERE source_id = $1)`,
        [transfer.id],
      );
      expect(told.map((u: { user_id: string }) => u.user_id)).toEqual(
        expect.arrayContaining([officerNis.user.id, officerBg.user.id]),
      );
    });
  });

  it('a breach raises an alert; counselling needs a counselling measure', async () => {
    const r = await reporting(10, 30, 'PU-NIS');
    const breach = await request(t.server)
      .post(`/api/v1/persons/${r.personId}/breaches`)
      .set(as(officerNis))
      .send({ measureId: r.measureId, occurredAt: new Date().toISOString(), description: 'Viđen kod škole' });
    expect(breach.status).toBe(201);
    expect(await alertsOf(breach.body.id)).toEqual([
      { kind: 'breach', due_date: today, police_administration: 'PU-NIS', status: 'open' },
    ]);
    const wrong = await request(t.server)
      .post(`/api/v1/persons/${r.personId}/counselling`)
      .set(as(officerNis))
      .send({ measureId: r.measureId, attendedOn: today, institution: 'CSR Niš' });
    expect(wrong.status).toBe(400);
    const [{ id: counsellingId }] = await t.dataSource.query(
      `INSERT INTO measures (person_id, type, starts_on, ends_on) VALUES ($1, 'counselling', $2, $3) RETURNING id`,
      [r.personId, addDays(today, -10), addDays(today, 300)],
    );
    const ok = await request(t.server)
      .post(`/api/v1/persons/${r.personId}/counselling`)
      .set(as(officerNis))
      .send({ measureId: counsellingId, attendedOn: today, institution: 'CSR Niš' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ measureId: counsellingId, attendedOn: today, institution: 'CSR Niš', version: 1 });
    const list = await request(t.server).get(`/api/v1/persons/${r.personId}/counselling`).set(as(clerk));
    expect(list.body.items).toEqual([expect.objectContaining({ id: ok.body.id })]);
  });

  it('clerks correct breaches and counselling attendance with If-Match; the history keeps before and after', async () => {
    const r = await reporting(10, 30, 'PU-NIS');
    const breach = await request(t.server)
      .post(`/api/v1/persons/${r.personId}/breaches`)
      .set(as(clerk))
      .send({ measureId: r.measureId, occurredAt: new Date().toISOString(), description: 'Prvi opis' });
    const patch = (headers: Record<string, string>, body: object) =>
      request(t.server)
        .patch(`/api/v1/persons/${r.personId}/breaches/${breach.body.id}`)
        .set({ ...as(clerk), ...headers })
        .send(body);
    expect((await patch({}, { description: 'Drugi opis' })).status).toBe(428);
    expect((await patch({ 'If-Match': '2' }, { description: 'Drugi opis' })).status).toBe(412);
    const future = await patch({ 'If-Match': '1' }, { occurredAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(future.status).toBe(400);
    const ok = await patch({ 'If-Match': '1' }, { description: 'Drugi opis' });
    expect(ok.status).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.body).toMatchObject({ description: 'Drugi opis', version: 2 });
    const history = await t.dataSource.query(
      `SELECT change, before->>'description' AS before, after->>'description' AS after
         FROM person_history WHERE part = 'breach' AND part_id = $1 ORDER BY at`,
      [breach.body.id],
    );
    expect(history).toEqual([
      { change: 'create', before: null, after: 'Prvi opis' },
      { change: 'update', before: 'Prvi opis', after: 'Drugi opis' },
    ]);
    const asOfficer = await request(t.server)
      .patch(`/api/v1/persons/${r.personId}/breaches/${breach.body.id}`)
      .set({ ...as(officerNis), 'If-Match': '2' })
      .send({ description: 'x' });
    expect(asOfficer.status).toBe(403);
  });

  describe('voiding a breach or a counselling attendance recorded by mistake', () => {
    const voidReason = { 'X-Access-Reason': 'Pogre%C5%A1no%20uneto' };
    const voidOf = (account: Tokens, personId: string, path: string, requestId = rid('void')) =>
      request(t.server)
        .post(`/api/v1/persons/${personId}/${path}/void`)
        .set({ ...as(account), ...voidReason, 'X-Request-Id': requestId });
    const breachRow = (id: string) =>
      t.dataSource.query(
        `SELECT voided_at IS NOT NULL AS voided, voided_by, void_reason, version FROM breaches WHERE id = $1`,
        [id],
      );
    const alertRow = (breachId: string) =>
      t.dataSource.query(
        `SELECT status, resolved_by, resolution FROM alerts WHERE kind = 'breach' AND source_id = $1`,
        [breachId],
      );

    async function breachOf(r: { personId: string; measureId: string }) {
      const res = await request(t.server)
        .post(`/api/v1/persons/${r.personId}/breaches`)
        .set(as(clerk))
        .send({ measureId: r.measureId, occurredAt: new Date().toISOString(), description: 'Upisano greškom' });
      expect(res.status).toBe(201);
      return res.body.id as string;
    }

    it('a breach: 403 for an officer, 404 for another person’s or out of the office’s reach, 409 while a referral names it; nothing changes', async () => {
      const r = await reporting(10, 30, 'PU-NIS');
      const other = await reporting(10, 30, 'PU-NIS');
      const breachId = await breachOf(r);
      const clerkBg = await signedIn(t, 'registry_clerk', null, 'UIKS-BEOGRAD');
      expect((await voidOf(officerNis, r.personId, `breaches/${breachId}`)).status).toBe(403);
      const notTheirs = await voidOf(clerk, other.personId, `breaches/${breachId}`);
      expect(notTheirs.status).toBe(404);
      expect(notTheirs.body.detail).toBe('No such breach.');
      expect((await voidOf(clerkBg, r.personId, `breaches/${breachId}`)).status).toBe(404);

      // Referred directly, then (that referral voided) through its alert: either way it stands.
      const [{ id: alertId }] = await t.dataSource.query(`SELECT id FROM alerts WHERE source_id = $1`, [breachId]);
      for (const items of [{ breachIds: [breachId] }, { alertIds: [alertId] }]) {
        const referral = await request(t.server)
          .post(`/api/v1/persons/${r.personId}/referrals`)
          .set(as(clerk))
          .send({ ...items, prosecutorOffice: 'Osnovno javno tužilaštvo u Nišu', referredOn: today });
        expect(referral.status).toBe(201);
        const refused = await voidOf(clerk, r.personId, `breaches/${breachId}`);
        expect(refused.status).toBe(409);
        expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(refused.body).toMatchObject({
          type: 'urn:register:problem:conflict',
          code: 'breach_referred',
          referralIds: [referral.body.id],
          detail: `The breach is named by referral ${referral.body.id}; void the referral first.`,
        });
        expect(await breachRow(breachId)).toEqual([{ voided: false, voided_by: null, void_reason: null, version: 1 }]);
        expect(await alertRow(breachId)).toEqual([{ status: 'open', resolved_by: null, resolution: null }]);
        expect((await voidOf(clerk, r.personId, `referrals/${referral.body.id}`)).status).toBe(200);
      }
    });

    it('a breach: voided with who and why, its alert resolved saying so, in the history and the audit; then 409 to void or correct it, and not referred', async () => {
      const r = await reporting(10, 30, 'PU-NIS');
      const breachId = await breachOf(r);
      const requestId = rid('breach-void');
      const voided = await voidOf(clerk, r.personId, `breaches/${breachId}`, requestId);
      expect(voided.status).toBe(200);
      expect(voided.body).toMatchObject({
        id: breachId,
        voidedAt: expect.any(String),
        voidedBy: clerk.user.id,
        voidReason: 'Pogrešno uneto',
        version: 2,
      });
      expect(await alertRow(breachId)).toEqual([
        { status: 'resolved', resolved_by: clerk.user.id, resolution: `Breach ${breachId} voided: Pogrešno uneto` },
      ]);
      const history = await t.dataSource.query(
        `SELECT change, reason, before->>'voidedAt' AS before, after->>'voidReason' AS after
           FROM person_history WHERE part = 'breach' AND part_id = $1 ORDER BY at`,
        [breachId],
      );
      expect(history).toEqual([
        { change: 'create', reason: 'KT-100/2026', before: null, after: null },
        { change: 'void', reason: 'Pogrešno uneto', before: null, after: 'Pogrešno uneto' },
      ]);
      expect(
        (await eventsOf(t, requestId)).map((e) => [e.action, e.outcome, e.resource_type, e.resource_id, e.reason]),
      ).toEqual([['breach.void', 'allowed', 'breach', breachId, 'Pogrešno uneto']]);

      const again = await voidOf(clerk, r.personId, `breaches/${breachId}`);
      expect(again.status).toBe(409);
      expect(again.body.detail).toBe('The breach is already void.');
      const correct = await request(t.server)
        .patch(`/api/v1/persons/${r.personId}/breaches/${breachId}`)
        .set({ ...as(clerk), 'If-Match': '2' })
        .send({ description: 'Drugi opis' });
      expect(correct.status).toBe(409);
      expect(correct.body.detail).toBe('The breach is already void.');
      const referral = await request(t.server)
        .post(`/api/v1/persons/${r.personId}/referrals`)
        .set(as(clerk))
        .send({ breachIds: [breachId], prosecutorOffice: 'Osnovno javno tužilaštvo u Nišu', referredOn: today });
      expect(referral.status).toBe(409);
      expect(await breachRow(breachId)).toEqual([
        { voided: true, voided_by: clerk.user.id, void_reason: 'Pogrešno uneto', version: 2 },
      ]);
      const list = await request(t.server).get(`/api/v1/persons/${r.personId}/breaches`).set(as(clerk));
      expect(list.body.items).toEqual([expect.objectContaining({ id: breachId, voidReason: 'Pogrešno uneto' })]);
    });

    it('a counselling attendance: 403 for an officer, 404 for another person’s; voided with history and audit; then 409 to void or correct it', async () => {
      const r = await reporting(10, 30, 'PU-NIS');
      const other = await reporting(10, 30, 'PU-NIS');
      const [{ id: measureId }] = await t.dataSource.query(
        `INSERT INTO measures (person_id, type, starts_on, ends_on) VALUES ($1, 'counselling', $2, $3) RETURNING id`,
        [r.personId, addDays(today, -10), addDays(today, 300)],
      );
      const attended = await request(t.server)
        .post(`/api/v1/persons/${r.personId}/counselling`)
        .set(as(officerNis))
        .send({ measureId, attendedOn: today, institution: 'CSR Niš' });
      expect(attended.status).toBe(201);
      const id = attended.body.id as string;
      expect(attended.body).toMatchObject({ voidedAt: null, voidedBy: null, voidReason: null, version: 1 });
      expect((await voidOf(officerNis, r.personId, `counselling/${id}`)).status).toBe(403);
      const notTheirs = await voidOf(clerk, other.personId, `counselling/${id}`);
      expect(notTheirs.status).toBe(404);
      expect(notTheirs.body.detail).toBe('No such counselling.');
      const row = () =>
        t.dataSource.query(`SELECT voided_by, void_reason, version FROM counselling_attendances WHERE id = $1`, [id]);
      expect(await row()).toEqual([{ voided_by: null, void_reason: null, version: 1 }]);

      const requestId = rid('counselling-void');
      const voided = await voidOf(clerk, r.personId, `counselling/${id}`, requestId);
      expect(voided.status).toBe(200);
      expect(voided.body).toMatchObject({ id, voidedBy: clerk.user.id, voidReason: 'Pogrešno uneto', version: 2 });
      expect(
        await t.dataSource.query(
          `SELECT change, reason FROM person_history WHERE part = 'counselling' AND part_id = $1 ORDER BY at`,
          [id],
        ),
      ).toEqual([
        { change: 'create', reason: 'KT-100/2026' },
        { change: 'void', reason: 'Pogrešno uneto' },
      ]);
      expect((await eventsOf(t, requestId)).map((e) => [e.action, e.outcome, e.resource_id])).toEqual([
        ['counselling.void', 'allowed', id],
      ]);
      expect((await voidOf(clerk, r.personId, `counselling/${id}`)).status).toBe(409);
      const correct = await request(t.server)
        .patch(`/api/v1/persons/${r.personId}/counselling/${id}`)
        .set({ ...as(clerk), 'If-Match': '2' })
        .send({ institution: 'CSR Beograd' });
      expect(correct.status).toBe(409);
      expect(correct.body.detail).toBe('The counselling is already void.');
      expect(await row()).toEqual([{ voided_by: clerk.user.id, void_reason: 'Pogrešno uneto', version: 2 }]);
    });
  });

  describe('alerts', () => {
    async function openAlert(administration = 'PU-NIS') {
      const r = await reporting(45, 30, administration);
      await t.app.get(ComplianceScanner).scan();
      const [alert] = await t.dataSource.query(`SELECT id FROM alerts WHERE source_id = $1`, [r.measureId]);
      return { ...r, alertId: alert.id as string };
    }

    it('open, then acknowledged, then resolved, with who and when; other regions get 404; stale is 412', async () => {
      const a = await openAlert();
      const ack = (account: Tokens, headers: Record<string, string> = {}) =>
        request(t.server)
          .post(`/api/v1/alerts/${a.alertId}/acknowledge`)
          .set({ ...as(account), ...headers });
      expect((await ack(officerBg)).status).toBe(404);
      expect((await ack(judge)).status).toBe(403);
      expect((await ack(officerNis, { 'If-Match': '7' })).status).toBe(412);
      const requestId = rid('ack');
      const acknowledged = await ack(officerNis, { 'X-Request-Id': requestId });
      expect(acknowledged.status).toBe(200);
      expect(acknowledged.body).toMatchObject({
        id: a.alertId,
        kind: 'missed_check_in',
        personId: a.personId,
        measureId: a.measureId,
        sourceId: a.measureId,
        dueDate: addDays(a.startsOn, 29),
        policeAdministration: 'PU-NIS',
        status: 'acknowledged',
        acknowledgedBy: officerNis.user.id,
        resolvedAt: null,
        version: 2,
      });
      const [event] = await eventsOf(t, requestId);
      expect(event).toMatchObject({
        action: 'alert.acknowledge',
        resource_id: a.alertId,
        subject_person_ids: [a.personId],
        outcome: 'allowed',
      });
      expect((await ack(officerNis)).status).toBe(409);
      const resolve = (body: object) =>
        request(t.server).post(`/api/v1/alerts/${a.alertId}/resolve`).set(as(officerNis)).send(body);
      expect((await resolve({})).status).toBe(400);
      const resolved = await resolve({ resolution: 'Javio se 2. decembra; upozoren pismeno.' });
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({
        status: 'resolved',
        resolvedBy: officerNis.user.id,
        resolution: 'Javio se 2. decembra; upozoren pismeno.',
        version: 3,
      });
      expect((await resolve({ resolution: 'x' })).status).toBe(409);
    });

    it('one alert: the region’s officer reads it, another region’s gets 404 recorded as denied', async () => {
      const a = await openAlert('PU-NIS');
      const get = (account: Tokens, requestId = rid('alert')) =>
        request(t.server)
          .get(`/api/v1/alerts/${a.alertId}`)
          .set({ ...as(account), 'X-Request-Id': requestId });
      const mine = await get(officerNis);
      expect(mine.status).toBe(200);
      const [named] = await t.dataSource.query(`SELECT surname, given_names FROM persons WHERE id = $1`, [a.personId]);
      expect(mine.body).toMatchObject({
        id: a.alertId,
        kind: 'missed_check_in',
        personId: a.personId,
        // Named, whatever the person's compliance now (the console shows the name after a check-in too).
        person: { surname: named.surname, givenNames: named.given_names },
        policeAdministration: 'PU-NIS',
        status: 'open',
      });
      const listed = await request(t.server).get('/api/v1/alerts?limit=100&region=PU-NIS').set(as(officerNis));
      expect(listed.body.items.find((i: { id: string }) => i.id === a.alertId).person).toEqual({
        surname: named.surname,
        givenNames: named.given_names,
      });
      // The officer's reminder of it names the person too.
      const inbox = await request(t.server).get('/api/v1/inbox?limit=100').set(as(officerNis));
      expect(inbox.body.items.find((i: { alertId: string }) => i.alertId === a.alertId)).toMatchObject({
        personId: a.personId,
        person: { surname: named.surname, givenNames: named.given_names },
      });
      const requestId = rid('alert');
      expect((await get(officerBg, requestId)).status).toBe(404);
      expect((await eventsOf(t, requestId))[0]).toMatchObject({
        action: 'alert.read',
        outcome: 'denied',
        resource_id: a.alertId,
        subject_person_ids: [a.personId],
      });
      expect((await get(judge)).status).toBe(403);
      expect((await get(clerk)).status).toBe(200);
    });

    it('lists are scoped: an officer sees the region’s alerts, a clerk all', async () => {
      const nis = await openAlert('PU-NIS');
      const bor = await openAlert('PU-BOR');
      const ids = async (account: Tokens, query = '') =>
        (await request(t.server).get(`/api/v1/alerts?limit=100${query}`).set(as(account))).body.items.map(
          (i: { id: string }) => i.id,
        );
      expect(await ids(officerNis)).toContain(nis.alertId);
      expect(await ids(officerNis)).not.toContain(bor.alertId);
      expect(await ids(clerk, '&region=PU-BOR&status=open&kind=missed_check_in')).toContain(bor.alertId);
      expect(await ids(officerNis, '&region=PU-BOR')).toEqual([]);
    });

    it('pages alerts and inbox items raised at one instant completely, each once', async () => {
      const r = await reporting(45, 30, 'PU-ZAJECAR');
      // One statement: one now(), to the microsecond, for all seven.
      await t.dataSource.query(
        `WITH raised AS (
           INSERT INTO alerts (kind, person_id, measure_id, source_id, due_date, police_administration)
           SELECT 'missed_check_in', $1, $2, $2, DATE '2026-01-01' + d, 'PU-ZAJECAR' FROM generate_series(1, 7) AS d
           RETURNING id, due_date)
         INSERT INTO inbox_items (user_id, kind, alert_id, person_id, source_id, due_date)
         SELECT $3, 'missed_check_in', id, $1, $2, due_date FROM raised`,
        [r.personId, r.measureId, clerk.user.id],
      );
      const walk = async (path: string) => {
        const seen: string[] = [];
        let cursor: string | null = '';
        for (let pages = 0; cursor !== null && pages < 10; pages++) {
          const res: request.Response = await request(t.server)
            .get(`${path}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
            .set(as(clerk));
          expect(res.status).toBe(200);
          seen.push(...res.body.items.map((i: { id: string }) => i.id));
          cursor = res.body.nextCursor;
        }
        return seen;
      };
      const alerts = await walk('/api/v1/alerts?region=PU-ZAJECAR');
      const expected = await t.dataSource.query(`SELECT id FROM alerts WHERE police_administration = 'PU-ZAJECAR'`);
      expect(alerts).toHaveLength(7);
      expect([...alerts].sort()).toEqual(expected.map((e: { id: string }) => e.id).sort());
      const inbox = await walk('/api/v1/inbox?unread=true');
      const mine = await t.dataSource.query(`SELECT id FROM inbox_items WHERE user_id = $1`, [clerk.user.id]);
      expect(new Set(inbox).size).toBe(inbox.length);
      expect([...inbox].sort()).toEqual(mine.map((e: { id: string }) => e.id).sort());
    });

    it('the inbox of the officer holds the new alert; reading it marks it', async () => {
      const a = await openAlert('PU-NIS');
      const inbox = await request(t.server).get('/api/v1/inbox?unread=true&limit=100').set(as(officerNis));
      expect(inbox.status).toBe(200);
      const item = inbox.body.items.find((i: { alertId: string }) => i.alertId === a.alertId);
      expect(item).toMatchObject({ kind: 'missed_check_in', readAt: null });
      // The reminder names whom it is about, as its alert does (the inbox groups by person and kind).
      expect(Object.keys(item).sort()).toEqual([
        'alertId',
        'createdAt',
        'dueDate',
        'id',
        'kind',
        'person',
        'personId',
        'readAt',
      ]);
      expect(item.personId).toBe(a.personId);
      const other = await request(t.server).post(`/api/v1/inbox/${item.id}/read`).set(as(officerBg));
      expect(other.status).toBe(404);
      await request(t.server).post(`/api/v1/inbox/${item.id}/read`).set(as(officerNis)).expect(204);
      const unread = await request(t.server).get('/api/v1/inbox?unread=true&limit=100').set(as(officerNis));
      expect(unread.body.items.map((i: { id: string }) => i.id)).not.toContain(item.id);
    });
  });

  describe('Idempotency-Key', () => {
    it('a retried check-in is recorded once and answered the same; another body with the key is 422', async () => {
      const r = await reporting(10);
      const body = {
        measureId: r.measureId,
        occurredAt: new Date().toISOString(),
        place: 'PU Niš',
        method: 'in_person',
      };
      const first = await checkIn(officerNis, r.personId, body, { 'Idempotency-Key': 'ci-1' });
      const replayId = rid('replay');
      const second = await checkIn(officerNis, r.personId, body, {
        'Idempotency-Key': 'ci-1',
        'X-Request-Id': replayId,
      });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      // The replay is audited too, naming the person, marked as a replay.
      const [event] = await eventsOf(t, replayId);
      expect(event).toMatchObject({
        action: 'check_in.create',
        http_status: 201,
        subject_person_ids: [r.personId],
        details: { idempotentReplay: true },
      });
      const concurrent = await Promise.all(
        [1, 2, 3].map(() => checkIn(officerNis, r.personId, body, { 'Idempotency-Key': 'ci-2' })),
      );
      expect(concurrent.map((res) => res.status)).toEqual([201, 201, 201]);
      expect(new Set(concurrent.map((res) => res.body.id)).size).toBe(1);
      const rows = await t.dataSource.query(`SELECT id FROM check_ins WHERE person_id = $1`, [r.personId]);
      expect(rows).toHaveLength(2);

      const other = await checkIn(
        officerNis,
        r.personId,
        { ...body, place: 'Drugo mesto' },
        { 'Idempotency-Key': 'ci-1' },
      );
      expect(other.status).toBe(422);
      expect(other.body.type).toBe('urn:register:problem:idempotency_mismatch');
      // The same key from another user is another key.
      const clerkRes = await checkIn(clerk, r.personId, body, { 'Idempotency-Key': 'ci-1' });
      expect(clerkRes.status).toBe(201);
      expect(clerkRes.body.id).not.toBe(first.body.id);
      const bad = await checkIn(officerNis, r.personId, body, { 'Idempotency-Key': 'x'.repeat(65) });
      expect(bad.status).toBe(400);
    });

    it('replays nothing to a caller who has lost access to the person since (404, recorded as denied)', async () => {
      const r = await reporting(10);
      const body = {
        measureId: r.measureId,
        occurredAt: new Date().toISOString(),
        place: 'PU Niš',
        method: 'in_person',
      };
      const first = await checkIn(officerNis, r.personId, body, { 'Idempotency-Key': 'ci-lost' });
      expect(first.status).toBe(201);
      // The person moves out of the officer's region.
      await t.dataSource.query(`UPDATE persons SET regions = '{PU-BEOGRAD}' WHERE id = $1`, [r.personId]);
      const replayId = rid('lost');
      const replay = await checkIn(officerNis, r.personId, body, {
        'Idempotency-Key': 'ci-lost',
        'X-Request-Id': replayId,
      });
      expect([replay.status, replay.body.type, replay.body.detail, replay.body.id]).toEqual([
        404,
        'urn:register:problem:not_found',
        'No such person.',
        undefined,
      ]);
      const [event] = await eventsOf(t, replayId);
      expect([event.action, event.outcome, event.http_status, event.subject_person_ids]).toEqual([
        'check_in.create',
        'denied',
        404,
        [r.personId],
      ]);
      const rows = await t.dataSource.query(`SELECT id FROM check_ins WHERE person_id = $1`, [r.personId]);
      expect(rows).toEqual([{ id: first.body.id }]);
    });
  });
});
