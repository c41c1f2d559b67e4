import request from 'supertest';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { REASON, registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

describe('workplaces', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let officerNis: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await signedIn(t, 'registry_clerk');
    officerNis = await signedIn(t, 'police_officer', 'PU-NIS');
  });

  afterAll(async () => {
    await t.close();
  });

  const as = (account: Tokens) => ({ ...bearer(account.accessToken), ...REASON });
  const job = (overrides: object = {}) => ({
    employer: 'Gradsko zelenilo',
    address: 'Bulevar Nemanjića 2, Niš',
    involvesMinors: false,
    validFrom: '2026-02-01',
    ...overrides,
  });

  it('an officer records workplaces of persons in the region; a new one closes the current one', async () => {
    const person = await registerPerson(t, { regions: ['PU-NIS'] });
    const url = `/api/v1/persons/${person.id}/workplaces`;
    const first = await request(t.server).post(url).set(as(officerNis)).send(job());
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      id: expect.any(String),
      ...job(),
      publicOffice: false,
      validTo: null,
      version: 1,
      warnings: [],
    });
    const second = await request(t.server)
      .post(url)
      .set(as(officerNis))
      .send(job({ employer: 'Škola', involvesMinors: true, validFrom: '2026-09-01' }));
    expect(second.status).toBe(201);
    const list = await request(t.server).get(url).set(as(officerNis));
    expect(list.body.items.map((w: { employer: string; validTo: string | null }) => [w.employer, w.validTo])).toEqual([
      ['Škola', null],
      ['Gradsko zelenilo', '2026-09-01'],
    ]);
    const seen = await request(t.server).get(`/api/v1/persons/${person.id}`).set(as(clerk));
    expect(seen.body.currentWorkplace).toMatchObject({ employer: 'Škola', involvesMinors: true });
    expect(
      (
        await request(t.server)
          .post(url)
          .set(as(officerNis))
          .send(job({ validFrom: '2026-08-01' }))
      ).status,
    ).toBe(409);
  });

  it('outside the region an officer gets 404; a clerk corrects with If-Match', async () => {
    const person = await registerPerson(t, { regions: ['PU-PIROT'] });
    const url = `/api/v1/persons/${person.id}/workplaces`;
    expect((await request(t.server).post(url).set(as(officerNis)).send(job())).status).toBe(404);
    const created = (await request(t.server).post(url).set(as(clerk)).send(job())).body;
    const fixed = await request(t.server)
      .patch(`${url}/${created.id}`)
      .set(as(clerk))
      .set('If-Match', '1')
      .send({ involvesMinors: true });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ involvesMinors: true, version: 2 });
    expect(
      (
        await request(t.server)
          .patch(`${url}/${created.id}`)
          .set(as(clerk))
          .set('If-Match', '1')
          .send({ employer: 'X' })
      ).status,
    ).toBe(412);
    expect(
      (
        await request(t.server)
          .post(url)
          .set(as(clerk))
          .send(job({ involvesMinors: 'yes' }))
      ).status,
    ).toBe(400);
  });
});
