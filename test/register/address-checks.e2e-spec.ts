import request from 'supertest';
import { addDays, belgradeToday } from '@app/common';
import { eventsOf, rid } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { REASON, registerPerson } from '../support/register';
import { runtimeRoleUrl } from '../support/runtime-role';
import { startTestApp, type TestApp } from '../support/test-app';

const DAY_MS = 86_400_000;
/**
 * The Belgrade calendar day `days` before today (the list counts Belgrade days), counted in days of the
 * calendar: `days` times 24 hours before now can fall on another day across a change of summer time.
 */
const daysAgo = (days: number): string => addDays(belgradeToday(), -days);
/** An instant `days` before now. */
const instantAgo = (days: number): string => new Date(Date.now() - days * DAY_MS).toISOString();

describe('address checks and unknown whereabouts', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let judge: TestAccount & Tokens;
  let admin: TestAccount & Tokens;
  let officerNis: TestAccount & Tokens;
  let officerBeograd: TestAccount & Tokens;
  let officerKraljevo: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await signedIn(t, 'registry_clerk');
    judge = await signedIn(t, 'judicial_officer');
    admin = await signedIn(t, 'admin');
    officerNis = await signedIn(t, 'police_officer', 'PU-NIS');
    officerBeograd = await signedIn(t, 'police_officer', 'PU-BEOGRAD');
    officerKraljevo = await signedIn(t, 'police_officer', 'PU-KRALJEVO');
  });

  afterAll(async () => {
    await t?.close();
  });

  const as = (account: Tokens, requestId = rid('check')) => ({
    ...bearer(account.accessToken),
    ...REASON,
    'X-Request-Id': requestId,
  });
  const url = (personId: string, rest = '') => `/api/v1/persons/${personId}/address-checks${rest}`;

  /** An address in force, written directly. */
  async function address(
    personId: string,
    administration: string,
    kind: 'permanent' | 'temporary' = 'permanent',
    validFrom = '2026-01-01',
  ): Promise<string> {
    const [row] = await t.dataSource.query(
      `INSERT INTO addresses (person_id, kind, street, city, postal_code, police_administration, valid_from)
       VALUES ($1, $2, 'Obrenovićeva 1', 'Grad', '18000', $3, $4) RETURNING id`,
      [personId, kind, administration, validFrom],
    );
    return row.id as string;
  }

  /** A person with a permanent address in `administration` (and the regions it gives). */
  async function personAt(administration = 'PU-NIS'): Promise<{ personId: string; addressId: string }> {
    const person = await registerPerson(t, { regions: [administration] });
    return { personId: person.id, addressId: await address(person.id, administration) };
  }

  const check = (
    account: Tokens,
    personId: string,
    body: Record<string, unknown>,
    requestId = rid('check'),
  ): request.Test => request(t.server).post(url(personId)).set(as(account, requestId)).send(body);

  const valid = (addressId: string, outcome = 'confirmed', checkedAt = instantAgo(1)) => ({
    addressId,
    checkedAt,
    outcome,
    note: 'Obilazak adrese u 20 h',
  });

  const rows = (personId: string) =>
    t.dataSource.query(
      `SELECT outcome, police_administration, voided_at IS NOT NULL AS voided FROM address_checks
        WHERE person_id = $1 ORDER BY created_at, id`,
      [personId],
    );
  const alertsOf = (personId: string) =>
    t.dataSource.query(
      `SELECT kind, source_id, due_date::text, police_administration, office, measure_id, status FROM alerts
        WHERE person_id = $1 ORDER BY raised_at, id`,
      [personId],
    );

  describe('recording', () => {
    it('refuses roles that do not record checks with 403, recorded as denied', async () => {
      const { personId, addressId } = await personAt();
      for (const account of [judge, admin]) {
        const requestId = rid('role');
        const res = await check(account, personId, valid(addressId), requestId);
        expect([res.status, res.body.type]).toEqual([403, 'urn:register:problem:forbidden']);
        const [event] = await eventsOf(t, requestId);
        expect([event.action, event.outcome, event.http_status]).toEqual(['address_check.create', 'denied', 403]);
      }
      const list = await request(t.server).get(url(personId)).set(as(judge));
      expect(list.status).toBe(403);
      expect(await rows(personId)).toEqual([]);
    });

    it('answers 404 to an officer of another region, recorded as a denial naming the person', async () => {
      const { personId, addressId } = await personAt('PU-NIS');
      const requestId = rid('region');
      const res = await check(officerBeograd, personId, valid(addressId), requestId);
      expect([res.status, res.body.type, res.body.detail]).toEqual([
        404,
        'urn:register:problem:not_found',
        'No such person.',
      ]);
      const [event] = await eventsOf(t, requestId);
      expect([event.outcome, event.http_status, event.subject_person_ids]).toEqual(['denied', 404, [personId]]);
      expect(await rows(personId)).toEqual([]);
    });

    it('lets an officer check only the addresses in their administration, not every address of a person in it', async () => {
      // A permanent address in Niš and a temporary one in Belgrade: the person is in both regions.
      const { personId, addressId: nis } = await personAt('PU-NIS');
      const beograd = await address(personId, 'PU-BEOGRAD', 'temporary');
      await t.dataSource.query(`UPDATE persons SET regions = $2 WHERE id = $1`, [personId, ['PU-NIS', 'PU-BEOGRAD']]);

      const requestId = rid('other-address');
      const refused = await check(officerBeograd, personId, valid(nis), requestId);
      expect([refused.status, refused.body.detail]).toEqual([404, 'No such person.']);
      const [event] = await eventsOf(t, requestId);
      expect([event.outcome, event.http_status, event.subject_person_ids]).toEqual(['denied', 404, [personId]]);

      const allowed = await check(officerBeograd, personId, valid(beograd));
      expect([allowed.status, allowed.body.policeAdministration, allowed.body.addressId]).toEqual([
        201,
        'PU-BEOGRAD',
        beograd,
      ]);
      // Reading the person's checks goes with the person's regions.
      const list = await request(t.server).get(url(personId)).set(as(officerBeograd));
      expect([list.status, list.body.items.map((c: { addressId: string }) => c.addressId)]).toEqual([200, [beograd]]);
      expect(await rows(personId)).toEqual([
        { outcome: 'confirmed', police_administration: 'PU-BEOGRAD', voided: false },
      ]);
    });

    it('refuses malformed bodies with 400 naming each field', async () => {
      const { personId, addressId } = await personAt();
      const cases: [Record<string, unknown>, string][] = [
        [{ ...valid(addressId), addressId: 'not-a-uuid' }, 'addressId'],
        [{ ...valid(addressId), outcome: 'gone' }, 'outcome'],
        [{ ...valid(addressId), checkedAt: 'yesterday' }, 'checkedAt'],
        [{ ...valid(addressId), note: '' }, 'note'],
        [{ addressId, checkedAt: instantAgo(1), outcome: 'confirmed' }, 'note'],
      ];
      for (const [body, field] of cases) {
        const res = await check(officerNis, personId, body);
        expect([field, res.status, [...new Set(res.body.errors?.map((e: { field: string }) => e.field))]]).toEqual([
          field,
          400,
          [field],
        ]);
      }
      const unknown = await check(officerNis, personId, { ...valid(addressId), extra: 1 });
      expect(unknown.status).toBe(400);
      expect(await rows(personId)).toEqual([]);
    });

    it('refuses a check in the future, and an address that is not the person’s, with 400', async () => {
      const { personId, addressId } = await personAt();
      const other = await personAt();
      const future = await check(officerNis, personId, valid(addressId, 'confirmed', instantAgo(-1)));
      expect([future.status, future.body.errors]).toEqual([
        400,
        [{ field: 'checkedAt', message: 'must not be in the future' }],
      ]);
      const notTheirs = await check(officerNis, personId, valid(other.addressId));
      expect([notTheirs.status, notTheirs.body.errors]).toEqual([
        400,
        [{ field: 'addressId', message: 'is not an address of this person' }],
      ]);
      expect(await rows(personId)).toEqual([]);
    });

    it('records a confirmed check with its history and audit event, and lists it', async () => {
      const { personId, addressId } = await personAt();
      const requestId = rid('confirmed');
      const checkedAt = instantAgo(2);
      const res = await check(officerNis, personId, valid(addressId, 'confirmed', checkedAt), requestId);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        addressId,
        policeAdministration: 'PU-NIS',
        checkedAt,
        outcome: 'confirmed',
        note: 'Obilazak adrese u 20 h',
        recordedBy: officerNis.user.id,
        createdAt: expect.any(String),
        voidedAt: null,
        voidedBy: null,
        voidReason: null,
        version: 1,
        whereaboutsUnknown: null,
        alertId: null,
      });
      const [event] = await eventsOf(t, requestId);
      expect([event.action, event.outcome, event.resource_type, event.resource_id, event.subject_person_ids]).toEqual([
        'address_check.create',
        'allowed',
        'address_check',
        res.body.id,
        [personId],
      ]);
      const history = await t.dataSource.query(
        `SELECT change, reason FROM person_history WHERE person_id = $1 AND part = 'address_check' AND part_id = $2`,
        [personId, res.body.id],
      );
      expect(history).toEqual([{ change: 'create', reason: 'KT-100/2026' }]);
      const list = await request(t.server).get(url(personId)).set(as(clerk));
      expect([list.status, list.body.items.map((c: { id: string }) => c.id), list.body.nextCursor]).toEqual([
        200,
        [res.body.id],
        null,
      ]);
      expect(await alertsOf(personId)).toEqual([]);
    });
  });

  describe('whereabouts unknown', () => {
    /** A notice given on time, a month before it takes effect, written directly. */
    const notice = (personId: string, kind: string, effectiveOn: string) =>
      t.dataSource.query(
        `INSERT INTO notifications (person_id, kind, notified_at, effective_on, details, deadline, on_time, recorded_by)
         VALUES ($1, $2, $3::date - 28, $3, '{}', $3::date + 3, true, $4)`,
        [personId, kind, effectiveOn, clerk.user.id],
      );

    it('two checks in a row without confirmed raise one alert for the address; a third raises nothing new', async () => {
      const { personId, addressId } = await personAt();
      const first = await check(officerNis, personId, valid(addressId, 'absent', instantAgo(10)));
      expect([first.status, first.body.whereaboutsUnknown, first.body.alertId]).toEqual([201, null, null]);
      expect(await alertsOf(personId)).toEqual([]);

      const second = await check(officerNis, personId, valid(addressId, 'refused', instantAgo(5)));
      expect([second.status, second.body.whereaboutsUnknown, second.body.alertId]).toEqual([
        201,
        'two_unconfirmed_checks',
        expect.any(String),
      ]);
      const expected = {
        kind: 'whereabouts_unknown',
        source_id: addressId,
        due_date: '2026-01-01',
        police_administration: 'PU-NIS',
        office: 'UIKS-NIS',
        measure_id: null,
        status: 'open',
      };
      expect(await alertsOf(personId)).toEqual([expected]);
      const [alert] = await t.dataSource.query(`SELECT id FROM alerts WHERE person_id = $1`, [personId]);
      expect(alert.id).toBe(second.body.alertId);

      const third = await check(officerNis, personId, valid(addressId, 'absent', instantAgo(1)));
      expect([third.status, third.body.whereaboutsUnknown, third.body.alertId]).toEqual([
        201,
        'two_unconfirmed_checks',
        null,
      ]);
      expect(await alertsOf(personId)).toEqual([expected]);
    });

    it('a confirmed check between two unconfirmed ones raises nothing', async () => {
      const { personId, addressId } = await personAt();
      for (const [outcome, days] of [
        ['absent', 10],
        ['confirmed', 5],
        ['absent', 1],
      ] as const) {
        const res = await check(officerNis, personId, valid(addressId, outcome, instantAgo(days)));
        expect([res.status, res.body.whereaboutsUnknown]).toEqual([201, null]);
      }
      expect(await alertsOf(personId)).toEqual([]);
    });

    it('a voided check does not count towards two', async () => {
      const { personId, addressId } = await personAt();
      const first = await check(officerNis, personId, valid(addressId, 'absent', instantAgo(10)));
      const officerVoid = await request(t.server)
        .post(url(personId, `/${first.body.id}/void`))
        .set(as(officerNis));
      expect(officerVoid.status).toBe(403);
      const requestId = rid('void');
      const voided = await request(t.server)
        .post(url(personId, `/${first.body.id}/void`))
        .set(as(clerk, requestId));
      expect([voided.status, voided.body.voidedBy, voided.body.voidReason, voided.body.version]).toEqual([
        200,
        clerk.user.id,
        'KT-100/2026',
        2,
      ]);
      const [event] = await eventsOf(t, requestId);
      expect([event.action, event.outcome, event.resource_id]).toEqual([
        'address_check.void',
        'allowed',
        first.body.id,
      ]);
      const again = await request(t.server)
        .post(url(personId, `/${first.body.id}/void`))
        .set(as(clerk));
      expect(again.status).toBe(409);

      const second = await check(officerNis, personId, valid(addressId, 'absent', instantAgo(1)));
      expect([second.status, second.body.whereaboutsUnknown]).toEqual([201, null]);
      expect(await alertsOf(personId)).toEqual([]);
    });

    it('moved without a residence-change notice raises the alert at once', async () => {
      const { personId, addressId } = await personAt();
      // A notice of another kind, and a residence change voided, do not count.
      await notice(personId, 'travel_abroad', '2026-03-01');
      await notice(personId, 'residence_change', '2026-03-01');
      await t.dataSource.query(
        `UPDATE notifications SET voided_at = now(), voided_by = $2, void_reason = 'greška'
          WHERE person_id = $1 AND kind = 'residence_change'`,
        [personId, clerk.user.id],
      );
      const res = await check(officerNis, personId, valid(addressId, 'moved'));
      expect([res.status, res.body.whereaboutsUnknown, res.body.alertId]).toEqual([
        201,
        'moved_without_notice',
        expect.any(String),
      ]);
      expect(await alertsOf(personId)).toEqual([
        {
          kind: 'whereabouts_unknown',
          source_id: addressId,
          due_date: '2026-01-01',
          police_administration: 'PU-NIS',
          office: 'UIKS-NIS',
          measure_id: null,
          status: 'open',
        },
      ]);
    });

    it('moved with a residence-change notice on file since the address began raises nothing', async () => {
      const { personId, addressId } = await personAt();
      await notice(personId, 'residence_change', '2026-03-01');
      const res = await check(officerNis, personId, valid(addressId, 'moved'));
      expect([res.status, res.body.whereaboutsUnknown, res.body.alertId]).toEqual([201, null, null]);
      expect(await alertsOf(personId)).toEqual([]);
    });

    it('a residence-change notice older than the address does not cover a move from it', async () => {
      const { personId, addressId } = await personAt();
      await notice(personId, 'residence_change', '2025-12-01');
      const res = await check(officerNis, personId, valid(addressId, 'moved'));
      expect([res.status, res.body.whereaboutsUnknown]).toEqual([201, 'moved_without_notice']);
      expect((await alertsOf(personId)).map((a: { kind: string }) => a.kind)).toEqual(['whereabouts_unknown']);
    });
  });

  describe('addresses due for a check', () => {
    const due = (account: Tokens, query: string, requestId = rid('due')) =>
      request(t.server).get(`/api/v1/compliance/address-checks/due${query}`).set(as(account, requestId));
    const ids = (res: request.Response) => res.body.items.map((i: { address: { id: string } }) => i.address.id);

    let neverChecked: string;
    let confirmedRecently: string;
    let absentOnly: string;
    let elsewhere: string;
    let absentOnlyPerson: string;

    beforeAll(async () => {
      // In PU-KRALJEVO, used by no other test: never checked, in force for exactly 100 days.
      const a = await registerPerson(t, { regions: ['PU-KRALJEVO'], surname: 'Nikolić' });
      neverChecked = await address(a.id, 'PU-KRALJEVO', 'permanent', daysAgo(100));
      // Confirmed 10 days ago (an old address): not due.
      const b = await registerPerson(t, { regions: ['PU-KRALJEVO'] });
      confirmedRecently = await address(b.id, 'PU-KRALJEVO', 'permanent', daysAgo(400));
      await t.dataSource.query(
        `INSERT INTO address_checks (person_id, address_id, police_administration, checked_at, outcome, note, recorded_by)
         VALUES ($1, $2, 'PU-KRALJEVO', $3, 'confirmed', 'Zatečen', $4)`,
        [b.id, confirmedRecently, instantAgo(10), clerk.user.id],
      );
      // Only an absent check 20 days ago: unconfirmed since the address began, 500 days ago.
      const c = await registerPerson(t, { regions: ['PU-KRALJEVO'], surname: 'Jovanović' });
      absentOnlyPerson = c.id;
      absentOnly = await address(c.id, 'PU-KRALJEVO', 'permanent', daysAgo(500));
      await t.dataSource.query(
        `INSERT INTO address_checks (person_id, address_id, police_administration, checked_at, outcome, note, recorded_by)
         VALUES ($1, $2, 'PU-KRALJEVO', $3, 'absent', 'Nije zatečen', $4)`,
        [c.id, absentOnly, instantAgo(20), clerk.user.id],
      );
      // Elsewhere (PU-VALJEVO), the oldest of all.
      const d = await registerPerson(t, { regions: ['PU-VALJEVO'] });
      elsewhere = await address(d.id, 'PU-VALJEVO', 'permanent', daysAgo(3000));
    });

    it('refuses olderThanDays outside 1-3650 and roles without the list', async () => {
      for (const bad of ['0', '3651', 'abc', '1.5']) {
        const res = await due(officerKraljevo, `?olderThanDays=${bad}`);
        expect([bad, res.status, [...new Set(res.body.errors?.map((e: { field: string }) => e.field))]]).toEqual([
          bad,
          400,
          ['olderThanDays'],
        ]);
      }
      expect((await due(judge, '')).status).toBe(403);
      expect((await due(admin, '')).status).toBe(403);
    });

    it('lists an officer’s administration only, oldest first, with the person, the address and the last check', async () => {
      const requestId = rid('due');
      const res = await due(officerKraljevo, '?olderThanDays=90', requestId);
      expect([res.status, ids(res), res.body.nextCursor]).toEqual([200, [absentOnly, neverChecked], null]);
      expect(res.body.items[0]).toEqual({
        personId: absentOnlyPerson,
        surname: 'Jovanović',
        givenNames: 'Petar',
        address: {
          id: absentOnly,
          kind: 'permanent',
          street: 'Obrenovićeva 1',
          city: 'Grad',
          postalCode: '18000',
          policeAdministration: 'PU-KRALJEVO',
          validFrom: daysAgo(500),
        },
        confirmedSince: daysAgo(500),
        daysSinceConfirmed: 500,
        lastCheck: { id: expect.any(String), checkedAt: expect.any(String), outcome: 'absent' },
      });
      expect(res.body.items[1]).toMatchObject({
        confirmedSince: daysAgo(100),
        daysSinceConfirmed: 100,
        lastCheck: null,
      });
      const [event] = await eventsOf(t, requestId);
      expect([event.action, event.outcome, event.result_count]).toEqual([
        'compliance.address_checks_due',
        'allowed',
        2,
      ]);

      // The bound: exactly 100 days is due at 100, not at 101.
      expect(ids(await due(officerKraljevo, '?olderThanDays=100'))).toEqual([absentOnly, neverChecked]);
      expect(ids(await due(officerKraljevo, '?olderThanDays=101'))).toEqual([absentOnly]);
      expect(ids(await due(officerKraljevo, '?olderThanDays=9'))).toEqual([
        absentOnly,
        neverChecked,
        confirmedRecently,
      ]);
      // Another administration sees none of them.
      expect(ids(await due(officerBeograd, '?olderThanDays=90&limit=100'))).not.toContain(absentOnly);
    });

    it('pages with the keyset cursor', async () => {
      const first = await due(officerKraljevo, '?olderThanDays=90&limit=1');
      expect([ids(first), typeof first.body.nextCursor]).toEqual([[absentOnly], 'string']);
      const second = await due(officerKraljevo, `?olderThanDays=90&limit=1&cursor=${first.body.nextCursor}`);
      expect([ids(second), second.body.nextCursor]).toEqual([[neverChecked], null]);
    });

    it('shows a clerk the addresses of every administration', async () => {
      const res = await due(clerk, '?olderThanDays=90&limit=100');
      expect(res.status).toBe(200);
      expect(ids(res)[0]).toBe(elsewhere);
      expect(ids(res)).toEqual(expect.arrayContaining([elsewhere, absentOnly, neverChecked]));
      expect(ids(res)).not.toContain(confirmedRecently);
    });
  });
});

