import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Duties acknowledged: the person was told the duties of their measures on a
 * date, by someone named, and signed a form whose scan is stored with its
 * SHA-256. Corrected with history, voided (never deleted) when recorded by
 * mistake, as check-ins are.
 */
export class Acknowledgements1796400300000 implements MigrationInterface {
  name = 'Acknowledgements1796400300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "acknowledgements" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "measure_ids" uuid array NOT NULL, "explained_on" date NOT NULL, "explained_by" text NOT NULL, "form_content_type" text NOT NULL, "form_sha256" text NOT NULL, "form_size_bytes" integer NOT NULL, "form" bytea NOT NULL, "recorded_by" uuid NOT NULL, "voided_at" TIMESTAMP WITH TIME ZONE, "voided_by" uuid, "void_reason" text, "version" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "acknowledgements_void_check" CHECK (("voided_at" IS NULL) = ("voided_by" IS NULL) AND ("voided_at" IS NULL) = ("void_reason" IS NULL)), CONSTRAINT "acknowledgements_measure_ids_check" CHECK (cardinality("measure_ids") > 0), CONSTRAINT "acknowledgements_form_content_type_check" CHECK ("form_content_type" IN (\'application/pdf\', \'image/jpeg\', \'image/png\')), CONSTRAINT "acknowledgements_form_size_check" CHECK ("form_size_bytes" > 0), CONSTRAINT "acknowledgements_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "acknowledgements_person_id_explained_on_idx" ON "acknowledgements"  ("person_id", "explained_on") ',
    );
    await queryRunner.query(
      'ALTER TABLE "acknowledgements" ADD CONSTRAINT "acknowledgements_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON acknowledgements TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON acknowledgements FROM register_app`);
    await queryRunner.query('ALTER TABLE "acknowledgements" DROP CONSTRAINT "acknowledgements_person_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."acknowledgements_person_id_explained_on_idx"');
    await queryRunner.query('DROP TABLE "acknowledgements"');
  }
}
