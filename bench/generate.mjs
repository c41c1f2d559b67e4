// Fills a migrated database with a reproducible register: persons with addresses, convictions, reporting
// measures and a year of check-ins, and audit events, mostly through set-based SQL. Same seed, same data.
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);
const { searchKey } = require('../dist/libs/register/src/names.js');
const { expectedCheckDigit } = require('../dist/libs/register/src/jmbg.js');

// Names as diverse as a national register's: surnames from roots and the usual endings (about 1,600),
// given names (about 90), both drawn with a long-tailed (Zipf-like) frequency, so that the most common
// surname is about 1% of persons, as Petrović is in Serbia.
const ROOTS = [
  'Petr',
  'Jovan',
  'Nikol',
  'Mark',
  'Đorđ',
  'Stojan',
  'Il',
  'Stank',
  'Pavl',
  'Miloš',
  'Todor',
  'Đuk',
  'Kovač',
  'Pop',
  'Živk',
  'Jank',
  'Mitr',
  'Rist',
  'Laz',
  'Sav',
  'Kost',
  'Obrad',
  'Vas',
  'Rad',
  'Šar',
  'Čol',
  'Ćir',
  'Jel',
  'Bošk',
  'Tom',
  'Sim',
  'Luk',
  'Filip',
  'Mil',
  'Vuk',
  'Bab',
  'Per',
  'Dimitrij',
  'Gaj',
  'Zor',
  'Stef',
  'Bog',
  'Dragan',
  'Zoran',
  'Goran',
  'Dejan',
  'Nenad',
  'Ivan',
  'Milan',
  'Vladimir',
  'Žark',
  'Srđan',
  'Bojan',
  'Luč',
  'Dušan',
  'Branković',
  'Stevan',
  'Velj',
  'Vuj',
  'Vučk',
  'Grb',
  'Gavril',
  'Dam',
  'Despot',
  'Đur',
  'Živan',
  'Zdrav',
  'Ignjat',
  'Jakš',
  'Jevt',
  'Kalin',
  'Krst',
  'Kuz',
  'Maks',
  'Marin',
  'Matej',
  'Mijailov',
  'Mirk',
  'Mlad',
  'Nedelj',
  'Novak',
  'Obren',
  'Ostoj',
  'Pantel',
  'Perišić',
  'Prod',
  'Rajk',
  'Ranc',
  'Rakić',
  'Sekul',
  'Simeun',
  'Slav',
  'Sreten',
  'Stamen',
  'Tasić',
  'Tešić',
  'Trif',
  'Urošev',
  'Cvetk',
  'Cvij',
  'Čed',
  'Džin',
  'Šćep',
  'Šapon',
  'Ljub',
  'Njeg',
  'Andrej',
  'Aleks',
  'Arsen',
  'Bran',
  'Velimir',
  'Vidoj',
  'Vitom',
  'Vlaj',
  'Gligor',
  'Grujić',
  'Dobr',
  'Dragut',
  'Đok',
  'Živoj',
  'Zlat',
  'Jeremić',
  'Jovič',
  'Kojić',
  'Kret',
  'Lek',
  'Lon',
  'Mač',
  'Mihajl',
  'Mom',
  'Naum',
  'Ned',
  'Orl',
  'Pejč',
  'Pet',
  'Puriš',
  'Rat',
  'Savat',
].filter((root) => !root.endsWith('ić'));
const ENDINGS = ['ović', 'ević', 'ić', 'in', 'ski', 'ac', 'anović', 'ijević', 'ičić', 'ko', 'ović-Stojanović'];
const SURNAMES = ROOTS.flatMap((root) => ENDINGS.map((ending) => `${root}${ending}`));
const GIVEN = [
  'Petar',
  'Marko',
  'Nikola',
  'Stefan',
  'Miloš',
  'Aleksandar',
  'Dragan',
  'Zoran',
  'Goran',
  'Dejan',
  'Nenad',
  'Ivan',
  'Milan',
  'Vladimir',
  'Đorđe',
  'Žarko',
  'Srđan',
  'Bojan',
  'Jovan',
  'Luka',
  'Dušan',
  'Ana',
  'Milica',
  'Jelena',
  'Marija',
  'Branko',
  'Vuk',
  'Lazar',
  'Filip',
  'Uroš',
  'Vojislav',
  'Slobodan',
  'Miodrag',
  'Radovan',
  'Predrag',
  'Svetozar',
  'Dobrivoje',
  'Živojin',
  'Momčilo',
  'Ljubomir',
  'Njegoš',
  'Čedomir',
  'Ćira',
  'Šćepan',
  'Velibor',
  'Gvozden',
  'Tihomir',
  'Zlatko',
  'Ratko',
  'Radomir',
  'Slavko',
  'Stanislav',
  'Sava',
  'Simo',
  'Teodor',
  'Mihajlo',
  'Andrija',
  'Arsenije',
  'Danilo',
  'Despot',
  'Dimitrije',
  'Emil',
  'Igor',
  'Jakov',
  'Kosta',
  'Lenka',
  'Mila',
  'Nada',
  'Olivera',
  'Radmila',
  'Snežana',
  'Tamara',
  'Vesna',
  'Zorica',
  'Dragana',
  'Gordana',
  'Ivana',
  'Jasna',
  'Ksenija',
  'Ljiljana',
  'Mirjana',
  'Nevena',
  'Sanja',
  'Tijana',
  'Vera',
  'Željko',
  'Života',
  'Đura',
];

