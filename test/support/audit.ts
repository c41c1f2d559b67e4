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
