import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Histogram } from 'prom-client';
import type { DataSource } from 'typeorm';
import { AppConfig, MetricsService } from '@app/common';
import { AuditLog, RequestAudit } from '@app/audit';
import { AlertWriter } from './alert-writer';
import { checkedInBetween, periodIndex, periodStart } from './schedule-sql';

/** Distinct from the audit sealer's lock. */
const SCAN_LOCK = 7_340_101;
/** Computing every schedule's state again (after midnight) may take minutes at a national register. */
const STATES_TIMEOUT_MS = 600_000;

export interface ScanResult {
  /** False when another worker held the scan: it does the work. */
  ran: boolean;
  raised: Record<string, number>;
  reminders: number;
  /** Schedules whose stored compliance state was computed again (missing, changed since, or past its window). */
  states: number;
  durationMs: number;
}

/**
 * One compliance scan, set-based: every missed reporting period (of each
 * authority's schedule) raises its `missed_check_in` alert (a counselling
 * schedule's `missed_counselling`), measures about to
 * end raise `measure_ending`, releases coming with duties not acknowledged
 * raise `release_unprepared`, travel abroad with no return recorded
 * after the grace raises `travel_return_overdue`, and officers and the UIKS offices' clerks are
 * reminded of check-ins falling due. One transaction under an
 * advisory lock; the alerts' unique key makes a repeated or concurrent scan
 * raise nothing twice. Then, in a transaction of its own, each schedule's
 * stored compliance state that is missing, outdated by a write, or past its
 * window is computed again (`schedule_states_refresh`, migration
 * ComplianceStates), so readers over the whole register (the statistics)
 * find it.
 */
@Injectable()
export class ComplianceScanner {
  private readonly logger = new Logger(ComplianceScanner.name);
  private readonly duration: Histogram;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly alerts: AlertWriter,
    private readonly log: AuditLog,
    metrics: MetricsService,
  ) {
    this.duration = new Histogram({
      name: 'compliance_scan_duration_seconds',
      help: 'How long a compliance scan took',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [metrics.registry],
    });
  }

  /** `audit`: whose scan it is (an operator's from the command line; the worker's by default). */
  async scan(now = new Date(), audit = RequestAudit.system('compliance.scan')): Promise<ScanResult> {
    const started = performance.now();
    const {
      graceHours,
      measureEndingDays,
      reminderDaysBefore,
      scanLookbackDays,
      releasePrepareDays,
      travelReturnGraceDays,
    } = this.config.compliance;
    const result = await this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [SCAN_LOCK]);
      if (!locked) return { ran: false, raised: {}, reminders: 0 };
      const raised = [
        ...(await this.alerts.raise(manager, { sql: MISSED_PERIODS, params: [now, graceHours, scanLookbackDays] })),
        ...(await this.alerts.raise(manager, { sql: MEASURES_ENDING, params: [now, measureEndingDays] })),
        ...(await this.alerts.raise(manager, { sql: RELEASES_UNPREPARED, params: [now, releasePrepareDays] })),
        ...(await this.alerts.raise(manager, { sql: TRAVEL_RETURNS_OVERDUE, params: [now, travelReturnGraceDays] })),
      ];
      const reminders = await this.alerts.remind(manager, { sql: CHECK_INS_DUE, params: [now, reminderDaysBefore] });
      const counts: Record<string, number> = {};
      for (const alert of raised) counts[alert.kind] = (counts[alert.kind] ?? 0) + 1;
      if (raised.length || reminders.length) {
        // What the scan wrote about whom is itself a trace (one event per scan that raised something).
        audit.on('alert');
        audit.subject(...new Set([...raised, ...reminders].map((r) => r.personId)));
        audit.resultCount = raised.length;
        audit.details = { raised: counts, reminders: reminders.length };
        await this.log.writeWithin(manager, audit);
      }
      return { ran: true, raised: counts, reminders: reminders.length };
    });
    const states = result.ran ? await this.refreshStates(now) : 0;
    const durationMs = performance.now() - started;
    if (result.ran) {
      this.duration.observe(durationMs / 1000);
      this.logger.log({ ...result, states, durationMs: Math.round(durationMs) }, 'compliance scan done');
    }
    return { ...result, states, durationMs };
  }

  /**
   * The stored compliance states (migration ComplianceStates), in a transaction of their own after the
   * alerts' (under the same lock, skipped while another worker holds it): after midnight every state is
   * computed again, which at a national register takes longer than a request's statement timeout, and a
   * failure here must not undo the alerts. A failure is logged; the readers compute what is not stored.
   */
  private async refreshStates(now: Date): Promise<number> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [SCAN_LOCK]);
        if (!locked) return 0;
        await manager.query(`SELECT set_config('statement_timeout', $1, true)`, [String(STATES_TIMEOUT_MS)]);
        const [{ states }] = await manager.query('SELECT schedule_states_refresh($1, $2, $3)::integer AS states', [
          now,
          this.config.compliance.graceHours,
          this.config.compliance.dueSoonDays,
        ]);
        return states;
      });
    } catch (error) {
      this.logger.error({ err: error }, 'compliance states not refreshed');
      return 0;
    }
  }
}

