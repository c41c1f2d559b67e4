import { addDays, belgradeToday } from '@app/common';
import { halfWritten, lastSeq, pick, reportingPerson, sealCoverage, waitSealedThrough } from '../support/faults';
import { signedIn, type TestAccount, type Tokens } from '../support/identity';
import { sharedKeys } from '../support/key-files';
import {
  type Answer,
  buildDist,
  call,
  runCli,
  type ServiceProcess,
  startApi,
  startWorker,
  stopAll,
  until,
} from '../support/processes';
import { nextJmbg } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

/** How long the mixed load runs (FAULT_LOAD_SECONDS, default 60; shorten it when debugging). */
const LOAD_SECONDS = Number(process.env.FAULT_LOAD_SECONDS ?? 60);
/** Clients sending requests back to back, spread over the two apis. */
const CLIENTS = Number(process.env.FAULT_CLIENTS ?? 12);
/** Every reporting measure here started this long ago, every 30 days: three periods missed, the fourth running. */
const DAYS_AGO = 95;
const MISSED_PER_MEASURE = 3;

type Op = 'read' | 'search' | 'check_in' | 'person' | 'alerts' | 'inbox' | 'acknowledge' | 'breach' | 'overdue';

/**
 * Two api and two worker processes on one database under a mixed load, the
 * workers scanning compliance and sealing the audit log every second: no
 * 5xx, every alert and inbox item once, every audit event sealed exactly
 * once, and the log verifies.
 */
