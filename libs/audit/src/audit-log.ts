import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Answer, DomainError, MetricsService, preparedQuery, problemKind } from '@app/common';
import { claimKey, storeAnswer } from './idempotency';
import {
  type AuditEventInput,
  type AuditOutcome,
  outcomeOfStatus,
  type RecordedEvent,
  type RequestAudit,
} from './request-audit';

/**
 * What work returns when it must refuse yet keep what it did (the refresh
 * of a spent token revokes its session, then answers 401): committed with
 * the refusal's event, then thrown.
 */
export class Refusal {
  constructor(readonly error: DomainError) {}
}

export function auditUnavailable(): DomainError {
  return DomainError.unavailable('The audit log cannot be written right now; nothing was done. Try again shortly.');
}

const INSERT_COLUMNS = `
  INSERT INTO audit_events (
    actor_user_id, actor_username, actor_role, actor_organisation, actor_region, action, resource_type,
    resource_id, subject_person_ids, reason, outcome, http_status, result_count, query, request_id, ip,
    user_agent, recipient, details, flagged)`;

/** The SQL types of the columns of INSERT_COLUMNS, in order. */
const COLUMN_TYPES = [
  'uuid',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'uuid[]',
  'text',
  'text',
  'smallint',
  'int',
  'jsonb',
  'text',
  'text',
  'text',
  'text',
  'jsonb',
  'boolean',
];

const INSERT = `${INSERT_COLUMNS}
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::uuid[], $10, $11, $12, $13, $14::jsonb, $15, $16, $17, $18, $19::jsonb, $20)
  RETURNING id, at`;

function parameters(event: AuditEventInput): unknown[] {
  return [
    event.actor?.userId ?? null,
    event.actor?.username ?? null,
    event.actor?.role ?? null,
    event.actor?.organisation ?? null,
    event.actor?.region ?? null,
    event.action,
    event.resourceType,
    event.resourceId,
    event.subjectPersonIds,
    event.reason,
    event.outcome,
    event.httpStatus,
    event.resultCount,
    event.query === null ? null : JSON.stringify(event.query),
    event.requestId,
    event.ip,
    event.userAgent,
    event.recipient,
    event.details === null ? null : JSON.stringify(event.details),
    event.flagged,
  ];
}

