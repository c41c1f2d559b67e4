import request from 'supertest';
import { addDays, belgradeToday } from '@app/common';
import { eventsOf, rid } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { insertMeasure, REASON, registerPerson } from '../support/register';
import { runtimeRoleUrl } from '../support/runtime-role';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The Belgrade calendar day `days` from today (negative: before), counted in days of the calendar: `days`
 * times 24 hours from now can fall on another day across a change of summer time.
 */
const day = (days: number): string => addDays(belgradeToday(), days);
const OFFICE = 'Osnovno javno tužilaštvo u Nišu';

describe('referrals to the prosecutor and non_compliant', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let judge: TestAccount & Tokens;
  let auditor: TestAccount & Tokens;
  let admin: TestAccount & Tokens;
  let officerNis: TestAccount & Tokens;
  let officerBeograd: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await signedIn(t, 'registry_clerk');
    judge = await signedIn(t, 'judicial_officer');
    auditor = await signedIn(t, 'auditor');
    admin = await signedIn(t, 'admin');
    officerNis = await signedIn(t, 'police_officer', 'PU-NIS');
    officerBeograd = await signedIn(t, 'police_officer', 'PU-BEOGRAD');
  });

  afterAll(async () => {
    await t?.close();
  });

  const as = (account: Tokens, requestId = rid('referral')) => ({
    ...bearer(account.accessToken),
    ...REASON,
    'X-Request-Id': requestId,
  });
  const url = (personId: string, rest = '') => `/api/v1/persons/${personId}/referrals${rest}`;

  /**
   * A person in Niš under reporting since 2025-06-02 without a check-in (so
   * overdue), with a missed_check_in alert raised ten days ago and a breach
   * of the measure five days ago.
   */
  async function overduePerson(): Promise<{ personId: string; measureId: string; alertId: string; breachId: string }> {
    const person = await registerPerson(t, { regions: ['PU-NIS'] });
    const measureId = await insertMeasure(t, person.id, 'PU-NIS');
    return { personId: person.id, measureId, ...(await acts(person.id, measureId)) };
  }

  /** An alert raised ten days ago and a breach five days ago, both of the person's measure. */
  async function acts(personId: string, measureId: string): Promise<{ alertId: string; breachId: string }> {
    const [alert] = await t.dataSource.query(
      `INSERT INTO alerts (kind, person_id, measure_id, source_id, due_date, police_administration, raised_at)
       VALUES ('missed_check_in', $1, $2, $2, $3, 'PU-NIS', now() - interval '10 days') RETURNING id`,
      [personId, measureId, day(-11)],
    );
    const [breach] = await t.dataSource.query(
      `INSERT INTO breaches (person_id, measure_id, occurred_at, description, recorded_by)
       VALUES ($1, $2, now() - interval '5 days', 'Nije se javio', $3) RETURNING id`,
      [personId, measureId, clerk.user.id],
    );
    return { alertId: alert.id, breachId: breach.id };
  }

  const banMeasure = async (personId: string): Promise<string> => {
    const [row] = await t.dataSource.query(
      `INSERT INTO measures (person_id, type, starts_on, ends_on)
       VALUES ($1, 'ban_places_with_minors', '2025-06-02', '2035-06-01') RETURNING id`,
      [personId],
    );
    return row.id;
  };

  const refer = (account: Tokens, personId: string, body: Record<string, unknown>, requestId = rid('refer')) =>
    request(t.server).post(url(personId)).set(as(account, requestId)).send(body);
  const valid = (ids: { alertId?: string; breachId?: string }, referredOn = day(0)) => ({
    ...(ids.alertId ? { alertIds: [ids.alertId] } : {}),
    ...(ids.breachId ? { breachIds: [ids.breachId] } : {}),
    prosecutorOffice: OFFICE,
    referredOn,
  });
  const outcome = (
    account: Tokens,
    personId: string,
    referralId: string,
    version: string | null,
    body: Record<string, unknown>,
    requestId = rid('outcome'),
  ) => {
    const req = request(t.server)
      .patch(url(personId, `/${referralId}`))
      .set(as(account, requestId));
    if (version !== null) req.set('If-Match', version);
    return req.send(body);
  };

  const referralRows = (personId: string) =>
    t.dataSource.query(
      `SELECT prosecutor_office, referred_on::text, referred_by, outcome, outcome_on::text, case_number,
              voided_at IS NOT NULL AS voided, version
         FROM referrals WHERE person_id = $1 ORDER BY created_at, id`,
      [personId],
    );
  const itemRows = (personId: string) =>
    t.dataSource.query(
      `SELECT i.alert_id, i.breach_id FROM referral_items i JOIN referrals r ON r.id = i.referral_id
        WHERE r.person_id = $1 ORDER BY i.alert_id NULLS LAST, i.breach_id`,
      [personId],
    );
  const statusOf = async (account: Tokens, personId: string) => {
    const res = await request(t.server).get(`/api/v1/persons/${personId}`).set(as(account));
    expect(res.status).toBe(200);
    return res.body.compliance as { status: string; openReferralIds: string[] };
  };

  describe('refused', () => {
    it('refuses judicial officers, auditors and admins with 403, recorded as denied, nothing written', async () => {
      const p = await overduePerson();
      for (const account of [judge, auditor, admin]) {
        const requestId = rid('role');
        const res = await refer(account, p.personId, valid(p), requestId);
        expect([res.status, res.body.type]).toEqual([403, 'urn:register:problem:forbidden']);
        const [event] = await eventsOf(t, requestId);
        expect([event.action, event.outcome, event.http_status]).toEqual(['referral.create', 'denied', 403]);
      }
      const list = await request(t.server).get(url(p.personId)).set(as(judge));
      expect(list.status).toBe(403);
      expect(await referralRows(p.personId)).toEqual([]);
    });

    it('answers 404 to an officer of another region, recorded as a denial naming the person', async () => {
      const p = await overduePerson();
      const requestId = rid('region');
      const res = await refer(officerBeograd, p.personId, valid(p), requestId);
      expect([res.status, res.body.type, res.body.detail]).toEqual([
        404,
        'urn:register:problem:not_found',
        'No such person.',
      ]);
      // Nothing was disclosed: the refusal names no recipient.
      const [event] = await eventsOf(t, requestId);
      expect([event.outcome, event.http_status, event.subject_person_ids, event.recipient]).toEqual([
        'denied',
        404,
        [p.personId],
        null,
      ]);
      const list = await request(t.server).get(url(p.personId)).set(as(officerBeograd));
      expect(list.status).toBe(404);
      expect(await referralRows(p.personId)).toEqual([]);
    });

    it('refuses an alert or a breach of another person with 400 naming the field', async () => {
      const p = await overduePerson();
      const other = await overduePerson();
      const alert = await refer(clerk, p.personId, valid({ alertId: other.alertId }));
      expect([alert.status, alert.body.type, alert.body.errors]).toEqual([
        400,
        'urn:register:problem:validation',
        [{ field: 'alertIds', message: `are not alerts of this person: ${other.alertId}` }],
      ]);
      const breach = await refer(clerk, p.personId, valid({ alertId: p.alertId, breachId: other.breachId }));
      expect([breach.status, breach.body.errors]).toEqual([
        400,
        [{ field: 'breachIds', message: `are not breaches of this person: ${other.breachId}` }],
      ]);
      expect(await referralRows(p.personId)).toEqual([]);
    });

    it('refuses a referral naming nothing, malformed ids, a future day and a day before an item (400)', async () => {
      const p = await overduePerson();
      const cases: [Record<string, unknown>, string][] = [
        [{ prosecutorOffice: OFFICE, referredOn: day(0) }, 'alertIds'],
        [{ alertIds: [], breachIds: [], prosecutorOffice: OFFICE, referredOn: day(0) }, 'alertIds'],
        [{ ...valid(p), alertIds: ['not-a-uuid'] }, 'alertIds'],
        [{ ...valid(p), breachIds: 'x' }, 'breachIds'],
        [{ ...valid(p), alertIds: [p.alertId, p.alertId] }, 'alertIds'],
        [valid(p, day(1)), 'referredOn'],
        [valid(p, '2026-02-30'), 'referredOn'],
        // The breach happened five days ago.
        [valid(p, day(-6)), 'referredOn'],
        [{ ...valid(p), prosecutorOffice: '' }, 'prosecutorOffice'],
        [{ ...valid(p), extra: 1 }, 'extra'],
      ];
      for (const [body, field] of cases) {
        const res = await refer(clerk, p.personId, body);
        expect([res.status, res.body.type]).toEqual([400, 'urn:register:problem:validation']);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      // A malformed id in the path names no resource.
      const malformedPerson = await refer(clerk, 'not-a-uuid', valid(p));
      expect([malformedPerson.status, malformedPerson.body.detail]).toEqual([404, 'No such resource.']);
      expect(await referralRows(p.personId)).toEqual([]);
    });

    it('refuses a resolved alert and an item already referred without an outcome with 409', async () => {
      const p = await overduePerson();
      await t.dataSource.query(
        `UPDATE alerts SET status = 'resolved', acknowledged_at = now(), acknowledged_by = $2, resolved_at = now(),
                           resolved_by = $2, resolution = 'Javio se' WHERE id = $1`,
        [p.alertId, clerk.user.id],
      );
      const resolved = await refer(clerk, p.personId, valid({ alertId: p.alertId }));
      expect([resolved.status, resolved.body.type, resolved.body.detail]).toEqual([
        409,
        'urn:register:problem:conflict',
        `Resolved alerts are not referred: ${p.alertId}.`,
      ]);

      const first = await refer(officerNis, p.personId, valid({ breachId: p.breachId }));
      expect(first.status).toBe(201);
      const again = await refer(clerk, p.personId, valid({ breachId: p.breachId }));
      expect([again.status, again.body.detail]).toEqual([
        409,
        `Already referred, awaiting the outcome: ${p.breachId}.`,
      ]);
      expect(await referralRows(p.personId)).toHaveLength(1);
    });
  });

  describe('a referral', () => {
    it('makes the person non_compliant (person read, status list), with rows and a flagged disclosure event', async () => {
      const p = await overduePerson();
      expect(await statusOf(clerk, p.personId)).toMatchObject({ status: 'overdue', openReferralIds: [] });

      const requestId = rid('refer');
      const res = await refer(officerNis, p.personId, valid(p), requestId);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        alertIds: [p.alertId],
        breachIds: [p.breachId],
        prosecutorOffice: OFFICE,
        referredOn: day(0),
        referredBy: officerNis.user.id,
        outcome: null,
        outcomeOn: null,
        caseNumber: null,
        createdAt: expect.any(String),
        voidedAt: null,
        voidedBy: null,
        voidReason: null,
        version: 1,
      });
      expect(await referralRows(p.personId)).toEqual([
        {
          prosecutor_office: OFFICE,
          referred_on: day(0),
          referred_by: officerNis.user.id,
          outcome: null,
          outcome_on: null,
          case_number: null,
          voided: false,
          version: 1,
        },
      ]);
      expect(await itemRows(p.personId)).toEqual([
        { alert_id: p.alertId, breach_id: null },
        { alert_id: null, breach_id: p.breachId },
      ]);
      const [event] = await eventsOf(t, requestId);
      expect([
        event.action,
        event.outcome,
        event.http_status,
        event.flagged,
        event.recipient,
        event.resource_type,
        event.resource_id,
        event.subject_person_ids,
      ]).toEqual(['referral.create', 'allowed', 201, true, OFFICE, 'referral', res.body.id, [p.personId]]);
      const [history] = await t.dataSource.query(
        `SELECT change, after FROM person_history WHERE person_id = $1 AND part = 'referral'`,
        [p.personId],
      );
      expect([history.change, history.after.alertIds, history.after.breachIds]).toEqual([
        'create',
        [p.alertId],
        [p.breachId],
      ]);

      // The person read, as the officer and as a judicial officer (who reads compliance, not the acts).
      expect(await statusOf(officerNis, p.personId)).toMatchObject({
        status: 'non_compliant',
        openReferralIds: [res.body.id],
      });
      expect(await statusOf(judge, p.personId)).toMatchObject({ status: 'non_compliant' });
      // The status list: the search's filter.
      const listed = await request(t.server)
        .get('/api/v1/persons')
        .query({ status: 'non_compliant', region: 'PU-NIS' })
        .set(as(officerNis));
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(p.personId);
      const overdueOnes = await request(t.server)
        .get('/api/v1/persons')
        .query({ status: 'overdue', region: 'PU-NIS' })
        .set(as(officerNis));
      expect(overdueOnes.body.items.map((i: { id: string }) => i.id)).not.toContain(p.personId);
      // The overdue list still lists the overdue schedule.
      const overdue = await request(t.server).get('/api/v1/compliance/overdue').set(as(officerNis));
      expect(overdue.status).toBe(200);
      expect(overdue.body.items.filter((i: { personId: string }) => i.personId === p.personId)).toEqual([
        expect.objectContaining({ measureId: p.measureId, authority: 'police' }),
      ]);
      // The list of the person's referrals.
      const list = await request(t.server).get(url(p.personId)).set(as(officerNis));
      expect([list.status, list.body]).toEqual([200, { items: [res.body], nextCursor: null }]);
    });

    it('is made once for a repeated Idempotency-Key, and the same key with another body is 422', async () => {
      const p = await overduePerson();
      const send = (body: Record<string, unknown>) =>
        request(t.server)
          .post(url(p.personId))
          .set({ ...as(clerk), 'Idempotency-Key': `referral-${p.personId}` })
          .send(body);
      const first = await send(valid(p));
      const replay = await send(valid(p));
      expect([first.status, replay.status, replay.body]).toEqual([201, 201, first.body]);
      const other = await send(valid({ alertId: p.alertId }));
      expect([other.status, other.body.type]).toEqual([422, 'urn:register:problem:idempotency_mismatch']);
      expect(await referralRows(p.personId)).toHaveLength(1);
    });

    it("lists one person's alerts for the referral form (GET /alerts?personId=)", async () => {
      const p = await overduePerson();
      await overduePerson();
      const res = await request(t.server).get('/api/v1/alerts').query({ personId: p.personId }).set(as(officerNis));
      expect([res.status, res.body.items.map((a: { id: string }) => a.id)]).toEqual([200, [p.alertId]]);
      const elsewhere = await request(t.server)
        .get('/api/v1/alerts')
        .query({ personId: p.personId })
        .set(as(officerBeograd));
      expect([elsewhere.status, elsewhere.body.items]).toEqual([200, []]);
    });

    it('makes even a person without measures non_compliant', async () => {
      const person = await registerPerson(t, { regions: ['PU-NIS'] });
      const [breach] = await t.dataSource.query(
        `INSERT INTO breaches (person_id, measure_id, occurred_at, description, recorded_by)
         VALUES ($1, $2, now() - interval '1 day', 'Boravak kod škole', $3) RETURNING id`,
        [person.id, await banMeasure(person.id), clerk.user.id],
      );
      expect(await statusOf(clerk, person.id)).toMatchObject({ status: 'none' });
      const res = await refer(clerk, person.id, valid({ breachId: breach.id }));
      expect(res.status).toBe(201);
      expect(await statusOf(clerk, person.id)).toMatchObject({ status: 'non_compliant' });
    });
  });

  describe('the outcome', () => {
    async function referred() {
      const p = await overduePerson();
      const res = await refer(clerk, p.personId, valid(p));
      expect(res.status).toBe(201);
      return { ...p, referralId: res.body.id as string };
    }

    it('requires If-Match (428), refuses a stale one (412), a bad body (400), another region (404)', async () => {
      const r = await referred();
      const body = { outcome: 'charged', outcomeOn: day(0), caseNumber: 'KT 12/26' };
      const missing = await outcome(clerk, r.personId, r.referralId, null, body);
      expect([missing.status, missing.body.type]).toEqual([428, 'urn:register:problem:precondition_required']);
      const stale = await outcome(clerk, r.personId, r.referralId, '7', body);
      expect([stale.status, stale.body.type]).toEqual([412, 'urn:register:problem:version_mismatch']);
      const cases: [Record<string, unknown>, string][] = [
        [{ outcome: 'charged', outcomeOn: day(0) }, 'caseNumber'],
        [{ outcome: 'convicted', outcomeOn: day(0) }, 'caseNumber'],
        [{ outcome: 'dismissed', outcomeOn: day(0), caseNumber: 'KT 1/26' }, 'caseNumber'],
        [{ outcome: 'acquitted', outcomeOn: day(0) }, 'outcome'],
        [{ ...body, outcomeOn: day(1) }, 'outcomeOn'],
        [{ ...body, outcomeOn: day(-1) }, 'outcomeOn'],
      ];
      for (const [bad, field] of cases) {
        const res = await outcome(clerk, r.personId, r.referralId, '1', bad);
        expect([res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([400, [field]]);
      }
      const region = await outcome(officerBeograd, r.personId, r.referralId, '1', body);
      expect(region.status).toBe(404);
      const absent = await outcome(clerk, r.personId, r.alertId, '1', body);
      expect([absent.status, absent.body.detail]).toEqual([404, 'No such referral.']);
      expect(await referralRows(r.personId)).toEqual([expect.objectContaining({ outcome: null, version: 1 })]);
      expect(await statusOf(clerk, r.personId)).toMatchObject({ status: 'non_compliant' });
    });

    it('clears non_compliant (back to overdue) and resolves the referred alerts', async () => {
      const r = await referred();
      const requestId = rid('outcome');
      const res = await outcome(
        officerNis,
        r.personId,
        r.referralId,
        '"1"',
        { outcome: 'charged', outcomeOn: day(0), caseNumber: 'KT 12/26' },
        requestId,
      );
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.body).toMatchObject({ outcome: 'charged', outcomeOn: day(0), caseNumber: 'KT 12/26', version: 2 });
      const [event] = await eventsOf(t, requestId);
      expect([event.action, event.outcome, event.http_status, event.subject_person_ids]).toEqual([
        'referral.outcome',
        'allowed',
        200,
        [r.personId],
      ]);
      expect(await statusOf(clerk, r.personId)).toEqual(
        expect.objectContaining({ status: 'overdue', openReferralIds: [] }),
      );
      const [alert] = await t.dataSource.query(
        `SELECT status, resolved_by, resolution, acknowledged_by FROM alerts WHERE id = $1`,
        [r.alertId],
      );
      expect(alert).toEqual({
        status: 'resolved',
        resolved_by: officerNis.user.id,
        acknowledged_by: officerNis.user.id,
        resolution: `Referral ${r.referralId} to ${OFFICE}: charged on ${day(0)}, case KT 12/26`,
      });
      const history = await t.dataSource.query(
        `SELECT change, before->>'outcome' AS before, after->>'outcome' AS after FROM person_history
          WHERE person_id = $1 AND part = 'referral' ORDER BY at, change`,
        [r.personId],
      );
      expect(history).toEqual([
        { change: 'create', before: null, after: null },
        { change: 'outcome', before: null, after: 'charged' },
      ]);
      // Now resolved, the breach may be referred again.
      const again = await refer(clerk, r.personId, valid({ breachId: r.breachId }));
      expect(again.status).toBe(201);
    });

    it('changes a recorded outcome only by a clerk’s correction', async () => {
      const r = await referred();
      const first = await outcome(clerk, r.personId, r.referralId, '1', { outcome: 'dismissed', outcomeOn: day(0) });
      expect(first.status).toBe(200);
      const plain = await outcome(clerk, r.personId, r.referralId, '2', {
        outcome: 'charged',
        outcomeOn: day(0),
        caseNumber: 'KT 3/26',
      });
      expect([plain.status, plain.body.detail]).toEqual([
        409,
        'The outcome (dismissed) is recorded; a registry clerk corrects it with correction: true.',
      ]);
      const byOfficer = await outcome(officerNis, r.personId, r.referralId, '2', {
        outcome: 'charged',
        outcomeOn: day(0),
        caseNumber: 'KT 3/26',
        correction: true,
      });
      expect(byOfficer.status).toBe(404);
      const corrected = await outcome(clerk, r.personId, r.referralId, '2', {
        outcome: 'convicted',
        outcomeOn: day(0),
        caseNumber: 'K 3/26',
        correction: true,
      });
      expect([corrected.status, corrected.body.outcome, corrected.body.version]).toEqual([200, 'convicted', 3]);
      expect(await referralRows(r.personId)).toEqual([
        expect.objectContaining({ outcome: 'convicted', case_number: 'K 3/26', version: 3 }),
      ]);
    });

    it('a clerk voids a referral recorded by mistake: the person is no longer non_compliant for it', async () => {
      const r = await referred();
      const byOfficer = await request(t.server)
        .post(url(r.personId, `/${r.referralId}/void`))
        .set(as(officerNis));
      expect(byOfficer.status).toBe(403);
      const res = await request(t.server)
        .post(url(r.personId, `/${r.referralId}/void`))
        .set(as(clerk));
      expect([res.status, res.body.voidReason, res.body.alertIds]).toEqual([200, 'KT-100/2026', [r.alertId]]);
      expect(await statusOf(clerk, r.personId)).toMatchObject({ status: 'overdue', openReferralIds: [] });
      const again = await request(t.server)
        .post(url(r.personId, `/${r.referralId}/void`))
        .set(as(clerk));
      expect(again.status).toBe(409);
      const late = await outcome(clerk, r.personId, r.referralId, '2', { outcome: 'dismissed', outcomeOn: day(0) });
      expect([late.status, late.body.detail]).toEqual([409, 'The referral is void.']);
    });
  });
});

