import request from 'supertest';
import { eventsOf, rid } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { pdfText } from '../support/pdf-text';
import { buildDist, runCli } from '../support/processes';
import { REASON } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';
import { addDays, AppConfig, belgradeToday } from '@app/common';
import { StatisticsDays } from '@app/register';

const DAY_MS = 86_400_000;
/**
 * The Belgrade calendar day `days` from today (negative: before), counted in days of the calendar: `days`
 * times 24 hours from now can fall on another day across a change of summer time.
 */
const day = (days: number): string => addDays(belgradeToday(), days);
const REGIONS = ['PU-BEOGRAD', 'PU-NIS', 'PU-NOVI-SAD', 'PU-BOR'];
const ARTICLES = ['178', '179', '180', '181', '182', '183', '184', '185', '185a', '185b', '186'];
const PERSONS = 300;
const FIGURES = [
  'personsRegistered',
  'withActiveMeasures',
  'inCustody',
  'compliant',
  'overdue',
  'nonCompliant',
  'checkIns',
  'missedPeriods',
  'lateNotices',
  'breaches',
  'referrals',
  'failureConvictions',
  'transfersIn',
  'transfersOut',
  'vettingRequests',
  'disclosures',
] as const;
type Figures = Record<(typeof FIGURES)[number], number>;

/**
 * A register of a few hundred persons, written in SQL with every record's
 * recording time in the past (2 to 60 days ago): addresses (some moved to
 * another administration, some with a temporary address elsewhere),
 * convictions of one or two articles (some to prison, some still in
 * custody), reporting measures (some ended) and bans, check-ins (some
 * voided), missed periods, late notices, breaches (some voided), referrals (some
 * convicted), disclosures and vetting requests.
 */
