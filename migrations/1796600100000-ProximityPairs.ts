import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The advisory lock that orders writes of locations against writes of places (see below). */
const LOCK = `hashtextextended('location_place_pairs', 0)`;

/** The reach, as a sub-select: evaluated once per statement (an init plan), where a function would be per row. */
const REACH = '(SELECT metres FROM location_place_pairs_reach)';

/** Whether a row's change can change its pairs: these columns of addresses, workplaces and places. */
const CHANGED = (columns: string[]) =>
  `(${columns.map((c) => `OLD."${c}"`).join(', ')}) IS DISTINCT FROM (${columns.map((c) => `NEW."${c}"`).join(', ')})`;

/**
 * The pairs of one table's current locations (as register_current_locations
 * has them: not ended, with coordinates) and the active places (as
 * register_places), within the reach. Written over the tables, not those
 * views: a filter on the place or on the location then reaches the table's
 * own indexes (the views' UNION ALL would hide the locations' GiST index
 * from a place's trigger).
 */
const pairsOf = (table: string, location: string) => `
  SELECT ${location} AS location, l.id AS location_id, l.person_id, pl.id AS place_id, d.distance
    FROM ${table} l
    JOIN places pl
      ON pl.active
     AND earth_box(ll_to_earth(l.latitude, l.longitude), ${REACH}) @> ll_to_earth(pl.latitude, pl.longitude)
     AND earth_box(ll_to_earth(pl.latitude, pl.longitude), ${REACH}) @> ll_to_earth(l.latitude, l.longitude)
    CROSS JOIN LATERAL (
      SELECT earth_distance(ll_to_earth(l.latitude, l.longitude), ll_to_earth(pl.latitude, pl.longitude)) AS distance) d
   WHERE l.valid_to IS NULL AND l.latitude IS NOT NULL AND d.distance <= ${REACH}`;

/** A trigger function that replaces the pairs of the row written (`key`: its column in the pairs), under `lock`. */
const pairsTrigger = (name: string, lock: string, key: 'location_id' | 'place_id') => `
  CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM ${lock}(${LOCK});
    IF TG_OP <> 'INSERT' THEN
      DELETE FROM location_place_pairs WHERE ${key} = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
      INSERT INTO location_place_pairs (location, location_id, person_id, place_id, distance)
        SELECT location, location_id, person_id, place_id, distance FROM location_place_pairs_now WHERE ${key} = NEW.id;
    END IF;
    RETURN NULL;
  END $$`;

/**
 * Proximity at scale (#16): every pair of a current location (address or
 * workplace with coordinates, `register_current_locations`) and an active
 * place (`register_places`) within the reach (1000 m unless rebuilt with
 * another `PROXIMITY_MAX_METRES`) is kept in `location_place_pairs`, so
 * that the proximity list pages stored pairs by distance instead of ranking
 * every person under the ban per request. Pairs are kept for everyone, the
 * ban and the caller's scope are applied when the list is read: a measure
 * starting or ending, or a day passing, changes nothing stored.
 *
 * - `location_place_pairs_now`: the pairs as they are now, computed (one
 *   definition, used by the triggers and the rebuild, and by the tests as
 *   the full recompute). Both `earth_box` conditions are stated so that
 *   either side's GiST index can drive: from a place, the locations' (new
 *   partial indexes on addresses and workplaces); from a location, the
 *   places'.
 * - Triggers on addresses, workplaces and places replace a row's pairs in
 *   the transaction of the write (the API, `places:import`, any SQL).
 *   Locations take the lock shared, places exclusively: a location and a
 *   place written at once would each miss the other's uncommitted row; the
 *   lock makes the second wait and then see the first (each statement of
 *   the trigger takes a new snapshot).
 * - `proximity_pairs_rebuild(metres)`: sets the reach and recomputes
 *   everything (CLI `proximity:rebuild`); this migration fills the table so.
 * - `register_location_place_pairs`, `register_proximity_reach`: what
 *   compliance reads.
 *
 * No foreign keys: the pairs are derived and kept by the triggers; a key
 * would lock the person's and the place's rows for every pair written.
 */