describe('address checks as the runtime role', () => {
  let owner: TestApp;
  let t: TestApp;

  beforeAll(async () => {
    owner = await startTestApp();
    const url = await runtimeRoleUrl(owner, 'register_test_address_checks', 'address-checks-test-password');
    t = await startTestApp({ DATABASE_URL: url }, [], owner.database);
  });

  afterAll(async () => {
    await t?.close();
    await owner?.close();
  });

  it('records, raises the alert, voids and lists with only the grants of register_app', async () => {
    const officer = await signedIn(t, 'police_officer', 'PU-NIS');
    const clerk = await signedIn(t, 'registry_clerk');
    const person = await registerPerson(owner, { regions: ['PU-NIS'] });
    const [{ id: addressId }] = await owner.dataSource.query(
      `INSERT INTO addresses (person_id, kind, street, city, postal_code, police_administration, valid_from)
       VALUES ($1, 'permanent', 'Obrenovićeva 1', 'Niš', '18000', 'PU-NIS', '2026-01-01') RETURNING id`,
      [person.id],
    );
    const headers = (account: Tokens) => ({ ...bearer(account.accessToken), ...REASON });
    const url = `/api/v1/persons/${person.id}/address-checks`;
    const body = { addressId, checkedAt: instantAgo(1), outcome: 'absent', note: 'Nije zatečen' };
    const first = await request(t.server).post(url).set(headers(officer)).send(body);
    const second = await request(t.server)
      .post(url)
      .set(headers(officer))
      .send({ ...body, outcome: 'refused' });
    expect([first.status, second.status, typeof second.body.alertId]).toEqual([201, 201, 'string']);
    const voided = await request(t.server).post(`${url}/${first.body.id}/void`).set(headers(clerk));
    expect(voided.status).toBe(200);
    const list = await request(t.server).get(url).set(headers(officer));
    expect([list.status, list.body.items.length]).toEqual([200, 2]);
    const due = await request(t.server).get('/api/v1/compliance/address-checks/due').set(headers(officer));
    expect(due.status).toBe(200);
  });
});
