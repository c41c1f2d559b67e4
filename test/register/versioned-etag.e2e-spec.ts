import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { REASON, registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

/** `@VersionedETag()`: the ETag is the version of the resource the route returns, and only on success. */
describe('ETag from the returned version', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await signedIn(t, 'registry_clerk');
  });

  afterAll(async () => {
    await t.close();
  });

  const as = (account: Tokens) => ({ ...bearer(account.accessToken), ...REASON });

  it('a read and a correction answer with the version they return', async () => {
    const person = await registerPerson(t);
    const url = `/api/v1/persons/${person.id}`;
    const read = await request(t.server).get(url).set(as(clerk));
    expect(read.status).toBe(200);
    expect(read.body.version).toBe(1);
    expect(read.headers.etag).toBe('"1"');
    const corrected = await request(t.server)
      .patch(url)
      .set(as(clerk))
      .set('If-Match', read.headers.etag)
      .send({ placeOfBirth: 'Kraljevo' });
    expect(corrected.status).toBe(200);
    expect(corrected.body.version).toBe(2);
    expect(corrected.headers.etag).toBe('"2"');
    expect((await request(t.server).get(url).set(as(clerk))).headers.etag).toBe('"2"');
  });

  it('a PUT that creates (201) or replaces (200) answers with the new version', async () => {
    const person = await registerPerson(t);
    const url = `/api/v1/persons/${person.id}/physical-description`;
    const body = { heightCm: 182, eyeColour: 'brown', hairColour: 'black', distinguishingMarks: [] };
    const created = await request(t.server).put(url).set(as(clerk)).send(body);
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const replaced = await request(t.server)
      .put(url)
      .set(as(clerk))
      .set('If-Match', created.headers.etag)
      .send({ ...body, heightCm: 183 });
    expect(replaced.status).toBe(200);
    expect(replaced.body.version).toBe(2);
    expect(replaced.headers.etag).toBe('"2"');
  });

  it('an error answer has no ETag', async () => {
    const person = await registerPerson(t);
    const url = `/api/v1/persons/${person.id}`;
    const missing = await request(t.server).get(`/api/v1/persons/${randomUUID()}`).set(as(clerk));
    expect(missing.status).toBe(404);
    expect(missing.headers.etag).toBeUndefined();
    const stale = await request(t.server).patch(url).set(as(clerk)).set('If-Match', '"7"').send({ placeOfBirth: 'X' });
    expect(stale.status).toBe(412);
    expect(stale.headers.etag).toBeUndefined();
    const invalid = await request(t.server).patch(url).set(as(clerk)).set('If-Match', '"1"').send({ sex: 'X' });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.etag).toBeUndefined();
  });
});
