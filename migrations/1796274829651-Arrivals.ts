import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Arrivals: a person announced as arriving in another police administration
 * (by a clerk or the administration the person is in). Only then may that
 * administration's officers record the person's new address there; the
 * administration the person leaves is told by an `arrival` alert.
 */
export class Arrivals1796274829651 implements MigrationInterface {
  name = 'Arrivals1796274829651';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "arrivals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "police_administration" text NOT NULL, "valid_until" date NOT NULL, "announced_by" uuid NOT NULL, "announced_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "closed_at" TIMESTAMP WITH TIME ZONE, "recorded_address_id" uuid, CONSTRAINT "arrivals_closed_check" CHECK (("closed_at" IS NULL) = ("recorded_address_id" IS NULL)), CONSTRAINT "arrivals_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "arrivals_person_id_police_administration_idx" ON "arrivals"  ("person_id", "police_administration") ',
    );
    await queryRunner.query(
      'ALTER TABLE "arrivals" ADD CONSTRAINT "arrivals_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "arrivals" ADD CONSTRAINT "arrivals_police_administration_fkey" FOREIGN KEY ("police_administration") REFERENCES "police_administrations"("code") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query('GRANT SELECT, INSERT, UPDATE ON arrivals TO register_app');
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "alerts_kind_check"');
    await queryRunner.query(
      `ALTER TABLE "alerts" ADD CONSTRAINT "alerts_kind_check" CHECK ("kind" IN ('missed_check_in', 'late_notification', 'breach', 'transfer_in', 'transfer_out', 'measure_ending', 'arrival'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "alerts_kind_check"');
    await queryRunner.query(
      `ALTER TABLE "alerts" ADD CONSTRAINT "alerts_kind_check" CHECK ("kind" IN ('missed_check_in', 'late_notification', 'breach', 'transfer_in', 'transfer_out', 'measure_ending'))`,
    );
    await queryRunner.query('ALTER TABLE "arrivals" DROP CONSTRAINT "arrivals_police_administration_fkey"');
    await queryRunner.query('ALTER TABLE "arrivals" DROP CONSTRAINT "arrivals_person_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."arrivals_person_id_police_administration_idx"');
    await queryRunner.query('DROP TABLE "arrivals"');
  }
}
