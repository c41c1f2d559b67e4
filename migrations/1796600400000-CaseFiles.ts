import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case file (#16): each item names the audit events behind it. Most
 * items are an event's resource (type and id); an alert is not when the scan
 * raises it (one event per scan, naming the persons). An alert now keeps the
 * transaction that raised it (`raised_tx`, the same value as the `tx` the
 * audit trigger stamps on that transaction's event), so the scan's event, or
 * the request's that raised a late-notice or breach alert, is found exactly.
 * Alerts raised before keep null: the link was not recorded then (a default
 * given with the column would have stamped them all with this migration's).
 */
export class CaseFiles1796600400000 implements MigrationInterface {
  name = 'CaseFiles1796600400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The transaction's id as a number (xid8 has no TypeORM type): what the audit trigger stamps as `tx`.
    await queryRunner.query(`
      CREATE FUNCTION current_transaction_number() RETURNS bigint
        LANGUAGE sql VOLATILE AS $$ SELECT pg_current_xact_id()::text::bigint $$`);
    await queryRunner.query('ALTER TABLE "alerts" ADD "raised_tx" bigint');
    await queryRunner.query('ALTER TABLE "alerts" ALTER COLUMN "raised_tx" SET DEFAULT current_transaction_number()');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "alerts" DROP COLUMN "raised_tx"');
    await queryRunner.query('DROP FUNCTION current_transaction_number()');
  }
}
