import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Register's published fact about releases (a view for compliance, like the
 * other `register_*` views): one row per imprisonment with a known release,
 * actual or expected:
 * - conviction_id, person_id, release_on (the actual release, else the
 *   expected one), released (the actual release is recorded), facility;
 * - planned_address: where the person is to live after release, the address
 *   in force (permanent, else temporary) as {kind, street, city, postalCode,
 *   policeAdministration}, and planned_administration, its administration;
 * - measures: the measures binding after release (not ended, ending on or
 *   after it) as [{id, type, startsOn, endsOn, acknowledged}];
 * - acknowledged: the person was told the duties of every such measure (an
 *   acknowledgement not voided names each), and there is at least one.
 * The one statement of "duties acknowledged" for a release: the release list
 * and the `release_unprepared` alert both read it here.
 */
export class ReleaseReadiness1796400400000 implements MigrationInterface {
  name = 'ReleaseReadiness1796400400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE VIEW register_releases AS
        SELECT c.id AS conviction_id, c.person_id, coalesce(c.released_on, c.release_date) AS release_on,
               c.released_on IS NOT NULL AS released, c.release_facility AS facility,
               planned.address AS planned_address, planned.police_administration AS planned_administration,
               coalesce(binding.measures, '[]'::jsonb) AS measures,
               coalesce(binding.acknowledged, false) AS acknowledged
          FROM convictions c
          LEFT JOIN LATERAL (
            SELECT a.police_administration,
                   jsonb_build_object('kind', a.kind, 'street', a.street, 'city', a.city, 'postalCode', a.postal_code,
                                      'policeAdministration', a.police_administration) AS address
              FROM addresses a
             WHERE a.person_id = c.person_id AND a.valid_to IS NULL
             ORDER BY a.kind = 'permanent' DESC, a.valid_from DESC
             LIMIT 1) planned ON TRUE
          LEFT JOIN LATERAL (
            SELECT jsonb_agg(jsonb_build_object('id', m.id, 'type', m.type, 'startsOn', m.starts_on,
                                                'endsOn', m.ends_on, 'acknowledged', k.acknowledged)
                             ORDER BY m.starts_on, m.type, m.id) AS measures,
                   bool_and(k.acknowledged) AS acknowledged
              FROM measures m
             CROSS JOIN LATERAL (
               SELECT EXISTS (SELECT 1 FROM acknowledgements ack
                               WHERE ack.person_id = m.person_id AND ack.voided_at IS NULL
                                 AND m.id = ANY (ack.measure_ids)) AS acknowledged) k
             WHERE m.person_id = c.person_id AND m.status <> 'ended'
               AND m.ends_on >= coalesce(c.released_on, c.release_date)) binding ON TRUE
         WHERE c.sentence_kind = 'imprisonment' AND coalesce(c.released_on, c.release_date) IS NOT NULL`);
    await queryRunner.query(`GRANT SELECT ON register_releases TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW register_releases`);
  }
}
