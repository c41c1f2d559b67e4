import type { AddressInfo } from 'node:net';
import { eventsOf, type EventRow, rid, tally } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { RawClient, type RawRequest, type RawResponse } from '../support/raw-http';
import { REASON } from '../support/register';
import { randomParams, type RegisteredRoute, registeredRoutes, urlOf } from '../support/routes';
import { unsafeAnswer } from '../support/safe-answer';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Hardening #14, classes 4 and 10.
 *
 * 4. Every routed request under /api/v1 leaves exactly one audit event. A
 *    percent-encoded prefix (`/api/v%31/...`) or an absolute-form request
 *    target (`GET http://host/api/v1/... HTTP/1.1`) reached the handler but
 *    opened no event: refusals went untraced, and a signed-in request even
 *    failed with 500. Whether a request is under the API is now decided on
 *    the route the router matched (or, for an unmatched one, on the path as
 *    the router reads it); an address that is not valid percent-encoding is
 *    400, recorded.
 * 10. A body refused before the guard ran (bad JSON, too deep, over its
 *    bounds, 413, 415), and any refusal before routing, is recorded with the
 *    actor when the bearer token is valid (verified as the guard verifies
 *    it, revoked sessions included), never from an invalid one.
 */

/** Ways to write `/api/v1/<rest>` that the router reads as that path. */
const VARIANTS: [string, (rest: string, port: number) => string][] = [
  ['plain', (rest) => `/api/v1/${rest}`],
  ['an encoded digit', (rest) => `/api/v%31/${rest}`],
  ['an encoded prefix', (rest) => `/%61%70%69/%76%31/${rest}`],
  ['absolute-form', (rest, port) => `http://127.0.0.1:${port}/api/v1/${rest}`],
  ['absolute-form, another host', (rest) => `http://register.example/api/v1/${rest}`],
  ['absolute-form, https, encoded', (rest) => `HTTPS://register.example/api/v%31/${rest}`],
];

const PREFIXED = /^\/api\/v1\//;

/** Registered routes under /api/v1 (health, metrics and the JWKS live outside it). */
const apiRoutes = (t: TestApp): RegisteredRoute[] => registeredRoutes(t).filter((r) => PREFIXED.test(urlOf(r)));

const hasBody = (route: RegisteredRoute): boolean => ['POST', 'PUT', 'PATCH'].includes(route.method);

interface Sent {
  label: string;
  requestId: string;
  res: RawResponse;
}

