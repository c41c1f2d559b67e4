import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Referrals to the public prosecutor (issue #16, item 5): a breach or an
 * unresolved alert of the person referred (`referrals`, `referral_items`:
 * exactly one of an alert or a breach each); voided, never deleted, when
 * recorded by mistake. The outcome (charged, dismissed, convicted) comes
 * later, with its day and, when charged or convicted, the case number.
 *
 * Compliance: a person with a referral without an outcome (not voided) is
 * `non_compliant`, above `overdue`. `person_compliance` answers it, with the
 * ids of those referrals (`open_referral_ids`), from a new view of
 * register's published SQL contract:
 * - register_referrals: referrals not voided: id, person_id, referred_on,
 *   outcome, outcome_on.
 */
export class Referrals1796600000000 implements MigrationInterface {
  name = 'Referrals1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "referrals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "prosecutor_office" text NOT NULL, "referred_on" date NOT NULL, "referred_by" uuid NOT NULL, "outcome" text, "outcome_on" date, "case_number" text, "voided_at" TIMESTAMP WITH TIME ZONE, "voided_by" uuid, "void_reason" text, "version" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "referrals_void_check" CHECK (("voided_at" IS NULL) = ("voided_by" IS NULL) AND ("voided_at" IS NULL) = ("void_reason" IS NULL)), CONSTRAINT "referrals_outcome_order_check" CHECK ("outcome_on" IS NULL OR "outcome_on" >= "referred_on"), CONSTRAINT "referrals_outcome_fields_check" CHECK (("outcome" IS NULL) = ("outcome_on" IS NULL) AND ("outcome" IN (\'charged\', \'convicted\')) = ("case_number" IS NOT NULL)), CONSTRAINT "referrals_outcome_check" CHECK ("outcome" IS NULL OR "outcome" IN (\'charged\', \'dismissed\', \'convicted\')), CONSTRAINT "referrals_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "referrals_person_id_referred_on_idx" ON "referrals"  ("person_id", "referred_on") ',
    );
    await queryRunner.query(
      'CREATE INDEX "referrals_open_idx" ON "referrals"  ("person_id") WHERE outcome IS NULL AND voided_at IS NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "referral_items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "referral_id" uuid NOT NULL, "person_id" uuid NOT NULL, "alert_id" uuid, "breach_id" uuid, CONSTRAINT "referral_items_one_item_check" CHECK (("alert_id" IS NULL) <> ("breach_id" IS NULL)), CONSTRAINT "referral_items_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "referral_items_referral_id_idx" ON "referral_items"  ("referral_id") ');
    await queryRunner.query(
      'CREATE INDEX "referral_items_alert_idx" ON "referral_items"  ("alert_id") WHERE alert_id IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "referral_items_breach_idx" ON "referral_items"  ("breach_id") WHERE breach_id IS NOT NULL',
    );
    await queryRunner.query(
      'ALTER TABLE "referrals" ADD CONSTRAINT "referrals_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "referral_items" ADD CONSTRAINT "referral_items_referral_id_fkey" FOREIGN KEY ("referral_id") REFERENCES "referrals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "referral_items" ADD CONSTRAINT "referral_items_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "referral_items" ADD CONSTRAINT "referral_items_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "referral_items" ADD CONSTRAINT "referral_items_breach_id_fkey" FOREIGN KEY ("breach_id") REFERENCES "breaches"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON referrals TO register_app`);
    await queryRunner.query(`GRANT SELECT, INSERT ON referral_items TO register_app`);
    await queryRunner.query(`
      CREATE VIEW register_referrals AS
        SELECT id, person_id, referred_on, outcome, outcome_on FROM referrals WHERE voided_at IS NULL`);
    await queryRunner.query(`GRANT SELECT ON register_referrals TO register_app`);
    await queryRunner.query(`DROP FUNCTION person_compliance(uuid, timestamptz, integer, integer)`);
    await createPersonCompliance(queryRunner, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION person_compliance(uuid, timestamptz, integer, integer)`);
    await createPersonCompliance(queryRunner, false);
    await queryRunner.query('DROP VIEW register_referrals');
    await queryRunner.query(`REVOKE ALL ON referral_items FROM register_app`);
    await queryRunner.query(`REVOKE ALL ON referrals FROM register_app`);
    await queryRunner.query('ALTER TABLE "referral_items" DROP CONSTRAINT "referral_items_breach_id_fkey"');
    await queryRunner.query('ALTER TABLE "referral_items" DROP CONSTRAINT "referral_items_alert_id_fkey"');
    await queryRunner.query('ALTER TABLE "referral_items" DROP CONSTRAINT "referral_items_person_id_fkey"');
    await queryRunner.query('ALTER TABLE "referral_items" DROP CONSTRAINT "referral_items_referral_id_fkey"');
    await queryRunner.query('ALTER TABLE "referrals" DROP CONSTRAINT "referrals_person_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."referral_items_breach_idx"');
    await queryRunner.query('DROP INDEX "public"."referral_items_alert_idx"');
    await queryRunner.query('DROP INDEX "public"."referral_items_referral_id_idx"');
    await queryRunner.query('DROP TABLE "referral_items"');
    await queryRunner.query('DROP INDEX "public"."referrals_open_idx"');
    await queryRunner.query('DROP INDEX "public"."referrals_person_id_referred_on_idx"');
    await queryRunner.query('DROP TABLE "referrals"');
  }
}

/**
 * person_compliance (as migration ReportingSchedules made it): the worst
 * status over the person's schedules. With `referrals`, a referral without an
 * outcome makes the person `non_compliant`, above every schedule's status,
 * and the open referrals' ids are answered (oldest first; empty when none).
 */
async function createPersonCompliance(queryRunner: QueryRunner, referrals: boolean): Promise<void> {
  const out = referrals ? ', OUT open_referral_ids uuid[]' : '';
  const open = referrals
    ? `
        SELECT coalesce(array_agg(r.id ORDER BY r.referred_on, r.id), '{}') INTO open_referral_ids
          FROM register_referrals r
         WHERE r.person_id = $1 AND r.outcome IS NULL;
        IF cardinality(open_referral_ids) > 0 THEN status := 'non_compliant'; END IF;`
    : '';
  await queryRunner.query(`
    CREATE FUNCTION person_compliance(
        person_id uuid, now timestamptz, grace_hours integer, due_soon_days integer,
        OUT status text, OUT next_due_at timestamptz, OUT last_check_in_at timestamptz${out})
      LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
      BEGIN
        SELECT CASE
                 WHEN count(*) = 0 THEN 'none'
                 WHEN bool_or(c.status = 'overdue') THEN 'overdue'
                 WHEN bool_or(c.status = 'due') THEN 'due'
                 WHEN bool_or(c.status = 'compliant') THEN 'compliant'
                 WHEN bool_or(c.status = 'suspended') THEN 'suspended'
                 ELSE 'ended' END,
               min(c.next_due_at), max(c.last_check_in_at)
          INTO status, next_due_at, last_check_in_at
          FROM register_reporting_schedules s, schedule_compliance(s, $2, $3, $4) c
         WHERE s.person_id = $1;${open}
      END $$`);
}
