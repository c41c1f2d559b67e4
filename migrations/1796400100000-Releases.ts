import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Custody and release (issue: from prison to reporting). A conviction to
 * imprisonment keeps when custody began (`custody_from`, default the
 * finality date) and, once a clerk records it, the actual release
 * (`released_on`, the first day free, and the facility). The view
 * `register_custody` is register's published fact for compliance (conviction_id,
 * person_id, from_on, to_on): the days
 * [from_on, to_on) a person spends in custody, to_on being the actual release,
 * else the expected one (`release_date`), else unknown (null). Periods that
 * fall in custody are never due nor missed; the `release_unprepared` alert
 * warns before a release whose duties have not been explained.
 */
export class Releases1796400100000 implements MigrationInterface {
  name = 'Releases1796400100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "convictions" ADD "custody_from" date, ADD "released_on" date, ADD "release_facility" text`,
    );
    await queryRunner.query(
      `ALTER TABLE "convictions" ADD CONSTRAINT "convictions_custody_check" CHECK ("sentence_kind" = 'imprisonment' OR ("custody_from" IS NULL AND "released_on" IS NULL))`,
    );
    await queryRunner.query(
      `ALTER TABLE "convictions" ADD CONSTRAINT "convictions_released_check" CHECK (("released_on" IS NULL) = ("release_facility" IS NULL) AND ("released_on" IS NULL OR "released_on" >= coalesce("custody_from", "judgment_date")))`,
    );
    await queryRunner.query(`
      CREATE VIEW register_custody AS
        SELECT id AS conviction_id, person_id, coalesce(custody_from, finality_date) AS from_on, coalesce(released_on, release_date) AS to_on
          FROM convictions WHERE sentence_kind = 'imprisonment'`);
    await queryRunner.query(`GRANT SELECT ON register_custody TO register_app`);
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "alerts_kind_check"');
    await queryRunner.query(
      `ALTER TABLE "alerts" ADD CONSTRAINT "alerts_kind_check" CHECK ("kind" IN ('missed_check_in', 'late_notification', 'breach', 'transfer_in', 'transfer_out', 'measure_ending', 'arrival', 'release_unprepared'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "alerts_kind_check"');
    await queryRunner.query(
      `ALTER TABLE "alerts" ADD CONSTRAINT "alerts_kind_check" CHECK ("kind" IN ('missed_check_in', 'late_notification', 'breach', 'transfer_in', 'transfer_out', 'measure_ending', 'arrival'))`,
    );
    await queryRunner.query(`DROP VIEW register_custody`);
    await queryRunner.query('ALTER TABLE "convictions" DROP CONSTRAINT "convictions_released_check"');
    await queryRunner.query('ALTER TABLE "convictions" DROP CONSTRAINT "convictions_custody_check"');
    await queryRunner.query(
      `ALTER TABLE "convictions" DROP COLUMN "release_facility", DROP COLUMN "released_on", DROP COLUMN "custody_from"`,
    );
  }
}