async function generate(t: TestApp, userId: string): Promise<void> {
  const q = (sql: string, params: unknown[] = []) => t.dataSource.query(sql, params);
  await q(`SELECT setseed(0.42)`);
  await q(
    `CREATE TABLE gen AS
       SELECT i, now() - make_interval(days => 2 + (i * 7) % 58) AS at,
              ($1::text[])[1 + i % 4] AS region, ($1::text[])[1 + (i + 1) % 4] AS other,
              ($2::text[])[1 + i % 11] AS article, ($2::text[])[1 + (i * 5) % 11] AS article2
         FROM generate_series(1, $3) i`,
    [REGIONS, ARTICLES, PERSONS],
  );
  await q(`ALTER TABLE gen ADD person_id uuid, ADD measure_id uuid`);
  await q(`
    WITH p AS (
      INSERT INTO persons (surname, given_names, date_of_birth, place_of_birth, sex, citizenship, id_document_type,
                           id_document_number, id_document_country, search_key, surname_key, regions, created_at)
      SELECT 'Stat' || i, 'Osoba', '1980-01-01', 'Beč', 'M', 'AT', 'passport', 'P' || i, 'AT',
             'stat' || i || ' osoba', 'stat' || i, '{}', at
        FROM gen RETURNING id, surname)
    UPDATE gen SET person_id = p.id FROM p WHERE p.surname = 'Stat' || gen.i`);
  // Permanent addresses; every tenth person moved (a transfer) a day after being registered.
  await q(`
    INSERT INTO addresses (person_id, kind, street, city, postal_code, police_administration, valid_from, valid_to,
                           created_at)
    SELECT person_id, 'permanent', 'Ulica 1', 'Grad', '11000', region, '2025-01-01',
           CASE WHEN i % 10 = 0 THEN (at + interval '1 day')::date END, at FROM gen`);
  await q(
    `
    WITH moved AS (
      INSERT INTO addresses (person_id, kind, street, city, postal_code, police_administration, valid_from, created_at)
      SELECT person_id, 'permanent', 'Ulica 2', 'Grad', '11000', other, (at + interval '1 day')::date,
             at + interval '1 day'
        FROM gen WHERE i % 10 = 0 RETURNING id, person_id, police_administration, created_at)
    INSERT INTO transfers (person_id, address_id, from_administration, to_administration, effective_on, recorded_by,
                           created_at)
    SELECT m.person_id, m.id, g.region, m.police_administration, m.created_at::date, $1, m.created_at
      FROM moved m JOIN gen g ON g.person_id = m.person_id`,
    [userId],
  );
  await q(`
    INSERT INTO addresses (person_id, kind, street, city, postal_code, police_administration, valid_from, created_at)
    SELECT person_id, 'temporary', 'Ulica 3', 'Grad', '11000', other, '2025-06-01', at FROM gen WHERE i % 7 = 0`);
  await q(`
    INSERT INTO convictions (person_id, court, case_number, judgment_date, finality_date, offences, victim_age,
                             sentence_kind, release_date, custody_from, created_at)
    SELECT person_id, 'Viši sud', 'K-' || i, '2020-01-01', '2020-02-01',
           CASE WHEN i % 3 = 0 AND article <> article2
                THEN jsonb_build_array(jsonb_build_object('article', article, 'paragraph', null),
                                       jsonb_build_object('article', article2, 'paragraph', null))
                ELSE jsonb_build_array(jsonb_build_object('article', article, 'paragraph', null)) END,
           'child', CASE WHEN i % 5 = 0 THEN 'imprisonment' ELSE 'fine' END,
           CASE WHEN i % 15 = 0 THEN current_date + 400 WHEN i % 5 = 0 THEN date '2024-01-01' END,
           CASE WHEN i % 5 = 0 THEN date '2020-02-01' END, at
      FROM gen`);
  // Reporting (every 30 days from 100 days ago) for three persons of four; ended for every eleventh.
  await q(`
    WITH m AS (
      INSERT INTO measures (person_id, type, starts_on, ends_on, report_to, every_days, schedule_kind, status,
                            status_changed_on, created_at)
      SELECT person_id, 'periodic_reporting', current_date - 100, current_date + 1000, region, 30, 'every_days',
             CASE WHEN i % 11 = 0 THEN 'ended' ELSE 'active' END,
             CASE WHEN i % 11 = 0 THEN current_date - 70 END, at
        FROM gen WHERE i % 4 <> 0 RETURNING id, person_id)
    UPDATE gen SET measure_id = m.id FROM m WHERE m.person_id = gen.person_id`);
  await q(`
    INSERT INTO measures (person_id, type, starts_on, ends_on, created_at)
    SELECT person_id, 'ban_places_with_minors', current_date - 200, current_date + 1000, at FROM gen WHERE i % 6 = 0`);
  // Check-ins: one a period for most, recorded when made (in the last 60 days); every ninth person's first voided.
  await q(
    `INSERT INTO check_ins (person_id, measure_id, occurred_at, place, method, recorded_by, voided_at, voided_by,
                            void_reason, created_at)
     SELECT g.person_id, g.measure_id, ts, 'PU', 'in_person', $1,
            CASE WHEN g.i % 9 = 0 AND k = 1 THEN ts + interval '1 hour' END,
            CASE WHEN g.i % 9 = 0 AND k = 1 THEN $1::uuid END,
            CASE WHEN g.i % 9 = 0 AND k = 1 THEN 'greška' END, ts
       FROM gen g
      CROSS JOIN generate_series(1, 3) k
      CROSS JOIN LATERAL (SELECT now() - make_interval(days => 2 + (k * 25 + g.i) % 57) AS ts) x
      WHERE g.measure_id IS NOT NULL AND (g.i + k) % 5 <> 0 AND ts > g.at`,
    [userId],
  );
  await q(`
    INSERT INTO alerts (kind, person_id, measure_id, source_id, due_date, police_administration, raised_at)
    SELECT 'missed_check_in', person_id, measure_id, measure_id, current_date - (i % 40), region,
           now() - make_interval(days => 2 + i % 40)
      FROM gen WHERE i % 8 = 0 AND measure_id IS NOT NULL`);
  await q(
    `INSERT INTO notifications (person_id, kind, notified_at, effective_on, details, deadline, on_time, recorded_by,
                                created_at)
     SELECT person_id, 'workplace_change', at, (at - interval '20 days')::date, '{}', (at - interval '12 days')::date,
            i % 24 <> 0, $1, at
       FROM gen WHERE i % 12 = 0`,
    [userId],
  );
  await q(
    `INSERT INTO breaches (person_id, measure_id, occurred_at, description, recorded_by, created_at, voided_at,
                           voided_by, void_reason)
     SELECT person_id, measure_id, at, 'Nije se javio', $1, at, CASE WHEN i % 26 = 0 THEN at + interval '1 hour' END,
            CASE WHEN i % 26 = 0 THEN $1::uuid END, CASE WHEN i % 26 = 0 THEN 'greška' END
       FROM gen WHERE i % 13 = 0 AND measure_id IS NOT NULL`,
    [userId],
  );
  await q(
    `INSERT INTO referrals (person_id, prosecutor_office, referred_on, referred_by, outcome, outcome_on, case_number,
                            outcome_recorded_at, created_at)
     SELECT person_id, 'OJT Niš', at::date, $1,
            CASE WHEN i % 34 = 0 THEN 'convicted' END, CASE WHEN i % 34 = 0 THEN at::date END,
            CASE WHEN i % 34 = 0 THEN 'K-' || i END, CASE WHEN i % 34 = 0 THEN at + interval '1 hour' END, at
       FROM gen WHERE i % 17 = 0`,
    [userId],
  );
  await q(
    `INSERT INTO disclosures (person_id, recipient_authority, recipient_country, channel, legal_basis,
                              case_reference, fields, package_sha256, package, created_by, created_at)
     SELECT person_id, 'BKA', 'DE', 'interpol', 'ZPMOKD čl. 15', 'R-' || i, '{identity}', repeat('a', 64), '{}', $1, at
       FROM gen WHERE i % 19 = 0`,
    [userId],
  );
  await q(
    `INSERT INTO vetting_requests (employer_name, employer_registry_number, activity, public_office, legal_basis,
                                   request_reference, candidate_given_names, candidate_surname,
                                   candidate_identifier_kind, candidate_identifier_hash, barred, certificate_number,
                                   issued_on, valid_until, issued_by, created_at)
     SELECT 'Vrtić', '12345678', 'vaspitač', false, 'ZPMOKD', 'V-' || k, 'Ana', 'Anić', 'jmbg',
            'hmac:' || rpad(k::text, 43, 'A'), false,
            rpad(chr(65 + k), 9, 'A') || '-AAAAAAAAA-AAAAAAAAA', current_date - k, current_date + 80, $1,
            now() - make_interval(days => 2 + k)
       FROM generate_series(1, 7) k`,
    [userId],
  );
}

/**
 * The figures recounted in SQL, independently of the read model: `members`
 * selects the group keys of a person (null: the total), `scope` the persons
 * counted. Compliance is person_compliance at the day's last instant, the
 * rules' one statement.
 */
