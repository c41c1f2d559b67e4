import request from 'supertest';
import { addDays, belgradeToday } from '@app/common';
import { ComplianceScanner } from '@app/compliance';
import { eventsOf, rid } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { insertAddress, REASON, registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

const today = belgradeToday();

describe('travel abroad: the return, its overdue alert, and travel without a notice', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let officerNis: TestAccount & Tokens;
  let officerBg: TestAccount & Tokens;
  let judge: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await signedIn(t, 'registry_clerk');
    officerNis = await signedIn(t, 'police_officer', 'PU-NIS');
    officerBg = await signedIn(t, 'police_officer', 'PU-BEOGRAD');
    judge = await signedIn(t, 'judicial_officer');
  });

  afterAll(async () => {
    await t.close();
  });

  const as = (account: Tokens, requestId = rid('travel')) => ({
    ...bearer(account.accessToken),
    ...REASON,
    'X-Request-Id': requestId,
  });

  /** A person in PU-NIS with a notify_travel_abroad measure and a travel notice departing `departOn`. */
  async function traveller(departOn: string, returnOn: string) {
    const person = await registerPerson(t, { regions: ['PU-NIS'] });
    await insertAddress(t, person.id, 'PU-NIS');
    const [{ id: measureId }] = await t.dataSource.query(
      `INSERT INTO measures (person_id, type, starts_on, ends_on)
       VALUES ($1, 'notify_travel_abroad', '2025-06-02', '2035-06-01') RETURNING id`,
      [person.id],
    );
    const notice = await request(t.server)
      .post(`/api/v1/persons/${person.id}/notifications`)
      .set(as(officerNis))
      .send({
        kind: 'travel_abroad',
        notifiedAt: new Date(Date.now() - 60 * 86_400_000).toISOString(),
        effectiveOn: departOn,
        details: { destinationCountry: 'HU', departOn, returnOn },
      });
    expect(notice.status).toBe(201);
    return { personId: person.id as string, measureId: measureId as string, noticeId: notice.body.id as string };
  }

  const returnOf = (account: Tokens, personId: string, noticeId: string, body: object, requestId?: string) =>
    request(t.server)
      .post(`/api/v1/persons/${personId}/notifications/${noticeId}/return`)
      .set(as(account, requestId))
      .send(body);

  const returnRow = async (noticeId: string) =>
    (
      await t.dataSource.query(
        `SELECT returned_on::text, return_recorded_by, version FROM notifications WHERE id = $1`,
        [noticeId],
      )
    )[0];

  const overdueAlerts = (noticeId: string) =>
    t.dataSource.query(
      `SELECT kind, measure_id, due_date::text, police_administration, status
         FROM alerts WHERE source_id = $1 AND kind = 'travel_return_overdue'`,
      [noticeId],
    );

  describe('POST /persons/:id/notifications/:nid/return', () => {
    it('wrong role, wrong region, unknown notice: 403/404, nothing recorded', async () => {
      const r = await traveller(addDays(today, -10), addDays(today, -1));
      expect((await returnOf(judge, r.personId, r.noticeId, { returnedOn: today })).status).toBe(403);
      const requestId = rid('travel-region');
      const denied = await returnOf(officerBg, r.personId, r.noticeId, { returnedOn: today }, requestId);
      expect(denied.status).toBe(404);
      expect((await eventsOf(t, requestId))[0]).toMatchObject({ action: 'notification.return', outcome: 'denied' });
      const absent = await returnOf(officerNis, r.personId, '00000000-0000-4000-8000-00000000abcd', {
        returnedOn: today,
      });
      expect(absent.status).toBe(404);
      expect(await returnRow(r.noticeId)).toEqual({ returned_on: null, return_recorded_by: null, version: 1 });
    });

    it('400 for a malformed day, one before departOn, one in the future, and a notice that is not travel', async () => {
      const departOn = addDays(today, -10);
      const r = await traveller(departOn, addDays(today, -1));
      const malformed = await returnOf(officerNis, r.personId, r.noticeId, { returnedOn: '2026-02-30' });
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors).toEqual([{ field: 'returnedOn', message: expect.any(String) }]);
      const missing = await returnOf(officerNis, r.personId, r.noticeId, {});
      expect(missing.status).toBe(400);
      const before = await returnOf(officerNis, r.personId, r.noticeId, { returnedOn: addDays(departOn, -1) });
      expect(before.status).toBe(400);
      expect(before.body.errors).toEqual([
        { field: 'returnedOn', message: `must not be before departOn (${departOn})` },
      ]);
      const future = await returnOf(officerNis, r.personId, r.noticeId, { returnedOn: addDays(today, 1) });
      expect(future.status).toBe(400);
      expect(future.body.errors).toEqual([{ field: 'returnedOn', message: 'must not be in the future' }]);
      const change = await request(t.server)
        .post(`/api/v1/persons/${r.personId}/notifications`)
        .set(as(officerNis))
        .send({
          kind: 'workplace_change',
          notifiedAt: new Date().toISOString(),
          effectiveOn: today,
          details: {
            workplace: { employer: 'Firma', address: 'Niš', involvesMinors: false, validFrom: today },
          },
        });
      const notTravel = await returnOf(officerNis, r.personId, change.body.id, { returnedOn: today });
      expect(notTravel.status).toBe(400);
      expect(notTravel.body.errors).toEqual([
        { field: 'returnedOn', message: 'is only for a notice of travel abroad' },
      ]);
      expect(await returnRow(r.noticeId)).toEqual({ returned_on: null, return_recorded_by: null, version: 1 });
    });

    it('an officer of the region records the return (200, history, audit); a second one is 409', async () => {
      const r = await traveller(addDays(today, -10), addDays(today, -1));
      const requestId = rid('travel-return');
      const res = await returnOf(officerNis, r.personId, r.noticeId, { returnedOn: today }, requestId);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: r.noticeId,
        kind: 'travel_abroad',
        returnedOn: today,
        returnRecordedBy: officerNis.user.id,
        returnRecordedAt: expect.any(String),
        version: 2,
      });
      expect(await returnRow(r.noticeId)).toEqual({
        returned_on: today,
        return_recorded_by: officerNis.user.id,
        version: 2,
      });
      expect(await eventsOf(t, requestId)).toEqual([
        expect.objectContaining({
          action: 'notification.return',
          outcome: 'allowed',
          http_status: 200,
          resource_type: 'notification',
          resource_id: r.noticeId,
          subject_person_ids: [r.personId],
        }),
      ]);
      const history = await t.dataSource.query(
        `SELECT change, before->>'returnedOn' AS before, after->>'returnedOn' AS after
           FROM person_history WHERE part_id = $1 ORDER BY at`,
        [r.noticeId],
      );
      expect(history).toEqual([
        { change: 'create', before: null, after: null },
        { change: 'return', before: null, after: today },
      ]);
      const again = await returnOf(clerk, r.personId, r.noticeId, { returnedOn: today });
      expect(again.status).toBe(409);
      expect(await returnRow(r.noticeId)).toMatchObject({ returned_on: today, version: 2 });
    });

    it('a clerk records a return too; a voided notice is 409', async () => {
      const r = await traveller(addDays(today, -10), addDays(today, -1));
      expect((await returnOf(clerk, r.personId, r.noticeId, { returnedOn: addDays(today, -1) })).status).toBe(200);
      const v = await traveller(addDays(today, -10), addDays(today, -1));
      await request(t.server)
        .post(`/api/v1/persons/${v.personId}/notifications/${v.noticeId}/void`)
        .set(as(clerk))
        .expect(200);
      expect((await returnOf(clerk, v.personId, v.noticeId, { returnedOn: today })).status).toBe(409);
    });
  });

  describe('travel_return_overdue (TRAVEL_RETURN_GRACE_DAYS = 2)', () => {
    const scan = () => t.app.get(ComplianceScanner).scan();

    it('no return when the grace has passed: one alert across two scans, linked to the measure', async () => {
      const returnOn = addDays(today, -3);
      const r = await traveller(addDays(today, -10), returnOn);
      await scan();
      await scan();
      expect(await overdueAlerts(r.noticeId)).toEqual([
        {
          kind: 'travel_return_overdue',
          measure_id: r.measureId,
          due_date: returnOn,
          police_administration: 'PU-NIS',
          status: 'open',
        },
      ]);
      // Recording the return later is still allowed; the alert stays to be worked.
      expect((await returnOf(officerNis, r.personId, r.noticeId, { returnedOn: today })).status).toBe(200);
    });

    it('none while the grace lasts, none once the return is recorded, none for a voided notice', async () => {
      const inGrace = await traveller(addDays(today, -10), addDays(today, -2));
      const returned = await traveller(addDays(today, -10), addDays(today, -5));
      await returnOf(officerNis, returned.personId, returned.noticeId, { returnedOn: addDays(today, -5) }).expect(200);
      const voided = await traveller(addDays(today, -10), addDays(today, -5));
      await request(t.server)
        .post(`/api/v1/persons/${voided.personId}/notifications/${voided.noticeId}/void`)
        .set(as(clerk))
        .expect(200);
      await scan();
      expect(await overdueAlerts(inGrace.noticeId)).toEqual([]);
      expect(await overdueAlerts(returned.noticeId)).toEqual([]);
      expect(await overdueAlerts(voided.noticeId)).toEqual([]);
    });
  });

  describe('travel without a notice, discovered later', () => {
    it('is a breach of kind travel_without_notice of the notify_travel_abroad measure; another measure is 400', async () => {
      const r = await traveller(addDays(today, -10), addDays(today, -1));
      const [{ id: otherMeasure }] = await t.dataSource.query(
        `INSERT INTO measures (person_id, type, starts_on, ends_on)
         VALUES ($1, 'ban_places_with_minors', '2025-06-02', '2035-06-01') RETURNING id`,
        [r.personId],
      );
      const url = `/api/v1/persons/${r.personId}/breaches`;
      const wrong = await request(t.server)
        .post(url)
        .set(as(officerNis))
        .send({
          measureId: otherMeasure,
          kind: 'travel_without_notice',
          occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
          description: 'Putovao u Mađarsku bez prijave',
        });
      expect(wrong.status).toBe(400);
      expect(wrong.body.errors).toEqual([
        { field: 'measureId', message: 'is not a notify_travel_abroad measure (travel_without_notice)' },
      ]);
      const unknownKind = await request(t.server)
        .post(url)
        .set(as(officerNis))
        .send({
          measureId: r.measureId,
          kind: 'smuggling',
          occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
          description: 'x',
        });
      expect(unknownKind.status).toBe(400);
      const res = await request(t.server)
        .post(url)
        .set(as(officerNis))
        .send({
          measureId: r.measureId,
          kind: 'travel_without_notice',
          occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
          description: 'Putovao u Mađarsku bez prijave',
        });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ measureId: r.measureId, kind: 'travel_without_notice' });
      const plain = await request(t.server)
        .post(url)
        .set(as(officerNis))
        .send({
          measureId: otherMeasure,
          occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
          description: 'Viđen kod škole',
        });
      expect(plain.status).toBe(201);
      expect(plain.body.kind).toBe('other');
      expect(
        await t.dataSource.query(`SELECT kind FROM alerts WHERE source_id = ANY($1) ORDER BY kind`, [
          [res.body.id, plain.body.id],
        ]),
      ).toEqual([{ kind: 'breach' }, { kind: 'breach' }]);
    });
  });
});
