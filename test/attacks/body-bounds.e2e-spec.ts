import { randomUUID } from 'node:crypto';
import { eventsOf, rid, tally } from '../support/audit';
import { signedIn, type TestAccount, type Tokens } from '../support/identity';
import { RawClient, type RawRequest, type RawResponse } from '../support/raw-http';
import { REASON } from '../support/register';
import { randomParams, type RegisteredRoute, registeredRoutes, urlOf } from '../support/routes';
import { unsafeAnswer } from '../support/safe-answer';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Hardening #14, class 2: one request must not hold the event loop. A JSON
 * body under the 1 MiB limit with some 80,000 keys cost 4-5 s of CPU in
 * validation (one error per unknown key, every one listed in the answer);
 * ten at once made /health/live wait 46 s. The body is now measured against
 * its bounds (keys per object, list length, text length, values in all,
 * depth) in one pass over its text, before it is parsed; a validation
 * answer lists at most 20 errors. Times are printed, never asserted.
 */

const VALIDATION = 'urn:register:problem:validation';
/** The most errors a validation answer lists. */
const LISTED = 20;
/** What an answer to a hostile body may weigh: a problem and 20 errors naming fields of up to 200 characters. */
const SMALL_ANSWER = 8_192;

/** `{"k0":0,"k1":0,...}` with `count` keys: about 80,000 fit under 1 MiB. */
const manyKeys = (count: number, prefix = 'k'): string =>
  `{${Array.from({ length: count }, (_, i) => `"${prefix}${i}":0`).join(',')}}`;
const KEYS_80K = manyKeys(80_000);

const json = (path: string, body: string, headers: Record<string, string> = {}): RawRequest => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/json', ...headers },
  body,
});

/**
 * One request on loopback: its round trip, and the CPU this process spent
 * meanwhile (the app runs in it; the client's part is sending the bytes),
 * both in milliseconds. The machine is shared: the CPU time is the steadier.
 */
