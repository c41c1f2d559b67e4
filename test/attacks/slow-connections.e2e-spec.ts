import { type AddressInfo, connect, type Socket } from 'node:net';
import { type EventRow, eventsOf, rid, tally } from '../support/audit';
import { RawClient } from '../support/raw-http';
import { randomParams, registeredRoutes, urlOf } from '../support/routes';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Hardening #14, class 3: slow connections. Connections that never finished
 * their headers stayed open for minutes, and thousands of them exhausted the
 * file descriptors until health checks failed. Headers, whole requests and
 * idle kept-alive connections now have timeouts (HTTP_HEADERS_TIMEOUT_MS,
 * HTTP_REQUEST_TIMEOUT_MS, HTTP_KEEP_ALIVE_TIMEOUT_MS), and one address may
 * hold at most HTTP_MAX_CONNECTIONS_PER_ADDRESS connections. Real sockets on
 * 127.0.0.1; how long each close took is printed, not asserted (the test
 * waits at most a generous multiple of the configured time).
 */

const HEADERS_TIMEOUT_MS = 400;
const REQUEST_TIMEOUT_MS = 800;
const KEEP_ALIVE_TIMEOUT_MS = 400;
/** How long the test waits for a close before calling the connection held: far more than any timeout above. */
const PATIENCE_MS = 12_000;

interface OpenSocket {
  socket: Socket;
  openedAt: number;
  /** Everything the server sent. */
  received: () => string;
  /** Resolves when the server (or the test) closed the connection: milliseconds after opening. */
  closed: Promise<number>;
  isClosed: () => boolean;
}

function open(port: number, localAddress = '127.0.0.1', send = ''): Promise<OpenSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    let data = '';
    let done = false;
    const openedAt = Date.now();
    const closed = new Promise<number>((close) =>
      socket.on('close', () => {
        done = true;
        close(Date.now() - openedAt);
      }),
    );
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      if (send) socket.write(send);
      resolve({ socket, openedAt, received: () => data, closed, isClosed: () => done });
    });
    socket.once('error', (error) => {
      if (!done) reject(error);
    });
  });
}

/** Waits for the close, at most PATIENCE_MS: the milliseconds it took, or null if the connection is still open. */
async function closedWithin(connection: OpenSocket): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const waited = await Promise.race([
    connection.closed,
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), PATIENCE_MS))),
  ]);
  clearTimeout(timer);
  return waited;
}