async function recount(
  t: TestApp,
  asOf: string,
  from: string,
  members: 'region' | 'offence' | 'measure' | null,
  officerRegion: string | null = null,
): Promise<Map<string | null, Figures>> {
  const key = {
    region: `SELECT unnest(pr.regions)`,
    offence: `SELECT DISTINCT o->>'article' FROM convictions c, jsonb_array_elements(c.offences) o
               WHERE c.person_id = pr.id AND c.created_at < end_at`,
    measure: `SELECT DISTINCT m.type FROM measures m WHERE m.person_id = pr.id AND m.created_at < end_at
                 AND m.status = 'active' AND m.starts_on <= day AND m.ends_on >= day`,
  };
  const rows: Record<string, unknown>[] = await t.dataSource.transaction(async (manager) => {
    await manager.query(
      `SELECT set_config('register.as_of', ((($1::date + 1)::timestamp AT TIME ZONE 'Europe/Belgrade')
                                           - interval '1 microsecond')::text, true)`,
      [asOf],
    );
    return manager.query(
      `WITH b AS (SELECT ($1::date::timestamp AT TIME ZONE 'Europe/Belgrade') AS start_at,
                         (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Belgrade') AS end_at, $2::date AS day),
       pr AS (
         SELECT per.id, ARRAY(SELECT DISTINCT a.police_administration FROM addresses a
                               WHERE a.person_id = per.id AND a.created_at < b.end_at
                                 AND (a.valid_to IS NULL OR a.valid_to > b.day)
                              UNION
                              SELECT m.report_to FROM measures m WHERE m.person_id = per.id AND m.status = 'active'
                                 AND m.report_to IS NOT NULL AND m.created_at < b.end_at) AS regions
           FROM persons per, b WHERE per.created_at < b.end_at),
       pp AS (
         SELECT pr.id, pr.regions, k.key,
           EXISTS (SELECT 1 FROM measures m WHERE m.person_id = pr.id AND m.created_at < end_at
                     AND m.status = 'active' AND m.starts_on <= day AND m.ends_on >= day)::int AS active,
           EXISTS (SELECT 1 FROM convictions c WHERE c.person_id = pr.id AND c.created_at < end_at
                     AND c.sentence_kind = 'imprisonment' AND coalesce(c.custody_from, c.finality_date) <= day
                     AND (coalesce(c.released_on, c.release_date) IS NULL
                          OR coalesce(c.released_on, c.release_date) > day))::int AS custody,
           (person_compliance(pr.id, end_at - interval '1 microsecond', 24, 3)).status AS status,
           (SELECT count(*) FROM check_ins x WHERE x.person_id = pr.id AND x.created_at >= start_at
               AND x.created_at < end_at AND (x.voided_at IS NULL OR x.voided_at >= end_at)) AS check_ins,
           (SELECT count(*) FROM alerts x WHERE x.person_id = pr.id AND x.kind = 'missed_check_in'
               AND x.raised_at >= start_at AND x.raised_at < end_at) AS missed,
           (SELECT count(*) FROM notifications x WHERE x.person_id = pr.id AND NOT x.on_time
               AND x.created_at >= start_at AND x.created_at < end_at
               AND (x.voided_at IS NULL OR x.voided_at >= end_at)) AS late,
           (SELECT count(*) FROM breaches x WHERE x.person_id = pr.id AND x.created_at >= start_at
               AND x.created_at < end_at AND (x.voided_at IS NULL OR x.voided_at >= end_at)) AS breaches,
           (SELECT count(*) FROM referrals x WHERE x.person_id = pr.id AND x.created_at >= start_at
               AND x.created_at < end_at AND (x.voided_at IS NULL OR x.voided_at >= end_at)) AS referrals,
           (SELECT count(*) FROM referrals x WHERE x.person_id = pr.id AND x.outcome = 'convicted'
               AND x.outcome_recorded_at >= start_at AND x.outcome_recorded_at < end_at
               AND (x.voided_at IS NULL OR x.voided_at >= end_at)) AS convicted,
           (SELECT count(*) FROM disclosures x WHERE x.person_id = pr.id AND x.created_at >= start_at
               AND x.created_at < end_at) AS disclosures,
           (SELECT count(*) FROM transfers x WHERE x.person_id = pr.id AND x.created_at >= start_at
               AND x.created_at < end_at) AS transfers
         FROM pr CROSS JOIN b CROSS JOIN LATERAL (${members ? key[members] : 'SELECT NULL::text'}) k(key)
         WHERE $3::text IS NULL OR $3 = ANY(pr.regions))
       SELECT key, count(*)::int AS "personsRegistered", sum(active)::int AS "withActiveMeasures",
              sum(custody)::int AS "inCustody",
              count(*) FILTER (WHERE status IN ('compliant', 'due'))::int AS compliant,
              count(*) FILTER (WHERE status = 'overdue')::int AS overdue,
              count(*) FILTER (WHERE status = 'non_compliant')::int AS "nonCompliant",
              sum(check_ins)::int AS "checkIns", sum(missed)::int AS "missedPeriods", sum(late)::int AS "lateNotices",
              sum(breaches)::int AS breaches, sum(referrals)::int AS referrals,
              sum(convicted)::int AS "failureConvictions", sum(disclosures)::int AS disclosures,
              sum(transfers)::int AS transfers
         FROM pp GROUP BY key`,
      [from, asOf, officerRegion],
    );
  });
  return new Map(rows.map((r) => [r.key as string | null, r as unknown as Figures & { transfers: number }]));
}

/** Transfers into and out of each administration (recorded from..asOf), and the vetting requests. */
async function movements(t: TestApp, asOf: string, from: string) {
  const window = `created_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Belgrade')
                  AND created_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Belgrade')`;
  const [ins, outs, [vetting]] = await Promise.all([
    t.dataSource.query(
      `SELECT to_administration AS key, count(*)::int AS n FROM transfers WHERE ${window} GROUP BY 1`,
      [from, asOf],
    ),
    t.dataSource.query(
      `SELECT from_administration AS key, count(*)::int AS n FROM transfers WHERE ${window} GROUP BY 1`,
      [from, asOf],
    ),
    t.dataSource.query(`SELECT count(*)::int AS n FROM vetting_requests WHERE ${window}`, [from, asOf]),
  ]);
  const map = (rows: { key: string; n: number }[]) => new Map(rows.map((r) => [r.key, r.n]));
  return { into: map(ins), out: map(outs), vetting: vetting.n as number };
}

