import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Workplaces, with history: one current per person. */
export class Workplaces1795888183952 implements MigrationInterface {
  name = 'Workplaces1795888183952';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "workplaces" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "employer" text NOT NULL, "address" text NOT NULL, "involves_minors" boolean NOT NULL, "valid_from" date NOT NULL, "valid_to" date, "version" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "workplaces_validity_check" CHECK ("valid_to" IS NULL OR "valid_to" >= "valid_from"), CONSTRAINT "workplaces_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "workplaces_person_id_valid_from_idx" ON "workplaces"  ("person_id", "valid_from") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "workplaces_current_key" ON "workplaces"  ("person_id") WHERE valid_to IS NULL',
    );
    await queryRunner.query(
      'ALTER TABLE "workplaces" ADD CONSTRAINT "workplaces_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON workplaces TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON workplaces FROM register_app`);
    await queryRunner.query('ALTER TABLE "workplaces" DROP CONSTRAINT "workplaces_person_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."workplaces_current_key"');
    await queryRunner.query('DROP INDEX "public"."workplaces_person_id_valid_from_idx"');
    await queryRunner.query('DROP TABLE "workplaces"');
  }
}
