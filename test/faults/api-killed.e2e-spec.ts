import { randomBytes } from 'node:crypto';
import { halfWritten, lastSeq, reportingPerson, sealCoverage, waitSealedThrough } from '../support/faults';
import { signedIn, type TestAccount, type Tokens } from '../support/identity';
import { sharedKeys } from '../support/key-files';
import { type Answer, buildDist, call, runCli, type ServiceProcess, startApi, stopAll } from '../support/processes';
import { nextJmbg } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Fault: the api process is killed (SIGKILL, no shutdown) while 200 writes
 * are in flight. After a restart every write that was answered 2xx is there,
 * every write is whole (record, history row and audit event, or none of
 * them), and the audit log seals and verifies.
 */
describe('the api killed with SIGKILL during 200 concurrent writes', () => {
  const WRITES = 200;
  /** The kill comes when this many writes have been answered 2xx. */
  const KILL_AFTER = 80;
  let keys: Awaited<ReturnType<typeof sharedKeys>>;
  let t: TestApp;
  let env: Record<string, string>;
  let clerk: TestAccount & Tokens;
  let officer: TestAccount & Tokens;
  let auditor: TestAccount & Tokens;
  const persons: { personId: string; measureId: string }[] = [];

  beforeAll(async () => {
    buildDist();
    keys = await sharedKeys();
    // The in-process app shares the database and the keys: it makes accounts and data and signs tokens.
    t = await startTestApp(keys.env);
    clerk = await signedIn(t, 'registry_clerk');
    officer = await signedIn(t, 'police_officer', 'PU-NIS');
    auditor = await signedIn(t, 'auditor');
    for (let i = 0; i < 10; i++) persons.push(await reportingPerson(t, 'PU-NIS', 10));
    env = {
      ...keys.env,
      DATABASE_URL: t.database.url,
      // The worker's jobs run in the api: the kill may also land in the middle of a seal.
      RUN_WORKER: 'true',
      AUDIT_SEAL_INTERVAL_MS: '200',
      COMPLIANCE_SCAN_INTERVAL_SECONDS: '3600',
    };
  }, 120_000);

  afterAll(async () => {
    await stopAll();
    await t?.close();
    await keys?.remove();
  });

  interface Write {
    kind: 'check_in' | 'person';
    requestId: string;
    personId?: string;
    measureId?: string;
    jmbg?: string;
    answer?: Answer;
  }

  it('keeps every acknowledged write, leaves none half-written, and the log verifies after a restart', async () => {
    let api: ServiceProcess = await startApi(env, 'api');
    // The first api has sealed what the setup wrote: the restarted one continues its chain.
    await waitSealedThrough(t.dataSource, await lastSeq(t.dataSource));
    const run = randomBytes(3).toString('hex');
    const writes: Write[] = Array.from({ length: WRITES }, (_, i) => {
      const requestId = `kill-${run}-${i}`;
      if (i % 4 === 3) return { kind: 'person', requestId, jmbg: nextJmbg() };
      const { personId, measureId } = persons[i % persons.length];
      return { kind: 'check_in', requestId, personId, measureId };
    });

    let acknowledged = 0;
    let killedAt: number | null = null;
    const send = async (write: Write): Promise<void> => {
      const headers = { 'x-request-id': write.requestId };
      write.answer =
        write.kind === 'person'
          ? await call(api.url, 'POST', '/api/v1/persons', {
              token: clerk.accessToken,
              reason: true,
              headers,
              body: {
                surname: 'Kovačević',
                givenNames: 'Marko',
                jmbg: write.jmbg,
                dateOfBirth: '1990-01-01',
                placeOfBirth: 'Kragujevac',
                sex: 'M',
                citizenship: 'RS',
              },
            })
          : await call(api.url, 'POST', `/api/v1/persons/${write.personId}/check-ins`, {
              token: officer.accessToken,
              reason: true,
              headers,
              body: {
                measureId: write.measureId,
                occurredAt: new Date().toISOString(),
                place: 'PU Niš',
                method: 'in_person',
              },
            });
      if (write.answer.ok) {
        acknowledged += 1;
        if (acknowledged === KILL_AFTER) {
          killedAt = acknowledged;
          api.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(writes.map(send));
    const exit = await api.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(killedAt).toBe(KILL_AFTER);

    const acked = writes.filter((w) => w.answer?.ok);
    const lost = writes.filter((w) => !w.answer?.ok);
    // The kill landed in the middle: some writes were answered, some never were.
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(lost.length).toBeGreaterThan(0);
    // Nothing but success or a lost connection: no error answers before the kill.
    expect(lost.filter((w) => w.answer?.status !== 0).map((w) => [w.answer?.status, w.answer?.body])).toEqual([]);

    api = await startApi(env, 'api-restarted');

    // Every acknowledged write is there, as answered.
    const ackedCheckIns = acked.filter((w) => w.kind === 'check_in');
    const ackedPersons = acked.filter((w) => w.kind === 'person');
    const checkIns: { id: string; person_id: string; measure_id: string }[] = await t.dataSource.query(
      `SELECT id, person_id, measure_id FROM check_ins WHERE id = ANY($1::uuid[])`,
      [ackedCheckIns.map((w) => w.answer?.body.id)],
    );
    expect(checkIns).toHaveLength(ackedCheckIns.length);
    for (const w of ackedCheckIns) {
      expect(checkIns).toContainEqual({ id: w.answer?.body.id, person_id: w.personId, measure_id: w.measureId });
    }
    const created: { id: string; jmbg: string }[] = await t.dataSource.query(
      `SELECT id, jmbg FROM persons WHERE id = ANY($1::uuid[])`,
      [ackedPersons.map((w) => w.answer?.body.id)],
    );
    expect(created.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      ackedPersons.map((w) => ({ id: w.answer?.body.id, jmbg: w.jmbg })).sort((a, b) => a.id.localeCompare(b.id)),
    );

    // Every write is whole or absent: record, history row and audit event together.
    expect(await halfWritten(t.dataSource)).toEqual([]);
    // One event per acknowledged request, the success it answered; a lost request left at most its success.
    const events: { request_id: string; outcome: string; http_status: number; n: number }[] = await t.dataSource.query(
      `SELECT request_id, min(outcome) AS outcome, min(http_status)::int AS http_status, count(*)::int AS n
           FROM audit_events WHERE request_id = ANY($1::text[]) GROUP BY request_id`,
      [writes.map((w) => w.requestId)],
    );
    const byRequest = new Map(events.map((e) => [e.request_id, e]));
    for (const w of acked) {
      expect(byRequest.get(w.requestId)).toEqual({
        request_id: w.requestId,
        outcome: 'allowed',
        http_status: 201,
        n: 1,
      });
    }
    for (const w of lost) {
      const event = byRequest.get(w.requestId);
      if (event) expect(event).toMatchObject({ outcome: 'allowed', http_status: 201, n: 1 });
    }
    const committedLost = lost.filter((w) => byRequest.has(w.requestId)).length;

    // The restarted api serves what was written before the kill.
    const person = ackedCheckIns[0].personId as string;
    const list = await call(api.url, 'GET', `/api/v1/persons/${person}/check-ins?limit=100`, {
      token: officer.accessToken,
      reason: true,
    });
    expect(list.status).toBe(200);
    const listed = new Set(list.body.items.map((c: { id: string }) => c.id));
    for (const w of ackedCheckIns.filter((x) => x.personId === person)) expect(listed).toContain(w.answer?.body.id);

    // The in-process worker of the restarted api seals everything written, each event once; the log verifies.
    const through = await lastSeq(t.dataSource);
    await waitSealedThrough(t.dataSource, through);
    const coverage = await sealCoverage(t.dataSource, through);
    expect(coverage).toMatchObject({ sealedTwice: [], unsealed: [], dangling: [], misplaced: [], chainBreaks: [] });
    const verified = await call(api.url, 'GET', '/api/v1/audit/verify', { token: auditor.accessToken });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true, problem: null, firstBadSeq: null });
    expect(verified.body.checkedEvents).toBeGreaterThanOrEqual(coverage.sealedEvents);
    const cli = runCli(['audit:verify'], { ...keys.env, DATABASE_URL: t.database.url });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true, problem: null });

    // For the record in the test output.
    console.log(
      `api killed after ${acked.length}/${WRITES} acknowledged writes; ` +
        `${committedLost} unacknowledged writes had committed; ${coverage.seals} seals, ${coverage.sealedEvents} events`,
    );
  }, 120_000);
});