describe('referrals as the runtime role', () => {
  let owner: TestApp;
  let t: TestApp;

  beforeAll(async () => {
    owner = await startTestApp();
    const url = await runtimeRoleUrl(owner, 'register_test_referrals', 'referrals-test-password');
    t = await startTestApp({ DATABASE_URL: url }, [], owner.database);
  });

  afterAll(async () => {
    await t?.close();
    await owner?.close();
  });

  it('refers, reads the status, records the outcome (resolving the alert) and voids with only the grants of register_app', async () => {
    const officer = await signedIn(t, 'police_officer', 'PU-NIS');
    const clerk = await signedIn(t, 'registry_clerk');
    const person = await registerPerson(owner, { regions: ['PU-NIS'] });
    const measureId = await insertMeasure(owner, person.id, 'PU-NIS');
    const [alert] = await owner.dataSource.query(
      `INSERT INTO alerts (kind, person_id, measure_id, source_id, due_date, police_administration, raised_at)
       VALUES ('missed_check_in', $1, $2, $2, '2025-07-01', 'PU-NIS', '2025-07-03T08:00:00Z') RETURNING id`,
      [person.id, measureId],
    );
    const headers = (account: Tokens) => ({ ...bearer(account.accessToken), ...REASON });
    const url = `/api/v1/persons/${person.id}/referrals`;
    const referred = await request(t.server)
      .post(url)
      .set(headers(officer))
      .send({ alertIds: [alert.id], prosecutorOffice: OFFICE, referredOn: day(0) });
    expect(referred.status).toBe(201);
    const read = await request(t.server).get(`/api/v1/persons/${person.id}`).set(headers(officer));
    expect([read.status, read.body.compliance.status]).toEqual([200, 'non_compliant']);
    const decided = await request(t.server)
      .patch(`${url}/${referred.body.id}`)
      .set({ ...headers(officer), 'If-Match': '1' })
      .send({ outcome: 'dismissed', outcomeOn: day(0) });
    expect(decided.status).toBe(200);
    const [{ status }] = await owner.dataSource.query(`SELECT status FROM alerts WHERE id = $1`, [alert.id]);
    expect(status).toBe('resolved');
    const voided = await request(t.server).post(`${url}/${referred.body.id}/void`).set(headers(clerk));
    const list = await request(t.server).get(url).set(headers(officer));
    expect([voided.status, list.status, list.body.items.length]).toEqual([200, 200, 1]);
  });
});
