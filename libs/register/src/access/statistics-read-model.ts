import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { positional } from '@app/common';
import type { Principal } from '@app/authz';
import { PersonAccess } from './person-access';

/** The figures of one group, or of the whole (every person once). */
export interface StatisticsFigures {
  personsRegistered: number;
  withActiveMeasures: number;
  inCustody: number;
  compliant: number;
  overdue: number;
  nonCompliant: number;
  checkIns: number;
  missedPeriods: number;
  lateNotices: number;
  breaches: number;
  referrals: number;
  failureConvictions: number;
  transfersIn: number;
  transfersOut: number;
  vettingRequests: number;
  disclosures: number;
}

export const FIGURE_NAMES: readonly (keyof StatisticsFigures)[] = [
  'personsRegistered',
  'withActiveMeasures',
  'inCustody',
  'compliant',
  'overdue',
  'nonCompliant',
  'checkIns',
  'missedPeriods',
  'lateNotices',
  'breaches',
  'referrals',
  'failureConvictions',
  'transfersIn',
  'transfersOut',
  'vettingRequests',
  'disclosures',
];

/** Groupings the read model computes in one statement (months are one statement each). */
export type PersonGrouping = 'region' | 'offence' | 'measure' | null;

export interface StatisticsQuery {
  /** First day of the flows (Belgrade). */
  from: string;
  /** The day: stocks at its end, flows up to it (inclusive). */
  asOf: string;
  groupBy: PersonGrouping;
  /** Vetting requests (no person) are counted only for callers with national reach. */
  national: boolean;
  graceHours: number;
  dueSoonDays: number;
}

export interface StatisticsResult {
  groups: Map<string, StatisticsFigures>;
  total: StatisticsFigures;
}

const COLUMNS: Record<keyof StatisticsFigures, string> = {
  personsRegistered: 'persons_registered',
  withActiveMeasures: 'with_active_measures',
  inCustody: 'in_custody',
  compliant: 'compliant',
  overdue: 'overdue',
  nonCompliant: 'non_compliant',
  checkIns: 'check_ins',
  missedPeriods: 'missed_periods',
  lateNotices: 'late_notices',
  breaches: 'breaches',
  referrals: 'referrals',
  failureConvictions: 'failure_convictions',
  transfersIn: 'transfers_in',
  transfersOut: 'transfers_out',
  vettingRequests: 'vetting_requests',
  disclosures: 'disclosures',
};

/** The person-level figures summed per group and in all (transfers and vetting requests are added apart). */
const PERSON_FIGURES = FIGURE_NAMES.filter((f) => !['transfersIn', 'transfersOut', 'vettingRequests'].includes(f)).map(
  (f) => COLUMNS[f],
);

