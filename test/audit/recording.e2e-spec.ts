import { Controller, Get, Module } from '@nestjs/common';
import request from 'supertest';
import { Audited, AuditContext, AuditLog, AuditModule, type RequestAudit } from '@app/audit';
import { Authenticated, RequiresReason } from '@app/authz';
import { eventCount, eventsOf, rid, sealWritten, tally } from '../support/audit';
import { bearer, createAccount, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';

/** A route of register data, for the X-Access-Reason rules (the register's own routes come later). */
@Controller('persons-probe')
@RequiresReason()
class ReasonProbeController {
  constructor(private readonly log: AuditLog) {}

  @Get()
  @Authenticated()
  @Audited('person.search', { resource: 'person' })
  async list(@AuditContext() audit: RequestAudit): Promise<{ reason: string | null }> {
    return this.log.transaction(audit, async () => ({ reason: audit.reason }));
  }
}

@Module({ imports: [AuditModule], controllers: [ReasonProbeController] })
class ReasonProbeModule {}

describe('audit recording', () => {
  let t: TestApp;
  let admin: TestAccount & Tokens;
  let clerk: TestAccount & Tokens;

  beforeAll(async () => {
    // A pool much smaller than the 50 concurrent reads below: a request that takes a second connection
    // while holding one deadlocks the pool (503s after the 5 s connection wait) every time, not once in a while.
    t = await startTestApp({ DATABASE_POOL_SIZE: '4' }, [ReasonProbeModule]);
    admin = await signedIn(t, 'admin');
    clerk = await signedIn(t, 'registry_clerk');
  });

  afterAll(async () => {
    await t.close();
  });

  it('a successful read writes one allowed event with the actor, the resource and the request id', async () => {
    const id = rid();
    const res = await request(t.server)
      .get(`/api/v1/users/${clerk.user.id}`)
      .set(bearer(admin.accessToken))
      .set('X-Request-Id', id);
    expect(res.status).toBe(200);
    expect(await eventsOf(t, id)).toEqual([
      expect.objectContaining({
        action: 'user.read',
        outcome: 'allowed',
        http_status: 200,
        actor_user_id: admin.user.id,
        actor_username: admin.username,
        actor_role: 'admin',
        resource_type: 'user',
        resource_id: clerk.user.id,
        result_count: 1,
        request_id: id,
        flagged: false,
      }),
    ]);
  });

  it.each([
    ['no token: denied 401', () => ({ headers: {} }), 401, 'denied', 'user.list'],
    ['wrong role: denied 403', () => ({ headers: bearer(clerk.accessToken) }), 403, 'denied', 'user.list'],
  ])('a refused request writes one event (%s)', async (_name, make, status, outcome, action) => {
    const id = rid();
    const res = await request(t.server).get('/api/v1/users').set(make().headers).set('X-Request-Id', id);
    expect(res.status).toBe(status);
    expect(await eventsOf(t, id)).toEqual([
      expect.objectContaining({ action, outcome, http_status: status, request_id: id }),
    ]);
  });

  it('a wrong-role event names the caller', async () => {
    const id = rid();
    await request(t.server).get('/api/v1/users').set(bearer(clerk.accessToken)).set('X-Request-Id', id);
    const [event] = await eventsOf(t, id);
    expect(event).toMatchObject({ actor_user_id: clerk.user.id, actor_role: 'registry_clerk', outcome: 'denied' });
  });

  it('invalid input, unknown records and unknown routes are recorded as errors', async () => {
    const bad = rid();
    await request(t.server)
      .post('/api/v1/users')
      .set(bearer(admin.accessToken))
      .set('X-Request-Id', bad)
      .send({ username: 'x' });
    expect(await eventsOf(t, bad)).toEqual([
      expect.objectContaining({ action: 'user.create', outcome: 'error', http_status: 400 }),
    ]);
    const missing = rid();
    await request(t.server)
      .get('/api/v1/users/00000000-0000-4000-8000-000000000000')
      .set(bearer(admin.accessToken))
      .set('X-Request-Id', missing);
    expect(await eventsOf(t, missing)).toEqual([
      expect.objectContaining({ action: 'user.read', outcome: 'error', http_status: 404 }),
    ]);
    const nowhere = rid();
    await request(t.server).get('/api/v1/nowhere?jmbg=0101900350008').set('X-Request-Id', nowhere);
    expect(await eventsOf(t, nowhere)).toEqual([
      expect.objectContaining({
        action: 'route.unknown',
        outcome: 'error',
        http_status: 404,
        query: { jmbg: '0101900350008' },
      }),
    ]);
  });

  it('writes exactly one event per request for 50 concurrent reads', async () => {
    const ids = Array.from({ length: 50 }, () => rid('c'));
    const before = await eventCount(t);
    const answers = await Promise.all(
      ids.map((id) => request(t.server).get('/api/v1/auth/me').set(bearer(clerk.accessToken)).set('X-Request-Id', id)),
    );
    expect(tally(answers.map((res) => res.status))).toEqual({ 200: 50 });
    expect(await eventCount(t)).toBe(before + 50);
    const rows = await t.dataSource.query(
      `SELECT request_id, count(*)::int AS n FROM audit_events WHERE request_id = ANY($1) GROUP BY request_id`,
      [ids],
    );
    expect(tally(rows.map((row: { n: number }) => row.n))).toEqual({ 1: 50 });
  });

  it('does not audit health, metrics, keys or refused floods', async () => {
    const before = await eventCount(t);
    await request(t.server).get('/health/live');
    await request(t.server).get('/metrics');
    await request(t.server).get('/.well-known/jwks.json');
    expect(await eventCount(t)).toBe(before);
  });

  it('a failed sign-in keeps the username when it names an account, otherwise a keyed hash', async () => {
    const account = await createAccount(t, 'auditor');
    const known = rid();
    await request(t.server)
      .post('/api/v1/auth/login')
      .set('X-Request-Id', known)
      .send({ username: account.username, password: 'wrong-password-1' });
    expect(await eventsOf(t, known)).toEqual([
      expect.objectContaining({
        action: 'auth.login_failed',
        outcome: 'denied',
        http_status: 401,
        actor_user_id: account.user.id,
        actor_username: account.username,
      }),
    ]);
    const unknown = rid();
    await request(t.server)
      .post('/api/v1/auth/login')
      .set('X-Request-Id', unknown)
      .send({ username: 'Nobody.Here', password: 'secret-password' });
    const [event] = await eventsOf(t, unknown);
    expect(event.actor_username).toMatch(/^hmac:[\w-]{43}$/);
    expect(event.actor_user_id).toBeNull();
    // The same name gives the same hash, whatever its case; the password is nowhere.
    const again = rid();
    await request(t.server)
      .post('/api/v1/auth/login')
      .set('X-Request-Id', again)
      .send({ username: 'nobody.here', password: 'x' });
    expect((await eventsOf(t, again))[0].actor_username).toBe(event.actor_username);
    const [{ hits }] = await t.dataSource.query(
      `SELECT count(*)::int AS hits FROM audit_events WHERE audit_events::text LIKE '%secret-password%' OR audit_events::text LIKE '%wrong-password-1%'`,
    );
    expect(hits).toBe(0);
  });

  it('the lockout is a flagged event', async () => {
    const account = await createAccount(t, 'auditor');
    const ids = Array.from({ length: 5 }, () => rid('lock'));
    for (const id of ids) {
      await request(t.server)
        .post('/api/v1/auth/login')
        .set('X-Request-Id', id)
        .send({ username: account.username, password: 'wrong-password-1' });
    }
    expect((await eventsOf(t, ids[3]))[0]).toMatchObject({ action: 'auth.login_failed', flagged: false });
    expect((await eventsOf(t, ids[4]))[0]).toMatchObject({ action: 'auth.lockout', flagged: true, outcome: 'denied' });
  });

  it('a successful sign-in and a refresh reuse are recorded; the reuse is flagged', async () => {
    const account = await createAccount(t, 'judicial_officer');
    const login = rid();
    const tokens = await request(t.server)
      .post('/api/v1/auth/login')
      .set('X-Request-Id', login)
      .send({ username: account.username, password: account.password });
    expect((await eventsOf(t, login))[0]).toMatchObject({
      action: 'auth.login',
      outcome: 'allowed',
      http_status: 200,
      actor_user_id: account.user.id,
    });
    await request(t.server).post('/api/v1/auth/refresh').send({ refreshToken: tokens.body.refreshToken });
    const reuse = rid();
    const res = await request(t.server)
      .post('/api/v1/auth/refresh')
      .set('X-Request-Id', reuse)
      .send({ refreshToken: tokens.body.refreshToken });
    expect(res.status).toBe(401);
    expect(await eventsOf(t, reuse)).toEqual([
      expect.objectContaining({
        action: 'auth.refresh_reuse',
        outcome: 'denied',
        http_status: 401,
        flagged: true,
        actor_user_id: account.user.id,
      }),
    ]);
  });

  it('user administration records before and after, flags role grants, and never secrets', async () => {
    const officer = await createAccount(t, 'police_officer', 'PU-NIS');
    const id = rid();
    await request(t.server)
      .patch(`/api/v1/users/${officer.user.id}`)
      .set(bearer(admin.accessToken))
      .set('If-Match', '1')
      .set('X-Request-Id', id)
      .send({ region: 'PU-BOR' });
    const [event] = await eventsOf(t, id);
    expect(event).toMatchObject({ action: 'user.update', flagged: true, resource_id: officer.user.id });
    expect(event.details).toEqual({
      before: expect.objectContaining({ role: 'police_officer', region: 'PU-NIS', active: true }),
      after: expect.objectContaining({ role: 'police_officer', region: 'PU-BOR', active: true }),
    });
    expect(JSON.stringify(event)).not.toMatch(/argon2|password/i);

    const reset = rid();
    await request(t.server)
      .post(`/api/v1/users/${officer.user.id}/reset-password`)
      .set(bearer(admin.accessToken))
      .set('X-Request-Id', reset);
    // An officer's reset is held for a second admin.
    expect((await eventsOf(t, reset))[0]).toMatchObject({
      action: 'user.password_reset_request',
      flagged: true,
      outcome: 'allowed',
      http_status: 202,
    });
  });

  describe('X-Access-Reason', () => {
    it('is required on register routes: 400 reason_required, still audited', async () => {
      const id = rid();
      const res = await request(t.server)
        .get('/api/v1/persons-probe')
        .set(bearer(clerk.accessToken))
        .set('X-Request-Id', id);
      expect(res.status).toBe(400);
      expect(res.body.type).toBe('urn:register:problem:reason_required');
      expect(await eventsOf(t, id)).toEqual([
        expect.objectContaining({ action: 'person.search', outcome: 'error', http_status: 400 }),
      ]);
    });

    it.each([['ab'], ['x'.repeat(201)], ['%E0%A4%A'], ['line%0Abreak']])(
      'refuses a malformed reason %j',
      async (reason) => {
        const res = await request(t.server)
          .get('/api/v1/persons-probe')
          .set(bearer(clerk.accessToken))
          .set('X-Access-Reason', reason);
        expect(res.status).toBe(400);
        expect(res.body.type).toBe('urn:register:problem:reason_required');
      },
    );

    it('decodes percent-encoded UTF-8 and stores the reason on the event', async () => {
      const id = rid();
      const res = await request(t.server)
        .get('/api/v1/persons-probe')
        .set(bearer(clerk.accessToken))
        .set('X-Request-Id', id)
        .set('X-Access-Reason', 'KT-12%2F2026 %C4%8Dlan 3');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ reason: 'KT-12/2026 član 3' });
      expect((await eventsOf(t, id))[0]).toMatchObject({ reason: 'KT-12/2026 član 3', outcome: 'allowed' });
    });

    it('comes after 401 and 403', async () => {
      expect((await request(t.server).get('/api/v1/persons-probe')).status).toBe(401);
    });
  });
});

