import { spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import request from 'supertest';
import { AuditLog, AuditSealer, RequestAudit } from '@app/audit';
import { eventsOf, rid, sealWritten, untilWatermarkPasses } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { sharedKeys } from '../support/key-files';
import { startTestApp, type TestApp } from '../support/test-app';

const PERSON = '6f1c3a52-3c1e-4a55-9d4e-0a7f4f5b2c11';

describe('the auditor’s API', () => {
  let keys: Awaited<ReturnType<typeof sharedKeys>>;
  let t: TestApp;
  let auditor: TestAccount & Tokens;
  let officer: TestAccount & Tokens;

  beforeAll(async () => {
    keys = await sharedKeys();
    t = await startTestApp(keys.env);
    auditor = await signedIn(t, 'auditor');
    officer = await signedIn(t, 'police_officer', 'PU-NIS');
    // Two consultations of one person by the officer, as the register will record them.
    const log = t.app.get(AuditLog);
    for (const reason of ['KT-1/2026', 'KT-2/2026']) {
      const audit = RequestAudit.system('person.read');
      audit.actor = {
        userId: officer.user.id,
        username: officer.username,
        role: 'police_officer',
        organisation: 'MUP',
        region: 'PU-NIS',
      };
      audit.reason = reason;
      audit.on('person', PERSON).subject(PERSON);
      await log.record(audit.toEvent('allowed', 200));
    }
  });

  afterAll(async () => {
    await t.close();
    await keys.remove();
  });

  const get = (url: string) => request(t.server).get(url).set(bearer(auditor.accessToken));

  it('answers “who looked at this person, when and why”, newest first, and records the search', async () => {
    const id = rid();
    const res = await get(`/api/v1/audit/events?subjectId=${PERSON}`).set('X-Request-Id', id);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items.map((e: { reason: string }) => e.reason)).toEqual(['KT-2/2026', 'KT-1/2026']);
    expect(res.body.items[0]).toEqual({
      seq: expect.any(Number),
      id: expect.any(String),
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      actor: {
        userId: officer.user.id,
        username: officer.username,
        role: 'police_officer',
        organisation: 'MUP',
        region: 'PU-NIS',
      },
      action: 'person.read',
      resource: { type: 'person', id: PERSON },
      subjectPersonIds: [PERSON],
      reason: 'KT-2/2026',
      outcome: 'allowed',
      httpStatus: 200,
      resultCount: null,
      query: null,
      requestId: null,
      ip: null,
      userAgent: null,
      recipient: null,
      details: null,
      flagged: false,
      reviewed: false,
    });
    expect(await eventsOf(t, id)).toEqual([
      expect.objectContaining({
        action: 'audit.search',
        actor_user_id: auditor.user.id,
        result_count: 2,
        query: { subjectId: PERSON },
      }),
    ]);
  });

  it('answers “what did this user do”, by id or username, with filters and pagination', async () => {
    const byName = await get(`/api/v1/audit/events?actorUsername=${officer.username.toUpperCase()}&action=person.read`);
    expect(byName.body.items).toHaveLength(2);
    const byId = await get(`/api/v1/audit/events?actorId=${officer.user.id}&limit=1`);
    expect(byId.body.items).toHaveLength(1);
    const next = await get(`/api/v1/audit/events?actorId=${officer.user.id}&limit=1&cursor=${byId.body.nextCursor}`);
    expect(next.body.items[0].seq).toBeLessThan(byId.body.items[0].seq);
    const denied = await get('/api/v1/audit/events?outcome=denied');
    expect(denied.body.items.every((e: { outcome: string }) => e.outcome === 'denied')).toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    const inRange = await get(`/api/v1/audit/events?actorId=${officer.user.id}&from=2020-01-01&to=${today}T23:59:59Z`);
    expect(inRange.body.items.length).toBeGreaterThanOrEqual(2);
    const before = await get(`/api/v1/audit/events?actorId=${officer.user.id}&to=2020-01-01`);
    expect(before.body.items).toEqual([]);
  });

  it.each([
    ['outcome=maybe', 'outcome'],
    ['subjectJmbg=123', 'subjectJmbg'],
    ['from=2026-02-30', 'from'],
    ['from=2026-11-02&to=2026-11-01', 'to'],
    ['actorId=nope', 'actorId'],
    ['sort=at', 'sort'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const res = await get(`/api/v1/audit/events?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('a subjectJmbg search is itself recorded, with the JMBG it asked for', async () => {
    const id = rid();
    const res = await get('/api/v1/audit/events?subjectJmbg=0101900350008').set('X-Request-Id', id);
    expect(res.status).toBe(200);
    expect((await eventsOf(t, id))[0]).toMatchObject({
      action: 'audit.search',
      query: { subjectJmbg: '0101900350008' },
    });
  });

  it('records reviews append-only and filters by them', async () => {
    const [event] = (await get('/api/v1/audit/events?action=person.read&limit=1')).body.items;
    const id = rid();
    const res = await request(t.server)
      .post(`/api/v1/audit/events/${event.id}/review`)
      .set(bearer(auditor.accessToken))
      .set('X-Request-Id', id)
      .send({ note: 'Consultation matches case KT-2/2026.' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      eventId: event.id,
      at: expect.any(String),
      reviewer: { userId: auditor.user.id, username: auditor.username },
      note: 'Consultation matches case KT-2/2026.',
    });
    // The review is the request's own event: stamped, sealed like any, its note signed with the sealing key.
    const [written] = await t.dataSource.query(`SELECT id, at, request_id FROM audit_events WHERE id = $1`, [
      res.body.id,
    ]);
    expect(written).toEqual({ id: res.body.id, at: new Date(res.body.at), request_id: id });
    expect(await eventsOf(t, id)).toEqual([
      expect.objectContaining({
        action: 'audit.review',
        outcome: 'allowed',
        actor_user_id: auditor.user.id,
        resource_type: 'audit_event',
        resource_id: event.id,
        details: {
          note: 'Consultation matches case KT-2/2026.',
          keyId: expect.any(String),
          signature: expect.stringMatching(/^[\w-]{86}$/),
        },
      }),
    ]);
    const reviewed = await get('/api/v1/audit/events?reviewed=true');
    expect(reviewed.body.items.map((e: { id: string }) => e.id)).toEqual([event.id]);
    const missing = await request(t.server)
      .post('/api/v1/audit/events/00000000-0000-4000-8000-000000000000/review')
      .set(bearer(auditor.accessToken))
      .send({ note: 'x' });
    expect(missing.status).toBe(404);
  });

  it('verifies the log, against its own checkpoint too, and refuses a forged checkpoint', async () => {
    await sealWritten(t);
    const verify = await get('/api/v1/audit/verify');
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true, problem: null, firstBadSeq: null });
    expect(verify.body.checkedEvents).toBeGreaterThan(0);

    const checkpoint = (await get('/api/v1/audit/checkpoints/latest')).body;
    expect(checkpoint).toEqual({
      sealedThrough: expect.any(Number),
      treeSize: expect.any(Number),
      root: expect.stringMatching(/^[0-9a-f]{64}$/),
      signedAt: expect.any(String),
      keyId: expect.any(String),
      signature: expect.stringMatching(/^[\w-]{86}$/),
    });
    const withCheckpoint = await request(t.server)
      .post('/api/v1/audit/verify')
      .set(bearer(auditor.accessToken))
      .send({ checkpoint });
    expect(withCheckpoint.body).toMatchObject({ ok: true });
    const forged = await request(t.server)
      .post('/api/v1/audit/verify')
      .set(bearer(auditor.accessToken))
      .send({ checkpoint: { ...checkpoint, treeSize: checkpoint.treeSize + 1 } });
    expect(forged.body).toMatchObject({ ok: false, problem: 'signature' });
  });

  it('publishes the sealing keys, which are not token keys', async () => {
    const res = await get('/api/v1/audit/keys');
    expect(res.status).toBe(200);
    expect(res.body.keys).toEqual([
      { kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: expect.any(String), alg: 'EdDSA', use: 'sig' },
    ]);
    const jwks = await request(t.server).get('/.well-known/jwks.json');
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).not.toContain(res.body.keys[0].kid);
    expect(jwks.body.keys.every((k: { kty: string }) => k.kty === 'EC')).toBe(true);
  });

  it('exports JSON Lines as a recorded, flagged disclosure with its recipient', async () => {
    const id = rid();
    const res = await get('/api/v1/audit/export?from=2020-01-01&to=2099-12-31&recipient=Poverenik').set(
      'X-Request-Id',
      id,
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = res.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.length).toBeGreaterThan(2);
    expect(lines[0].seq).toBeLessThan(lines[lines.length - 1].seq);
    const [event] = await eventsOf(t, id);
    expect(event).toMatchObject({ action: 'audit.export', recipient: 'Poverenik', flagged: true, outcome: 'allowed' });
    expect(event.result_count).toBe(lines.length);
  });

  it('the CLI verifies the same log with the same keys and a checkpoint file', async () => {
    const root = path.resolve('.');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' });
    await untilWatermarkPasses(t);
    await t.app.get(AuditSealer).sealOnce();
    const checkpoint = await t.app.get(AuditSealer).latestCheckpoint();
    const file = path.join(keys.folder, 'checkpoint.json');
    await writeFile(file, JSON.stringify(checkpoint));
    const run = spawnSync('node', ['dist/apps/cli/src/main.js', 'audit:verify', '--checkpoint', file], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ...keys.env, NODE_ENV: 'production', DATABASE_URL: t.database.url, LOG_LEVEL: 'silent' },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, problem: null });
  }, 120_000);
});