/** The first instant of the flows, the end of the day (the moment), and the day: $1 from, $2 asOf. */
const F = 'belgrade_midnight($1::date)';
const C = 'belgrade_midnight($2::date + 1)';
const D = '$2::date';
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
 * The register's figures, computed from what it had recorded by the end of a
 * day (README "Statistics"): one set-based statement per call, in the
 * caller's transaction, with the caller's scope (the `read` rule on
 * Statistics, over the persons' regions as of that day) from the one place
 * that says what a caller reaches. Compliance is each schedule's at the last
 * instant of the day, its views answering as of that moment (`register.as_of`,
 * migration Statistics), and the person's the worst of theirs, or
 * non-compliant with an open referral (`compliance_worst`). The statuses of a
 * person's schedules come from the person's stored state when one is valid
 * then (migration PersonStates), else each schedule's from its stored state
 * when one is valid then (migration ComplianceStates), else from
 * `schedule_compliance`. A stored state is valid when the day is today or
 * later, the person's generation is the state's, the settings are the
 * state's and the moment lies in the state's window.
 */
@Injectable()
export class StatisticsReadModel {
  constructor(private readonly access: PersonAccess) {}

  async figures(manager: EntityManager, principal: Principal, query: StatisticsQuery): Promise<StatisticsResult> {
    const base: unknown[] = [query.from, query.asOf, query.graceHours, query.dueSoonDays, query.national];
    const scope = positional(this.access.scope(principal, 'read', 'Statistics', 'person'), base.length);
    const into = positional(
      this.access.scope(principal, 'read', 'Statistics', 'dest'),
      base.length + scope.params.length,
    );
    const out = positional(
      this.access.scope(principal, 'read', 'Statistics', 'orig'),
      base.length + scope.params.length + into.params.length,
    );
    const params = [...base, ...scope.params, ...into.params, ...out.params];
    // The moment is the end of the day: for a past day, every view compliance reads answers as recorded by
    // then; today (the moment not yet come), what is recorded now is what is recorded by then, and the views
    // answer as they are. One statement over the whole register: hashes and sorts in memory, and no JIT
    // compilation (it costs more than it saves here).
    await manager.query(
      `SELECT set_config('register.as_of', CASE WHEN m < now() THEN m::text ELSE '' END, true),
              set_config('work_mem', '64MB', true), set_config('jit', 'off', true)
         FROM (SELECT belgrade_midnight($1::date + 1) - interval '1 microsecond' AS m) moment`,
      [query.asOf],
    );
    const membership = this.membership(query.groupBy);
    const sum = (columns: string[]) => columns.map((c) => `coalesce(sum(${c}), 0)::integer AS ${c}`).join(', ');
    const rows: Record<string, unknown>[] = await manager.query(
      `
      WITH measures_as_of AS MATERIALIZED (${MEASURES_AS_OF}),
      regions_as_of AS (
        SELECT u.person_id, array_agg(u.region) AS regions
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
         WHERE ${scope.sql}
      ),
      active AS (
        SELECT DISTINCT ma.person_id FROM measures_as_of ma
         WHERE ma.status = 'active' AND ma.starts_on <= ${D} AND ma.ends_on >= ${D}
      ),
      custody AS (
        SELECT DISTINCT k.person_id
          FROM register_custody k JOIN convictions cv ON cv.id = k.conviction_id
         WHERE cv.created_at < ${C} AND k.from_on <= ${D} AND (k.to_on IS NULL OR k.to_on > ${D})
      ),
      compliance_of AS MATERIALIZED (
        SELECT p.id AS person_id, coalesce(g.generation, 0) AS generation, ps.statuses AS stored
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
      status AS (
        SELECT coalesce(sc.person_id, rf.person_id) AS person_id,
               compliance_worst(sc.statuses, coalesce(rf.open, 0)::integer) AS status
          FROM (SELECT person_id, stored AS statuses FROM compliance_of WHERE stored IS NOT NULL
                UNION ALL
                SELECT person_id, array_agg(status) AS statuses FROM schedules GROUP BY person_id) sc
          FULL JOIN (SELECT person_id, count(*) AS open FROM register_referrals
                      WHERE outcome IS NULL AND person_id IN (SELECT id FROM p) GROUP BY person_id) rf ON rf.person_id = sc.person_id
      ),
      flows AS (
        SELECT person_id, sum(check_ins) AS check_ins, sum(missed_periods) AS missed_periods,
               sum(late_notices) AS late_notices, sum(breaches) AS breaches, sum(referrals) AS referrals,
               sum(failure_convictions) AS failure_convictions, sum(disclosures) AS disclosures
          FROM (
            SELECT ci.person_id, count(*) AS check_ins, 0 AS missed_periods, 0 AS late_notices, 0 AS breaches,
                   0 AS referrals, 0 AS failure_convictions, 0 AS disclosures
              FROM check_ins ci
             WHERE ci.created_at >= ${F} AND ci.created_at < ${C} AND (ci.voided_at IS NULL OR ci.voided_at >= ${C})
             GROUP BY ci.person_id
            UNION ALL
            SELECT al.person_id, 0, 1, 0, 0, 0, 0, 0 FROM alerts al
             WHERE al.kind = 'missed_check_in' AND al.raised_at >= ${F} AND al.raised_at < ${C}
            UNION ALL
            SELECT n.person_id, 0, 0, 1, 0, 0, 0, 0 FROM notifications n
             WHERE n.on_time = false AND n.created_at >= ${F} AND n.created_at < ${C}
               AND (n.voided_at IS NULL OR n.voided_at >= ${C})
            UNION ALL
            SELECT br.person_id, 0, 0, 0, 1, 0, 0, 0 FROM breaches br
             WHERE br.created_at >= ${F} AND br.created_at < ${C} AND (br.voided_at IS NULL OR br.voided_at >= ${C})
            UNION ALL
            SELECT r.person_id, 0, 0, 0, 0, 1, 0, 0 FROM referrals r
             WHERE r.created_at >= ${F} AND r.created_at < ${C} AND (r.voided_at IS NULL OR r.voided_at >= ${C})
            UNION ALL
            SELECT r.person_id, 0, 0, 0, 0, 0, 1, 0 FROM referrals r
             WHERE r.outcome IS NOT NULL AND coalesce(r.outcome_recorded_at, r.created_at) >= ${F}
               AND coalesce(r.outcome_recorded_at, r.created_at) < ${C}
               AND (r.voided_at IS NULL OR r.voided_at >= ${C})
               AND coalesce((SELECT x.after->>'outcome' FROM person_history x
                              WHERE x.part_id = r.id AND x.part = 'referral' AND x.at < ${C}
                                AND x.change IN ('outcome', 'correct_outcome')
                              ORDER BY x.at DESC LIMIT 1), r.outcome) = 'convicted'
            UNION ALL
            SELECT ds.person_id, 0, 0, 0, 0, 0, 0, 1 FROM disclosures ds
             WHERE ds.created_at >= ${F} AND ds.created_at < ${C}
          ) f
         GROUP BY person_id
      ),
      per_person AS (
        SELECT p.id, 1 AS persons_registered,
               (a.person_id IS NOT NULL)::integer AS with_active_measures,
               (k.person_id IS NOT NULL)::integer AS in_custody,
               (s.status IN ('compliant', 'due'))::integer AS compliant,
               (s.status = 'overdue')::integer AS overdue,
               (s.status = 'non_compliant')::integer AS non_compliant,
               coalesce(fl.check_ins, 0) AS check_ins, coalesce(fl.missed_periods, 0) AS missed_periods,
               coalesce(fl.late_notices, 0) AS late_notices, coalesce(fl.breaches, 0) AS breaches,
               coalesce(fl.referrals, 0) AS referrals, coalesce(fl.failure_convictions, 0) AS failure_convictions,
               coalesce(fl.disclosures, 0) AS disclosures
          FROM p
          LEFT JOIN active a ON a.person_id = p.id
          LEFT JOIN custody k ON k.person_id = p.id
          LEFT JOIN status s ON s.person_id = p.id
          LEFT JOIN flows fl ON fl.person_id = p.id
      ),
      moves AS (
        SELECT t.person_id, t.from_administration, t.to_administration,
               (SELECT ${into.sql} FROM (SELECT ARRAY[t.to_administration]::text[] AS regions) dest) AS counts_in,
               (SELECT ${out.sql} FROM (SELECT ARRAY[t.from_administration]::text[] AS regions) orig) AS counts_out
          FROM transfers t
         WHERE t.created_at >= ${F} AND t.created_at < ${C}
      ),
      members AS (${membership})
      SELECT NULL AS key, ${sum(PERSON_FIGURES)},
             (SELECT count(*) FILTER (WHERE counts_in) FROM moves)::integer AS transfers_in,
             (SELECT count(*) FILTER (WHERE counts_out) FROM moves)::integer AS transfers_out,
             CASE WHEN $5::boolean THEN (SELECT count(*) FROM vetting_requests v
                                          WHERE v.created_at >= ${F} AND v.created_at < ${C}) ELSE 0 END::integer
               AS vetting_requests
        FROM per_person
      UNION ALL
      SELECT g.key, ${sum(PERSON_FIGURES)},
             coalesce(max(mv.transfers_in), 0)::integer, coalesce(max(mv.transfers_out), 0)::integer, 0
        FROM members g JOIN per_person pp ON pp.id = g.person_id
        LEFT JOIN (${this.moves(query.groupBy)}) mv ON mv.key = g.key
       GROUP BY g.key
      UNION ALL
      SELECT mv.key, ${PERSON_FIGURES.map(() => '0').join(', ')}, mv.transfers_in::integer, mv.transfers_out::integer, 0
        FROM (${this.moves(query.groupBy)}) mv
       WHERE NOT EXISTS (SELECT 1 FROM members g WHERE g.key = mv.key)`,
      params,
    );
    const groups = new Map<string, StatisticsFigures>();
    let total: StatisticsFigures | null = null;
    for (const row of rows) {
      const figures = Object.fromEntries(
        FIGURE_NAMES.map((f) => [f, Number(row[COLUMNS[f]])]),
      ) as unknown as StatisticsFigures;
      if (row.key === null) total = figures;
      else groups.set(String(row.key), figures);
    }
    return { groups, total: total! };
  }

  /** Which group each person within reach falls in (a person may fall in several). */
  private membership(groupBy: PersonGrouping): string {
    switch (groupBy) {
      case 'region':
        return 'SELECT p.id AS person_id, unnest(p.regions) AS key FROM p';
      case 'offence':
        return `SELECT DISTINCT cv.person_id, o->>'article' AS key
                  FROM convictions cv CROSS JOIN LATERAL jsonb_array_elements(cv.offences) o
                 WHERE cv.created_at < ${C} AND cv.person_id IN (SELECT id FROM p)`;
      case 'measure':
        return `SELECT DISTINCT ma.person_id, ma.type AS key FROM measures_as_of ma
                 WHERE ma.status = 'active' AND ma.starts_on <= ${D} AND ma.ends_on >= ${D}
                   AND ma.person_id IN (SELECT id FROM p)`;
      default:
        return 'SELECT NULL::uuid AS person_id, NULL::text AS key WHERE false';
    }
  }

  /**
   * Transfers per group: by region, into the administration moved to and out
   * of the one left (within the caller's reach); by offence or measure, the
   * transfers of the group's persons (each one in and one out).
   */
  private moves(groupBy: PersonGrouping): string {
    if (groupBy === 'region') {
      return `SELECT key, sum(i)::integer AS transfers_in, sum(o)::integer AS transfers_out FROM (
                SELECT to_administration AS key, 1 AS i, 0 AS o FROM moves WHERE counts_in
                UNION ALL SELECT from_administration, 0, 1 FROM moves WHERE counts_out) x GROUP BY key`;
    }
    return `SELECT g.key, count(*) AS transfers_in, count(*) AS transfers_out
              FROM moves mv JOIN members g ON g.person_id = mv.person_id GROUP BY g.key`;
  }
}
