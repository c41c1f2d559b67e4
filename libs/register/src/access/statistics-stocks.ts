import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/common';

/** Distinct from the compliance scan's and the audit sealer's locks. */
const RECORD_LOCK = 7_340_103;
/** Recording a day computes every person's stocks as of its end: minutes at a national register. */
const RECORD_TIMEOUT_MS = 600_000;
/**
 * A day is recorded once it ended this long ago: every transaction that
 * began before its end (and so may still record something in it) has ended
 * by then (statements time out after seconds, the worker's after minutes).
 */
const SETTLE = "interval '1 hour'";

/**
 * The first instant of the flows, the end of the day (the moment), and the
 * day: $1 from, $2 asOf; `S`, a later first instant of the flows ($6 since).
 */
export const F = 'belgrade_midnight($1::date)';
export const S = 'belgrade_midnight($6::date)';
export const C = 'belgrade_midnight($2::date + 1)';
export const D = '$2::date';
/** The last instant of the day: compliance's moment. */
const M = `(${C} - interval '1 microsecond')`;

/**
 * A measure as the register had recorded it by the moment `${C}`: the row
 * itself when nothing of it changed since (the usual case, and data loaded
 * without history), else the measure's view in the person's history just
 * before the moment (its status, term and authority after an act or a
 * correction recorded later are not that day's).
 */
const MEASURES_AS_OF = `
  SELECT m.id, m.person_id, m.type,
         CASE WHEN ch.part_id IS NULL THEN m.status ELSE h.after->>'status' END AS status,
         CASE WHEN ch.part_id IS NULL THEN m.starts_on ELSE (h.after->>'startsOn')::date END AS starts_on,
         CASE WHEN ch.part_id IS NULL THEN m.ends_on ELSE (h.after->>'endsOn')::date END AS ends_on,
         CASE WHEN ch.part_id IS NULL THEN m.report_to ELSE h.after->>'reportTo' END AS report_to
    FROM measures m
    LEFT JOIN (SELECT DISTINCT x.person_id, x.part_id FROM person_history x
                WHERE x.part = 'measure' AND x.at >= ${C}) ch ON ch.part_id = m.id
    LEFT JOIN LATERAL (SELECT x.after FROM person_history x
                        WHERE ch.part_id IS NOT NULL AND x.person_id = ch.person_id AND x.part_id = ch.part_id
                          AND x.at < ${C}
                        ORDER BY x.at DESC LIMIT 1) h ON true
   WHERE m.created_at < ${C}`;

/**
 * The addresses current at the moment as recorded then: the newest of each
 * person and kind recorded by then, unless it had already been closed
 * without a successor (a later successor closed it after the moment).
 */
const ADDRESSES_AS_OF = `
  SELECT a.person_id, a.police_administration
    FROM addresses a
   WHERE a.created_at < ${C}
     AND NOT EXISTS (SELECT 1 FROM addresses n WHERE n.person_id = a.person_id AND n.kind = a.kind
                        AND n.created_at > a.created_at AND n.created_at < ${C})
     AND (a.valid_to IS NULL OR EXISTS (SELECT 1 FROM addresses n WHERE n.person_id = a.person_id
                                          AND n.kind = a.kind AND n.created_at > a.created_at))`;

/**
 * Each person's stock at the end of the day, computed (CTE `stock`: id,
 * regions, active_types, in_custody, status), for the persons within
 * `scope` (over `person.regions`). Compliance is each schedule's at the last
 * instant of the day, its views answering as of that moment
 * (`register.as_of`, migration Statistics), and the person's the worst of
 * theirs, or non-compliant with an open referral (`compliance_worst`). The
 * statuses of a person's schedules come from the person's stored state when
 * one is valid then (migration PersonStates), else each schedule's from its
 * stored state when one is valid then (migration ComplianceStates), else
 * from `schedule_compliance`. A stored state is valid when the day is today
 * or later, the person's generation is the state's, the settings are the
 * state's and the moment lies in the state's window.
 */
