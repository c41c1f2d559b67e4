import { createHash } from 'node:crypto';
import request from 'supertest';
import { eventsOf, rid } from '../support/audit';
import { randomBytes } from 'node:crypto';
import { RequestAudit } from '@app/audit';
import { UsersService } from '@app/identity';
import { bearer, login, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { PNG_BYTES } from '../support/records';
import { insertConviction, insertMeasure, REASON, registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

/** A small but real-looking PDF (what the sniffing knows it by is the `%PDF-` header). */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
    'trailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);
const TODAY = new Date().toISOString().slice(0, 10);

describe('duties acknowledged', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let judge: TestAccount & Tokens;
  let admin: TestAccount & Tokens;
  let officerNis: TestAccount & Tokens;
  let officerBeograd: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await signedIn(t, 'registry_clerk');
    judge = await signedIn(t, 'judicial_officer');
    admin = await signedIn(t, 'admin');
    officerNis = await signedIn(t, 'police_officer', 'PU-NIS');
    officerBeograd = await signedIn(t, 'police_officer', 'PU-BEOGRAD');
  });

  afterAll(async () => {
    await t?.close();
  });

  const as = (account: Tokens, requestId = rid('ack')) => ({
    ...bearer(account.accessToken),
    ...REASON,
    'X-Request-Id': requestId,
  });
  const url = (personId: string, rest = '') => `/api/v1/persons/${personId}/acknowledgements${rest}`;

  /** A person in PU-NIS with a conviction and two measures (reporting and a ban). */
  async function personWithMeasures(): Promise<{ personId: string; reporting: string; ban: string }> {
    const person = await registerPerson(t, { regions: ['PU-NIS'] });
    await insertConviction(t, person.id);
    const reporting = await insertMeasure(t, person.id, 'PU-NIS');
    const [{ id: ban }] = await t.dataSource.query(
      `INSERT INTO measures (person_id, type, starts_on, ends_on)
       VALUES ($1, 'ban_places_with_minors', '2025-06-02', '2030-06-01') RETURNING id`,
      [person.id],
    );
    return { personId: person.id, reporting, ban };
  }

  function upload(
    account: Tokens,
    personId: string,
    fields: Record<string, string | string[]>,
    file: Buffer = PDF,
    requestId = rid('ack'),
  ) {
    let call = request(t.server).post(url(personId)).set(as(account, requestId));
    for (const [name, value] of Object.entries(fields)) {
      for (const one of Array.isArray(value) ? value : [value]) call = call.field(name, one);
    }
    return call.attach('file', file, 'form.pdf');
  }

  const valid = (measureIds: string[]) => ({
    measureIds: JSON.stringify(measureIds),
    explainedOn: TODAY,
    explainedBy: 'Milan Jović, savetnik za izvršenje',
  });

  const stored = async (personId: string): Promise<number> => {
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM acknowledgements WHERE person_id = $1`, [
      personId,
    ]);
    return n;
  };

  const flags = async (account: Tokens, personId: string) => {
    const res = await request(t.server).get(`/api/v1/persons/${personId}`).set(as(account));
    expect(res.status).toBe(200);
    return Object.fromEntries(
      (res.body.measures as { id: string; acknowledged: boolean }[]).map((m) => [m.id, m.acknowledged]),
    );
  };

  it('describes the multipart form in the served OpenAPI document', async () => {
    const doc = await request(t.server).get('/api/docs-json');
    const post = doc.body.paths['/api/v1/persons/{id}/acknowledgements'].post;
    const schema = post.requestBody.content['multipart/form-data'].schema;
    expect(schema.required).toEqual(['file', 'measureIds', 'explainedOn', 'explainedBy']);
    expect(schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    const form = doc.body.paths['/api/v1/persons/{id}/acknowledgements/{acknowledgementId}/form'].get;
    expect(Object.keys(form.responses['200'].content).sort()).toEqual(['application/pdf', 'image/jpeg', 'image/png']);
  });

  it('refuses roles that may not record (403) and readers of another region (404, recorded as denied)', async () => {
    const { personId, reporting } = await personWithMeasures();
    for (const account of [officerNis, judge, admin]) {
      const res = await upload(account, personId, valid([reporting]));
      expect([res.status, res.body.type]).toEqual([403, 'urn:register:problem:forbidden']);
    }
    const adminList = await request(t.server).get(url(personId)).set(as(admin));
    expect(adminList.status).toBe(403);

    const requestId = rid('ack-elsewhere');
    const elsewhere = await request(t.server).get(url(personId)).set(as(officerBeograd, requestId));
    expect([elsewhere.status, elsewhere.body.type, elsewhere.body.detail]).toEqual([
      404,
      'urn:register:problem:not_found',
      'No such person.',
    ]);
    const [event] = await eventsOf(t, requestId);
    expect([event.action, event.outcome, event.http_status, event.subject_person_ids]).toEqual([
      'acknowledgement.list',
      'denied',
      404,
      [personId],
    ]);
    expect(await stored(personId)).toBe(0);
  });

  it('lets a clerk of a UIKS office acknowledge for the persons the office serves, and no other (404, denied)', async () => {
    const officeClerk = async (office: string): Promise<TestAccount & Tokens> => {
      const username = `clerk.${office.toLowerCase()}.${randomBytes(3).toString('hex')}`;
      const password = `Pw-${randomBytes(12).toString('base64url')}`;
      const user = await t.app.get(UsersService).create(RequestAudit.system('user.create'), null, {
        username,
        password,
        displayName: `Clerk ${office}`,
        role: 'registry_clerk',
        organisation: 'UIKS',
        region: null,
        office,
      });
      const account = { user, username, password };
      return { ...account, ...(await login(t, account)) };
    };
    const nis = await officeClerk('UIKS-NIS');
    const beograd = await officeClerk('UIKS-BEOGRAD');
    const { personId, reporting } = await personWithMeasures();

    const requestId = rid('ack-office');
    const refused = await upload(beograd, personId, valid([reporting]), PDF, requestId);
    expect([refused.status, refused.body.detail]).toEqual([404, 'No such person.']);
    const [event] = await eventsOf(t, requestId);
    expect([event.action, event.outcome, event.subject_person_ids]).toEqual([
      'acknowledgement.create',
      'denied',
      [personId],
    ]);
    expect(await stored(personId)).toBe(0);
    expect((await request(t.server).get(url(personId)).set(as(beograd))).status).toBe(404);

    const recorded = await upload(nis, personId, valid([reporting]));
    expect(recorded.status).toBe(201);
    expect((await request(t.server).get(url(personId)).set(as(nis))).body.items).toHaveLength(1);
  });

  it('refuses a form that is not a PDF or image by its content (415), stores nothing, records an error', async () => {
    const { personId, reporting } = await personWithMeasures();
    const requestId = rid('ack-415');
    const script = Buffer.from('#!/bin/sh\necho signed\n');
    const res = await upload(clerk, personId, valid([reporting]), script, requestId);
    expect([res.status, res.body.type]).toEqual([415, 'urn:register:problem:unsupported_media_type']);
    const [event] = await eventsOf(t, requestId);
    expect([event.action, event.outcome, event.http_status, event.subject_person_ids]).toEqual([
      'acknowledgement.create',
      'error',
      415,
      [personId],
    ]);
    expect(await stored(personId)).toBe(0);
  });

  it('takes a form larger than a photo may be, and refuses one over 10 MiB with 413, storing nothing', async () => {
    const { personId, reporting } = await personWithMeasures();
    const scanned = Buffer.concat([PDF, Buffer.alloc(6 * 1024 * 1024)]);
    const accepted = await upload(clerk, personId, valid([reporting]), scanned);
    expect([accepted.status, accepted.body.form.sizeBytes]).toEqual([201, scanned.length]);
    await t.dataSource.query(`DELETE FROM acknowledgements WHERE person_id = $1`, [personId]);
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
    const res = await upload(clerk, personId, valid([reporting]), big);
    expect([res.status, res.body.type]).toEqual([413, 'urn:register:problem:payload_too_large']);
    expect(await stored(personId)).toBe(0);
  });

  it('refuses a measure of another person, malformed fields and a future day (400), storing nothing', async () => {
    const { personId, reporting } = await personWithMeasures();
    const other = await personWithMeasures();
    const strange = await upload(clerk, personId, valid([reporting, other.reporting]));
    expect([strange.status, strange.body.type]).toEqual([400, 'urn:register:problem:validation']);
    expect(strange.body.errors).toEqual([
      { field: 'measureIds', message: `${other.reporting}: not a measure of this person` },
    ]);

    const cases: [Record<string, string | string[]>, string][] = [
      [{ ...valid([reporting]), measureIds: '[]' }, 'measureIds'],
      [{ ...valid([reporting]), measureIds: '[not json' }, 'measureIds'],
      [{ ...valid([reporting]), measureIds: 'x' }, 'measureIds'],
      [{ ...valid([reporting]), explainedOn: '2026-02-30' }, 'explainedOn'],
      [{ ...valid([reporting]), explainedOn: '2999-01-01' }, 'explainedOn'],
      [{ ...valid([reporting]), explainedBy: '' }, 'explainedBy'],
      [{ ...valid([reporting]), explainedBy: ['A', 'B'] }, 'explainedBy'],
      [{ ...valid([reporting]), surprise: 'x' }, 'surprise'],
    ];
    for (const [fields, field] of cases) {
      const res = await upload(clerk, personId, fields);
      expect([field, res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([
        field,
        400,
        [field],
      ]);
    }
    const noFile = await request(t.server).post(url(personId)).set(as(clerk)).field('explainedBy', 'X');
    expect(noFile.status).toBe(400);
    expect(await stored(personId)).toBe(0);
  });

  it('records an acknowledgement, serves the form byte for byte, never cached, to readers of the measures', async () => {
    const { personId, reporting, ban } = await personWithMeasures();
    expect(await flags(clerk, personId)).toEqual({ [reporting]: false, [ban]: false });

    const requestId = rid('ack-create');
    // The measures as the field repeated, once per id.
    const res = await upload(clerk, personId, { ...valid([]), measureIds: [reporting] }, PDF, requestId);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      measureIds: [reporting],
      explainedOn: TODAY,
      explainedBy: 'Milan Jović, savetnik za izvršenje',
      form: {
        contentType: 'application/pdf',
        sha256: createHash('sha256').update(PDF).digest('hex'),
        sizeBytes: PDF.length,
      },
      recordedBy: clerk.user.id,
      createdAt: expect.any(String),
      voidedAt: null,
      voidedBy: null,
      voidReason: null,
      version: 1,
    });
    const [event] = await eventsOf(t, requestId);
    expect([event.action, event.outcome, event.http_status, event.resource_type, event.resource_id]).toEqual([
      'acknowledgement.create',
      'allowed',
      201,
      'acknowledgement',
      res.body.id,
    ]);
    expect(await flags(judge, personId)).toEqual({ [reporting]: true, [ban]: false });
    const measures = await request(t.server).get(`/api/v1/persons/${personId}/measures`).set(as(officerNis));
    expect(
      Object.fromEntries(measures.body.items.map((m: { id: string; acknowledged: boolean }) => [m.id, m.acknowledged])),
    ).toEqual({ [reporting]: true, [ban]: false });

    // A PNG scan, the measures as a JSON array.
    const png = await upload(clerk, personId, valid([reporting, ban]), PNG_BYTES);
    expect([png.status, png.body.form.contentType, png.body.measureIds]).toEqual([201, 'image/png', [reporting, ban]]);

    for (const reader of [clerk, officerNis, judge]) {
      const readId = rid('ack-form');
      const form = await request(t.server)
        .get(url(personId, `/${res.body.id}/form`))
        .set(as(reader, readId))
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (chunk: Buffer) => chunks.push(chunk));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(form.status).toBe(200);
      expect(form.headers['content-type']).toBe('application/pdf');
      expect(form.headers['cache-control']).toBe('no-store');
      expect(form.headers['x-content-type-options']).toBe('nosniff');
      expect(form.headers['content-disposition']).toBe(`attachment; filename="acknowledgement-${res.body.id}.pdf"`);
      expect(Buffer.compare(form.body as Buffer, PDF)).toBe(0);
      expect(
        createHash('sha256')
          .update(form.body as Buffer)
          .digest('hex'),
      ).toBe(res.body.form.sha256);
      const [read] = await eventsOf(t, readId);
      expect([read.action, read.outcome, read.resource_id, read.result_count]).toEqual([
        'acknowledgement.read',
        'allowed',
        res.body.id,
        1,
      ]);
    }
    const elsewhere = await request(t.server)
      .get(url(personId, `/${res.body.id}/form`))
      .set(as(officerBeograd));
    expect(elsewhere.status).toBe(404);
    const otherPerson = await personWithMeasures();
    const wrongPerson = await request(t.server)
      .get(url(otherPerson.personId, `/${res.body.id}/form`))
      .set(as(clerk));
    expect([wrongPerson.status, wrongPerson.body.detail]).toEqual([404, 'No such acknowledgement.']);

    const list = await request(t.server).get(url(personId)).set(as(judge));
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: { id: string }) => a.id).sort()).toEqual([res.body.id, png.body.id].sort());
    expect(list.body.items[0]).not.toHaveProperty('formBytes');
  });

  it('corrects with If-Match (412 when stale) and history, and voids: the flags follow', async () => {
    const { personId, reporting, ban } = await personWithMeasures();
    const created = await upload(clerk, personId, valid([reporting]));
    const id = created.body.id as string;
    const patch = (version: string, body: object, account: Tokens = clerk) =>
      request(t.server)
        .patch(url(personId, `/${id}`))
        .set(as(account))
        .set('If-Match', version)
        .send(body);

    expect((await patch('1', { explainedBy: 'X' }, officerNis)).status).toBe(403);
    const stale = await patch('7', { measureIds: [reporting, ban] });
    expect([stale.status, stale.body.type]).toEqual([412, 'urn:register:problem:version_mismatch']);
    const other = await personWithMeasures();
    const strange = await patch('1', { measureIds: [other.ban] });
    expect([strange.status, strange.body.errors]).toEqual([
      400,
      [{ field: 'measureIds', message: `${other.ban}: not a measure of this person` }],
    ]);
    expect((await patch('1', { explainedBy: null })).status).toBe(400);
    expect((await patch('1', { form: 'x' })).status).toBe(400);

    const corrected = await patch('1', { measureIds: [reporting, ban], explainedOn: '2026-01-15' });
    expect(corrected.status).toBe(200);
    expect(corrected.headers.etag).toBe('"2"');
    expect([corrected.body.measureIds, corrected.body.explainedOn, corrected.body.version]).toEqual([
      [reporting, ban],
      '2026-01-15',
      2,
    ]);
    expect(await flags(clerk, personId)).toEqual({ [reporting]: true, [ban]: true });

    const voidId = rid('ack-void');
    const voided = await request(t.server)
      .post(url(personId, `/${id}/void`))
      .set(as(clerk, voidId));
    expect(voided.status).toBe(200);
    expect([voided.body.voidedBy, voided.body.voidReason, voided.body.version]).toEqual([
      clerk.user.id,
      'KT-100/2026',
      3,
    ]);
    const [event] = await eventsOf(t, voidId);
    expect([event.action, event.outcome, event.resource_id]).toEqual(['acknowledgement.void', 'allowed', id]);
    expect(await flags(clerk, personId)).toEqual({ [reporting]: false, [ban]: false });
    const again = await request(t.server)
      .post(url(personId, `/${id}/void`))
      .set(as(clerk));
    expect([again.status, again.body.type]).toEqual([409, 'urn:register:problem:conflict']);
    expect((await patch('3', { explainedBy: 'Y' })).status).toBe(409);

    const history = await t.dataSource.query(
      `SELECT change, before->'measureIds' AS before, after->'measureIds' AS after, after->>'voidedAt' IS NOT NULL AS void
         FROM person_history WHERE person_id = $1 AND part = 'acknowledgement' AND part_id = $2 ORDER BY at, id`,
      [personId, id],
    );
    expect(history).toEqual([
      { change: 'create', before: null, after: [reporting], void: false },
      { change: 'update', before: [reporting], after: [reporting, ban], void: false },
      { change: 'void', before: [reporting, ban], after: [reporting, ban], void: true },
    ]);
  });
});
