import request from 'supertest';
import { type Role, ROLES } from '@app/authz';
import { addDays, addYears, belgradeToday } from '@app/common';
import { newCertificateNumber } from '@app/register';
import { eventsOf, rid } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { pdfText } from '../support/pdf-text';
import { insertMeasure, nextJmbg, REASON, registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

const EMPLOYER = { name: 'Osnovna škola "Vuk Karadžić"', registryNumber: '07001234' };

/** A valid request about `jmbg` (a JMBG with its check digit). */
const vettingBody = (jmbg: string, extra: Record<string, unknown> = {}) => ({
  employer: EMPLOYER,
  activity: 'Nastavnik razredne nastave',
  candidate: { givenNames: 'Kandidat', surname: 'Kandidatović', jmbg },
  legalBasis: 'Zakon o osnovama sistema obrazovanja i vaspitanja, čl. 139',
  requestReference: 'OŠ-VK 112/2026',
  ...extra,
});

const FISHING_MAX = 3;

describe('employer vetting', () => {
  let t: TestApp;
  let officer: TestAccount & Tokens;
  const today = belgradeToday();

  /** A registered person whose ban on work with minors lasts until `until` (the first day free). */
  async function personBannedUntil(until: string): Promise<{ id: string; jmbg: string }> {
    const person = await registerPerson(t, { surname: 'Zabranić' });
    const release = addYears(until, -t.config.register.employmentBanYears);
    await t.dataSource.query(
      `INSERT INTO convictions (person_id, court, case_number, judgment_date, finality_date, offences, victim_age,
                                sentence_kind, sentence_months, release_date)
       VALUES ($1, 'Viši sud u Nišu', 'K 1/2000', '2000-01-10', '2000-03-01', '[{"article":"180","paragraph":null}]',
               'child', 'imprisonment', 12, $2)`,
      [person.id, release],
    );
    return { id: person.id, jmbg: person.jmbg! };
  }

  const ask = (body: object, token = officer.accessToken, requestId = rid('vet')) =>
    request(t.server).post('/api/v1/vetting-requests').set(bearer(token)).set('X-Request-Id', requestId).send(body);

  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_MAX: '100000',
      VETTING_MAX_PER_EMPLOYER_DAY: String(FISHING_MAX),
      VETTING_VERIFY_PER_MINUTE: '1000',
      PUBLIC_URL: 'https://register.example',
    });
    officer = await signedIn(t, 'vetting_officer');
  });

  afterAll(async () => {
    await t.close();
  });

  describe('refusals first', () => {
    const others = ROLES.filter((role): role is Exclude<Role, 'vetting_officer'> => role !== 'vetting_officer');

    it.each(others)('a %s may not ask (403), and nothing is stored', async (role) => {
      const account = await signedIn(t, role, role === 'police_officer' ? 'PU-NIS' : null);
      const requestId = rid('vet-other');
      const res = await ask(vettingBody(nextJmbg()), account.accessToken, requestId);
      expect([res.status, res.body.type]).toEqual([403, 'urn:register:problem:forbidden']);
      const [event] = await eventsOf(t, requestId);
      expect([event.action, event.outcome, event.http_status]).toEqual(['vetting.request', 'denied', 403]);
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM vetting_requests`);
      expect(n).toBe(0);
    });

    it('anonymous: 401', async () => {
      const res = await request(t.server).post('/api/v1/vetting-requests').send(vettingBody(nextJmbg()));
      expect(res.status).toBe(401);
    });

    it('the vetting officer reaches nothing else of the register: a person, the search, the lookup, the audit log', async () => {
      const person = await registerPerson(t);
      for (const url of [
        `/api/v1/persons/${person.id}`,
        '/api/v1/persons?q=Petrovic',
        `/api/v1/persons/lookup?jmbg=${person.jmbg}`,
        `/api/v1/persons/${person.id}/convictions`,
        '/api/v1/compliance/overdue',
        '/api/v1/alerts',
        '/api/v1/reference/offences',
        '/api/v1/audit/events',
        '/api/v1/users',
        '/api/v1/vetting-requests/volume',
      ]) {
        const res = await request(t.server).get(url).set(bearer(officer.accessToken)).set(REASON);
        expect([url, res.status]).toEqual([url, 403]);
      }
    });

    it('a malformed JMBG (wrong check digit, wrong date, not 13 digits): 400 naming candidate.jmbg', async () => {
      const good = nextJmbg();
      const wrongCheck = good.slice(0, 12) + String((Number(good[12]) + 1) % 10);
      for (const jmbg of [wrongCheck, '3102990710001', '123', 'abcdefghijklm']) {
        const res = await ask(vettingBody(jmbg));
        expect([jmbg, res.status, res.body.errors.map((e: { field: string }) => e.field)]).toEqual([
          jmbg,
          400,
          ['candidate.jmbg'],
        ]);
      }
    });

    it('no legal basis, no candidate identifier, or both identifiers: 400 naming the field', async () => {
      const { legalBasis: _legalBasis, ...withoutBasis } = vettingBody(nextJmbg());
      const missing = await ask(withoutBasis);
      expect([missing.status, [...new Set(missing.body.errors.map((e: { field: string }) => e.field))]]).toEqual([
        400,
        ['legalBasis'],
      ]);
      const none = await ask({ ...vettingBody(nextJmbg()), candidate: { givenNames: 'A', surname: 'B' } });
      expect([none.status, none.body.errors]).toEqual([
        400,
        [{ field: 'candidate.jmbg', message: 'or candidate.document is required' }],
      ]);
      const both = await ask({
        ...vettingBody(nextJmbg()),
        candidate: {
          givenNames: 'A',
          surname: 'B',
          jmbg: nextJmbg(),
          document: { type: 'passport', number: 'P1', country: 'BA' },
        },
      });
      expect([both.status, both.body.errors]).toEqual([
        400,
        [{ field: 'candidate.document', message: 'must not be given with a JMBG' }],
      ]);
      const bad = await ask(vettingBody(nextJmbg(), { employer: { name: 'Firma', registryNumber: '123' } }));
      expect([bad.status, bad.body.errors.map((e: { field: string }) => e.field)]).toEqual([
        400,
        ['employer.registryNumber'],
      ]);
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM vetting_requests`);
      expect(n).toBe(0);
    });
  });

  describe('answers', () => {
    it('a candidate whose ban on work with minors lasts: barred, a flagged disclosure naming the employer and the person', async () => {
      const person = await personBannedUntil(addDays(today, 1));
      const requestId = rid('vet-barred');
      const res = await ask(vettingBody(person.jmbg), officer.accessToken, requestId);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        barred: true,
        certificateNumber: expect.stringMatching(/^[A-H][A-Z2-7]{8}-[A-Z2-7]{9}-[A-Z2-7]{9}$/),
        issuedOn: today,
        validUntil: addDays(today, 89),
      });
      const [event] = await eventsOf(t, requestId);
      expect(event).toMatchObject({
        action: 'vetting.request',
        outcome: 'allowed',
        http_status: 201,
        actor_user_id: officer.user.id,
        resource_type: 'vetting_request',
        resource_id: res.body.requestId,
        subject_person_ids: [person.id],
        recipient: 'Osnovna škola "Vuk Karadžić" (MB 07001234)',
        flagged: true,
        details: {
          employer: EMPLOYER,
          activity: 'Nastavnik razredne nastave',
          publicOffice: false,
          legalBasis: 'Zakon o osnovama sistema obrazovanja i vaspitanja, čl. 139',
          requestReference: 'OŠ-VK 112/2026',
          certificateNumber: res.body.certificateNumber,
          barred: true,
        },
      });
      // The JMBG is never kept in clear; the name is the one the employer gave.
      const [row] = await t.dataSource.query(
        `SELECT candidate_given_names, candidate_surname, candidate_identifier_kind, candidate_identifier_hash,
                barred, issued_by, row_to_json(v)::text AS all_columns
           FROM vetting_requests v WHERE id = $1`,
        [res.body.requestId],
      );
      expect(row).toMatchObject({
        candidate_given_names: 'Kandidat',
        candidate_surname: 'Kandidatović',
        candidate_identifier_kind: 'jmbg',
        candidate_identifier_hash: expect.stringMatching(/^hmac:[A-Za-z0-9_-]{43}$/),
        barred: true,
        issued_by: officer.user.id,
      });
      expect(row.all_columns).not.toContain(person.jmbg);
      expect(row.all_columns).not.toContain(person.id);
    });

    it('a candidate whose ban ended yesterday: not barred', async () => {
      const person = await personBannedUntil(today);
      const res = await ask(vettingBody(person.jmbg));
      expect([res.status, res.body.barred]).toEqual([201, false]);
    });

    it('a public office: barred while a measure is in force, only when the activity is one', async () => {
      const person = await personBannedUntil(today);
      await insertMeasure(t, person.id);
      const office = await ask(vettingBody(person.jmbg, { publicOffice: true, activity: 'Direktor škole' }));
      const teacher = await ask(vettingBody(person.jmbg));
      expect([office.body.barred, teacher.body.barred]).toEqual([true, false]);
    });

    it('a candidate not in the register: the same keys and types as one in it and not barred, and no person named', async () => {
      const notBarred = await personBannedUntil(today);
      const inRegister = await ask(vettingBody(notBarred.jmbg));
      const requestId = rid('vet-absent');
      const absent = await ask(vettingBody(nextJmbg('F', '0202985')), officer.accessToken, requestId);
      const shape = (body: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(body).map(([key, value]) => [key, typeof value]));
      expect(absent.status).toBe(201);
      expect(Object.keys(absent.body).sort()).toEqual(Object.keys(inRegister.body).sort());
      expect(shape(absent.body)).toEqual(shape(inRegister.body));
      expect([absent.body.barred, inRegister.body.barred]).toEqual([false, false]);
      const [event] = await eventsOf(t, requestId);
      expect([event.subject_person_ids, event.flagged, event.recipient]).toEqual([
        [],
        true,
        'Osnovna škola "Vuk Karadžić" (MB 07001234)',
      ]);
    });

    it('a candidate by identity document', async () => {
      const person = await personBannedUntil(addDays(today, 30));
      await t.dataSource.query(
        `UPDATE persons SET id_document_type = 'passport', id_document_number = 'P7654321', id_document_country = 'BA'
          WHERE id = $1`,
        [person.id],
      );
      const res = await ask({
        ...vettingBody(''),
        candidate: {
          givenNames: 'Kandidat',
          surname: 'Kandidatović',
          document: { type: 'passport', number: 'P7654321', country: 'BA' },
        },
      });
      expect([res.status, res.body.barred]).toEqual([201, true]);
    });

    it('Idempotency-Key: a retry gets the first answer, once stored', async () => {
      const person = await personBannedUntil(addDays(today, 1));
      const body = vettingBody(person.jmbg, { employer: { name: 'Vrtić', registryNumber: '17001234' } });
      const send = () =>
        request(t.server)
          .post('/api/v1/vetting-requests')
          .set(bearer(officer.accessToken))
          .set('Idempotency-Key', `vet-${person.id}`)
          .send(body);
      const first = await send();
      const second = await send();
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body).toEqual(first.body);
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM vetting_requests WHERE employer_registry_number = '17001234'`,
      );
      expect(n).toBe(1);
    });
  });

  describe('the certificate', () => {
    it('opens as a PDF with the number, the date, the employer, the name as given and the answer', async () => {
      const person = await personBannedUntil(addDays(today, 10));
      const answer = (await ask(vettingBody(person.jmbg))).body;
      const requestId = rid('vet-pdf');
      const res = await request(t.server)
        .get(`/api/v1/vetting-requests/${answer.requestId}/certificate`)
        .set(bearer(officer.accessToken))
        .set('X-Request-Id', requestId)
        .buffer(true)
        .parse((response, done) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="uverenje-${answer.certificateNumber}.pdf"`,
      );
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const text = await pdfText(res.body as Buffer);
      for (const expected of [
        answer.certificateNumber,
        today,
        addDays(today, 89),
        'Osnovna škola "Vuk Karadžić"',
        '07001234',
        'Kandidat Kandidatović',
        'POD ZABRANOM',
      ]) {
        expect([expected, text.includes(expected)]).toEqual([expected, true]);
      }
      // The caption of the QR code: the verification address (the line may wrap).
      expect(text.replace(/\s+/g, '')).toContain(
        `https://register.example/api/v1/vetting/verify/${answer.certificateNumber}`,
      );
      expect(text).not.toContain('Zabranić');
      const [event] = await eventsOf(t, requestId);
      expect([event.action, event.outcome, event.resource_id, event.subject_person_ids]).toEqual([
        'vetting.certificate',
        'allowed',
        answer.requestId,
        [],
      ]);
    });

    it('of a request that does not exist: 404; for another role: 403', async () => {
      const absent = await request(t.server)
        .get('/api/v1/vetting-requests/00000000-0000-4000-8000-000000000000/certificate')
        .set(bearer(officer.accessToken));
      const clerk = await signedIn(t, 'registry_clerk');
      const other = await request(t.server)
        .get('/api/v1/vetting-requests/00000000-0000-4000-8000-000000000000/certificate')
        .set(bearer(clerk.accessToken));
      expect([absent.status, other.status]).toEqual([404, 403]);
    });
  });

  describe('verification (public)', () => {
    const verify = (number: string, requestId = rid('verify')) =>
      request(t.server).get(`/api/v1/vetting/verify/${number}`).set('X-Request-Id', requestId);

    it('a real number: valid, its date and answer, and nothing else; an anonymous event naming no person', async () => {
      const person = await personBannedUntil(addDays(today, 5));
      const answer = (await ask(vettingBody(person.jmbg))).body;
      const requestId = rid('verify-real');
      const res = await verify(answer.certificateNumber, requestId);
      expect([res.status, res.body]).toEqual([200, { valid: true, issuedOn: today, barred: true }]);
      const lower = await verify(answer.certificateNumber.toLowerCase());
      expect(lower.body).toEqual({ valid: true, issuedOn: today, barred: true });
      const [event] = await eventsOf(t, requestId);
      expect(event).toMatchObject({
        action: 'vetting.verify',
        outcome: 'allowed',
        http_status: 200,
        actor_user_id: null,
        resource_type: 'vetting_certificate',
        resource_id: answer.certificateNumber,
        subject_person_ids: [],
      });
    });

    it('an expired certificate: valid false', async () => {
      const answer = (await ask(vettingBody(nextJmbg()))).body;
      // Issued 100 days ago (the table is append-only for the service; the test's own connection may change it).
      await t.dataSource.query(`UPDATE vetting_requests SET issued_on = $2, valid_until = $3 WHERE id = $1`, [
        answer.requestId,
        addDays(today, -100),
        addDays(today, -11),
      ]);
      const res = await verify(answer.certificateNumber);
      expect(res.body).toEqual({ valid: false, issuedOn: addDays(today, -100), barred: false });
    });

    it('an altered, an unknown and a malformed number, and a JMBG: the same 404', async () => {
      const person = await personBannedUntil(addDays(today, 5));
      const answer = (await ask(vettingBody(person.jmbg))).body;
      const real: string = answer.certificateNumber;
      const swap = (c: string) => (c === 'A' ? 'B' : 'A');
      const altered = real.slice(0, 12) + swap(real[12]) + real.slice(13);
      const unknown = newCertificateNumber();
      const bodies = [];
      for (const number of [altered, unknown, 'NOT-A-NUMBER', person.jmbg, real.slice(0, -1)]) {
        const requestId = rid('verify-bad');
        const res = await verify(number, requestId);
        expect([number, res.status]).toEqual([number, 404]);
        const { instance: _instance, ...problem } = res.body;
        bodies.push(problem);
        const [event] = await eventsOf(t, requestId);
        expect([event.action, event.http_status, event.subject_person_ids]).toEqual(['vetting.verify', 404, []]);
      }
      expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
      expect(bodies[0]).toEqual({
        type: 'urn:register:problem:not_found',
        title: expect.any(String),
        status: 404,
        detail: 'No such certificate.',
      });
    });

    it('says nothing about a person never vetted: their JMBG or id is no number, the answer the same 404', async () => {
      const person = await personBannedUntil(addDays(today, 400));
      const answers = await Promise.all([person.jmbg, person.id, `${person.jmbg}-A`].map((n) => verify(n)));
      expect(answers.map((a) => [a.status, a.body.detail])).toEqual([
        [404, 'No such certificate.'],
        [404, 'No such certificate.'],
        [404, 'No such certificate.'],
      ]);
      // Beyond echoing the address asked (`instance`), the answers are one and the same.
      const problems = answers.map(({ body: { instance: _instance, ...problem } }) => problem);
      expect(new Set(problems.map((p) => JSON.stringify(p))).size).toBe(1);
    });
  });

  describe('fishing and volume', () => {
    it('more than the daily maximum from one employer raises exactly one alert for auditors, even at once', async () => {
      const employer = { name: 'Sportski klub Mladost', registryNumber: '27001234' };
      const answers = await Promise.all(
        Array.from({ length: FISHING_MAX + 5 }, () => ask(vettingBody(nextJmbg(), { employer }))),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(FISHING_MAX + 5).fill(201));
      const alerts = await t.dataSource.query(
        `SELECT actor_username, resource_type, resource_id, flagged, result_count, details
           FROM audit_events WHERE action = 'vetting.fishing' AND resource_id = '27001234'`,
      );
      expect(alerts).toEqual([
        {
          actor_username: 'system',
          resource_type: 'employer',
          resource_id: '27001234',
          flagged: true,
          result_count: FISHING_MAX + 1,
          details: {
            employer,
            day: today,
            requests: FISHING_MAX + 1,
            threshold: FISHING_MAX,
            requestId: expect.any(String),
          },
        },
      ]);
      // On the auditors' work list.
      const auditor = await signedIn(t, 'auditor');
      const list = await request(t.server)
        .get('/api/v1/audit/events?action=vetting.fishing&flagged=true&reviewed=false')
        .set(bearer(auditor.accessToken));
      expect(list.status).toBe(200);
      expect(list.body.items.filter((e: { resource: { id: string } }) => e.resource.id === '27001234')).toHaveLength(1);
    });

    it('auditors see the requests per employer per day, paged', async () => {
      const auditor = await signedIn(t, 'auditor');
      const first = await request(t.server)
        .get(`/api/v1/vetting-requests/volume?from=${addDays(today, -1)}&to=${today}&limit=2`)
        .set(bearer(auditor.accessToken));
      expect(first.status).toBe(200);
      const [{ n }] = await t.dataSource.query(
        `SELECT count(DISTINCT employer_registry_number)::int AS n FROM vetting_requests WHERE issued_on = $1`,
        [today],
      );
      const items = [...first.body.items];
      let cursor = first.body.nextCursor;
      while (cursor) {
        const next = await request(t.server)
          .get(`/api/v1/vetting-requests/volume?from=${addDays(today, -1)}&to=${today}&limit=2&cursor=${cursor}`)
          .set(bearer(auditor.accessToken));
        items.push(...next.body.items);
        cursor = next.body.nextCursor;
      }
      expect(items).toHaveLength(n);
      expect(items.find((i) => i.registryNumber === '27001234')).toEqual({
        day: today,
        registryNumber: '27001234',
        employerName: 'Sportski klub Mladost',
        requests: FISHING_MAX + 5,
      });
      const bad = await request(t.server)
        .get(`/api/v1/vetting-requests/volume?from=${today}&to=${addDays(today, -1)}`)
        .set(bearer(auditor.accessToken));
      expect([bad.status, bad.body.errors]).toEqual([
        400,
        [{ field: 'to', message: 'must be on or after from and at most 366 days after it' }],
      ]);
    });
  });

  describe('the verification limit', () => {
    let limited: TestApp;

    beforeAll(async () => {
      limited = await startTestApp({ VETTING_VERIFY_PER_MINUTE: '3' });
    });

    afterAll(async () => {
      await limited.close();
    });

    it('past VETTING_VERIFY_PER_MINUTE from one address: 429 with Retry-After, not audited; other routes still answer', async () => {
      const number = newCertificateNumber();
      const statuses: number[] = [];
      let last: request.Response | undefined;
      for (let i = 0; i < 5; i += 1) {
        last = await request(limited.server)
          .get(`/api/v1/vetting/verify/${number}`)
          .set('X-Request-Id', `verify-limit-${i}`);
        statuses.push(last.status);
      }
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
      expect([last!.body.type, Number(last!.headers['retry-after']) > 0]).toEqual([
        'urn:register:problem:rate_limited',
        true,
      ]);
      expect(await eventsOf(limited, 'verify-limit-4')).toEqual([]);
      expect((await request(limited.server).get('/api/v1/auth/me')).status).toBe(401);
    });
  });
});
