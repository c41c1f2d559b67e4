import { subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  DomainError,
  keysetTime,
  type Page,
  toPage,
  versionMismatch,
} from '@app/common';
import { AbilityFactory, type Principal, sqlScope } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import type { AlertQuery } from './compliance.dto';
import { Alert, type AlertKind, type AlertStatus } from './entities';

export interface AlertView {
  id: string;
  kind: AlertKind;
  personId: string;
  measureId: string | null;
  sourceId: string;
  dueDate: string;
  policeAdministration: string | null;
  status: AlertStatus;
  raisedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolution: string | null;
  version: number;
}

export function toAlertView(a: Alert): AlertView {
  return {
    id: a.id,
    kind: a.kind,
    personId: a.personId,
    measureId: a.measureId,
    sourceId: a.sourceId,
    dueDate: a.dueDate,
    policeAdministration: a.policeAdministration,
    status: a.status,
    raisedAt: a.raisedAt,
    acknowledgedAt: a.acknowledgedAt,
    acknowledgedBy: a.acknowledgedBy,
    resolvedAt: a.resolvedAt,
    resolvedBy: a.resolvedBy,
    resolution: a.resolution,
    version: a.version,
  };
}

/** Officers (their administration) and clerks (all) work alerts: open, then acknowledged, then resolved. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly log: AuditLog,
    private readonly abilities: AbilityFactory,
  ) {}

  list(audit: RequestAudit, principal: Principal, query: AlertQuery): Promise<Page<AlertView>> {
    audit.on('alert');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const scope = sqlScope(this.abilities.createForPrincipal(principal), 'read', 'Alert', {
      policeAdministration: { sql: 'a.police_administration' },
    });
    return this.log.transaction(audit, async (manager) => {
      const q = manager.getRepository(Alert).createQueryBuilder('a').where(scope.sql, scope.params);
      if (query.status) q.andWhere('a.status = :status', { status: query.status });
      if (query.kind) q.andWhere('a.kind = :kind', { kind: query.kind });
      if (query.region) q.andWhere('a.police_administration = :region', { region: query.region });
      if (query.cursor) {
        const [raisedAt, id] = decodeCursor(query.cursor, ['time', 'uuid']);
        q.andWhere('(a.raised_at, a.id) > (:raisedAt, :id)', { raisedAt, id });
      }
      const { entities, raw } = await q
        .addSelect(keysetTime('a.raised_at'), 'position_at')
        .orderBy('a.raised_at', 'ASC')
        .addOrderBy('a.id', 'ASC')
        .limit(limit + 1)
        .getRawAndEntities();
      const rows = entities.map((alert, i) => ({ alert, at: raw[i].position_at as string }));
      const page = toPage(
        rows,
        limit,
        ({ alert }) => toAlertView(alert),
        ({ alert, at }) => [at, alert.id],
      );
      audit.resultCount = page.items.length;
      audit.subject(...new Set(page.items.map((item) => item.personId)));
      return page;
    });
  }

  /** One alert, as the lists show it; another region's is 404, recorded as denied. */
  get(audit: RequestAudit, principal: Principal, id: string): Promise<AlertView> {
    audit.on('alert', id);
    return this.log.transaction(audit, async (manager: EntityManager) => {
      const alert = await this.inScope(manager, audit, principal, id, 'read', false);
      audit.resultCount = 1;
      return toAlertView(alert);
    });
  }

  acknowledge(audit: RequestAudit, principal: Principal, id: string, version: number | null): Promise<AlertView> {
    return this.work(audit, principal, id, version, (alert) => {
      if (alert.status !== 'open') throw DomainError.conflict(`The alert is already ${alert.status}.`);
      alert.status = 'acknowledged';
      alert.acknowledgedAt = new Date();
      alert.acknowledgedBy = principal.userId;
    });
  }

  resolve(
    audit: RequestAudit,
    principal: Principal,
    id: string,
    resolution: string,
    version: number | null,
  ): Promise<AlertView> {
    return this.work(audit, principal, id, version, (alert) => {
      if (alert.status === 'resolved') throw DomainError.conflict('The alert is already resolved.');
      const now = new Date();
      if (alert.status === 'open') {
        alert.acknowledgedAt = now;
        alert.acknowledgedBy = principal.userId;
      }
      alert.status = 'resolved';
      alert.resolvedAt = now;
      alert.resolvedBy = principal.userId;
      alert.resolution = resolution;
    });
  }

  private work(
    audit: RequestAudit,
    principal: Principal,
    id: string,
    version: number | null,
    change: (alert: Alert) => void,
  ): Promise<AlertView> {
    audit.on('alert', id);
    return this.log.transaction(audit, async (manager: EntityManager) => {
      const alert = await this.inScope(manager, audit, principal, id, 'work', true);
      if (version !== null && alert.version !== version) throw versionMismatch();
      const before = toAlertView(alert);
      change(alert);
      const saved = await manager.getRepository(Alert).save(alert);
      audit.details = { before: { status: before.status }, after: { status: saved.status } };
      return toAlertView(saved);
    });
  }

  /** The alert if the caller may `action` it; 404 otherwise (another region's recorded as denied), naming the person. */
  private async inScope(
    manager: EntityManager,
    audit: RequestAudit,
    principal: Principal,
    id: string,
    action: 'read' | 'work',
    lock: boolean,
  ): Promise<Alert> {
    const alert = await manager
      .getRepository(Alert)
      .findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!alert) throw DomainError.notFound('No such alert.');
    audit.subject(alert.personId);
    const ability = this.abilities.createForPrincipal(principal);
    const target = subject('Alert', { policeAdministration: alert.policeAdministration } as Record<string, unknown>);
    if (!ability.can(action, target)) {
      audit.outcome = 'denied';
      throw DomainError.notFound('No such alert.');
    }
    return alert;
  }
}
