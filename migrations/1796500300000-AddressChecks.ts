import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Address checks: police record whether the person lives at one of their
 * addresses (confirmed, absent, moved, refused); voided, never deleted, when
 * recorded by mistake. Each keeps the address's police administration.
 *
 * Two views join register's published SQL contract (RegisterViews) for the
 * compliance list of addresses due for a check:
 * - register_address_checks: the checks not voided: id, person_id,
 *   address_id, checked_at, outcome.
 * - register_current_address_lines: the addresses in force (valid_to null)
 *   with their lines: id, person_id, kind, street, city, postal_code,
 *   police_administration, valid_from.
 */
export class AddressChecks1796500300000 implements MigrationInterface {
  name = 'AddressChecks1796500300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "address_checks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "address_id" uuid NOT NULL, "police_administration" text NOT NULL, "checked_at" TIMESTAMP WITH TIME ZONE NOT NULL, "outcome" text NOT NULL, "note" text NOT NULL, "recorded_by" uuid NOT NULL, "voided_at" TIMESTAMP WITH TIME ZONE, "voided_by" uuid, "void_reason" text, "version" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "address_checks_void_check" CHECK (("voided_at" IS NULL) = ("voided_by" IS NULL) AND ("voided_at" IS NULL) = ("void_reason" IS NULL)), CONSTRAINT "address_checks_outcome_check" CHECK ("outcome" IN (\'confirmed\', \'absent\', \'moved\', \'refused\')), CONSTRAINT "address_checks_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "address_checks_person_id_checked_at_idx" ON "address_checks"  ("person_id", "checked_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "address_checks_address_idx" ON "address_checks"  ("address_id", "checked_at") WHERE voided_at IS NULL',
    );
    await queryRunner.query(
      'ALTER TABLE "address_checks" ADD CONSTRAINT "address_checks_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "address_checks" ADD CONSTRAINT "address_checks_address_id_fkey" FOREIGN KEY ("address_id") REFERENCES "addresses"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON address_checks TO register_app`);
    await queryRunner.query(`
      CREATE VIEW register_address_checks AS
        SELECT id, person_id, address_id, checked_at, outcome FROM address_checks WHERE voided_at IS NULL`);
    await queryRunner.query(`
      CREATE VIEW register_current_address_lines AS
        SELECT id, person_id, kind, street, city, postal_code, police_administration, valid_from
          FROM addresses WHERE valid_to IS NULL`);
    await queryRunner.query(`GRANT SELECT ON register_address_checks, register_current_address_lines TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP VIEW register_current_address_lines');
    await queryRunner.query('DROP VIEW register_address_checks');
    await queryRunner.query(`REVOKE ALL ON address_checks FROM register_app`);
    await queryRunner.query('ALTER TABLE "address_checks" DROP CONSTRAINT "address_checks_address_id_fkey"');
    await queryRunner.query('ALTER TABLE "address_checks" DROP CONSTRAINT "address_checks_person_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."address_checks_address_idx"');
    await queryRunner.query('DROP INDEX "public"."address_checks_person_id_checked_at_idx"');
    await queryRunner.query('DROP TABLE "address_checks"');
  }
}
