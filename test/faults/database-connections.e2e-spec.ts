import pg from 'pg';
import request from 'supertest';
import { rid } from '../support/audit';
import { halfWritten, pick, reportingPerson } from '../support/faults';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { until } from '../support/processes';
import { nextJmbg, REASON } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

type Kind = 'read' | 'search' | 'check_in' | 'person' | 'alerts';

interface Outcome {
  kind: Kind;
  requestId: string;
  status: number;
  type: string | undefined;
  contentType: string;
  retryAfter: string | undefined;
  ms: number;
  error?: string;
}

/** Longest any answer may take while connections die: the pool's connect timeout (5 s) is the bound. */
const FAIL_FAST_MS = 5_000;
const PROBLEM = /^application\/problem\+json/;

/**
 * Fault: PostgreSQL ends the service's connections (`pg_terminate_backend`)
 * under load, and then refuses new ones for a while. Requests fail fast with
 * 503 `unavailable` (problem+json, never 500, never hanging), the service
 * recovers without a restart, and `/health/ready` says 503 while the
 * database cannot be reached and 200 again after.
 */
describe('the database ends the service’s connections', () => {
  let t: TestApp;
  let admin: pg.Client;
  let clerk: TestAccount & Tokens;
  let officer: TestAccount & Tokens;
  const persons: { personId: string; measureId: string }[] = [];

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_MAX: '1000000', LOG_LEVEL: process.env.FAULT_LOG_LEVEL ?? 'silent' });
    clerk = await signedIn(t, 'registry_clerk');
    officer = await signedIn(t, 'police_officer', 'PU-NIS');
    for (let i = 0; i < 6; i++) persons.push(await reportingPerson(t, 'PU-NIS', 45));
    // A connection of the test's own, to the server's maintenance database: never one of the service's.
    admin = new pg.Client({ connectionString: process.env.REGISTER_TEST_ADMIN_URL });
    await admin.connect();
  });

  afterAll(async () => {
    await allowConnections(true).catch(() => undefined);
    await admin?.end();
    await t?.close();
  });

  const database = () => pg.escapeIdentifier(t.database.name);

  /** Ends every connection to the test database (the service's pool); returns how many. */
  async function terminate(): Promise<number> {
    const { rows } = await admin.query(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n
         FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [t.database.name],
    );
    return rows[0].n;
  }

  /** Closes (or opens) the test database to new connections: the database is unreachable for the service. */
  async function allowConnections(allow: boolean): Promise<void> {
    await admin.query(`ALTER DATABASE ${database()} ALLOW_CONNECTIONS ${allow}`);
  }

  const as = (account: Tokens) => ({ ...bearer(account.accessToken), ...REASON });

  async function one(kind: Kind): Promise<Outcome> {
    const requestId = rid(`db-${kind}`);
    const p = persons[Math.floor(Math.random() * persons.length)];
    const server = request(t.server);
    const req = {
      read: () => server.get(`/api/v1/persons/${p.personId}`).set(as(officer)),
      search: () => server.get('/api/v1/persons?q=Petrov&limit=5').set(as(clerk)),
      alerts: () => server.get('/api/v1/alerts?status=open').set(as(officer)),
      check_in: () =>
        server
          .post(`/api/v1/persons/${p.personId}/check-ins`)
          .set(as(officer))
          .send({ measureId: p.measureId, occurredAt: new Date().toISOString(), place: 'PU Niš', method: 'in_person' }),
      person: () =>
        server.post('/api/v1/persons').set(as(clerk)).send({
          surname: 'Nikolić',
          givenNames: 'Nikola',
          jmbg: nextJmbg(),
          dateOfBirth: '1990-01-01',
          placeOfBirth: 'Niš',
          sex: 'M',
          citizenship: 'RS',
        }),
    }[kind]();
    const started = performance.now();
    try {
      const res = await req.set('X-Request-Id', requestId).timeout({ response: 20_000, deadline: 30_000 });
      return {
        kind,
        requestId,
        status: res.status,
        type: res.body?.type,
        contentType: res.headers['content-type'] ?? '',
        retryAfter: res.headers['retry-after'],
        ms: performance.now() - started,
      };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      return {
        kind,
        requestId,
        status: 0,
        type: undefined,
        contentType: '',
        retryAfter: undefined,
        ms: performance.now() - started,
        error: e.code ?? e.message,
      };
    }
  }

  const anyKind = (): Kind =>
    pick<Kind>([
      [3, 'read'],
      [2, 'search'],
      [3, 'check_in'],
      [1, 'person'],
      [2, 'alerts'],
    ]);

  /** `concurrency` clients sending requests back to back for `ms`; `faults` run at their moment meanwhile. */
  async function load(
    ms: number,
    concurrency: number,
    faults: [number, () => Promise<unknown>][],
  ): Promise<{ outcomes: Outcome[]; faultResults: unknown[] }> {
    const outcomes: Outcome[] = [];
    const end = Date.now() + ms;
    const clients = Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) outcomes.push(await one(anyKind()));
    });
    const faultResults = faults.map(
      ([at, fault]) => new Promise((resolve) => setTimeout(resolve, at)).then(fault) as Promise<unknown>,
    );
    await Promise.all(clients);
    return { outcomes, faultResults: await Promise.all(faultResults) };
  }

  /** Anything but success or 503 `unavailable` problem+json with Retry-After, quickly. */
  const misbehaving = (outcomes: Outcome[]) =>
    outcomes.filter(
      (o) =>
        o.ms > FAIL_FAST_MS ||
        !(
          (o.status >= 200 && o.status < 300) ||
          (o.status === 503 &&
            PROBLEM.test(o.contentType) &&
            o.type === 'urn:register:problem:unavailable' &&
            o.retryAfter === '5')
        ),
    );

  /** Every kind of request once, in turn: all must succeed. */
  async function everyKindSucceeds(): Promise<void> {
    for (const kind of ['read', 'search', 'check_in', 'person', 'alerts'] as Kind[]) {
      const o = await one(kind);
      expect({ kind, status: o.status }).toEqual({ kind, status: o.status >= 200 && o.status < 300 ? o.status : 200 });
    }
  }

  /** At most one audit event per request; exactly one, `allowed`, for a success; `error` for a 503. */
  async function auditedOnce(outcomes: Outcome[]): Promise<void> {
    const rows: { request_id: string; outcomes: string[] }[] = await t.dataSource.query(
      `SELECT request_id, array_agg(outcome) AS outcomes FROM audit_events
        WHERE request_id = ANY($1::text[]) GROUP BY request_id`,
      [outcomes.map((o) => o.requestId)],
    );
    const events = new Map(rows.map((r) => [r.request_id, r.outcomes]));
    const wrong = outcomes
      .map((o) => ({ kind: o.kind, status: o.status, events: events.get(o.requestId) ?? [] }))
      .filter((o) =>
        o.status < 300 ? o.events.join() !== 'allowed' : o.events.length > 1 || o.events.some((e) => e !== 'error'),
      );
    expect(wrong).toEqual([]);
  }

  it('answers 503 unavailable, never 500 and never slowly, when its connections are terminated, and recovers by itself', async () => {
    await everyKindSucceeds();
    const { outcomes, faultResults } = await load(4_000, 12, [
      [1_000, terminate],
      [1_800, terminate],
      [2_600, terminate],
    ]);
    expect(faultResults.every((n) => (n as number) > 0)).toBe(true);
    expect(misbehaving(outcomes)).toEqual([]);
    // Recovered without a restart: the same app answers everything again.
    await everyKindSucceeds();
    expect(await halfWritten(t.dataSource)).toEqual([]);
    await auditedOnce(outcomes);
    const unavailable = outcomes.filter((o) => o.status === 503).length;
    console.log(
      `${outcomes.length} requests, ${unavailable} answered 503 while ${faultResults.join('+')} connections were ended; ` +
        `slowest ${Math.round(Math.max(...outcomes.map((o) => o.ms)))} ms`,
    );
  }, 60_000);

  it('is not ready and answers 503 while the database refuses connections, and is ready again after', async () => {
    const ready = () => request(t.server).get('/health/ready').timeout({ response: 10_000 });
    expect((await ready()).status).toBe(200);

    await allowConnections(false);
    try {
      expect(await terminate()).toBeGreaterThan(0);
      const started = performance.now();
      const down = await ready();
      expect(performance.now() - started).toBeLessThan(FAIL_FAST_MS);
      expect(down.status).toBe(503);
      expect(down.headers['content-type']).toMatch(PROBLEM);
      expect(down.body).toMatchObject({
        type: 'urn:register:problem:unavailable',
        status: 503,
        instance: '/health/ready',
      });
      expect(down.text).not.toMatch(/accepting connections|register_t_|postgres|typeorm|QueryFailed/i);
      // The process itself is alive.
      expect((await request(t.server).get('/health/live')).status).toBe(200);

      // Under load every request is refused the same way, quickly.
      const { outcomes } = await load(1_500, 8, []);
      expect(misbehaving(outcomes)).toEqual([]);
      expect(outcomes.filter((o) => o.status !== 503)).toEqual([]);
      const refused = await request(t.server).get(`/api/v1/persons/${persons[0].personId}`).set(as(officer));
      expect(refused.status).toBe(503);
      expect(refused.text).not.toMatch(/accepting connections|register_t_|postgres|typeorm|QueryFailed/i);
    } finally {
      await allowConnections(true);
    }

    // Ready again without a restart, and serving.
    await until(async () => (await ready()).status === 200, '/health/ready to answer 200 again', 15_000, 200);
    await everyKindSucceeds();
    expect(await halfWritten(t.dataSource)).toEqual([]);
  }, 60_000);
});