export class ProximityPairs1796600100000 implements MigrationInterface {
  name = 'ProximityPairs1796600100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "location_place_pairs_reach" (
        "only" boolean PRIMARY KEY DEFAULT true CHECK ("only"),
        "metres" integer NOT NULL CHECK ("metres" BETWEEN 1 AND 50000)
      )`);
    await queryRunner.query(`INSERT INTO "location_place_pairs_reach" ("metres") VALUES (1000)`);

    await queryRunner.query(`
      CREATE TABLE "location_place_pairs" (
        "location" text NOT NULL,
        "location_id" uuid NOT NULL,
        "person_id" uuid NOT NULL,
        "place_id" uuid NOT NULL,
        "distance" double precision NOT NULL,
        "distance_m" integer GENERATED ALWAYS AS (round("distance")::integer) STORED,
        CONSTRAINT "location_place_pairs_pkey" PRIMARY KEY ("location_id", "place_id"),
        CONSTRAINT "location_place_pairs_location_check" CHECK ("location" IN ('permanent', 'temporary', 'workplace')),
        CONSTRAINT "location_place_pairs_distance_check" CHECK ("distance" >= 0)
      )`);
    // The list walks pairs nearest first; a person's pairs answer "is this the nearest" and "how many".
    await queryRunner.query(
      `CREATE INDEX "location_place_pairs_distance_idx" ON "location_place_pairs" ("distance_m", "person_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "location_place_pairs_person_idx" ON "location_place_pairs" ("person_id", "distance", "place_id", "location_id")`,
    );
    await queryRunner.query(`CREATE INDEX "location_place_pairs_place_idx" ON "location_place_pairs" ("place_id")`);

    for (const table of ['addresses', 'workplaces']) {
      await queryRunner.query(`
        CREATE INDEX "${table}_location_idx" ON "${table}" USING gist (ll_to_earth("latitude", "longitude"))
          WHERE "valid_to" IS NULL AND "latitude" IS NOT NULL`);
    }

    await queryRunner.query(`
      CREATE VIEW location_place_pairs_now AS
        ${pairsOf('addresses', 'l.kind')}
        UNION ALL
        ${pairsOf('workplaces', `'workplace'::text`)}`);

    await queryRunner.query(
      pairsTrigger('location_place_pairs_of_location', 'pg_advisory_xact_lock_shared', 'location_id'),
    );
    await queryRunner.query(pairsTrigger('location_place_pairs_of_place', 'pg_advisory_xact_lock', 'place_id'));
    const triggers: [string, string, string[]][] = [
      ['addresses', 'location_place_pairs_of_location', ['person_id', 'kind', 'valid_to', 'latitude', 'longitude']],
      ['workplaces', 'location_place_pairs_of_location', ['person_id', 'valid_to', 'latitude', 'longitude']],
      ['places', 'location_place_pairs_of_place', ['active', 'latitude', 'longitude']],
    ];
    for (const [table, fn, columns] of triggers) {
      await queryRunner.query(`
        CREATE TRIGGER "${table}_pairs_written" AFTER INSERT OR DELETE ON "${table}"
          FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
      await queryRunner.query(`
        CREATE TRIGGER "${table}_pairs_changed" AFTER UPDATE ON "${table}"
          FOR EACH ROW WHEN (${CHANGED(columns)}) EXECUTE FUNCTION ${fn}()`);
    }

    await queryRunner.query(`
      CREATE FUNCTION proximity_pairs_rebuild(reach integer) RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE pairs bigint;
      BEGIN
        PERFORM pg_advisory_xact_lock(${LOCK});
        UPDATE location_place_pairs_reach SET metres = reach;
        DELETE FROM location_place_pairs;
        INSERT INTO location_place_pairs (location, location_id, person_id, place_id, distance)
          SELECT location, location_id, person_id, place_id, distance FROM location_place_pairs_now;
        GET DIAGNOSTICS pairs = ROW_COUNT;
        RETURN pairs;
      END $$`);
    // Filling takes longer than a request may (about a minute at 100,000 persons and 20,000 places).
    await queryRunner.query(`SET LOCAL statement_timeout = 0`);
    await queryRunner.query(`SELECT proximity_pairs_rebuild(1000)`);
    await queryRunner.query(`ANALYZE location_place_pairs`);

    await queryRunner.query(`
      CREATE VIEW register_location_place_pairs AS
        SELECT location, location_id, person_id, place_id, distance, distance_m FROM location_place_pairs`);
    await queryRunner.query(`CREATE VIEW register_proximity_reach AS SELECT metres FROM location_place_pairs_reach`);

    await queryRunner.query(`GRANT SELECT, INSERT, DELETE ON location_place_pairs TO register_app`);
    await queryRunner.query(`GRANT SELECT, UPDATE ON location_place_pairs_reach TO register_app`);
    await queryRunner.query(
      `GRANT SELECT ON location_place_pairs_now, register_location_place_pairs, register_proximity_reach TO register_app`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW register_proximity_reach`);
    await queryRunner.query(`DROP VIEW register_location_place_pairs`);
    await queryRunner.query(`DROP FUNCTION proximity_pairs_rebuild(integer)`);
    for (const table of ['places', 'workplaces', 'addresses']) {
      await queryRunner.query(`DROP TRIGGER "${table}_pairs_changed" ON "${table}"`);
      await queryRunner.query(`DROP TRIGGER "${table}_pairs_written" ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION location_place_pairs_of_place()`);
    await queryRunner.query(`DROP FUNCTION location_place_pairs_of_location()`);
    await queryRunner.query(`DROP VIEW location_place_pairs_now`);
    await queryRunner.query(`DROP INDEX "workplaces_location_idx"`);
    await queryRunner.query(`DROP INDEX "addresses_location_idx"`);
    await queryRunner.query(`DROP TABLE "location_place_pairs"`);
    await queryRunner.query(`DROP TABLE "location_place_pairs_reach"`);
  }
}
