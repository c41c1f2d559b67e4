import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig, DomainError } from '@app/common';
import { AuditLog } from './audit-log';
import { RequestAudit } from './request-audit';

/** What a quota counts: each way of asking about many persons one at a time. */
export type QuotaKind = 'person_lookup' | 'subject_search';

interface Quota {
  perHour: number;
  /** What the refusal says is used up. */
  uses: string;
  /** Past `above` uses in an hour, one flagged event of `action` tells the auditors (once per user and hour). */
  alert: { above: number; action: string } | null;
}

/**
 * One statement, in the request's own transaction: the user's count for the
 * current hour (of the database's clock, the same for every api instance),
 * started again at 1 in a new hour. Its row lock orders concurrent requests
 * of one user until each commits or rolls back, so a count past the quota is
 * never seen by two of them and a refused request (rolled back) counts
 * nothing. A transaction that began just before the hour turned may meet a
 * row of the new hour: it counts there (greatest).
 */
const COUNT = `
  INSERT INTO usage_counters AS c (user_id, kind, window_start, used)
  VALUES ($1, $2, date_bin('1 hour', now(), timestamptz '2000-01-01 00:00:00+00'), 1)
  ON CONFLICT (user_id, kind) DO UPDATE
     SET used = CASE WHEN c.window_start >= EXCLUDED.window_start THEN c.used + 1 ELSE 1 END,
         window_start = greatest(c.window_start, EXCLUDED.window_start)
  RETURNING used, window_start, window_start + interval '1 hour' AS window_end,
            extract(epoch FROM window_start + interval '1 hour' - now())::float8 AS seconds_left`;

interface CountRow {
  used: number;
  window_start: Date;
  window_end: Date;
  seconds_left: number;
}

/**
 * Per-user hourly quotas on what could sweep the register: the cross-region
 * lookup (LOOKUP_QUOTA_PER_HOUR, with an alert to auditors past
 * LOOKUP_ALERT_THRESHOLD) and the auditors' search by subject
 * (SUBJECT_SEARCH_QUOTA_PER_HOUR). Counted in PostgreSQL, so every api
 * instance shares the count.
 */
@Injectable()
export class UsageQuotas {
  private readonly quotas: Record<QuotaKind, Quota>;

  constructor(
    config: AppConfig,
    private readonly log: AuditLog,
  ) {
    this.quotas = {
      person_lookup: {
        perHour: config.quotas.lookupsPerHour,
        uses: 'cross-region lookups',
        alert: { above: config.quotas.lookupAlertThreshold, action: 'person.lookup_sweep' },
      },
      subject_search: { perHour: config.quotas.subjectSearchesPerHour, uses: 'audit searches by subject', alert: null },
    };
  }

  /**
   * Counts one use of `kind` by the request's user, inside the request's
   * transaction (`manager`): past the quota it throws 429 `rate_limited`
   * with Retry-After (the seconds left in the hour), which rolls the count
   * back and is recorded, flagged, as the request's event; the use that
   * first passes the alert threshold writes the sweep alert with it.
   */
  async use(manager: EntityManager, audit: RequestAudit, kind: QuotaKind): Promise<void> {
    const actor = audit.actor;
    if (!actor?.userId) throw new Error(`a ${kind} quota needs a signed-in user`);
    const quota = this.quotas[kind];
    const [count]: CountRow[] = await manager.query(COUNT, [actor.userId, kind]);
    if (count.used > quota.perHour) {
      audit.flagged = true;
      throw DomainError.rateLimited(
        `At most ${quota.perHour} ${quota.uses} an hour per user; try again when the hour is over.`,
        count.seconds_left,
      );
    }
    if (quota.alert && count.used === quota.alert.above + 1) {
      // The system's observation, not the user's request (which writes its own event): no request id.
      const sweep = RequestAudit.system(quota.alert.action).on('user', actor.userId);
      sweep.flagged = true;
      sweep.resultCount = count.used;
      sweep.details = {
        user: actor,
        kind,
        used: count.used,
        threshold: quota.alert.above,
        quotaPerHour: quota.perHour,
        windowStart: count.window_start.toISOString(),
        windowEnd: count.window_end.toISOString(),
        requestId: audit.requestId,
      };
      await this.log.writeWithin(manager, sweep);
    }
  }
}
