import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's compliance computed once per read. The person's page shows
 * each reporting schedule's compliance and the person's (the worst of them,
 * or `non_compliant` with an open referral); it called `schedule_compliance`
 * for every schedule twice, once for the schedules and once more inside
 * `person_compliance`. `person_compliance_detail` answers both from one pass
 * over the schedules: person_compliance's columns, by its rules (migration
 * Referrals), and `schedules`, each schedule's compliance as JSON
 * (measure_id, authority, office, status, next_due_at, last_check_in_at;
 * ordered by authority). `person_compliance` stays as it is for lists, which
 * need no schedules; the property tests hold both to the oracle.
 */
export class ComplianceOnce1796700100000 implements MigrationInterface {
  name = 'ComplianceOnce1796700100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION person_compliance_detail(
          person_id uuid, now timestamptz, grace_hours integer, due_soon_days integer,
          OUT status text, OUT next_due_at timestamptz, OUT last_check_in_at timestamptz,
          OUT open_referral_ids uuid[], OUT schedules json)
        LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
        BEGIN
          SELECT CASE
                   WHEN count(*) = 0 THEN 'none'
                   WHEN bool_or(c.status = 'overdue') THEN 'overdue'
                   WHEN bool_or(c.status = 'due') THEN 'due'
                   WHEN bool_or(c.status = 'compliant') THEN 'compliant'
                   WHEN bool_or(c.status = 'suspended') THEN 'suspended'
                   ELSE 'ended' END,
                 min(c.next_due_at), max(c.last_check_in_at),
                 json_agg(json_build_object('measure_id', s.measure_id, 'authority', s.authority,
                            'office', s.office, 'status', c.status, 'next_due_at', c.next_due_at,
                            'last_check_in_at', c.last_check_in_at) ORDER BY s.authority)
            INTO status, next_due_at, last_check_in_at, schedules
            FROM register_reporting_schedules s, schedule_compliance(s, $2, $3, $4) c
           WHERE s.person_id = $1;
          SELECT coalesce(array_agg(r.id ORDER BY r.referred_on, r.id), '{}') INTO open_referral_ids
            FROM register_referrals r
           WHERE r.person_id = $1 AND r.outcome IS NULL;
          IF cardinality(open_referral_ids) > 0 THEN status := 'non_compliant'; END IF;
        END $$`);
    await queryRunner.query(
      `GRANT EXECUTE ON FUNCTION person_compliance_detail(uuid, timestamptz, integer, integer) TO register_app`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION person_compliance_detail(uuid, timestamptz, integer, integer)`);
  }
}
