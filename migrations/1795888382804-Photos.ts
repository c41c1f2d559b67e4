import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Photographs, stored with the record. */
export class Photos1795888382804 implements MigrationInterface {
  name = 'Photos1795888382804';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "photos" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "content_type" text NOT NULL, "size_bytes" integer NOT NULL, "sha256" text NOT NULL, "data" bytea NOT NULL, "taken_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "photos_size_check" CHECK ("size_bytes" BETWEEN 1 AND 5242880), CONSTRAINT "photos_content_type_check" CHECK ("content_type" IN (\'image/jpeg\', \'image/png\')), CONSTRAINT "photos_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "photos_person_id_taken_at_idx" ON "photos"  ("person_id", "taken_at") ');
    await queryRunner.query(
      'ALTER TABLE "photos" ADD CONSTRAINT "photos_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(`GRANT SELECT, INSERT ON photos TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON photos FROM register_app`);
    await queryRunner.query('ALTER TABLE "photos" DROP CONSTRAINT "photos_person_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."photos_person_id_taken_at_idx"');
    await queryRunner.query('DROP TABLE "photos"');
  }
}
