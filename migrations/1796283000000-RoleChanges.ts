import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Role changes towards a register role, requested by one admin and confirmed
 * by another (#14). The database holds the rule too: the requester is never
 * the account, the confirmer neither the requester nor the account, one
 * pending change per account, and a decision, once taken, never changes.
 */
export class RoleChanges1796283000000 implements MigrationInterface {
  name = 'RoleChanges1796283000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "user_role_changes" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "role" text NOT NULL,
        "region" text,
        "from_role" text NOT NULL,
        "from_region" text,
        "requested_by" uuid NOT NULL,
        "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "status" text NOT NULL DEFAULT 'pending',
        "decided_by" uuid,
        "decided_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "user_role_changes_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "user_role_changes_role_check"
          CHECK ("role" IN ('registry_clerk', 'police_officer', 'judicial_officer', 'auditor')),
        CONSTRAINT "user_role_changes_region_check" CHECK (("role" = 'police_officer') = ("region" IS NOT NULL)),
        CONSTRAINT "user_role_changes_status_check" CHECK ("status" IN ('pending', 'confirmed', 'superseded')),
        CONSTRAINT "user_role_changes_decided_check" CHECK (("status" = 'pending') = ("decided_at" IS NULL)),
        CONSTRAINT "user_role_changes_requester_check" CHECK ("requested_by" <> "user_id"),
        CONSTRAINT "user_role_changes_confirmer_check" CHECK ("status" <> 'confirmed' OR ("decided_by" IS NOT NULL AND "decided_by" <> "requested_by" AND "decided_by" <> "user_id"))
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "user_role_changes_pending_key" ON "user_role_changes" ("user_id") WHERE status = 'pending'`,
    );
    for (const [column, target] of [
      ['user_id', 'users"("id'],
      ['region', 'police_administrations"("code'],
      ['requested_by', 'users"("id'],
      ['decided_by', 'users"("id'],
    ]) {
      await queryRunner.query(
        `ALTER TABLE "user_role_changes" ADD CONSTRAINT "user_role_changes_${column}_fkey"
           FOREIGN KEY ("${column}") REFERENCES "${target}") ON DELETE RESTRICT ON UPDATE NO ACTION`,
      );
    }
    await queryRunner.query(`
      CREATE FUNCTION user_role_changes_decide_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status <> 'pending' THEN
          RAISE EXCEPTION 'a decided role change does not change' USING ERRCODE = 'check_violation';
        END IF;
        IF (NEW.user_id, NEW.role, NEW.region, NEW.from_role, NEW.from_region, NEW.requested_by, NEW.requested_at)
           IS DISTINCT FROM
           (OLD.user_id, OLD.role, OLD.region, OLD.from_role, OLD.from_region, OLD.requested_by, OLD.requested_at) THEN
          RAISE EXCEPTION 'only the decision on a role change is written later' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER user_role_changes_decide_once BEFORE UPDATE ON "user_role_changes"
        FOR EACH ROW EXECUTE FUNCTION user_role_changes_decide_once()`);
    await queryRunner.query(`GRANT SELECT, INSERT ON user_role_changes TO register_app`);
    await queryRunner.query(`GRANT UPDATE (status, decided_by, decided_at) ON user_role_changes TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "user_role_changes"`);
    await queryRunner.query(`DROP FUNCTION user_role_changes_decide_once()`);
  }
}
