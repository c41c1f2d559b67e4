import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { EntityManager } from 'typeorm';
import { DomainError, fromJsonRow, Keyset, type KeysetColumn, type Page, versionMismatch } from '@app/common';
import { type Principal, RecordAccess } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import type { AlertQuery } from './compliance.dto';
import { Alert, ALERT_KINDS, ALERT_STATUSES, type AlertKind, type AlertStatus } from './entities';

/** Whom an alert is about, by name: every list and page of alerts names the person. */
export class AlertPerson {
  @ApiProperty({ example: 'Petrović' })
  surname!: string;

  @ApiProperty({ example: 'Marko' })
  givenNames!: string;
}

export class AlertView {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ enum: ALERT_KINDS, example: 'missed_check_in' })
  kind!: AlertKind;

  @ApiProperty({ format: 'uuid', example: '7a4e2c1b-9d8f-4e3a-b2c1-0f9e8d7c6b5a' })
  personId!: string;

  @ApiProperty({ type: () => AlertPerson, nullable: true })
  person!: AlertPerson | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: '0b9b7f0e-3c1d-4b8a-9f3e-6a1c2d3e4f50' })
  measureId!: string | null;

  @ApiProperty({ format: 'uuid', example: '0b9b7f0e-3c1d-4b8a-9f3e-6a1c2d3e4f50' })
  sourceId!: string;

  @ApiProperty({ format: 'date', example: '2026-02-23' })
  dueDate!: string;

  @ApiProperty({ type: String, nullable: true, example: 'PU-NIS' })
  policeAdministration!: string | null;

  /** The UIKS office it was raised for (its clerks work it), if any. */
  @ApiProperty({ type: String, nullable: true, example: null })
  office!: string | null;

  @ApiProperty({ enum: ALERT_STATUSES, example: 'open' })
  status!: AlertStatus;

  @ApiProperty({ example: '2026-02-24T06:00:00.000Z' })
  raisedAt!: Date;

  @ApiProperty({ type: Date, nullable: true, example: null })
  acknowledgedAt!: Date | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  acknowledgedBy!: string | null;

  @ApiProperty({ type: Date, nullable: true, example: null })
  resolvedAt!: Date | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  resolvedBy!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  resolution!: string | null;

  @ApiProperty({ example: 1 })
  version!: number;
}

/** The name of the person a row (alert, reminder) is about, selected beside it from the register's published persons. */
export const personNameSql = (alias: string): string =>
  `(SELECT json_build_object('surname', p.surname, 'givenNames', p.given_names)
      FROM register_persons p WHERE p.id = ${alias}.person_id)`;

/** One person's name, as alerts show it. */
async function personNamed(manager: EntityManager, personId: string): Promise<AlertPerson | null> {
  const [row] = await manager.query<{ person: AlertPerson | null }[]>(
    `SELECT ${personNameSql('x')} AS person FROM (SELECT $1::uuid AS person_id) x`,
    [personId],
  );
  return row?.person ?? null;
}