// The scan's queries read register's facts through its views only (migration RegisterViews).

/**
 * Who an alert of the schedule `s` goes to: the police administration for
 * police, the office for UIKS; for counselling, the administration responsible
 * for the person and the clerks of the UIKS office serving it.
 */
const RECIPIENTS = `CASE WHEN s.authority IN ('police', 'counselling') THEN s.police_administration END
           AS police_administration,
         CASE WHEN s.authority = 'counselling' THEN (offices_serving(ARRAY[s.police_administration]))[1]
              ELSE s.office END AS office`;

/** A missed period's alert: `missed_counselling` for counselling, `missed_check_in` for reporting. */
const MISSED_KIND = `CASE WHEN s.authority = 'counselling' THEN 'missed_counselling' ELSE 'missed_check_in' END`;

/**
 * Every reporting period, of each authority's schedule, that ended (plus the
 * grace) without a check-in at that authority and without a suspension or
 * custody; a counselling schedule's without an attendance. The scan runs every few minutes, so it looks only at periods
 * missed (ended, plus the grace) within the last $3 days, except for
 * schedules recorded within them, whose every period is looked at (a measure
 * recorded late raises its missed periods at once). Measures ended within the
 * window still count. $1 now, $2 grace hours, $3 lookback days.
 */
const MISSED_PERIODS = `
  SELECT ${MISSED_KIND} AS kind, s.person_id, s.measure_id, s.id AS source_id,
         per.last_day AS due_date, ${RECIPIENTS}
    FROM register_reporting_schedules s
   CROSS JOIN LATERAL (SELECT ($1::timestamptz AT TIME ZONE 'Europe/Belgrade')::date AS today,
                              (($1::timestamptz - make_interval(days => $3::int, hours => $2::int))
                                 AT TIME ZONE 'Europe/Belgrade')::date AS window_start) t
   CROSS JOIN LATERAL generate_series(
     CASE WHEN s.created_at >= $1::timestamptz - make_interval(days => $3::int) THEN 0
          ELSE greatest(0, ${periodIndex('t.window_start')} - 1) END,
     ${periodIndex('least(t.today, s.ends_on)')}) AS k
   CROSS JOIN LATERAL (SELECT ${periodStart('k')} AS starts_on,
                              least(${periodStart('k + 1')} - 1, s.ends_on) AS last_day) per
   WHERE s.starts_on <= t.today
     AND s.ends_on >= t.window_start - 1
     AND (s.status <> 'ended' OR s.status_changed_on >= t.window_start - 1)
     AND $1::timestamptz >= belgrade_midnight(per.last_day + 1) + make_interval(hours => $2::int)
     AND (s.created_at >= $1::timestamptz - make_interval(days => $3::int)
          OR belgrade_midnight(per.last_day + 1) + make_interval(hours => $2::int)
             > $1::timestamptz - make_interval(days => $3::int))
     AND NOT EXISTS (SELECT 1 FROM alerts a
                      WHERE a.kind = ${MISSED_KIND} AND a.source_id = s.id AND a.due_date = per.last_day)
     AND NOT ${checkedInBetween('per.starts_on', 'per.last_day')}
     AND NOT period_excused(s.measure_id, s.person_id, per.starts_on, per.last_day)`;

