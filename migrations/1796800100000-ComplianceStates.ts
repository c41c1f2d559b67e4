import type { MigrationInterface, QueryRunner } from 'typeorm';

const own = (row: string) => `${row}.person_id`;

/** The tables whose rows compliance reads (through register's views), and how a row (NEW or OLD) names its person. */
const INPUTS: { table: string; person: (row: string) => string }[] = [
  { table: 'measures', person: own },
  { table: 'office_reporting_schedules', person: own },
  { table: 'check_ins', person: own },
  { table: 'counselling_attendances', person: own },
  { table: 'convictions', person: own },
  {
    table: 'measure_suspensions',
    person: (row) => `(SELECT m.person_id FROM measures m WHERE m.id = ${row}.measure_id)`,
  },
];

/**
 * Compliance kept as stored state, exact when read (README "Compliance").
 *
 * `schedule_compliance` answers a schedule's compliance at a moment by
 * walking its periods; over a whole register (the statistics) that is a
 * PL/pgSQL call per schedule. The answer only changes when the register's
 * facts change or a tick passes: a Belgrade midnight (the day, and with it
 * the period, the due-soon window and the end of the measure) or a deadline
 * (a period's end plus the grace hours, so midnight plus `grace_hours`).
 *
 * - `compliance_generations`: per person, a number raised by a trigger in the
 *   same transaction as any write to what compliance reads (measures, the
 *   UIKS schedules, check-ins, counselling attendances, convictions' custody,
 *   suspensions). A person never written since has generation 0.
 * - `schedule_states`: each schedule's compliance (`schedule_compliance`'s
 *   answer) as computed for the person's generation, with the rules'
 *   settings, and the ticks around the moment it was computed
 *   ([valid_from, valid_until)). It is exact at any moment of that window
 *   while the person's generation is unchanged; a reader uses a state only
 *   then, and computes the schedule's compliance otherwise. A writer's
 *   generation, not a delete, invalidates: a state computed from a snapshot
 *   taken before a write committed carries the older generation and is never
 *   used, whatever order the two commit in.
 * - `compliance_ticks(at, grace_hours)`: the ticks before (or at) and after a
 *   moment.
 * - `schedule_states_refresh(now, grace_hours, due_soon_days)`: computes the
 *   states that are missing or not valid at `now` (the worker, at each scan);
 *   answers how many it wrote. It refuses to run with `register.as_of` set.
 * - `compliance_worst(statuses, open_referrals)`: a person's status from
 *   their schedules' and their open referrals (the rule `person_compliance`
 *   and `person_compliance_detail` stated inline), now stated once.
 */
