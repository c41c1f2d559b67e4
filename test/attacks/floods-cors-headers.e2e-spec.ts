import { createAccount, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { RawClient, type RawRequest, type RawResponse } from '../support/raw-http';
import { insertRecords, type Records } from '../support/records';
import { REASON } from '../support/register';
import { unsafeAnswer } from '../support/safe-answer';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Hardening, "Attacks" 6: the per-address rate limit under a flood, the
 * login lockout per account, CORS closed unless configured, and the
 * security headers on every kind of answer. (test/http.e2e-spec.ts checks
 * the basic 429 and the headers of one health answer; this goes further.)
 */

const PROBLEM = /^application\/problem\+json/;

async function auditCount(t: TestApp): Promise<number> {
  const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM audit_events`);
  return count;
}

const login = (client: RawClient, username: string, password: string): Promise<RawResponse> =>
  client.send({
    method: 'POST',
    path: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });

describe('a flood from one address', () => {
  const LIMIT = 25;
  let t: TestApp;
  let client: RawClient;
  let account: TestAccount;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_MAX: String(LIMIT), RATE_LIMIT_WINDOW_SECONDS: '60' });
    client = await RawClient.start(t.server);
    account = await createAccount(t, 'judicial_officer');
  });

  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  it('lets exactly the limit through, answers the rest 429 with Retry-After, and audits none of the 429s', async () => {
    const before = await auditCount(t);
    // Every kind of request an attacker might send, 10 times the limit, many at once; some spoof
    // X-Forwarded-For, which counts for nothing without TRUST_PROXY.
    const requests = Array.from({ length: LIMIT * 10 }, (_, i): RawRequest => {
      const requestId = `flood-${i}`;
      const kinds: RawRequest[] = [
        { method: 'GET', path: '/api/v1/persons', headers: { ...REASON } },
        { method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, body: '{' },
        { method: 'GET', path: '/api/v1/persons/%ZZ', headers: { authorization: 'Bearer forged' } },
        { method: 'GET', path: '/api/v1/no-such-route' },
        { method: 'GET', path: '/health/live' },
      ];
      // In the second half, long after the limit is spent, wrong passwords for a real account.
      const request: RawRequest =
        i >= LIMIT * 5 && i % 5 === 1
          ? {
              method: 'POST',
              path: '/api/v1/auth/login',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ username: account.username, password: 'wrong-password-123' }),
            }
          : kinds[i % kinds.length];
      return {
        ...request,
        headers: {
          ...request.headers,
          'x-request-id': requestId,
          ...(i % 3 === 0 ? { 'x-forwarded-for': `203.0.113.${i % 250}` } : {}),
        },
      };
    });
    const answers: RawResponse[] = [];
    for (let i = 0; i < requests.length; i += 50) {
      answers.push(...(await Promise.all(requests.slice(i, i + 50).map((r) => client.send(r)))));
    }

    const limited = answers.filter((res) => res.status === 429);
    const passed = answers.filter((res) => res.status !== 429);
    expect(passed).toHaveLength(LIMIT);
    expect(limited).toHaveLength(requests.length - LIMIT);
    for (const res of limited) {
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.json).toMatchObject({ type: 'urn:register:problem:rate_limited', status: 429 });
      const retryAfter = Number(res.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(res.headers['x-request-id']).toMatch(/^flood-\d+$/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      if (requests[idOf(res)].path.startsWith('/api/v1/')) expect(res.headers['cache-control']).toBe('no-store');
      expect(unsafeAnswer(res)).toEqual([]);
    }

    // One event per request under /api/v1 that got past the limit, and nothing for the 429s.
    const passedUnderApi = passed.filter((res) => !/^\/health\//.test(requests[idOf(res)].path));
    expect((await auditCount(t)) - before).toBe(passedUnderApi.length);
    const limitedIds = limited.map((res) => res.headers['x-request-id'] as string);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM audit_events WHERE request_id = ANY($1::text[])`,
      [limitedIds],
    );
    expect(count).toBe(0);

    // Refused logins never reach the account: 50 wrong passwords, no failure counted, no lock.
    const [row] = await t.dataSource.query(`SELECT failed_logins, locked_until FROM users WHERE id = $1`, [
      account.user.id,
    ]);
    expect(row).toEqual({ failed_logins: 0, locked_until: null });
  });

  it('keeps refusing while the window lasts, whatever the route, the token or the spoofed address', async () => {
    const clerk = await createAccount(t, 'registry_clerk');
    const before = await auditCount(t);
    const requests: RawRequest[] = [
      { method: 'GET', path: '/api/v1/auth/me', headers: { authorization: `Bearer x.y.z` } },
      { method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, body: '{' },
      {
        method: 'POST',
        path: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: clerk.username, password: clerk.password }),
      },
      { method: 'GET', path: '/metrics', headers: { 'x-forwarded-for': '198.51.100.7' } },
      { method: 'GET', path: `/api/v1/persons/${'x'.repeat(5000)}`, headers: { 'x-real-ip': '198.51.100.8' } },
      { method: 'OPTIONS', path: '/api/v1/persons', headers: { origin: 'https://evil.example' } },
    ];
    for (const request of requests) {
      const res = await client.send(request);
      expect({ path: request.path.slice(0, 40), status: res.status }).toEqual({
        path: request.path.slice(0, 40),
        status: 429,
      });
      expect(res.headers['retry-after']).toBeDefined();
    }
    expect(await auditCount(t)).toBe(before);
  });

  function idOf(res: RawResponse): number {
    return Number(String(res.headers['x-request-id']).replace('flood-', ''));
  }
});

