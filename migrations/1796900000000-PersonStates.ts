import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The schedule states that are missing or not valid at `now` (`$1`), computed (migration ComplianceStates).
 * Followed by `RETURNING` in `up`, by nothing in `down`.
 */
const SCHEDULE_STATES = `
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
                next_due_at = excluded.next_due_at, last_check_in_at = excluded.last_check_in_at`;

const REFUSE_AS_OF = `
          IF register_as_of() IS NOT NULL THEN
            RAISE EXCEPTION 'compliance states are computed from the register as it is now';
          END IF;`;

/**
 * A person's compliance kept as stored state too (README "Stored compliance states").
 *
 * Today's statistics need every person's compliance: through the schedule
 * states that is every schedule, its state and the person's generation
 * joined, and an aggregate per person. `person_states` keeps, per person
 * with schedules, the statuses of all their schedules (what
 * `compliance_worst` takes, so that it stays the one rule), with the same
 * validity as a schedule state: the person's generation, the rules'
 * settings, and the window between two ticks ([valid_from, valid_until)).
 * A reader uses it only then (and only for today or later), and reads the
 * schedules otherwise.
 *
 * `schedule_states_refresh` writes it (same signature, same answer: how
 * many schedule states it wrote): after the schedule states, for each
 * person all of whose schedules have a state valid at `now` of the
 * person's generation, when one of those states was just written or the
 * person's state is missing or not valid at `now`. Its generation is the
 * person's as the statement writing it reads it, and every schedule state
 * it is made of carries that same generation in that same snapshot; a
 * state computed from a snapshot older than a write carries the older
 * generation, so a write committed since leaves the person without a new
 * state (under REPEATABLE READ: with one of the older generation, never
 * used). Persons without schedules get no row: their status is 'none', or
 * non-compliant with an open referral.
 */
export class PersonStates1796900000000 implements MigrationInterface {
  name = 'PersonStates1796900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "person_states" ("person_id" uuid NOT NULL, "generation" bigint NOT NULL, "grace_hours" integer NOT NULL, "due_soon_days" integer NOT NULL, "valid_from" TIMESTAMP WITH TIME ZONE NOT NULL, "valid_until" TIMESTAMP WITH TIME ZONE NOT NULL, "statuses" text array NOT NULL, CONSTRAINT "person_states_window_check" CHECK ("valid_from" < "valid_until"), CONSTRAINT "person_states_pkey" PRIMARY KEY ("person_id"))`,
    );
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON person_states TO register_app`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION schedule_states_refresh(now timestamptz, grace_hours integer, due_soon_days integer)
        RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE
          written bigint;
          persons uuid[];
        BEGIN${REFUSE_AS_OF}
          WITH w AS (${SCHEDULE_STATES}
                     RETURNING x.person_id)
          SELECT count(*), coalesce(array_agg(DISTINCT w.person_id), '{}') INTO written, persons FROM w;
          INSERT INTO person_states AS x (person_id, generation, grace_hours, due_soon_days, valid_from, valid_until,
                                          statuses)
          WITH candidates AS (
            -- The persons just written, or whose state is missing or not valid at now (from the schedule states:
            -- after the statement above, every schedule has one).
            SELECT DISTINCT st.person_id, coalesce(g.generation, 0) AS generation
              FROM schedule_states st
              LEFT JOIN compliance_generations g ON g.person_id = st.person_id
              LEFT JOIN person_states ps ON ps.person_id = st.person_id
             WHERE st.person_id IN (SELECT unnest(persons)) OR ps.person_id IS NULL
                OR ps.generation <> coalesce(g.generation, 0) OR ps.grace_hours <> $2 OR ps.due_soon_days <> $3
                OR NOT ($1 >= ps.valid_from AND $1 < ps.valid_until))
          SELECT c.person_id, c.generation, $2, $3, t.valid_from, t.valid_until, array_agg(st.status ORDER BY st.status)
            FROM candidates c
            JOIN register_reporting_schedules s ON s.person_id = c.person_id
            -- By key alone: a validity condition here is estimated to match almost nothing, and the planner
            -- then scans every state once per candidate (minutes when every window has passed).
            LEFT JOIN schedule_states st ON st.schedule_id = s.id
            CROSS JOIN compliance_ticks($1, $2) t
           GROUP BY c.person_id, c.generation, t.valid_from, t.valid_until
          -- Every schedule of the person has a state valid now, of the person's generation.
          HAVING count(*) FILTER (WHERE st.generation = c.generation AND st.grace_hours = $2 AND st.due_soon_days = $3
                                    AND $1 >= st.valid_from AND $1 < st.valid_until) = count(*)
          ON CONFLICT (person_id) DO UPDATE
            SET generation = excluded.generation, grace_hours = excluded.grace_hours,
                due_soon_days = excluded.due_soon_days, valid_from = excluded.valid_from,
                valid_until = excluded.valid_until, statuses = excluded.statuses;
          RETURN written;
        END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The body migration ComplianceStates gave it.
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION schedule_states_refresh(now timestamptz, grace_hours integer, due_soon_days integer)
        RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE
          written bigint;
        BEGIN${REFUSE_AS_OF}${SCHEDULE_STATES};
          GET DIAGNOSTICS written = ROW_COUNT;
          RETURN written;
        END $$`);
    await queryRunner.query('DROP TABLE "person_states"');
  }
}
