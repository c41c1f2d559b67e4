import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statistics as of a past day (issue: statistics). A figure for a day must be
 * what the register had recorded by the end of that day, not what later
 * corrections made of it. Compliance (`person_compliance` and the functions
 * under it) reads register's facts only through its published views; those
 * that carry facts recorded later or undone later now answer as of a moment
 * when one is set for the transaction:
 *
 * - `register_as_of()`: the moment set with `SET LOCAL register.as_of =
 *   '<timestamptz>'`, or null (the usual case: the register as it is now).
 * - `register_check_ins`: with a moment, the check-ins recorded by then and
 *   made before it, voided only if voided by then (a later void does not
 *   take back a check-in the day counted); counselling attendances recorded
 *   by then.
 * - `register_reporting_schedules`: with a moment, the schedules recorded by
 *   then (a measure recorded later was not that day's).
 * - `register_referrals`: with a moment, the referrals recorded by then and
 *   not voided by then; the outcome only when recorded by then. The time an
 *   outcome was recorded is kept from now on (`referrals.outcome_recorded_at`,
 *   set by the register with the outcome); for earlier outcomes it is taken
 *   from the person's history (the `outcome` entry), else the referral's
 *   creation (an outcome without the time is taken as recorded with the
 *   referral).
 *
 * Two indexes serve it: the check-ins of a measure whatever their void
 * (`check_ins_measure_as_of_idx`), and the parts changed since a moment
 * (`person_history_part_at_idx`).
 *
 * Without a moment each view is what it was (the first branch of each union;
 * the second is cut off by a one-time filter), so the compliance lists, the
 * scan and the person's read keep their plans.
 */
/** register_reporting_schedules as migration Counselling left it; `recorded` filters each branch. */
const schedules = (recorded: (createdAt: string) => string) => `
  SELECT m.id, m.id AS measure_id, m.person_id, 'police'::text AS authority,
         m.report_to AS police_administration, NULL::text AS office,
         m.schedule_kind, m.every_days, m.weekdays, m.starts_on, m.ends_on, m.status, m.status_changed_on,
         m.created_at
    FROM measures m WHERE m.type = 'periodic_reporting'${recorded('m.created_at')}
  UNION ALL
  SELECT o.id, m.id, m.person_id, 'uiks'::text, m.report_to, o.office,
         o.schedule_kind, o.every_days, o.weekdays, m.starts_on, m.ends_on, m.status, m.status_changed_on,
         o.created_at
    FROM office_reporting_schedules o JOIN measures m ON m.id = o.measure_id WHERE true${recorded('o.created_at')}
  UNION ALL
  SELECT m.id, m.id, m.person_id, 'counselling'::text, responsible_administration(m.person_id), NULL::text,
         m.schedule_kind, m.every_days, m.weekdays, m.starts_on, m.ends_on, m.status, m.status_changed_on,
         m.created_at
    FROM measures m WHERE m.type = 'counselling' AND m.schedule_kind IS NOT NULL${recorded('m.created_at')}`;

export class Statistics1796700000000 implements MigrationInterface {
  name = 'Statistics1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION register_as_of() RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT nullif(current_setting('register.as_of', true), '')::timestamptz $$`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION register_as_of() TO register_app`);

    await queryRunner.query('ALTER TABLE "referrals" ADD "outcome_recorded_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query(`
      UPDATE referrals r SET outcome_recorded_at = coalesce(
          (SELECT min(h.at) FROM person_history h
            WHERE h.part = 'referral' AND h.part_id = r.id AND h.change = 'outcome'),
          r.created_at)
       WHERE r.outcome IS NOT NULL`);

    await queryRunner.query(
      'CREATE INDEX "check_ins_measure_as_of_idx" ON "check_ins" ("measure_id", "occurred_at", "created_at") ',
    );
    await queryRunner.query('CREATE INDEX "person_history_part_at_idx" ON "person_history" ("part", "at") ');
    await queryRunner.query(`
      CREATE OR REPLACE VIEW register_check_ins AS
        SELECT measure_id, occurred_at, authority, office FROM check_ins
         WHERE voided_at IS NULL AND register_as_of() IS NULL
        UNION ALL
        SELECT a.measure_id, belgrade_midnight(a.attended_on), 'counselling'::text, NULL::text
          FROM counselling_attendances a WHERE register_as_of() IS NULL
        UNION ALL
        SELECT measure_id, occurred_at, authority, office FROM check_ins
         WHERE register_as_of() IS NOT NULL AND created_at <= register_as_of() AND occurred_at <= register_as_of()
           AND (voided_at IS NULL OR voided_at > register_as_of())
        UNION ALL
        SELECT a.measure_id, belgrade_midnight(a.attended_on), 'counselling'::text, NULL::text
          FROM counselling_attendances a
         WHERE register_as_of() IS NOT NULL AND a.created_at <= register_as_of()
           AND belgrade_midnight(a.attended_on) <= register_as_of()`);
    await queryRunner.query(
      `CREATE OR REPLACE VIEW register_reporting_schedules AS ${schedules(
        (at) => ` AND (register_as_of() IS NULL OR ${at} <= register_as_of())`,
      )}`,
    );
    await queryRunner.query(`
      CREATE OR REPLACE VIEW register_referrals AS
        SELECT id, person_id, referred_on, outcome, outcome_on FROM referrals
         WHERE voided_at IS NULL AND register_as_of() IS NULL
        UNION ALL
        SELECT id, person_id, referred_on,
               CASE WHEN coalesce(outcome_recorded_at, created_at) <= register_as_of() THEN outcome END,
               CASE WHEN coalesce(outcome_recorded_at, created_at) <= register_as_of() THEN outcome_on END
          FROM referrals
         WHERE register_as_of() IS NOT NULL AND created_at <= register_as_of()
           AND (voided_at IS NULL OR voided_at > register_as_of())`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE VIEW register_reporting_schedules AS ${schedules(() => '')}`);
    await queryRunner.query(`
      CREATE OR REPLACE VIEW register_referrals AS
        SELECT id, person_id, referred_on, outcome, outcome_on FROM referrals WHERE voided_at IS NULL`);
    await queryRunner.query(`
      CREATE OR REPLACE VIEW register_check_ins AS
        SELECT measure_id, occurred_at, authority, office FROM check_ins WHERE voided_at IS NULL
        UNION ALL
        SELECT a.measure_id, belgrade_midnight(a.attended_on), 'counselling'::text, NULL::text
          FROM counselling_attendances a`);
    await queryRunner.query('DROP INDEX "public"."person_history_part_at_idx"');
    await queryRunner.query('DROP INDEX "public"."check_ins_measure_as_of_idx"');
    await queryRunner.query('ALTER TABLE "referrals" DROP COLUMN "outcome_recorded_at"');
    await queryRunner.query('DROP FUNCTION register_as_of()');
  }
}