describe('login lockout, CORS and security headers (CORS not configured)', () => {
  let t: TestApp;
  let client: RawClient;
  let clerk: TestAccount & Tokens;
  let records: Records;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_MAX: '100000', LOGIN_MAX_FAILURES: '5', LOGIN_LOCK_MINUTES: '15' });
    client = await RawClient.start(t.server);
    clerk = await signedIn(t, 'registry_clerk');
    records = await insertRecords(t, clerk.user.id);
  });

  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  describe('lockout per account, never per address', () => {
    it('five failures lock that account only; another account from the same address still signs in', async () => {
      const victim = await createAccount(t, 'police_officer', 'PU-NIS');
      const colleague = await createAccount(t, 'police_officer', 'PU-NIS');
      const first = await login(client, victim.username, 'wrong-password-123');
      expect(first.status).toBe(401);
      for (let i = 0; i < 4; i++) expect((await login(client, victim.username, 'wrong-password-123')).status).toBe(401);

      // The right password no longer opens the locked account, with the same answer as a wrong one.
      const locked = await login(client, victim.username, victim.password);
      expect(locked.status).toBe(401);
      expect(locked.json).toEqual(first.json);

      // The same address signs in to another account at once.
      const other = await login(client, colleague.username, colleague.password);
      expect(other.status).toBe(200);
      expect(other.json).toMatchObject({ tokenType: 'Bearer' });

      const rows: { id: string; failed_logins: number; locked: boolean }[] = await t.dataSource.query(
        `SELECT id, failed_logins, locked_until > now() AS locked FROM users WHERE id = ANY($1::uuid[])`,
        [[victim.user.id, colleague.user.id]],
      );
      expect(Object.fromEntries(rows.map((r) => [r.id, r.locked === true]))).toEqual({
        [victim.user.id]: true,
        [colleague.user.id]: false,
      });
      const [lockout] = await t.dataSource.query(
        `SELECT actor_username, flagged FROM audit_events WHERE action = 'auth.lockout' AND actor_user_id = $1`,
        [victim.user.id],
      );
      expect(lockout).toEqual({ actor_username: victim.username, flagged: true });
    });

    it('failures spread over accounts and unknown names lock nobody', async () => {
      const a = await createAccount(t, 'judicial_officer');
      const b = await createAccount(t, 'judicial_officer');
      for (let i = 0; i < 4; i++) {
        expect((await login(client, a.username, 'wrong-password-123')).status).toBe(401);
        expect((await login(client, b.username, 'wrong-password-123')).status).toBe(401);
      }
      // Twenty failures for names that are no account, from the same address.
      for (let i = 0; i < 20; i++) expect((await login(client, `nobody.${i}`, 'wrong-password-123')).status).toBe(401);
      expect((await login(client, a.username, a.password)).status).toBe(200);
      expect((await login(client, b.username, b.password)).status).toBe(200);
    });
  });

  describe('CORS, closed when CORS_ORIGINS is empty', () => {
    it.each([
      ['OPTIONS', '/api/v1/persons'],
      ['OPTIONS', '/api/v1/auth/login'],
      ['OPTIONS', '/health/live'],
    ])('a preflight %s %s from an unknown origin gets no CORS grant', async (method, path) => {
      const res = await client.send({
        method,
        path,
        headers: {
          origin: 'https://evil.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, x-access-reason, content-type',
        },
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(unsafeAnswer(res)).toEqual([]);
      for (const header of [
        'access-control-allow-origin',
        'access-control-allow-methods',
        'access-control-allow-headers',
        'access-control-allow-credentials',
        'access-control-expose-headers',
      ]) {
        expect(res.headers[header]).toBeUndefined();
      }
    });

    it('a simple request with an Origin is answered without Access-Control-Allow-Origin', async () => {
      const res = await client.send({
        method: 'GET',
        path: `/api/v1/persons/${records.personId}`,
        headers: { origin: 'https://evil.example', authorization: `Bearer ${clerk.accessToken}`, ...REASON },
      });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });
  });

  describe('security headers on every kind of answer', () => {
    const as = (token: string) => ({ authorization: `Bearer ${token}`, ...REASON });
    const cases: [string, () => Promise<RawResponse>, number][] = [
      [
        'register data: a person',
        () =>
          client.send({ method: 'GET', path: `/api/v1/persons/${records.personId}`, headers: as(clerk.accessToken) }),
        200,
      ],
      [
        'register data: a search',
        () => client.send({ method: 'GET', path: '/api/v1/persons?q=Petrovi', headers: as(clerk.accessToken) }),
        200,
      ],
      [
        'register data: a part list',
        () =>
          client.send({
            method: 'GET',
            path: `/api/v1/persons/${records.personId}/addresses`,
            headers: as(clerk.accessToken),
          }),
        200,
      ],
      [
        'register data: a photo',
        () =>
          client.send({
            method: 'GET',
            path: `/api/v1/persons/${records.personId}/photos/${records.photoId}`,
            headers: as(clerk.accessToken),
          }),
        200,
      ],
      ['who am I', () => client.send({ method: 'GET', path: '/api/v1/auth/me', headers: as(clerk.accessToken) }), 200],
      ['tokens', () => login(client, clerk.username, clerk.password), 200],
      ['401', () => client.send({ method: 'GET', path: `/api/v1/persons/${records.personId}`, headers: REASON }), 401],
      [
        '400 reason',
        () =>
          client.send({
            method: 'GET',
            path: `/api/v1/persons/${records.personId}`,
            headers: { authorization: `Bearer ${clerk.accessToken}` },
          }),
        400,
      ],
      ['404 unknown path', () => client.send({ method: 'GET', path: '/api/v1/nowhere' }), 404],
      [
        '400 malformed path',
        () => client.send({ method: 'GET', path: '/api/v1/persons/%ZZ', headers: as(clerk.accessToken) }),
        400,
      ],
      [
        '404 over-long id',
        () =>
          client.send({ method: 'GET', path: `/api/v1/persons/${'a'.repeat(10_000)}`, headers: as(clerk.accessToken) }),
        404,
      ],
    ];

    it.each(cases)('%s', async (_name, send, status) => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(unsafeAnswer(res)).toEqual([]);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['server']).toBeUndefined();
      expect(res.headers['x-request-id']).toBeDefined();
      // Answers under /api/v1 carry register data, tokens or refusals about them: never stored by a cache.
      expect(res.headers['cache-control']).toMatch(/\bno-store\b/);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it.each(cases.filter(([name]) => !/malformed path|over-long/.test(name)))(
      '%s: framing refused, HSTS for a year with subdomains, no referrer',
      async (_name, send) => {
        const res = await send();
        expect(res.headers['x-frame-options']).toMatch(/^(DENY|SAMEORIGIN)$/);
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        const hsts = /max-age=(\d+)/.exec(String(res.headers['strict-transport-security']));
        expect(Number(hsts?.[1])).toBeGreaterThanOrEqual(31_536_000);
        expect(res.headers['strict-transport-security']).toContain('includeSubDomains');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      },
    );
  });
});