/**
 * Writes audit events. Work and its event share one transaction
 * (`transaction`); when no event can be written, nothing is done and the
 * caller gets 503 `unavailable`.
 */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger(AuditLog.name);
  /** Requests whose current transaction's work wrote their event itself (writeWithEvent). */
  private readonly writtenByWork = new WeakSet<RequestAudit>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  /** Runs `work` and writes the request's event in the same transaction: both happen or neither. */
  async transaction<T>(
    audit: RequestAudit,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<Exclude<T, Refusal>> {
    const claim = audit.idempotency;
    this.writtenByWork.delete(audit);
    const result = await this.dataSource.transaction(async (manager) => {
      if (claim) await claimKey(manager, claim);
      const value = await work(manager);
      if (value instanceof Refusal) {
        if (this.writtenByWork.has(audit)) throw new Error('a Refusal after its event was written (writeWithEvent)');
        // Refused, but what the work did stands (a revoked session): the refusal is the recorded event.
        const status = problemKind(value.error.code).status;
        audit.recorded = await this.insert(manager, audit.toEvent(outcomeOfStatus(status), status));
        return value;
      }
      // Work that decides its own success status (201 or 200 for a PUT, 202 held for approval).
      if (value instanceof Answer) audit.successStatus = value.status;
      // A retry gets what the client got: the view of an Answer, not the wrapper.
      const answered = value instanceof Answer ? value.view : value;
      if (claim) await storeAnswer(manager, claim, audit.successStatus, answered, audit.subjects);
      // Written by the work's last statement (writeWithEvent), with the status known then.
      if (this.writtenByWork.delete(audit)) {
        if (value instanceof Answer) throw new Error('an Answer after its event was written (writeWithEvent)');
        return value;
      }
      audit.recorded = await this.insert(manager, audit.toEvent('allowed', audit.successStatus));
      return value;
    });
    // Only the request's first transaction answers it. A failure leaves the event to the answer's hook.
    audit.idempotency = null;
    audit.written = true;
    if (result instanceof Refusal) throw result.error;
    return result as Exclude<T, Refusal>;
  }

  /**
   * The hot path: one statement that reads and writes the request's event,
   * atomic and in one round trip. `ctes` find what is read (parameters
   * $1...); `decide` says, in SQL over those CTEs, the event's outcome,
   * status, subjects and result count, so the recorded outcome comes from the
   * same SQL that found (or did not find) the rows; `answer` is a scalar
   * subquery (JSON) returned with the outcome.
   */
  async readWithEvent<A>(
    audit: RequestAudit,
    spec: {
      ctes: string;
      params: unknown[];
      decide: { outcome: string; status: string; subjects: string; resultCount: string };
      answer: string;
    },
  ): Promise<{ outcome: AuditOutcome; status: number; answer: A | null }> {
    // Every column of INSERT, in order: a typed parameter, or an SQL expression from `decide`.
    const decided: Record<number, string> = {
      8: `(${spec.decide.subjects})::uuid[]`,
      10: `(${spec.decide.outcome})`,
      11: `(${spec.decide.status})::smallint`,
      12: `(${spec.decide.resultCount})::int`,
    };
    const all = parameters(audit.toEvent('allowed', null));
    const values: unknown[] = [];
    const select = COLUMN_TYPES.map((type, column) => {
      if (decided[column]) return decided[column];
      values.push(all[column]);
      return `$${spec.params.length + values.length}::${type}`;
    });
    let row: { outcome: AuditOutcome; status: number; answer: A | null };
    try {
      // Prepared: a read's statement is large, and planning it on every call cost as much as running it.
      [row] = await preparedQuery<typeof row>(
        this.dataSource,
        `WITH ${spec.ctes},
         audit_event AS (${INSERT_COLUMNS} SELECT ${select.join(', ')} RETURNING outcome, http_status)
         SELECT e.outcome, e.http_status AS status, (${spec.answer}) AS answer FROM audit_event e`,
        [...spec.params, ...values],
      );
    } catch (error) {
      this.logger.error({ err: error, action: audit.action }, 'audited read failed');
      throw auditUnavailable();
    }
    audit.written = true;
    this.metrics.auditEvents.inc({ outcome: row.outcome });
    return row;
  }

  /**
   * The last statement of `transaction`'s work with the request's event (allowed, the success status) in it,
   * so that the event costs no round trip of its own; `transaction` then writes no other. `ctes` (parameters
   * $1...) run before the event; the rows are those of `select` over `from` (FROM items, e.g. a function's
   * row), one per row of `from`. As with `readWithEvent`, a statement that fails is answered as the audit log
   * being unavailable (503): the event is part of it.
   */
  async writeWithEvent<R>(
    manager: EntityManager,
    audit: RequestAudit,
    spec: { ctes: string; params: unknown[]; select: string; from: string },
  ): Promise<R[]> {
    const event = parameters(audit.toEvent('allowed', audit.successStatus));
    const values = COLUMN_TYPES.map((type, column) => `$${spec.params.length + column + 1}::${type}`);
    let rows: (R & { audit_event_id: string; audit_event_at: Date })[];
    try {
      rows = await manager.query(
        `WITH ${spec.ctes},
         audit_event AS (${INSERT_COLUMNS} VALUES (${values.join(', ')}) RETURNING id, at)
         SELECT e.id AS audit_event_id, e.at AS audit_event_at, ${spec.select} FROM audit_event e, ${spec.from}`,
        [...spec.params, ...event],
      );
    } catch (error) {
      this.logger.error({ err: error, action: audit.action }, 'audited write failed');
      throw auditUnavailable();
    }
    const [first] = rows;
    if (!first) throw new Error('writeWithEvent: no row');
    audit.recorded = { id: first.audit_event_id, at: first.audit_event_at };
    this.writtenByWork.add(audit);
    this.metrics.auditEvents.inc({ outcome: 'allowed' });
    return rows.map(({ audit_event_id: _id, audit_event_at: _at, ...row }) => row as unknown as R);
  }

  /** Writes the event of work already running in `manager`'s transaction (the worker's jobs). */
  async writeWithin(manager: EntityManager, audit: RequestAudit): Promise<void> {
    await this.insert(manager, audit.toEvent('allowed', null));
    audit.written = true;
  }

  /** Writes an event on its own (a refused or failed request, or an event with no work to share). */
  async record(event: AuditEventInput): Promise<void> {
    await this.insert(this.dataSource.manager, event);
  }

  private async insert(manager: EntityManager, event: AuditEventInput): Promise<RecordedEvent> {
    try {
      const [recorded]: RecordedEvent[] = await manager.query(INSERT, parameters(event));
      this.metrics.auditEvents.inc({ outcome: event.outcome });
      return recorded;
    } catch (error) {
      this.logger.error({ err: error, action: event.action }, 'audit event could not be written');
      throw auditUnavailable();
    }
  }
}
