import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The DNA reference and the physical description: one of each per person, with versions. */
export class PersonDetails1795887282507 implements MigrationInterface {
  name = 'PersonDetails1795887282507';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "dna_references" ("person_id" uuid NOT NULL, "laboratory" text NOT NULL, "sample_id" text NOT NULL, "profile_reference" text NOT NULL, "collected_on" date NOT NULL, "version" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "dna_references_collected_on_check" CHECK ("collected_on" <= CURRENT_DATE), CONSTRAINT "dna_references_pkey" PRIMARY KEY ("person_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "physical_descriptions" ("person_id" uuid NOT NULL, "height_cm" integer NOT NULL, "weight_kg" integer, "eye_colour" text NOT NULL, "hair_colour" text NOT NULL, "build" text, "distinguishing_marks" jsonb NOT NULL DEFAULT \'[]\', "version" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "physical_descriptions_weight_check" CHECK ("weight_kg" IS NULL OR "weight_kg" BETWEEN 20 AND 400), CONSTRAINT "physical_descriptions_height_check" CHECK ("height_cm" BETWEEN 50 AND 250), CONSTRAINT "physical_descriptions_pkey" PRIMARY KEY ("person_id"))',
    );
    await queryRunner.query(
      'ALTER TABLE "dna_references" ADD CONSTRAINT "dna_references_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "physical_descriptions" ADD CONSTRAINT "physical_descriptions_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON dna_references, physical_descriptions TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON dna_references, physical_descriptions FROM register_app`);
    await queryRunner.query(
      'ALTER TABLE "physical_descriptions" DROP CONSTRAINT "physical_descriptions_person_id_fkey"',
    );
    await queryRunner.query('ALTER TABLE "dna_references" DROP CONSTRAINT "dna_references_person_id_fkey"');
    await queryRunner.query('DROP TABLE "physical_descriptions"');
    await queryRunner.query('DROP TABLE "dna_references"');
  }
}
