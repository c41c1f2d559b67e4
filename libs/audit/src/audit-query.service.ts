import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { DomainError, Keyset, type KeysetColumn, type Page, positional } from '@app/common';
import { AuditKeys } from './audit-keys';
import { AuditLog } from './audit-log';
import type { RequestAudit } from './request-audit';
import { isReviewSql, signedReview } from './reviews';
import { UsageQuotas } from './usage-quotas';

export class AuditActorView {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: '5d6e7f80-1a2b-4c3d-8e4f-9a0b1c2d3e4f' })
  userId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'm.jovanovic' })
  username!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'police_officer' })
  role!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'MUP' })
  organisation!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'PU-NIS' })
  region!: string | null;
}

export class AuditResourceView {
  @ApiProperty({ type: String, nullable: true, example: 'person' })
  type!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '7a4e2c1b-9d8f-4e3a-b2c1-0f9e8d7c6b5a' })
  id!: string | null;
}

export class AuditEventView {
  @ApiProperty({ example: 1042 })
  seq!: number;

  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ format: 'date-time', example: '2026-02-23T09:15:00.000Z' })
  at!: string;

  @ApiProperty({ type: () => AuditActorView })
  actor!: AuditActorView;

  @ApiProperty({ example: 'person.read' })
  action!: string;

  @ApiProperty({ type: () => AuditResourceView })
  resource!: AuditResourceView;

  @ApiProperty({ type: [String], example: ['7a4e2c1b-9d8f-4e3a-b2c1-0f9e8d7c6b5a'] })
  subjectPersonIds!: string[];

  @ApiProperty({ type: String, nullable: true, example: 'KU-123/2026' })
  reason!: string | null;

  @ApiProperty({ enum: ['allowed', 'denied', 'error'], example: 'allowed' })
  outcome!: string;

  @ApiProperty({ type: Number, nullable: true, example: 200 })
  httpStatus!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: null })
  resultCount!: number | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: null })
  query!: Record<string, unknown> | null;

  @ApiProperty({ type: String, nullable: true, example: 'b6f1d2c3-4e5f-4a6b-8c7d-9e0f1a2b3c4d' })
  requestId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '10.0.4.17' })
  ip!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Mozilla/5.0' })
  userAgent!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  recipient!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: null })
  details!: Record<string, unknown> | null;

  @ApiProperty({ example: false })
  flagged!: boolean;

  @ApiProperty({ example: false })
  reviewed!: boolean;
}

export interface AuditFilter {
  actorId?: string;
  actorUsername?: string;
  subjectId?: string;
  subjectJmbg?: string;
  action?: string;
  outcome?: string;
  flagged?: boolean;
  reviewed?: boolean;
  from?: Date;
  to?: Date;
  limit?: number;
  cursor?: string;
}

export class ReviewerView {
  @ApiProperty({ format: 'uuid', example: '5d6e7f80-1a2b-4c3d-8e4f-9a0b1c2d3e4f' })
  userId!: string;

  @ApiProperty({ example: 'a.nikolic' })
  username!: string;
}

export class ReviewView {
  @ApiProperty({ format: 'uuid', example: '0b9b7f0e-3c1d-4b8a-9f3e-6a1c2d3e4f50' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  eventId!: string;

  @ApiProperty({ format: 'date-time', example: '2026-02-24T08:00:00.000Z' })
  at!: string;

  @ApiProperty({ type: () => ReviewerView })
  reviewer!: ReviewerView;

  @ApiProperty({ example: 'Lookup justified by case KU-123/2026.' })
  note!: string;
}

interface EventRow {
  seq: string;
  id: string;
  at: Date;
  actor_user_id: string | null;
  actor_username: string | null;
  actor_role: string | null;
  actor_organisation: string | null;
  actor_region: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  subject_person_ids: string[];
  reason: string | null;
  outcome: string;
  http_status: number | null;
  result_count: number | null;
  query: Record<string, unknown> | null;
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  recipient: string | null;
  details: Record<string, unknown> | null;
  flagged: boolean;
  reviewed: boolean;
}

/** Whether an event has a review: a review event naming it (see reviews.ts). */
const REVIEWED = `EXISTS (SELECT 1 FROM audit_events r WHERE ${isReviewSql('r')} AND r.resource_id = e.id::text)`;

const EVENT_COLUMNS = `e.seq::text, e.id, e.at, e.actor_user_id, e.actor_username, e.actor_role, e.actor_organisation,
  e.actor_region, e.action, e.resource_type, e.resource_id, e.subject_person_ids::text[] AS subject_person_ids, e.reason,
  e.outcome, e.http_status, e.result_count, e.query, e.request_id, e.ip, e.user_agent, e.recipient, e.details, e.flagged,
  ${REVIEWED} AS reviewed`;

function toView(row: EventRow): AuditEventView {
  return {
    seq: Number(row.seq),
    id: row.id,
    at: row.at.toISOString(),
    actor: {
      userId: row.actor_user_id,
      username: row.actor_username,
      role: row.actor_role,
      organisation: row.actor_organisation,
      region: row.actor_region,
    },
    action: row.action,
    resource: { type: row.resource_type, id: row.resource_id },
    subjectPersonIds: row.subject_person_ids,
    reason: row.reason,
    outcome: row.outcome,
    httpStatus: row.http_status,
    resultCount: row.result_count,
    query: row.query,
    requestId: row.request_id,
    ip: row.ip,
    userAgent: row.user_agent,
    recipient: row.recipient,
    details: row.details,
    flagged: row.flagged,
    reviewed: row.reviewed,
  };
}

const EXPORT_BATCH = 1_000;

const NEWEST_FIRST: KeysetColumn[] = [{ sql: 'e.seq', kind: 'seq', desc: true }];

/** The auditor's reading of the log: search, reviews, export. Every call is itself audited. */
@Injectable()
export class AuditQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: AuditLog,
    private readonly keys: AuditKeys,
    private readonly quotas: UsageQuotas,
  ) {}

