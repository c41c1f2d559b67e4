import request from 'supertest';
import { RequestAudit } from '@app/audit';
import { PlacesService } from '@app/register';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { REASON, registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The reference: the list as it was computed before the pairs were stored
 * (every candidate pair of every person under the ban, per request), over
 * the register's views. The route must answer exactly this.
 */
const REFERENCE = `
  SELECT r.* FROM (
    SELECT p.id AS person_id, p.surname, p.given_names, n.location, n.location_id,
           n.place_id, n.place_kind, n.place_name, n.place_address,
           round(n.distance)::int AS distance_m, n.places_within::int AS places_within, p.regions
      FROM (SELECT DISTINCT ON (c.person_id) c.*, count(*) OVER (PARTITION BY c.person_id) AS places_within
              FROM (SELECT l.person_id, l.location, l.location_id, pl.id AS place_id, pl.kind AS place_kind,
                           pl.name AS place_name, pl.address AS place_address,
                           earth_distance(ll_to_earth(l.latitude, l.longitude),
                                          ll_to_earth(pl.latitude, pl.longitude)) AS distance
                      FROM register_current_locations l
                      JOIN register_places pl
                        ON earth_box(ll_to_earth(l.latitude, l.longitude), $1::double precision)
                           @> ll_to_earth(pl.latitude, pl.longitude)
                     WHERE l.person_id IN (
                             SELECT m.person_id FROM register_measures m
                              WHERE m.type = 'ban_places_with_minors' AND m.status = 'active'
                                AND m.starts_on <= (now() AT TIME ZONE 'Europe/Belgrade')::date
                                AND m.ends_on >= (now() AT TIME ZONE 'Europe/Belgrade')::date)) c
             WHERE c.distance <= $1::double precision
             ORDER BY c.person_id, c.distance, c.place_id, c.location_id) n
      JOIN register_persons p ON p.id = n.person_id) r
   ORDER BY r.distance_m, r.person_id`;

interface ReferenceRow {
  person_id: string;
  surname: string;
  given_names: string;
  location: string;
  location_id: string;
  place_id: string;
  place_kind: string;
  place_name: string;
  place_address: string;
  distance_m: number;
  places_within: number;
  regions: string[];
}

/** The stored pairs that a full recompute would not give, and the recomputed ones missing: both empty when exact. */
const DRIFT = `
  (SELECT 'stored' AS side, location, location_id, person_id, place_id, distance FROM location_place_pairs
   EXCEPT ALL SELECT 'stored', location, location_id, person_id, place_id, distance FROM location_place_pairs_now)
  UNION ALL
  (SELECT 'recomputed', location, location_id, person_id, place_id, distance FROM location_place_pairs_now
   EXCEPT ALL SELECT 'recomputed', location, location_id, person_id, place_id, distance FROM location_place_pairs)`;

/** A small deterministic generator (mulberry32): the same register on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const NIS = { latitude: 43.3209, longitude: 21.8958 };

describe('proximity from the stored person-place pairs', () => {
  let t: TestApp;
  let admin: TestAccount & Tokens;
  let clerk: TestAccount & Tokens;
  let officerNis: TestAccount & Tokens;
  const next = random(16);
  /** A point in a town of about 4.4 x 4.8 km around Niš: a few places within reach of most locations. */
  const point = () => ({
    latitude: Number((NIS.latitude + (next() - 0.5) * 0.04).toFixed(6)),
    longitude: Number((NIS.longitude + (next() - 0.5) * 0.06).toFixed(6)),
  });
  const persons: string[] = [];

  const as = (account: Tokens) => ({ ...bearer(account.accessToken), ...REASON });
  const drift = () => t.dataSource.query(DRIFT);

  /** Every page of the list at `metres` (7 at a time), as `account` sees it. */
  async function listed(account: Tokens, metres: number): Promise<unknown[]> {
    const items: unknown[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.server)
        .get(`/api/v1/compliance/proximity?metres=${metres}&limit=7${cursor ? `&cursor=${cursor}` : ''}`)
        .set(as(account));
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  }

  /** The reference's answer at `metres`, as items of the list (only persons in `region`, when given). */
  async function expected(metres: number, region?: string): Promise<unknown[]> {
    const rows: ReferenceRow[] = await t.dataSource.query(REFERENCE, [metres]);
    return rows
      .filter((r) => !region || r.regions.includes(region))
      .map((r) => ({
        personId: r.person_id,
        surname: r.surname,
        givenNames: r.given_names,
        distanceMetres: r.distance_m,
        location: { kind: r.location, id: r.location_id },
        place: { id: r.place_id, kind: r.place_kind, name: r.place_name, address: r.place_address },
        placesWithin: r.places_within,
      }));
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signedIn(t, 'admin');
    clerk = await signedIn(t, 'registry_clerk');
    officerNis = await signedIn(t, 'police_officer', 'PU-NIS');

    const kinds = ['kindergarten', 'school', 'playground', 'sports_club', 'other'];
    for (let i = 0; i < 200; i += 1) {
      const at = point();
      await t.dataSource.query(
        `INSERT INTO places (external_id, kind, name, address, latitude, longitude, active)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [`RND-${i}`, kinds[i % 5], `Mesto ${i}`, `Ulica ${i}`, at.latitude, at.longitude, i % 10 !== 0],
      );
    }
    const surnames = ['Jovanović', 'Petrović', 'Nikolić', 'Marković', 'Đorđević'];
    for (let i = 0; i < 60; i += 1) {
      const region = i % 3 === 0 ? 'PU-BEOGRAD' : 'PU-NIS';
      const person = await registerPerson(t, { surname: surnames[i % 5], givenNames: `Osoba ${i}`, regions: [region] });
      persons.push(person.id);
      const located = (share: number) => (next() < share ? point() : { latitude: null, longitude: null });
      const address = (kind: string, street: string, at: ReturnType<typeof located>) =>
        t.dataSource.query(
          `INSERT INTO addresses (person_id, kind, street, city, postal_code, police_administration, valid_from,
                                  latitude, longitude)
           VALUES ($1, $2, $3, 'Niš', '18000', $4, '2026-01-01', $5, $6)`,
          [person.id, kind, street, region, at.latitude, at.longitude],
        );
      await address('permanent', 'Obrenovićeva 1', located(0.9));
      if (next() < 0.4) await address('temporary', 'Vizantijski 2', located(1));
      if (next() < 0.4) {
        const work = located(1);
        await t.dataSource.query(
          `INSERT INTO workplaces (person_id, employer, address, involves_minors, valid_from, latitude, longitude)
           VALUES ($1, 'Pekara', 'Trg 1', false, '2026-01-01', $2, $3)`,
          [person.id, work.latitude, work.longitude],
        );
      }
      // Most under the ban; some whose ban ended, starts later, or who have none.
      const ban = next();
      if (ban < 0.85) {
        const [startsOn, status] =
          ban < 0.6 ? ['2025-06-02', 'active'] : ban < 0.75 ? ['2025-06-02', 'ended'] : ['2099-01-01', 'active'];
        await t.dataSource.query(
          `INSERT INTO measures (person_id, type, starts_on, ends_on, status)
           VALUES ($1, 'ban_places_with_minors', $2, '2199-06-01', $3)`,
          [person.id, startsOn, status],
        );
      }
    }
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 503 for a distance beyond the stored pairs’ reach, until a rebuild covers it', async () => {
    await t.dataSource.query(`UPDATE location_place_pairs_reach SET metres = 500`);
    const short = await request(t.server).get('/api/v1/compliance/proximity?metres=600').set(as(clerk));
    expect(short.status).toBe(503);
    expect(short.body).toMatchObject({
      detail: 'The stored person-place pairs reach 500 m; an operator must run proximity:rebuild.',
    });
    expect((await request(t.server).get('/api/v1/compliance/proximity?metres=500').set(as(clerk))).status).toBe(200);
    await t.dataSource.query(`UPDATE location_place_pairs_reach SET metres = 1000`);
    expect((await request(t.server).get('/api/v1/compliance/proximity?metres=600').set(as(clerk))).status).toBe(200);
  });

  it('refuses a distance above PROXIMITY_MAX_METRES (1000) naming metres, and answers at it', async () => {
    for (const metres of [1001, 5000]) {
      const res = await request(t.server).get(`/api/v1/compliance/proximity?metres=${metres}`).set(as(clerk));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'metres', message: 'metres must not be greater than 1000' }]);
    }
    expect((await request(t.server).get('/api/v1/compliance/proximity?metres=1000').set(as(clerk))).status).toBe(200);
  });

  it('stores the pairs a full recompute gives, filled as the locations and places were written', async () => {
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM location_place_pairs`);
    expect(count).toBeGreaterThan(500);
    expect(await drift()).toEqual([]);
  });

  it('answers as the direct earthdistance statement does, at every distance, page by page', async () => {
    for (const metres of [20, 100, 250, 400, 700, 1000]) {
      const want = await expected(metres);
      if (metres >= 250) expect(want.length).toBeGreaterThan(10);
      expect({ metres, items: await listed(clerk, metres) }).toEqual({ metres, items: want });
    }
    // An officer sees the persons of the region only.
    const nis = await expected(400, 'PU-NIS');
    expect(nis.length).toBeGreaterThan(5);
    expect(await listed(officerNis, 400)).toEqual(nis);
  });

  it('keeps the pairs exact through every kind of write, in the transaction of the write', async () => {
    const places = t.app.get(PlacesService);
    const withHome = async (i: number) => {
      const [row] = await t.dataSource.query(
        `SELECT id, version FROM addresses WHERE person_id = $1 AND kind = 'permanent' AND valid_to IS NULL`,
        [persons[i]],
      );
      return row as { id: string; version: number };
    };

    // An address moved: the new permanent address closes the old one.
    const moved = await request(t.server)
      .post(`/api/v1/persons/${persons[1]}/addresses`)
      .set(as(clerk))
      .send({
        kind: 'permanent',
        street: 'Nova 5',
        city: 'Niš',
        postalCode: '18000',
        policeAdministration: 'PU-NIS',
        validFrom: '2026-06-01',
        ...point(),
      });
    expect(moved.status).toBe(201);
    expect(await drift()).toEqual([]);

    // Coordinates corrected, then removed, then given again.
    const home = await withHome(2);
    const url = `/api/v1/persons/${persons[2]}/addresses/${home.id}`;
    const corrected = await request(t.server)
      .patch(url)
      .set(as(clerk))
      .set('If-Match', `"${home.version}"`)
      .send(point());
    expect(corrected.status).toBe(200);
    expect(await drift()).toEqual([]);
    const removed = await request(t.server)
      .patch(url)
      .set(as(clerk))
      .set('If-Match', `"${home.version + 1}"`)
      .send({ latitude: null, longitude: null });
    expect(removed.status).toBe(200);
    const [{ left }] = await t.dataSource.query(
      `SELECT count(*)::int AS left FROM location_place_pairs WHERE location_id = $1`,
      [home.id],
    );
    expect(left).toBe(0);
    expect(await drift()).toEqual([]);
    const again = await request(t.server)
      .patch(url)
      .set(as(clerk))
      .set('If-Match', `"${home.version + 2}"`)
      .send(NIS);
    expect(again.status).toBe(200);
    expect(await drift()).toEqual([]);

    // A street corrected alone changes no pair.
    const street = await request(t.server)
      .patch(url)
      .set(as(clerk))
      .set('If-Match', `"${home.version + 3}"`)
      .send({ street: 'Obrenovićeva 3' });
    expect(street.status).toBe(200);
    expect(await drift()).toEqual([]);

    // A new workplace closes the current one.
    const workplace = await request(t.server)
      .post(`/api/v1/persons/${persons[4]}/workplaces`)
      .set(as(clerk))
      .send({ employer: 'Škola', address: 'Trg 2', involvesMinors: false, validFrom: '2026-07-01', ...point() });
    expect(workplace.status).toBe(201);
    expect(await drift()).toEqual([]);

    // A place added, moved, deactivated and made active again (API).
    const created = await request(t.server)
      .post('/api/v1/reference/places')
      .set(as(admin))
      .send({ externalId: 'RND-NEW', kind: 'school', name: 'Nova škola', address: 'Trg 3', ...NIS });
    expect(created.status).toBe(201);
    expect(await drift()).toEqual([]);
    const placeUrl = `/api/v1/reference/places/${created.body.id}`;
    for (const [version, change] of [
      [1, point()],
      [2, { active: false }],
      [3, { active: true, ...point() }],
      [4, { name: 'Preimenovana škola' }],
    ] as const) {
      const res = await request(t.server).patch(placeUrl).set(as(admin)).set('If-Match', `"${version}"`).send(change);
      expect(res.status).toBe(200);
      expect(await drift()).toEqual([]);
    }

    // An import: new places, a known one moved, a deactivated one made active again.
    const [inactive] = await t.dataSource.query(`SELECT external_id FROM places WHERE NOT active LIMIT 1`);
    const rows = [point(), point(), point(), point()].map((p, i) => ({ ...p, id: ['IMP-A', 'IMP-B', 'RND-3'][i] }));
    const file = [
      'external_id,kind,name,address,latitude,longitude',
      ...rows.slice(0, 3).map((r) => `${r.id},playground,Igralište ${r.id},Park,${r.latitude},${r.longitude}`),
      `${inactive.external_id},other,Ponovo,Park,${rows[3].latitude},${rows[3].longitude}`,
    ].join('\n');
    const report = await places.import(RequestAudit.system('places.import').on('place'), file);
    expect(report).toEqual({ created: 2, updated: 2, unchanged: 0, refused: [] });
    expect(await drift()).toEqual([]);

    // Any other write of the tables: an address no longer current, a workplace deleted.
    await t.dataSource.query(`UPDATE addresses SET valid_to = '2026-08-01' WHERE id = $1`, [(await withHome(5)).id]);
    await t.dataSource.query(`DELETE FROM workplaces WHERE id = (SELECT id FROM workplaces LIMIT 1)`);
    expect(await drift()).toEqual([]);

    // A write rolled back leaves the pairs as they were.
    await t.dataSource
      .transaction(async (manager) => {
        await manager.query(`UPDATE places SET active = false`);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect(await drift()).toEqual([]);

    for (const metres of [150, 600]) expect(await listed(clerk, metres)).toEqual(await expected(metres));
  });

  it('proximity:rebuild recomputes every pair at PROXIMITY_MAX_METRES', async () => {
    await t.dataSource.query(`DELETE FROM location_place_pairs WHERE person_id = $1`, [persons[7]]);
    await t.dataSource.query(`UPDATE location_place_pairs SET distance = distance + 1 WHERE person_id = $1`, [
      persons[8],
    ]);
    expect((await drift()).length).toBeGreaterThan(0);
    const audit = RequestAudit.system('proximity.rebuild').on('place');
    const rebuilt = await t.app.get(PlacesService).rebuildProximityPairs(audit);
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM location_place_pairs_now`);
    expect(rebuilt).toEqual({ metres: 1000, pairs: count });
    expect(await drift()).toEqual([]);
    const [reach] = await t.dataSource.query(`SELECT metres FROM register_proximity_reach`);
    expect(reach).toEqual({ metres: 1000 });
    const [event] = await t.dataSource.query(
      `SELECT action, outcome, resource_type, result_count, details FROM audit_events
        WHERE action = 'proximity.rebuild'`,
    );
    expect(event).toEqual({
      action: 'proximity.rebuild',
      outcome: 'allowed',
      resource_type: 'place',
      result_count: count,
      details: { metres: 1000, pairs: count },
    });
  });
});
