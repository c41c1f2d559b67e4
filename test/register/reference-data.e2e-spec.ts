import request from 'supertest';
import { eventsOf, rid } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { REASON, registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

describe('reference data: UIKS offices and the offence catalogue', () => {
  let t: TestApp;
  let admin: TestAccount & Tokens;
  let clerk: TestAccount & Tokens;
  let officer: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signedIn(t, 'admin');
    clerk = await signedIn(t, 'registry_clerk');
    officer = await signedIn(t, 'police_officer', 'PU-NIS');
  });

  afterAll(async () => {
    await t.close();
  });

  const as = (account: Tokens, requestId = rid('ref')) => ({
    ...bearer(account.accessToken),
    ...REASON,
    'X-Request-Id': requestId,
  });
  const historyRows = (kind: string, key: string): Promise<{ change: string; reason: string }[]> =>
    t.dataSource.query(`SELECT change, reason FROM reference_history WHERE kind = $1 AND key = $2 ORDER BY at, id`, [
      kind,
      key,
    ]);

  describe('UIKS offices', () => {
    it('are seeded so that every police administration is served by exactly one office', async () => {
      const res = await request(t.server).get('/api/v1/reference/uiks-offices').set(bearer(officer.accessToken));
      expect(res.status).toBe(200);
      const items = res.body.items as { code: string; policeAdministrations: string[] }[];
      expect(items.find((o) => o.code === 'UIKS-NIS')).toEqual({
        code: 'UIKS-NIS',
        name: 'Poverenička kancelarija Niš',
        policeAdministrations: ['PU-NIS', 'PU-PROKUPLJE', 'PU-PIROT'],
        active: true,
        version: 1,
      });
      expect(items.find((o) => o.code === 'UIKS-BEOGRAD')?.policeAdministrations).toEqual(['PU-BEOGRAD']);
      const served = items.flatMap((o) => o.policeAdministrations).sort();
      const administrations: { code: string }[] = await t.dataSource.query(
        `SELECT code FROM police_administrations ORDER BY code`,
      );
      expect(served).toEqual(administrations.map((a) => a.code).sort());
      const [{ offices }] = await t.dataSource.query(
        `SELECT offices_serving(ARRAY['PU-NIS', 'PU-BEOGRAD', 'PU-PIROT']) AS offices`,
      );
      expect(offices).toEqual(['UIKS-BEOGRAD', 'UIKS-NIS']);
    });

    it('are changed by admins only, with an access reason', async () => {
      const body = { code: 'UIKS-TEST-A', name: 'Poverenička kancelarija Test', policeAdministrations: ['PU-BOR'] };
      const byClerk = await request(t.server).post('/api/v1/reference/uiks-offices').set(as(clerk)).send(body);
      expect(byClerk.status).toBe(403);
      const withoutReason = await request(t.server)
        .post('/api/v1/reference/uiks-offices')
        .set(bearer(admin.accessToken))
        .send(body);
      expect(withoutReason.status).toBe(400);
      expect(withoutReason.body.type).toBe('urn:register:problem:reason_required');
      expect(await historyRows('uiks_office', 'UIKS-TEST-A')).toEqual([]);
    });

    it.each([
      [
        { policeAdministrations: ['PU-NIS', 'PU-NOWHERE'] },
        'policeAdministrations',
        'unknown police administration codes: PU-NOWHERE',
      ],
      [
        { policeAdministrations: ['nis'] },
        'policeAdministrations',
        'each of policeAdministrations must be a police administration code such as PU-NIS',
      ],
      [{ code: 'KANCELARIJA' }, 'code', 'code must be a UIKS office code such as UIKS-NIS'],
      [{ name: '' }, 'name', 'name must be longer than or equal to 1 characters'],
    ])('refuses an office with %j', async (overrides, field, message) => {
      const body = { code: 'UIKS-TEST-B', name: 'Kancelarija', policeAdministrations: ['PU-BOR'], ...overrides };
      const res = await request(t.server).post('/api/v1/reference/uiks-offices').set(as(admin)).send(body);
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual({ field, message });
      expect(await historyRows('uiks_office', body.code)).toEqual([]);
    });

    it('creates and changes an office with history, audit and If-Match', async () => {
      const created = rid('office-create');
      const body = {
        code: 'UIKS-TEST-C',
        name: 'Poverenička kancelarija C',
        policeAdministrations: ['PU-BOR', 'PU-BOR'],
      };
      // Duplicates are refused; then the office is created.
      const dup = await request(t.server).post('/api/v1/reference/uiks-offices').set(as(admin)).send(body);
      expect(dup.status).toBe(400);
      const res = await request(t.server)
        .post('/api/v1/reference/uiks-offices')
        .set(as(admin, created))
        .send({ ...body, policeAdministrations: ['PU-ZAJECAR', 'PU-BOR'] });
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      const office = {
        code: 'UIKS-TEST-C',
        name: 'Poverenička kancelarija C',
        policeAdministrations: ['PU-BOR', 'PU-ZAJECAR'],
        active: true,
        version: 1,
      };
      expect(res.body).toEqual(office);
      const [event] = await eventsOf(t, created);
      expect(event).toMatchObject({
        action: 'reference.create',
        outcome: 'allowed',
        resource_type: 'uiks_office',
        resource_id: 'UIKS-TEST-C',
        reason: 'KT-100/2026',
        details: { after: office },
      });
      const again = await request(t.server)
        .post('/api/v1/reference/uiks-offices')
        .set(as(admin))
        .send({ ...body, policeAdministrations: [] });
      expect(again.status).toBe(409);

      const url = '/api/v1/reference/uiks-offices/UIKS-TEST-C';
      const stale = await request(t.server).patch(url).set(as(admin)).set('If-Match', '"7"').send({ active: false });
      expect(stale.status).toBe(412);
      const unknown = await request(t.server)
        .patch(url)
        .set(as(admin))
        .set('If-Match', '"1"')
        .send({ policeAdministrations: ['PU-ATLANTIDA'] });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([
        { field: 'policeAdministrations', message: 'unknown police administration codes: PU-ATLANTIDA' },
      ]);
      const cleared = await request(t.server).patch(url).set(as(admin)).set('If-Match', '"1"').send({ name: null });
      expect(cleared.status).toBe(400);
      const byOfficer = await request(t.server)
        .patch(url)
        .set(as(officer))
        .set('If-Match', '"1"')
        .send({ active: false });
      expect(byOfficer.status).toBe(403);
      const absent = await request(t.server)
        .patch('/api/v1/reference/uiks-offices/UIKS-NOWHERE')
        .set(as(admin))
        .set('If-Match', '"1"')
        .send({ active: false });
      expect(absent.status).toBe(404);

      const updated = rid('office-update');
      const changed = await request(t.server)
        .patch(url)
        .set(as(admin, updated))
        .set('If-Match', '"1"')
        .send({ active: false, name: 'Poverenička kancelarija Bor' });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('"2"');
      const after = { ...office, name: 'Poverenička kancelarija Bor', active: false, version: 2 };
      expect(changed.body).toEqual(after);
      expect((await eventsOf(t, updated))[0]).toMatchObject({
        action: 'reference.update',
        resource_id: 'UIKS-TEST-C',
        details: { before: office, after },
      });
      // An inactive office serves no one.
      const [{ offices }] = await t.dataSource.query(`SELECT offices_serving(ARRAY['PU-ZAJECAR']) AS offices`);
      expect(offices).toEqual(['UIKS-ZAJECAR']);

      const history = await request(t.server)
        .get('/api/v1/reference/history')
        .query({ kind: 'uiks_office', key: 'UIKS-TEST-C', limit: 1 })
        .set(bearer(admin.accessToken));
      expect(history.status).toBe(200);
      expect(history.body.items).toEqual([
        {
          at: expect.any(String),
          actor: expect.objectContaining({ userId: admin.user.id, role: 'admin' }),
          reason: 'KT-100/2026',
          change: 'update',
          before: office,
          after,
        },
      ]);
      const older = await request(t.server)
        .get('/api/v1/reference/history')
        .query({ kind: 'uiks_office', key: 'UIKS-TEST-C', cursor: history.body.nextCursor })
        .set(bearer(admin.accessToken));
      expect(older.body).toEqual({
        items: [expect.objectContaining({ change: 'create', before: null, after: office })],
        nextCursor: null,
      });
      // History rows are never changed.
      await expect(t.dataSource.query(`DELETE FROM reference_history WHERE key = 'UIKS-TEST-C'`)).rejects.toThrow();
    });

    it('shows the history to admins only, and refuses an unknown kind', async () => {
      const byClerk = await request(t.server)
        .get('/api/v1/reference/history')
        .query({ kind: 'offence' })
        .set(as(clerk));
      expect(byClerk.status).toBe(403);
      const wrongKind = await request(t.server)
        .get('/api/v1/reference/history')
        .query({ kind: 'person' })
        .set(bearer(admin.accessToken));
      expect(wrongKind.status).toBe(400);
      const wrongKey = await request(t.server)
        .get('/api/v1/reference/history')
        .query({ kind: 'offence', key: '18\u200b2a' })
        .set(bearer(admin.accessToken));
      expect(wrongKey.status).toBe(400);
      expect(wrongKey.body.errors).toContainEqual({
        field: 'key',
        message: 'key must be a UIKS office or institution code, an article or a place id, such as UIKS-NIS or 185a',
      });
      expect(wrongKind.body.errors).toEqual([
        {
          field: 'kind',
          message: 'kind must be one of the following values: uiks_office, offence, place, counselling_institution',
        },
      ]);
    });
  });

  describe('counselling institutions', () => {
    const URL = '/api/v1/reference/counselling-institutions';

    it('are seeded, and read by every signed-in user', async () => {
      const res = await request(t.server).get(URL).set(bearer(officer.accessToken));
      expect(res.status).toBe(200);
      expect(res.body.items.find((i: { code: string }) => i.code === 'CSR-NIS')).toEqual({
        code: 'CSR-NIS',
        name: 'Centar za socijalni rad Sveti Sava Niš',
        city: 'Niš',
        active: true,
        version: 1,
      });
      expect(res.body.items.map((i: { code: string }) => i.code)).toEqual([
        'CSR-BEOGRAD',
        'CSR-KRAGUJEVAC',
        'CSR-NIS',
        'CSR-NOVI-SAD',
        'DZ-BEOGRAD',
        'DZ-NIS',
        'IMZ-BEOGRAD',
      ]);
      expect((await request(t.server).get(URL)).status).toBe(401);
    });

    it.each([
      [{ code: 'csr-nis' }, 'code'],
      [{ code: 'CSR' }, 'code'],
      [{ name: '' }, 'name'],
      [{ city: undefined }, 'city'],
      [{ active: 'yes' }, 'active'],
    ])('refuses %j naming %s, writing nothing', async (overrides, field) => {
      const body = { code: 'CSR-TEST-X', name: 'Centar X', city: 'Bor', ...overrides };
      const res = await request(t.server).post(URL).set(as(admin)).send(body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await historyRows('counselling_institution', 'CSR-TEST-X')).toEqual([]);
    });

    it('are added and changed by admins only, with history, audit and If-Match', async () => {
      const body = { code: 'CSR-BOR', name: 'Centar za socijalni rad Bor', city: 'Bor' };
      for (const account of [clerk, officer]) {
        expect((await request(t.server).post(URL).set(as(account)).send(body)).status).toBe(403);
      }
      const noReason = await request(t.server).post(URL).set(bearer(admin.accessToken)).send(body);
      expect(noReason.status).toBe(400);
      expect(await historyRows('counselling_institution', 'CSR-BOR')).toEqual([]);

      const created = rid('institution-create');
      const res = await request(t.server).post(URL).set(as(admin, created)).send(body);
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      const institution = { ...body, active: true, version: 1 };
      expect(res.body).toEqual(institution);
      expect((await eventsOf(t, created))[0]).toMatchObject({
        action: 'reference.create',
        outcome: 'allowed',
        resource_type: 'counselling_institution',
        resource_id: 'CSR-BOR',
        details: { after: institution },
      });
      expect((await request(t.server).post(URL).set(as(admin)).send(body)).status).toBe(409);

      const url = `${URL}/CSR-BOR`;
      const patch = (account: Tokens, version: string, changes: object, requestId = rid('ref')) =>
        request(t.server).patch(url).set(as(account, requestId)).set('If-Match', version).send(changes);
      expect((await patch(admin, '"7"', { active: false })).status).toBe(412);
      expect((await patch(clerk, '"1"', { active: false })).status).toBe(403);
      expect((await patch(admin, '"1"', { city: null })).status).toBe(400);
      const absent = await request(t.server)
        .patch(`${URL}/CSR-NOWHERE`)
        .set(as(admin))
        .set('If-Match', '"1"')
        .send({ active: false });
      expect(absent.status).toBe(404);

      const updated = rid('institution-update');
      const changed = await patch(
        admin,
        '"1"',
        { active: false, name: 'Centar za socijalni rad Bor (zatvoren)' },
        updated,
      );
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('"2"');
      const after = { ...institution, name: 'Centar za socijalni rad Bor (zatvoren)', active: false, version: 2 };
      expect(changed.body).toEqual(after);
      expect((await eventsOf(t, updated))[0]).toMatchObject({
        action: 'reference.update',
        resource_type: 'counselling_institution',
        resource_id: 'CSR-BOR',
        details: { before: institution, after },
      });
      const history = await request(t.server)
        .get('/api/v1/reference/history')
        .query({ kind: 'counselling_institution', key: 'CSR-BOR' })
        .set(bearer(admin.accessToken));
      expect(history.status).toBe(200);
      expect(history.body.items).toEqual([
        expect.objectContaining({ change: 'update', before: institution, after, reason: 'KT-100/2026' }),
        expect.objectContaining({ change: 'create', before: null, after: institution }),
      ]);
    });
  });

  it('grants the runtime role what it needs: history appended only, no reference data deleted', async () => {
    const privileges: { name: string; granted: string[] }[] = await t.dataSource.query(
      `SELECT t AS name, array(SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) p
                                WHERE has_table_privilege('register_app', t, p)) AS granted
         FROM unnest(ARRAY['uiks_offices', 'offences', 'reference_history', 'counselling_institutions']) t ORDER BY t`,
    );
    expect(privileges).toEqual([
      { name: 'counselling_institutions', granted: ['SELECT', 'INSERT', 'UPDATE'] },
      { name: 'offences', granted: ['SELECT', 'INSERT', 'UPDATE'] },
      { name: 'reference_history', granted: ['SELECT', 'INSERT'] },
      { name: 'uiks_offices', granted: ['SELECT', 'INSERT', 'UPDATE'] },
    ]);
    const [{ allowed }] = await t.dataSource.query(
      `SELECT has_function_privilege('register_app', 'offices_serving(text[])', 'EXECUTE') AS allowed`,
    );
    expect(allowed).toBe(true);
  });

  describe('countries', () => {
    it('are refused to a vetting officer, as all reference data', async () => {
      const vetting = await signedIn(t, 'vetting_officer');
      const res = await request(t.server).get('/api/v1/reference/countries').set(bearer(vetting.accessToken));
      expect(res.status).toBe(403);
      expect(res.body.type).toBe('urn:register:problem:forbidden');
    });

    it('are the ISO 3166-1 codes with Serbian (Latin) and English names, in the Serbian collation, read in the log', async () => {
      const requestId = rid('countries');
      const res = await request(t.server)
        .get('/api/v1/reference/countries')
        .set({ ...bearer(officer.accessToken), 'X-Request-Id': requestId });
      expect(res.status).toBe(200);
      const items = res.body.items as { code: string; nameSr: string; nameEn: string }[];
      expect(items.find((c) => c.code === 'HU')).toEqual({ code: 'HU', nameSr: 'Mađarska', nameEn: 'Hungary' });
      expect(items.find((c) => c.code === 'ME')).toEqual({ code: 'ME', nameSr: 'Crna Gora', nameEn: 'Montenegro' });
      expect(items.find((c) => c.code === 'CH')?.nameSr).toBe('Švajcarska');
      // Not an ISO 3166-1 code.
      expect(items.find((c) => c.code === 'XK')).toBeUndefined();
      expect(items).toHaveLength(249);
      expect(items.every((c) => /^[A-Z]{2}$/.test(c.code) && !/[\u0400-\u04FF]/.test(c.nameSr))).toBe(true);
      // Č after C, Š after S, and both before Z: the Serbian alphabet's order.
      const names = items.map((c) => c.nameSr);
      expect(names.indexOf('Češka')).toBeGreaterThan(names.indexOf('Crna Gora'));
      expect(names.indexOf('Švedska')).toBeGreaterThan(names.indexOf('Sudan'));
      expect(names.indexOf('Zimbabve')).toBeGreaterThan(names.indexOf('Čile'));
      expect(await eventsOf(t, requestId)).toEqual([
        expect.objectContaining({ action: 'reference.read', outcome: 'allowed', resource_type: 'country' }),
      ]);
    });
  });

  describe('the offence catalogue', () => {
    const conviction = (offences: object[]) => ({
      court: 'Viši sud u Nišu',
      caseNumber: 'K 12/2019',
      judgmentDate: '2019-05-10',
      finalityDate: '2019-09-01',
      offences,
      victimAge: 'minor',
      sentence: { kind: 'imprisonment', months: 12 },
      releaseDate: '2020-05-10',
    });

    it('lists the articles the law covers, with juvenileOnly and version', async () => {
      const res = await request(t.server).get('/api/v1/reference/offences').set(bearer(officer.accessToken));
      expect(res.status).toBe(200);
      const items = res.body.items as { article: string; juvenileOnly: boolean; paragraphs: number[] }[];
      expect(items.map((o) => o.article)).toEqual([
        '178',
        '179',
        '180',
        '181',
        '182',
        '182a',
        '183',
        '184',
        '185',
        '185a',
        '185b',
        '186',
        '388',
      ]);
      expect(items.filter((o) => !o.juvenileOnly).map((o) => o.article)).toEqual(['180', '185', '185a', '185b']);
      expect(items.find((o) => o.article === '182a')).toEqual({
        article: '182a',
        title: 'Polno uznemiravanje (sexual harassment)',
        paragraphs: [2],
        juvenileOnly: true,
        version: 1,
      });
    });

    it('accepts a newly added article at once, and refuses a paragraph outside its list', async () => {
      const person = await registerPerson(t);
      const post = (offences: object[]) =>
        request(t.server).post(`/api/v1/persons/${person.id}/convictions`).set(as(clerk)).send(conviction(offences));
      const before = await post([{ article: '187', paragraph: 2 }]);
      expect(before.status).toBe(400);
      expect(before.body.errors).toEqual([
        { field: 'offences.0.article', message: 'is not an offence covered by the law' },
      ]);

      const body = {
        article: '187',
        title: 'Vanbračna zajednica sa maloletnikom',
        paragraphs: [2, 1],
        juvenileOnly: false,
      };
      expect((await request(t.server).post('/api/v1/reference/offences').set(as(clerk)).send(body)).status).toBe(403);
      const created = rid('offence-create');
      const res = await request(t.server).post('/api/v1/reference/offences').set(as(admin, created)).send(body);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ ...body, paragraphs: [1, 2], version: 1 });
      expect((await eventsOf(t, created))[0]).toMatchObject({
        action: 'reference.create',
        resource_type: 'offence',
        resource_id: '187',
      });
      expect(await historyRows('offence', '187')).toEqual([{ change: 'create', reason: 'KT-100/2026' }]);
      const again = await request(t.server).post('/api/v1/reference/offences').set(as(admin)).send(body);
      expect(again.status).toBe(409);

      const outside = await post([{ article: '187', paragraph: 3 }]);
      expect(outside.status).toBe(400);
      expect(outside.body.errors).toEqual([
        { field: 'offences.0.paragraph', message: 'must be one of 1, 2 for article 187' },
      ]);
      expect((await post([{ article: '187', paragraph: 2 }])).status).toBe(201);

      const url = '/api/v1/reference/offences/187';
      const stale = await request(t.server)
        .patch(url)
        .set(as(admin))
        .set('If-Match', '"2"')
        .send({ paragraphs: [1] });
      expect(stale.status).toBe(412);
      const noMatch = await request(t.server)
        .patch(url)
        .set(as(admin))
        .send({ paragraphs: [1] });
      expect(noMatch.status).toBe(428);
      const changed = await request(t.server)
        .patch(url)
        .set(as(admin))
        .set('If-Match', '"1"')
        .send({ paragraphs: [1] });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(changed.body).toEqual({ ...body, paragraphs: [1], version: 2 });
      expect((await post([{ article: '187', paragraph: 2 }])).body.errors).toEqual([
        { field: 'offences.0.paragraph', message: 'must be one of 1 for article 187' },
      ]);
      expect(await historyRows('offence', '187')).toEqual([
        { change: 'create', reason: 'KT-100/2026' },
        { change: 'update', reason: 'KT-100/2026' },
      ]);
    });
  });
});