  async search(audit: RequestAudit, filter: AuditFilter): Promise<Page<AuditEventView>> {
    const keyset = new Keyset(NEWEST_FIRST, filter);
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (filter.actorId) add((p) => `e.actor_user_id = ${p}`, filter.actorId);
    if (filter.actorUsername) add((p) => `lower(e.actor_username) = lower(${p})`, filter.actorUsername);
    if (filter.subjectId) add((p) => `e.subject_person_ids @> ARRAY[${p}::uuid]`, filter.subjectId);
    if (filter.action) add((p) => `e.action = ${p}`, filter.action);
    if (filter.outcome) add((p) => `e.outcome = ${p}`, filter.outcome);
    if (filter.flagged !== undefined) add((p) => `e.flagged = ${p}`, filter.flagged);
    if (filter.reviewed !== undefined) {
      add((p) => `${REVIEWED} = ${p}`, filter.reviewed);
    }
    if (filter.from) add((p) => `e.at >= ${p}`, filter.from);
    if (filter.to) add((p) => `e.at < ${p}`, filter.to);
    const after = keyset.after();
    if (after) {
      const { sql, params: values } = positional(after, params.length);
      params.push(...values);
      where.push(sql);
    }

    return this.log.transaction(audit, async (manager) => {
      // Who was looked at, asked person by person, could sweep the register: a per-user quota.
      if (filter.subjectJmbg || filter.subjectId) await this.quotas.use(manager, audit, 'subject_search');
      if (filter.subjectJmbg) {
        // The register's persons: who was recorded under this JMBG.
        const [{ persons }] = await manager.query(`SELECT to_regclass('persons') IS NOT NULL AS persons`);
        const ids: string[] = persons
          ? (await manager.query(`SELECT id FROM persons WHERE jmbg = $1`, [filter.subjectJmbg])).map(
              (r: { id: string }) => r.id,
            )
          : [];
        add((p) => `e.subject_person_ids && ${p}::uuid[]`, ids);
      }
      params.push(keyset.limit + 1);
      const rows: EventRow[] = await manager.query(
        `SELECT ${EVENT_COLUMNS}, ${keyset.positions().join(', ')} FROM audit_events e
          ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY ${keyset.orderBy()} LIMIT $${params.length}`,
        params,
      );
      const page = keyset.page(rows, toView);
      audit.resultCount = page.items.length;
      return page;
    });
  }

  /**
   * A review is the request's own event (`audit.review`, on the reviewed
   * event), its reviewer the signed-in auditor, its note signed with the
   * sealing key: stamped and sealed like every event, and checked by
   * verification.
   */
  async review(audit: RequestAudit, eventId: string, note: string): Promise<ReviewView> {
    audit.on('audit_event', eventId);
    const actor = audit.actor;
    if (!actor?.userId || !actor.username) throw new Error('a review needs a signed-in reviewer');
    const reviewer = { userId: actor.userId, username: actor.username };
    await this.log.transaction(audit, async (manager) => {
      const [event] = await manager.query(`SELECT 1 FROM audit_events WHERE id = $1`, [eventId]);
      if (!event) throw DomainError.notFound('No such audit event.');
      const review = { eventId, reviewerUserId: reviewer.userId, reviewerUsername: reviewer.username, note };
      audit.details = signedReview(this.keys, review);
    });
    const recorded = audit.recorded;
    if (!recorded) throw new Error('the review event was not recorded');
    return { id: recorded.id, eventId, at: recorded.at.toISOString(), reviewer, note };
  }

  /**
   * The events in [from, to) as JSON Lines, oldest first. The export is a
   * disclosure: its event (with the recipient and the count) is written
   * before the first line leaves, and the lines end at the newest event
   * that existed then.
   */
  async export(audit: RequestAudit, from: Date, to: Date, recipient: string): Promise<Readable> {
    audit.recipient = recipient;
    const upTo = await this.log.transaction(audit, async (manager) => {
      const [row] = await manager.query(
        `SELECT count(*)::int AS count, COALESCE(max(seq), 0)::text AS last FROM audit_events WHERE at >= $1 AND at < $2`,
        [from, to],
      );
      audit.resultCount = row.count;
      return row.last as string;
    });
    const dataSource = this.dataSource;
    async function* lines(): AsyncGenerator<string> {
      let after = '0';
      for (;;) {
        const rows: EventRow[] = await dataSource.query(
          `SELECT ${EVENT_COLUMNS} FROM audit_events e
            WHERE e.at >= $1 AND e.at < $2 AND e.seq > $3::bigint AND e.seq <= $4::bigint
            ORDER BY e.seq LIMIT ${EXPORT_BATCH}`,
          [from, to, after, upTo],
        );
        for (const row of rows) yield JSON.stringify(toView(row)) + '\n';
        if (rows.length < EXPORT_BATCH) return;
        after = rows[rows.length - 1].seq;
      }
    }
    return Readable.from(lines());
  }
}
