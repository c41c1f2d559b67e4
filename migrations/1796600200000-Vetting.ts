import type { MigrationInterface, QueryRunner } from 'typeorm';

const check = (roles: string[]): string => `CHECK ("role" IN (${roles.map((role) => `'${role}'`).join(', ')}))`;
const ROLES_BEFORE = ['admin', 'registry_clerk', 'police_officer', 'judicial_officer', 'auditor'];
const ROLES_NOW = [...ROLES_BEFORE, 'vetting_officer'];

/**
 * Employer vetting (#17, section 1).
 *
 * The role `vetting_officer` (a UIKS clerk who answers employers). Each
 * request is one row of `vetting_requests`, never changed: the employer, the
 * activity, the legal basis and reference, the candidate's name as the
 * employer gave it and an HMAC of the identifier (a JMBG or a document; never
 * in clear), the answer and its certificate. No person id is kept: the
 * answer's flagged disclosure event names the person when barred, and the
 * certificate needs only the answer. The runtime role may read and insert
 * only. Used through SQL only (no entity), like `usage_counters`.
 */
export class Vetting1796600200000 implements MigrationInterface {
  name = 'Vetting1796600200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['users', 'user_role_changes']) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${table}_role_check"`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${table}_role_check" ${check(ROLES_NOW)}`);
    }
    await queryRunner.query(`
      CREATE TABLE vetting_requests (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        employer_name text NOT NULL,
        employer_registry_number text NOT NULL,
        activity text NOT NULL,
        public_office boolean NOT NULL,
        legal_basis text NOT NULL,
        request_reference text NOT NULL,
        candidate_given_names text NOT NULL,
        candidate_surname text NOT NULL,
        candidate_identifier_kind text NOT NULL,
        candidate_identifier_hash text NOT NULL,
        barred boolean NOT NULL,
        certificate_number text NOT NULL,
        issued_on date NOT NULL,
        valid_until date NOT NULL,
        issued_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT vetting_requests_pkey PRIMARY KEY (id),
        CONSTRAINT vetting_requests_certificate_number_key UNIQUE (certificate_number),
        CONSTRAINT vetting_requests_issued_by_fkey FOREIGN KEY (issued_by) REFERENCES users (id),
        CONSTRAINT vetting_requests_registry_number_check CHECK (employer_registry_number ~ '^[0-9]{8}$'),
        CONSTRAINT vetting_requests_identifier_kind_check CHECK (candidate_identifier_kind IN ('jmbg', 'document')),
        CONSTRAINT vetting_requests_identifier_hash_check CHECK (candidate_identifier_hash ~ '^hmac:[A-Za-z0-9_-]{43}$'),
        CONSTRAINT vetting_requests_certificate_number_check
          CHECK (certificate_number ~ '^[A-Z2-7]{9}-[A-Z2-7]{9}-[A-Z2-7]{9}$'),
        CONSTRAINT vetting_requests_validity_check CHECK (valid_until >= issued_on)
      )`);
    // Counting one employer's requests of a day (fishing) and the auditors' volume by day.
    await queryRunner.query(
      `CREATE INDEX vetting_requests_employer_day_idx ON vetting_requests (employer_registry_number, issued_on)`,
    );
    await queryRunner.query(`CREATE INDEX vetting_requests_issued_on_idx ON vetting_requests (issued_on)`);
    await queryRunner.query(`GRANT SELECT, INSERT ON vetting_requests TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE vetting_requests`);
    await queryRunner.query(`DELETE FROM user_role_changes WHERE role = 'vetting_officer'`);
    for (const table of ['users', 'user_role_changes']) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${table}_role_check"`);
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${table}_role_check" ${check(ROLES_BEFORE)} NOT VALID`,
      );
    }
  }
}
