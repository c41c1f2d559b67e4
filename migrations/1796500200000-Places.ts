import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'uiks_office', 'offence'`;
const KINDS_AFTER = `${KINDS_BEFORE}, 'place'`;

/** Latitude and longitude: both or neither, each in range. */
const coordinates = (table: string) =>
  `CONSTRAINT "${table}_coordinates_check" CHECK (("latitude" IS NULL) = ("longitude" IS NULL) AND ("latitude" IS NULL OR "latitude" BETWEEN -90 AND 90) AND ("longitude" IS NULL OR "longitude" BETWEEN -180 AND 180))`;

/**
 * Places where minors gather (#16): reference data (kindergartens, schools,
 * playgrounds, sports clubs), imported by external id and edited with
 * history in `reference_history`; coordinates on addresses and workplaces;
 * the place of a breach (`breaches.place_id`); and the views through which compliance finds persons under the ban on
 * such places living or working near one:
 *
 * - register_places: the active places: id, kind, name, address, latitude,
 *   longitude.
 * - register_current_locations: the current addresses and the current
 *   workplace that have coordinates: person_id, location (the address's kind
 *   or `workplace`), location_id, latitude, longitude.
 *
 * Distances come from `cube` and `earthdistance` (both in a plain
 * PostgreSQL and in the embedded one): `earth_box` with the GiST index on
 * the places' `ll_to_earth` finds the candidates, `earth_distance` decides.
 */
export class Places1796500200000 implements MigrationInterface {
  name = 'Places1796500200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS cube`);
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS earthdistance`);

    await queryRunner.query(`
      CREATE TABLE "places" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "external_id" text NOT NULL,
        "kind" text NOT NULL,
        "name" text NOT NULL,
        "address" text NOT NULL,
        "latitude" double precision NOT NULL,
        "longitude" double precision NOT NULL,
        "active" boolean NOT NULL DEFAULT true,
        "version" integer NOT NULL DEFAULT '1',
        CONSTRAINT "places_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "places_external_id_key" UNIQUE ("external_id"),
        CONSTRAINT "places_kind_check" CHECK ("kind" IN ('kindergarten', 'school', 'playground', 'sports_club', 'other')),
        CONSTRAINT "places_name_check" CHECK (length("name") BETWEEN 1 AND 200),
        CONSTRAINT "places_address_check" CHECK (length("address") BETWEEN 1 AND 300),
        CONSTRAINT "places_external_id_check" CHECK ("external_id" ~ '^[A-Za-z0-9._:/-]{1,60}$'),
        CONSTRAINT "places_latitude_check" CHECK ("latitude" BETWEEN -90 AND 90),
        CONSTRAINT "places_longitude_check" CHECK ("longitude" BETWEEN -180 AND 180)
      )`);
    await queryRunner.query(`CREATE INDEX "places_kind_idx" ON "places" ("kind")`);
    await queryRunner.query(
      `CREATE INDEX "places_location_idx" ON "places" USING gist (ll_to_earth("latitude", "longitude")) WHERE "active"`,
    );

    for (const table of ['addresses', 'workplaces']) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "latitude" double precision`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD "longitude" double precision`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD ${coordinates(table)}`);
    }
    // A breach of the ban keeps the place where it happened.
    await queryRunner.query(`ALTER TABLE "breaches" ADD "place_id" uuid`);
    await queryRunner.query(
      'ALTER TABLE "breaches" ADD CONSTRAINT "breaches_place_id_fkey" FOREIGN KEY ("place_id") REFERENCES "places"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    // The ban's persons are few among all: found without reading every measure.
    await queryRunner.query(`
      CREATE INDEX "measures_places_ban_idx" ON "measures" ("person_id")
        WHERE "type" = 'ban_places_with_minors' AND "status" = 'active'`);

    await queryRunner.query('ALTER TABLE "reference_history" DROP CONSTRAINT "reference_history_kind_check"');
    await queryRunner.query(
      `ALTER TABLE "reference_history" ADD CONSTRAINT "reference_history_kind_check" CHECK ("kind" IN (${KINDS_AFTER}))`,
    );

    await queryRunner.query(`
      CREATE VIEW register_places AS
        SELECT id, kind, name, address, latitude, longitude FROM places WHERE active`);
    await queryRunner.query(`
      CREATE VIEW register_current_locations AS
        SELECT person_id, kind AS location, id AS location_id, latitude, longitude
          FROM addresses WHERE valid_to IS NULL AND latitude IS NOT NULL
        UNION ALL
        SELECT person_id, 'workplace', id, latitude, longitude
          FROM workplaces WHERE valid_to IS NULL AND latitude IS NOT NULL`);

    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON places TO register_app`);
    await queryRunner.query(`GRANT SELECT ON register_places, register_current_locations TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW register_current_locations`);
    await queryRunner.query(`DROP VIEW register_places`);
    // The history is append-only: its place rows stay, unchecked.
    await queryRunner.query('ALTER TABLE "reference_history" DROP CONSTRAINT "reference_history_kind_check"');
    await queryRunner.query(
      `ALTER TABLE "reference_history" ADD CONSTRAINT "reference_history_kind_check" CHECK ("kind" IN (${KINDS_BEFORE})) NOT VALID`,
    );
    await queryRunner.query(`DROP INDEX "measures_places_ban_idx"`);
    await queryRunner.query('ALTER TABLE "breaches" DROP CONSTRAINT "breaches_place_id_fkey"');
    await queryRunner.query(`ALTER TABLE "breaches" DROP COLUMN "place_id"`);
    for (const table of ['workplaces', 'addresses']) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${table}_coordinates_check"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "longitude"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "latitude"`);
    }
    await queryRunner.query(`DROP TABLE "places"`);
    await queryRunner.query(`DROP EXTENSION IF EXISTS earthdistance`);
    await queryRunner.query(`DROP EXTENSION IF EXISTS cube`);
  }
}
