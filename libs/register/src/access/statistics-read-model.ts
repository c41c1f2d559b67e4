import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { positional } from '@app/common';
import type { Principal } from '@app/authz';
import { PersonAccess } from './person-access';
import { C, F, liveStocks, prepareDay, recordedStocks, S } from './statistics-stocks';

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

/** Groupings the read model computes in one statement (months: one statement each but the last, see `since`). */
export type PersonGrouping = 'region' | 'offence' | 'measure' | null;

export interface StatisticsQuery {
  /** First day of the flows (Belgrade). */
  from: string;
  /** The day: stocks at its end, flows up to it (inclusive). */
  asOf: string;
  /**
   * A later first day of the flows (the last month's, by month): the result's
   * `since` is the same day's figures with the flows from it.
   */
  since?: string;
  groupBy: PersonGrouping;
  /** Vetting requests (no person) are counted only for callers with national reach. */
  national: boolean;
  graceHours: number;
  dueSoonDays: number;
}

export interface StatisticsResult {
  groups: Map<string, StatisticsFigures>;
  total: StatisticsFigures;
  /** With `since`: the total with the flows from it. */
  since: StatisticsFigures | null;
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

/** The stocks at the end of the day, per person. */
const STOCKS = ['persons_registered', 'with_active_measures', 'in_custody', 'compliant', 'overdue', 'non_compliant'];
/** The flows counted per person (transfers and vetting requests are counted apart). */
const FLOWS = [
  'check_ins',
  'missed_periods',
  'late_notices',
  'breaches',
  'referrals',
  'failure_convictions',
  'disclosures',
];

/** The flows of events other than check-ins (few: counted together). */
const EVENT_FLOWS = FLOWS.filter((f) => f !== 'check_ins');

/** The person-level figures summed per group and in all (in FIGURE_NAMES' order, the others left out). */
const PERSON_FIGURES = [...STOCKS, ...FLOWS];

/**
 * The register's figures, computed from what it had recorded by the end of a
 * day (README "Statistics"): one set-based statement per call, in the
 * caller's transaction, with the caller's scope (the `read` rule on
 * Statistics, over the persons' regions as of that day) from the one place
 * that says what a caller reaches. The persons' stocks (regions, active
 * measures, custody, compliance) are recorded for a day the worker has
 * recorded (`StatisticsDays`, migration StatisticsDays), and computed otherwise
 * (`liveStocks`); the flows are counted from the register's rows.
 */
@Injectable()
export class StatisticsReadModel {
  constructor(private readonly access: PersonAccess) {}

