import type { DataSource } from 'typeorm';
import { addDays, belgradeToday } from '@app/common';
import { insertConviction, registerPerson } from './register';
import type { TestApp } from './test-app';
import { until } from './processes';

/**
 * What the fault tests check after the fault: data written whole or not at
 * all, and the audit log sealed once and verifiable.
 */

/** A person under periodic reporting to `region`, started `daysAgo` days ago, every `everyDays` days. */
export async function reportingPerson(
  t: TestApp,
  region: string,
  daysAgo: number,
  everyDays = 30,
): Promise<{ personId: string; measureId: string }> {
  const today = belgradeToday();
  const person = await registerPerson(t);
  await insertConviction(t, person.id, addDays(today, -daysAgo - 10));
  const [{ id }] = await t.dataSource.query(
    `INSERT INTO measures (person_id, type, starts_on, ends_on, report_to, every_days, schedule_kind)
     VALUES ($1, 'periodic_reporting', $2, $3, $4, $5, 'every_days') RETURNING id`,
    [person.id, addDays(today, -daysAgo), addDays(today, 3650), region, everyDays],
  );
  await t.dataSource.query(`UPDATE persons SET regions = ARRAY[$2] WHERE id = $1`, [person.id, region]);
  return { personId: person.id, measureId: id as string };
}

export interface HalfWritten {
  what: string;
  id: string;
}

/**
 * Writes left in part: a check-in or person without its history row or its
 * `allowed` audit event, an `allowed` create event or a history row whose
 * record is missing. Empty when every write is whole.
 */
export function halfWritten(dataSource: DataSource): Promise<HalfWritten[]> {
  return dataSource.query(`
    SELECT 'check_in without history' AS what, c.id::text AS id FROM check_ins c
     WHERE NOT EXISTS (SELECT 1 FROM person_history h
                        WHERE h.part = 'check_in' AND h.part_id = c.id AND h.change = 'create')
    UNION ALL
    SELECT 'check_in without audit event', c.id::text FROM check_ins c
     WHERE NOT EXISTS (SELECT 1 FROM audit_events e
                        WHERE e.action = 'check_in.create' AND e.outcome = 'allowed' AND e.resource_id = c.id::text)
    UNION ALL
    SELECT 'person without history', p.id::text FROM persons p
     WHERE NOT EXISTS (SELECT 1 FROM person_history h
                        WHERE h.part = 'person' AND h.part_id = p.id AND h.change = 'create')
    UNION ALL
    SELECT 'person without audit event', p.id::text FROM persons p
     WHERE NOT EXISTS (SELECT 1 FROM audit_events e
                        WHERE e.action = 'person.create' AND e.outcome = 'allowed' AND e.resource_id = p.id::text)
    UNION ALL
    SELECT 'audit event without its record', e.resource_id FROM audit_events e
     WHERE e.outcome = 'allowed'
       AND ((e.action = 'check_in.create' AND NOT EXISTS (SELECT 1 FROM check_ins c WHERE c.id::text = e.resource_id))
         OR (e.action = 'person.create' AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.id::text = e.resource_id)))
    UNION ALL
    SELECT 'history without its record', h.part_id::text FROM person_history h
     WHERE (h.part = 'check_in' AND NOT EXISTS (SELECT 1 FROM check_ins c WHERE c.id = h.part_id))
        OR (h.part = 'person' AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = h.part_id))`);
}

/** The highest event number written so far (0: none). */
export async function lastSeq(dataSource: DataSource): Promise<number> {
  const [{ seq }] = await dataSource.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM audit_events`);
  return Number(seq);
}

/** Waits until a worker has sealed every event up to `seq`. */
export async function waitSealedThrough(dataSource: DataSource, seq: number, timeoutMs = 60_000): Promise<void> {
  await until(
    async () => {
      const [{ pending }] = await dataSource.query(
        `SELECT count(*)::int AS pending FROM audit_events e
          WHERE e.seq <= $1
            AND e.tx >= coalesce((SELECT tx_to FROM audit_seals ORDER BY seal_no DESC LIMIT 1), '0'::xid8)`,
        [seq],
      );
      return pending === 0;
    },
    `every audit event up to ${seq} to be sealed`,
    timeoutMs,
    250,
  );
}

export interface SealCoverage {
  seals: number;
  sealedEvents: number;
  /** Event numbers in more than one seal. */
  sealedTwice: string[];
  /** Events up to the given number that no seal covers. */
  unsealed: string[];
  /** Numbers a seal lists that no event has. */
  dangling: string[];
  /** Events sealed by a seal whose transaction range does not hold them. */
  misplaced: string[];
  /** Seals whose number, range start or running total does not follow the previous seal. */
  chainBreaks: string[];
}

/** How the seals cover the events: each event up to `throughSeq` sealed exactly once, in the right seal. */
export async function sealCoverage(dataSource: DataSource, throughSeq: number): Promise<SealCoverage> {
  const sealed = `WITH sealed AS (
      SELECT s.seal_no, s.tx_from, s.tx_to, u.seq FROM audit_seals s CROSS JOIN LATERAL unnest(s.seqs) AS u(seq))`;
  const column = async (sql: string, params: unknown[] = []): Promise<string[]> =>
    (await dataSource.query(sql, params)).map((row: { v: string }) => row.v);
  const [{ seals, events }] = await dataSource.query(
    `SELECT count(*)::int AS seals, coalesce(sum(event_count), 0)::int AS events FROM audit_seals`,
  );
  return {
    seals,
    sealedEvents: events,
    sealedTwice: await column(`${sealed} SELECT seq::text AS v FROM sealed GROUP BY seq HAVING count(*) > 1`),
    unsealed: await column(
      `${sealed} SELECT e.seq::text AS v FROM audit_events e
        WHERE e.seq <= $1 AND NOT EXISTS (SELECT 1 FROM sealed s WHERE s.seq = e.seq) ORDER BY e.seq LIMIT 20`,
      [throughSeq],
    ),
    dangling: await column(
      `${sealed} SELECT s.seq::text AS v FROM sealed s
        WHERE NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.seq = s.seq) LIMIT 20`,
    ),
    misplaced: await column(
      `${sealed} SELECT e.seq::text AS v FROM sealed s JOIN audit_events e ON e.seq = s.seq
        WHERE NOT (e.tx >= s.tx_from AND e.tx < s.tx_to) LIMIT 20`,
    ),
    chainBreaks: await column(
      `SELECT seal_no::text AS v FROM (
         SELECT seal_no, tx_from, total_events, event_count,
                lag(seal_no) OVER w AS prev_no, lag(tx_to) OVER w AS prev_to, lag(total_events) OVER w AS prev_total
           FROM audit_seals WINDOW w AS (ORDER BY seal_no)) x
        WHERE seal_no <> coalesce(prev_no, 0) + 1
           OR tx_from <> coalesce(prev_to, '0'::xid8)
           OR total_events <> coalesce(prev_total, 0) + event_count`,
    ),
  };
}

/** Weighted choice: `[[weight, value], ...]`. */
export function pick<T>(choices: [number, T][]): T {
  const total = choices.reduce((sum, [weight]) => sum + weight, 0);
  let r = Math.random() * total;
  for (const [weight, value] of choices) {
    r -= weight;
    if (r < 0) return value;
  }
  return choices[choices.length - 1][1];
}
