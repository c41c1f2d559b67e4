import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Persons, their history, and the offences reference list; name search by trigrams. */
export class Register1795886643143 implements MigrationInterface {
  name = 'Register1795886643143';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      'CREATE TABLE "offences" ("article" text NOT NULL, "title" text NOT NULL, "paragraphs" integer array NOT NULL DEFAULT \'{}\', CONSTRAINT "offences_pkey" PRIMARY KEY ("article"))',
    );
    await queryRunner.query(
      'CREATE TABLE "persons" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "surname" text NOT NULL, "given_names" text NOT NULL, "parent_names" text, "jmbg" text, "id_document_type" text, "id_document_number" text, "id_document_country" text, "date_of_birth" date NOT NULL, "place_of_birth" text NOT NULL, "sex" text NOT NULL, "citizenship" text NOT NULL, "aliases" text array NOT NULL DEFAULT \'{}\', "managing_officer_id" uuid, "search_key" text NOT NULL, "surname_key" text NOT NULL, "regions" text array NOT NULL DEFAULT \'{}\', "version" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "persons_id_document_check" CHECK (("id_document_type" IS NULL) = ("id_document_number" IS NULL) AND ("id_document_type" IS NULL) = ("id_document_country" IS NULL)), CONSTRAINT "persons_identifier_check" CHECK (("citizenship" = \'RS\' AND "jmbg" IS NOT NULL) OR ("citizenship" <> \'RS\' AND ("jmbg" IS NOT NULL OR "id_document_number" IS NOT NULL))), CONSTRAINT "persons_jmbg_check" CHECK ("jmbg" IS NULL OR "jmbg" ~ \'^[0-9]{13}$\'), CONSTRAINT "persons_citizenship_check" CHECK ("citizenship" ~ \'^[A-Z]{2}$\'), CONSTRAINT "persons_sex_check" CHECK ("sex" IN (\'M\', \'F\')), CONSTRAINT "persons_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "persons_id_document_key" ON "persons"  ("id_document_type", "id_document_number", "id_document_country") WHERE id_document_number IS NOT NULL',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "persons_jmbg_key" ON "persons"  ("jmbg") WHERE jmbg IS NOT NULL');
    await queryRunner.query(
      'CREATE TABLE "person_history" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "part" text NOT NULL, "part_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), "actor" jsonb NOT NULL, "reason" text, "change" text NOT NULL, "before" jsonb, "after" jsonb, CONSTRAINT "person_history_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "person_history_person_id_at_idx" ON "person_history"  ("person_id", "at") ');
    await queryRunner.query(
      'ALTER TABLE "persons" ADD CONSTRAINT "persons_managing_officer_id_fkey" FOREIGN KEY ("managing_officer_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "person_history" ADD CONSTRAINT "person_history_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(`CREATE INDEX persons_search_key_trgm_idx ON persons USING gin (search_key gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX persons_regions_idx ON persons USING gin (regions)`);
    // Nothing in the history is ever changed or removed.
    await queryRunner.query(`
      CREATE TRIGGER person_history_append_only BEFORE UPDATE OR DELETE ON person_history
        FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER person_history_no_truncate BEFORE TRUNCATE ON person_history
        FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`);
    await queryRunner.query(`
      INSERT INTO offences (article, title, paragraphs) VALUES
        ('178', 'Silovanje (rape)', '{3,4}'),
        ('179', 'Obljuba nad nemoćnim licem (sexual intercourse with a helpless person)', '{2,3}'),
        ('180', 'Obljuba sa detetom (sexual intercourse with a child)', '{}'),
        ('181', 'Obljuba zloupotrebom položaja (sexual intercourse through abuse of position)', '{}'),
        ('182', 'Nedozvoljene polne radnje (prohibited sexual acts)', '{}'),
        ('183', 'Podvođenje i omogućavanje vršenja polnog odnosa (pimping and facilitating)', '{}'),
        ('184', 'Posredovanje u vršenju prostitucije (mediation in prostitution)', '{2}'),
        ('185', 'Prikazivanje, pribavljanje i posedovanje pornografskog materijala i iskorišćavanje maloletnog lica za pornografiju', '{}'),
        ('185a', 'Navođenje maloletnog lica na prisustvovanje polnim radnjama (inducing a minor to attend sexual acts)', '{}'),
        ('185b', 'Iskorišćavanje računarske mreže ili komunikacije drugim tehničkim sredstvima za izvršenje krivičnih dela protiv polne slobode prema maloletnom licu', '{}')`);
    await queryRunner.query(`GRANT SELECT ON offences TO register_app`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON persons TO register_app`);
    await queryRunner.query(`GRANT SELECT, INSERT ON person_history TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON offences, persons, person_history FROM register_app`);
    await queryRunner.query(`DROP INDEX persons_regions_idx`);
    await queryRunner.query(`DROP INDEX persons_search_key_trgm_idx`);
    await queryRunner.query('ALTER TABLE "person_history" DROP CONSTRAINT "person_history_person_id_fkey"');
    await queryRunner.query('ALTER TABLE "persons" DROP CONSTRAINT "persons_managing_officer_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."person_history_person_id_at_idx"');
    await queryRunner.query('DROP TABLE "person_history"');
    await queryRunner.query('DROP INDEX "public"."persons_jmbg_key"');
    await queryRunner.query('DROP INDEX "public"."persons_id_document_key"');
    await queryRunner.query('DROP TABLE "persons"');
    await queryRunner.query('DROP TABLE "offences"');
  }
}