export function liveStocks(scope: string): string {
  return `
      measures_as_of AS MATERIALIZED (${MEASURES_AS_OF}),
      regions_as_of AS (
        SELECT u.person_id, array_agg(u.region ORDER BY u.region) AS regions
          FROM (SELECT person_id, police_administration AS region FROM (${ADDRESSES_AS_OF}) a
                UNION
                SELECT person_id, report_to FROM measures_as_of WHERE status = 'active' AND report_to IS NOT NULL) u
         GROUP BY u.person_id
      ),
      p AS MATERIALIZED (
        SELECT person.id, person.regions
          FROM (-- Today: the regions as the register keeps them (current addresses, active measures' reportTo).
                SELECT per.id, per.regions FROM persons per WHERE ${M} >= now() AND per.created_at < ${C}
                UNION ALL
                SELECT per.id, coalesce(r.regions, '{}'::text[]) AS regions
                  FROM persons per
                  LEFT JOIN regions_as_of r ON r.person_id = per.id
                 WHERE ${M} < now() AND per.created_at < ${C}) person
         WHERE ${scope}
      ),
      active AS (
        -- Each person's types once, in order (one sort, not one per person).
        SELECT x.person_id, array_agg(x.type) AS types
          FROM (SELECT DISTINCT ma.person_id, ma.type FROM measures_as_of ma
                 WHERE ma.status = 'active' AND ma.starts_on <= ${D} AND ma.ends_on >= ${D}
                 ORDER BY ma.person_id, ma.type) x
         GROUP BY x.person_id
      ),
      custody AS (
        SELECT DISTINCT k.person_id
          FROM register_custody k JOIN convictions cv ON cv.id = k.conviction_id
         WHERE cv.created_at < ${C} AND k.from_on <= ${D} AND (k.to_on IS NULL OR k.to_on > ${D})
      ),
      compliance_of AS MATERIALIZED (
        SELECT p.id AS person_id, p.regions, coalesce(g.generation, 0) AS generation, ps.statuses AS stored
          FROM p
          LEFT JOIN compliance_generations g ON g.person_id = p.id
          LEFT JOIN person_states ps
                 ON ps.person_id = p.id AND ps.generation = coalesce(g.generation, 0)
                AND ps.grace_hours = $3 AND ps.due_soon_days = $4
                AND ${M} >= ps.valid_from AND ${M} < ps.valid_until AND ${M} >= now()
      ),
      schedules AS MATERIALIZED (
        SELECT s.person_id,
               CASE WHEN st.status IS NOT NULL THEN st.status
                    ELSE (schedule_compliance(s, ${M}, $3, $4)).status END AS status
          FROM register_reporting_schedules s
          JOIN compliance_of c ON c.person_id = s.person_id AND c.stored IS NULL
          LEFT JOIN schedule_states st
                 ON st.schedule_id = s.id AND st.generation = c.generation
                AND st.grace_hours = $3 AND st.due_soon_days = $4
                AND ${M} >= st.valid_from AND ${M} < st.valid_until AND ${M} >= now()
      ),
      computed AS (SELECT person_id, array_agg(status) AS statuses FROM schedules GROUP BY person_id),
      referred AS (
        SELECT person_id, count(*)::integer AS open FROM register_referrals WHERE outcome IS NULL GROUP BY person_id
      ),
      stock AS MATERIALIZED (
        SELECT c.person_id AS id, c.regions, coalesce(a.types, '{}'::text[]) AS active_types,
               (k.person_id IS NOT NULL) AS in_custody,
               CASE WHEN coalesce(c.stored, sc.statuses) IS NOT NULL OR r.open IS NOT NULL
                    THEN compliance_worst(coalesce(c.stored, sc.statuses), coalesce(r.open, 0)) END AS status
          FROM compliance_of c
          LEFT JOIN active a ON a.person_id = c.person_id
          LEFT JOIN custody k ON k.person_id = c.person_id
          LEFT JOIN computed sc ON sc.person_id = c.person_id
          LEFT JOIN referred r ON r.person_id = c.person_id
      )`;
}

/**
 * The same stocks as recorded once the day had ended (migration
 * StatisticsDays): the run of each person holding the day, for the rules'
 * settings. Only for a day inside the recorded span.
 */
export function recordedStocks(scope: string): string {
  return `
      stock AS MATERIALIZED (
        SELECT person.person_id AS id, person.regions, person.active_types, person.in_custody, person.status
          FROM statistics_day_stocks person
         WHERE person.grace_hours = $3 AND person.due_soon_days = $4 AND person.from_day <= ${D}
           AND (person.to_day IS NULL OR person.to_day >= ${D}) AND ${scope}
      )`;
}

/**
 * Sets the transaction up for a day's figures and answers whether its stocks
 * are recorded. The moment is the end of the day: for a past day, every view
 * compliance reads answers as recorded by then; today (the moment not yet
 * come), what is recorded now is what is recorded by then, and the views
 * answer as they are. One statement over the whole register: hashes and sorts
 * in memory, and no JIT compilation (it costs more than it saves here).
 */