export function toAlertView(a: Alert, person: AlertPerson | null): AlertView {
  return {
    id: a.id,
    kind: a.kind,
    personId: a.personId,
    person,
    measureId: a.measureId,
    sourceId: a.sourceId,
    dueDate: a.dueDate,
    policeAdministration: a.policeAdministration,
    office: a.office,
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

/** The one way an alert becomes resolved (acknowledged on the way when still open). */
function resolveAlert(alert: Alert, userId: string, resolution: string): void {
  const now = new Date();
  if (alert.status === 'open') {
    alert.acknowledgedAt = now;
    alert.acknowledgedBy = userId;
  }
  alert.status = 'resolved';
  alert.resolvedAt = now;
  alert.resolvedBy = userId;
  alert.resolution = resolution;
}

const OLDEST_FIRST: KeysetColumn[] = [
  { sql: 'a.raised_at', kind: 'time' },
  { sql: 'a.id', kind: 'uuid' },
];

/** Officers (their administration) and clerks (all) work alerts: open, then acknowledged, then resolved. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly log: AuditLog,
    private readonly access: RecordAccess,
  ) {}

  list(audit: RequestAudit, principal: Principal, query: AlertQuery): Promise<Page<AlertView>> {
    audit.on('alert');
    const scope = this.access.scope(principal, 'read', 'Alert', { row: 'a' });
    return this.log.transaction(audit, async (manager) => {
      const q = manager
        .getRepository(Alert)
        .createQueryBuilder('a')
        .addSelect(personNameSql('a'), 'alert_person')
        .where(scope.sql, scope.params);
      if (query.status) q.andWhere('a.status = :status', { status: query.status });
      if (query.kind) q.andWhere('a.kind = :kind', { kind: query.kind });
      if (query.region) q.andWhere('a.police_administration = :region', { region: query.region });
      if (query.personId) q.andWhere('a.person_id = :personId', { personId: query.personId });
      const page = await new Keyset(OLDEST_FIRST, query).pageOf(q, (alert, raw) =>
        toAlertView(alert, raw.alert_person as AlertPerson | null),
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
      const { alert, person } = await this.reach(manager, audit, principal, id, 'read', false);
      audit.resultCount = 1;
      return toAlertView(alert, person);
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
      resolveAlert(alert, principal.userId, resolution);
    });
  }

  /**
   * The person's alerts among `ids`, in the caller's transaction (locked for
   * its change): register's referrals name alerts, reached through the person.
   */
  async ofPerson(manager: EntityManager, personId: string, ids: readonly string[]): Promise<AlertView[]> {
    const person = await personNamed(manager, personId);
    return (await this.lockedOf(manager, personId, ids)).map((alert) => toAlertView(alert, person));
  }

  /**
   * Resolves the person's alerts among `ids` not resolved yet, as the resolve
   * route does (what settled them elsewhere: a referral's outcome), in the
   * caller's transaction; answers the alerts resolved.
   */
  async resolveOpen(
    manager: EntityManager,
    personId: string,
    ids: readonly string[],
    userId: string,
    resolution: string,
  ): Promise<AlertView[]> {
    const open = (await this.lockedOf(manager, personId, ids)).filter((a) => a.status !== 'resolved');
    for (const alert of open) resolveAlert(alert, userId, resolution);
    const person = await personNamed(manager, personId);
    return (await manager.getRepository(Alert).save(open)).map((alert) => toAlertView(alert, person));
  }

  /** The ids of the person's alerts of `kind` raised by `sourceId` (a breach's, say), in the caller's transaction. */
  async raisedBy(manager: EntityManager, personId: string, kind: AlertKind, sourceId: string): Promise<string[]> {
    const alerts = await manager.getRepository(Alert).find({
      select: { id: true },
      where: { personId, kind, sourceId },
      order: { raisedAt: 'ASC', id: 'ASC' },
    });
    return alerts.map((alert) => alert.id);
  }

  private lockedOf(manager: EntityManager, personId: string, ids: readonly string[]): Promise<Alert[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return manager
      .getRepository(Alert)
      .createQueryBuilder('a')
      .where('a.person_id = :personId AND a.id IN (:...ids)', { personId, ids })
      .orderBy('a.raised_at')
      .addOrderBy('a.id')
      .setLock('pessimistic_write')
      .getMany();
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
      const { alert, person } = await this.reach(manager, audit, principal, id, 'work', true);
      if (version !== null && alert.version !== version) throw versionMismatch();
      const before = alert.status;
      change(alert);
      const saved = await manager.getRepository(Alert).save(alert);
      audit.details = { before: { status: before }, after: { status: saved.status } };
      return toAlertView(saved, person);
    });
  }

  /**
   * The alert if the caller may `action` it, the rules in the SQL that finds
   * (and locks) it; 404 otherwise, another region's recorded as denied,
   * naming the person either way.
   */
  private async reach(
    manager: EntityManager,
    audit: RequestAudit,
    principal: Principal,
    id: string,
    action: 'read' | 'work',
    lock: boolean,
  ): Promise<{ alert: Alert; person: AlertPerson | null }> {
    const row = await this.access.reach<
      'Alert',
      { alert: Record<string, unknown>; person_id: string; person: AlertPerson | null }
    >(
      manager,
      principal,
      {
        subject: 'Alert',
        action,
        from: 'alerts row',
        binding: { row: 'row' },
        where: 'row.id = $1',
        params: [id],
        select: ['row_to_json(row) AS alert', 'row.person_id', `${personNameSql('row')} AS person`],
        lock: lock ? ['row'] : undefined,
        absent: 'No such alert.',
      },
      (found) => audit.subject(found.person_id),
    );
    return { alert: fromJsonRow(manager, Alert, row.alert), person: row.person };
  }
}
