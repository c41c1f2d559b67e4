import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reporting schedules of four kinds, and two reporting authorities.
 *
 * A periodic reporting measure's schedule (the police administration's,
 * `report_to`) is now of a kind: `every_days` (periods of `every_days` days
 * from the first day, as before), `monthly` (calendar months), `weekly` (ISO
 * weeks) or `weekdays` (each period ends on one of the chosen ISO weekdays);
 * the existing reporting measures keep every N days (their kind is set to
 * `every_days`, nothing else changes). A measure may also name a UIKS office
 * the person reports to, with its own schedule (`office_reporting_schedules`,
 * person-owned). A check-in is made at one authority and satisfies only that
 * authority's schedule.
 *
 * Register's contract (migration RegisterViews) gains
 * `register_reporting_schedules`: one row per authority of each periodic
 * reporting measure: id (the police schedule's is the measure's id, the UIKS
 * one's its own row id), measure_id, person_id, authority ('police' | 'uiks'),
 * police_administration (the measure's report_to, for both), office (null for
 * the police), schedule_kind, every_days, weekdays, starts_on, ends_on,
 * status, status_changed_on, created_at; and `register_check_ins` gains
 * `authority, office`. Compliance reads custody from `register_custody`
 * (migration Releases).
 *
 * The periods are computed by two IMMUTABLE SQL functions, inlined where they
 * are used: `reporting_period_index` (the period a day falls in) and
 * `reporting_period_start` (period k's first day; its natural last day is the
 * day before period k + 1's first). `schedule_compliance` (per schedule)
 * replaces `measure_compliance` with the same rules and loop, and
 * `person_compliance` takes the worst over all the person's schedules. A
 * period touching a suspension of the measure or the person's custody is
 * excused (`period_excused`).
 */
export class ReportingSchedules1796400200000 implements MigrationInterface {
  name = 'ReportingSchedules1796400200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION reporting_weekdays_valid(weekdays smallint[]) RETURNS boolean
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT array_ndims($1) = 1 AND cardinality($1) BETWEEN 1 AND 7 AND array_position($1, NULL) IS NULL
                     AND $1 <@ '{1,2,3,4,5,6,7}'::smallint[]
                     AND $1 = (SELECT array_agg(DISTINCT d ORDER BY d) FROM unnest($1) d) $$`);

    await queryRunner.query('ALTER TABLE "measures" ADD "schedule_kind" text');
    await queryRunner.query('ALTER TABLE "measures" ADD "weekdays" smallint array');
    await queryRunner.query(`UPDATE measures SET schedule_kind = 'every_days' WHERE type = 'periodic_reporting'`);
    await queryRunner.query(
      `ALTER TABLE "measures" ADD CONSTRAINT "measures_schedule_kind_check" CHECK (("type" = 'periodic_reporting') = ("schedule_kind" IS NOT NULL) AND "schedule_kind" IN ('every_days', 'monthly', 'weekly', 'weekdays'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "measures" ADD CONSTRAINT "measures_schedule_every_days_check" CHECK (("every_days" IS NOT NULL) = coalesce("schedule_kind" = 'every_days', false))`,
    );
    await queryRunner.query(
      `ALTER TABLE "measures" ADD CONSTRAINT "measures_weekdays_check" CHECK (("weekdays" IS NOT NULL) = coalesce("schedule_kind" = 'weekdays', false) AND ("weekdays" IS NULL OR reporting_weekdays_valid("weekdays")))`,
    );

    await queryRunner.query(
      `CREATE TABLE "office_reporting_schedules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "measure_id" uuid NOT NULL, "office" text NOT NULL, "schedule_kind" text NOT NULL, "every_days" integer, "weekdays" smallint array, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "office_reporting_schedules_kind_check" CHECK ("schedule_kind" IN ('every_days', 'monthly', 'weekly', 'weekdays')), CONSTRAINT "office_reporting_schedules_every_days_check" CHECK (("every_days" IS NOT NULL) = ("schedule_kind" = 'every_days') AND ("every_days" IS NULL OR "every_days" BETWEEN 1 AND 366)), CONSTRAINT "office_reporting_schedules_weekdays_check" CHECK (("weekdays" IS NOT NULL) = ("schedule_kind" = 'weekdays') AND ("weekdays" IS NULL OR reporting_weekdays_valid("weekdays"))), CONSTRAINT "office_reporting_schedules_measure_id_key" UNIQUE ("measure_id"), CONSTRAINT "office_reporting_schedules_pkey" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      'CREATE INDEX "office_reporting_schedules_person_id_idx" ON "office_reporting_schedules"  ("person_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "office_reporting_schedules" ADD CONSTRAINT "office_reporting_schedules_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "office_reporting_schedules" ADD CONSTRAINT "office_reporting_schedules_measure_id_fkey" FOREIGN KEY ("measure_id") REFERENCES "measures"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "office_reporting_schedules" ADD CONSTRAINT "office_reporting_schedules_office_fkey" FOREIGN KEY ("office") REFERENCES "uiks_offices"("code") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(`GRANT SELECT, INSERT ON office_reporting_schedules TO register_app`);

    await queryRunner.query(`ALTER TABLE "check_ins" ADD "authority" text NOT NULL DEFAULT 'police'`);
    await queryRunner.query('ALTER TABLE "check_ins" ADD "office" text');
    await queryRunner.query(
      `ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_authority_check" CHECK ("authority" IN ('police', 'uiks') AND ("authority" = 'uiks') = ("office" IS NOT NULL))`,
    );
    await queryRunner.query(
      'ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_office_fkey" FOREIGN KEY ("office") REFERENCES "uiks_offices"("code") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );

    await queryRunner.query(`
      CREATE OR REPLACE VIEW register_check_ins AS
        SELECT measure_id, occurred_at, authority, office FROM check_ins WHERE voided_at IS NULL`);
    await queryRunner.query(`
      CREATE VIEW register_reporting_schedules AS
        SELECT m.id, m.id AS measure_id, m.person_id, 'police'::text AS authority,
               m.report_to AS police_administration, NULL::text AS office,
               m.schedule_kind, m.every_days, m.weekdays, m.starts_on, m.ends_on, m.status, m.status_changed_on,
               m.created_at
          FROM measures m WHERE m.type = 'periodic_reporting'
        UNION ALL
        SELECT o.id, m.id, m.person_id, 'uiks'::text, m.report_to, o.office,
               o.schedule_kind, o.every_days, o.weekdays, m.starts_on, m.ends_on, m.status, m.status_changed_on,
               o.created_at
          FROM office_reporting_schedules o JOIN measures m ON m.id = o.measure_id`);
    await queryRunner.query(`GRANT SELECT ON register_reporting_schedules TO register_app`);

    await createPeriodFunctions(queryRunner);
    await queryRunner.query(
      `DROP FUNCTION person_compliance(uuid, timestamptz, integer, integer), measure_compliance(register_reporting_measures, timestamptz, integer, integer), period_excused(uuid, date, date)`,
    );
    await createComplianceFunctions(queryRunner);
    await queryRunner.query(
      `GRANT EXECUTE ON FUNCTION schedule_compliance(register_reporting_schedules, timestamptz, integer, integer) TO register_app`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP FUNCTION person_compliance(uuid, timestamptz, integer, integer), schedule_compliance(register_reporting_schedules, timestamptz, integer, integer), period_excused(uuid, uuid, date, date)`,
    );
    await queryRunner.query(
      `DROP FUNCTION reporting_period_start(text, integer, smallint[], date, integer), reporting_period_index(text, integer, smallint[], date, date)`,
    );
    await createPreviousFunctions(queryRunner);
    await queryRunner.query(
      `GRANT EXECUTE ON FUNCTION measure_compliance(register_reporting_measures, timestamptz, integer, integer) TO register_app`,
    );
    await queryRunner.query('DROP VIEW register_reporting_schedules');
    await queryRunner.query('DROP VIEW register_check_ins');
    await queryRunner.query(`
      CREATE VIEW register_check_ins AS
        SELECT measure_id, occurred_at FROM check_ins WHERE voided_at IS NULL`);
    await queryRunner.query(`GRANT SELECT ON register_check_ins TO register_app`);
    await queryRunner.query('ALTER TABLE "check_ins" DROP CONSTRAINT "check_ins_office_fkey"');
    await queryRunner.query('ALTER TABLE "check_ins" DROP CONSTRAINT "check_ins_authority_check"');
    await queryRunner.query('ALTER TABLE "check_ins" DROP COLUMN "office"');
    await queryRunner.query('ALTER TABLE "check_ins" DROP COLUMN "authority"');
    await queryRunner.query('DROP TABLE "office_reporting_schedules"');
    await queryRunner.query('ALTER TABLE "measures" DROP CONSTRAINT "measures_weekdays_check"');
    await queryRunner.query('ALTER TABLE "measures" DROP CONSTRAINT "measures_schedule_every_days_check"');
    await queryRunner.query('ALTER TABLE "measures" DROP CONSTRAINT "measures_schedule_kind_check"');
    await queryRunner.query('ALTER TABLE "measures" DROP COLUMN "weekdays"');
    await queryRunner.query('ALTER TABLE "measures" DROP COLUMN "schedule_kind"');
    await queryRunner.query('DROP FUNCTION reporting_weekdays_valid(smallint[])');
  }
}

/**
 * The periods of a schedule, as IMMUTABLE SQL functions without sub-queries
 * (so PostgreSQL inlines them). For `weekdays`, with W the sorted chosen
 * weekdays (n of them) and m0 the Monday of startsOn's week: the chosen days
 * before a day d, counted from m0, are cnt(d) = ((d - m0) / 7) * n + |{w in W :
 * w < isodow(d)}| (`width_bucket` counts the thresholds <= its operand); the
 * period a day falls in is the number of chosen days from startsOn up to the
 * day before it; period j ends on chosen day number cnt(startsOn) + j.
 */
async function createPeriodFunctions(queryRunner: QueryRunner): Promise<void> {
  // The period `day` falls in (0 for a day before starts_on).
  await queryRunner.query(`
    CREATE FUNCTION reporting_period_index(
        kind text, every_days integer, weekdays smallint[], starts_on date, day date) RETURNS integer
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE
          WHEN $5 < $4 THEN 0
          WHEN $1 = 'every_days' THEN ($5 - $4) / $2
          WHEN $1 = 'monthly' THEN
            (extract(year FROM $5)::integer * 12 + extract(month FROM $5)::integer)
            - (extract(year FROM $4)::integer * 12 + extract(month FROM $4)::integer)
          WHEN $1 = 'weekly' THEN
            (($5 - extract(isodow FROM $5)::integer) - ($4 - extract(isodow FROM $4)::integer)) / 7
          WHEN $1 = 'weekdays' THEN
            (($5 - ($4 - extract(isodow FROM $4)::integer + 1)) / 7) * cardinality($3)
            + width_bucket((extract(isodow FROM $5)::integer - 1)::smallint, $3)
            - width_bucket((extract(isodow FROM $4)::integer - 1)::smallint, $3)
        END $$`);
  // The first day of period k (k >= 0); the natural last day of period k is the day before period k + 1's first.
  await queryRunner.query(`
    CREATE FUNCTION reporting_period_start(
        kind text, every_days integer, weekdays smallint[], starts_on date, k integer) RETURNS date
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE
          WHEN $5 <= 0 THEN $4
          WHEN $1 = 'every_days' THEN $4 + $5 * $2
          WHEN $1 = 'monthly' THEN (date_trunc('month', $4::timestamp) + make_interval(months => $5))::date
          WHEN $1 = 'weekly' THEN $4 - extract(isodow FROM $4)::integer + 1 + 7 * $5
          WHEN $1 = 'weekdays' THEN
            -- The day after period k - 1's last day, chosen day number q = cnt(starts_on) + k - 1.
            ($4 - extract(isodow FROM $4)::integer + 1)
            + 7 * ((width_bucket((extract(isodow FROM $4)::integer - 1)::smallint, $3) + $5 - 1) / cardinality($3))
            + $3[(width_bucket((extract(isodow FROM $4)::integer - 1)::smallint, $3) + $5 - 1) % cardinality($3) + 1]
        END $$`);
}

/** The compliance rules, per schedule, over register's views (the oracle states them in TypeScript). */
async function createComplianceFunctions(queryRunner: QueryRunner): Promise<void> {
  // Suspensions of the measure, or the person's custody, touching [starts_on, last_day]; an empty span has no days.
  await queryRunner.query(`
    CREATE FUNCTION period_excused(measure_id uuid, person_id uuid, starts_on date, last_day date) RETURNS boolean
      LANGUAGE sql STABLE PARALLEL SAFE
      AS $$ SELECT EXISTS (SELECT 1 FROM register_measure_suspensions s
                           WHERE s.measure_id = $1 AND s.from_on <= $4
                             AND (s.to_on IS NULL OR (s.to_on > s.from_on AND s.to_on > $3)))
                OR EXISTS (SELECT 1 FROM register_custody c
                           WHERE c.person_id = $2 AND c.from_on <= $4
                             AND (c.to_on IS NULL OR (c.to_on > c.from_on AND c.to_on > $3))) $$`);
  const start = (k: string) => `reporting_period_start(s.schedule_kind, s.every_days, s.weekdays, s.starts_on, ${k})`;
  const index = (day: string) =>
    `reporting_period_index(s.schedule_kind, s.every_days, s.weekdays, s.starts_on, ${day})`;
  await queryRunner.query(`
    CREATE FUNCTION schedule_compliance(
        s register_reporting_schedules, now timestamptz, grace_hours integer, due_soon_days integer,
        OUT status text, OUT overdue_since date, OUT next_due_at timestamptz, OUT last_check_in_at timestamptz)
      LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
      DECLARE
        today date := (now AT TIME ZONE 'Europe/Belgrade')::date;
        current_index integer;
        first_index integer;
        period_start date;
        next_start date;
        period_last date;
      BEGIN
        -- The check-ins made at this schedule's authority.
        SELECT max(c.occurred_at) INTO last_check_in_at
          FROM register_check_ins c
         WHERE c.measure_id = s.measure_id AND c.authority = s.authority AND c.office IS NOT DISTINCT FROM s.office;
        IF s.status = 'ended' OR today > s.ends_on THEN status := 'ended'; RETURN; END IF;
        IF s.status = 'suspended' THEN status := 'suspended'; RETURN; END IF;
        IF today < s.starts_on THEN
          status := 'compliant';
          next_due_at := belgrade_midnight(least(${start('1')} - 1, s.ends_on) + 1);
          RETURN;
        END IF;
        current_index := ${index('today')};
        -- Periods before the last check-in's are checked in or made up by it.
        -- (A check-in before the measure starts counts for nothing.)
        first_index := CASE
          WHEN last_check_in_at IS NULL OR (last_check_in_at AT TIME ZONE 'Europe/Belgrade')::date < s.starts_on THEN 0
          ELSE ${index("(last_check_in_at AT TIME ZONE 'Europe/Belgrade')::date")} + 1 END;
        FOR k IN first_index .. current_index LOOP
          period_start := ${start('k')};
          period_last := least(${start('k + 1')} - 1, s.ends_on);
          EXIT WHEN now < belgrade_midnight(period_last + 1) + make_interval(hours => grace_hours);
          IF NOT period_excused(s.measure_id, s.person_id, period_start, period_last) THEN
            status := 'overdue';
            overdue_since := period_last;
            EXIT;
          END IF;
        END LOOP;
        period_start := ${start('current_index')};
        next_start := ${start('current_index + 1')};
        period_last := least(next_start - 1, s.ends_on);
        IF last_check_in_at IS NOT NULL AND (last_check_in_at AT TIME ZONE 'Europe/Belgrade')::date >= period_start THEN
          IF next_start <= s.ends_on THEN
            next_due_at := belgrade_midnight(least(${start('current_index + 2')} - 1, s.ends_on) + 1);
          END IF;
        ELSE
          next_due_at := belgrade_midnight(period_last + 1);
          IF status IS NULL AND today >= period_last + 1 - due_soon_days
             AND NOT period_excused(s.measure_id, s.person_id, period_start, period_last) THEN
            status := 'due';
          END IF;
        END IF;
        status := coalesce(status, 'compliant');
      END $$`);
  // The worst over all the schedules of all the person's reporting measures.
  await createPersonCompliance(
    queryRunner,
    'register_reporting_schedules s, schedule_compliance(s, $2, $3, $4) c',
    's',
  );
}

/**
 * person_compliance in PL/pgSQL (it keeps its plan for the session): the worst
 * status over the rows `c` of `from`, those of the person (`alias`.person_id = $1).
 */
async function createPersonCompliance(queryRunner: QueryRunner, from: string, alias: string): Promise<void> {
  await queryRunner.query(`
    CREATE FUNCTION person_compliance(
        person_id uuid, now timestamptz, grace_hours integer, due_soon_days integer,
        OUT status text, OUT next_due_at timestamptz, OUT last_check_in_at timestamptz)
      LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
      BEGIN
        SELECT CASE
                 WHEN count(*) = 0 THEN 'none'
                 WHEN bool_or(c.status = 'overdue') THEN 'overdue'
                 WHEN bool_or(c.status = 'due') THEN 'due'
                 WHEN bool_or(c.status = 'compliant') THEN 'compliant'
                 WHEN bool_or(c.status = 'suspended') THEN 'suspended'
                 ELSE 'ended' END,
               min(c.next_due_at), max(c.last_check_in_at)
          INTO status, next_due_at, last_check_in_at
          FROM ${from}
         WHERE ${alias}.person_id = $1;
      END $$`);
}

/** Migration RegisterViews' functions, as they were (for down). */
async function createPreviousFunctions(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`
    CREATE FUNCTION period_excused(measure_id uuid, starts_on date, last_day date) RETURNS boolean
      LANGUAGE sql STABLE PARALLEL SAFE
      AS $$ SELECT EXISTS (SELECT 1 FROM register_measure_suspensions s
                           WHERE s.measure_id = $1 AND s.from_on <= $3 AND (s.to_on IS NULL OR s.to_on > $2)) $$`);
  await queryRunner.query(`
    CREATE FUNCTION measure_compliance(
        m register_reporting_measures, now timestamptz, grace_hours integer, due_soon_days integer,
        OUT status text, OUT overdue_since date, OUT next_due_at timestamptz, OUT last_check_in_at timestamptz)
      LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
      DECLARE
        today date := (now AT TIME ZONE 'Europe/Belgrade')::date;
        every integer := m.every_days;
        current_index integer;
        first_index integer;
        period_start date;
        period_last date;
      BEGIN
        SELECT max(c.occurred_at) INTO last_check_in_at
          FROM register_check_ins c WHERE c.measure_id = m.id;
        IF m.status = 'ended' OR today > m.ends_on THEN status := 'ended'; RETURN; END IF;
        IF m.status = 'suspended' THEN status := 'suspended'; RETURN; END IF;
        IF today < m.starts_on THEN
          status := 'compliant';
          next_due_at := belgrade_midnight(least(m.starts_on + every - 1, m.ends_on) + 1);
          RETURN;
        END IF;
        current_index := (today - m.starts_on) / every;
        first_index := CASE
          WHEN last_check_in_at IS NULL OR (last_check_in_at AT TIME ZONE 'Europe/Belgrade')::date < m.starts_on THEN 0
          ELSE ((last_check_in_at AT TIME ZONE 'Europe/Belgrade')::date - m.starts_on) / every + 1 END;
        FOR k IN first_index .. current_index LOOP
          period_start := m.starts_on + k * every;
          period_last := least(period_start + every - 1, m.ends_on);
          EXIT WHEN now < belgrade_midnight(period_last + 1) + make_interval(hours => grace_hours);
          IF NOT period_excused(m.id, period_start, period_last) THEN
            status := 'overdue';
            overdue_since := period_last;
            EXIT;
          END IF;
        END LOOP;
        period_start := m.starts_on + current_index * every;
        period_last := least(period_start + every - 1, m.ends_on);
        IF last_check_in_at IS NOT NULL AND (last_check_in_at AT TIME ZONE 'Europe/Belgrade')::date >= period_start THEN
          IF period_start + every <= m.ends_on THEN
            next_due_at := belgrade_midnight(least(period_start + 2 * every - 1, m.ends_on) + 1);
          END IF;
        ELSE
          next_due_at := belgrade_midnight(period_last + 1);
          IF status IS NULL AND today >= period_last + 1 - due_soon_days
             AND NOT period_excused(m.id, period_start, period_last) THEN
            status := 'due';
          END IF;
        END IF;
        status := coalesce(status, 'compliant');
      END $$`);
  await createPersonCompliance(queryRunner, 'register_reporting_measures m, measure_compliance(m, $2, $3, $4) c', 'm');
}
