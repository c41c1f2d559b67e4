import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, sessions, refresh tokens, and the police administrations they belong to. */
export class Identity1795883668279 implements MigrationInterface {
  name = 'Identity1795883668279';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "police_administrations" (
        "code" text NOT NULL,
        "name" text NOT NULL,
        CONSTRAINT "police_administrations_pkey" PRIMARY KEY ("code"),
        CONSTRAINT "police_administrations_code_check" CHECK ("code" ~ '^PU-[A-Z]+(-[A-Z]+)*$')
      )`);
    await queryRunner.query(`
      INSERT INTO "police_administrations" ("code", "name") VALUES
        ('PU-BEOGRAD', 'Beograd'), ('PU-BOR', 'Bor'), ('PU-VALJEVO', 'Valjevo'), ('PU-VRANJE', 'Vranje'),
        ('PU-ZAJECAR', 'Zaječar'), ('PU-ZRENJANIN', 'Zrenjanin'), ('PU-JAGODINA', 'Jagodina'),
        ('PU-KIKINDA', 'Kikinda'), ('PU-KRAGUJEVAC', 'Kragujevac'), ('PU-KRALJEVO', 'Kraljevo'),
        ('PU-KRUSEVAC', 'Kruševac'), ('PU-LESKOVAC', 'Leskovac'), ('PU-NIS', 'Niš'),
        ('PU-NOVI-PAZAR', 'Novi Pazar'), ('PU-NOVI-SAD', 'Novi Sad'), ('PU-PANCEVO', 'Pančevo'),
        ('PU-PIROT', 'Pirot'), ('PU-POZAREVAC', 'Požarevac'), ('PU-PROKUPLJE', 'Prokuplje'),
        ('PU-SMEDEREVO', 'Smederevo'), ('PU-SOMBOR', 'Sombor'), ('PU-SREMSKA-MITROVICA', 'Sremska Mitrovica'),
        ('PU-SUBOTICA', 'Subotica'), ('PU-UZICE', 'Užice'), ('PU-CACAK', 'Čačak'), ('PU-SABAC', 'Šabac'),
        ('PU-KOSOVSKA-MITROVICA', 'Kosovska Mitrovica')`);

    await queryRunner.query(`
      CREATE TABLE "users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "username" text NOT NULL,
        "display_name" text NOT NULL,
        "role" text NOT NULL,
        "organisation" text NOT NULL,
        "region" text,
        "email" text,
        "active" boolean NOT NULL DEFAULT true,
        "password_hash" text NOT NULL,
        "password_must_change" boolean NOT NULL DEFAULT false,
        "password_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "mfa_secret" text,
        "mfa_pending_secret" text,
        "mfa_enrolled_at" TIMESTAMP WITH TIME ZONE,
        "totp_last_step" bigint,
        "failed_logins" integer NOT NULL DEFAULT '0',
        "locked_until" TIMESTAMP WITH TIME ZONE,
        "version" integer NOT NULL DEFAULT '1',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "users_region_fkey" FOREIGN KEY ("region") REFERENCES "police_administrations" ("code"),
        CONSTRAINT "users_username_check" CHECK ("username" ~ '^[A-Za-z0-9._-]{3,64}$'),
        CONSTRAINT "users_role_check"
          CHECK ("role" IN ('admin', 'registry_clerk', 'police_officer', 'judicial_officer', 'auditor')),
        CONSTRAINT "users_region_check" CHECK (("role" = 'police_officer') = ("region" IS NOT NULL)),
        CONSTRAINT "users_display_name_check" CHECK (length("display_name") BETWEEN 1 AND 200),
        CONSTRAINT "users_organisation_check" CHECK (length("organisation") BETWEEN 1 AND 200),
        CONSTRAINT "users_email_check" CHECK ("email" IS NULL OR "email" ~ '^[^@\\s]+@[^@\\s]+$'),
        CONSTRAINT "users_failed_logins_check" CHECK ("failed_logins" >= 0),
        CONSTRAINT "users_mfa_check" CHECK (("mfa_enrolled_at" IS NULL) = ("mfa_secret" IS NULL))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "users_username_lower_key" ON "users" (lower("username"))`);
    await queryRunner.query(`CREATE INDEX "users_role_region_idx" ON "users" ("role", "region")`);

    await queryRunner.query(`
      CREATE TABLE "sessions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "mfa_verified" boolean NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "last_refreshed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "revoked_reason" text,
        CONSTRAINT "sessions_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "sessions_expiry_check" CHECK ("expires_at" > "created_at"),
        CONSTRAINT "sessions_revoked_check" CHECK (("revoked_at" IS NULL) = ("revoked_reason" IS NULL)),
        CONSTRAINT "sessions_revoked_reason_check" CHECK ("revoked_reason" IN (
          'logout', 'refresh_reuse', 'deactivated', 'password_changed', 'password_reset', 'mfa_reset',
          'role_changed', 'admin_revoked'))
      )`);
    await queryRunner.query(`CREATE INDEX "sessions_user_id_idx" ON "sessions" ("user_id")`);
    await queryRunner.query(
      `CREATE INDEX "sessions_revoked_at_idx" ON "sessions" ("revoked_at") WHERE revoked_at IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE "refresh_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "session_id" uuid NOT NULL,
        "token_hash" bytea NOT NULL,
        "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "spent_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "refresh_tokens_pkey" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "refresh_tokens_session_id_idx" ON "refresh_tokens" ("session_id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "refresh_tokens_token_hash_idx" ON "refresh_tokens" ("token_hash")`);
    await queryRunner.query(`
      ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey"
        FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`
      ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_session_id_fkey"
        FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "refresh_tokens"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TABLE "police_administrations"`);
  }
}
