import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The trigger function of 1796283000000-RoleChanges with the columns of 1796290000000-HeldAccountChanges and `added`. */
function decideOnce(added: string[]): string {
  const columns = [
    'user_id',
    'kind',
    ...added,
    'role',
    'region',
    'from_role',
    'from_region',
    'requested_by',
    'requested_at',
  ];
  const of = (row: string) => columns.map((column) => `${row}.${column}`).join(', ');
  return `
    CREATE OR REPLACE FUNCTION user_role_changes_decide_once() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.status <> 'pending' THEN
        RAISE EXCEPTION 'a decided role change does not change' USING ERRCODE = 'check_violation';
      END IF;
      IF (${of('NEW')}) IS DISTINCT FROM (${of('OLD')}) THEN
        RAISE EXCEPTION 'only the decision on a role change is written later' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`;
}

/**
 * The offices of the probation service (Poverenička služba) of the
 * Administration for Enforcement of Criminal Sanctions (UIKS), each serving
 * the police administrations of its area: every police administration is
 * served by exactly one of them.
 */
const OFFICES: [code: string, city: string, administrations: string[]][] = [
  ['UIKS-BEOGRAD', 'Beograd', ['PU-BEOGRAD']],
  ['UIKS-NOVI-SAD', 'Novi Sad', ['PU-NOVI-SAD']],
  ['UIKS-SUBOTICA', 'Subotica', ['PU-SUBOTICA']],
  ['UIKS-SOMBOR', 'Sombor', ['PU-SOMBOR']],
  ['UIKS-ZRENJANIN', 'Zrenjanin', ['PU-ZRENJANIN', 'PU-KIKINDA']],
  ['UIKS-PANCEVO', 'Pančevo', ['PU-PANCEVO']],
  ['UIKS-SREMSKA-MITROVICA', 'Sremska Mitrovica', ['PU-SREMSKA-MITROVICA']],
  ['UIKS-SABAC', 'Šabac', ['PU-SABAC']],
  ['UIKS-VALJEVO', 'Valjevo', ['PU-VALJEVO']],
  ['UIKS-SMEDEREVO', 'Smederevo', ['PU-SMEDEREVO', 'PU-POZAREVAC']],
  ['UIKS-KRAGUJEVAC', 'Kragujevac', ['PU-KRAGUJEVAC', 'PU-JAGODINA']],
  ['UIKS-KRALJEVO', 'Kraljevo', ['PU-KRALJEVO', 'PU-NOVI-PAZAR', 'PU-KOSOVSKA-MITROVICA']],
  ['UIKS-CACAK', 'Čačak', ['PU-CACAK', 'PU-UZICE']],
  ['UIKS-KRUSEVAC', 'Kruševac', ['PU-KRUSEVAC']],
  ['UIKS-NIS', 'Niš', ['PU-NIS', 'PU-PROKUPLJE', 'PU-PIROT']],
  ['UIKS-LESKOVAC', 'Leskovac', ['PU-LESKOVAC', 'PU-VRANJE']],
  ['UIKS-ZAJECAR', 'Zaječar', ['PU-ZAJECAR', 'PU-BOR']],
];

/**
 * Reference data beside the police administrations (#15): the UIKS offices,
 * the offence catalogue as the law names it, and the history of both. Clerks
 * may belong to a UIKS office; alerts may be raised for one.
 */
