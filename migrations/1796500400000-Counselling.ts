import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Centres for social work (CSR), health centres (DZ) and a mental health institute (IMZ), by city. */
const INSTITUTIONS: [code: string, name: string, city: string][] = [
  ['CSR-BEOGRAD', 'Gradski centar za socijalni rad Beograd', 'Beograd'],
  ['CSR-NOVI-SAD', 'Centar za socijalni rad Grada Novog Sada', 'Novi Sad'],
  ['CSR-NIS', 'Centar za socijalni rad Sveti Sava Niš', 'Niš'],
  ['CSR-KRAGUJEVAC', 'Centar za socijalni rad Kragujevac', 'Kragujevac'],
  ['DZ-BEOGRAD', 'Dom zdravlja Beograd, savetovalište za mentalno zdravlje', 'Beograd'],
  ['DZ-NIS', 'Dom zdravlja Niš, savetovalište za mentalno zdravlje', 'Niš'],
  ['IMZ-BEOGRAD', 'Institut za mentalno zdravlje', 'Beograd'],
];

const SCHEDULE_KIND_BEFORE = `("type" = 'periodic_reporting') = ("schedule_kind" IS NOT NULL) AND "schedule_kind" IN ('every_days', 'monthly', 'weekly', 'weekdays')`;
const MEASURES_SCHEDULE_KIND_CHECK = `CASE "type" WHEN 'periodic_reporting' THEN "schedule_kind" IS NOT NULL WHEN 'counselling' THEN ("schedule_kind" IS NULL) = ("counselling_institution" IS NULL) ELSE "schedule_kind" IS NULL END AND "schedule_kind" IN ('every_days', 'monthly', 'weekly', 'weekdays')`;

const SCHEDULES_BEFORE = `
  SELECT m.id, m.id AS measure_id, m.person_id, 'police'::text AS authority,
         m.report_to AS police_administration, NULL::text AS office,
         m.schedule_kind, m.every_days, m.weekdays, m.starts_on, m.ends_on, m.status, m.status_changed_on,
         m.created_at
    FROM measures m WHERE m.type = 'periodic_reporting'
  UNION ALL
  SELECT o.id, m.id, m.person_id, 'uiks'::text, m.report_to, o.office,
         o.schedule_kind, o.every_days, o.weekdays, m.starts_on, m.ends_on, m.status, m.status_changed_on,
         o.created_at
    FROM office_reporting_schedules o JOIN measures m ON m.id = o.measure_id`;

const CHECK_INS_BEFORE = `SELECT measure_id, occurred_at, authority, office FROM check_ins WHERE voided_at IS NULL`;

/**
 * Counselling with a schedule (#16).
 *
 * Counselling institutions are reference data (`counselling_institutions`,
 * edited by admins with `reference_history`). A counselling measure names its
 * institution and a schedule of the reporting kinds, kept in the measure's
 * schedule columns (`measures_schedule_kind_check` now asks for a schedule of
 * a counselling measure exactly when it names an institution: counselling
 * measures recorded before keep neither, and no schedule).
 *
 * Register's contract: a scheduled counselling measure is one more schedule
 * in `register_reporting_schedules` (authority 'counselling', id = the
 * measure's id, police_administration = the administration responsible for
 * the person, office null), and its attendances are its check-ins in
 * `register_check_ins` (authority 'counselling', occurred_at = Belgrade
 * midnight of the day attended). `schedule_compliance`, `person_compliance`
 * and the scan's periods work on them unchanged.
 */