describe('every routed request under the API leaves exactly one event', () => {
  let t: TestApp;
  let client: RawClient;
  let port: number;
  let clerk: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_MAX: '1000000', VETTING_VERIFY_PER_MINUTE: '1000000' });
    client = await RawClient.start(t.server);
    port = (t.server.address() as AddressInfo).port;
    clerk = await signedIn(t, 'registry_clerk');
  });

  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  async function send(label: string, req: RawRequest): Promise<Sent> {
    const requestId = rid('cover');
    const res = await client.send({ ...req, headers: { ...req.headers, 'x-request-id': requestId } });
    return { label, requestId, res };
  }

  /** Each route written every way, with `headers`: the same answer as the plain path, and one event each. */
  async function sweep(routes: RegisteredRoute[], headers: Record<string, string>): Promise<void> {
    const answers: { route: RegisteredRoute; sent: Sent[] }[] = [];
    for (const route of routes) {
      const rest = urlOf(route, randomParams(route)).replace(PREFIXED, '');
      const sent = await Promise.all(
        VARIANTS.map(([label, write]) =>
          send(label, {
            method: route.method,
            path: write(rest, port),
            headers: hasBody(route) ? { ...headers, 'content-type': 'application/json' } : headers,
            body: hasBody(route) ? '{}' : undefined,
          }),
        ),
      );
      answers.push({ route, sent });
    }
    const events = new Map<string, EventRow[]>();
    for (const { sent } of answers) {
      for (const { requestId } of sent) events.set(requestId, await eventsOf(t, requestId));
    }

    const differing: string[] = [];
    const unrecorded: string[] = [];
    const unsafe: string[] = [];
    for (const { route, sent } of answers) {
      const [plain] = sent;
      const [plainEvent] = events.get(plain.requestId)!;
      for (const { label, requestId, res } of sent) {
        const recorded = events.get(requestId)!;
        if (res.status !== plain.res.status)
          differing.push(`${route.route} (${label}): ${res.status}, plain ${plain.res.status}`);
        if (
          recorded.length !== 1 ||
          recorded[0].http_status !== res.status ||
          recorded[0].action !== plainEvent?.action
        ) {
          unrecorded.push(
            `${route.route} (${label}): ${res.status}, events ${JSON.stringify(recorded.map((e) => [e.action, e.http_status]))}`,
          );
        }
        if (unsafeAnswer(res, { allow503: false }).length > 0) unsafe.push(`${route.route} (${label}): ${res.status}`);
      }
    }
    expect(differing).toEqual([]);
    expect(unrecorded).toEqual([]);
    expect(unsafe).toEqual([]);
    const statuses = answers.flatMap(({ sent }) => sent.map(({ res }) => res.status));
    console.log(`${answers.length} routes × ${VARIANTS.length} ways: ${JSON.stringify(tally(statuses))}`);
  }

  it('records the refusal of every route, written every way, without a token', async () => {
    await sweep(apiRoutes(t), {});
  });

  it('records every route, written every way, for a signed-in clerk (answers as for the plain path, never 500)', async () => {
    // Signing out would end the session the sweep uses: it is taken alone below.
    const routes = apiRoutes(t).filter((route) => route.route !== 'POST auth/logout');
    await sweep(routes, { ...bearer(clerk.accessToken), ...REASON });
  });

  it('records a sign-out written every way, each ending its own session', async () => {
    for (const [label, write] of VARIANTS) {
      const session = await signedIn(t, 'judicial_officer');
      const sent = await send(label, {
        method: 'POST',
        path: write('auth/logout', port),
        headers: bearer(session.accessToken),
      });
      expect({ label, status: sent.res.status }).toEqual({ label, status: 204 });
      const events = await eventsOf(t, sent.requestId);
      expect(events.map((e) => [e.action, e.outcome, e.actor_user_id])).toEqual([
        ['auth.logout', 'allowed', session.user.id],
      ]);
      const [row] = await t.dataSource.query(
        `SELECT count(*)::int AS open FROM sessions WHERE user_id = $1 AND revoked_at IS NULL`,
        [session.user.id],
      );
      expect(row.open).toBe(0);
    }
  });

  it('records an unknown address under the API written every way as route.unknown', async () => {
    for (const [label, write] of VARIANTS) {
      const sent = await send(label, {
        method: 'GET',
        path: write('no-such-route', port),
        headers: bearer(clerk.accessToken),
      });
      expect({ label, status: sent.res.status }).toEqual({ label, status: 404 });
      const events = await eventsOf(t, sent.requestId);
      expect({ label, events: events.map((e) => [e.action, e.outcome, e.http_status]) }).toEqual({
        label,
        events: [['route.unknown', 'error', 404]],
      });
    }
  });

  it('refuses an address under the API that is not valid percent-encoding with 400, recorded once', async () => {
    const targets = [
      '/api/v%31/persons/%ZZ',
      '/api/v1/persons/%C0%AF',
      '/api/v1/persons/%E0%A4%A',
      '/api/v1/%u0070ersons',
      '/api/v%31/%',
      '/%61pi/v1/persons/%FF%FE',
      `http://127.0.0.1:${port}/api/v1/persons/%FF`,
    ];
    for (const path of targets) {
      const sent = await send(path, { method: 'GET', path, headers: { ...bearer(clerk.accessToken), ...REASON } });
      expect({ path, status: sent.res.status, type: (sent.res.json as { type?: string }).type }).toEqual({
        path,
        status: 400,
        type: 'urn:register:problem:validation',
      });
      const events = await eventsOf(t, sent.requestId);
      expect({ path, events: events.map((e) => [e.action, e.outcome, e.http_status]) }).toEqual({
        path,
        events: [['route.unknown', 'error', 400]],
      });
    }
    // Outside the API the same refusal is not an audited request.
    for (const path of ['/health/%ZZ', '/console/%C0%AF']) {
      const sent = await send(path, { method: 'GET', path });
      expect({ path, status: sent.res.status }).toEqual({ path, status: 400 });
      expect(await eventsOf(t, sent.requestId)).toEqual([]);
    }
  });
});

