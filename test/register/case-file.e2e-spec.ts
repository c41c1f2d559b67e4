import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { verifySignedPdf } from '@app/audit';
import { addDays, belgradeToday } from '@app/common';
import { ComplianceScanner } from '@app/compliance';
import { eventsOf, rid } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { pdfText } from '../support/pdf-text';
import { buildDist, runCli } from '../support/processes';
import { REASON, registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

const RECIPIENT = 'Osnovno javno tužilaštvo u Nišu';

/** Collects a binary answer (the PDF) as a Buffer. */
function binary(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

/**
 * The case file (#16): who may issue it, the evidence it holds (a missed
 * period with the audit events behind it, checked against audit_events), the
 * PDF rendered from the same view, opened by pdf.js and verified with the
 * key GET /audit/keys publishes, and the flagged disclosure event.
 */
describe('the case file', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let judge: TestAccount & Tokens;
  let person: { id: string };
  let measureId: string;
  let convictionEvent: string;
  /** The measure: weekly from the Monday three weeks before this week's. */
  let startsOn: string;
  const checkIns: { id: string; eventId: string }[] = [];
  let breach: { id: string; eventId: string };

  const as = (account: Tokens, requestId = rid('case-file')) => ({
    ...bearer(account.accessToken),
    ...REASON,
    'X-Request-Id': requestId,
  });
  const caseFile = (account: Tokens, personId: string, query: Record<string, string>, requestId?: string) =>
    request(t.server).get(`/api/v1/persons/${personId}/case-file`).query(query).set(as(account, requestId));
  const eventIdOf = async (requestId: string) =>
    (await t.dataSource.query(`SELECT id FROM audit_events WHERE request_id = $1`, [requestId]))[0].id as string;

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await signedIn(t, 'registry_clerk');
    judge = await signedIn(t, 'judicial_officer');
    person = await registerPerson(t, { surname: 'Đorđević', givenNames: 'Čedomir' });
    const convictionRequest = rid('conviction');
    const conviction = await request(t.server)
      .post(`/api/v1/persons/${person.id}/convictions`)
      .set(as(clerk, convictionRequest))
      .send({
        court: 'Viši sud u Nišu',
        caseNumber: 'K 12/2020',
        judgmentDate: '2020-01-10',
        finalityDate: '2020-03-01',
        offences: [{ article: '180' }],
        victimAge: 'child',
        sentence: { kind: 'imprisonment', months: 60 },
        releaseDate: '2025-03-01',
      });
    expect(conviction.status).toBe(201);
    convictionEvent = await eventIdOf(convictionRequest);
    const today = belgradeToday();
    const isoDay = new Date(`${today}T00:00:00Z`).getUTCDay() || 7;
    startsOn = addDays(today, -(isoDay - 1) - 21);
    const measure = await request(t.server)
      .post(`/api/v1/persons/${person.id}/measures`)
      .set(as(clerk))
      .send({
        type: 'periodic_reporting',
        startsOn,
        endsOn: '2030-01-01',
        reportTo: 'PU-NIS',
        schedule: { kind: 'weekly' },
      });
    expect(measure.status).toBe(201);
    measureId = measure.body.id;
    // Checked in in the first and the third week; the second is missed.
    for (const day of [1, 15]) {
      const requestId = rid('check-in');
      const res = await request(t.server)
        .post(`/api/v1/persons/${person.id}/check-ins`)
        .set(as(clerk, requestId))
        .send({ measureId, occurredAt: `${addDays(startsOn, day)}T09:00:00Z`, place: 'PU Niš', method: 'in_person' });
      expect(res.status).toBe(201);
      checkIns.push({ id: res.body.id, eventId: await eventIdOf(requestId) });
    }
    const breachRequest = rid('breach');
    const recorded = await request(t.server)
      .post(`/api/v1/persons/${person.id}/breaches`)
      .set(as(clerk, breachRequest))
      .send({
        measureId,
        occurredAt: `${addDays(startsOn, 9)}T09:00:00Z`,
        description: 'Nije se javio.',
        kind: 'other',
      });
    expect(recorded.status).toBe(201);
    breach = { id: recorded.body.id, eventId: await eventIdOf(breachRequest) };
    await t.app.get(ComplianceScanner).scan();
  });

  afterAll(async () => {
    await t.close();
  });

  describe('refusals', () => {
    it.each(['police_officer', 'admin', 'auditor'] as const)('refuses a %s (403), recorded as denied', async (role) => {
      const caller = await signedIn(t, role, role === 'police_officer' ? 'PU-NIS' : null);
      const requestId = rid('case-file-role');
      const res = await caseFile(caller, person.id, { recipient: RECIPIENT }, requestId);
      expect(res.status).toBe(403);
      expect([res.body.status, res.body.type]).toEqual([403, 'urn:register:problem:forbidden']);
      expect(await eventsOf(t, requestId)).toEqual([
        expect.objectContaining({ action: 'case_file.issue', outcome: 'denied', http_status: 403, flagged: true }),
      ]);
    });

    it('answers a clerk of an office that does not serve the person 404, recorded as denied naming the person', async () => {
      const beograd = await signedIn(t, 'registry_clerk', null, 'UIKS-BEOGRAD');
      const requestId = rid('case-file-office');
      const res = await caseFile(beograd, person.id, { recipient: RECIPIENT }, requestId);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ status: 404, detail: 'No such person.' });
      expect(await eventsOf(t, requestId)).toEqual([
        expect.objectContaining({
          action: 'case_file.issue',
          outcome: 'denied',
          http_status: 404,
          subject_person_ids: [person.id],
          recipient: RECIPIENT,
          flagged: true,
        }),
      ]);
    });

    it.each([
      [{}, 'recipient'],
      [{ recipient: 'x' }, 'recipient'],
      [{ recipient: RECIPIENT, format: 'docx' }, 'format'],
    ])('refuses %j with 400 naming %s', async (query, field) => {
      const requestId = rid('case-file-400');
      const res = await caseFile(clerk, person.id, query as Record<string, string>, requestId);
      expect(res.status).toBe(400);
      expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))]).toEqual([field]);
      expect(await eventsOf(t, requestId)).toEqual([
        expect.objectContaining({ action: 'case_file.issue', outcome: 'error', http_status: 400 }),
      ]);
    });

    it('answers 404 for an unknown person, and for a malformed id (it names no resource)', async () => {
      const unknown = await caseFile(clerk, '7d5c3e2a-1b4f-4c6d-8e9f-0a1b2c3d4e5f', { recipient: RECIPIENT });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ detail: 'No such person.' });
      const malformed = await caseFile(clerk, 'not-a-uuid', { recipient: RECIPIENT });
      expect(malformed.status).toBe(404);
    });
  });

  describe('as JSON', () => {
    it('lists the missed period with the audit events behind it, and records a flagged disclosure', async () => {
      const requestId = rid('case-file-json');
      const res = await caseFile(judge, person.id, { recipient: RECIPIENT }, requestId);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const file = res.body;
      expect(file.recipient).toBe(RECIPIENT);
      const [personEvent] = await t.dataSource.query(
        `SELECT id FROM audit_events WHERE action = 'person.create' AND resource_id = $1`,
        [person.id],
      );
      expect(file.person).toMatchObject({
        id: person.id,
        surname: 'Đorđević',
        givenNames: 'Čedomir',
        auditEventIds: [personEvent.id],
      });
      expect(file.convictions).toEqual([
        expect.objectContaining({ caseNumber: 'K 12/2020', auditEventIds: [convictionEvent] }),
      ]);
      const [measure] = file.measures;
      expect(measure).toMatchObject({ id: measureId, type: 'periodic_reporting', startsOn, acknowledged: false });
      const [schedule] = measure.schedules;
      expect(schedule).toMatchObject({ id: measureId, authority: 'police', kind: 'weekly' });
      expect(schedule.periods.map((p: { outcome: string }) => p.outcome)).toEqual([
        'checked_in',
        'missed',
        'checked_in',
        'open',
      ]);

      const [alert] = await t.dataSource.query(
        `SELECT id FROM alerts WHERE kind = 'missed_check_in' AND source_id = $1`,
        [measureId],
      );
      const [scanEvent] = await t.dataSource.query(
        `SELECT id FROM audit_events WHERE action = 'compliance.scan' AND $1 = ANY(subject_person_ids)`,
        [person.id],
      );
      const missed = schedule.periods[1];
      expect(missed).toEqual({
        index: 1,
        startsOn: addDays(startsOn, 7),
        lastDay: addDays(startsOn, 13),
        outcome: 'missed',
        missed: true,
        checkIns: [],
        previousCheckIn: {
          id: checkIns[0].id,
          occurredAt: `${addDays(startsOn, 1)}T09:00:00.000Z`,
          place: 'PU Niš (in_person)',
          auditEventIds: [checkIns[0].eventId],
        },
        nextCheckIn: {
          id: checkIns[1].id,
          occurredAt: `${addDays(startsOn, 15)}T09:00:00.000Z`,
          place: 'PU Niš (in_person)',
          auditEventIds: [checkIns[1].eventId],
        },
        alert: expect.objectContaining({
          id: alert.id,
          kind: 'missed_check_in',
          dueDate: addDays(startsOn, 13),
          status: 'open',
          auditEventIds: [scanEvent.id],
        }),
        auditEventIds: [checkIns[0].eventId, checkIns[1].eventId, scanEvent.id],
      });
      // Each id is a real event, about this person, that recorded the item it is listed with.
      const rows = await t.dataSource.query(
        `SELECT id, action, resource_type, resource_id, $2 = ANY(subject_person_ids) AS about
           FROM audit_events WHERE id = ANY($1::uuid[]) ORDER BY seq`,
        [missed.auditEventIds, person.id],
      );
      expect(rows).toEqual([
        {
          id: checkIns[0].eventId,
          action: 'check_in.create',
          resource_type: 'check_in',
          resource_id: checkIns[0].id,
          about: true,
        },
        {
          id: checkIns[1].eventId,
          action: 'check_in.create',
          resource_type: 'check_in',
          resource_id: checkIns[1].id,
          about: true,
        },
        { id: scanEvent.id, action: 'compliance.scan', resource_type: 'alert', resource_id: null, about: true },
      ]);
      expect(schedule.periods[0].checkIns).toEqual([missed.previousCheckIn]);
      expect(schedule.periods[0].auditEventIds).toEqual([checkIns[0].eventId]);

      expect(file.breaches).toEqual([expect.objectContaining({ id: breach.id, auditEventIds: [breach.eventId] })]);
      // The breach's alert was raised in the request that recorded the breach: that request's event.
      expect(file.alerts).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'breach', sourceId: breach.id, auditEventIds: [breach.eventId] }),
          expect.objectContaining({ id: alert.id, auditEventIds: [scanEvent.id] }),
        ]),
      );

      expect(await eventsOf(t, requestId)).toEqual([
        expect.objectContaining({
          action: 'case_file.issue',
          outcome: 'allowed',
          http_status: 200,
          actor_role: 'judicial_officer',
          resource_type: 'case_file',
          resource_id: person.id,
          subject_person_ids: [person.id],
          recipient: RECIPIENT,
          details: { format: 'json' },
          flagged: true,
        }),
      ]);
    });
  });

  describe('voided acts', () => {
    it('marks a voided breach (with the void’s event) and leaves a voided attendance out of its schedule’s periods', async () => {
      const other = await registerPerson(t);
      const [measure] = await t.dataSource.query(
        `INSERT INTO measures (person_id, type, starts_on, ends_on, counselling_institution, schedule_kind)
         VALUES ($1, 'counselling', $2, '2030-01-01', 'CSR-NIS', 'weekly') RETURNING id`,
        [other.id, startsOn],
      );
      const attendedOn = addDays(startsOn, 1);
      const attendance = await request(t.server)
        .post(`/api/v1/persons/${other.id}/counselling`)
        .set(as(clerk))
        .send({ measureId: measure.id, attendedOn });
      expect(attendance.status).toBe(201);
      const standing = await request(t.server)
        .post(`/api/v1/persons/${other.id}/counselling`)
        .set(as(clerk))
        .send({ measureId: measure.id, attendedOn: addDays(startsOn, 8) });
      expect(standing.status).toBe(201);
      const breachRequest = rid('breach');
      const recorded = await request(t.server)
        .post(`/api/v1/persons/${other.id}/breaches`)
        .set(as(clerk, breachRequest))
        .send({ measureId: measure.id, occurredAt: `${attendedOn}T09:00:00Z`, description: 'Greškom.' });
      expect(recorded.status).toBe(201);
      const voidRequest = rid('breach-void');
      const voidBreach = await request(t.server)
        .post(`/api/v1/persons/${other.id}/breaches/${recorded.body.id}/void`)
        .set(as(clerk, voidRequest));
      expect(voidBreach.status).toBe(200);
      const voidAttendance = await request(t.server)
        .post(`/api/v1/persons/${other.id}/counselling/${attendance.body.id}/void`)
        .set(as(clerk));
      expect(voidAttendance.status).toBe(200);

      const res = await caseFile(judge, other.id, { recipient: RECIPIENT });
      expect(res.status).toBe(200);
      expect(res.body.breaches).toEqual([
        expect.objectContaining({
          id: recorded.body.id,
          voided: true,
          auditEventIds: [await eventIdOf(breachRequest), await eventIdOf(voidRequest)],
        }),
      ]);
      const [schedule] = res.body.measures[0].schedules;
      expect(schedule.authority).toBe('counselling');
      const acts = schedule.periods.flatMap((p: { checkIns: { id: string }[] }) => p.checkIns.map((c) => c.id));
      expect(acts).toEqual([standing.body.id]);
      expect(schedule.periods[0]).toMatchObject({ checkIns: [], outcome: 'missed' });
    });
  });

  describe('as a signed PDF', () => {
    let pdf: Buffer;
    let keys: Record<string, unknown>[];
    let folder: string;

    beforeAll(async () => {
      folder = await mkdtemp(path.join(tmpdir(), 'case-file-'));
      // The command line runs from the build (tsc and vite: longer than a test's minute on a busy machine).
      buildDist();
    }, 300_000);

    afterAll(async () => {
      await rm(folder, { recursive: true, force: true });
    });

    it('opens, holds the person and the missed period, and its signature verifies with the published key', async () => {
      const requestId = rid('case-file-pdf');
      const res = await caseFile(clerk, person.id, { recipient: RECIPIENT, format: 'pdf' }, requestId)
        .buffer(true)
        .parse(binary);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="case-file-[0-9a-f-]+-\d{4}-\d{2}-\d{2}\.pdf"$/,
      );
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      pdf = res.body as Buffer;

      const text = await pdfText(pdf);
      expect(text).toContain('Đorđević Čedomir');
      expect(text).toContain('PROPUŠTENO');
      expect(text).toContain(addDays(startsOn, 7));
      expect(text).toContain(RECIPIENT);

      const auditor = await signedIn(t, 'auditor');
      const published = await request(t.server).get('/api/v1/audit/keys').set(bearer(auditor.accessToken));
      expect(published.status).toBe(200);
      keys = published.body.keys;
      const verified = verifySignedPdf(pdf, keys);
      expect(verified).toEqual({ valid: true, keyId: keys[0].kid });

      const changed = Buffer.from(pdf);
      changed[pdf.length - 40] ^= 0x01;
      expect(verifySignedPdf(changed, keys).valid).toBe(false);

      expect(await eventsOf(t, requestId)).toEqual([
        expect.objectContaining({
          action: 'case_file.issue',
          outcome: 'allowed',
          http_status: 200,
          subject_person_ids: [person.id],
          recipient: RECIPIENT,
          details: { format: 'pdf', sha256: createHash('sha256').update(pdf).digest('hex'), keyId: keys[0].kid },
          flagged: true,
        }),
      ]);
    });

    it('documents:verify prints valid and the key id, and invalid with exit code 1 for a changed file', async () => {
      const keysFile = path.join(folder, 'keys.json');
      await writeFile(keysFile, JSON.stringify({ keys }));
      const good = path.join(folder, 'case-file.pdf');
      await writeFile(good, pdf);
      const valid = runCli(['documents:verify', good, '--keys', keysFile], { DATABASE_URL: t.database.url });
      expect({ status: valid.status, stdout: valid.stdout.trim() }).toEqual({
        status: 0,
        stdout: `valid: signed by key ${keys[0].kid}`,
      });

      const changed = Buffer.from(pdf);
      changed[pdf.length - 40] ^= 0x01;
      const bad = path.join(folder, 'changed.pdf');
      await writeFile(bad, changed);
      const invalid = runCli(['documents:verify', bad, '--keys', keysFile], { DATABASE_URL: t.database.url });
      expect({ status: invalid.status, stdout: invalid.stdout.trim() }).toEqual({
        status: 1,
        stdout: `invalid: signature (key ${keys[0].kid})`,
      });
    }, 180_000);
  });
});
