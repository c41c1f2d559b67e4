import { Injectable } from '@nestjs/common';
import { DomainError, Keyset, type KeysetColumn, type Page } from '@app/common';
import type { Principal } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import type { InboxQuery } from './compliance.dto';
import { InboxItem } from './entities';

export interface InboxItemView {
  id: string;
  alertId: string | null;
  kind: string;
  /** The check-in's due date for `check_in_due`, the alert's otherwise. */
  dueDate: string;
  createdAt: Date;
  readAt: Date | null;
}

function toInboxView(item: InboxItem): InboxItemView {
  return {
    id: item.id,
    alertId: item.alertId,
    kind: item.kind,
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
        .where('i.user_id = :userId', { userId: principal.userId });
      if (query.unread === 'true') q.andWhere('i.read_at IS NULL');
      if (query.unread === 'false') q.andWhere('i.read_at IS NOT NULL');
      const { items, nextCursor } = await new Keyset(NEWEST_FIRST, query).pageOf(q, (item) => item);
      audit.resultCount = items.length;
      audit.subject(...new Set(items.map((item) => item.personId)));
      return { items: items.map(toInboxView), nextCursor };
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