export class ReferenceData1796400000000 implements MigrationInterface {
  name = 'ReferenceData1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "uiks_offices" (
        "code" text NOT NULL,
        "name" text NOT NULL,
        "police_administrations" text array NOT NULL DEFAULT '{}',
        "active" boolean NOT NULL DEFAULT true,
        "version" integer NOT NULL DEFAULT '1',
        CONSTRAINT "uiks_offices_pkey" PRIMARY KEY ("code"),
        CONSTRAINT "uiks_offices_code_check" CHECK ("code" ~ '^UIKS-[A-Z]+(-[A-Z]+)*$'),
        CONSTRAINT "uiks_offices_name_check" CHECK (length("name") BETWEEN 1 AND 200)
      )`);
    // An array has no foreign key: every element must name a police administration.
    await queryRunner.query(`
      CREATE FUNCTION uiks_offices_known_administrations() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE unknown text;
      BEGIN
        SELECT a INTO unknown FROM unnest(NEW.police_administrations) AS a
         WHERE NOT EXISTS (SELECT 1 FROM police_administrations p WHERE p.code = a) LIMIT 1;
        IF unknown IS NOT NULL THEN
          RAISE EXCEPTION 'unknown police administration %', unknown USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER uiks_offices_known_administrations BEFORE INSERT OR UPDATE OF police_administrations
        ON uiks_offices FOR EACH ROW EXECUTE FUNCTION uiks_offices_known_administrations()`);
    const rows = OFFICES.map(
      ([code, city, administrations]) =>
        `('${code}', 'Poverenička kancelarija ${city}', '{${administrations.join(',')}}')`,
    );
    await queryRunner.query(
      `INSERT INTO "uiks_offices" ("code", "name", "police_administrations") VALUES ${rows.join(', ')}`,
    );
    await queryRunner.query(`
      CREATE FUNCTION offices_serving(administrations text[]) RETURNS text[] LANGUAGE sql STABLE AS $$
        SELECT coalesce(array_agg(code ORDER BY code), '{}')
          FROM uiks_offices WHERE active AND police_administrations && administrations
      $$`);

    await queryRunner.query(`
      CREATE TABLE "reference_history" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "kind" text NOT NULL,
        "key" text NOT NULL,
        "actor" jsonb NOT NULL,
        "reason" text,
        "change" text NOT NULL,
        "before" jsonb,
        "after" jsonb,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "reference_history_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "reference_history_kind_check" CHECK ("kind" IN ('uiks_office', 'offence'))
      )`);
    await queryRunner.query(
      'CREATE INDEX "reference_history_kind_key_at_idx" ON "reference_history" ("kind", "key", "at")',
    );
    await queryRunner.query(`
      CREATE TRIGGER reference_history_append_only BEFORE UPDATE OR DELETE ON reference_history
        FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER reference_history_no_truncate BEFORE TRUNCATE ON reference_history
        FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`);

    // juvenile_only: the article is covered only when the victim is a
    // juvenile. Articles 180, 185, 185a and 185b are by definition offences
    // against a child or a minor, so they are covered whoever reads the
    // conviction; the others (rape, harassment, trafficking, ...) are
    // offences against anyone, covered by the law only to the detriment of a
    // juvenile.
    await queryRunner.query(`ALTER TABLE "offences" ADD "juvenile_only" boolean NOT NULL DEFAULT true`);
    await queryRunner.query(`ALTER TABLE "offences" ADD "version" integer NOT NULL DEFAULT '1'`);
    await queryRunner.query(
      `UPDATE "offences" SET "juvenile_only" = false WHERE "article" IN ('180', '185', '185a', '185b')`,
    );
    // 182a(2): harassment of a juvenile; 186: the aggravated forms of Art. 178-185b;
    // 388(3): trafficking in a juvenile.
    await queryRunner.query(`
      INSERT INTO "offences" ("article", "title", "paragraphs", "juvenile_only") VALUES
        ('182a', 'Polno uznemiravanje (sexual harassment)', '{2}', true),
        ('186', 'Teška dela protiv polne slobode (aggravated offences against sexual freedom)', '{}', true),
        ('388', 'Trgovina ljudima (trafficking in human beings)', '{3}', true)`);

    await queryRunner.query(`ALTER TABLE "users" ADD "office" text`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_office_check" CHECK ("office" IS NULL OR "role" = 'registry_clerk')`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_office_fkey" FOREIGN KEY ("office") REFERENCES "uiks_offices"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    // A held change gives an office with the role, as it gives a region.
    await queryRunner.query(`ALTER TABLE "user_role_changes" ADD "office" text`);
    await queryRunner.query(`ALTER TABLE "user_role_changes" ADD "from_office" text`);
    await queryRunner.query(
      `ALTER TABLE "user_role_changes" ADD CONSTRAINT "user_role_changes_office_check" CHECK ("office" IS NULL OR "role" = 'registry_clerk')`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_role_changes" ADD CONSTRAINT "user_role_changes_office_fkey" FOREIGN KEY ("office") REFERENCES "uiks_offices"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(decideOnce(['office', 'from_office']));

    await queryRunner.query(`ALTER TABLE "alerts" ADD "office" text`);
    await queryRunner.query(
      `ALTER TABLE "alerts" ADD CONSTRAINT "alerts_office_fkey" FOREIGN KEY ("office") REFERENCES "uiks_offices"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON uiks_offices TO register_app`);
    await queryRunner.query(`GRANT SELECT, INSERT ON reference_history TO register_app`);
    await queryRunner.query(`GRANT INSERT, UPDATE ON offences TO register_app`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION offices_serving(text[]) TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE INSERT, UPDATE ON offences FROM register_app`);
    await queryRunner.query(`ALTER TABLE "alerts" DROP CONSTRAINT "alerts_office_fkey"`);
    await queryRunner.query(`ALTER TABLE "alerts" DROP COLUMN "office"`);
    await queryRunner.query(decideOnce([]));
    await queryRunner.query(`ALTER TABLE "user_role_changes" DROP CONSTRAINT "user_role_changes_office_fkey"`);
    await queryRunner.query(`ALTER TABLE "user_role_changes" DROP CONSTRAINT "user_role_changes_office_check"`);
    await queryRunner.query(`ALTER TABLE "user_role_changes" DROP COLUMN "from_office"`);
    await queryRunner.query(`ALTER TABLE "user_role_changes" DROP COLUMN "office"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_office_fkey"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_office_check"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "office"`);
    await queryRunner.query(`DELETE FROM "offences" WHERE "article" IN ('182a', '186', '388')`);
    await queryRunner.query(`ALTER TABLE "offences" DROP COLUMN "version"`);
    await queryRunner.query(`ALTER TABLE "offences" DROP COLUMN "juvenile_only"`);
    await queryRunner.query(`DROP TABLE "reference_history"`);
    await queryRunner.query(`DROP FUNCTION offices_serving(text[])`);
    await queryRunner.query(`DROP TABLE "uiks_offices"`);
    await queryRunner.query(`DROP FUNCTION uiks_offices_known_administrations()`);
  }
}
