import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: events, reviews of events, and seals over batches of events.
 * All three are append-only, for the service's runtime role by its grants
 * and for everyone, the owner included, by triggers. The tables are used
 * through SQL only (no entities), so the schema here is the whole truth.
 */
export class Audit1795884000000 implements MigrationInterface {
  name = 'Audit1795884000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_events (
        seq bigint GENERATED ALWAYS AS IDENTITY,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
        actor_user_id uuid,
        actor_username text,
        actor_role text,
        actor_organisation text,
        actor_region text,
        action text NOT NULL,
        resource_type text,
        resource_id text,
        subject_person_ids uuid[] NOT NULL DEFAULT '{}',
        reason text,
        outcome text NOT NULL,
        http_status smallint,
        result_count integer,
        query jsonb,
        request_id text,
        ip text,
        user_agent text,
        recipient text,
        details jsonb,
        flagged boolean NOT NULL DEFAULT false,
        CONSTRAINT audit_events_pkey PRIMARY KEY (seq),
        CONSTRAINT audit_events_id_key UNIQUE (id),
        CONSTRAINT audit_events_outcome_check CHECK (outcome IN ('allowed', 'denied', 'error')),
        CONSTRAINT audit_events_action_check CHECK (action ~ '^[a-z_]+\\.[a-z_]+$'),
        CONSTRAINT audit_events_result_count_check CHECK (result_count IS NULL OR result_count >= 0)
      )`);
    // The time and the transaction are the database's, never the writer's.
    await queryRunner.query(`
      CREATE FUNCTION audit_events_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.at := clock_timestamp();
        NEW.tx := pg_current_xact_id();
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_stamp BEFORE INSERT ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_stamp()`);
    await queryRunner.query(`CREATE INDEX audit_events_tx_idx ON audit_events (tx)`);
    await queryRunner.query(`CREATE INDEX audit_events_at_idx ON audit_events (at)`);
    await queryRunner.query(`CREATE INDEX audit_events_actor_idx ON audit_events (actor_user_id, seq DESC)`);
    await queryRunner.query(
      `CREATE INDEX audit_events_actor_username_idx ON audit_events (lower(actor_username), seq DESC)`,
    );
    await queryRunner.query(`CREATE INDEX audit_events_subject_idx ON audit_events USING gin (subject_person_ids)`);
    await queryRunner.query(`CREATE INDEX audit_events_outcome_idx ON audit_events (outcome, seq DESC)`);
    await queryRunner.query(`CREATE INDEX audit_events_action_idx ON audit_events (action, seq DESC)`);
    await queryRunner.query(`CREATE INDEX audit_events_flagged_idx ON audit_events (seq DESC) WHERE flagged`);

    await queryRunner.query(`
      CREATE TABLE audit_reviews (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        event_id uuid NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        reviewer_user_id uuid NOT NULL,
        reviewer_username text NOT NULL,
        note text NOT NULL,
        CONSTRAINT audit_reviews_pkey PRIMARY KEY (id),
        CONSTRAINT audit_reviews_event_id_fkey FOREIGN KEY (event_id) REFERENCES audit_events (id),
        CONSTRAINT audit_reviews_note_check CHECK (length(note) BETWEEN 1 AND 2000)
      )`);
    await queryRunner.query(`CREATE INDEX audit_reviews_event_id_idx ON audit_reviews (event_id)`);

    await queryRunner.query(`
      CREATE TABLE audit_seals (
        seal_no bigint NOT NULL,
        sealed_at timestamptz NOT NULL,
        tx_from xid8 NOT NULL,
        tx_to xid8 NOT NULL,
        event_count integer NOT NULL,
        total_events bigint NOT NULL,
        first_seq bigint,
        last_seq bigint,
        seqs bigint[] NOT NULL,
        leaves bytea NOT NULL,
        merkle_root bytea NOT NULL,
        prev_hash bytea NOT NULL,
        hash bytea NOT NULL,
        key_id text NOT NULL,
        signature bytea NOT NULL,
        CONSTRAINT audit_seals_pkey PRIMARY KEY (seal_no),
        CONSTRAINT audit_seals_range_check CHECK (tx_from < tx_to),
        CONSTRAINT audit_seals_count_check CHECK (event_count = cardinality(seqs) AND length(leaves) = 32 * event_count)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX audit_seals_tx_to_key ON audit_seals (tx_to)`);

    await queryRunner.query(`
      CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['audit_events', 'audit_reviews', 'audit_seals']) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
      await queryRunner.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`);
    }

    // The runtime role: what the service may do once migrations (run as the owner) are done.
    await queryRunner.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'register_app') THEN
          CREATE ROLE register_app NOLOGIN;
        END IF;
      END $$`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO register_app`);
    await queryRunner.query(`GRANT SELECT ON police_administrations, migrations TO register_app`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON users, sessions, refresh_tokens TO register_app`);
    await queryRunner.query(`GRANT SELECT, INSERT ON audit_events, audit_reviews, audit_seals TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON audit_events, audit_reviews, audit_seals FROM register_app`);
    await queryRunner.query(
      `REVOKE ALL ON police_administrations, migrations, users, sessions, refresh_tokens FROM register_app`,
    );
    await queryRunner.query(`DROP TABLE audit_seals`);
    await queryRunner.query(`DROP TABLE audit_reviews`);
    await queryRunner.query(`DROP TABLE audit_events`);
    await queryRunner.query(`DROP FUNCTION audit_append_only()`);
    await queryRunner.query(`DROP FUNCTION audit_events_stamp()`);
  }
}
