import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the runtime role could forge in the audit log (#14, item 8), refused
 * by the database:
 *
 * - An event's number is the database's, like its time and transaction: the
 *   identity (which `OVERRIDING SYSTEM VALUE` let a writer override, and so
 *   take numbers ahead of every writer) becomes a sequence that only the
 *   stamping trigger draws from, and a row naming its own number is refused.
 * - A seal takes the next number and covers only finished transactions, so
 *   that no seal can claim the future (which stopped the sealer). A seal
 *   that is not the sealing key's is passed over by the sealer and named by
 *   verification; a genuine seal may then end where a forged one did, so the
 *   watermark is no longer unique.
 * - Reviews are events (`audit.review`, signed, sealed like every event):
 *   the runtime role may no longer write into audit_reviews, whose rows,
 *   neither stamped nor sealed, no longer count as reviews.
 *
 * The trigger functions name their objects with the schema and fix their
 * search path, so that no temporary table or sequence of the writer's
 * session can stand in for them.
 */
export class AuditTamperGuards1796280000000 implements MigrationInterface {
  name = 'AuditTamperGuards1796280000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = await this.schema(queryRunner);
    const [{ identity }] = await queryRunner.query(`SELECT pg_get_serial_sequence('audit_events', 'seq') AS identity`);
    const [{ next }] = await queryRunner.query(`
      SELECT greatest((SELECT coalesce(max(seq), 0) FROM audit_events), (SELECT last_value FROM ${identity})) + 1 AS next`);
    await queryRunner.query(`ALTER TABLE audit_events ALTER COLUMN seq DROP IDENTITY`);
    await queryRunner.query(`CREATE SEQUENCE audit_events_seq AS bigint OWNED BY audit_events.seq`);
    await queryRunner.query(`SELECT setval('${schema}.audit_events_seq', $1, false)`, [next]);
    // Runs as its owner: the sequence is drawn from here only; the writer has no right to it.
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION audit_events_stamp() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
      BEGIN
        IF NEW.seq IS NOT NULL THEN
          RAISE EXCEPTION 'audit_events.seq is the database''s to assign' USING ERRCODE = 'insufficient_privilege';
        END IF;
        NEW.seq := nextval('${schema}.audit_events_seq'::regclass);
        NEW.at := clock_timestamp();
        NEW.tx := pg_current_xact_id();
        RETURN NEW;
      END $$`);

    await queryRunner.query(`
      CREATE FUNCTION audit_seals_admit() RETURNS trigger LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp AS $$
      BEGIN
        -- The sealer's lock (AuditSealer, SEAL_LOCK): a seal from anywhere else waits until the sealer's
        -- transaction ends, so none can take the number the sealer read the chain's head for.
        PERFORM pg_advisory_xact_lock(7302013003);
        IF NEW.seal_no IS DISTINCT FROM
           (SELECT coalesce(max(s.seal_no), 0) + 1 FROM ${schema}.audit_seals s) THEN
          RAISE EXCEPTION 'a seal takes the next number' USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.tx_to > pg_snapshot_xmin(pg_current_snapshot()) THEN
          RAISE EXCEPTION 'a seal covers only finished transactions' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_seals_admit BEFORE INSERT ON audit_seals
        FOR EACH ROW EXECUTE FUNCTION audit_seals_admit()`);
    await queryRunner.query(`DROP INDEX audit_seals_tx_to_key`);

    // The reviews of an event: the review events naming it (AuditQueryService, AuditVerifier).
    await queryRunner.query(`
      CREATE INDEX audit_events_review_idx ON audit_events (resource_id)
        WHERE action = 'audit.review' AND outcome = 'allowed'`);
    await queryRunner.query(`REVOKE INSERT ON audit_reviews FROM register_app`);
    await queryRunner.query(`
      COMMENT ON TABLE audit_reviews IS
        'Reviews written before reviews became audit.review events; kept, no longer counted as reviews'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const schema = await this.schema(queryRunner);
    await queryRunner.query(`COMMENT ON TABLE audit_reviews IS NULL`);
    await queryRunner.query(`GRANT INSERT ON audit_reviews TO register_app`);
    await queryRunner.query(`DROP INDEX audit_events_review_idx`);
    await queryRunner.query(`CREATE UNIQUE INDEX audit_seals_tx_to_key ON audit_seals (tx_to)`);
    await queryRunner.query(`DROP TRIGGER audit_seals_admit ON audit_seals`);
    await queryRunner.query(`DROP FUNCTION audit_seals_admit()`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION audit_events_stamp() RETURNS trigger LANGUAGE plpgsql SECURITY INVOKER AS $$
      BEGIN
        NEW.at := clock_timestamp();
        NEW.tx := pg_current_xact_id();
        RETURN NEW;
      END $$`);
    await queryRunner.query(`ALTER FUNCTION audit_events_stamp() RESET ALL`);
    const [{ next }] = await queryRunner.query(
      `SELECT greatest((SELECT coalesce(max(seq), 0) FROM audit_events),
                       (SELECT last_value FROM ${schema}.audit_events_seq)) + 1 AS next`,
    );
    await queryRunner.query(`DROP SEQUENCE audit_events_seq`);
    await queryRunner.query(
      `ALTER TABLE audit_events ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (START WITH ${Number(next)})`,
    );
  }

  /** The schema the audit tables are in, quoted, to name their objects in trigger functions. */
  private async schema(queryRunner: QueryRunner): Promise<string> {
    const [{ schema }] = await queryRunner.query(
      `SELECT quote_ident(n.nspname) AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = 'audit_events'::regclass`,
    );
    return schema;
  }
}
