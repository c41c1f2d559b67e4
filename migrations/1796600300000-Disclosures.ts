import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Disclosures abroad (issue #17): data on a person sent to an authority of
 * another state through Interpol, Europol or a bilateral channel, with the
 * package as sent and its SHA-256. The record of what left the register:
 * the runtime role may insert and read it, never change or delete it.
 */
export class Disclosures1796600300000 implements MigrationInterface {
  name = 'Disclosures1796600300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "disclosures" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "recipient_authority" text NOT NULL, "recipient_country" text NOT NULL, "channel" text NOT NULL, "legal_basis" text NOT NULL, "case_reference" text NOT NULL, "fields" text array NOT NULL, "package_sha256" text NOT NULL, "package" jsonb NOT NULL, "travel_notice_id" uuid, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "disclosures_sha256_check" CHECK ("package_sha256" ~ '^[0-9a-f]{64}$'), CONSTRAINT "disclosures_fields_check" CHECK (cardinality("fields") > 0 AND "fields" <@ ARRAY['identity', 'photos', 'description', 'dna_reference', 'convictions', 'measures', 'travel_notices']::text[]), CONSTRAINT "disclosures_country_check" CHECK ("recipient_country" ~ '^[A-Z]{2}$'), CONSTRAINT "disclosures_channel_check" CHECK ("channel" IN ('interpol', 'europol', 'bilateral')), CONSTRAINT "disclosures_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query('CREATE INDEX "disclosures_created_at_idx" ON "disclosures"  ("created_at") ');
    await queryRunner.query(
      'CREATE INDEX "disclosures_person_id_created_at_idx" ON "disclosures"  ("person_id", "created_at") ',
    );
    await queryRunner.query(
      'ALTER TABLE "disclosures" ADD CONSTRAINT "disclosures_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "disclosures" ADD CONSTRAINT "disclosures_travel_notice_id_fkey" FOREIGN KEY ("travel_notice_id") REFERENCES "notifications"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query('GRANT SELECT, INSERT ON disclosures TO register_app');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('REVOKE ALL ON disclosures FROM register_app');
    await queryRunner.query('ALTER TABLE "disclosures" DROP CONSTRAINT "disclosures_travel_notice_id_fkey"');
    await queryRunner.query('ALTER TABLE "disclosures" DROP CONSTRAINT "disclosures_person_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."disclosures_person_id_created_at_idx"');
    await queryRunner.query('DROP INDEX "public"."disclosures_created_at_idx"');
    await queryRunner.query('DROP TABLE "disclosures"');
  }
}
