import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Convictions and the special measures, with their states. */
export class ConvictionsAndMeasures1795887515213 implements MigrationInterface {
  name = 'ConvictionsAndMeasures1795887515213';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "convictions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "court" text NOT NULL, "case_number" text NOT NULL, "judgment_date" date NOT NULL, "finality_date" date NOT NULL, "offences" jsonb NOT NULL, "victim_age" text NOT NULL, "sentence_kind" text NOT NULL, "sentence_months" integer, "release_date" date, "version" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "convictions_sentence_months_check" CHECK ("sentence_months" IS NULL OR "sentence_months" BETWEEN 1 AND 600), CONSTRAINT "convictions_sentence_kind_check" CHECK ("sentence_kind" IN (\'imprisonment\', \'house_arrest\', \'fine\', \'community_service\', \'suspended\')), CONSTRAINT "convictions_victim_age_check" CHECK ("victim_age" IN (\'child\', \'minor\')), CONSTRAINT "convictions_release_check" CHECK ("release_date" IS NULL OR "release_date" >= "judgment_date"), CONSTRAINT "convictions_dates_check" CHECK ("finality_date" >= "judgment_date"), CONSTRAINT "convictions_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "convictions_person_id_idx" ON "convictions"  ("person_id") ');
    await queryRunner.query(
      'CREATE TABLE "measures" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "type" text NOT NULL, "starts_on" date NOT NULL, "ends_on" date NOT NULL, "report_to" text, "every_days" integer, "status" text NOT NULL DEFAULT \'active\', "status_changed_on" date, "version" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "measures_every_days_check" CHECK ("every_days" IS NULL OR "every_days" BETWEEN 1 AND 366), CONSTRAINT "measures_report_to_check" CHECK (("type" = \'periodic_reporting\') = ("report_to" IS NOT NULL)), CONSTRAINT "measures_dates_check" CHECK ("ends_on" > "starts_on"), CONSTRAINT "measures_status_check" CHECK ("status" IN (\'active\', \'suspended\', \'ended\')), CONSTRAINT "measures_type_check" CHECK ("type" IN (\'periodic_reporting\', \'ban_places_with_minors\', \'counselling\', \'notify_changes\', \'notify_travel_abroad\')), CONSTRAINT "measures_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "measures_report_to_status_idx" ON "measures"  ("report_to", "status") ');
    await queryRunner.query('CREATE INDEX "measures_person_id_idx" ON "measures"  ("person_id") ');
    await queryRunner.query(
      'ALTER TABLE "convictions" ADD CONSTRAINT "convictions_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "measures" ADD CONSTRAINT "measures_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "measures" ADD CONSTRAINT "measures_report_to_fkey" FOREIGN KEY ("report_to") REFERENCES "police_administrations"("code") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON convictions, measures TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON convictions, measures FROM register_app`);
    await queryRunner.query('ALTER TABLE "measures" DROP CONSTRAINT "measures_report_to_fkey"');
    await queryRunner.query('ALTER TABLE "measures" DROP CONSTRAINT "measures_person_id_fkey"');
    await queryRunner.query('ALTER TABLE "convictions" DROP CONSTRAINT "convictions_person_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."measures_person_id_idx"');
    await queryRunner.query('DROP INDEX "public"."measures_report_to_status_idx"');
    await queryRunner.query('DROP TABLE "measures"');
    await queryRunner.query('DROP INDEX "public"."convictions_person_id_idx"');
    await queryRunner.query('DROP TABLE "convictions"');
  }
}
