import request from 'supertest';
import { eventsOf, rid } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { nextJmbg, REASON, registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

describe('persons', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let judge: TestAccount & Tokens;
  let officerNis: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await signedIn(t, 'registry_clerk');
    judge = await signedIn(t, 'judicial_officer');
    officerNis = await signedIn(t, 'police_officer', 'PU-NIS');
  });

  afterAll(async () => {
    await t.close();
  });

  const as = (account: Tokens) => ({ ...bearer(account.accessToken), ...REASON });
  const create = (body: object) => request(t.server).post('/api/v1/persons').set(as(clerk)).send(body);
  const valid = (overrides: object = {}) => ({
    surname: 'Jovanović',
    givenNames: 'Jovan',
    parentNames: 'Marko',
    jmbg: nextJmbg(),
    dateOfBirth: '1990-01-01',
    placeOfBirth: 'Niš',
    sex: 'M',
    citizenship: 'RS',
    aliases: ['Joca'],
    ...overrides,
  });

  describe('create', () => {
    it('registers a person, records the history and the audit event with the person as subject', async () => {
      const id = rid();
      const body = valid();
      const res = await request(t.server).post('/api/v1/persons').set(as(clerk)).set('X-Request-Id', id).send(body);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        surname: 'Jovanović',
        givenNames: 'Jovan',
        parentNames: 'Marko',
        jmbg: body.jmbg,
        identityDocument: null,
        dateOfBirth: '1990-01-01',
        placeOfBirth: 'Niš',
        sex: 'M',
        citizenship: 'RS',
        aliases: ['Joca'],
        currentAddresses: { permanent: null, temporary: null },
        currentWorkplace: null,
        physicalDescription: null,
        photos: [],
        dnaReference: null,
        convictions: [],
        measures: [],
        compliance: { status: 'none', nextDueAt: null, lastCheckInAt: null, openReferralIds: [] },
        managingOfficerId: null,
        version: 1,
      });
      expect(await eventsOf(t, id)).toEqual([
        expect.objectContaining({
          action: 'person.create',
          outcome: 'allowed',
          http_status: 201,
          subject_person_ids: [res.body.id],
          reason: 'KT-100/2026',
        }),
      ]);
      const history = await t.dataSource.query(
        `SELECT change, reason, before, after FROM person_history WHERE person_id = $1`,
        [res.body.id],
      );
      expect(history).toEqual([
        {
          change: 'create',
          reason: 'KT-100/2026',
          before: null,
          after: expect.objectContaining({ surname: 'Jovanović', jmbg: body.jmbg }),
        },
      ]);
    });

    it.each([
      [{ jmbg: '0101900350007' }, [{ field: 'jmbg', message: 'has a wrong check digit' }]],
      [
        { jmbg: '0101990360007', dateOfBirth: '1990-01-02' },
        [{ field: 'jmbg', message: 'does not agree with dateOfBirth' }],
      ],
      [
        { jmbg: '0101990360007', sex: 'F' },
        [{ field: 'jmbg', message: 'does not agree with sex (000-499 male, 500-999 female)' }],
      ],
      [{ jmbg: undefined }, [{ field: 'jmbg', message: 'is required for Serbian citizens' }]],
      [{ jmbg: undefined, citizenship: 'BA' }, [{ field: 'identityDocument', message: 'is required without a JMBG' }]],
      [
        { citizenship: 'ZZ' },
        [{ field: 'citizenship', message: 'citizenship is not a country code ISO 3166-1 assigns' }],
      ],
      [
        {
          jmbg: undefined,
          citizenship: 'BA',
          identityDocument: { type: 'passport', number: 'X1', issuingCountry: 'XK' },
        },
        [
          {
            field: 'identityDocument.issuingCountry',
            message: 'issuingCountry is not a country code ISO 3166-1 assigns',
          },
        ],
      ],
      [
        {
          dateOfBirth: '2990-01-01',
          jmbg: undefined,
          citizenship: 'BA',
          identityDocument: { type: 'passport', number: 'X1', issuingCountry: 'BA' },
        },
        [{ field: 'dateOfBirth', message: 'must not be in the future' }],
      ],
      [
        { managingOfficerId: '00000000-0000-4000-8000-000000000000' },
        [{ field: 'managingOfficerId', message: 'is not an active police officer' }],
      ],
    ])('refuses %j with field errors and records nothing', async (overrides, errors) => {
      const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM persons`);
      const res = await create(valid(overrides));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(errors);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM persons`)).toEqual(before);
    });

    it('registers a foreigner with an identity document; the same document or JMBG twice is 409', async () => {
      const document = { type: 'passport', number: 'BA1234567', issuingCountry: 'BA' };
      const foreigner = await create(valid({ jmbg: undefined, citizenship: 'BA', identityDocument: document }));
      expect(foreigner.status).toBe(201);
      expect(foreigner.body.identityDocument).toEqual(document);
      const again = await create(valid({ jmbg: undefined, citizenship: 'BA', identityDocument: document }));
      expect(again.status).toBe(409);
      const jmbg = nextJmbg();
      expect((await create(valid({ jmbg }))).status).toBe(201);
      expect((await create(valid({ jmbg }))).status).toBe(409);
    });

    it('needs the access reason', async () => {
      const res = await request(t.server).post('/api/v1/persons').set(bearer(clerk.accessToken)).send(valid());
      expect(res.status).toBe(400);
      expect(res.body.type).toBe('urn:register:problem:reason_required');
    });
  });

  describe('read', () => {
    it('shows the DNA reference field to clerks only', async () => {
      const person = await registerPerson(t);
      const byClerk = await request(t.server).get(`/api/v1/persons/${person.id}`).set(as(clerk));
      expect(byClerk.status).toBe(200);
      expect(byClerk.headers.etag).toBe('"1"');
      expect(byClerk.body).toHaveProperty('dnaReference', null);
      const byJudge = await request(t.server).get(`/api/v1/persons/${person.id}`).set(as(judge));
      expect(byJudge.status).toBe(200);
      expect(byJudge.body).not.toHaveProperty('dnaReference');
    });

    it('an officer reads persons of the region; elsewhere is 404, recorded as denied', async () => {
      const inRegion = await registerPerson(t, { regions: ['PU-NIS'] });
      const elsewhere = await registerPerson(t, { regions: ['PU-BEOGRAD'] });
      expect((await request(t.server).get(`/api/v1/persons/${inRegion.id}`).set(as(officerNis))).status).toBe(200);
      const id = rid();
      const res = await request(t.server)
        .get(`/api/v1/persons/${elsewhere.id}`)
        .set(as(officerNis))
        .set('X-Request-Id', id);
      expect(res.status).toBe(404);
      expect(res.body.type).toBe('urn:register:problem:not_found');
      expect((await eventsOf(t, id))[0]).toMatchObject({
        outcome: 'denied',
        http_status: 404,
        resource_id: elsewhere.id,
        subject_person_ids: [elsewhere.id],
      });
      const missing = rid();
      await request(t.server)
        .get('/api/v1/persons/00000000-0000-4000-8000-000000000000')
        .set(as(officerNis))
        .set('X-Request-Id', missing);
      expect((await eventsOf(t, missing))[0]).toMatchObject({ outcome: 'error', http_status: 404 });
    });
  });

  describe('search', () => {
    let petrovic: string;
    let djordjevic: string;

    beforeAll(async () => {
      petrovic = (await registerPerson(t, { surname: 'Petrović', givenNames: 'Marko', regions: ['PU-NIS'] })).id;
      djordjevic = (
        await registerPerson(t, { surname: 'Đorđević', givenNames: 'Đorđe', aliases: ['Ђока'], regions: ['PU-PIROT'] })
      ).id;
      await registerPerson(t, { surname: 'Petrovićević', givenNames: 'Ana', regions: ['PU-NIS'] });
    });

    const search = (account: Tokens, query: string) =>
      request(t.server).get(`/api/v1/persons?${query}`).set(as(account));

    it.each([['petrovic'], ['PETROVIĆ'], ['Петровић'], ['Petrović']])(
      'finds Petrović by %j, the exact surname first',
      async (q) => {
        const res = await search(clerk, `q=${encodeURIComponent(q)}`);
        expect(res.status).toBe(200);
        expect(res.body.items).toContainEqual({
          id: petrovic,
          surname: 'Petrović',
          givenNames: 'Marko',
          dateOfBirth: '1990-01-01',
          compliance: { status: 'none' },
        });
        // Exact surname matches rank before names that only contain it.
        const surnames: string[] = res.body.items.map((i: { surname: string }) => i.surname);
        expect(surnames.lastIndexOf('Petrović')).toBeLessThan(surnames.indexOf('Petrovićević'));
        expect(res.body.items.map((i: { surname: string }) => i.surname)).toContain('Petrovićević');
      },
    );

    it.each([['Djordjevic'], ['Ђорђевић'], ['đorđ'], ['djoka']])('finds Đorđević by %j', async (q) => {
      const res = await search(clerk, `q=${encodeURIComponent(q)}`);
      expect(res.body.items.map((i: { id: string }) => i.id)).toContain(djordjevic);
    });

    it('scopes an officer to the region, in SQL; another region gives an empty list', async () => {
      const res = await search(officerNis, 'q=petrovic');
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(res.body.items.map((i: { id: string }) => i.id)).not.toContain(djordjevic);
      expect((await search(officerNis, 'q=djordjevic')).body.items).toEqual([]);
      expect((await search(officerNis, 'region=PU-PIROT')).body.items).toEqual([]);
    });

    it('pages with a cursor and records every person returned', async () => {
      const first = await search(clerk, 'q=petrovi&limit=1');
      expect(first.body.items).toHaveLength(1);
      const second = await search(clerk, `q=petrovi&limit=1&cursor=${first.body.nextCursor}`);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
      const id = rid();
      const res = await search(clerk, 'q=petrovi').set('X-Request-Id', id);
      const [event] = await eventsOf(t, id);
      expect(event.subject_person_ids.sort()).toEqual(res.body.items.map((i: { id: string }) => i.id).sort());
      expect(event.result_count).toBe(res.body.items.length);
    });

    it('takes several words in any order, each contained in some name', async () => {
      const both = await search(clerk, `q=${encodeURIComponent('marko petrović')}`);
      expect(both.body.items.map((i: { id: string }) => i.id)).toContain(petrovic);
      const reversed = await search(clerk, 'q=petrov%20mark');
      expect(reversed.body.items.map((i: { id: string }) => i.id)).toContain(petrovic);
      const other = await search(clerk, 'q=petrov%20ana');
      expect(other.body.items.map((i: { surname: string }) => i.surname)).toEqual(['Petrovićević']);
    });

    it('follows corrections: a changed surname is found by the new name only', async () => {
      const person = await registerPerson(t, { surname: 'Zlatanović', givenNames: 'Milica' });
      const ids = async (q: string) =>
        (await search(clerk, `q=${q}`)).body.items.map((i: { id: string }) => i.id) as string[];
      expect(await ids('zlatanov')).toContain(person.id);
      const res = await request(t.server)
        .patch(`/api/v1/persons/${person.id}`)
        .set(as(clerk))
        .set('If-Match', '1')
        .send({ surname: 'Srebrnović' });
      expect(res.status).toBe(200);
      expect(await ids('zlatanov')).not.toContain(person.id);
      expect(await ids('srebrnov')).toContain(person.id);
    });

    it("follows a person's regions: an officer finds the person only while it is in the officer's region", async () => {
      const person = await registerPerson(t, { surname: 'Premeštenović', regions: ['PU-PIROT'] });
      const found = async () =>
        (await search(officerNis, 'q=premestenovic')).body.items.map((i: { id: string }) => i.id) as string[];
      expect(await found()).toEqual([]);
      // As a transfer leaves it (the row is written by the register's own services otherwise).
      await t.dataSource.query(`UPDATE persons SET regions = '{PU-NIS}' WHERE id = $1`, [person.id]);
      expect(await found()).toEqual([person.id]);
      expect(
        await t.dataSource.query(`SELECT word, regions FROM person_name_words WHERE person_id = $1 ORDER BY word`, [
          person.id,
        ]),
      ).toEqual([
        { word: 'petar', regions: ['PU-NIS'] },
        { word: 'premestenovic', regions: ['PU-NIS'] },
      ]);
    });

    it.each([
      ['a score that is not a number', ['x', '00000000-0000-4000-8000-000000000000']],
      ['an id that is not a UUID', [0.5, 'not-a-uuid']],
      ['a position of the wrong length', [0.5]],
    ])('refuses a forged cursor with %s, as a 400', async (_, position) => {
      const cursor = Buffer.from(JSON.stringify(position)).toString('base64url');
      const res = await search(clerk, `q=petrovi&cursor=${cursor}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ type: 'urn:register:problem:validation', errors: [{ field: 'cursor' }] });
    });

    it.each([[[1, '00000000-0000-4000-8000-000000000000']], [['petrovic', 'not-a-uuid']], [['a\u0000b', null]]])(
      'refuses the forged cursor %j of the list by surname, as a 400',
      async (position) => {
        const cursor = Buffer.from(JSON.stringify(position)).toString('base64url');
        const res = await search(clerk, `region=PU-NIS&cursor=${cursor}`);
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([{ field: 'cursor', message: 'cursor is not valid' }]);
      },
    );

    it.each([['q=ab'], ['q=' + 'x'.repeat(101)], ['jmbg=123'], ['region=nis'], ['status=late'], ['q=---']])(
      'refuses %s',
      async (query) => {
        expect((await search(clerk, query)).status).toBe(400);
      },
    );
  });

  describe('correction and history', () => {
    it('needs If-Match, refuses a stale version, and records before and after with the reason', async () => {
      const person = await registerPerson(t);
      const url = `/api/v1/persons/${person.id}`;
      expect((await request(t.server).patch(url).set(as(clerk)).send({ placeOfBirth: 'Kraljevo' })).status).toBe(428);
      const ok = await request(t.server)
        .patch(url)
        .set(as(clerk))
        .set('If-Match', '"1"')
        .send({ placeOfBirth: 'Kraljevo', aliases: ['Pera'] });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ placeOfBirth: 'Kraljevo', aliases: ['Pera'], version: 2 });
      expect(ok.headers.etag).toBe('"2"');
      expect(
        (await request(t.server).patch(url).set(as(clerk)).set('If-Match', '1').send({ placeOfBirth: 'X' })).status,
      ).toBe(412);

      const history = await request(t.server).get(`${url}/history`).set(as(clerk));
      expect(history.status).toBe(200);
      expect(history.body.items.map((h: { change: string }) => h.change)).toEqual(['update', 'create']);
      expect(history.body.items[0]).toMatchObject({
        part: 'person',
        partId: person.id,
        reason: 'KT-100/2026',
        actor: expect.objectContaining({ userId: clerk.user.id, role: 'registry_clerk' }),
        before: expect.objectContaining({ placeOfBirth: 'Beograd', aliases: [] }),
        after: expect.objectContaining({ placeOfBirth: 'Kraljevo', aliases: ['Pera'] }),
      });
      // The new alias is searchable.
      const found = await request(t.server).get('/api/v1/persons?q=pera').set(as(clerk));
      expect(found.body.items.map((i: { id: string }) => i.id)).toContain(person.id);
    });

    it('validates the resulting state: a JMBG must still agree with the date of birth', async () => {
      const person = await registerPerson(t);
      const res = await request(t.server)
        .patch(`/api/v1/persons/${person.id}`)
        .set(as(clerk))
        .set('If-Match', '1')
        .send({ dateOfBirth: '1991-01-01' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'jmbg', message: 'does not agree with dateOfBirth' }]);
    });

    it('two concurrent corrections at the same version: one 200, one 412', async () => {
      const person = await registerPerson(t);
      const answers = await Promise.all(
        ['Subotica', 'Sombor'].map((place) =>
          request(t.server)
            .patch(`/api/v1/persons/${person.id}`)
            .set(as(clerk))
            .set('If-Match', '1')
            .send({ placeOfBirth: place }),
        ),
      );
      expect(answers.map((r) => r.status).sort()).toEqual([200, 412]);
    });

    it('pages the history, newest first', async () => {
      const person = await registerPerson(t);
      for (const place of ['Bor', 'Pirot', 'Vranje']) {
        const current = await request(t.server).get(`/api/v1/persons/${person.id}`).set(as(clerk));
        await request(t.server)
          .patch(`/api/v1/persons/${person.id}`)
          .set(as(clerk))
          .set('If-Match', current.headers.etag)
          .send({ placeOfBirth: place });
      }
      const url = `/api/v1/persons/${person.id}/history`;
      const first = await request(t.server).get(`${url}?limit=2`).set(as(clerk));
      expect(first.body.items.map((h: { after: { placeOfBirth: string } }) => h.after.placeOfBirth)).toEqual([
        'Vranje',
        'Pirot',
      ]);
      const second = await request(t.server).get(`${url}?limit=2&cursor=${first.body.nextCursor}`).set(as(clerk));
      expect(second.body.items.map((h: { change: string }) => h.change)).toEqual(['update', 'create']);
      expect(second.body.nextCursor).toBeNull();
    });

    it('answers 100 history entries a page unless asked otherwise', async () => {
      const person = await registerPerson(t);
      await t.dataSource.query(
        `INSERT INTO person_history (person_id, part, part_id, actor, reason, change, before, after)
         SELECT $1, 'person', $1, '{}', 'test', 'update', NULL, NULL FROM generate_series(1, 120)`,
        [person.id],
      );
      const url = `/api/v1/persons/${person.id}/history`;
      const first = await request(t.server).get(url).set(as(clerk));
      expect([first.status, first.body.items.length, typeof first.body.nextCursor]).toEqual([200, 100, 'string']);
      const rest = await request(t.server).get(`${url}?cursor=${first.body.nextCursor}`).set(as(clerk));
      expect([rest.body.items.length, rest.body.nextCursor]).toEqual([21, null]);
    });

    it('nothing in the history can be changed', async () => {
      await expect(t.dataSource.query(`UPDATE person_history SET reason = 'x'`)).rejects.toThrow(/append-only/);
    });
  });

  describe('cross-region lookup', () => {
    it('answers only whether the JMBG is registered, as a flagged event naming the person', async () => {
      const person = await registerPerson(t, { regions: ['PU-BEOGRAD'] });
      const id = rid();
      const res = await request(t.server)
        .get(`/api/v1/persons/lookup?jmbg=${person.jmbg}`)
        .set(as(officerNis))
        .set('X-Request-Id', id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ registered: true, activeMeasures: [], banPlacesWithMinors: false });
      expect((await eventsOf(t, id))[0]).toMatchObject({
        action: 'person.lookup',
        flagged: true,
        subject_person_ids: [person.id],
      });
      const unknown = await request(t.server).get(`/api/v1/persons/lookup?jmbg=${nextJmbg()}`).set(as(officerNis));
      expect(unknown.body).toEqual({ registered: false, activeMeasures: [], banPlacesWithMinors: false });
    });
  });

  describe('reference data', () => {
    it('lists the 27 police administrations, the offences and the measure types', async () => {
      const administrations = await request(t.server)
        .get('/api/v1/reference/police-administrations')
        .set(bearer(judge.accessToken));
      expect(administrations.body.items).toHaveLength(27);
      expect(administrations.body.items).toContainEqual({ code: 'PU-SABAC', name: 'Šabac' });
      const offences = await request(t.server).get('/api/v1/reference/offences').set(bearer(judge.accessToken));
      expect(offences.body.items.map((o: { article: string }) => o.article)).toEqual([
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
      const types = await request(t.server).get('/api/v1/reference/measure-types').set(bearer(judge.accessToken));
      expect(types.body.items.map((m: { type: string }) => m.type)).toEqual([
        'periodic_reporting',
        'ban_places_with_minors',
        'counselling',
        'notify_changes',
        'notify_travel_abroad',
      ]);
    });
  });
});
