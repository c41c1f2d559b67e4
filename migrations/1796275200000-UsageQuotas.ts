import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-user quotas on what could sweep the register (the cross-region lookup,
 * the auditors' search by subject): one row per user and kind, counting the
 * uses in the current hour. The request's own audited transaction raises the
 * count with one upsert, whose row lock orders concurrent requests of one
 * user on every api instance. Used through SQL only (no entity).
 */
export class UsageQuotas1796275200000 implements MigrationInterface {
  name = 'UsageQuotas1796275200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE usage_counters (
        user_id uuid NOT NULL,
        kind text NOT NULL,
        window_start timestamptz NOT NULL,
        used integer NOT NULL,
        CONSTRAINT usage_counters_pkey PRIMARY KEY (user_id, kind),
        CONSTRAINT usage_counters_kind_check CHECK (kind IN ('person_lookup', 'subject_search')),
        CONSTRAINT usage_counters_used_check CHECK (used >= 1)
      )`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON usage_counters TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE usage_counters`);
  }
}
