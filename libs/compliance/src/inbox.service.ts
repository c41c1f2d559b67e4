import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DomainError, Keyset, type KeysetColumn, type Page } from '@app/common';
import type { Principal } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import type { InboxQuery } from './compliance.dto';
import { AlertPerson, personNameSql } from './alerts.service';
import { InboxItem } from './entities';

export class InboxItemView {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: '0b9b7f0e-3c1d-4b8a-9f3e-6a1c2d3e4f50' })
  alertId!: string | null;

  @ApiProperty({ example: 'missed_check_in' })
  kind!: string;

  @ApiProperty({ format: 'uuid', example: '7a4e2c1b-9d8f-4e3a-b2c1-0f9e8d7c6b5a' })
  personId!: string;

  @ApiProperty({ type: () => AlertPerson, nullable: true })
  person!: AlertPerson | null;

  /** The check-in's due date for `check_in_due`, the alert's otherwise. */
  @ApiProperty({ format: 'date', example: '2026-02-23' })
  dueDate!: string;

  @ApiProperty({ example: '2026-02-24T06:00:00.000Z' })
  createdAt!: Date;

  @ApiProperty({ type: Date, nullable: true, example: null })
  readAt!: Date | null;
}

function toInboxView(item: InboxItem, person: AlertPerson | null): InboxItemView {
  return {
    id: item.id,
    alertId: item.alertId,
    kind: item.kind,
    personId: item.personId,
    person,
    dueDate: item.dueDate,
    createdAt: item.createdAt,
    readAt: item.readAt,
  };
}

const NEWEST_FIRST: KeysetColumn[] = [
  { sql: 'i.created_at', kind: 'time', desc: true },
  { sql: 'i.id', kind: 'uuid', desc: true },
];

/** Each user's own reminders: new alerts and check-ins falling due. */
@Injectable()
export class InboxService {
  constructor(private readonly log: AuditLog) {}

  list(audit: RequestAudit, principal: Principal, query: InboxQuery): Promise<Page<InboxItemView>> {
    audit.on('inbox');
    return this.log.transaction(audit, async (manager) => {
      const q = manager
        .getRepository(InboxItem)
        .createQueryBuilder('i')
        .addSelect(personNameSql('i'), 'item_person')
        .where('i.user_id = :userId', { userId: principal.userId });
      if (query.unread === 'true') q.andWhere('i.read_at IS NULL');
      if (query.unread === 'false') q.andWhere('i.read_at IS NOT NULL');
      const page = await new Keyset(NEWEST_FIRST, query).pageOf(q, (item, raw) =>
        toInboxView(item, raw.item_person as AlertPerson | null),
      );
      audit.resultCount = page.items.length;
      audit.subject(...new Set(page.items.map((item) => item.personId)));
      return page;
    });
  }

  markRead(audit: RequestAudit, principal: Principal, id: string): Promise<void> {
    audit.on('inbox', id);
    return this.log.transaction(audit, async (manager) => {
      const repository = manager.getRepository(InboxItem);
      const item = await repository.findOneBy({ id, userId: principal.userId });
      if (!item) throw DomainError.notFound('No such inbox item.');
      audit.subject(item.personId);
      if (item.readAt === null) await repository.update({ id }, { readAt: new Date() });
    });
  }
}
