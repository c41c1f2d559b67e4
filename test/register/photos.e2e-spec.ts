import { createHash } from 'node:crypto';
import request from 'supertest';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { REASON, registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABXvMqGgAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 1), Buffer.from([0xff, 0xd9])]);

describe('photos', () => {
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
  const upload = (personId: string, data: Buffer, name = 'photo.png', field = 'file') =>
    request(t.server).post(`/api/v1/persons/${personId}/photos`).set(as(clerk)).attach(field, data, name);

  it('stores a PNG and a JPEG with their SHA-256, and serves them with their type, never cached', async () => {
    const person = await registerPerson(t, { regions: ['PU-NIS'] });
    const png = await upload(person.id, PNG);
    expect(png.status).toBe(201);
    expect(png.body).toEqual({
      id: expect.any(String),
      sha256: createHash('sha256').update(PNG).digest('hex'),
      takenAt: expect.any(String),
      contentType: 'image/png',
      sizeBytes: PNG.length,
    });
    const jpeg = await upload(person.id, JPEG, 'portrait.jpg');
    expect(jpeg.body.contentType).toBe('image/jpeg');

    const image = await request(t.server)
      .get(`/api/v1/persons/${person.id}/photos/${png.body.id}`)
      .set(as(officerNis))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['cache-control']).toBe('no-store');
    expect(Buffer.compare(image.body as Buffer, PNG)).toBe(0);

    const list = await request(t.server).get(`/api/v1/persons/${person.id}/photos`).set(as(officerNis));
    expect(list.body.items.map((p: { id: string }) => p.id).sort()).toEqual([png.body.id, jpeg.body.id].sort());
    // The role table gives judicial officers persons (the person's view lists the photos), not the photos themselves.
    const seen = await request(t.server).get(`/api/v1/persons/${person.id}`).set(as(judge));
    expect(seen.body.photos).toHaveLength(2);
    const refused = await request(t.server).get(`/api/v1/persons/${person.id}/photos`).set(as(judge));
    expect([refused.status, refused.body.type]).toEqual([403, 'urn:register:problem:forbidden']);
  });

  it('refuses a script named .png (by content), an empty file and another field', async () => {
    const person = await registerPerson(t);
    const script = await upload(person.id, Buffer.from('#!/bin/sh\nrm -rf /\n'), 'innocent.png');
    expect(script.status).toBe(415);
    expect(script.body.type).toBe('urn:register:problem:unsupported_media_type');
    expect((await upload(person.id, PNG, 'p.png', 'image')).status).toBe(400);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM photos WHERE person_id = $1`, [person.id]);
    expect(n).toBe(0);
  });

  it('refuses 6 MiB with 413 and stores nothing', async () => {
    const person = await registerPerson(t);
    const big = Buffer.concat([PNG, Buffer.alloc(6 * 1024 * 1024)]);
    const res = await upload(person.id, big);
    expect(res.status).toBe(413);
    expect(res.body.type).toBe('urn:register:problem:payload_too_large');
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM photos WHERE person_id = $1`, [person.id]);
    expect(n).toBe(0);
  });

  it('JSON is not a photo upload', async () => {
    const person = await registerPerson(t);
    const res = await request(t.server).post(`/api/v1/persons/${person.id}/photos`).set(as(clerk)).send({ file: 'x' });
    expect(res.status).toBe(415);
  });
});