export async function prepareDay(
  manager: EntityManager,
  day: string,
  graceHours: number,
  dueSoonDays: number,
): Promise<boolean> {
  const [{ recorded }]: { recorded: boolean }[] = await manager.query(
    `SELECT set_config('register.as_of', CASE WHEN m < now() THEN m::text ELSE '' END, true),
            set_config('work_mem', '64MB', true), set_config('jit', 'off', true),
            EXISTS (SELECT 1 FROM statistics_days d
                     WHERE d.grace_hours = $2 AND d.due_soon_days = $3
                       AND $1::date BETWEEN d.first_day AND d.last_day) AS recorded
       FROM (SELECT belgrade_midnight($1::date + 1) - interval '1 microsecond' AS m) moment`,
    [day, graceHours, dueSoonDays],
  );
  return recorded;
}

/**
 * The recorded days (migration StatisticsDays, README "Statistics"): each
 * day that has ended for good is recorded once, in order, by the worker
 * (`StatisticsDaysJob`) or an operator (`statistics:record`), so that a past
 * day's figures read every person's stocks instead of computing them.
 */
@Injectable()
export class StatisticsDays {
  private readonly logger = new Logger(StatisticsDays.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Records each day ended for good after the recorded span, one
   * transaction each, oldest first; when nothing is recorded yet, from
   * `startOn` (default: the last day ended for good). Answers the days
   * recorded (none while another worker holds the recording).
   */
  async recordEnded(startOn?: string): Promise<string[]> {
    const done: string[] = [];
    for (;;) {
      const day = await this.dataSource.transaction((manager) => this.recordNext(manager, startOn ?? null));
      if (!day) return done;
      done.push(day);
      this.logger.log({ day }, 'statistics day recorded');
    }
  }

  private async recordNext(manager: EntityManager, startOn: string | null): Promise<string | null> {
    const { graceHours, dueSoonDays } = this.config.compliance;
    const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [RECORD_LOCK]);
    if (!locked) return null;
    const [{ day }]: { day: string | null }[] = await manager.query(
      `SELECT CASE WHEN n.day <= n.settled THEN n.day::text END AS day
         FROM (SELECT coalesce((SELECT d.last_day + 1 FROM statistics_days d
                                 WHERE d.grace_hours = $1 AND d.due_soon_days = $2),
                               $3::date, s.settled) AS day, s.settled
                 FROM (SELECT ((now() - ${SETTLE}) AT TIME ZONE 'Europe/Belgrade')::date - 1 AS settled) s) n`,
      [graceHours, dueSoonDays, startOn],
    );
    if (!day) return null;
    await manager.query(`SELECT set_config('statement_timeout', $1, true)`, [String(RECORD_TIMEOUT_MS)]);
    await prepareDay(manager, day, graceHours, dueSoonDays);
    // Every registered person's stocks as of the day's end; the runs that changed are closed the day before
    // and new ones opened ($1 and $2 are both the day: $2 is the stocks' day, as in the figures).
    await manager.query(
      `
      WITH ${liveStocks('TRUE')},
      closed AS (
        UPDATE statistics_day_stocks x SET to_day = $1::date - 1
         WHERE x.grace_hours = $3 AND x.due_soon_days = $4 AND x.to_day IS NULL
           AND NOT EXISTS (SELECT 1 FROM stock s
                            WHERE s.id = x.person_id AND s.regions = x.regions AND s.active_types = x.active_types
                              AND s.in_custody = x.in_custody AND s.status IS NOT DISTINCT FROM x.status)
        RETURNING x.person_id
      ),
      opened AS (
        INSERT INTO statistics_day_stocks (person_id, grace_hours, due_soon_days, from_day, regions, active_types,
                                           in_custody, status)
        SELECT s.id, $3, $4, $1::date, s.regions, s.active_types, s.in_custody, s.status
          FROM stock s
         WHERE s.id IN (SELECT person_id FROM closed)
            OR NOT EXISTS (SELECT 1 FROM statistics_day_stocks x
                            WHERE x.person_id = s.id AND x.grace_hours = $3 AND x.due_soon_days = $4
                              AND x.to_day IS NULL)
      )
      INSERT INTO statistics_days (grace_hours, due_soon_days, first_day, last_day)
      VALUES ($3, $4, $1::date, $1::date)
      ON CONFLICT (grace_hours, due_soon_days) DO UPDATE SET last_day = excluded.last_day`,
      [day, day, graceHours, dueSoonDays],
    );
    return day;
  }
}
