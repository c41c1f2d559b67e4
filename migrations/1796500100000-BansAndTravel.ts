import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Enforcing the bans and travel abroad:
 * - workplaces.public_office: the workplace is a public office (the ban on
 *   acquiring public office);
 * - notifications.returned_on (with who recorded it and when): the return
 *   from travel abroad, for travel notices only;
 * - breaches.kind: `travel_without_notice` (discovered later) or `other`;
 * - register_travel_notices: register's published fact about travel notices
 *   for the compliance scan (`travel_return_overdue`), one row per travel
 *   notice not voided: notification_id, person_id, destination_country,
 *   depart_on, return_on (the planned return), returned_on.
 */
export class BansAndTravel1796500100000 implements MigrationInterface {
  name = 'BansAndTravel1796500100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "workplaces" ADD "public_office" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD "returned_on" date, ADD "return_recorded_by" uuid, ADD "return_recorded_at" timestamptz`,
    );
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "notifications_return_check" CHECK (("returned_on" IS NULL) = ("return_recorded_by" IS NULL) AND ("returned_on" IS NULL) = ("return_recorded_at" IS NULL) AND ("returned_on" IS NULL OR "kind" = 'travel_abroad'))`,
    );
    await queryRunner.query(`ALTER TABLE "breaches" ADD "kind" text NOT NULL DEFAULT 'other'`);
    await queryRunner.query(
      `ALTER TABLE "breaches" ADD CONSTRAINT "breaches_kind_check" CHECK ("kind" IN ('travel_without_notice', 'other'))`,
    );
    await queryRunner.query(`
      CREATE VIEW register_travel_notices AS
        SELECT n.id AS notification_id, n.person_id, n.details->>'destinationCountry' AS destination_country,
               (n.details->>'departOn')::date AS depart_on, (n.details->>'returnOn')::date AS return_on,
               n.returned_on
          FROM notifications n
         WHERE n.kind = 'travel_abroad' AND n.voided_at IS NULL`);
    await queryRunner.query(`GRANT SELECT ON register_travel_notices TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW register_travel_notices`);
    await queryRunner.query(`ALTER TABLE "breaches" DROP CONSTRAINT "breaches_kind_check"`);
    await queryRunner.query(`ALTER TABLE "breaches" DROP COLUMN "kind"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "notifications_return_check"`);
    await queryRunner.query(
      `ALTER TABLE "notifications" DROP COLUMN "returned_on", DROP COLUMN "return_recorded_by", DROP COLUMN "return_recorded_at"`,
    );
    await queryRunner.query(`ALTER TABLE "workplaces" DROP COLUMN "public_office"`);
  }
}
