import type { MigrationInterface, QueryRunner } from 'typeorm';

const VOID_CHECK = `("voided_at" IS NULL) = ("voided_by" IS NULL) AND ("voided_at" IS NULL) = ("void_reason" IS NULL)`;

/** register_check_ins; `attendances` keeps each counselling branch's attendances (voided ones out, or not). */
const checkIns = (attendances: { now: string; asOf: string }) => `
  SELECT measure_id, occurred_at, authority, office FROM check_ins
   WHERE voided_at IS NULL AND register_as_of() IS NULL
  UNION ALL
  SELECT a.measure_id, belgrade_midnight(a.attended_on), 'counselling'::text, NULL::text
    FROM counselling_attendances a WHERE register_as_of() IS NULL${attendances.now}
  UNION ALL
  SELECT measure_id, occurred_at, authority, office FROM check_ins
   WHERE register_as_of() IS NOT NULL AND created_at <= register_as_of() AND occurred_at <= register_as_of()
     AND (voided_at IS NULL OR voided_at > register_as_of())
  UNION ALL
  SELECT a.measure_id, belgrade_midnight(a.attended_on), 'counselling'::text, NULL::text
    FROM counselling_attendances a
   WHERE register_as_of() IS NOT NULL AND a.created_at <= register_as_of()
     AND belgrade_midnight(a.attended_on) <= register_as_of()${attendances.asOf}`;

/**
 * Breaches and counselling attendances are voided, never deleted, when
 * recorded by mistake, as check-ins are (issue #18): `voided_at`,
 * `voided_by` and `void_reason` on both, all set or none.
 *
 * - `register_check_ins`: a voided attendance no longer counts as the
 *   counselling schedule's check-in; as of a moment, one voided by then does
 *   not count (a later void does not take back what the day counted). The
 *   columns and the shape (the first branch of each pair now, the second as
 *   of a moment) stay as migration Statistics left them.
 */
export class ActVoids1796800000000 implements MigrationInterface {
  name = 'ActVoids1796800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['breaches', 'counselling_attendances']) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "voided_at" TIMESTAMP WITH TIME ZONE`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD "voided_by" uuid`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD "void_reason" text`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${table}_void_check" CHECK (${VOID_CHECK})`);
    }
    await queryRunner.query(
      `CREATE OR REPLACE VIEW register_check_ins AS ${checkIns({
        now: ' AND a.voided_at IS NULL',
        asOf: '\n     AND (a.voided_at IS NULL OR a.voided_at > register_as_of())',
      })}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE VIEW register_check_ins AS ${checkIns({ now: '', asOf: '' })}`);
    for (const table of ['counselling_attendances', 'breaches']) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${table}_void_check"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "void_reason"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "voided_by"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "voided_at"`);
    }
  }
}