/** Picks from `list` with a long tail: the k-th item about 1/k^exponent as often as the first. */
function zipf(list, next, exponent) {
  const weights = list.map((_, k) => 1 / (k + 1) ** exponent);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative = [];
  weights.reduce((sum, w, k) => (cumulative[k] = sum + w / total), 0);
  return () => {
    const u = next();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return list[lo];
  };
}
const ADMINISTRATIONS = [
  'PU-BEOGRAD',
  'PU-BOR',
  'PU-VALJEVO',
  'PU-VRANJE',
  'PU-ZAJECAR',
  'PU-ZRENJANIN',
  'PU-JAGODINA',
  'PU-KIKINDA',
  'PU-KRAGUJEVAC',
  'PU-KRALJEVO',
  'PU-KRUSEVAC',
  'PU-LESKOVAC',
  'PU-NIS',
  'PU-NOVI-PAZAR',
  'PU-NOVI-SAD',
  'PU-PANCEVO',
  'PU-PIROT',
  'PU-POZAREVAC',
  'PU-PROKUPLJE',
  'PU-SMEDEREVO',
  'PU-SOMBOR',
  'PU-SREMSKA-MITROVICA',
  'PU-SUBOTICA',
  'PU-UZICE',
  'PU-CACAK',
  'PU-SABAC',
  'PU-KOSOVSKA-MITROVICA',
];

/** mulberry32: a small seeded generator, so the same seed gives the same register. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n, width) => String(n).padStart(width, '0');

/** A valid JMBG not in `used`: the date, a region 71-80 and a serial chosen so that K exists. */
function jmbgOf(i, dateOfBirth, sex, used) {
  const [y, m, d] = dateOfBirth.split('-');
  for (let attempt = 0; ; attempt += 1) {
    const region = 71 + ((i + attempt) % 10);
    const serial = (sex === 'M' ? 0 : 500) + ((i + attempt * 7) % 500);
    const first12 = `${d}${m}${y.slice(1)}${region}${pad(serial, 3)}`;
    const check = expectedCheckDigit(first12);
    if (check !== null && !used.has(`${first12}${check}`)) {
      used.add(`${first12}${check}`);
      return `${first12}${check}`;
    }
  }
}

/**
 * The register opened this many days before it was generated: persons, addresses, convictions and measures
 * were recorded then (loaded from the former records), check-ins when made (older ones at the opening), so
 * its past days hold the register as it was recorded then.
 */
export const HISTORY_DAYS = 35;