export class Counselling1796500400000 implements MigrationInterface {
  name = 'Counselling1796500400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "counselling_institutions" (
        "code" text NOT NULL,
        "name" text NOT NULL,
        "city" text NOT NULL,
        "active" boolean NOT NULL DEFAULT true,
        "version" integer NOT NULL DEFAULT '1',
        CONSTRAINT "counselling_institutions_pkey" PRIMARY KEY ("code"),
        CONSTRAINT "counselling_institutions_code_check" CHECK ("code" ~ '^[A-Z]{2,5}(-[A-Z]+)+$'),
        CONSTRAINT "counselling_institutions_name_check" CHECK (length("name") BETWEEN 1 AND 200),
        CONSTRAINT "counselling_institutions_city_check" CHECK (length("city") BETWEEN 1 AND 100)
      )`);
    const rows = INSTITUTIONS.map(([code, name, city]) => `('${code}', '${name}', '${city}')`);
    await queryRunner.query(
      `INSERT INTO "counselling_institutions" ("code", "name", "city") VALUES ${rows.join(', ')}`,
    );
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON counselling_institutions TO register_app`);
    await queryRunner.query('ALTER TABLE "reference_history" DROP CONSTRAINT "reference_history_kind_check"');
    await queryRunner.query(
      `ALTER TABLE "reference_history" ADD CONSTRAINT "reference_history_kind_check" CHECK ("kind" IN ('uiks_office', 'offence', 'place', 'counselling_institution'))`,
    );

    await queryRunner.query('ALTER TABLE "measures" ADD "counselling_institution" text');
    await queryRunner.query(
      'ALTER TABLE "measures" ADD CONSTRAINT "measures_counselling_institution_fkey" FOREIGN KEY ("counselling_institution") REFERENCES "counselling_institutions"("code") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      `ALTER TABLE "measures" ADD CONSTRAINT "measures_counselling_institution_check" CHECK ("counselling_institution" IS NULL OR "type" = 'counselling')`,
    );
    await queryRunner.query('ALTER TABLE "measures" DROP CONSTRAINT "measures_schedule_kind_check"');
    await queryRunner.query(
      `ALTER TABLE "measures" ADD CONSTRAINT "measures_schedule_kind_check" CHECK (${MEASURES_SCHEDULE_KIND_CHECK})`,
    );

    // Same columns, one more branch each: the functions over the views' row types stay.
    await queryRunner.query(`
      CREATE OR REPLACE VIEW register_reporting_schedules AS ${SCHEDULES_BEFORE}
        UNION ALL
        SELECT m.id, m.id, m.person_id, 'counselling'::text, responsible_administration(m.person_id), NULL::text,
               m.schedule_kind, m.every_days, m.weekdays, m.starts_on, m.ends_on, m.status, m.status_changed_on,
               m.created_at
          FROM measures m WHERE m.type = 'counselling' AND m.schedule_kind IS NOT NULL`);
    await queryRunner.query(`
      CREATE OR REPLACE VIEW register_check_ins AS ${CHECK_INS_BEFORE}
        UNION ALL
        SELECT a.measure_id, belgrade_midnight(a.attended_on), 'counselling'::text, NULL::text
          FROM counselling_attendances a`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE VIEW register_check_ins AS ${CHECK_INS_BEFORE}`);
    await queryRunner.query(`CREATE OR REPLACE VIEW register_reporting_schedules AS ${SCHEDULES_BEFORE}`);
    await queryRunner.query('ALTER TABLE "measures" DROP CONSTRAINT "measures_schedule_kind_check"');
    await queryRunner.query(`UPDATE measures SET schedule_kind = NULL, every_days = NULL, weekdays = NULL
                              WHERE type = 'counselling'`);
    await queryRunner.query(
      `ALTER TABLE "measures" ADD CONSTRAINT "measures_schedule_kind_check" CHECK (${SCHEDULE_KIND_BEFORE})`,
    );
    await queryRunner.query('ALTER TABLE "measures" DROP CONSTRAINT "measures_counselling_institution_check"');
    await queryRunner.query('ALTER TABLE "measures" DROP CONSTRAINT "measures_counselling_institution_fkey"');
    await queryRunner.query('ALTER TABLE "measures" DROP COLUMN "counselling_institution"');
    // The history is append-only: its counselling rows stay, the old check does not validate them.
    await queryRunner.query('ALTER TABLE "reference_history" DROP CONSTRAINT "reference_history_kind_check"');
    await queryRunner.query(
      `ALTER TABLE "reference_history" ADD CONSTRAINT "reference_history_kind_check" CHECK ("kind" IN ('uiks_office', 'offence', 'place')) NOT VALID`,
    );
    await queryRunner.query('DROP TABLE "counselling_institutions"');
  }
}
