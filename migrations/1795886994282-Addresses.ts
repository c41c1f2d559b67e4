import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Addresses (permanent and temporary, with history); one current of each kind per person. */
export class Addresses1795886994282 implements MigrationInterface {
  name = 'Addresses1795886994282';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "addresses" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "kind" text NOT NULL, "street" text NOT NULL, "city" text NOT NULL, "postal_code" text NOT NULL, "police_administration" text NOT NULL, "valid_from" date NOT NULL, "valid_to" date, "version" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "addresses_validity_check" CHECK ("valid_to" IS NULL OR "valid_to" >= "valid_from"), CONSTRAINT "addresses_kind_check" CHECK ("kind" IN (\'permanent\', \'temporary\')), CONSTRAINT "addresses_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "addresses_person_id_valid_from_idx" ON "addresses"  ("person_id", "valid_from") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "addresses_current_key" ON "addresses"  ("person_id", "kind") WHERE valid_to IS NULL',
    );
    await queryRunner.query(
      'ALTER TABLE "addresses" ADD CONSTRAINT "addresses_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "addresses" ADD CONSTRAINT "addresses_police_administration_fkey" FOREIGN KEY ("police_administration") REFERENCES "police_administrations"("code") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON addresses TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON addresses FROM register_app`);
    await queryRunner.query('ALTER TABLE "addresses" DROP CONSTRAINT "addresses_police_administration_fkey"');
    await queryRunner.query('ALTER TABLE "addresses" DROP CONSTRAINT "addresses_person_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."addresses_current_key"');
    await queryRunner.query('DROP INDEX "public"."addresses_person_id_valid_from_idx"');
    await queryRunner.query('DROP TABLE "addresses"');
  }
}
