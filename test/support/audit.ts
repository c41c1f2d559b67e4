import { AuditSealer } from '@app/audit';
import type { TestApp } from './test-app';

export interface EventRow {
  seq: string;
  action: string;
  outcome: string;
  http_status: number | null;
  actor_user_id: string | null;
  actor_username: string | null;
  actor_role: string | null;
  resource_type: string | null;
  resource_id: string | null;
  subject_person_ids: string[];
  reason: string | null;
  result_count: number | null;
  query: Record<string, unknown> | null;
  request_id: string | null;
  recipient: string | null;
  details: Record<string, unknown> | null;
  flagged: boolean;
}

/** The events a request left, found by the X-Request-Id it sent. */
export async function eventsOf(t: TestApp, requestId: string): Promise<EventRow[]> {
  return t.dataSource.query(
    `SELECT seq::text, action, outcome, http_status, actor_user_id, actor_username, actor_role, resource_type,
            resource_id, subject_person_ids::text[] AS subject_person_ids, reason, result_count, query, request_id,
            recipient, details, flagged
       FROM audit_events WHERE request_id = $1 ORDER BY seq`,
    [requestId],
  );
}

export async function eventCount(t: TestApp): Promise<number> {
  const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM audit_events`);
  return count;
}

let counter = 0;
/** A fresh request id, to find the request's event afterwards. */
export function rid(label = 'r'): string {
  counter += 1;
  return `${label}-${process.pid}-${counter}-${Date.now()}`;
}

/** How often each value occurs, keys sorted: `{ 200: 50 }` says what came back, where `every(...)` says only false. */
export function tally(values: (string | number)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of [...values].sort()) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/**
 * Waits, bounded, until every event written so far lies below the server's
 * sealing watermark. A seal takes only events older than the oldest
 * transaction still running anywhere on the PostgreSQL server, another test
 * file's included (creating or dropping its database holds one for a second
 * under load), so a pass right after the writes may seal none or only some of
 * them. Once the watermark has passed them it stays past.
 */
export async function untilWatermarkPasses(t: TestApp): Promise<void> {
  for (const deadline = Date.now() + 30_000; ;) {
    const [{ past }] = await t.dataSource.query(
      `SELECT coalesce(pg_snapshot_xmin(pg_current_snapshot()) > (SELECT max(tx) FROM audit_events), true) AS past`,
    );
    if (past) return;
    if (Date.now() > deadline) {
      const open = await t.dataSource.query(
        `SELECT datname, backend_xid::text AS xid, state, left(query, 80) AS query
           FROM pg_stat_activity WHERE backend_xid IS NOT NULL`,
      );
      throw new Error(`the sealing watermark stayed below the events written; open: ${JSON.stringify(open)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Seals the events written so far in one new seal (at most AUDIT_MAX_EVENTS_PER_SEAL of them: tests write fewer). */
export async function sealWritten(t: TestApp): Promise<void> {
  await untilWatermarkPasses(t);
  if (!(await t.app.get(AuditSealer).sealOnce())) throw new Error('nothing was sealed');
}