describe('CORS with CORS_ORIGINS set', () => {
  const CONSOLE = 'https://console.register.example';
  let t: TestApp;
  let client: RawClient;
  let clerk: TestAccount & Tokens;
  let records: Records;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_MAX: '100000', CORS_ORIGINS: CONSOLE });
    client = await RawClient.start(t.server);
    clerk = await signedIn(t, 'registry_clerk');
    records = await insertRecords(t, clerk.user.id);
  });

  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  const preflight = (origin: string) =>
    client.send({
      method: 'OPTIONS',
      path: `/api/v1/persons/${records.personId}`,
      headers: {
        origin,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization, x-access-reason, if-match, content-type',
      },
    });

  it('grants a preflight from the configured origin, to that origin only, without credentials', async () => {
    const res = await preflight(CONSOLE);
    expect(res.status).toBeLessThan(300);
    expect(res.headers['access-control-allow-origin']).toBe(CONSOLE);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(String(res.headers['access-control-allow-methods'])).toMatch(/PATCH/);
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toMatch(/x-access-reason/);
    expect(String(res.headers['vary'] ?? '')).toMatch(/origin/i);
  });

  it.each([
    'https://evil.example',
    `${CONSOLE}.evil.example`,
    `${CONSOLE}:8443`,
    'http://console.register.example',
    'https://evil-console.register.example',
    'null',
  ])('refuses a preflight from %s', async (origin) => {
    const res = await preflight(origin);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('answers a real request from the configured origin with that origin and the headers a client reads', async () => {
    const res = await client.send({
      method: 'GET',
      path: `/api/v1/persons/${records.personId}`,
      headers: { origin: CONSOLE, authorization: `Bearer ${clerk.accessToken}`, ...REASON },
    });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(CONSOLE);
    expect(String(res.headers['access-control-expose-headers']).toLowerCase()).toEqual(
      expect.stringContaining('x-request-id'),
    );
    const other = await client.send({
      method: 'GET',
      path: `/api/v1/persons/${records.personId}`,
      headers: { origin: 'https://evil.example', authorization: `Bearer ${clerk.accessToken}`, ...REASON },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
