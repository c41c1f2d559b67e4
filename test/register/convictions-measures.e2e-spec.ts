import request from 'supertest';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { insertConviction, REASON, registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

describe('convictions and measures', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let officerNis: TestAccount & Tokens;
  let officerBg: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp({ MEASURE_MAX_YEARS: '20', REPORTING_EVERY_DAYS: '30' });
    clerk = await signedIn(t, 'registry_clerk');
    officerNis = await signedIn(t, 'police_officer', 'PU-NIS');
    officerBg = await signedIn(t, 'police_officer', 'PU-BEOGRAD');
  });

  afterAll(async () => {
    await t.close();
  });

  const as = (account: Tokens) => ({ ...bearer(account.accessToken), ...REASON });
  const conviction = (overrides: object = {}) => ({
    court: 'Viši sud u Nišu',
    caseNumber: 'K 12/2019',
    judgmentDate: '2019-05-10',
    finalityDate: '2019-09-01',
    offences: [{ article: '178', paragraph: 3 }, { article: '185b' }],
    victimAge: 'child',
    sentence: { kind: 'imprisonment', months: 72 },
    releaseDate: '2025-05-10',
    ...overrides,
  });
  const reporting = (overrides: object = {}) => ({
    type: 'periodic_reporting',
    startsOn: '2025-05-11',
    endsOn: '2035-05-10',
    reportTo: 'PU-NIS',
    ...overrides,
  });
  const post = (personId: string, part: string, body: object) =>
    request(t.server).post(`/api/v1/persons/${personId}/${part}`).set(as(clerk)).send(body);

  it('records a conviction with its legal consequences; the ban runs 20 years from release', async () => {
    const person = await registerPerson(t);
    const res = await post(person.id, 'convictions', conviction());
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      court: 'Viši sud u Nišu',
      caseNumber: 'K 12/2019',
      judgmentDate: '2019-05-10',
      finalityDate: '2019-09-01',
      offences: [
        { article: '178', paragraph: 3 },
        { article: '185b', paragraph: null },
      ],
      victimAge: 'child',
      sentence: { kind: 'imprisonment', months: 72 },
      releaseDate: '2025-05-10',
      custodyFrom: '2019-09-01',
      releasedOn: null,
      releaseFacility: null,
      legalConsequences: [
        { kind: 'termination_of_public_office', until: null },
        { kind: 'termination_of_employment_with_minors', until: null },
        { kind: 'ban_on_public_office', until: null },
        { kind: 'ban_on_employment_with_minors', until: '2045-05-10' },
      ],
      version: 1,
    });
    const seen = await request(t.server).get(`/api/v1/persons/${person.id}`).set(as(clerk));
    expect(seen.body.convictions).toEqual([res.body]);
  });

  it.each([
    [{ finalityDate: '2019-05-01' }, 'finalityDate', 'must not be before judgmentDate'],
    [{ releaseDate: '2019-01-01' }, 'releaseDate', 'must not be before judgmentDate'],
    [{ offences: [{ article: '999' }] }, 'offences.0.article', 'is not an offence covered by the law'],
    [{ offences: [{ article: '178', paragraph: 1 }] }, 'offences.0.paragraph', 'must be one of 3, 4 for article 178'],
    [{ sentence: { kind: 'imprisonment' } }, 'sentence.months', 'is required for imprisonment'],
    [{ judgmentDate: '2019-02-30' }, 'judgmentDate', 'is not a real date'],
  ])('refuses a conviction with %j', async (overrides, field, message) => {
    const person = await registerPerson(t);
    const res = await post(person.id, 'convictions', conviction(overrides));
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ field, message });
  });

  it('a measure needs a conviction with a release date, and ends at most 20 years after release', async () => {
    const person = await registerPerson(t);
    const without = await post(person.id, 'measures', reporting());
    expect(without.status).toBe(400);
    expect(without.body.errors).toEqual([
      { field: 'endsOn', message: 'needs a conviction of the person with a release date' },
    ]);
    await insertConviction(t, person.id, '2025-05-10');
    const tooLong = await post(person.id, 'measures', reporting({ endsOn: '2045-05-11' }));
    expect(tooLong.body.errors).toEqual([
      { field: 'endsOn', message: 'must be at most 20 years after release (2045-05-10)' },
    ]);
    const ok = await post(person.id, 'measures', reporting({ endsOn: '2045-05-10' }));
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({
      id: expect.any(String),
      type: 'periodic_reporting',
      startsOn: '2025-05-11',
      endsOn: '2045-05-10',
      reportTo: 'PU-NIS',
      everyDays: 30,
      schedule: { kind: 'every_days', everyDays: 30, weekdays: null },
      uiks: null,
      counselling: null,
      status: 'active',
      statusChangedOn: null,
      version: 1,
    });
  });

  it.each([
    [{ reportTo: undefined }, 'reportTo', 'is required for periodic_reporting'],
    [{ reportTo: 'PU-ATLANTIDA' }, 'reportTo', 'is not a known police administration code'],
    [{ type: 'counselling' }, 'reportTo', 'is only for periodic_reporting'],
    [{ endsOn: '2025-05-11' }, 'endsOn', 'must be after startsOn'],
    [{ everyDays: 400 }, 'everyDays', 'everyDays must not be greater than 366'],
  ])('refuses a measure with %j', async (overrides, field, message) => {
    const person = await registerPerson(t);
    await insertConviction(t, person.id, '2025-05-10');
    const res = await post(person.id, 'measures', reporting(overrides));
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ field, message });
  });

  it('active reporting puts the person in the reportTo region; suspend, resume and end follow the rules', async () => {
    const person = await registerPerson(t);
    await insertConviction(t, person.id, '2025-05-10');
    const measure = (await post(person.id, 'measures', reporting())).body;
    expect((await request(t.server).get(`/api/v1/persons/${person.id}`).set(as(officerNis))).status).toBe(200);

    const url = `/api/v1/persons/${person.id}/measures/${measure.id}`;
    const act = (version: number, action: string, effectiveOn = '2026-01-01') =>
      request(t.server).patch(url).set(as(clerk)).set('If-Match', String(version)).send({ action, effectiveOn });
    expect((await act(1, 'resume')).status).toBe(409);
    const suspended = await act(1, 'suspend');
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ status: 'suspended', statusChangedOn: '2026-01-01', version: 2 });
    // A suspended measure does not place the person in the region.
    expect((await request(t.server).get(`/api/v1/persons/${person.id}`).set(as(officerNis))).status).toBe(404);
    expect((await act(1, 'resume')).status).toBe(412);
    expect((await act(2, 'resume')).body).toMatchObject({ status: 'active', version: 3 });
    expect((await act(3, 'end', '2026-06-30')).body).toMatchObject({
      status: 'ended',
      endsOn: '2026-06-30',
      version: 4,
    });
    expect((await act(4, 'suspend')).status).toBe(409);
    const history = await request(t.server).get(`/api/v1/persons/${person.id}/history`).set(as(clerk));
    expect(
      history.body.items.filter((h: { part: string }) => h.part === 'measure').map((h: { change: string }) => h.change),
    ).toEqual(['end', 'resume', 'suspend', 'create']);
  });

  it('a transfer re-points active reporting to the new administration, with the reason "transfer"', async () => {
    const person = await registerPerson(t);
    await insertConviction(t, person.id, '2025-05-10');
    const measure = (await post(person.id, 'measures', reporting())).body;
    const address = { kind: 'permanent', street: 'Ulica 1', city: 'Niš', postalCode: '18000', validFrom: '2026-01-01' };
    await post(person.id, 'addresses', { ...address, policeAdministration: 'PU-NIS' });
    await post(person.id, 'addresses', {
      ...address,
      city: 'Beograd',
      postalCode: '11000',
      policeAdministration: 'PU-BEOGRAD',
      validFrom: '2026-09-01',
    });
    const measures = await request(t.server).get(`/api/v1/persons/${person.id}/measures`).set(as(officerBg));
    expect(measures.status).toBe(200);
    expect(measures.body.items).toEqual([
      expect.objectContaining({ id: measure.id, reportTo: 'PU-BEOGRAD', version: 2 }),
    ]);
    expect((await request(t.server).get(`/api/v1/persons/${person.id}`).set(as(officerNis))).status).toBe(404);
    const history = await request(t.server).get(`/api/v1/persons/${person.id}/history`).set(as(clerk));
    expect(
      history.body.items.find((h: { part: string; change: string }) => h.part === 'measure' && h.change === 'transfer'),
    ).toMatchObject({
      reason: 'transfer',
      before: expect.objectContaining({ reportTo: 'PU-NIS' }),
      after: expect.objectContaining({ reportTo: 'PU-BEOGRAD' }),
    });
  });

  it('the lookup names the active measures and the ban on places with minors', async () => {
    const person = await registerPerson(t);
    await insertConviction(t, person.id, '2025-05-10');
    await post(person.id, 'measures', reporting());
    await post(person.id, 'measures', { type: 'ban_places_with_minors', startsOn: '2025-05-11', endsOn: '2035-05-10' });
    const res = await request(t.server).get(`/api/v1/persons/lookup?jmbg=${person.jmbg}`).set(as(officerBg));
    expect(res.body).toEqual({
      registered: true,
      activeMeasures: ['ban_places_with_minors', 'periodic_reporting'],
      banPlacesWithMinors: true,
    });
  });

  it('a clerk corrects a conviction with If-Match', async () => {
    const person = await registerPerson(t);
    const created = (await post(person.id, 'convictions', conviction())).body;
    const url = `/api/v1/persons/${person.id}/convictions/${created.id}`;
    expect((await request(t.server).patch(url).set(as(clerk)).send({ caseNumber: 'X' })).status).toBe(428);
    const ok = await request(t.server)
      .patch(url)
      .set(as(clerk))
      .set('If-Match', '1')
      .send({ releaseDate: '2026-01-10' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ releaseDate: '2026-01-10', version: 2 });
    expect(ok.body.legalConsequences[3]).toEqual({ kind: 'ban_on_employment_with_minors', until: '2046-01-10' });
    expect(
      (await request(t.server).patch(url).set(as(clerk)).set('If-Match', '1').send({ caseNumber: 'Y' })).status,
    ).toBe(412);
  });
});
