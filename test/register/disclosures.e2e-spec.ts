import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { canonicalJson, RequestAudit } from '@app/audit';
import { UsersService } from '@app/identity';
import { eventsOf, rid } from '../support/audit';
import { bearer, login, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { pdfText } from '../support/pdf-text';
import { PNG_BYTES } from '../support/records';
import { insertAddress, insertConviction, insertMeasure, REASON, registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

describe('disclosures abroad', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let auditor: TestAccount & Tokens;
  let others: (TestAccount & Tokens)[];

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await signedIn(t, 'registry_clerk');
    auditor = await signedIn(t, 'auditor');
    others = [
      await signedIn(t, 'police_officer', 'PU-NIS'),
      await signedIn(t, 'judicial_officer'),
      auditor,
      await signedIn(t, 'admin'),
    ];
  });

  afterAll(async () => {
    await t?.close();
  });

  const as = (account: Tokens, requestId = rid('disclosure')) => ({
    ...bearer(account.accessToken),
    ...REASON,
    'X-Request-Id': requestId,
  });
  const url = (personId: string) => `/api/v1/persons/${personId}/disclosures`;
  const valid = {
    recipient: { authority: 'ORFK Nemzeti Központi Iroda', country: 'HU' },
    channel: 'interpol',
    legalBasis: 'Zakon o međunarodnoj pravnoj pomoći u krivičnim stvarima, čl. 83',
    caseReference: 'INTERPOL-2026-0412',
    fields: ['identity', 'measures'],
  };

  /** A person in PU-NIS with an address, a conviction, a reporting measure, a description, a DNA reference and a photo. */
  async function recordedPerson(): Promise<{ personId: string; measureId: string }> {
    const person = await registerPerson(t, { surname: 'Đorđević', givenNames: 'Žarko', regions: ['PU-NIS'] });
    await insertAddress(t, person.id, 'PU-NIS');
    await insertConviction(t, person.id);
    const measureId = await insertMeasure(t, person.id, 'PU-NIS');
    await t.dataSource.query(
      `INSERT INTO physical_descriptions (person_id, height_cm, eye_colour, hair_colour) VALUES ($1, 182, 'plave', 'crna')`,
      [person.id],
    );
    await t.dataSource.query(
      `INSERT INTO dna_references (person_id, laboratory, sample_id, profile_reference, collected_on)
       VALUES ($1, 'NCKF', 'S-1', 'DNK-REF-77', '2025-01-10')`,
      [person.id],
    );
    await t.dataSource.query(
      `INSERT INTO photos (person_id, content_type, size_bytes, sha256, data) VALUES ($1, 'image/png', $2, $3, $4)`,
      [person.id, PNG_BYTES.length, createHash('sha256').update(PNG_BYTES).digest('hex'), PNG_BYTES],
    );
    return { personId: person.id, measureId };
  }

  async function travelNotice(personId: string, recordedBy: string, kind = 'travel_abroad'): Promise<string> {
    const details =
      kind === 'travel_abroad' ? { destinationCountry: 'AT', departOn: '2026-02-01', returnOn: '2026-02-05' } : {};
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO notifications (person_id, kind, notified_at, effective_on, details, deadline, on_time, recorded_by)
       VALUES ($1, $2, '2026-01-02T10:00:00Z', '2026-02-01', $3, '2026-01-24', true, $4) RETURNING id`,
      [personId, kind, JSON.stringify(details), recordedBy],
    );
    return id;
  }

  const stored = async (personId: string) =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM disclosures WHERE person_id = $1', [personId]))[0].n;

  async function officeClerk(office: string): Promise<TestAccount & Tokens> {
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
  }

  it('refuses every role but clerks (403), anonymous callers (401), and stores nothing', async () => {
    const { personId } = await recordedPerson();
    for (const account of others) {
      const requestId = rid('disclosure-403');
      const res = await request(t.server).post(url(personId)).set(as(account, requestId)).send(valid);
      expect([account.user.role, res.status, res.body.type]).toEqual([
        account.user.role,
        403,
        'urn:register:problem:forbidden',
      ]);
      const [event] = await eventsOf(t, requestId);
      expect([event.action, event.outcome, event.flagged]).toEqual(['disclosure.create', 'denied', true]);
    }
    const anonymous = await request(t.server).post(url(personId)).set(REASON).send(valid);
    expect(anonymous.status).toBe(401);
    expect(await stored(personId)).toBe(0);
  });

  it('answers a clerk of an office that does not serve the person 404, recorded as denied naming the person', async () => {
    const { personId } = await recordedPerson();
    const beograd = await officeClerk('UIKS-BEOGRAD');
    const requestId = rid('disclosure-office');
    const res = await request(t.server).post(url(personId)).set(as(beograd, requestId)).send(valid);
    expect([res.status, res.body.type, res.body.detail]).toEqual([
      404,
      'urn:register:problem:not_found',
      'No such person.',
    ]);
    const [event] = await eventsOf(t, requestId);
    expect([event.action, event.outcome, event.http_status, event.subject_person_ids, event.flagged]).toEqual([
      'disclosure.create',
      'denied',
      404,
      [personId],
      true,
    ]);
    expect(await stored(personId)).toBe(0);

    const nis = await officeClerk('UIKS-NIS');
    expect((await request(t.server).post(url(personId)).set(as(nis)).send(valid)).status).toBe(201);
  });

  it('refuses unknown, repeated or no fields, a bad country or channel (400 naming the field), storing nothing', async () => {
    const { personId } = await recordedPerson();
    const cases: [object, string][] = [
      [{ ...valid, fields: ['identity', 'bank_account'] }, 'fields'],
      [{ ...valid, fields: [] }, 'fields'],
      [{ ...valid, fields: ['identity', 'identity'] }, 'fields'],
      [{ ...valid, fields: 'identity' }, 'fields'],
      [{ ...valid, recipient: { ...valid.recipient, country: 'hu' } }, 'recipient.country'],
      [{ ...valid, recipient: { ...valid.recipient, country: 'HUN' } }, 'recipient.country'],
      [{ ...valid, recipient: { authority: '', country: 'HU' } }, 'recipient.authority'],
      [{ ...valid, recipient: undefined }, 'recipient'],
      [{ ...valid, channel: 'email' }, 'channel'],
      [{ ...valid, legalBasis: '' }, 'legalBasis'],
      [{ ...valid, travelNoticeId: 'x' }, 'travelNoticeId'],
      [{ ...valid, surprise: true }, 'surprise'],
    ];
    for (const [body, field] of cases) {
      const res = await request(t.server).post(url(personId)).set(as(clerk)).send(body);
      expect([
        field,
        res.status,
        res.body.type,
        [...new Set(res.body.errors?.map((e: { field: string }) => e.field))],
      ]).toEqual([field, 400, 'urn:register:problem:validation', [field]]);
    }
    expect(await stored(personId)).toBe(0);
  });

  it('refuses a travel notice of another person, or a notice that is not travel abroad (400 travelNoticeId)', async () => {
    const { personId } = await recordedPerson();
    const other = await recordedPerson();
    const othersNotice = await travelNotice(other.personId, clerk.user.id);
    const residence = await travelNotice(personId, clerk.user.id, 'workplace_change');
    for (const travelNoticeId of [othersNotice, residence]) {
      const requestId = rid('disclosure-notice');
      const res = await request(t.server)
        .post(url(personId))
        .set(as(clerk, requestId))
        .send({ ...valid, travelNoticeId });
      expect([res.status, res.body.errors]).toEqual([
        400,
        [{ field: 'travelNoticeId', message: 'is not a travel-abroad notice of this person' }],
      ]);
      const [event] = await eventsOf(t, requestId);
      expect([event.action, event.outcome, event.http_status]).toEqual(['disclosure.create', 'error', 400]);
    }
    expect(await stored(personId)).toBe(0);
  });

  it('sends the chosen parts only, keeps the package with the SHA-256 of its canonical JSON, and flags the event naming the recipient', async () => {
    const { personId, measureId } = await recordedPerson();
    const requestId = rid('disclosure-ok');
    const res = await request(t.server)
      .post(url(personId))
      .set(as(clerk, requestId))
      .send({ ...valid, fields: ['measures', 'identity'] });
    expect(res.status).toBe(201);
    const sha256 = createHash('sha256').update(canonicalJson(res.body.package)).digest('hex');
    expect(res.body).toEqual({
      id: expect.any(String),
      personId,
      recipient: valid.recipient,
      channel: 'interpol',
      legalBasis: valid.legalBasis,
      caseReference: valid.caseReference,
      fields: ['identity', 'measures'],
      packageSha256: sha256,
      travelNoticeId: null,
      createdBy: clerk.user.id,
      createdAt: expect.any(String),
      package: expect.any(Object),
    });
    const pkg = res.body.package;
    expect(pkg).toMatchObject({
      id: res.body.id,
      personId,
      recipient: valid.recipient,
      channel: 'interpol',
      fields: ['identity', 'measures'],
      travelNoticeId: null,
    });
    // Only what was chosen: no DNA, photos, description, convictions, addresses.
    expect(Object.keys(pkg.parts)).toEqual(['identity', 'measures']);
    expect(JSON.stringify(pkg)).not.toContain('DNK-REF-77');
    expect(JSON.stringify(pkg)).not.toContain('Obrenovićeva');
    expect(pkg.parts.identity).toMatchObject({ id: personId, surname: 'Đorđević', givenNames: 'Žarko' });
    expect(pkg.parts.measures.map((m: { id: string }) => m.id)).toEqual([measureId]);

    const [row] = await t.dataSource.query(
      `SELECT person_id, recipient_authority, recipient_country, channel, legal_basis, case_reference, fields,
              package_sha256, package, travel_notice_id, created_by
         FROM disclosures WHERE id = $1`,
      [res.body.id],
    );
    expect(row).toEqual({
      person_id: personId,
      recipient_authority: valid.recipient.authority,
      recipient_country: 'HU',
      channel: 'interpol',
      legal_basis: valid.legalBasis,
      case_reference: valid.caseReference,
      fields: ['identity', 'measures'],
      package_sha256: sha256,
      package: pkg,
      travel_notice_id: null,
      created_by: clerk.user.id,
    });
    // The stored package hashes the same (key order does not matter to the canonical form).
    expect(createHash('sha256').update(canonicalJson(row.package)).digest('hex')).toBe(sha256);

    const [event] = await eventsOf(t, requestId);
    expect(event).toMatchObject({
      action: 'disclosure.create',
      outcome: 'allowed',
      http_status: 201,
      resource_type: 'disclosure',
      resource_id: res.body.id,
      subject_person_ids: [personId],
      recipient: 'ORFK Nemzeti Központi Iroda (HU)',
      flagged: true,
      details: {
        channel: 'interpol',
        fields: ['identity', 'measures'],
        caseReference: valid.caseReference,
        packageSha256: sha256,
        travelNoticeId: null,
      },
    });
  });

  it('carries photos, the description, the DNA reference and convictions when chosen', async () => {
    const { personId } = await recordedPerson();
    const res = await request(t.server)
      .post(url(personId))
      .set(as(clerk))
      .send({ ...valid, channel: 'europol', fields: ['dna_reference', 'photos', 'description', 'convictions'] });
    expect(res.status).toBe(201);
    const { parts } = res.body.package;
    expect(Object.keys(parts)).toEqual(['photos', 'description', 'dna_reference', 'convictions']);
    expect(parts.dna_reference).toMatchObject({ profileReference: 'DNK-REF-77' });
    expect(parts.description).toMatchObject({ heightCm: 182, eyeColour: 'plave' });
    expect(parts.photos).toHaveLength(1);
    expect(Buffer.from(parts.photos[0].dataBase64, 'base64').equals(PNG_BYTES)).toBe(true);
    expect(parts.convictions).toHaveLength(1);

    const pdf = await request(t.server)
      .get(`/api/v1/disclosures/${res.body.id}/package?format=pdf`)
      .set(as(clerk))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(pdf.status).toBe(200);
    expect(await pdfText(pdf.body as Buffer)).toContain('DNK-REF-77');
  });

  it('hands the package out again as JSON and as a PDF with the name and the hash (audited, not a new disclosure)', async () => {
    const { personId } = await recordedPerson();
    const created = await request(t.server).post(url(personId)).set(as(clerk)).send(valid);
    expect(created.status).toBe(201);
    const packageUrl = `/api/v1/disclosures/${created.body.id}/package`;

    const json = await request(t.server).get(packageUrl).set(as(clerk));
    expect([json.status, json.headers['cache-control']]).toEqual([200, 'no-store']);
    expect(json.body).toEqual(created.body.package);

    const requestId = rid('disclosure-pdf');
    const pdf = await request(t.server)
      .get(`${packageUrl}?format=pdf`)
      .set(as(clerk, requestId))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect([
      pdf.status,
      pdf.headers['content-type'],
      pdf.headers['cache-control'],
      pdf.headers['x-content-type-options'],
      pdf.headers['content-disposition'],
    ]).toEqual([
      200,
      'application/pdf',
      'no-store',
      'nosniff',
      `attachment; filename="disclosure-${created.body.id}.pdf"`,
    ]);
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain('Žarko Đorđević');
    expect(text).toContain(created.body.packageSha256);
    expect(text).toContain('ORFK Nemzeti Központi Iroda (HU)');
    const [event] = await eventsOf(t, requestId);
    expect(event).toMatchObject({
      action: 'disclosure.package',
      outcome: 'allowed',
      resource_id: created.body.id,
      subject_person_ids: [personId],
      recipient: null,
      flagged: true,
      details: { format: 'pdf' },
    });
    expect(await stored(personId)).toBe(1);

    // Auditors never get the package; a clerk of another office gets the same 404 as for no disclosure.
    expect((await request(t.server).get(packageUrl).set(as(auditor))).status).toBe(403);
    const beograd = await officeClerk('UIKS-BEOGRAD');
    const elsewhere = await request(t.server).get(packageUrl).set(as(beograd));
    const absent = await request(t.server)
      .get(`/api/v1/disclosures/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/package`)
      .set(as(clerk));
    expect([elsewhere.status, elsewhere.body.detail]).toEqual([404, 'No such disclosure.']);
    expect([absent.status, absent.body.detail]).toEqual([404, 'No such disclosure.']);
    const badFormat = await request(t.server).get(`${packageUrl}?format=docx`).set(as(clerk));
    expect([badFormat.status, badFormat.body.errors?.[0]?.field]).toEqual([400, 'format']);
  });

  it('prepares an outbound notice from a travel-abroad notice, and lists it: clerks with the name, auditors the record only', async () => {
    const { personId } = await recordedPerson();
    const noticeId = await travelNotice(personId, clerk.user.id);
    const res = await request(t.server)
      .post(url(personId))
      .set(as(clerk))
      .send({
        ...valid,
        recipient: { authority: 'Bundeskriminalamt', country: 'AT' },
        channel: 'bilateral',
        fields: ['identity', 'measures', 'travel_notices'],
        travelNoticeId: noticeId,
      });
    expect(res.status).toBe(201);
    expect(res.body.travelNoticeId).toBe(noticeId);
    expect(res.body.package.travelNoticeId).toBe(noticeId);
    expect(res.body.package.parts.travel_notices.map((n: { id: string }) => n.id)).toEqual([noticeId]);
    expect(res.body.package.parts.travel_notices[0].details).toEqual({
      destinationCountry: 'AT',
      departOn: '2026-02-01',
      returnOn: '2026-02-05',
    });

    const query = `/api/v1/disclosures?personId=${personId}&country=AT`;
    const clerks = await request(t.server).get(query).set(as(clerk));
    expect(clerks.status).toBe(200);
    expect(clerks.body).toEqual({
      items: [
        {
          id: res.body.id,
          personId,
          person: { surname: 'Đorđević', givenNames: 'Žarko' },
          recipient: { authority: 'Bundeskriminalamt', country: 'AT' },
          channel: 'bilateral',
          legalBasis: valid.legalBasis,
          caseReference: valid.caseReference,
          fields: ['identity', 'measures', 'travel_notices'],
          packageSha256: res.body.packageSha256,
          travelNoticeId: noticeId,
          createdBy: clerk.user.id,
          createdAt: res.body.createdAt,
        },
      ],
      nextCursor: null,
    });

    const requestId = rid('disclosure-audit-list');
    const auditors = await request(t.server).get(query).set(as(auditor, requestId));
    expect(auditors.status).toBe(200);
    expect(auditors.body.items).toHaveLength(1);
    const [item] = auditors.body.items;
    expect(item).not.toHaveProperty('package');
    expect(item).not.toHaveProperty('person');
    expect(JSON.stringify(auditors.body)).not.toContain('Đorđević');
    expect(item).toEqual({ ...clerks.body.items[0], person: undefined });
    const [event] = await eventsOf(t, requestId);
    expect([event.action, event.outcome, event.result_count, event.subject_person_ids]).toEqual([
      'disclosure.list',
      'allowed',
      1,
      [personId],
    ]);

    // Filters: another country, days before it, a bad range.
    expect(
      (await request(t.server).get(`/api/v1/disclosures?personId=${personId}&country=HU`).set(as(clerk))).body.items,
    ).toEqual([]);
    expect(
      (await request(t.server).get(`/api/v1/disclosures?personId=${personId}&to=2020-01-01`).set(as(clerk))).body.items,
    ).toEqual([]);
    const range = await request(t.server).get('/api/v1/disclosures?from=2026-02-01&to=2026-01-01').set(as(clerk));
    expect([range.status, range.body.errors]).toEqual([400, [{ field: 'to', message: 'must be on or after from' }]]);
    const country = await request(t.server).get('/api/v1/disclosures?country=hu').set(as(clerk));
    expect([country.status, country.body.errors?.[0]?.field]).toEqual([400, 'country']);
  });

  it('lists only what a clerk of an office reaches, and nothing for roles without the list (403)', async () => {
    const { personId } = await recordedPerson();
    expect((await request(t.server).post(url(personId)).set(as(clerk)).send(valid)).status).toBe(201);
    const beograd = await officeClerk('UIKS-BEOGRAD');
    const list = await request(t.server).get(`/api/v1/disclosures?personId=${personId}`).set(as(beograd));
    expect([list.status, list.body.items]).toEqual([200, []]);
    for (const account of others.filter((a) => a !== auditor)) {
      expect((await request(t.server).get('/api/v1/disclosures').set(as(account))).status).toBe(403);
    }
  });

  it('records a retried disclosure once (Idempotency-Key): the same answer, one row; another body with the key is 422', async () => {
    const { personId } = await recordedPerson();
    const send = (body: object, requestId = rid('disclosure-idem')) =>
      request(t.server)
        .post(url(personId))
        .set({ ...as(clerk, requestId), 'Idempotency-Key': 'disclosure-1' })
        .send(body);
    const first = await send(valid);
    const replayId = rid('disclosure-replay');
    const second = await send(valid, replayId);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toEqual(first.body);
    expect(await stored(personId)).toBe(1);
    const [event] = await eventsOf(t, replayId);
    expect(event).toMatchObject({
      action: 'disclosure.create',
      subject_person_ids: [personId],
      details: { idempotentReplay: true },
    });
    const other = await send({ ...valid, caseReference: 'INTERPOL-2026-0413' });
    expect([other.status, other.body.type]).toEqual([422, 'urn:register:problem:idempotency_mismatch']);
    expect(await stored(personId)).toBe(1);
  });

  it('describes the routes in the served OpenAPI document', async () => {
    const doc = await request(t.server).get('/api/docs-json');
    const post = doc.body.paths['/api/v1/persons/{id}/disclosures'].post;
    expect(post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/CreateDisclosureDto');
    expect(doc.body.components.schemas.CreateDisclosureDto.properties.fields.items.enum).toEqual([
      'identity',
      'photos',
      'description',
      'dna_reference',
      'convictions',
      'measures',
      'travel_notices',
    ]);
    const pkg = doc.body.paths['/api/v1/disclosures/{id}/package'].get;
    expect(Object.keys(pkg.responses['200'].content).sort()).toEqual(['application/json', 'application/pdf']);
    expect(doc.body.paths['/api/v1/disclosures'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'personId', 'country']),
    );
  });
});