describe('two apis and two workers on one database under mixed load', () => {
  let keys: Awaited<ReturnType<typeof sharedKeys>>;
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let judge: TestAccount & Tokens;
  let auditor: TestAccount & Tokens;
  const officersNis: (TestAccount & Tokens)[] = [];
  let officerBg: TestAccount & Tokens;
  const nis: { personId: string; measureId: string }[] = [];
  const bg: { personId: string; measureId: string }[] = [];
  const apis: ServiceProcess[] = [];
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    buildDist();
    keys = await sharedKeys();
    // The in-process app shares database and keys: it makes the accounts and the first data, and signs tokens.
    t = await startTestApp(keys.env);
    clerk = await signedIn(t, 'registry_clerk');
    judge = await signedIn(t, 'judicial_officer');
    auditor = await signedIn(t, 'auditor');
    for (let i = 0; i < 3; i++) officersNis.push(await signedIn(t, 'police_officer', 'PU-NIS'));
    officerBg = await signedIn(t, 'police_officer', 'PU-BEOGRAD');
    for (let i = 0; i < 15; i++) nis.push(await reportingPerson(t, 'PU-NIS', DAYS_AGO));
    for (let i = 0; i < 5; i++) bg.push(await reportingPerson(t, 'PU-BEOGRAD', DAYS_AGO));

    const common = { ...keys.env, DATABASE_URL: t.database.url };
    apis.push(...(await Promise.all([startApi(common, 'api-1'), startApi(common, 'api-2')])));
    const worker = {
      ...common,
      COMPLIANCE_SCAN_INTERVAL_SECONDS: '1',
      AUDIT_SEAL_INTERVAL_MS: '1000',
      // Small seals, so that a backlog is cut into several (at transaction boundaries).
      AUDIT_MAX_EVENTS_PER_SEAL: '500',
    };
    // Started together: their first scans (at start) race each other.
    workers.push(...(await Promise.all([startWorker(worker, 'worker-1'), startWorker(worker, 'worker-2')])));
  }, 180_000);

  afterAll(async () => {
    await stopAll();
    await t?.close();
    await keys?.remove();
  });

  const random = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];
  const today = belgradeToday();

  interface Sent {
    op: Op;
    step: string;
    api: string;
    answer: Answer;
  }

  it(
    `runs ${LOAD_SECONDS} s without a 5xx, raises nothing twice and seals every event once`,
    async () => {
      const records: Sent[] = [];
      const created: { personId: string; measureId: string }[] = [];
      const end = Date.now() + LOAD_SECONDS * 1000;

      /** One step of an operation: a call, remembered. */
      const step = async (
        op: Op,
        name: string,
        api: ServiceProcess,
        method: string,
        path: string,
        token: string,
        body?: unknown,
      ): Promise<Answer> => {
        const answer = await call(api.url, method, path, { token, reason: true, body });
        records.push({ op, step: name, api: api.name, answer });
        return answer;
      };

      const operations: Record<Op, (api: ServiceProcess) => Promise<void>> = {
        read: async (api) => {
          const useJudge = Math.random() < 0.3;
          const target = useJudge ? random([...nis, ...bg, ...created]) : random([...nis, ...created]);
          await step(
            'read',
            'person',
            api,
            'GET',
            `/api/v1/persons/${target.personId}`,
            (useJudge ? judge : random(officersNis)).accessToken,
          );
        },
        search: async (api) => {
          const q = encodeURIComponent(random(['Petrov', 'petrovic', 'Петровић', 'Stojanov', 'Petar']));
          await step(
            'search',
            'persons',
            api,
            'GET',
            `/api/v1/persons?q=${q}&limit=10`,
            random([clerk, judge]).accessToken,
          );
        },
        check_in: async (api) => {
          const target = random([...nis, ...created]);
          await step(
            'check_in',
            'check-in',
            api,
            'POST',
            `/api/v1/persons/${target.personId}/check-ins`,
            random(officersNis).accessToken,
            {
              measureId: target.measureId,
              occurredAt: new Date().toISOString(),
              place: 'PU Niš',
              method: 'in_person',
            },
          );
        },
        // A new person under reporting, as a clerk records one: person, conviction, measure.
        person: async (api) => {
          const person = await step('person', 'person', api, 'POST', '/api/v1/persons', clerk.accessToken, {
            surname: 'Stojanović',
            givenNames: 'Stojan',
            jmbg: nextJmbg(),
            dateOfBirth: '1990-01-01',
            placeOfBirth: 'Leskovac',
            sex: 'M',
            citizenship: 'RS',
          });
          if (!person.ok) return;
          const conviction = await step(
            'person',
            'conviction',
            api,
            'POST',
            `/api/v1/persons/${person.body.id}/convictions`,
            clerk.accessToken,
            {
              court: 'Viši sud u Nišu',
              caseNumber: 'K 12/2019',
              judgmentDate: '2019-05-10',
              finalityDate: '2019-09-01',
              offences: [{ article: '178', paragraph: 3 }],
              victimAge: 'child',
              sentence: { kind: 'imprisonment', months: 72 },
              releaseDate: '2025-05-10',
            },
          );
          if (!conviction.ok) return;
          const measure = await step(
            'person',
            'measure',
            api,
            'POST',
            `/api/v1/persons/${person.body.id}/measures`,
            clerk.accessToken,
            {
              type: 'periodic_reporting',
              startsOn: addDays(today, -DAYS_AGO),
              endsOn: addDays(today, 3650),
              reportTo: 'PU-NIS',
              everyDays: 30,
            },
          );
          if (measure.ok) created.push({ personId: person.body.id, measureId: measure.body.id });
        },
        alerts: async (api) => {
          const asClerk = Math.random() < 0.3;
          await step(
            'alerts',
            'list',
            api,
            'GET',
            `/api/v1/alerts?status=open&limit=50${asClerk ? '&region=PU-NIS' : ''}`,
            (asClerk ? clerk : random(officersNis)).accessToken,
          );
        },
        inbox: async (api) => {
          await step(
            'inbox',
            'list',
            api,
            'GET',
            '/api/v1/inbox?unread=true',
            random([...officersNis, officerBg]).accessToken,
          );
        },
        // Officers race to acknowledge the same open alerts: one wins, the others hear 409.
        acknowledge: async (api) => {
          const officer = random(officersNis);
          const open = await step(
            'acknowledge',
            'list',
            api,
            'GET',
            '/api/v1/alerts?status=open&limit=5',
            officer.accessToken,
          );
          if (!open.ok || open.body.items.length === 0) return;
          const alert = random(open.body.items as { id: string }[]);
          await step(
            'acknowledge',
            'acknowledge',
            api,
            'POST',
            `/api/v1/alerts/${alert.id}/acknowledge`,
            officer.accessToken,
          );
        },
        breach: async (api) => {
          const target = random([...nis, ...created]);
          await step(
            'breach',
            'breach',
            api,
            'POST',
            `/api/v1/persons/${target.personId}/breaches`,
            random(officersNis).accessToken,
            {
              measureId: target.measureId,
              occurredAt: new Date().toISOString(),
              description: 'Did not come to the scheduled check-in.',
            },
          );
        },
        overdue: async (api) => {
          await step(
            'overdue',
            'list',
            api,
            'GET',
            '/api/v1/compliance/overdue?region=PU-NIS&limit=50',
            clerk.accessToken,
          );
        },
      };
      const mix: [number, Op][] = [
        [20, 'read'],
        [12, 'search'],
        [18, 'check_in'],
        [6, 'person'],
        [12, 'alerts'],
        [6, 'inbox'],
        [8, 'acknowledge'],
        [4, 'breach'],
        [6, 'overdue'],
      ];

      const started = Date.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, client) => {
          const api = apis[client % apis.length];
          while (Date.now() < end) await operations[pick(mix)](api);
        }),
      );
      const seconds = (Date.now() - started) / 1000;

      // Every process lived through it.
      expect([...apis, ...workers].filter((p) => !p.running()).map((p) => p.name)).toEqual([]);

      // No 5xx, no lost connection; 4xx only where the race makes them expected (an alert acknowledged twice).
      const unexpected = records.filter(
        (r) => !(r.answer.ok || (r.op === 'acknowledge' && r.step === 'acknowledge' && r.answer.status === 409)),
      );
      expect(
        unexpected.slice(0, 10).map((r) => ({
          op: r.op,
          step: r.step,
          api: r.api,
          status: r.answer.status,
          body: r.answer.body,
          error: r.answer.error,
        })),
      ).toEqual([]);
      // Nothing logged at error level by any process (a failed seal or scan would be).
      expect(Object.fromEntries([...apis, ...workers].map((p) => [p.name, p.errors()]))).toEqual(
        Object.fromEntries([...apis, ...workers].map((p) => [p.name, []])),
      );
      // Both workers scanned (the scans overlapped, the advisory lock let one run at a time).
      for (const worker of workers) expect(worker.count('compliance scan done')).toBeGreaterThan(0);

      // Let the workers catch up with the last measures: three missed periods each, raised once.
      const [{ measures }] = await t.dataSource.query(
        `SELECT count(*)::int AS measures FROM measures WHERE type = 'periodic_reporting'`,
      );
      expect(measures).toBe(nis.length + bg.length + created.length);
      await until(
        async () => {
          const [{ n }] = await t.dataSource.query(
            `SELECT count(*)::int AS n FROM alerts WHERE kind = 'missed_check_in'`,
          );
          return n >= measures * MISSED_PER_MEASURE;
        },
        'the workers to raise every missed check-in',
        30_000,
        250,
      );
      expect(
        await t.dataSource.query(
          `SELECT m.id FROM measures m
          WHERE (SELECT count(*) FROM alerts a WHERE a.kind = 'missed_check_in' AND a.source_id = m.id) <> $1`,
          [MISSED_PER_MEASURE],
        ),
      ).toEqual([]);
      expect(
        await t.dataSource.query(
          `SELECT kind, source_id, due_date, count(*)::int FROM alerts GROUP BY kind, source_id, due_date HAVING count(*) > 1`,
        ),
      ).toEqual([]);
      // Every breach raised exactly one alert.
      expect(
        await t.dataSource.query(
          `SELECT b.id FROM breaches b
          WHERE (SELECT count(*) FROM alerts a WHERE a.kind = 'breach' AND a.source_id = b.id) <> 1`,
        ),
      ).toEqual([]);
      // The inbox: nothing twice, and every alert reached each officer of its administration once.
      expect(
        await t.dataSource.query(
          `SELECT user_id, kind, source_id, due_date, count(*)::int FROM inbox_items
          GROUP BY user_id, kind, source_id, due_date HAVING count(*) > 1`,
        ),
      ).toEqual([]);
      expect(
        await t.dataSource.query(
          `SELECT a.id, a.kind, a.police_administration FROM alerts a
          WHERE (SELECT count(*) FROM inbox_items i WHERE i.alert_id = a.id)
             <> (SELECT count(*) FROM users u
                  WHERE u.active AND u.role = 'police_officer' AND u.region = a.police_administration)`,
        ),
      ).toEqual([]);
      // Every write whole.
      expect(await halfWritten(t.dataSource)).toEqual([]);

      // Every event sealed exactly once, in the seal whose transaction range holds it.
      const through = await lastSeq(t.dataSource);
      await waitSealedThrough(t.dataSource, through, 120_000);
      const coverage = await sealCoverage(t.dataSource, through);
      expect(coverage).toMatchObject({ sealedTwice: [], unsealed: [], dangling: [], misplaced: [], chainBreaks: [] });
      const verified = await call(apis[1].url, 'GET', '/api/v1/audit/verify', { token: auditor.accessToken });
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({ ok: true, problem: null, firstBadSeq: null });
      const cli = runCli(['audit:verify'], { ...keys.env, DATABASE_URL: t.database.url });
      expect(cli.stderr).toBe('');
      expect(cli.status).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true, problem: null });

      // And they all stop cleanly.
      const exits = await Promise.all([...apis, ...workers].map((p) => p.stop('SIGTERM')));
      expect(exits).toEqual(exits.map(() => ({ code: 0, signal: null })));

      const byOp = new Map<string, number>();
      for (const r of records)
        byOp.set(`${r.op}:${r.step}:${r.answer.status}`, (byOp.get(`${r.op}:${r.step}:${r.answer.status}`) ?? 0) + 1);
      const [{ alerts }] = await t.dataSource.query(`SELECT count(*)::int AS alerts FROM alerts`);
      console.log(
        `${records.length} requests in ${seconds.toFixed(1)} s (${Math.round(records.length / seconds)}/s); ` +
          `${created.length} persons put under reporting; ${alerts} alerts; ${coverage.seals} seals over ` +
          `${coverage.sealedEvents} events; scans run: ${workers.map((w) => `${w.name} ${w.count('compliance scan done')}`).join(', ')}\n` +
          [...byOp.entries()]
            .sort()
            .map(([k, n]) => `${k} ${n}`)
            .join('\n'),
      );
    },
    (LOAD_SECONDS + 300) * 1000,
  );
});
