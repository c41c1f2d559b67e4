import type { MigrationInterface, QueryRunner } from 'typeorm';

const check = (roles: string[]): string => `CHECK ("role" IN (${roles.map((role) => `'${role}'`).join(', ')}))`;
const REGISTER_ROLES = ['registry_clerk', 'police_officer', 'judicial_officer', 'auditor'];

/**
 * The two-admin rule covers admin accounts too (#14): an admin alone could
 * create, promote or reset another admin account, sign in as it and confirm
 * their own held changes. A pending change may now give, or reset an account
 * of, any role.
 */
export class HeldAdminChanges1796300000000 implements MigrationInterface {
  name = 'HeldAdminChanges1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "user_role_changes" DROP CONSTRAINT "user_role_changes_role_check"`);
    await queryRunner.query(
      `ALTER TABLE "user_role_changes" ADD CONSTRAINT "user_role_changes_role_check" ${check(['admin', ...REGISTER_ROLES])}`,
    );
  }

  /**
   * Changes of admin accounts stay in the history: the pending ones are
   * superseded (by the operator: no one), and the older rule holds for new
   * rows only (NOT VALID), as a decided change is never written again.
   */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "user_role_changes" SET status = 'superseded', decided_by = NULL, decided_at = now()
        WHERE "role" = 'admin' AND status = 'pending'`,
    );
    await queryRunner.query(`ALTER TABLE "user_role_changes" DROP CONSTRAINT "user_role_changes_role_check"`);
    await queryRunner.query(
      `ALTER TABLE "user_role_changes" ADD CONSTRAINT "user_role_changes_role_check" ${check(REGISTER_ROLES)} NOT VALID`,
    );
  }
}
