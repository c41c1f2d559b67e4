import request from 'supertest';
import { RequestAudit } from '@app/audit';
import { PlacesService } from '@app/register';
import { eventsOf, rid } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { REASON, registerPerson } from '../support/register';
import { runtimeRoleUrl } from '../support/runtime-role';
import { startTestApp, type TestApp } from '../support/test-app';

/** earthdistance's sphere: a degree of latitude is 6,378,168 m * pi / 180. */
const METRES_PER_DEGREE = (6378168 * Math.PI) / 180;
const NIS = { latitude: 43.3209, longitude: 21.8958 };
const BEOGRAD = { latitude: 44.8125, longitude: 20.4612 };
const north = (from: { latitude: number; longitude: number }, metres: number) => ({
  latitude: from.latitude + metres / METRES_PER_DEGREE,
  longitude: from.longitude,
});

describe('places where minors gather and the proximity of persons under the ban', () => {
  let t: TestApp;
  let admin: TestAccount & Tokens;
  let clerk: TestAccount & Tokens;
  let officerNis: TestAccount & Tokens;
  let officerBeograd: TestAccount & Tokens;
  let auditor: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signedIn(t, 'admin');
    clerk = await signedIn(t, 'registry_clerk');
    officerNis = await signedIn(t, 'police_officer', 'PU-NIS');
    officerBeograd = await signedIn(t, 'police_officer', 'PU-BEOGRAD');
    auditor = await signedIn(t, 'auditor');
  });

  afterAll(async () => {
    await t.close();
  });

  const as = (account: Tokens, requestId = rid('place')) => ({
    ...bearer(account.accessToken),
    ...REASON,
    'X-Request-Id': requestId,
  });
  const history = (key: string): Promise<{ change: string; reason: string | null; after: { version: number } }[]> =>
    t.dataSource.query(
      `SELECT change, reason, after FROM reference_history WHERE kind = 'place' AND key = $1 ORDER BY at, id`,
      [key],
    );

  describe('reference data: places', () => {
    const body = {
      externalId: 'TEST-REF-1',
      kind: 'school',
      name: 'OŠ "Sveti Sava"',
      address: 'Vožda Karađorđa 1, Niš',
      ...NIS,
    };

    it('refuses what the roles may not do, and malformed places', async () => {
      expect((await request(t.server).post('/api/v1/reference/places').set(as(clerk)).send(body)).status).toBe(403);
      expect((await request(t.server).get('/api/v1/reference/places').set(as(auditor))).status).toBe(403);
      const noReason = await request(t.server)
        .post('/api/v1/reference/places')
        .set(bearer(admin.accessToken))
        .send(body);
      expect(noReason.status).toBe(400);
      expect(noReason.body.type).toBe('urn:register:problem:reason_required');
      const bad = await request(t.server)
        .post('/api/v1/reference/places')
        .set(as(admin))
        .send({ ...body, kind: 'casino', latitude: 91, name: '' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'kind', message: 'kind must be one of: kindergarten, school, playground, sports_club, other' },
          { field: 'latitude', message: 'latitude must not be greater than 90' },
          { field: 'name', message: 'name must be longer than or equal to 1 characters' },
        ]),
      );
      const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM places`);
      expect(count).toBe(0);
    });

    it('creates, lists and changes a place with history, audit and If-Match', async () => {
      const created = rid('place-create');
      const res = await request(t.server).post('/api/v1/reference/places').set(as(admin, created)).send(body);
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      const place = { id: res.body.id, ...body, active: true, version: 1 };
      expect(res.body).toEqual(place);
      const [event] = await eventsOf(t, created);
      expect(event).toMatchObject({
        action: 'reference.create',
        outcome: 'allowed',
        resource_type: 'place',
        resource_id: place.id,
        reason: 'KT-100/2026',
        details: { after: place },
      });
      const again = await request(t.server).post('/api/v1/reference/places').set(as(admin)).send(body);
      expect(again.status).toBe(409);

      const listed = await request(t.server).get('/api/v1/reference/places?kind=school').set(as(officerNis));
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual({ items: [place], nextCursor: null });
      const none = await request(t.server).get('/api/v1/reference/places?kind=playground').set(as(clerk));
      expect(none.body).toEqual({ items: [], nextCursor: null });
      expect((await request(t.server).get('/api/v1/reference/places?kind=bar').set(as(clerk))).status).toBe(400);

      const url = `/api/v1/reference/places/${place.id}`;
      const stale = await request(t.server).patch(url).set(as(admin)).set('If-Match', '"3"').send({ active: false });
      expect(stale.status).toBe(412);
      const byOfficer = await request(t.server)
        .patch(url)
        .set(as(officerNis))
        .set('If-Match', '"1"')
        .send({ active: false });
      expect(byOfficer.status).toBe(403);
      const emptied = await request(t.server).patch(url).set(as(admin)).set('If-Match', '"1"').send({ name: null });
      expect(emptied.status).toBe(400);
      const changed = await request(t.server)
        .patch(url)
        .set(as(admin))
        .set('If-Match', '"1"')
        .send({ kind: 'kindergarten', active: false });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(changed.body).toEqual({ ...place, kind: 'kindergarten', active: false, version: 2 });
      expect(await history(place.id)).toEqual([
        { change: 'create', reason: 'KT-100/2026', after: expect.objectContaining({ version: 1 }) },
        { change: 'update', reason: 'KT-100/2026', after: expect.objectContaining({ version: 2, active: false }) },
      ]);
      const changes = await request(t.server)
        .get(`/api/v1/reference/history?kind=place&key=${place.id}`)
        .set(as(admin));
      expect(changes.status).toBe(200);
      expect(changes.body.items.map((h: { change: string }) => h.change)).toEqual(['update', 'create']);
    });
  });

  describe('places:import', () => {
    const FILE = [
      'external_id,kind,name,address,latitude,longitude',
      'IMP-1,school,"OŠ ""Njegoš""","Cara Dušana 1, Niš",43.3200,21.9000',
      'IMP-2,playground,Igralište Čair,Čair bb,43.3150,21.8990',
      'IMP-3,casino,Kazino,Glavna 1,43.3,21.9',
      'IMP-4,school,,Glavna 2,43.3,21.9',
      'IMP-5,kindergarten,Vrtić,Glavna 3,"43,3",21.9',
      'IMP-6,kindergarten,Vrtić,Glavna 4,95,21.9',
      'IMP-1,school,Dupli,Glavna 5,43.3,21.9',
      ',other,Bez šifre,Glavna 6,43.3,21.9',
    ].join('\n');
    const run = (text: string) => {
      const audit = RequestAudit.system('places.import').on('place');
      return t.app.get(PlacesService).import(audit, text);
    };
    const placeIds = async (): Promise<Record<string, string>> =>
      Object.fromEntries(
        (await t.dataSource.query(`SELECT external_id, id FROM places WHERE external_id LIKE 'IMP-%'`)).map(
          (r: { external_id: string; id: string }) => [r.external_id, r.id],
        ),
      );

    it('imports the good rows and refuses the others with their lines and reasons', async () => {
      const report = await run(FILE);
      expect(report).toEqual({
        created: 2,
        updated: 0,
        unchanged: 0,
        refused: [
          {
            line: 4,
            externalId: 'IMP-3',
            reasons: ['kind must be one of: kindergarten, school, playground, sports_club, other'],
          },
          { line: 5, externalId: 'IMP-4', reasons: ['name must be longer than or equal to 1 characters'] },
          { line: 6, externalId: 'IMP-5', reasons: ['latitude must be a decimal number such as 43.3209'] },
          { line: 7, externalId: 'IMP-6', reasons: ['latitude must not be greater than 90'] },
          { line: 8, externalId: 'IMP-1', reasons: ['external_id IMP-1 is on line 2 already'] },
          {
            line: 9,
            externalId: null,
            reasons: ['externalId must be 1-60 letters, digits or . _ : / -'],
          },
        ],
      });
      const rows = await t.dataSource.query(
        `SELECT external_id, kind, name, address, latitude, longitude, active, version FROM places
          WHERE external_id LIKE 'IMP-%' ORDER BY external_id`,
      );
      expect(rows).toEqual([
        {
          external_id: 'IMP-1',
          kind: 'school',
          name: 'OŠ "Njegoš"',
          address: 'Cara Dušana 1, Niš',
          latitude: 43.32,
          longitude: 21.9,
          active: true,
          version: 1,
        },
        {
          external_id: 'IMP-2',
          kind: 'playground',
          name: 'Igralište Čair',
          address: 'Čair bb',
          latitude: 43.315,
          longitude: 21.899,
          active: true,
          version: 1,
        },
      ]);
      const ids = await placeIds();
      expect((await history(ids['IMP-1'])).map((h) => h.change)).toEqual(['create']);
    });

    it('is idempotent by external id: the same file changes nothing, a changed row is updated with history', async () => {
      const ids = await placeIds();
      const same = await run(FILE);
      expect(same).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
      expect(same.refused).toHaveLength(6);
      expect((await history(ids['IMP-1'])).map((h) => h.change)).toEqual(['create']);

      const changed = await run(
        'longitude,latitude,name,kind,external_id,address\r\n21.9000,43.3200,OŠ Njegoš (nova zgrada),school,IMP-1,Cara Dušana 3\r\n',
      );
      expect(changed).toEqual({ created: 0, updated: 1, unchanged: 0, refused: [] });
      const [row] = await t.dataSource.query(`SELECT name, address, version FROM places WHERE id = $1`, [ids['IMP-1']]);
      expect(row).toEqual({ name: 'OŠ Njegoš (nova zgrada)', address: 'Cara Dušana 3', version: 2 });
      expect((await history(ids['IMP-1'])).map((h) => h.change)).toEqual(['create', 'update']);
    });

    it('refuses a file without the columns, and one with broken quoting, as a whole', async () => {
      await expect(run('external_id,kind,name\nX,school,Y\n')).rejects.toMatchObject({
        errors: [{ field: 'file', message: 'the header lacks the columns address, latitude, longitude' }],
      });
      await expect(run('external_id,kind,name,address,latitude,longitude\nX,school,"Y,Z,1,2\n')).rejects.toMatchObject({
        errors: [{ field: 'file', message: 'line 2: a quoted field is not closed' }],
      });
    });
  });

  describe('GET /compliance/proximity', () => {
    let near: string;
    let beogradPerson: string;
    const url = (metres?: number | string) =>
      `/api/v1/compliance/proximity${metres === undefined ? '' : `?metres=${metres}`}`;

    async function personAt(
      region: string,
      at: { latitude: number; longitude: number },
      ban: 'active' | 'ended' | 'none',
      where: 'address' | 'workplace' = 'address',
    ): Promise<string> {
      const person = await registerPerson(t, { surname: `Blizu-${ban}` });
      const address = await request(t.server)
        .post(`/api/v1/persons/${person.id}/addresses`)
        .set(as(clerk))
        .send({
          kind: 'permanent',
          street: 'Obrenovićeva 1',
          city: 'Grad',
          postalCode: '18000',
          policeAdministration: region,
          validFrom: '2026-01-01',
          ...(where === 'address' ? at : {}),
        });
      expect(address.status).toBe(201);
      if (where === 'workplace') {
        const workplace = await request(t.server)
          .post(`/api/v1/persons/${person.id}/workplaces`)
          .set(as(clerk))
          .send({
            employer: 'Pekara',
            address: 'Knez Mihailova 2',
            involvesMinors: false,
            validFrom: '2026-01-01',
            ...at,
          });
        expect(workplace.status).toBe(201);
        expect(workplace.body).toMatchObject(at);
      } else {
        expect(address.body).toMatchObject(at);
      }
      if (ban !== 'none') {
        await t.dataSource.query(
          `INSERT INTO measures (person_id, type, starts_on, ends_on, status)
           VALUES ($1, 'ban_places_with_minors', '2025-06-02', '2035-06-01', $2)`,
          [person.id, ban],
        );
      }
      return person.id;
    }

    beforeAll(async () => {
      await t.dataSource.query(`UPDATE places SET active = false`);
      await t.dataSource.query(
        `INSERT INTO places (external_id, kind, name, address, latitude, longitude) VALUES
           ('PROX-250', 'school', 'OŠ Blizu', 'Ulica 1, Niš', $1, $2),
           ('PROX-350', 'kindergarten', 'Vrtić Dalje', 'Ulica 2, Niš', $3, $4),
           ('PROX-BG', 'playground', 'Igralište Kalemegdan', 'Kalemegdan, Beograd', $5, $6)`,
        [
          north(NIS, 250).latitude,
          NIS.longitude,
          north(NIS, -350).latitude,
          NIS.longitude,
          north(BEOGRAD, 120).latitude,
          BEOGRAD.longitude,
        ],
      );
      // Closed: never near anyone.
      await t.dataSource.query(
        `INSERT INTO places (external_id, kind, name, address, latitude, longitude, active)
         VALUES ('PROX-CLOSED', 'school', 'Zatvorena škola', 'Ulica 3, Niš', $1, $2, false)`,
        [NIS.latitude, NIS.longitude],
      );
      near = await personAt('PU-NIS', NIS, 'active');
      await personAt('PU-NIS', NIS, 'none');
      await personAt('PU-NIS', NIS, 'ended');
      beogradPerson = await personAt('PU-BEOGRAD', BEOGRAD, 'active', 'workplace');
    });

    it('refuses a distance out of range, roles without addresses, and coordinates without their pair', async () => {
      for (const metres of [0, 5001, 'far', 2.5]) {
        const res = await request(t.server).get(url(metres)).set(as(clerk));
        expect(res.status).toBe(400);
        expect(new Set(res.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['metres']));
      }
      for (const account of [admin, auditor]) {
        expect((await request(t.server).get(url()).set(as(account))).status).toBe(403);
      }
      const judge = await signedIn(t, 'judicial_officer');
      expect((await request(t.server).get(url()).set(as(judge))).status).toBe(403);
      const half = await request(t.server)
        .post(`/api/v1/persons/${near}/workplaces`)
        .set(as(clerk))
        .send({ employer: 'X', address: 'Y', involvesMinors: false, validFrom: '2026-02-01', latitude: 43.3 });
      expect(half.status).toBe(400);
      expect(half.body.errors).toEqual([
        { field: 'longitude', message: 'must be given with latitude (both or neither)' },
      ]);
    });

    it('lists the persons under the ban near a place, nearest first, with the distance (clerks: everywhere)', async () => {
      const requestId = rid('proximity');
      const res = await request(t.server).get(url(300)).set(as(clerk, requestId));
      expect(res.status).toBe(200);
      const [nis] = await t.dataSource.query(`SELECT id FROM places WHERE external_id = 'PROX-250'`);
      const [bg] = await t.dataSource.query(`SELECT id FROM places WHERE external_id = 'PROX-BG'`);
      const [workplace] = await t.dataSource.query(`SELECT id FROM workplaces WHERE person_id = $1`, [beogradPerson]);
      const [address] = await t.dataSource.query(`SELECT id FROM addresses WHERE person_id = $1`, [near]);
      expect(res.body).toEqual({
        items: [
          {
            personId: beogradPerson,
            surname: 'Blizu-active',
            givenNames: 'Petar',
            distanceMetres: 120,
            location: { kind: 'workplace', id: workplace.id },
            place: { id: bg.id, kind: 'playground', name: 'Igralište Kalemegdan', address: 'Kalemegdan, Beograd' },
            placesWithin: 1,
          },
          {
            personId: near,
            surname: 'Blizu-active',
            givenNames: 'Petar',
            distanceMetres: 250,
            location: { kind: 'permanent', id: address.id },
            place: { id: nis.id, kind: 'school', name: 'OŠ Blizu', address: 'Ulica 1, Niš' },
            placesWithin: 1,
          },
        ],
        nextCursor: null,
      });
      const [event] = await eventsOf(t, requestId);
      expect(event).toMatchObject({
        action: 'compliance.proximity',
        outcome: 'allowed',
        resource_type: 'compliance',
        result_count: 2,
        subject_person_ids: expect.arrayContaining([near, beogradPerson]),
      });
    });

    it('finds the place at 350 m only when the distance reaches it; default 300 m', async () => {
      const wide = await request(t.server).get(url(400)).set(as(officerNis));
      expect(wide.status).toBe(200);
      expect(wide.body.items).toEqual([
        expect.objectContaining({ personId: near, distanceMetres: 250, placesWithin: 2 }),
      ]);
      const narrow = await request(t.server).get(url(200)).set(as(officerNis));
      expect(narrow.body).toEqual({ items: [], nextCursor: null });
      const byDefault = await request(t.server).get(url()).set(as(officerNis));
      expect(byDefault.body.items).toEqual([expect.objectContaining({ personId: near, placesWithin: 1 })]);
    });

    it('is scoped to the officer’s region, and pages nearest first', async () => {
      const beograd = await request(t.server).get(url(300)).set(as(officerBeograd));
      expect(beograd.body.items.map((i: { personId: string }) => i.personId)).toEqual([beogradPerson]);
      const first = await request(t.server)
        .get(`${url(300)}&limit=1`)
        .set(as(clerk));
      expect(first.body.items.map((i: { personId: string }) => i.personId)).toEqual([beogradPerson]);
      const second = await request(t.server)
        .get(`${url(300)}&limit=1&cursor=${first.body.nextCursor}`)
        .set(as(clerk));
      expect(second.body).toEqual({ items: [expect.objectContaining({ personId: near })], nextCursor: null });
    });

    it('keeps the place of a breach of the ban, and refuses an unknown one', async () => {
      const [{ id: measureId }] = await t.dataSource.query(
        `SELECT id FROM measures WHERE person_id = $1 AND type = 'ban_places_with_minors'`,
        [near],
      );
      const [{ id: placeId }] = await t.dataSource.query(`SELECT id FROM places WHERE external_id = 'PROX-250'`);
      const breach = { measureId, occurredAt: '2026-11-20T16:30:00+01:00', description: 'Viđen u dvorištu škole' };
      const url = `/api/v1/persons/${near}/breaches`;
      const unknown = await request(t.server)
        .post(url)
        .set(as(officerNis))
        .send({ ...breach, placeId: '00000000-0000-4000-8000-000000000000' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([
        { field: 'placeId', message: 'is not a known place (GET /reference/places)' },
      ]);
      const recorded = await request(t.server)
        .post(url)
        .set(as(officerNis))
        .send({ ...breach, placeId });
      expect(recorded.status).toBe(201);
      expect(recorded.body).toMatchObject({ measureId, placeId, description: 'Viđen u dvorištu škole' });
      const [row] = await t.dataSource.query(`SELECT place_id FROM breaches WHERE id = $1`, [recorded.body.id]);
      expect(row).toEqual({ place_id: placeId });
      const without = await request(t.server).post(url).set(as(officerNis)).send(breach);
      expect(without.status).toBe(201);
      expect(without.body).not.toHaveProperty('placeId');
    });

    it('forgets a person whose ban ended', async () => {
      await t.dataSource.query(
        `UPDATE measures SET status = 'ended' WHERE person_id = $1 AND type = 'ban_places_with_minors'`,
        [near],
      );
      const res = await request(t.server).get(url(300)).set(as(clerk));
      expect(res.body.items.map((i: { personId: string }) => i.personId)).toEqual([beogradPerson]);
    });
  });
  describe('as the runtime role', () => {
    let runtime: TestApp;

    beforeAll(async () => {
      const url = await runtimeRoleUrl(t, 'register_test_places', 'places-runtime-password');
      runtime = await startTestApp({ DATABASE_URL: url }, [], t.database);
    });

    afterAll(async () => {
      await runtime?.close();
    });

    it('edits places and measures distances with only the grants of register_app', async () => {
      const [{ current_user: user }] = await runtime.dataSource.query('SELECT current_user');
      expect(user).toBe('register_test_places');
      const runtimeAdmin = await signedIn(runtime, 'admin');
      const created = await request(runtime.server)
        .post('/api/v1/reference/places')
        .set(as(runtimeAdmin))
        .send({ externalId: 'RUNTIME-1', kind: 'sports_club', name: 'FK Radnički', address: 'Čair', ...NIS });
      expect(created.status).toBe(201);
      const runtimeClerk = await signedIn(runtime, 'registry_clerk');
      const res = await request(runtime.server).get('/api/v1/compliance/proximity?metres=300').set(as(runtimeClerk));
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
      await expect(runtime.dataSource.query(`DELETE FROM places`)).rejects.toThrow(/permission denied/);
      await expect(runtime.dataSource.query(`UPDATE reference_history SET reason = 'x'`)).rejects.toThrow(
        /permission denied/,
      );
    });
  });
});