async function timed(client: RawClient, req: RawRequest): Promise<{ res: RawResponse; ms: number; cpuMs: number }> {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const res = await client.send(req);
  const spent = process.cpuUsage(cpu);
  return { res, ms: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: (spent.user + spent.system) / 1000 };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Routes that take a body (the class applies to them; others never parse one). */
const bodyRoutes = (t: TestApp): RegisteredRoute[] =>
  registeredRoutes(t).filter((route) => ['POST', 'PUT', 'PATCH'].includes(route.method));

describe('bounded work per request body', () => {
  let t: TestApp;
  let client: RawClient;
  let clerk: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_MAX: '1000000', VETTING_VERIFY_PER_MINUTE: '1000000' });
    client = await RawClient.start(t.server);
    clerk = await signedIn(t, 'registry_clerk');
  });

  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  it('answers the 80,000-key sign-in body with one small 400, recorded once', async () => {
    expect(KEYS_80K.length).toBeLessThan(1024 * 1024);
    const requestId = rid('keys');
    const { res, ms } = await timed(client, json('/api/v1/auth/login', KEYS_80K, { 'x-request-id': requestId }));
    console.log(`80,000 keys (${KEYS_80K.length} bytes) to POST /auth/login: ${res.status} in ${ms.toFixed(1)} ms`);

    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      type: VALIDATION,
      title: 'The request is not valid',
      status: 400,
      detail: 'The request body has an object with more than 50 properties.',
      instance: '/api/v1/auth/login',
    });
    expect(res.raw.length).toBeLessThan(SMALL_ANSWER);
    const events = await eventsOf(t, requestId);
    expect(events.map((e) => [e.action, e.outcome, e.http_status])).toEqual([['http.request', 'error', 400]]);
  });

  it('refuses it the same way on every route that takes a body, signed in or not, each recorded once', async () => {
    const routes = bodyRoutes(t);
    expect(routes.length).toBeGreaterThan(30);
    const sent = routes.flatMap((route) =>
      [{}, { authorization: `Bearer ${clerk.accessToken}`, ...REASON }].map((headers) => ({
        route: route.route,
        requestId: rid('keys-route'),
        req: json(urlOf(route, randomParams(route)), KEYS_80K, headers),
      })),
    );
    const answers: { route: string; requestId: string; res: RawResponse }[] = [];
    for (let i = 0; i < sent.length; i += 8) {
      const batch = sent.slice(i, i + 8);
      answers.push(
        ...(await Promise.all(
          batch.map(async ({ route, requestId, req }) => ({
            route,
            requestId,
            res: await client.send({ ...req, headers: { ...req.headers, 'x-request-id': requestId } }),
          })),
        )),
      );
    }
    const wrong = answers.filter(
      ({ res }) =>
        res.status !== 400 ||
        (res.json as { type?: string }).type !== VALIDATION ||
        (res.json as { detail?: string }).detail !== 'The request body has an object with more than 50 properties.' ||
        res.raw.length >= SMALL_ANSWER ||
        unsafeAnswer(res).length > 0,
    );
    expect(wrong.map(({ route, res }) => `${route}: ${res.status} ${res.raw.length} bytes`)).toEqual([]);
    const events = await Promise.all(answers.map(({ requestId }) => eventsOf(t, requestId)));
    expect(tally(events.map((list) => list.length))).toEqual({ 1: answers.length });
    expect(tally(events.map(([event]) => `${event.outcome} ${event.http_status}`))).toEqual({
      'error 400': answers.length,
    });
  });

  it('refuses each bound at its first step past it, and lets a body at every bound through to validation', async () => {
    const login = (body: string) => client.send(json('/api/v1/auth/login', body));
    const detail = async (body: string) => {
      const res = await login(body);
      expect({ status: res.status, type: (res.json as { type?: string }).type }).toEqual({
        status: 400,
        type: VALIDATION,
      });
      return (res.json as { detail: string }).detail;
    };
    const nested = (depth: number) => `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
    const list = (length: number) => `{"a":[${Array(length).fill('0').join(',')}]}`;
    const text = (length: number) => `{"a":"${'x'.repeat(length)}"}`;
    const escaped = (length: number) => `{"a":"${'\\u0161'.repeat(length)}"}`;
    const key = (length: number) => `{"${'k'.repeat(length)}":0}`;
    // The body, 50 properties, each a list of 4 items: 1 + 50 + 50 * 4 = 251 values; 5 items make 301.
    const values = (items: number) =>
      `{${Array.from({ length: 50 }, (_, i) => `"k${i}":[${Array(items).fill('0').join(',')}]`).join(',')}}`;

    expect(await detail(nested(33))).toBe('The request body is nested deeper than 32 levels.');
    expect(await detail(manyKeys(51))).toBe('The request body has an object with more than 50 properties.');
    expect(await detail(list(51))).toBe('The request body has a list with more than 50 items.');
    expect(await detail(text(10_001))).toBe('The request body has a text longer than 10000 characters.');
    expect(await detail(escaped(10_001))).toBe('The request body has a text longer than 10000 characters.');
    expect(await detail(key(201))).toBe('The request body has a property name longer than 200 characters.');
    expect(await detail(values(5))).toBe('The request body has more than 300 values.');

    // At the bounds the body is parsed and validated: the answer is the DTO's, not the bound's.
    for (const body of [nested(32), manyKeys(50), list(50), text(10_000), escaped(10_000), key(200), values(4)]) {
      expect(await detail(body)).toMatch(/^Some fields are not valid\.( The first 20 of \d+ errors are listed\.)?$/);
    }
  });

  it('lists at most 20 errors in any validation answer, saying how many there were', async () => {
    // 50 unknown keys: within the bounds, so the validation pipe names each one.
    const body = await client.send(json('/api/v1/auth/login', manyKeys(50, 'unknown')));
    expect(body.status).toBe(400);
    const problem = body.json as { detail: string; errors: { field: string; message: string }[] };
    // 50 unknown properties, and the username and password missing (two rules each).
    expect(problem.detail).toBe(`Some fields are not valid. The first ${LISTED} of 54 errors are listed.`);
    expect(problem.errors).toHaveLength(LISTED);
    expect(problem.errors[0]).toEqual({ field: 'unknown0', message: 'is not a known property' });

    // 1,000 unknown query parameters on a list (its query DTO names each).
    const query = Array.from({ length: 1_000 }, (_, i) => `q${i}=1`).join('&');
    const list = await client.send({
      method: 'GET',
      path: `/api/v1/persons?${query}`,
      headers: { authorization: `Bearer ${clerk.accessToken}`, ...REASON },
    });
    expect(list.status).toBe(400);
    const listed = list.json as { detail: string; errors: unknown[] };
    expect(listed.detail).toBe(`Some fields are not valid. The first ${LISTED} of 1000 errors are listed.`);
    expect(listed.errors).toHaveLength(LISTED);
    expect(list.raw.length).toBeLessThan(SMALL_ANSWER);
  });

  it('costs a few milliseconds for any body under the size limit (printed, not asserted)', async () => {
    const convictions = (route: string) => route === 'POST persons/:id/convictions';
    const [conviction] = bodyRoutes(t).filter((route) => convictions(route.route));
    const shapes: [string, string][] = [
      ['80,000 keys', KEYS_80K],
      ['500,000 numbers in a list', `[${Array(500_000).fill('0').join(',')}]`],
      ['one text of 1 MB', JSON.stringify({ a: 'x'.repeat(1_000_000) })],
      ['170,000 escapes in one text', `{"a":"${'\\u0161'.repeat(170_000)}"}`],
      [
        '30,000 lists 15 deep',
        `[${Array(30_000)
          .fill(`${'['.repeat(15)}${']'.repeat(15)}`)
          .join(',')}]`,
      ],
      ['1 MB of white space around {}', `${' '.repeat(1_000_000)}{}`],
      ['50 keys of 200 characters, texts of 10,000', keyedTexts()],
      [
        '251 values (at the bound)',
        `{${Array.from({ length: 50 }, (_, i) => `"k${i}":[${Array(4).fill('0').join(',')}]`).join(',')}}`,
      ],
    ];
    const rows: string[] = [];
    const send = async (label: string, path: string, body: string, headers: Record<string, string> = {}) => {
      expect(body.length).toBeLessThanOrEqual(1024 * 1024);
      const times: number[] = [];
      const cpu: number[] = [];
      let last: RawResponse | undefined;
      for (let i = 0; i < 5; i++) {
        const { res, ms, cpuMs } = await timed(client, json(path, body, headers));
        times.push(ms);
        cpu.push(cpuMs);
        last = res;
      }
      rows.push(
        `${label.padEnd(52)} ${String(body.length).padStart(8)} B  ${last!.status}  ` +
          `round trip median ${median(times).toFixed(1)} ms (max ${Math.max(...times).toFixed(1)}), ` +
          `CPU median ${median(cpu).toFixed(1)} ms`,
      );
      expect({ label, status: last!.status, type: (last!.json as { type?: string }).type }).toEqual({
        label,
        status: 400,
        type: VALIDATION,
      });
      expect(last!.raw.length).toBeLessThan(SMALL_ANSWER);
    };
    for (const [label, body] of shapes) await send(`${label} → /auth/login`, '/api/v1/auth/login', body);
    // The widest bodies that pass the bounds into a nested DTO: offences full of unknown keys.
    for (const [count, keys] of [
      [50, 1],
      [50, 4],
    ]) {
      const offences = Array.from({ length: count }, () => manyKeys(keys, 'x')).join(',');
      await send(
        `${count} offences × ${keys} unknown keys → /convictions`,
        urlOf(conviction, { id: randomUUID() }),
        `{"offences":[${offences}]}`,
        { authorization: `Bearer ${clerk.accessToken}`, ...REASON },
      );
    }
    console.log(`Bodies under the 1 MiB limit, 5 requests each:\n${rows.join('\n')}`);
  });

  it('keeps /health/live answering while ten 80,000-key bodies arrive at once', async () => {
    const health: number[] = [];
    let flooding = true;
    const probe = (async () => {
      while (flooding) {
        const { res, ms } = await timed(client, { method: 'GET', path: '/health/live' });
        expect(res.status).toBe(200);
        health.push(ms);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => client.send(json('/api/v1/auth/login', KEYS_80K))),
    );
    const elapsed = Date.now() - started;
    flooding = false;
    await probe;
    console.log(
      `ten 80,000-key bodies at once: all answered in ${elapsed} ms; /health/live answered ${health.length} times ` +
        `meanwhile, slowest ${Math.max(...health).toFixed(1)} ms, median ${median(health).toFixed(1)} ms`,
    );
    expect(tally(answers.map((res) => res.status))).toEqual({ 400: 10 });
    expect(health.length).toBeGreaterThan(0);
  });
});

/** 50 properties, each a 200-character name with a 10,000-character text: about 510 kB, inside every bound. */
function keyedTexts(): string {
  return `{${Array.from({ length: 50 }, (_, i) => `"${String(i).padStart(200, 'k')}":"${'x'.repeat(10_000)}"`).join(',')}}`;
}