/** Active measures ending within the next $2 days. */
const MEASURES_ENDING = `
  SELECT 'measure_ending' AS kind, m.person_id, m.id AS measure_id, m.id AS source_id, m.ends_on AS due_date,
         coalesce(m.report_to, responsible_administration(m.person_id)) AS police_administration,
         NULL::text AS office
    FROM register_measures m
   CROSS JOIN LATERAL (SELECT ($1::timestamptz AT TIME ZONE 'Europe/Belgrade')::date AS today) t
   WHERE m.status = 'active' AND m.ends_on BETWEEN t.today AND t.today + $2::int
     AND NOT EXISTS (SELECT 1 FROM alerts a
                      WHERE a.kind = 'measure_ending' AND a.source_id = m.id AND a.due_date = m.ends_on)`;

/**
 * Releases within the next $2 days whose duties have not been acknowledged
 * (register_releases): once per release date, to the administration of the
 * planned address (else the one responsible for the person) and to the clerks
 * of the UIKS office serving it.
 */
const RELEASES_UNPREPARED = `
  SELECT 'release_unprepared' AS kind, r.person_id, NULL::uuid AS measure_id, r.conviction_id AS source_id,
         r.release_on AS due_date, a.administration AS police_administration,
         (offices_serving(ARRAY[a.administration]))[1] AS office
    FROM register_releases r
   CROSS JOIN LATERAL (SELECT ($1::timestamptz AT TIME ZONE 'Europe/Belgrade')::date AS today) t
   CROSS JOIN LATERAL (SELECT coalesce(r.planned_administration, responsible_administration(r.person_id))
                              AS administration) a
   WHERE NOT r.released AND NOT r.acknowledged
     AND r.release_on BETWEEN t.today AND t.today + $2::int
     AND NOT EXISTS (SELECT 1 FROM alerts x
                      WHERE x.kind = 'release_unprepared' AND x.source_id = r.conviction_id
                        AND x.due_date = r.release_on)`;

/**
 * Travel notices (register_travel_notices) with no return recorded when $2
 * days (TRAVEL_RETURN_GRACE_DAYS) have passed after the planned return: once
 * per notice (source: the notice, due date: the planned return), to the
 * administration responsible for the person, linked to the person's
 * notify_travel_abroad measure when there is one.
 */
const TRAVEL_RETURNS_OVERDUE = `
  SELECT 'travel_return_overdue' AS kind, n.person_id,
         (SELECT m.id FROM register_measures m
           WHERE m.person_id = n.person_id AND m.type = 'notify_travel_abroad'
           ORDER BY m.status = 'active' DESC, m.starts_on DESC, m.id LIMIT 1) AS measure_id,
         n.notification_id AS source_id, n.return_on AS due_date,
         responsible_administration(n.person_id) AS police_administration, NULL::text AS office
    FROM register_travel_notices n
   CROSS JOIN LATERAL (SELECT ($1::timestamptz AT TIME ZONE 'Europe/Belgrade')::date AS today) t
   WHERE n.returned_on IS NULL AND n.return_on + $2::int < t.today
     AND NOT EXISTS (SELECT 1 FROM alerts x
                      WHERE x.kind = 'travel_return_overdue' AND x.source_id = n.notification_id
                        AND x.due_date = n.return_on)`;

/**
 * Current reporting periods, of each authority's schedule, ending within $2
 * days with no check-in at that authority yet: a reminder to the officers
 * (police) or the office's clerks (UIKS). Counselling has no reminder (the
 * person attends an institution, not the register's staff).
 */
const CHECK_INS_DUE = `
  SELECT 'check_in_due' AS kind, s.person_id, s.id AS source_id, per.last_day AS due_date, ${RECIPIENTS}
    FROM register_reporting_schedules s
   CROSS JOIN LATERAL (SELECT ($1::timestamptz AT TIME ZONE 'Europe/Belgrade')::date AS today) t
   CROSS JOIN LATERAL (SELECT ${periodIndex('t.today')} AS k) cur
   CROSS JOIN LATERAL (SELECT ${periodStart('cur.k')} AS starts_on,
                              least(${periodStart('cur.k + 1')} - 1, s.ends_on) AS last_day) per
   WHERE s.status = 'active' AND s.authority <> 'counselling'
     AND t.today BETWEEN s.starts_on AND s.ends_on
     AND per.last_day <= t.today + $2::int
     AND NOT ${checkedInBetween('per.starts_on', 'per.last_day')}
     AND NOT period_excused(s.measure_id, s.person_id, per.starts_on, per.last_day)`;
