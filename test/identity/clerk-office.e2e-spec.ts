import request from 'supertest';
import { eventsOf, rid } from '../support/audit';
import { bearer, login, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { nextJmbg, REASON, registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

describe('clerks of a UIKS office', () => {
  let t: TestApp;
  let admin: TestAccount & Tokens;
  let second: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signedIn(t, 'admin');
    second = await signedIn(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
  });

  const newUser = (overrides: object = {}) => ({
    username: `clerk.${Math.random().toString(36).slice(2, 8)}`,
    password: 'a long enough passphrase',
    displayName: 'Milica Ilić',
    role: 'registry_clerk',
    organisation: 'UIKS, Poverenička kancelarija Niš',
    ...overrides,
  });
  const createUser = (body: object) =>
    request(t.server).post('/api/v1/users').set(bearer(admin.accessToken)).send(body);
  const patchUser = (id: string, version: number, body: object, requestId = rid('office')) =>
    request(t.server)
      .patch(`/api/v1/users/${id}`)
      .set(bearer(admin.accessToken))
      .set('If-Match', `"${version}"`)
      .set('X-Request-Id', requestId)
      .send(body);

  describe('accounts', () => {
    it.each([
      [{ role: 'police_officer', region: 'PU-NIS', office: 'UIKS-NIS' }, 'must be empty for the role police_officer'],
      [{ role: 'judicial_officer', office: 'UIKS-NIS' }, 'must be empty for the role judicial_officer'],
      [{ office: 'UIKS-NOWHERE' }, 'is not an active UIKS office code'],
      [{ office: 'nis' }, 'office must be a UIKS office code such as UIKS-NIS'],
    ])('refuses an account with %j', async (overrides, message) => {
      const body = newUser(overrides);
      const res = await createUser(body);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'office', message }]);
      expect(await t.dataSource.query(`SELECT 1 FROM users WHERE username = $1`, [body.username])).toEqual([]);
    });

    it('refuses an inactive office', async () => {
      await t.dataSource.query(
        `INSERT INTO uiks_offices (code, name, active) VALUES ('UIKS-CLOSED', 'Zatvorena', false)`,
      );
      const res = await createUser(newUser({ office: 'UIKS-CLOSED' }));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'office', message: 'is not an active UIKS office code' }]);
    });

    it('creates a clerk of an office, activated with it by a second admin', async () => {
      const res = await createUser(newUser({ office: 'UIKS-NIS' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ role: 'registry_clerk', region: null, office: 'UIKS-NIS', active: false });
      const confirmed = await request(t.server)
        .post(`/api/v1/users/${res.body.id}/role-changes/${res.body.pendingChangeId}/confirm`)
        .set(bearer(second.accessToken));
      expect(confirmed.status).toBe(200);
      const [row] = await t.dataSource.query(`SELECT role, office, active FROM users WHERE id = $1`, [res.body.id]);
      expect(row).toEqual({ role: 'registry_clerk', office: 'UIKS-NIS', active: true });
    });

    it('carries the office in the access token and GET /auth/me', async () => {
      const clerk = await signedIn(t, 'registry_clerk', null, 'UIKS-NIS');
      const payload = JSON.parse(Buffer.from(clerk.accessToken.split('.')[1], 'base64url').toString());
      expect(payload).toMatchObject({ role: 'registry_clerk', region: null, office: 'UIKS-NIS' });
      const me = await request(t.server).get('/api/v1/auth/me').set(bearer(clerk.accessToken));
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ role: 'registry_clerk', region: null, office: 'UIKS-NIS' });
      const national = await signedIn(t, 'registry_clerk');
      const nationalMe = await request(t.server).get('/api/v1/auth/me').set(bearer(national.accessToken));
      expect(nationalMe.body).toMatchObject({ role: 'registry_clerk', office: null });
    });

    it('changes a clerk’s office at once, like an officer’s region: a flagged event, sessions ended', async () => {
      const clerk = await signedIn(t, 'registry_clerk');
      const wrong = await patchUser(clerk.user.id, 1, { office: 'UIKS-NOWHERE' });
      expect(wrong.status).toBe(400);
      expect(wrong.body.errors).toEqual([{ field: 'office', message: 'is not an active UIKS office code' }]);
      const stale = await patchUser(clerk.user.id, 3, { office: 'UIKS-NIS' });
      expect(stale.status).toBe(412);
      const requestId = rid('office-change');
      const res = await patchUser(clerk.user.id, 1, { office: 'UIKS-NIS' }, requestId);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ office: 'UIKS-NIS', version: 2 });
      const [event] = await eventsOf(t, requestId);
      expect(event).toMatchObject({
        action: 'user.update',
        flagged: true,
        details: {
          before: expect.objectContaining({ office: null }),
          after: expect.objectContaining({ office: 'UIKS-NIS' }),
        },
      });
      const refresh = await request(t.server).post('/api/v1/auth/refresh').send({ refreshToken: clerk.refreshToken });
      expect(refresh.status).toBe(401);
      // Signed in again, the token carries the new office; null clears it (national reach).
      const again = await login(t, clerk);
      expect(JSON.parse(Buffer.from(again.accessToken.split('.')[1], 'base64url').toString()).office).toBe('UIKS-NIS');
      const cleared = await patchUser(clerk.user.id, 2, { office: null });
      expect(cleared.body).toMatchObject({ office: null, version: 3 });

      const judge = await signedIn(t, 'judicial_officer');
      const notClerk = await patchUser(judge.user.id, 1, { office: 'UIKS-NIS' });
      expect(notClerk.status).toBe(400);
      expect(notClerk.body.errors).toEqual([
        { field: 'office', message: 'must be empty for the role judicial_officer' },
      ]);
    });

    it('holds a new role with its office for a second admin', async () => {
      const auditor = await signedIn(t, 'auditor');
      const held = await patchUser(auditor.user.id, 1, { role: 'registry_clerk', office: 'UIKS-BEOGRAD' });
      expect(held.status).toBe(202);
      expect(held.body).toMatchObject({
        kind: 'role',
        role: 'registry_clerk',
        office: 'UIKS-BEOGRAD',
        fromRole: 'auditor',
        fromOffice: null,
      });
      const confirmed = await request(t.server)
        .post(`/api/v1/users/${auditor.user.id}/role-changes/${held.body.id}/confirm`)
        .set(bearer(second.accessToken));
      expect(confirmed.status).toBe(200);
      expect(confirmed.body).toMatchObject({ role: 'registry_clerk', office: 'UIKS-BEOGRAD' });
    });
  });

  describe('reach', () => {
    let officeClerk: TestAccount & Tokens;
    let nationalClerk: TestAccount & Tokens;

    beforeAll(async () => {
      officeClerk = await signedIn(t, 'registry_clerk', null, 'UIKS-NIS');
      nationalClerk = await signedIn(t, 'registry_clerk');
    });

    const as = (account: Tokens, requestId = rid('reach')) => ({
      ...bearer(account.accessToken),
      ...REASON,
      'X-Request-Id': requestId,
    });

    it('reads a person in a region the office serves; another office’s person is 404, recorded as denied', async () => {
      const served = await registerPerson(t, { regions: ['PU-PIROT'] });
      const elsewhere = await registerPerson(t, { regions: ['PU-BEOGRAD'] });
      expect((await request(t.server).get(`/api/v1/persons/${served.id}`).set(as(officeClerk))).status).toBe(200);
      const requestId = rid('denied');
      const denied = await request(t.server).get(`/api/v1/persons/${elsewhere.id}`).set(as(officeClerk, requestId));
      expect(denied.status).toBe(404);
      const [event] = await eventsOf(t, requestId);
      expect(event).toMatchObject({ action: 'person.read', outcome: 'denied', subject_person_ids: [elsewhere.id] });
      const correction = await request(t.server)
        .patch(`/api/v1/persons/${elsewhere.id}`)
        .set(as(officeClerk))
        .set('If-Match', '"1"')
        .send({ placeOfBirth: 'Zemun' });
      expect(correction.status).toBe(404);
      // A clerk without an office still reaches everyone.
      expect((await request(t.server).get(`/api/v1/persons/${elsewhere.id}`).set(as(nationalClerk))).status).toBe(200);
    });

    it('registers a person and records a first address where the office serves, not elsewhere', async () => {
      const person = (surname: string) => ({
        surname,
        givenNames: 'Marko',
        jmbg: nextJmbg(),
        dateOfBirth: '1990-01-01',
        placeOfBirth: 'Niš',
        sex: 'M',
        citizenship: 'RS',
      });
      const address = (policeAdministration: string) => ({
        kind: 'permanent',
        street: 'Obrenovićeva 12',
        city: 'Niš',
        postalCode: '18000',
        policeAdministration,
        validFrom: '2026-11-01',
      });
      const created = await request(t.server).post('/api/v1/persons').set(as(officeClerk)).send(person('Marković'));
      expect(created.status).toBe(201);
      const inServed = await request(t.server)
        .post(`/api/v1/persons/${created.body.id}/addresses`)
        .set(as(officeClerk))
        .send(address('PU-PIROT'));
      expect(inServed.status).toBe(201);
      expect((await request(t.server).get(`/api/v1/persons/${created.body.id}`).set(as(officeClerk))).status).toBe(200);

      const other = await request(t.server).post('/api/v1/persons').set(as(officeClerk)).send(person('Jović'));
      const outside = await request(t.server)
        .post(`/api/v1/persons/${other.body.id}/addresses`)
        .set(as(officeClerk))
        .send(address('PU-BEOGRAD'));
      expect(outside.status).toBe(404);
      expect(await t.dataSource.query(`SELECT 1 FROM addresses WHERE person_id = $1`, [other.body.id])).toEqual([]);
      // A person of another office is not drawn into this one's reach by an address where it serves.
      const elsewhere = await registerPerson(t, { regions: ['PU-BEOGRAD'] });
      const drawnIn = await request(t.server)
        .post(`/api/v1/persons/${elsewhere.id}/addresses`)
        .set(as(officeClerk))
        .send({ ...address('PU-NIS'), kind: 'temporary' });
      expect(drawnIn.status).toBe(404);
      expect(await t.dataSource.query(`SELECT 1 FROM addresses WHERE person_id = $1`, [elsewhere.id])).toEqual([]);
    });

    it('works the alerts raised for the office or for an administration it serves, and no others', async () => {
      const person = await registerPerson(t, { regions: ['PU-NIS'] });
      const alert = async (due: string, administration: string | null, office: string | null): Promise<string> => {
        const [{ id }] = await t.dataSource.query(
          `INSERT INTO alerts (kind, person_id, source_id, due_date, police_administration, office)
           VALUES ('missed_check_in', $1, $1, $2, $3, $4) RETURNING id`,
          [person.id, due, administration, office],
        );
        return id;
      };
      const nis = await alert('2026-01-01', 'PU-NIS', null);
      const belgrade = await alert('2026-01-02', 'PU-BEOGRAD', null);
      const forOffice = await alert('2026-01-03', 'PU-BEOGRAD', 'UIKS-NIS');
      const list = async (account: Tokens) => {
        const res = await request(t.server).get('/api/v1/alerts').query({ limit: 100 }).set(as(account));
        expect(res.status).toBe(200);
        return (res.body.items as { id: string; personId: string; office: string | null }[])
          .filter((a) => a.personId === person.id)
          .map((a) => [a.id, a.office]);
      };
      expect(await list(officeClerk)).toEqual([
        [nis, null],
        [forOffice, 'UIKS-NIS'],
      ]);
      expect((await list(nationalClerk)).map(([id]) => id)).toEqual([nis, belgrade, forOffice]);
      const requestId = rid('alert-denied');
      const denied = await request(t.server)
        .post(`/api/v1/alerts/${belgrade}/acknowledge`)
        .set(as(officeClerk, requestId));
      expect(denied.status).toBe(404);
      expect((await eventsOf(t, requestId))[0]).toMatchObject({ outcome: 'denied' });
      const [{ status }] = await t.dataSource.query(`SELECT status FROM alerts WHERE id = $1`, [belgrade]);
      expect(status).toBe('open');
      const worked = await request(t.server).post(`/api/v1/alerts/${forOffice}/acknowledge`).set(as(officeClerk));
      expect(worked.status).toBe(200);
      expect(worked.body).toMatchObject({ id: forOffice, office: 'UIKS-NIS', status: 'acknowledged' });
    });
  });
});
