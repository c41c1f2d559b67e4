import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The trigger function of 1796283000000-RoleChanges, with `added` among the columns written once. */
function decideOnce(added: string[]): string {
  const columns = ['user_id', ...added, 'role', 'region', 'from_role', 'from_region', 'requested_by', 'requested_at'];
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
 * The two-admin rule covers more than role changes (#14): a new account with
 * a register role waits inactive for its activation, and a password or
 * second-factor reset of a register account is held for another admin. The
 * pending changes gain a kind; an activation has no previous role. One
 * pending change per account and kind.
 */
export class HeldAccountChanges1796290000000 implements MigrationInterface {
  name = 'HeldAccountChanges1796290000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user_role_changes" ADD "kind" text NOT NULL DEFAULT 'role'`);
    await queryRunner.query(`ALTER TABLE "user_role_changes" ALTER COLUMN "from_role" DROP NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "user_role_changes" ADD CONSTRAINT "user_role_changes_kind_check"
         CHECK ("kind" IN ('role', 'activation', 'password_reset', 'mfa_reset'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_role_changes" ADD CONSTRAINT "user_role_changes_from_role_check"
         CHECK (("kind" = 'activation') = ("from_role" IS NULL))`,
    );
    await queryRunner.query(`DROP INDEX "user_role_changes_pending_key"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "user_role_changes_pending_key" ON "user_role_changes" ("user_id", "kind") WHERE status = 'pending'`,
    );
    await queryRunner.query(decideOnce(['kind']));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(decideOnce([]));
    await queryRunner.query(`DELETE FROM "user_role_changes" WHERE "kind" <> 'role'`);
    await queryRunner.query(`DROP INDEX "user_role_changes_pending_key"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "user_role_changes_pending_key" ON "user_role_changes" ("user_id") WHERE status = 'pending'`,
    );
    await queryRunner.query(`ALTER TABLE "user_role_changes" DROP CONSTRAINT "user_role_changes_from_role_check"`);
    await queryRunner.query(`ALTER TABLE "user_role_changes" DROP CONSTRAINT "user_role_changes_kind_check"`);
    await queryRunner.query(`ALTER TABLE "user_role_changes" ALTER COLUMN "from_role" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "user_role_changes" DROP COLUMN "kind"`);
  }
}