  async figures(manager: EntityManager, principal: Principal, query: StatisticsQuery): Promise<StatisticsResult> {
    const base: unknown[] = [
      query.from,
      query.asOf,
      query.graceHours,
      query.dueSoonDays,
      query.national,
      query.since ?? query.from,
    ];
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
    const recorded = await prepareDay(manager, query.asOf, query.graceHours, query.dueSoonDays);
    const membership = this.membership(query.groupBy);
    const sum = (columns: string[], as = columns) =>
      columns.map((c, i) => `coalesce(sum(${c}), 0)::integer AS ${as[i]}`).join(', ');
    /** The flows from `since` (each counted in the flows from `from` too). */
    const sinceFlows = FLOWS.map((f) => `${f}_since`);
    const rows: Record<string, unknown>[] = await manager.query(
      `
      WITH ${recorded ? recordedStocks(scope.sql) : liveStocks(scope.sql)},
      check_in_flows AS (
        SELECT ci.person_id, count(*) AS check_ins, count(*) FILTER (WHERE ci.created_at >= ${S}) AS check_ins_since
          FROM check_ins ci
         WHERE ci.created_at >= ${F} AND ci.created_at < ${C} AND (ci.voided_at IS NULL OR ci.voided_at >= ${C})
         GROUP BY ci.person_id
      ),
      flows AS (
        SELECT person_id, ${EVENT_FLOWS.map((f) => `sum(${f}) AS ${f}`).join(', ')},
               ${EVENT_FLOWS.map((f) => `sum(${f}) FILTER (WHERE recent) AS ${f}_since`).join(', ')}
          FROM (
            SELECT al.person_id, al.raised_at >= ${S} AS recent, 1 AS missed_periods, 0 AS late_notices,
                   0 AS breaches, 0 AS referrals, 0 AS failure_convictions, 0 AS disclosures
              FROM alerts al
             WHERE al.kind = 'missed_check_in' AND al.raised_at >= ${F} AND al.raised_at < ${C}
            UNION ALL
            SELECT n.person_id, n.created_at >= ${S}, 0, 1, 0, 0, 0, 0 FROM notifications n
             WHERE n.on_time = false AND n.created_at >= ${F} AND n.created_at < ${C}
               AND (n.voided_at IS NULL OR n.voided_at >= ${C})
            UNION ALL
            SELECT br.person_id, br.created_at >= ${S}, 0, 0, 1, 0, 0, 0 FROM breaches br
             WHERE br.created_at >= ${F} AND br.created_at < ${C} AND (br.voided_at IS NULL OR br.voided_at >= ${C})
            UNION ALL
            SELECT r.person_id, r.created_at >= ${S}, 0, 0, 0, 1, 0, 0 FROM referrals r
             WHERE r.created_at >= ${F} AND r.created_at < ${C} AND (r.voided_at IS NULL OR r.voided_at >= ${C})
            UNION ALL
            SELECT r.person_id, coalesce(r.outcome_recorded_at, r.created_at) >= ${S}, 0, 0, 0, 0, 1, 0
              FROM referrals r
             WHERE r.outcome IS NOT NULL AND coalesce(r.outcome_recorded_at, r.created_at) >= ${F}
               AND coalesce(r.outcome_recorded_at, r.created_at) < ${C}
               AND (r.voided_at IS NULL OR r.voided_at >= ${C})
               AND coalesce((SELECT x.after->>'outcome' FROM person_history x
                              WHERE x.part_id = r.id AND x.part = 'referral' AND x.at < ${C}
                                AND x.change IN ('outcome', 'correct_outcome')
                              ORDER BY x.at DESC LIMIT 1), r.outcome) = 'convicted'
            UNION ALL
            SELECT ds.person_id, ds.created_at >= ${S}, 0, 0, 0, 0, 0, 1 FROM disclosures ds
             WHERE ds.created_at >= ${F} AND ds.created_at < ${C}
          ) f
         GROUP BY person_id
      ),
      per_person AS (
        SELECT s.id, 1 AS persons_registered,
               (cardinality(s.active_types) > 0)::integer AS with_active_measures,
               s.in_custody::integer AS in_custody,
               (s.status IN ('compliant', 'due'))::integer AS compliant,
               (s.status = 'overdue')::integer AS overdue,
               (s.status = 'non_compliant')::integer AS non_compliant,
               coalesce(ci.check_ins, 0) AS check_ins, coalesce(ci.check_ins_since, 0) AS check_ins_since,
               ${[...EVENT_FLOWS, ...EVENT_FLOWS.map((f) => `${f}_since`)].map((f) => `coalesce(fl.${f}, 0) AS ${f}`).join(', ')}
          FROM stock s
          LEFT JOIN check_in_flows ci ON ci.person_id = s.id
          LEFT JOIN flows fl ON fl.person_id = s.id
      ),
      moves AS (
        SELECT t.person_id, t.from_administration, t.to_administration, t.created_at >= ${S} AS recent,
               (SELECT ${into.sql} FROM (SELECT ARRAY[t.to_administration]::text[] AS regions) dest) AS counts_in,
               (SELECT ${out.sql} FROM (SELECT ARRAY[t.from_administration]::text[] AS regions) orig) AS counts_out
          FROM transfers t
         WHERE t.created_at >= ${F} AND t.created_at < ${C}
      ),
      members AS (${membership})
      SELECT 'total' AS part, NULL AS key, ${sum(PERSON_FIGURES)},
             (SELECT count(*) FILTER (WHERE counts_in) FROM moves)::integer AS transfers_in,
             (SELECT count(*) FILTER (WHERE counts_out) FROM moves)::integer AS transfers_out,
             CASE WHEN $5::boolean THEN (SELECT count(*) FROM vetting_requests v
                                          WHERE v.created_at >= ${F} AND v.created_at < ${C}) ELSE 0 END::integer
               AS vetting_requests
        FROM per_person
      UNION ALL
      SELECT 'group', g.key, ${sum(PERSON_FIGURES)},
             coalesce(max(mv.transfers_in), 0)::integer, coalesce(max(mv.transfers_out), 0)::integer, 0
        FROM members g JOIN per_person pp ON pp.id = g.person_id
        LEFT JOIN (${this.moves(query.groupBy)}) mv ON mv.key = g.key
       GROUP BY g.key
      UNION ALL
      SELECT 'group', mv.key, ${PERSON_FIGURES.map(() => '0').join(', ')}, mv.transfers_in::integer,
             mv.transfers_out::integer, 0
        FROM (${this.moves(query.groupBy)}) mv
       WHERE NOT EXISTS (SELECT 1 FROM members g WHERE g.key = mv.key)${
         query.since === undefined
           ? ''
           : `
      UNION ALL
      SELECT 'since', NULL, ${sum([...STOCKS, ...sinceFlows], PERSON_FIGURES)},
             (SELECT count(*) FILTER (WHERE counts_in AND recent) FROM moves)::integer,
             (SELECT count(*) FILTER (WHERE counts_out AND recent) FROM moves)::integer,
             CASE WHEN $5::boolean THEN (SELECT count(*) FROM vetting_requests v
                                          WHERE v.created_at >= ${S} AND v.created_at < ${C}) ELSE 0 END::integer
        FROM per_person`
       }`,
      params,
    );
    const groups = new Map<string, StatisticsFigures>();
    let total: StatisticsFigures | null = null;
    let since: StatisticsFigures | null = null;
    for (const row of rows) {
      const figures = Object.fromEntries(
        FIGURE_NAMES.map((f) => [f, Number(row[COLUMNS[f]])]),
      ) as unknown as StatisticsFigures;
      if (row.part === 'total') total = figures;
      else if (row.part === 'since') since = figures;
      else groups.set(String(row.key), figures);
    }
    return { groups, total: total!, since };
  }

  /** Which group each person within reach falls in (a person may fall in several). */
  private membership(groupBy: PersonGrouping): string {
    switch (groupBy) {
      case 'region':
        return 'SELECT s.id AS person_id, unnest(s.regions) AS key FROM stock s';
      case 'offence':
        return `SELECT DISTINCT cv.person_id, o->>'article' AS key
                  FROM convictions cv CROSS JOIN LATERAL jsonb_array_elements(cv.offences) o
                 WHERE cv.created_at < ${C} AND cv.person_id IN (SELECT id FROM stock)`;
      case 'measure':
        return 'SELECT s.id AS person_id, unnest(s.active_types) AS key FROM stock s';
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