/** One whole request on a fresh connection from `localAddress`: the status line and how long it took. */
async function ask(port: number, path: string, localAddress = '127.0.0.1'): Promise<{ status: string; ms: number }> {
  const started = process.hrtime.bigint();
  const connection = await open(port, localAddress, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  await connection.closed;
  return {
    status: connection.received().split('\r\n')[0],
    ms: Number(process.hrtime.bigint() - started) / 1e6,
  };
}

/** The events of a request, waiting (bounded) for the first: refusals are written as the request ends. */
async function recorded(t: TestApp, requestId: string): Promise<EventRow[]> {
  for (let waited = 0; ; waited += 50) {
    const events = await eventsOf(t, requestId);
    if (events.length > 0 || waited >= 5_000) return events;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const stats = (values: number[]): string => {
  const sorted = [...values].sort((a, b) => a - b);
  return `min ${sorted[0]} ms, median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted[sorted.length - 1]} ms`;
};

describe('timeouts for headers, requests and idle connections', () => {
  let t: TestApp;
  let client: RawClient;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_MAX: '1000000',
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
      HTTP_MAX_CONNECTIONS_PER_ADDRESS: '1000',
    });
    client = await RawClient.start(t.server);
    port = (t.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  it('closes a connection whose headers never end, answering 408', async () => {
    const stalled = await open(port, '127.0.0.1', 'GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: 1');
    const ms = await closedWithin(stalled);
    console.log(`partial headers: closed after ${ms} ms (headers timeout ${HEADERS_TIMEOUT_MS} ms)`);
    stalled.socket.destroy();
    expect(ms).not.toBeNull();
    expect(stalled.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(stalled.received()).toContain('"type":"urn:register:problem:validation"');
  });

  it('closes a connection that never sends a byte', async () => {
    const silent = await open(port);
    const ms = await closedWithin(silent);
    console.log(`silent connection: closed after ${ms} ms`);
    silent.socket.destroy();
    expect(ms).not.toBeNull();
  });

  it('closes stalled headers of a request to every registered route, while /health/live answers', async () => {
    const routes = registeredRoutes(t);
    const stalled = await Promise.all(
      routes.map((route) =>
        open(port, '127.0.0.1', `${route.method} ${urlOf(route, randomParams(route))} HTTP/1.1\r\nHost: x\r\nAuthor`),
      ),
    );
    const health = await ask(port, '/health/live', '127.0.0.2');
    const times = await Promise.all(stalled.map(closedWithin));
    for (const connection of stalled) connection.socket.destroy();
    console.log(
      `stalled headers to ${routes.length} routes: closed ${stats(times.filter((ms): ms is number => ms !== null))}; ` +
        `/health/live meanwhile ${health.status} in ${health.ms.toFixed(1)} ms`,
    );
    expect(health.status).toBe('HTTP/1.1 200 OK');
    expect(routes.filter((_, i) => times[i] === null).map((route) => route.route)).toEqual([]);
  });

  it('closes a request whose body never ends on every route that takes one, recording each once', async () => {
    const routes = registeredRoutes(t).filter((route) => ['POST', 'PUT', 'PATCH'].includes(route.method));
    const requestIds = routes.map(() => rid('slow-body'));
    const stalled = await Promise.all(
      routes.map((route, i) =>
        open(
          port,
          '127.0.0.1',
          `${route.method} ${urlOf(route, randomParams(route))} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
            `Content-Length: 1000\r\nX-Request-Id: ${requestIds[i]}\r\n\r\n{"username":"`,
        ),
      ),
    );
    const health = await ask(port, '/health/live', '127.0.0.2');
    const times = await Promise.all(stalled.map(closedWithin));
    for (const connection of stalled) connection.socket.destroy();
    console.log(
      `stalled bodies to ${routes.length} routes: closed ${stats(times.filter((ms): ms is number => ms !== null))} ` +
        `(request timeout ${REQUEST_TIMEOUT_MS} ms); /health/live meanwhile ${health.status} in ${health.ms.toFixed(1)} ms`,
    );
    expect(health.status).toBe('HTTP/1.1 200 OK');
    expect(routes.filter((_, i) => times[i] === null).map((route) => route.route)).toEqual([]);
    expect(tally(stalled.map((connection) => connection.received().split('\r\n')[0]))).toEqual({
      'HTTP/1.1 408 Request Timeout': routes.length,
    });
    // The request under /api/v1 had passed the rate limit: its refusal is recorded, once.
    // The pipeline writes the event when it gives up on the body, just after the socket closed.
    const events = await Promise.all(requestIds.map((requestId) => recorded(t, requestId)));
    expect(tally(events.map((list) => list.map((e) => `${e.outcome} ${e.http_status}`).join()))).toEqual({
      'error 408': routes.length,
    });
  });

  it('closes a kept-alive connection left idle after its answer', async () => {
    const idle = await open(port, '127.0.0.1', 'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    const ms = await closedWithin(idle);
    console.log(`idle kept-alive connection: closed ${ms} ms after opening (keep-alive ${KEEP_ALIVE_TIMEOUT_MS} ms)`);
    idle.socket.destroy();
    expect(idle.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(ms).not.toBeNull();
  });
});

describe('connections per address', () => {
  const CAP = 5;
  let t: TestApp;
  let client: RawClient;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_MAX: '1000000',
      VETTING_VERIFY_PER_MINUTE: '1000000',
      HTTP_MAX_CONNECTIONS_PER_ADDRESS: String(CAP),
    });
    client = await RawClient.start(t.server);
    port = (t.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it('holds at most the cap from one address and closes the rest at once, while others are served', async () => {
    const held = await Promise.all(
      Array.from({ length: CAP }, () => open(port, '127.0.0.1', 'GET /health/live HTTP/1.1\r\nHost: x\r\n')),
    );
    await settle();
    const extra = await Promise.all(Array.from({ length: 15 }, () => open(port, '127.0.0.1')));
    const extraClosed = await Promise.all(extra.map(closedWithin));
    console.log(`15 connections past the cap of ${CAP}: closed after ${stats(extraClosed as number[])}`);
    const health = await ask(port, '/health/live', '127.0.0.2');
    console.log(`/health/live from another address meanwhile: ${health.status} in ${health.ms.toFixed(1)} ms`);

    expect(held.map((connection) => connection.isClosed())).toEqual(Array(CAP).fill(false));
    expect(extraClosed.filter((ms) => ms === null)).toEqual([]);
    expect(extra.map((connection) => connection.received())).toEqual(Array(15).fill(''));
    expect(health.status).toBe('HTTP/1.1 200 OK');

    // Once the held connections end, the address is served again: the count follows the closes.
    for (const connection of held) connection.socket.destroy();
    await Promise.all(held.map((connection) => connection.closed));
    await settle();
    expect((await ask(port, '/health/live')).status).toBe('HTTP/1.1 200 OK');
  });

  it('keeps the file descriptors of 300 stalled connections from one address down to the cap', async () => {
    const flood = await Promise.all(
      Array.from({ length: 300 }, () => open(port, '127.0.0.3', 'GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\n')),
    );
    await settle();
    const open300 = flood.filter((connection) => !connection.isClosed()).length;
    const health = await ask(port, '/health/live', '127.0.0.4');
    console.log(
      `300 stalled connections from one address: ${open300} held; /health/live ${health.status} in ${health.ms.toFixed(1)} ms`,
    );
    for (const connection of flood) connection.socket.destroy();
    expect(open300).toBe(CAP);
    expect(health.status).toBe('HTTP/1.1 200 OK');
  });
});