describe('fail closed', () => {
  let t: TestApp;
  let admin: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signedIn(t, 'admin');
    // From here on no audit event can be written.
    await t.dataSource.query(
      `ALTER TABLE audit_events ADD CONSTRAINT audit_events_broken CHECK (action = 'never.happens') NOT VALID`,
    );
  });

  afterAll(async () => {
    await t.close();
  });

  it('a write answers 503 and changes nothing', async () => {
    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM users`);
    const res = await request(t.server).post('/api/v1/users').set(bearer(admin.accessToken)).send({
      username: 'never.created',
      password: 'a long enough passphrase',
      displayName: 'N',
      role: 'auditor',
      organisation: 'UIKS',
    });
    expect(res.status).toBe(503);
    expect(res.body.type).toBe('urn:register:problem:unavailable');
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM users`)).toEqual(before);
  });

  it('a read answers 503 and returns no data', async () => {
    const res = await request(t.server).get(`/api/v1/users/${admin.user.id}`).set(bearer(admin.accessToken));
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.text).not.toContain(admin.username);
    expect(res.headers.etag).toBeUndefined();
  });

  it('a refusal answers 503 too, and a sign-in opens no session', async () => {
    expect((await request(t.server).get('/api/v1/users')).status).toBe(503);
    const sessions = await t.dataSource.query(`SELECT count(*)::int AS n FROM sessions`);
    const res = await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: admin.username, password: admin.password });
    expect(res.status).toBe(503);
    expect(res.text).not.toMatch(/accessToken/);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM sessions`)).toEqual(sessions);
  });
});

describe('append-only in the database', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    const auditor = await createAccount(t, 'auditor');
    await request(t.server).get('/api/v1/nowhere');
    // A row in every audit table, so that row triggers have something to refuse.
    await sealWritten(t);
    await t.dataSource.query(
      `INSERT INTO audit_reviews (event_id, reviewer_user_id, reviewer_username, note)
       SELECT id, $1, $2, 'seen' FROM audit_events ORDER BY seq LIMIT 1`,
      [auditor.user.id, auditor.username],
    );
  });

  afterAll(async () => {
    await t.close();
  });

  const asOwner = (sql: string) => t.dataSource.query(sql);
  const asRuntimeRole = (sql: string) =>
    t.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL ROLE register_app');
      return manager.query(sql);
    });

  it.each([
    ['UPDATE audit_events SET reason = $$x$$'],
    ['DELETE FROM audit_events'],
    ['TRUNCATE audit_events CASCADE'],
    ['UPDATE audit_seals SET key_id = $$x$$'],
    ['TRUNCATE audit_seals'],
    ['DELETE FROM audit_reviews'],
  ])('the owner is refused by the triggers: %s', async (sql) => {
    await expect(asOwner(sql)).rejects.toThrow(/append-only/);
  });

  it.each([['UPDATE audit_events SET reason = $$x$$'], ['DELETE FROM audit_events'], ['TRUNCATE audit_events']])(
    'the runtime role has no privilege: %s',
    async (sql) => {
      await expect(asRuntimeRole(sql)).rejects.toThrow(/permission denied/);
    },
  );

  it('the runtime role may insert and read events', async () => {
    await asRuntimeRole(`INSERT INTO audit_events (action, outcome) VALUES ('test.insert', 'allowed')`);
    const rows = await asRuntimeRole(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'test.insert'`);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('the database, not the writer, sets the time and the transaction', async () => {
    await asOwner(`INSERT INTO audit_events (action, outcome, at) VALUES ('test.backdated', 'allowed', '2000-01-01')`);
    const [row] = await asOwner(
      `SELECT at > now() - interval '1 minute' AS recent FROM audit_events WHERE action = 'test.backdated'`,
    );
    expect(row.recent).toBe(true);
  });
});
