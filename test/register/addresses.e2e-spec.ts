import { belgradeToday } from '@app/common';
import request from 'supertest';
import { eventsOf, rid } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { REASON, registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

describe('addresses and regions', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let officerNis: TestAccount & Tokens;
  let officerBg: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await signedIn(t, 'registry_clerk');
    officerNis = await signedIn(t, 'police_officer', 'PU-NIS');
    officerBg = await signedIn(t, 'police_officer', 'PU-BEOGRAD');
  });

  afterAll(async () => {
    await t.close();
  });

  const as = (account: Tokens) => ({ ...bearer(account.accessToken), ...REASON });
  const address = (overrides: object = {}) => ({
    kind: 'permanent',
    street: 'Obrenovićeva 10',
    city: 'Niš',
    postalCode: '18000',
    policeAdministration: 'PU-NIS',
    validFrom: '2026-01-15',
    ...overrides,
  });
  const add = (account: Tokens, personId: string, body: object) =>
    request(t.server).post(`/api/v1/persons/${personId}/addresses`).set(as(account)).send(body);
  const read = (account: Tokens, personId: string) =>
    request(t.server).get(`/api/v1/persons/${personId}`).set(as(account));

  it('an address puts the person in its administration’s region', async () => {
    const person = await registerPerson(t);
    expect((await read(officerNis, person.id)).status).toBe(404);
    const res = await add(clerk, person.id, address());
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      kind: 'permanent',
      street: 'Obrenovićeva 10',
      city: 'Niš',
      postalCode: '18000',
      policeAdministration: 'PU-NIS',
      validFrom: '2026-01-15',
      validTo: null,
      version: 1,
    });
    const seen = await read(officerNis, person.id);
    expect(seen.status).toBe(200);
    expect(seen.body.currentAddresses).toEqual({ permanent: res.body, temporary: null });
    // A part's change leaves the person's version alone.
    expect(seen.body.version).toBe(1);
  });

  it('a new permanent address in another administration closes the old one and is a transfer', async () => {
    const person = await registerPerson(t);
    const first = (await add(clerk, person.id, address())).body;
    const id = rid();
    const moved = await add(
      clerk,
      person.id,
      address({ city: 'Beograd', postalCode: '11000', policeAdministration: 'PU-BEOGRAD', validFrom: '2026-10-01' }),
    ).set('X-Request-Id', id);
    expect(moved.status).toBe(201);
    expect((await eventsOf(t, id))[0]).toMatchObject({
      action: 'address.create',
      subject_person_ids: [person.id],
      resource_id: moved.body.id,
    });

    expect((await read(officerNis, person.id)).status).toBe(404);
    const inBelgrade = await read(officerBg, person.id);
    expect(inBelgrade.body.currentAddresses.permanent.id).toBe(moved.body.id);

    const list = await request(t.server).get(`/api/v1/persons/${person.id}/addresses`).set(as(officerBg));
    expect(list.body.items.map((a: { id: string; validTo: string | null }) => [a.id, a.validTo])).toEqual([
      [moved.body.id, null],
      [first.id, '2026-10-01'],
    ]);
    const history = await request(t.server).get(`/api/v1/persons/${person.id}/history`).set(as(clerk));
    const changes = history.body.items.map((h: { part: string; change: string }) => `${h.part}.${h.change}`);
    expect(changes).toEqual(expect.arrayContaining(['address.close', 'address.create', 'address.transfer']));
    const transfer = history.body.items.find((h: { change: string }) => h.change === 'transfer');
    expect(transfer).toMatchObject({
      before: { policeAdministration: 'PU-NIS' },
      after: { policeAdministration: 'PU-BEOGRAD' },
    });
  });

  it('an officer records the address of a person announced as arriving in the own administration, and only then', async () => {
    const person = await registerPerson(t);
    await add(clerk, person.id, address({ policeAdministration: 'PU-PIROT', city: 'Pirot', postalCode: '18300' }));
    const arrivals = `/api/v1/persons/${person.id}/arrivals`;
    // Not announced: the person lies outside the officer's region like any other.
    const unannounced = rid();
    const refused = await add(officerNis, person.id, address({ validFrom: '2026-11-01' })).set(
      'X-Request-Id',
      unannounced,
    );
    expect([refused.status, refused.body.detail]).toEqual([404, 'No such person.']);
    expect((await eventsOf(t, unannounced))[0]).toMatchObject({
      outcome: 'denied',
      http_status: 404,
      subject_person_ids: [person.id],
    });
    // An officer cannot announce for a person outside the own region.
    const selfAnnounced = await request(t.server)
      .post(arrivals)
      .set(as(officerNis))
      .send({ policeAdministration: 'PU-NIS', validUntil: '2026-12-31' });
    expect(selfAnnounced.status).toBe(404);
    const tooLong = await request(t.server)
      .post(arrivals)
      .set(as(clerk))
      .send({ policeAdministration: 'PU-NIS', validUntil: '2099-01-01' });
    expect([tooLong.status, tooLong.body.errors]).toEqual([
      400,
      [{ field: 'validUntil', message: 'must be from today to 90 days ahead' }],
    ]);
    const validUntil = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const announced = await request(t.server)
      .post(arrivals)
      .set(as(clerk))
      .send({ policeAdministration: 'PU-NIS', validUntil });
    expect(announced.status).toBe(201);
    expect(announced.body).toMatchObject({ policeAdministration: 'PU-NIS', validUntil, closedAt: null });
    // Announced for Niš: not for Bor.
    const elsewhere = await add(
      officerNis,
      person.id,
      address({ policeAdministration: 'PU-BOR', validFrom: '2026-11-01' }),
    );
    expect(elsewhere.status).toBe(404);
    const arriving = await add(officerNis, person.id, address({ kind: 'temporary', validFrom: '2026-11-01' }));
    expect(arriving.status).toBe(201);
    expect((await read(officerNis, person.id)).status).toBe(200);
    // The announcement is spent, and the administration the person was the responsibility of is told.
    const [arrival] = await t.dataSource.query(
      `SELECT closed_at IS NOT NULL AS closed, recorded_address_id FROM arrivals WHERE id = $1`,
      [announced.body.id],
    );
    expect(arrival).toEqual({ closed: true, recorded_address_id: arriving.body.id });
    const alerts = await t.dataSource.query(
      `SELECT kind, police_administration, source_id FROM alerts WHERE person_id = $1 ORDER BY kind`,
      [person.id],
    );
    expect(alerts).toEqual([{ kind: 'arrival', police_administration: 'PU-PIROT', source_id: announced.body.id }]);
    const list = await request(t.server).get(arrivals).set(as(officerNis));
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: announced.body.id, recordedAddressId: arriving.body.id }),
    ]);
  });

  it('an officer of the region the person is in may announce the arrival; a lapsed one lets nobody in', async () => {
    const person = await registerPerson(t);
    await add(clerk, person.id, address({ policeAdministration: 'PU-BEOGRAD', city: 'Beograd', postalCode: '11000' }));
    const arrivals = `/api/v1/persons/${person.id}/arrivals`;
    const today = belgradeToday();
    const announced = await request(t.server)
      .post(arrivals)
      .set(as(officerBg))
      .send({ policeAdministration: 'PU-NIS', validUntil: today });
    expect(announced.status).toBe(201);
    await t.dataSource.query(`UPDATE arrivals SET valid_until = valid_until - 1 WHERE id = $1`, [announced.body.id]);
    const lapsed = await add(officerNis, person.id, address({ kind: 'temporary', validFrom: '2026-11-01' }));
    expect(lapsed.status).toBe(404);
  });

  it('only the administration responsible for the person consents to an arrival; an address elsewhere tells it', async () => {
    const person = await registerPerson(t);
    // Responsible: Beograd (the permanent address); Niš holds only a temporary one.
    await add(clerk, person.id, address({ policeAdministration: 'PU-BEOGRAD', city: 'Beograd', postalCode: '11000' }));
    const temporary = await add(clerk, person.id, address({ kind: 'temporary', validFrom: '2026-11-01' }));
    expect(temporary.status).toBe(201);
    const told = await t.dataSource.query(
      `SELECT kind, police_administration, source_id FROM alerts WHERE person_id = $1`,
      [person.id],
    );
    expect(told).toEqual([{ kind: 'arrival', police_administration: 'PU-BEOGRAD', source_id: temporary.body.id }]);
    const validUntil = belgradeToday();
    const byNis = await request(t.server)
      .post(`/api/v1/persons/${person.id}/arrivals`)
      .set(as(officerNis))
      .send({ policeAdministration: 'PU-BOR', validUntil });
    expect([byNis.status, byNis.body.detail]).toEqual([404, 'No such person.']);
    const byBeograd = await request(t.server)
      .post(`/api/v1/persons/${person.id}/arrivals`)
      .set(as(officerBg))
      .send({ policeAdministration: 'PU-BOR', validUntil });
    expect(byBeograd.status).toBe(201);
  });

  it('refuses an address older than the current one (409), unknown administrations and dates (400)', async () => {
    const person = await registerPerson(t);
    await add(clerk, person.id, address({ validFrom: '2026-05-01' }));
    const older = await add(clerk, person.id, address({ validFrom: '2026-04-30' }));
    expect(older.status).toBe(409);
    const unknown = await add(clerk, person.id, address({ policeAdministration: 'PU-ATLANTIDA' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      { field: 'policeAdministration', message: 'is not a known police administration code' },
    ]);
    const badDate = await add(clerk, person.id, address({ validFrom: '2026-02-30' }));
    expect(badDate.body.errors).toEqual([{ field: 'validFrom', message: 'is not a real date' }]);
    expect((await add(clerk, person.id, address({ kind: 'holiday' }))).status).toBe(400);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM addresses WHERE person_id = $1`, [
      person.id,
    ]);
    expect(n).toBe(1);
  });

  it('a clerk corrects an address with If-Match; a stale version is 412', async () => {
    const person = await registerPerson(t);
    const created = (await add(clerk, person.id, address())).body;
    const url = `/api/v1/persons/${person.id}/addresses/${created.id}`;
    expect((await request(t.server).patch(url).set(as(clerk)).send({ street: 'X' })).status).toBe(428);
    const ok = await request(t.server)
      .patch(url)
      .set(as(clerk))
      .set('If-Match', '1')
      .send({ street: 'Obrenovićeva 12' });
    expect(ok.status).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.body).toMatchObject({ street: 'Obrenovićeva 12', version: 2 });
    expect((await request(t.server).patch(url).set(as(clerk)).set('If-Match', '1').send({ street: 'Y' })).status).toBe(
      412,
    );
    // Correcting the administration moves the region too.
    await request(t.server).patch(url).set(as(clerk)).set('If-Match', '2').send({ policeAdministration: 'PU-BEOGRAD' });
    expect((await read(officerNis, person.id)).status).toBe(404);
    expect((await read(officerBg, person.id)).status).toBe(200);
  });

  it('one current address of each kind, enforced by the database too', async () => {
    const person = await registerPerson(t);
    await add(clerk, person.id, address());
    await expect(
      t.dataSource.query(
        `INSERT INTO addresses (person_id, kind, street, city, postal_code, police_administration, valid_from)
         VALUES ($1, 'permanent', 'x', 'y', '11000', 'PU-BOR', '2026-01-01')`,
        [person.id],
      ),
    ).rejects.toThrow(/addresses_current_key/);
  });
});
