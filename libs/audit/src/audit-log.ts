import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, MetricsService } from '@app/common';
import { claimKey, storeAnswer } from './idempotency';
import { type AuditEventInput, type RequestAudit } from './request-audit';

export function auditUnavailable(): DomainError {
  return DomainError.unavailable('The audit log cannot be written right now; nothing was done. Try again shortly.');
}

const INSERT = `
  INSERT INTO audit_events (
    actor_user_id, actor_username, actor_role, actor_organisation, actor_region, action, resource_type,
    resource_id, subject_person_ids, reason, outcome, http_status, result_count, query, request_id, ip,
    user_agent, recipient, details, flagged)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::uuid[], $10, $11, $12, $13, $14::jsonb, $15, $16, $17, $18, $19::jsonb, $20)`;

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

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  /** Runs `work` and writes the request's event in the same transaction: both happen or neither. */
  async transaction<T>(audit: RequestAudit, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const claim = audit.idempotency;
    const result = await this.dataSource.transaction(async (manager) => {
      if (claim) await claimKey(manager, claim);
      const value = await work(manager);
      if (claim) await storeAnswer(manager, claim, audit.successStatus, value, audit.subjects);
      await this.insert(manager, audit.toEvent('allowed', audit.successStatus));
      return value;
    });
    // Only the request's first transaction answers it.
    audit.idempotency = null;
    audit.written = true;
    return result;
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

  private async insert(manager: EntityManager, event: AuditEventInput): Promise<void> {
    try {
      await manager.query(INSERT, parameters(event));
      this.metrics.auditEvents.inc({ outcome: event.outcome });
    } catch (error) {
      this.logger.error({ err: error, action: event.action }, 'audit event could not be written');
      throw auditUnavailable();
    }
  }
}
