import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { type EventRow, eventsOf, rid, tally } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { sharedKeys } from '../support/key-files';
import { nextJmbg, REASON, registerPerson } from '../support/register';
import { runtimeRoleUrl } from '../support/runtime-role';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Hardening (#14, item 11): sweeps. Every JMBG of one birth date is a few
 * hundred cross-region lookups, and an auditor's search by subject tells the
 * same. Each user has an hourly quota of each (the defaults: 30 lookups, 60
 * subject searches), counted in PostgreSQL so that every api instance shares
 * the count, and the auditors are alerted once per user and hour when a
 * user's lookups pass 20. Two instances on one database, the second running
 * as the runtime role (only register_app's grants).
 */

const LOOKUPS_PER_HOUR = 30;
const ALERT_ABOVE = 20;
const SUBJECT_SEARCHES_PER_HOUR = 60;
const RATE_LIMITED = 'urn:register:problem:rate_limited';

type Caller = TestAccount & Tokens;

/** JMBGs of men and women born on 15 March 1985: what a sweep of one birth date sends. */
function birthDateSweep(count: number): string[] {
  return Array.from({ length: count }, (_, i) => nextJmbg(i % 2 === 0 ? 'M' : 'F', '1503985'));
}

describe('sweeps: per-user quotas on lookups and subject searches', () => {
  let keys: Awaited<ReturnType<typeof sharedKeys>>;
  let a: TestApp;
  let b: TestApp;
  let apps: TestApp[];

  beforeAll(async () => {
    keys = await sharedKeys();
    a = await startTestApp(keys.env);
    const url = await runtimeRoleUrl(a, 'register_test_sweeps', 'sweeps-runtime-role-password');
    b = await startTestApp({ ...keys.env, DATABASE_URL: url }, [], a.database);
    apps = [a, b];
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await keys?.remove();
  });

  // A burst that straddles the hour would count in two windows: start each test well inside one.
  beforeEach(async () => {
    const [{ left }] = await a.dataSource.query(
      `SELECT extract(epoch FROM date_bin('1 hour', now(), timestamptz '2000-01-01 00:00:00+00')
                                + interval '1 hour' - now())::float8 AS left`,
    );
    if (left < 30) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 1000));
  });

  /** The i-th request goes to instance a or b in turn. */
  const lookup = (i: number, who: Tokens, jmbg: string, id: string) =>
    request(apps[i % 2].server)
      .get(`/api/v1/persons/lookup?jmbg=${jmbg}`)
      .set(bearer(who.accessToken))
      .set(REASON)
      .set('X-Request-Id', id);

  const subjectSearch = (i: number, who: Tokens, query: string, id: string) =>
    request(apps[i % 2].server)
      .get(`/api/v1/audit/events?${query}`)
      .set(bearer(who.accessToken))
      .set('X-Request-Id', id);

  async function counter(user: Caller, kind: string): Promise<{ used: number; window_end: Date } | undefined> {
    const [row] = await a.dataSource.query(
      `SELECT used, window_start + interval '1 hour' AS window_end FROM usage_counters WHERE user_id = $1 AND kind = $2`,
      [user.user.id, kind],
    );
    return row;
  }

  async function sweepEvents(user: Caller): Promise<Record<string, unknown>[]> {
    return a.dataSource.query(
      `SELECT actor_user_id, actor_username, actor_role, action, resource_type, resource_id, outcome, http_status,
              result_count, request_id, flagged, details
         FROM audit_events WHERE action = 'person.lookup_sweep' AND resource_id = $1 ORDER BY seq`,
      [user.user.id],
    );
  }

  /** The refusal: a problem, Retry-After up to the end of the counted hour, no register data. */
  function expectRefused(res: request.Response, windowEnd: Date, answeredAt: number): void {
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual({
      type: RATE_LIMITED,
      title: 'Too many requests',
      status: 429,
      detail: expect.stringMatching(/an hour per user/),
      instance: expect.any(String),
    });
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(Math.abs(retryAfter - (windowEnd.getTime() - answeredAt) / 1000)).toBeLessThan(3);
  }

  /**
   * Sends every request at once (alternating instances) and checks each
   * answer and its one event: past the quota 429, recorded and flagged
   * under `action` with the query sent, otherwise `allowed(answer, event, i)`.
   */
  async function atOnce(
    user: Caller,
    kind: string,
    action: string,
    queries: Record<string, string>[],
    send: (i: number, query: Record<string, string>, id: string) => request.Test,
    allowed: (res: request.Response, event: EventRow, i: number) => void,
  ): Promise<{ statuses: Record<string, number>; windowEnd: Date }> {
    const ids = queries.map(() => rid(kind));
    const started = Date.now();
    const answers = await Promise.all(queries.map((query, i) => send(i, query, ids[i])));
    const answeredAt = Date.now();
    console.log(`${queries.length} × ${action} at once over two instances: ${answeredAt - started} ms`);
    const count = (await counter(user, kind))!;
    for (const [i, res] of answers.entries()) {
      const events = await eventsOf(a, ids[i]);
      expect(events).toHaveLength(1);
      if (res.status !== 429) {
        allowed(res, events[0], i);
        continue;
      }
      expectRefused(res, count.window_end, answeredAt);
      expect(events[0]).toMatchObject({
        action,
        outcome: 'error',
        http_status: 429,
        actor_user_id: user.user.id,
        subject_person_ids: [],
        query: queries[i],
        flagged: true,
      });
    }
    return { statuses: tally(answers.map((r) => r.status)), windowEnd: count.window_end };
  }

  it('answers exactly the quota of lookups sent at once over two instances, the rest 429 rate_limited, each recorded and flagged', async () => {
    const officer = await signedIn(a, 'police_officer', 'PU-BEOGRAD');
    const person = await registerPerson(a, { regions: ['PU-NIS'] });
    const jmbgs = [person.jmbg!, ...birthDateSweep(LOOKUPS_PER_HOUR + 4)];
    const { statuses, windowEnd } = await atOnce(
      officer,
      'person_lookup',
      'person.lookup',
      jmbgs.map((jmbg) => ({ jmbg })),
      (i, query, id) => lookup(i, officer, query.jmbg, id),
      (res, event, i) => {
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          registered: jmbgs[i] === person.jmbg,
          activeMeasures: [],
          banPlacesWithMinors: false,
        });
        expect(event).toMatchObject({ action: 'person.lookup', outcome: 'allowed', http_status: 200, flagged: true });
      },
    );
    expect(statuses).toEqual({ 200: LOOKUPS_PER_HOUR, 429: 5 });
    expect((await counter(officer, 'person_lookup'))!.used).toBe(LOOKUPS_PER_HOUR);
    // Refused lookups counted nothing: the next one is refused too, and the count stays.
    const later = await lookup(0, officer, birthDateSweep(1)[0], rid('later'));
    expectRefused(later, windowEnd, Date.now());
    expect((await counter(officer, 'person_lookup'))!.used).toBe(LOOKUPS_PER_HOUR);
  });

  it('counts per user: another officer, and the same officer’s other kind of quota, are unaffected', async () => {
    const spent = await signedIn(a, 'police_officer', 'PU-BEOGRAD');
    const other = await signedIn(b, 'police_officer', 'PU-BEOGRAD');
    const jmbgs = birthDateSweep(LOOKUPS_PER_HOUR + 1);
    const answers = await Promise.all(jmbgs.map((jmbg, i) => lookup(i, spent, jmbg, rid('spent'))));
    expect(tally(answers.map((r) => r.status))).toEqual({ 200: LOOKUPS_PER_HOUR, 429: 1 });

    const others = await Promise.all([0, 1].map((i) => lookup(i, other, jmbgs[i], rid('other'))));
    expect(others.map((r) => r.status)).toEqual([200, 200]);
    expect((await counter(other, 'person_lookup'))!.used).toBe(2);
    expect(await counter(spent, 'subject_search')).toBeUndefined();
    expect(await sweepEvents(other)).toEqual([]);
  });

  it('tells the auditors once per user and hour, with one flagged person.lookup_sweep event past the threshold', async () => {
    const officer = await signedIn(a, 'police_officer', 'PU-NOVI-SAD');
    const auditor = await signedIn(b, 'auditor');
    const ids: string[] = [];
    // Up to the threshold: nothing to tell.
    for (const [i, jmbg] of birthDateSweep(ALERT_ABOVE).entries()) {
      ids.push(rid('below'));
      expect((await lookup(i, officer, jmbg, ids[ids.length - 1])).status).toBe(200);
    }
    expect(await sweepEvents(officer)).toEqual([]);

    // Past it, at once on both instances: one event, whichever lookup passed it.
    const burst = birthDateSweep(LOOKUPS_PER_HOUR - ALERT_ABOVE + 3);
    const burstIds = burst.map(() => rid('past'));
    const answers = await Promise.all(burst.map((jmbg, i) => lookup(i, officer, jmbg, burstIds[i])));
    expect(tally(answers.map((r) => r.status))).toEqual({ 200: LOOKUPS_PER_HOUR - ALERT_ABOVE, 429: 3 });
    const [window] = await a.dataSource.query(
      `SELECT window_start, window_start + interval '1 hour' AS window_end FROM usage_counters
        WHERE user_id = $1 AND kind = 'person_lookup'`,
      [officer.user.id],
    );
    const sweeps = await sweepEvents(officer);
    expect(sweeps).toEqual([
      {
        actor_user_id: null,
        actor_username: 'system',
        actor_role: 'system',
        action: 'person.lookup_sweep',
        resource_type: 'user',
        resource_id: officer.user.id,
        outcome: 'allowed',
        http_status: null,
        result_count: ALERT_ABOVE + 1,
        request_id: null,
        flagged: true,
        details: {
          user: {
            userId: officer.user.id,
            username: officer.username,
            role: 'police_officer',
            organisation: 'MUP',
            region: 'PU-NOVI-SAD',
          },
          kind: 'person_lookup',
          used: ALERT_ABOVE + 1,
          threshold: ALERT_ABOVE,
          quotaPerHour: LOOKUPS_PER_HOUR,
          windowStart: window.window_start.toISOString(),
          windowEnd: window.window_end.toISOString(),
          requestId: expect.any(String),
        },
      },
    ]);
    // It names the lookup that passed the threshold, one of the burst's answered ones.
    const passing = (sweeps[0].details as { requestId: string }).requestId;
    expect(answers[burstIds.indexOf(passing)].status).toBe(200);

    // The auditors' work list: flagged and not reviewed.
    const list = await request(b.server)
      .get('/api/v1/audit/events?flagged=true&reviewed=false&action=person.lookup_sweep')
      .set(bearer(auditor.accessToken));
    expect(list.status).toBe(200);
    const mine = list.body.items.filter((e: { resource: { id: string } }) => e.resource.id === officer.user.id);
    expect(mine).toEqual([
      expect.objectContaining({
        action: 'person.lookup_sweep',
        actor: { userId: null, username: 'system', role: 'system', organisation: null, region: null },
        resource: { type: 'user', id: officer.user.id },
        flagged: true,
        reviewed: false,
        details: expect.objectContaining({ used: ALERT_ABOVE + 1, requestId: passing }),
      }),
    ]);
  });

  it('gives a whole quota again in the next hour, and a new alert past the threshold in it', async () => {
    const officer = await signedIn(a, 'police_officer', 'PU-BEOGRAD');
    const first = await Promise.all(
      birthDateSweep(LOOKUPS_PER_HOUR + 2).map((jmbg, i) => lookup(i, officer, jmbg, rid('hour1'))),
    );
    expect(tally(first.map((r) => r.status))).toEqual({ 200: LOOKUPS_PER_HOUR, 429: 2 });
    expect(await sweepEvents(officer)).toHaveLength(1);

    // An hour later: the counted hour is moved back by one, as the clock would have left it.
    await a.dataSource.query(
      `UPDATE usage_counters SET window_start = window_start - interval '1 hour' WHERE user_id = $1`,
      [officer.user.id],
    );
    const next = await Promise.all(
      birthDateSweep(LOOKUPS_PER_HOUR + 2).map((jmbg, i) => lookup(i, officer, jmbg, rid('hour2'))),
    );
    expect(tally(next.map((r) => r.status))).toEqual({ 200: LOOKUPS_PER_HOUR, 429: 2 });
    expect((await counter(officer, 'person_lookup'))!.used).toBe(LOOKUPS_PER_HOUR);
    expect(await sweepEvents(officer)).toHaveLength(2);
  });

  it('holds an auditor to the subject-search quota at once over two instances; other searches and auditors are unaffected', async () => {
    const auditor = await signedIn(a, 'auditor');
    const other = await signedIn(b, 'auditor');
    const person = await registerPerson(a, { regions: ['PU-NIS'] });
    // By JMBG over one birth date (the person's among them), and by person id.
    const queries = [
      { subjectJmbg: person.jmbg! },
      ...birthDateSweep(SUBJECT_SEARCHES_PER_HOUR / 2).map((subjectJmbg) => ({ subjectJmbg })),
      ...Array.from({ length: SUBJECT_SEARCHES_PER_HOUR / 2 + 2 }, () => ({ subjectId: randomUUID() })),
    ];
    const { statuses } = await atOnce(
      auditor,
      'subject_search',
      'audit.search',
      queries,
      (i, query, id) => subjectSearch(i, auditor, new URLSearchParams(query).toString(), id),
      (res, event) => {
        expect(res.status).toBe(200);
        expect(event).toMatchObject({ action: 'audit.search', outcome: 'allowed', http_status: 200 });
      },
    );
    expect(statuses).toEqual({ 200: SUBJECT_SEARCHES_PER_HOUR, 429: 3 });
    expect((await counter(auditor, 'subject_search'))!.used).toBe(SUBJECT_SEARCHES_PER_HOUR);
    // Not searches by subject: not counted.
    const unfiltered = await subjectSearch(0, auditor, 'flagged=true&reviewed=false', rid('work'));
    expect(unfiltered.status).toBe(200);
    const byActor = await subjectSearch(1, auditor, `actorId=${auditor.user.id}`, rid('actor'));
    expect(byActor.status).toBe(200);
    expect((await counter(auditor, 'subject_search'))!.used).toBe(SUBJECT_SEARCHES_PER_HOUR);
    // Another auditor has a whole quota.
    const theirs = await subjectSearch(1, other, `subjectJmbg=${person.jmbg}`, rid('other'));
    expect(theirs.status).toBe(200);
    expect((await counter(other, 'subject_search'))!.used).toBe(1);
    // Subject searches raise no sweep alert of their own.
    expect(await sweepEvents(auditor)).toEqual([]);
  });
});