export async function generate({ url, seed, persons, auditEvents, log }) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const opened = new Date(Date.now() - HISTORY_DAYS * 86_400_000);
  const next = random(seed);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const surnameOf = zipf(SURNAMES, next, 0.5);
  const givenNameOf = zipf(GIVEN, next, 0.6);
  try {
    // Persons, in batches: names and keys need the service's own folding (names.ts).
    const started = Date.now();
    const BATCH = 5000;
    const used = new Set();
    for (let from = 0; from < persons; from += BATCH) {
      const rows = { surname: [], given: [], jmbg: [], dob: [], sex: [], search: [], skey: [], region: [] };
      for (let i = from; i < Math.min(persons, from + BATCH); i += 1) {
        const surname = surnameOf();
        const givenNames = givenNameOf();
        const sex = next() < 0.95 ? 'M' : 'F';
        const day = Math.floor(next() * 365 * 50);
        const dob = new Date(Date.UTC(1950, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
        rows.surname.push(surname);
        rows.given.push(givenNames);
        rows.jmbg.push(jmbgOf(i, dob, sex, used));
        rows.dob.push(dob);
        rows.sex.push(sex);
        rows.search.push([surname, givenNames].map(searchKey).join(' | '));
        rows.skey.push(searchKey(surname));
        rows.region.push(pick(ADMINISTRATIONS));
      }
      await client.query(
        `INSERT INTO persons (surname, given_names, jmbg, date_of_birth, place_of_birth, sex, citizenship,
                              search_key, surname_key, regions, created_at)
         SELECT s, g, j, d::date, 'Beograd', x, 'RS', k, sk, ARRAY[r], $9
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
             AS t (s, g, j, d, x, k, sk, r)`,
        [rows.surname, rows.given, rows.jmbg, rows.dob, rows.sex, rows.search, rows.skey, rows.region, opened],
      );
    }
    log(`persons: ${persons} in ${Date.now() - started} ms`);

    // The rest is set-based, with PostgreSQL's generator seeded from the same seed.
    await client.query(`SELECT setseed($1)`, [(seed % 1000) / 1000]);
    const step = async (what, sql) => {
      const t0 = Date.now();
      const result = await client.query(sql, sql.includes('$1') ? [opened] : []);
      log(`${what}: ${result.rowCount} in ${Date.now() - t0} ms`);
    };
    await step(
      'addresses',
      `INSERT INTO addresses (person_id, kind, street, city, postal_code, police_administration, valid_from,
                             created_at)
       SELECT id, 'permanent', 'Ulica ' || (1 + floor(random() * 200))::int, 'Grad', '11000', regions[1],
              current_date - 700 - floor(random() * 2000)::int, $1::timestamptz
         FROM persons`,
    );
    await step(
      'convictions',
      `INSERT INTO convictions (person_id, court, case_number, judgment_date, finality_date, offences, victim_age,
                               sentence_kind, sentence_months, release_date, created_at)
       SELECT id, 'Viši sud', 'K ' || row_number() OVER () || '/2015', date '2015-01-10', date '2015-03-01',
              '[{"article":"180","paragraph":null}]', 'child', 'imprisonment', 60,
              current_date - 30 - floor(random() * 335)::int, $1::timestamptz
         FROM persons`,
    );
    await step(
      'measures',
      `INSERT INTO measures (person_id, type, starts_on, ends_on, report_to, every_days, schedule_kind, created_at)
       SELECT c.person_id, 'periodic_reporting', c.release_date, c.release_date + 3650, p.regions[1], 30, 'every_days',
              $1::timestamptz
         FROM convictions c JOIN persons p ON p.id = c.person_id`,
    );
    // A year of check-ins: reporting started within the last year; 3% of periods lapse (something is overdue).
    await step(
      'check-ins',
      `INSERT INTO check_ins (person_id, measure_id, occurred_at, place, method, recorded_by, created_at)
       SELECT person_id, id, at, 'PU', 'in_person', '00000000-0000-0000-0000-000000000000', greatest(at, $1::timestamptz)
         FROM (SELECT m.person_id, m.id,
                      ((m.starts_on + k * 30 + floor(random() * 25)::int)::timestamp + interval '9 hours')
                        AT TIME ZONE 'Europe/Belgrade' AS at
                 FROM measures m
                 CROSS JOIN LATERAL generate_series(0, least(12, (current_date - 1 - m.starts_on) / 30)) k
                WHERE m.starts_on + k * 30 + 25 < current_date AND random() < 0.97) c`,
    );
    // Audit events, in transactions of 20,000 (seals cut at transaction boundaries). The secondary
    // indexes are dropped for the load and built again afterwards, with their own definitions.
    const { rows: indexes } = await client.query(
      `SELECT indexname, indexdef FROM pg_indexes
        WHERE tablename = 'audit_events' AND indexname NOT IN ('audit_events_pkey', 'audit_events_id_key')`,
    );
    for (const { indexname } of indexes) await client.query(`DROP INDEX ${indexname}`);
    const t0 = Date.now();
    const PER_TX = 20_000;
    for (let done = 0; done < auditEvents; done += PER_TX) {
      const n = Math.min(PER_TX, auditEvents - done);
      await client.query(
        `INSERT INTO audit_events (actor_user_id, actor_username, actor_role, actor_organisation, actor_region, action,
                                   resource_type, resource_id, subject_person_ids, reason, outcome, http_status,
                                   result_count, request_id, ip, user_agent, at)
         SELECT gen_random_uuid(), 'officer.' || (i % 500), 'police_officer', 'MUP', 'PU-NIS', 'person.read',
                'person', NULL, '{}', 'KT-' || i, 'allowed', 200, 1, 'bench-' || i, '10.0.0.1', 'bench',
                now() - make_interval(secs => ($2 - i) * 3)
           FROM generate_series($1::bigint + 1, $1::bigint + $3) AS i`,
        [done, auditEvents, n],
      );
      if ((done / PER_TX) % 50 === 0) log(`audit events: ${done + n} after ${Date.now() - t0} ms`);
    }
    log(`audit events: ${auditEvents} in ${Date.now() - t0} ms`);
    const t1 = Date.now();
    for (const { indexdef } of indexes) await client.query(indexdef);
    log(`audit indexes: ${indexes.length} in ${Date.now() - t1} ms`);
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