describe('refusals before the guard record the actor of a valid token', () => {
  let t: TestApp;
  let client: RawClient;
  let clerk: TestAccount & Tokens;
  let revoked: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_MAX: '1000000', VETTING_VERIFY_PER_MINUTE: '1000000' });
    client = await RawClient.start(t.server);
    clerk = await signedIn(t, 'registry_clerk');
    revoked = await signedIn(t, 'registry_clerk');
    const out = await client.send({
      method: 'POST',
      path: '/api/v1/auth/logout',
      headers: bearer(revoked.accessToken),
    });
    expect(out.status).toBe(204);
    // The revoked set is reloaded every few seconds: wait until this instance refuses the token.
    for (let i = 0; i < 100; i++) {
      const me = await client.send({ method: 'GET', path: '/api/v1/auth/me', headers: bearer(revoked.accessToken) });
      if (me.status === 401) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  /** Bodies the parser refuses before any guard: bad JSON, too deep, over the bounds, too large, not JSON. */
  const REFUSED_BODIES: [string, number, Record<string, string>, string][] = [
    ['bad JSON', 400, { 'content-type': 'application/json' }, '{"a":'],
    ['too deep', 400, { 'content-type': 'application/json' }, `{"a":${'['.repeat(40)}${']'.repeat(40)}}`],
    ['over the bounds', 400, { 'content-type': 'application/json' }, `[${Array(101).fill('0').join(',')}]`],
    ['too large', 413, { 'content-type': 'application/json' }, JSON.stringify({ a: 'x'.repeat(1024 * 1024) })],
    ['not JSON', 415, { 'content-type': 'text/plain' }, 'hello'],
  ];

  /** A token with the clerk's claims and a signature that is not ours. */
  const forged = (token: string): string => {
    const [header, payload, signature] = token.split('.');
    const flipped = (signature[5] === 'A' ? 'B' : 'A') + signature.slice(6);
    return `${header}.${payload}.${signature.slice(0, 5)}${flipped}`;
  };

  async function actorsOf(token: string | null, label: string): Promise<Record<string, number>> {
    const routes = registeredRoutes(t).filter(hasBody);
    const seen: string[] = [];
    for (const route of routes) {
      const path = urlOf(route, randomParams(route));
      const sent = await Promise.all(
        REFUSED_BODIES.map(async ([kind, status, headers, body]) => {
          const requestId = rid('actor');
          const res = await client.send({
            method: route.method,
            path,
            headers: { ...headers, ...(token ? bearer(token) : {}), ...REASON, 'x-request-id': requestId },
            body,
          });
          expect({ route: route.route, kind, status: res.status }).toEqual({ route: route.route, kind, status });
          return requestId;
        }),
      );
      for (const requestId of sent) {
        const events = await eventsOf(t, requestId);
        expect({ route: route.route, events: events.length }).toEqual({ route: route.route, events: 1 });
        seen.push(`${events[0].actor_user_id} ${events[0].actor_username} ${events[0].actor_role}`);
      }
    }
    console.log(`${label}: ${routes.length} routes × ${REFUSED_BODIES.length} refused bodies`);
    return tally(seen);
  }

  it('names the signed-in user on every refused body of every route that takes one', async () => {
    const total = registeredRoutes(t).filter(hasBody).length * REFUSED_BODIES.length;
    expect(await actorsOf(clerk.accessToken, 'valid token')).toEqual({
      [`${clerk.user.id} ${clerk.username} registry_clerk`]: total,
    });
  });

  it('names nobody for a forged, a revoked, a malformed or no token', async () => {
    const total = registeredRoutes(t).filter(hasBody).length * REFUSED_BODIES.length;
    for (const [label, token] of [
      ['forged signature', forged(clerk.accessToken)],
      ['revoked session', revoked.accessToken],
      ['not a token', 'x.y.z'],
      ['no token', null],
    ] as [string, string | null][]) {
      expect({ label, actors: await actorsOf(token, label) }).toEqual({ label, actors: { 'null null null': total } });
    }
  });

  it('names the signed-in user on refusals before routing: an unknown route, a bad address', async () => {
    for (const path of ['/api/v1/no-such-route', '/api/v1/persons/%ZZ', '/api/v%31/persons/%C0%AF']) {
      const requestId = rid('actor-route');
      const res = await client.send({
        method: 'GET',
        path,
        headers: { ...bearer(clerk.accessToken), 'x-request-id': requestId },
      });
      expect({ path, status: res.status }).toEqual({ path, status: path.includes('no-such') ? 404 : 400 });
      const events = await eventsOf(t, requestId);
      expect({ path, actors: events.map((e) => [e.actor_user_id, e.actor_role]) }).toEqual({
        path,
        actors: [[clerk.user.id, 'registry_clerk']],
      });
    }
  });
});