export class ComplianceStates1796800100000 implements MigrationInterface {
  name = 'ComplianceStates1796800100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "compliance_generations" ("person_id" uuid NOT NULL, "generation" bigint NOT NULL, CONSTRAINT "compliance_generations_pkey" PRIMARY KEY ("person_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "schedule_states" ("schedule_id" uuid NOT NULL, "measure_id" uuid NOT NULL, "person_id" uuid NOT NULL, "generation" bigint NOT NULL, "grace_hours" integer NOT NULL, "due_soon_days" integer NOT NULL, "valid_from" TIMESTAMP WITH TIME ZONE NOT NULL, "valid_until" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL, "overdue_since" date, "next_due_at" TIMESTAMP WITH TIME ZONE, "last_check_in_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "schedule_states_window_check" CHECK ("valid_from" < "valid_until"), CONSTRAINT "schedule_states_pkey" PRIMARY KEY ("schedule_id"))`,
    );
    await queryRunner.query('CREATE INDEX "schedule_states_person_id_idx" ON "schedule_states" ("person_id") ');
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON compliance_generations, schedule_states TO register_app`);

    await queryRunner.query(`
      CREATE FUNCTION compliance_generation_raise(person_id uuid) RETURNS void LANGUAGE sql AS $$
        INSERT INTO compliance_generations AS g (person_id, generation)
        SELECT $1, 1 WHERE $1 IS NOT NULL
        ON CONFLICT (person_id) DO UPDATE SET generation = g.generation + 1 $$`);
    for (const { table, person } of INPUTS) {
      await queryRunner.query(`
        CREATE FUNCTION ${table}_compliance_generation() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP <> 'DELETE' THEN PERFORM compliance_generation_raise(${person('NEW')}); END IF;
            IF TG_OP <> 'INSERT' THEN PERFORM compliance_generation_raise(${person('OLD')}); END IF;
            RETURN NULL;
          END $$`);
      await queryRunner.query(`
        CREATE TRIGGER ${table}_compliance_generation AFTER INSERT OR UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION ${table}_compliance_generation()`);
    }

    await queryRunner.query(`
      CREATE FUNCTION compliance_ticks(at timestamptz, grace_hours integer,
          OUT valid_from timestamptz, OUT valid_until timestamptz)
        LANGUAGE sql STABLE PARALLEL SAFE AS $$
          SELECT max(t.tick) FILTER (WHERE t.tick <= $1), min(t.tick) FILTER (WHERE t.tick > $1)
            FROM (SELECT belgrade_midnight(d.day::date) + v.deadline * make_interval(hours => $2) AS tick
                    FROM generate_series((($1 AT TIME ZONE 'Europe/Belgrade')::date - ($2 / 24 + 2))::timestamp,
                                         (($1 AT TIME ZONE 'Europe/Belgrade')::date + 1)::timestamp,
                                         interval '1 day') AS d(day),
                         (VALUES (0), (1)) AS v(deadline)) t $$`);

    await queryRunner.query(`
      CREATE FUNCTION compliance_worst(statuses text[], open_referrals integer) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT CASE
                   WHEN $2 > 0 THEN 'non_compliant'
                   WHEN coalesce(cardinality($1), 0) = 0 THEN 'none'
                   WHEN 'overdue' = ANY ($1) THEN 'overdue'
                   WHEN 'due' = ANY ($1) THEN 'due'
                   WHEN 'compliant' = ANY ($1) THEN 'compliant'
                   WHEN 'suspended' = ANY ($1) THEN 'suspended'
                   ELSE 'ended' END $$`);

    await queryRunner.query(`
      CREATE FUNCTION schedule_states_refresh(now timestamptz, grace_hours integer, due_soon_days integer)
        RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE
          written bigint;
        BEGIN
          IF register_as_of() IS NOT NULL THEN
            RAISE EXCEPTION 'compliance states are computed from the register as it is now';
          END IF;
          INSERT INTO schedule_states AS x (schedule_id, measure_id, person_id, generation, grace_hours, due_soon_days,
                                            valid_from, valid_until, status, overdue_since, next_due_at, last_check_in_at)
          SELECT s.id, s.measure_id, s.person_id, coalesce(g.generation, 0), $2, $3, t.valid_from, t.valid_until,
                 c.status, c.overdue_since, c.next_due_at, c.last_check_in_at
            FROM register_reporting_schedules s
            LEFT JOIN compliance_generations g ON g.person_id = s.person_id
            LEFT JOIN schedule_states st ON st.schedule_id = s.id
            CROSS JOIN compliance_ticks($1, $2) t
            CROSS JOIN LATERAL schedule_compliance(s, $1, $2, $3) c
           WHERE st.schedule_id IS NULL OR st.generation <> coalesce(g.generation, 0) OR st.grace_hours <> $2
              OR st.due_soon_days <> $3 OR NOT ($1 >= st.valid_from AND $1 < st.valid_until)
          ON CONFLICT (schedule_id) DO UPDATE
            SET generation = excluded.generation, grace_hours = excluded.grace_hours,
                due_soon_days = excluded.due_soon_days, valid_from = excluded.valid_from,
                valid_until = excluded.valid_until, status = excluded.status, overdue_since = excluded.overdue_since,
                next_due_at = excluded.next_due_at, last_check_in_at = excluded.last_check_in_at;
          GET DIAGNOSTICS written = ROW_COUNT;
          RETURN written;
        END $$`);

    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION person_compliance(
          person_id uuid, now timestamptz, grace_hours integer, due_soon_days integer,
          OUT status text, OUT next_due_at timestamptz, OUT last_check_in_at timestamptz, OUT open_referral_ids uuid[])
        LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
        BEGIN
          SELECT coalesce(array_agg(r.id ORDER BY r.referred_on, r.id), '{}') INTO open_referral_ids
            FROM register_referrals r
           WHERE r.person_id = $1 AND r.outcome IS NULL;
          SELECT compliance_worst(array_agg(c.status), cardinality(open_referral_ids)),
                 min(c.next_due_at), max(c.last_check_in_at)
            INTO status, next_due_at, last_check_in_at
            FROM register_reporting_schedules s, schedule_compliance(s, $2, $3, $4) c
           WHERE s.person_id = $1;
        END $$`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION person_compliance_detail(
          person_id uuid, now timestamptz, grace_hours integer, due_soon_days integer,
          OUT status text, OUT next_due_at timestamptz, OUT last_check_in_at timestamptz,
          OUT open_referral_ids uuid[], OUT schedules json)
        LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
        BEGIN
          SELECT coalesce(array_agg(r.id ORDER BY r.referred_on, r.id), '{}') INTO open_referral_ids
            FROM register_referrals r
           WHERE r.person_id = $1 AND r.outcome IS NULL;
          SELECT compliance_worst(array_agg(c.status), cardinality(open_referral_ids)),
                 min(c.next_due_at), max(c.last_check_in_at),
                 json_agg(json_build_object('measure_id', s.measure_id, 'authority', s.authority,
                            'office', s.office, 'status', c.status, 'next_due_at', c.next_due_at,
                            'last_check_in_at', c.last_check_in_at) ORDER BY s.authority)
            INTO status, next_due_at, last_check_in_at, schedules
            FROM register_reporting_schedules s, schedule_compliance(s, $2, $3, $4) c
           WHERE s.person_id = $1;
        END $$`);
    await queryRunner.query(
      `GRANT EXECUTE ON FUNCTION compliance_generation_raise(uuid), compliance_ticks(timestamptz, integer),
         compliance_worst(text[], integer), schedule_states_refresh(timestamptz, integer, integer) TO register_app`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // person_compliance and person_compliance_detail as migrations Referrals and ComplianceOnce left them.
    const worst = `CASE
                   WHEN count(*) = 0 THEN 'none'
                   WHEN bool_or(c.status = 'overdue') THEN 'overdue'
                   WHEN bool_or(c.status = 'due') THEN 'due'
                   WHEN bool_or(c.status = 'compliant') THEN 'compliant'
                   WHEN bool_or(c.status = 'suspended') THEN 'suspended'
                   ELSE 'ended' END`;
    const open = `
          SELECT coalesce(array_agg(r.id ORDER BY r.referred_on, r.id), '{}') INTO open_referral_ids
            FROM register_referrals r
           WHERE r.person_id = $1 AND r.outcome IS NULL;
          IF cardinality(open_referral_ids) > 0 THEN status := 'non_compliant'; END IF;`;
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION person_compliance(
          person_id uuid, now timestamptz, grace_hours integer, due_soon_days integer,
          OUT status text, OUT next_due_at timestamptz, OUT last_check_in_at timestamptz, OUT open_referral_ids uuid[])
        LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
        BEGIN
          SELECT ${worst}, min(c.next_due_at), max(c.last_check_in_at)
            INTO status, next_due_at, last_check_in_at
            FROM register_reporting_schedules s, schedule_compliance(s, $2, $3, $4) c
           WHERE s.person_id = $1;${open}
        END $$`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION person_compliance_detail(
          person_id uuid, now timestamptz, grace_hours integer, due_soon_days integer,
          OUT status text, OUT next_due_at timestamptz, OUT last_check_in_at timestamptz,
          OUT open_referral_ids uuid[], OUT schedules json)
        LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
        BEGIN
          SELECT ${worst}, min(c.next_due_at), max(c.last_check_in_at),
                 json_agg(json_build_object('measure_id', s.measure_id, 'authority', s.authority,
                            'office', s.office, 'status', c.status, 'next_due_at', c.next_due_at,
                            'last_check_in_at', c.last_check_in_at) ORDER BY s.authority)
            INTO status, next_due_at, last_check_in_at, schedules
            FROM register_reporting_schedules s, schedule_compliance(s, $2, $3, $4) c
           WHERE s.person_id = $1;${open}
        END $$`);
    await queryRunner.query(`DROP FUNCTION schedule_states_refresh(timestamptz, integer, integer)`);
    await queryRunner.query(`DROP FUNCTION compliance_worst(text[], integer)`);
    await queryRunner.query(`DROP FUNCTION compliance_ticks(timestamptz, integer)`);
    for (const { table } of INPUTS) {
      await queryRunner.query(`DROP TRIGGER ${table}_compliance_generation ON ${table}`);
      await queryRunner.query(`DROP FUNCTION ${table}_compliance_generation()`);
    }
    await queryRunner.query(`DROP FUNCTION compliance_generation_raise(uuid)`);
    await queryRunner.query('DROP TABLE "schedule_states"');
    await queryRunner.query('DROP TABLE "compliance_generations"');
  }
}
