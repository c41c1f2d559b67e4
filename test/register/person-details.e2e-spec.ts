import request from 'supertest';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { REASON, registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

describe('DNA reference and physical description', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let judge: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await signedIn(t, 'registry_clerk');
    judge = await signedIn(t, 'judicial_officer');
  });

  afterAll(async () => {
    await t.close();
  });

  const as = (account: Tokens) => ({ ...bearer(account.accessToken), ...REASON });
  const dna = {
    laboratory: 'NCFE Beograd',
    sampleId: 'S-2026-1',
    profileReference: 'RS-DNA-0001',
    collectedOn: '2026-10-01',
  };
  const description = {
    heightCm: 182,
    weightKg: 80,
    eyeColour: 'brown',
    hairColour: 'black',
    build: 'athletic',
    distinguishingMarks: [{ bodyPart: 'left forearm', description: 'tattoo of an anchor' }],
  };

  it('a PUT creates (201, no If-Match), then replacing needs If-Match (428), refuses a stale one (412), answers 200', async () => {
    const person = await registerPerson(t);
    const url = `/api/v1/persons/${person.id}/dna-reference`;
    const created = await request(t.server).put(url).set(as(clerk)).send(dna);
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toEqual({ ...dna, version: 1 });
    expect((await request(t.server).put(url).set(as(clerk)).send(dna)).status).toBe(428);
    const replaced = await request(t.server)
      .put(url)
      .set(as(clerk))
      .set('If-Match', '"1"')
      .send({ ...dna, sampleId: 'S-2026-2' });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual({ ...dna, sampleId: 'S-2026-2', version: 2 });
    expect((await request(t.server).put(url).set(as(clerk)).set('If-Match', '1').send(dna)).status).toBe(412);
    const history = await request(t.server).get(`/api/v1/persons/${person.id}/history`).set(as(clerk));
    expect(
      history.body.items
        .filter((h: { part: string }) => h.part === 'dna_reference')
        .map((h: { change: string }) => h.change),
    ).toEqual(['update', 'create']);
  });

  it('shows the DNA reference to clerks only, the description to every reader; the person’s version stays', async () => {
    const person = await registerPerson(t);
    await request(t.server).put(`/api/v1/persons/${person.id}/dna-reference`).set(as(clerk)).send(dna);
    const put = await request(t.server)
      .put(`/api/v1/persons/${person.id}/physical-description`)
      .set(as(clerk))
      .send(description);
    expect(put.status).toBe(201);
    const byClerk = await request(t.server).get(`/api/v1/persons/${person.id}`).set(as(clerk));
    expect(byClerk.body.dnaReference).toEqual({ ...dna, version: 1 });
    expect(byClerk.body.physicalDescription).toEqual({ ...description, version: 1 });
    expect(byClerk.body.version).toBe(1);
    const byJudge = await request(t.server).get(`/api/v1/persons/${person.id}`).set(as(judge));
    expect(byJudge.body).not.toHaveProperty('dnaReference');
    expect(byJudge.body.physicalDescription).toEqual({ ...description, version: 1 });
    expect(JSON.stringify(byJudge.body)).not.toContain('RS-DNA-0001');
  });

  it.each([
    ['dna-reference', { ...dna, collectedOn: '2999-01-01' }, 'collectedOn'],
    ['dna-reference', { ...dna, profile: 'ACGT' }, 'profile'],
    ['physical-description', { ...description, heightCm: 20 }, 'heightCm'],
    [
      'physical-description',
      { ...description, distinguishingMarks: [{ bodyPart: 'arm', description: 'x'.repeat(201) }] },
      'distinguishingMarks.0.description',
    ],
  ])('PUT %s refuses %j naming %s', async (part, body, field) => {
    const person = await registerPerson(t);
    const res = await request(t.server).put(`/api/v1/persons/${person.id}/${part}`).set(as(clerk)).send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('an unknown person is 404', async () => {
    const res = await request(t.server)
      .put('/api/v1/persons/00000000-0000-4000-8000-000000000000/physical-description')
      .set(as(clerk))
      .send(description);
    expect(res.status).toBe(404);
  });
});