describe('statistics', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let judge: TestAccount & Tokens;
  let auditor: TestAccount & Tokens;
  let admin: TestAccount & Tokens;
  let vetting: TestAccount & Tokens;
  let officerNis: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await signedIn(t, 'registry_clerk');
    judge = await signedIn(t, 'judicial_officer');
    auditor = await signedIn(t, 'auditor');
    admin = await signedIn(t, 'admin');
    vetting = await signedIn(t, 'vetting_officer');
    officerNis = await signedIn(t, 'police_officer', 'PU-NIS');
    await generate(t, clerk.user.id);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  const as = (account: Tokens, requestId = rid('statistics')) => ({
    ...bearer(account.accessToken),
    ...REASON,
    'X-Request-Id': requestId,
  });
  const get = (account: Tokens, query: Record<string, string>, requestId?: string) =>
    request(t.server).get('/api/v1/statistics').query(query).set(as(account, requestId));
  const report = (account: Tokens, query: Record<string, string>, requestId?: string) =>
    request(t.server)
      .get('/api/v1/statistics/report')
      .query(query)
      .set(as(account, requestId))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  const problem = (res: { body: unknown }) => JSON.parse(String(res.body)) as { type: string; errors?: unknown[] };

  describe('refusals first', () => {
    it.each([
      ['admin', () => admin],
      ['vetting officer', () => vetting],
    ])('refuses the %s: 403, recorded as denied', async (_name, who) => {
      const requestId = rid('stats-denied');
      const res = await get(who(), {}, requestId);
      expect(res.status).toBe(403);
      const [event] = await eventsOf(t, requestId);
      expect(event).toMatchObject({ action: 'statistics.read', outcome: 'denied' });
      const rep = await report(who(), {});
      expect(rep.status).toBe(403);
    });

    it('refuses the national report to a police officer (403)', async () => {
      const res = await report(officerNis, { year: day(0).slice(0, 4) });
      expect(res.status).toBe(403);
    });

    it.each([
      [{ asOf: '2026-02-30' }, 'asOf'],
      [{ asOf: '03.12.2026' }, 'asOf'],
      [{ asOf: day(1) }, 'asOf'],
      [{ asOf: day(-5), from: day(-4) }, 'from'],
      [{ from: 'yesterday' }, 'from'],
      [{ groupBy: 'person' }, 'groupBy'],
      [{ region: 'PU-BEOGRAD' }, 'region'],
    ])('answers 400 naming the field for %j', async (query, field) => {
      const res = await get(clerk, query as Record<string, string>);
      expect(res.status).toBe(400);
      expect(res.body.type).toBe('urn:register:problem:validation');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it.each([
      [{ year: '1999' }, 'year'],
      [{ year: String(Number(day(0).slice(0, 4)) + 1) }, 'year'],
      [{ year: 'twenty' }, 'year'],
      [{ format: 'xlsx' }, 'format'],
    ])('the report answers 400 for %j', async (query, field) => {
      const res = await report(clerk, query);
      expect(res.status).toBe(400);
      const body = problem(res);
      expect(body.type).toBe('urn:register:problem:validation');
      expect(JSON.stringify(body.errors)).toContain(field);
    });
  });

  describe('figures against SQL recounts', () => {
    const asOf = day(-1);
    const from = day(-45);

    it('the total counts every person once and agrees with the recount; the event is not flagged', async () => {
      const requestId = rid('stats-total');
      const res = await get(judge, { asOf, from }, requestId);
      expect(res.status).toBe(200);
      const expected = (await recount(t, asOf, from, null)).get(null)!;
      const moves = await movements(t, asOf, from);
      const transfers = [...moves.into.values()].reduce((a, b) => a + b, 0);
      expect(res.body).toMatchObject({ asOf, from, groupBy: null, regions: null, groups: [] });
      expect(res.body.total).toEqual({
        ...pick(expected),
        transfersIn: transfers,
        transfersOut: transfers,
        vettingRequests: moves.vetting,
      });
      expect(res.body.total.personsRegistered).toBeGreaterThan(200);
      const [event] = await eventsOf(t, requestId);
      expect(event).toMatchObject({ action: 'statistics.read', outcome: 'allowed', flagged: false });
      expect(event.details).toEqual({ asOf, from, groupBy: null });
    });

    it.each(['region', 'offence', 'measure'] as const)(
      'groupBy=%s agrees with the recount, group by group',
      async (groupBy) => {
        const res = await get(clerk, { asOf, from, groupBy });
        expect(res.status).toBe(200);
        const expected = await recount(t, asOf, from, groupBy);
        const moves = await movements(t, asOf, from);
        for (const group of res.body.groups as { key: string; figures: Figures }[]) {
          const e = expected.get(group.key) as (Figures & { transfers: number }) | undefined;
          const persons = e ? pick(e) : zeroFigures();
          const transfers =
            groupBy === 'region'
              ? { transfersIn: moves.into.get(group.key) ?? 0, transfersOut: moves.out.get(group.key) ?? 0 }
              : { transfersIn: e?.transfers ?? 0, transfersOut: e?.transfers ?? 0 };
          // Vetting requests keep no person: counted in the total only.
          expect({ key: group.key, ...group.figures }).toEqual({
            key: group.key,
            ...persons,
            ...transfers,
            vettingRequests: 0,
          });
        }
        const keys = [...expected.keys()].filter((k) => k !== null);
        expect(keys.length).toBeGreaterThan(1);
        for (const key of keys) expect((res.body.groups as { key: string }[]).map((g) => g.key)).toContain(key);
        const total = (await recount(t, asOf, from, null)).get(null)!;
        expect(res.body.total.personsRegistered).toBe(total.personsRegistered);
        expect(res.body.total.vettingRequests).toBe(moves.vetting);
      },
    );

    it('a person in two groups counts in both (offences), once in the total', async () => {
      const res = await get(clerk, { asOf, from, groupBy: 'offence' });
      const sum = (res.body.groups as { figures: Figures }[]).reduce((a, g) => a + g.figures.personsRegistered, 0);
      expect(sum).toBeGreaterThan(res.body.total.personsRegistered);
    });

    it('groupBy=month: one group a month, each the figures of that month (stocks at its end)', async () => {
      const monthFrom = day(-45);
      const res = await get(auditor, { asOf, from: monthFrom, groupBy: 'month' });
      expect(res.status).toBe(200);
      const groups = res.body.groups as { key: string; figures: Figures }[];
      // The total is that of the whole span (the last month comes from the same statement).
      expect(res.body.total).toEqual((await get(auditor, { asOf, from: monthFrom })).body.total);
      expect(groups[0].key).toBe(monthFrom.slice(0, 7));
      expect(groups.at(-1)!.key).toBe(asOf.slice(0, 7));
      for (const group of groups) {
        const first = group.key === monthFrom.slice(0, 7) ? monthFrom : `${group.key}-01`;
        const lastOfMonth = new Date(Date.UTC(Number(group.key.slice(0, 4)), Number(group.key.slice(5, 7)), 0))
          .toISOString()
          .slice(0, 10);
        const last = lastOfMonth < asOf ? lastOfMonth : asOf;
        const e = (await recount(t, last, first, null)).get(null)!;
        const moves = await movements(t, last, first);
        const transfers = [...moves.into.values()].reduce((a, b) => a + b, 0);
        expect(group.figures).toEqual({
          ...pick(e),
          transfersIn: transfers,
          transfersOut: transfers,
          vettingRequests: moves.vetting,
        });
      }
    });

    it('a police officer sees the persons of the region only (regions as of the day), no vetting requests', async () => {
      const res = await get(officerNis, { asOf, from, groupBy: 'region' });
      expect(res.status).toBe(200);
      expect(res.body.regions).toEqual(['PU-NIS']);
      expect((res.body.groups as { key: string }[]).map((g) => g.key)).toEqual(['PU-NIS']);
      const expected = (await recount(t, asOf, from, null, 'PU-NIS')).get(null)!;
      const moves = await movements(t, asOf, from);
      expect(res.body.total).toEqual({
        ...pick(expected),
        transfersIn: moves.into.get('PU-NIS') ?? 0,
        transfersOut: moves.out.get('PU-NIS') ?? 0,
        vettingRequests: 0,
      });
      expect(res.body.total.personsRegistered).toBeGreaterThan(0);
      expect(res.body.total.personsRegistered).toBeLessThan(PERSONS / 2);
    });
  });

  it('asOf in the past keeps that day’s figures after later check-ins, voids, an outcome, a measure and a transfer', async () => {
    const asOf = day(-3);
    const from = day(-50);
    const before = await get(clerk, { asOf, from, groupBy: 'region' });
    expect(before.status).toBe(200);
    // Later changes, recorded now: a check-in made two days ago for an overdue person, voids of a counted
    // check-in and a counted breach, the outcome of an open referral, a new reporting measure, a move to another administration.
    const [overdue] = await t.dataSource.query(
      `SELECT g.person_id, g.measure_id FROM gen g
        WHERE g.measure_id IS NOT NULL
          AND (person_compliance(g.person_id, now(), 24, 3)).status = 'overdue' LIMIT 1`,
    );
    expect(overdue).toBeDefined();
    await t.dataSource.query(
      `INSERT INTO check_ins (person_id, measure_id, occurred_at, place, method, recorded_by)
       VALUES ($1, $2, now() - interval '5 days', 'PU', 'in_person', $3)`,
      [overdue.person_id, overdue.measure_id, clerk.user.id],
    );
    await t.dataSource.query(
      `UPDATE check_ins SET voided_at = now(), voided_by = $1, void_reason = 'kasnije'
        WHERE id = (SELECT id FROM check_ins WHERE voided_at IS NULL AND created_at < now() - interval '4 days'
                     ORDER BY created_at LIMIT 1)`,
      [clerk.user.id],
    );
    const [, voidedBreaches] = await t.dataSource.query(
      `UPDATE breaches SET voided_at = now(), voided_by = $1, void_reason = 'kasnije'
        WHERE id = (SELECT id FROM breaches WHERE voided_at IS NULL AND created_at < now() - interval '4 days'
                     ORDER BY created_at LIMIT 1)`,
      [clerk.user.id],
    );
    expect(voidedBreaches).toBe(1);
    await t.dataSource.query(
      `UPDATE referrals SET outcome = 'convicted', outcome_on = current_date - 10, case_number = 'K-9',
                            outcome_recorded_at = now()
        WHERE id = (SELECT id FROM referrals WHERE outcome IS NULL ORDER BY created_at LIMIT 1)`,
    );
    const [moving] = await t.dataSource.query(
      `SELECT person_id, region, other FROM gen WHERE i % 10 = 1 AND i % 7 <> 0 LIMIT 1`,
    );
    await t.dataSource.query(
      `WITH closed AS (UPDATE addresses SET valid_to = current_date - 10
                        WHERE person_id = $1 AND valid_to IS NULL AND kind = 'permanent' RETURNING person_id),
            moved AS (INSERT INTO addresses (person_id, kind, street, city, postal_code, police_administration,
                                             valid_from)
                      SELECT person_id, 'permanent', 'Nova 1', 'Grad', '11000', $3, current_date - 10 FROM closed
                      RETURNING id)
       INSERT INTO transfers (person_id, address_id, from_administration, to_administration, effective_on, recorded_by)
       SELECT $1, id, $2, $3, current_date - 10, $4 FROM moved`,
      [moving.person_id, moving.region, moving.other, clerk.user.id],
    );
    await t.dataSource.query(
      `INSERT INTO measures (person_id, type, starts_on, ends_on, report_to, every_days, schedule_kind)
       SELECT person_id, 'periodic_reporting', current_date - 90, current_date + 300, region, 30, 'every_days'
         FROM gen WHERE measure_id IS NULL LIMIT 1`,
    );
    const after = await get(clerk, { asOf, from, groupBy: 'region' });
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
    // Today's figures do see them.
    const today = await get(clerk, { asOf: day(0), from });
    expect(today.body.total).not.toEqual(before.body.total);
  });

  it('today’s compliance comes from the stored states while each is valid, and is the same as computed', async () => {
    const asOf = day(0);
    const from = day(-45);
    const figures = async (on = asOf) => {
      const res = await get(clerk, { asOf: on, from });
      expect(res.status).toBe(200);
      return res.body.total as Figures;
    };
    await t.dataSource.query('DELETE FROM schedule_states');
    const computed = await figures();
    expect(pick(computed)).toEqual(pick((await recount(t, asOf, from, null)).get(null)!));
    const yesterday = await figures(day(-1));
    const refreshed = async (): Promise<number> =>
      (await t.dataSource.query(`SELECT schedule_states_refresh(now(), 24, 3)::integer AS written`))[0].written;
    expect(await refreshed()).toBeGreaterThan(100);
    expect(await figures()).toEqual(computed);
    // The schedules' states, read for the persons without a state of their own (migration PersonStates).
    await t.dataSource.query('DELETE FROM person_states');

    // Every state says overdue: taken while valid (the person's generation, the rules' settings, a window
    // holding the day's last instant), so every person with a schedule and no open referral is overdue.
    await t.dataSource.query(`UPDATE schedule_states SET status = 'overdue'`);
    const [{ scheduled }] = await t.dataSource.query(
      `SELECT count(DISTINCT s.person_id)::integer AS scheduled FROM register_reporting_schedules s
        WHERE NOT EXISTS (SELECT 1 FROM register_referrals r WHERE r.person_id = s.person_id AND r.outcome IS NULL)`,
    );
    expect(await figures()).toEqual({ ...computed, compliant: 0, overdue: scheduled });
    // Not taken: of another generation, other settings, a window that has passed, or for a past day.
    const unused = async (table: string, expected: Figures) => {
      for (const [change, undo] of [
        ['generation = generation - 1', 'generation = generation + 1'],
        ['grace_hours = 48', 'grace_hours = 24'],
        ['due_soon_days = 7', 'due_soon_days = 3'],
        [
          "valid_from = valid_from - interval '2 days', valid_until = valid_until - interval '2 days'",
          "valid_from = valid_from + interval '2 days', valid_until = valid_until + interval '2 days'",
        ],
      ]) {
        await t.dataSource.query(`UPDATE ${table} SET ${change}`);
        expect(await figures()).toEqual(expected);
        await t.dataSource.query(`UPDATE ${table} SET ${undo}`);
      }
      await t.dataSource.query(`UPDATE ${table} SET valid_from = valid_from - interval '2 days'`);
      expect(await figures(day(-1))).toEqual(yesterday);
      await t.dataSource.query(`UPDATE ${table} SET valid_from = valid_from + interval '2 days'`);
    };
    await unused('schedule_states', computed);
    await t.dataSource.query('DELETE FROM schedule_states');

    // Each person's state (migration PersonStates), written by the refresh for every person with schedules.
    expect(await refreshed()).toBeGreaterThan(100);
    const [{ states, persons }] = await t.dataSource.query(
      `SELECT (SELECT count(*) FROM person_states)::integer AS states,
              (SELECT count(DISTINCT person_id) FROM register_reporting_schedules)::integer AS persons`,
    );
    expect(states).toBe(persons);
    expect(await figures()).toEqual(computed);
    // Every person's state says overdue, every schedule's compliant: the person's is taken while valid, and
    // their schedules are not read.
    await t.dataSource.query(`UPDATE schedule_states SET status = 'compliant'`);
    await t.dataSource.query(`UPDATE person_states SET statuses = '{overdue}'`);
    expect(await figures()).toEqual({ ...computed, compliant: 0, overdue: scheduled });
    // Not taken (their schedules' states are, all compliant): of another generation, other settings, a window
    // that has passed, or for a past day.
    await unused('person_states', { ...computed, compliant: scheduled, overdue: 0 });
    // Some persons' states taken, the others' schedules read.
    const [{ half }] = await t.dataSource.query(
      `WITH stale AS (UPDATE person_states SET generation = generation - 1
                       WHERE person_id IN (SELECT person_id FROM person_states ORDER BY person_id
                                            LIMIT (SELECT count(*) / 2 FROM person_states))
                       RETURNING person_id)
       SELECT count(*)::integer AS half FROM stale s
        WHERE NOT EXISTS (SELECT 1 FROM register_referrals r WHERE r.person_id = s.person_id AND r.outcome IS NULL)`,
    );
    expect(half).toBeGreaterThan(10);
    expect(await figures()).toEqual({ ...computed, compliant: half, overdue: scheduled - half });
    await t.dataSource.query('DELETE FROM person_states');
    await t.dataSource.query('DELETE FROM schedule_states');
  });

  describe('the yearly report', () => {
    const year = day(0).slice(0, 4);

    it('json: cells from 1 to 4 are null and named in suppressed; zero stays 0; the event is statistics.report', async () => {
      const requestId = rid('stats-report');
      const res = await report(judge, { year, format: 'json' }, requestId);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = JSON.parse(String(res.body));
      expect(body).toMatchObject({ year: Number(year), from: `${year}-01-01`, asOf: day(0), minCell: 5 });
      const plain = (await get(judge, { asOf: day(0), from: `${year}-01-01`, groupBy: 'region' })).body;
      let suppressedCells = 0;
      for (const group of body.byRegion as {
        key: string;
        figures: Record<string, number | null>;
        suppressed: string[];
      }[]) {
        const raw = (plain.groups as { key: string; figures: Figures }[]).find((g) => g.key === group.key)!.figures;
        for (const name of FIGURES) {
          const value = raw[name];
          if (value >= 1 && value <= 4) {
            expect(group.figures[name]).toBeNull();
            expect(group.suppressed).toContain(name);
            suppressedCells++;
          } else {
            expect(group.figures[name]).toBe(value);
            expect(group.suppressed).not.toContain(name);
          }
        }
      }
      expect(suppressedCells).toBeGreaterThan(0);
      expect(
        body.byRegion.some((g: { figures: Record<string, number | null> }) => g.figures.personsRegistered === 0),
      ).toBe(true);
      expect(body.byOffence.length).toBeGreaterThanOrEqual(ARTICLES.length);
      const [event] = await eventsOf(t, requestId);
      expect(event).toMatchObject({ action: 'statistics.report', outcome: 'allowed', flagged: false });
      expect(event.details).toMatchObject({ year: Number(year), format: 'json', minCell: 5 });
    });

    it('csv: a header row, RFC 4180 quoting, "<5" for small cells, an attachment', async () => {
      const res = await report(clerk, { year, format: 'csv' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="statistics-${year}.csv"`);
      const text = String(res.body);
      const lines = text.split('\r\n');
      expect(lines[0]).toBe(`table,key,label,${FIGURES.join(',')}`);
      expect(text).toContain('<5');
      const json = JSON.parse(String((await report(clerk, { year })).body));
      const bor = json.byRegion.find((g: { key: string }) => g.key === 'PU-BOR');
      const cells = FIGURES.map((f) => (bor.figures[f] === null ? '<5' : String(bor.figures[f])));
      expect(lines).toContain(`region,PU-BOR,${bor.label},${cells.join(',')}`);
      expect(lines.at(-2)!.startsWith('total,total,Total,')).toBe(true);
      // A label with a comma is quoted.
      const quoted = lines.find((l) => l.startsWith('offence,'))!;
      const [article] = json.byOffence;
      if (article.label.includes(',')) expect(quoted).toContain(`"${article.label.replaceAll('"', '""')}"`);
    });

    it('pdf: through renderPdf, small cells shown as <5', async () => {
      const res = await report(auditor, { year, format: 'pdf' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="statistics-${year}.pdf"`);
      const text = await pdfText(res.body as Buffer);
      expect(text).toContain(`statistics ${year}`);
      expect(text).toContain('<5');
      expect(text).toContain('PU-BEOGRAD');
    });
  });

  describe('recorded days', () => {
    /** The last day ended for good: the Belgrade day an hour ago, less one. */
    const settled = () => {
      const [y, m, d] = new Date(Date.now() - 3_600_000)
        .toLocaleDateString('sv-SE', { timeZone: 'Europe/Belgrade' })
        .split('-')
        .map(Number);
      return new Date(Date.UTC(y, m - 1, d) - DAY_MS).toISOString().slice(0, 10);
    };
    const daysFrom = (first: string, last: string) => {
      const days: string[] = [];
      for (let at = Date.parse(first); at <= Date.parse(last); at += DAY_MS) {
        days.push(new Date(at).toISOString().slice(0, 10));
      }
      return days;
    };
    const span = async () =>
      t.dataSource.query(
        `SELECT first_day::text AS "firstDay", last_day::text AS "lastDay", grace_hours AS "graceHours",
                due_soon_days AS "dueSoonDays" FROM statistics_days`,
      );
    const clear = () => t.dataSource.query('DELETE FROM statistics_day_stocks; DELETE FROM statistics_days');
    /** The worker's recorder (the api does not run it). */
    const recorder = () => new StatisticsDays(t.dataSource, t.app.get(AppConfig));

    afterAll(clear);

    it('records nothing while another worker holds the recording; then, by default, the last day ended', async () => {
      await clear();
      const holder = t.dataSource.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      try {
        await holder.query('SELECT pg_advisory_xact_lock(7340103)');
        expect(await recorder().recordEnded()).toEqual([]);
        expect(await span()).toEqual([]);
      } finally {
        await holder.rollbackTransaction();
        await holder.release();
      }
      expect(await recorder().recordEnded()).toEqual([settled()]);
      expect(await span()).toEqual([{ firstDay: settled(), lastDay: settled(), graceHours: 24, dueSoonDays: 3 }]);
      await clear();
    });

    it('`statistics:record` records from --from when nothing is recorded yet; a malformed day records nothing', async () => {
      await clear();
      // The command line runs from the build.
      buildDist();
      const bad = runCli(['statistics:record', '--from', '2026-02-30'], { DATABASE_URL: t.database.url });
      expect({ status: bad.status, stderr: bad.stderr.trim() }).toEqual({
        status: 1,
        stderr: 'Failed: --from must be a real date (YYYY-MM-DD)',
      });
      expect(await span()).toEqual([]);
      const good = runCli(['statistics:record', '--from', day(-2)], { DATABASE_URL: t.database.url });
      expect({ status: good.status, stdout: JSON.parse(good.stdout) }).toEqual({
        status: 0,
        stdout: { recorded: daysFrom(day(-2), settled()) },
      });
      const events = await t.dataSource.query(
        `SELECT outcome, details FROM audit_events WHERE action = 'statistics.record' ORDER BY at`,
      );
      expect(events).toEqual([
        { outcome: 'error', details: null },
        { outcome: 'allowed', details: { from: day(-2), recorded: daysFrom(day(-2), settled()).length } },
      ]);
      await clear();
    }, 300_000);

    it('records each ended day once, in order, and a recorded day answers what computing it answered', async () => {
      const first = day(-40);
      const calls: [Tokens, Record<string, string>][] = [
        [clerk, { asOf: day(-1), from: day(-50) }],
        [clerk, { asOf: day(-3), from: day(-50), groupBy: 'region' }],
        [auditor, { asOf: day(-10), from: day(-50), groupBy: 'offence' }],
        [judge, { asOf: day(-30), from: day(-50), groupBy: 'measure' }],
        [clerk, { asOf: day(-5), from: day(-45), groupBy: 'month' }],
        [officerNis, { asOf: day(-7), from: day(-50), groupBy: 'region' }],
      ];
      const answers = async () => {
        const bodies: unknown[] = [];
        for (const [who, query] of calls) {
          const res = await get(who, query);
          expect(res.status).toBe(200);
          bodies.push(res.body);
        }
        return bodies;
      };
      const computed = await answers();

      expect(await recorder().recordEnded(first)).toEqual(daysFrom(first, settled()));
      expect(await span()).toEqual([{ firstDay: first, lastDay: settled(), graceHours: 24, dueSoonDays: 3 }]);
      expect(await recorder().recordEnded(day(-60))).toEqual([]);
      expect(await answers()).toEqual(computed);

      // Each person registered by a recorded day's end holds exactly one run holding the day; a run spans the
      // days its person's stocks stayed the same, so there are fewer runs than persons times days.
      const perDay: { day: string; runs: number; registered: number }[] = await t.dataSource.query(
        `SELECT d::date::text AS day,
                (SELECT count(*)::int FROM statistics_day_stocks s
                  WHERE s.from_day <= d::date AND (s.to_day IS NULL OR s.to_day >= d::date)) AS runs,
                (SELECT count(*)::int FROM persons p WHERE p.created_at < belgrade_midnight(d::date + 1)) AS registered
           FROM generate_series($1::date, $2::date, interval '1 day') d`,
        [first, settled()],
      );
      expect(perDay.filter((d) => d.runs !== d.registered)).toEqual([]);
      expect(perDay.at(-1)!.registered).toBe(PERSONS);
      const [{ runs, overlapping }] = await t.dataSource.query(
        `SELECT (SELECT count(*)::int FROM statistics_day_stocks) AS runs,
                (SELECT count(*)::int FROM statistics_day_stocks a JOIN statistics_day_stocks b
                    ON a.person_id = b.person_id AND a.from_day < b.from_day
                 WHERE a.to_day IS NULL OR a.to_day >= b.from_day) AS overlapping`,
      );
      expect(overlapping).toBe(0);
      expect(runs).toBeLessThan(perDay.reduce((sum, d) => sum + d.registered, 0) / 4);

      // The figures of a recorded day are read from the runs: flipping custody in the runs holding it shows.
      const asOf = day(-3);
      const flip = `UPDATE statistics_day_stocks SET in_custody = NOT in_custody
                     WHERE from_day <= $1::date AND (to_day IS NULL OR to_day >= $1::date)`;
      const before = (await get(clerk, { asOf })).body.total as Figures;
      await t.dataSource.query(flip, [asOf]);
      try {
        const flipped = (await get(clerk, { asOf })).body.total as Figures;
        expect(flipped).toEqual({ ...before, inCustody: before.personsRegistered - before.inCustody });
        // A day outside the span is still computed.
        expect((await get(clerk, { asOf: day(-45) })).body.total.inCustody).toBe(
          (await recount(t, day(-45), `${day(-45).slice(0, 4)}-01-01`, null)).get(null)!.inCustody,
        );
      } finally {
        await t.dataSource.query(flip, [asOf]);
      }
    });
  });
});

function pick(row: Partial<Figures>): Omit<Figures, 'transfersIn' | 'transfersOut' | 'vettingRequests'> {
  return {
    personsRegistered: row.personsRegistered ?? 0,
    withActiveMeasures: row.withActiveMeasures ?? 0,
    inCustody: row.inCustody ?? 0,
    compliant: row.compliant ?? 0,
    overdue: row.overdue ?? 0,
    nonCompliant: row.nonCompliant ?? 0,
    checkIns: row.checkIns ?? 0,
    missedPeriods: row.missedPeriods ?? 0,
    lateNotices: row.lateNotices ?? 0,
    breaches: row.breaches ?? 0,
    referrals: row.referrals ?? 0,
    failureConvictions: row.failureConvictions ?? 0,
    disclosures: row.disclosures ?? 0,
  };
}

function zeroFigures(): Omit<Figures, 'transfersIn' | 'transfersOut' | 'vettingRequests'> {
  return pick({});
}
